#!/usr/bin/env bash
# Distribute a warehouse snapshot to several web nodes (docs/DEPLOY.md, "A new snapshot on every node").
#
#   deploy/push-snapshot.sh SNAPSHOT TARGET...
#   deploy/push-snapshot.sh data/warehouse/eis.duckdb web1:/srv/sanyan/data/warehouse/eis.duckdb \
#                                                      web2:/srv/sanyan/data/warehouse/eis.duckdb
#
# A TARGET is the path of the snapshot file on a node, as rsync writes it: HOST:/path over ssh
# ([user@]host, keys set up beforehand), or a local /path. Two phases, so that the nodes change
# snapshot together and a failed copy changes nothing:
#   1. stage: copy SNAPSHOT next to each target as .<name>.incoming (same directory, so the same
#      file system) and check its sha256 there against the source's;
#   2. swap: on every node, rename the staged file over the target (mv, i.e. rename(2): atomic;
#      readers see the old file or the new one, never a partial one).
# Any failure in phase 1 removes what was staged and exits non-zero before anything is swapped.
# The app notices the new file by its inode / mtime / size on its next query (db.py): no restart.
set -euo pipefail

if [ $# -lt 2 ]; then
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
src=$1; shift
[ -f "$src" ] || { echo "push-snapshot: no such file: $src" >&2; exit 2; }

# Run a shell command where TARGET lives: over ssh for HOST:/path, here for a local path.
# The command is built from quoted paths only (printf %q).
at() {
  local target=$1 cmd=$2
  if [[ $target == *:* ]]; then ssh -o BatchMode=yes "${target%%:*}" "$cmd"; else bash -c "$cmd"; fi
}
path_of() { if [[ $1 == *:* ]]; then echo "${1#*:}"; else echo "$1"; fi; }
staged_of() { local p; p=$(path_of "$1"); echo "$(dirname "$p")/.$(basename "$p").incoming"; }

# The source's checksum first: if a build swaps the source during the copy, the copy (which rsync
# read from the old file) no longer matches and the push stops.
sum=$(sha256sum "$src" | cut -d' ' -f1)
echo "push-snapshot: $src sha256 $sum to $# node(s)"

staged=() swapped=()
finish() {
  local rc=$?
  [ $rc -eq 0 ] && return
  if [ ${#swapped[@]} -eq 0 ]; then
    echo "push-snapshot: failed; nothing was swapped" >&2
  else
    echo "push-snapshot: failed during the swap; swapped: ${swapped[*]}" >&2
  fi
  for t in "${staged[@]}"; do at "$t" "rm -f $(printf %q "$(staged_of "$t")")" 2>/dev/null || true; done
}
trap finish EXIT

for t in "$@"; do
  s=$(staged_of "$t")
  host=""; [[ $t == *:* ]] && host="${t%%:*}:"
  staged+=("$t")
  at "$t" "mkdir -p $(printf %q "$(dirname "$s")")"
  rsync --times --compress "$src" "$host$s"
  got=$(at "$t" "sha256sum $(printf %q "$s")" | cut -d' ' -f1)
  if [ "$got" != "$sum" ]; then
    echo "push-snapshot: $t: sha256 $got after the copy, expected $sum" >&2
    exit 1
  fi
  echo "push-snapshot: staged $t"
done

# The answers the build made for this snapshot (SNAPSHOT.views, prerender.py), before the swap:
# a node's workers take them once they find the new snapshot; made for another snapshot (a swap
# that then fails), they are never taken (web/viewcache.load checks the version).
if [ -f "$src.views" ]; then
  for t in "$@"; do
    host=""; [[ $t == *:* ]] && host="${t%%:*}:"
    v="$(path_of "$t").views"
    rsync --times --compress "$src.views" "$host$(dirname "$v")/.$(basename "$v").incoming"
    at "$t" "mv -f $(printf %q "$(dirname "$v")/.$(basename "$v").incoming") $(printf %q "$v")"
  done
fi

for t in "$@"; do
  at "$t" "mv -f $(printf %q "$(staged_of "$t")") $(printf %q "$(path_of "$t")")"
  swapped+=("$t")
  echo "push-snapshot: swapped $t"
done
