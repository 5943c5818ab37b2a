"""Backup and restore: ``python -m etl backup`` / ``python -m etl restore ARCHIVE``.

A backup is one timestamped ``.tar.gz`` holding
  * ``warehouse/eis.duckdb``: the current snapshot (snapshots are immutable and swapped in
    with ``os.replace``, so an open file is a consistent copy even if a build swaps meanwhile);
  * ``ops/ops.sqlite``: the ops store, copied with SQLite's online backup API (consistent while
    the app writes; the copy is a single file, no WAL). An ops store on PostgreSQL is not in the
    archive (the manifest says so): back it up with ``pg_dump``, the server's own tool;
  * ``data/...``: every input file (official, geo, seeds, sample and, above all, the accepted
    office files in ``data/incoming``);
  * ``manifest.json``: what the archive holds, each file's size and sha256, which data folders
    existed, the snapshot version;
  * ``manifest.hmac``: the manifest's HMAC-SHA256 with the backup key, a secret kept OUTSIDE
    every archive (``SANYAN_BACKUP_KEY_FILE``, default ``data/ops/backup_key``, made with mode
    0600 by the first backup). Checksums prove an archive whole; the key proves who made it.

``restore`` (and ``restore --check``) verifies the whole archive before it touches anything: it
reads the archive to its last byte, so gzip checks its trailer (the CRC32 and length of the
data: an archive cut short, even by one byte, or with a bit flipped is refused), the manifest
against its HMAC with the key (an archive made with another key, unsigned, or altered and its
checksums recomputed is refused), then every member against the manifest (a missing, extra,
truncated or altered member is refused); a refused archive restores nothing. Then it extracts
into a scratch folder beside the targets and brings every target the archive covers to its state
at backup time: the warehouse, the SQLite ops store and each data folder are swapped in whole,
and one that did not exist then does not exist after; in the folders of the warehouse and the
ops store (``data/warehouse``, ``data/ops``) every other file is moved aside too, but for the
machine's own (the backup key, the session key, the build's lock and cache), which are never in
an archive. Whatever this removes or replaces is moved into
``<data>/kept-aside/restore-<UTC time>-<random>/`` (laid out as in the archive), never deleted;
files identical to the restored ones are not kept.
"""

from __future__ import annotations

import gzip
import hashlib
import hmac
import io
import json
import os
import secrets
import shutil
import sqlite3
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

MANIFEST = "manifest.json"
SIGNATURE = "manifest.hmac"
FORMAT = "sanyan-backup/2"
DATA_PARTS = ("official", "geo", "seeds", "sample", "incoming")
KEY_BYTES = 32
KEPT_ASIDE = "kept-aside"  # in the data folder: what restores removed or replaced
SIDECARS = (".wal", "-wal", "-shm", "-journal")  # DuckDB's and SQLite's files beside a database


class BackupError(RuntimeError):
    """A backup could not be made, or an archive is refused (nothing was restored)."""


@dataclass(frozen=True)
class Targets:
    data_dir: Path
    warehouse: Path
    ops_path: Path | None  # the SQLite file of the ops store, None for another database
    key_file: Path  # the backup key (SANYAN_BACKUP_KEY_FILE), never inside an archive

    @classmethod
    def from_settings(cls, data_dir=None, warehouse=None, ops_url=None, key_file=None) -> Targets:
        from config import settings

        url = ops_url or settings.ops_url
        ops_path = Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None
        return cls(
            Path(data_dir or settings.data_dir),
            Path(warehouse or settings.warehouse),
            ops_path,
            Path(key_file or settings.backup_key_file),
        )


@dataclass(frozen=True)
class Restored:
    manifest: dict
    kept_dir: Path | None  # where what the restore removed or replaced now is; None: nothing was
    kept: list[str]  # those files and links, relative to kept_dir


OPS_ELSEWHERE = "not in this archive: the ops store is on a database server, back it up with pg_dump"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda f=f: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _key_id(key: bytes) -> str:
    """Names a key without giving it away, to say which key made an archive."""
    return hashlib.sha256(b"sanyan-backup-key-id\0" + key).hexdigest()[:16]


def read_key(path: Path, create: bool = False) -> bytes:
    """The backup key kept (in hex) in `path`; with `create`, a new random key is written there
    first (mode 0600) when there is none."""
    path = Path(path)
    if create and not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(secrets.token_hex(KEY_BYTES) + "\n")
    try:
        key = bytes.fromhex(path.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        raise BackupError(
            f"ไม่พบกุญแจสำรองข้อมูลที่ {path} คัดลอกกุญแจของเครื่องที่สร้างไฟล์สำรองมาไว้ที่นั่น / "
            f"no backup key at {path} (SANYAN_BACKUP_KEY_FILE): copy there the key of the "
            "machine that made the archive"
        ) from None
    except (OSError, ValueError) as e:
        raise BackupError(f"อ่านกุญแจสำรองข้อมูล {path} ไม่ได้ / cannot read the backup key {path}: {e}") from e
    if len(key) < KEY_BYTES:
        raise BackupError(f"{path} ไม่ใช่กุญแจสำรองข้อมูล / is not a backup key ({KEY_BYTES} bytes in hex expected)")
    return key


def _mac(key: bytes, manifest: bytes) -> str:
    return hmac.new(key, manifest, hashlib.sha256).hexdigest()


def _snapshot_version(warehouse: Path) -> str | None:
    import duckdb

    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error:
        return None
    try:
        return con.execute("SELECT version FROM meta_snapshot LIMIT 1").fetchone()[0]
    except duckdb.Error:
        return None
    finally:
        con.close()


def backup(out_dir: Path, targets: Targets | None = None, keep: int | None = None, now: datetime | None = None) -> Path:
    """Write one archive into `out_dir`, signed with the key (made on the first backup); keep only
    the newest `keep` archives there (if given)."""
    t = targets or Targets.from_settings()
    key_at = t.key_file.resolve()
    for part in DATA_PARTS:
        if key_at.is_relative_to((t.data_dir / part).resolve()):
            raise BackupError(
                f"กุญแจสำรองข้อมูล {t.key_file} อยู่ในโฟลเดอร์ที่ถูกสำรอง / the backup key {t.key_file} is "
                f"inside data/{part}, which archives hold: keep it elsewhere (SANYAN_BACKUP_KEY_FILE)"
            )
    key = read_key(t.key_file, create=True)
    now = now or datetime.now(UTC)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".backup-") as tmp:
        stage = Path(tmp)
        members: list[tuple[str, Path]] = []
        if t.warehouse.exists():
            w = stage / "warehouse" / "eis.duckdb"
            w.parent.mkdir(parents=True)
            with open(t.warehouse, "rb") as src, open(w, "wb") as dst:  # an open handle survives a swap
                shutil.copyfileobj(src, dst)
            members.append(("warehouse/eis.duckdb", w))
        if t.ops_path is not None and t.ops_path.exists():
            o = stage / "ops" / "ops.sqlite"
            o.parent.mkdir(parents=True)
            src = sqlite3.connect(t.ops_path)
            dst = sqlite3.connect(o)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
                src.close()
            members.append(("ops/ops.sqlite", o))
        for part in DATA_PARTS:
            root = t.data_dir / part
            if root.exists():
                for p in sorted(root.rglob("*")):
                    if p.is_file():
                        members.append((f"data/{part}/{p.relative_to(root).as_posix()}", p.resolve()))
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(timespec="seconds"),
            "snapshot": _snapshot_version(t.warehouse) if t.warehouse.exists() else None,
            # a store on a database server is backed up by that server's own tool
            "ops_store": "ops/ops.sqlite" if t.ops_path is not None else OPS_ELSEWHERE,
            # a folder absent now is absent after a restore of this archive
            "data_parts": {part: (t.data_dir / part).is_dir() for part in DATA_PARTS},
            "files": [{"path": name, "bytes": path.stat().st_size, "sha256": _sha256(path)} for name, path in members],
        }
        name = f"sanyan-backup-{now.strftime('%Y%m%dT%H%M%SZ')}.tar.gz"
        partial = out_dir / f".{name}.partial"
        with tarfile.open(partial, "w:gz", compresslevel=6) as tar:  # 9 (the default) is 2-3x slower, hardly smaller
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            sig = json.dumps({"alg": "HMAC-SHA256", "key_id": _key_id(key), "hmac": _mac(key, data)}).encode()
            for member, body in ((MANIFEST, data), (SIGNATURE, sig)):
                info = tarfile.TarInfo(member)
                info.size, info.mtime = len(body), int(now.timestamp())
                tar.addfile(info, io.BytesIO(body))
            for arcname, path in members:
                tar.add(path, arcname=arcname, recursive=False)
        final = out_dir / name
        os.replace(partial, final)
    if keep:
        for old in sorted(out_dir.glob("sanyan-backup-*.tar.gz"))[:-keep]:
            old.unlink()
    return final


def _read_whole(archive: Path) -> tuple[bytes | None, bytes | None, dict[str, tuple[int, str]]]:
    """Read `archive` once, to its very last byte: every tar member, then the gzip stream to its
    end, so that gzip checks its trailer (CRC32 and length of the uncompressed data; a cut or a
    flipped bit near the end shows only there). Returns the manifest's and the signature's bytes
    (None when absent) and each other member's size and sha256; BackupError on any member that is
    not a plain file at a safe path, or named twice."""
    manifest = signature = None
    members: dict[str, tuple[int, str]] = {}
    with gzip.open(archive, "rb") as gz, tarfile.open(fileobj=gz, mode="r|") as tar:
        for m in tar:
            if (
                m.name in members
                or (m.name == MANIFEST and manifest is not None)
                or (m.name == SIGNATURE and signature is not None)
            ):
                raise BackupError(f"{archive.name}: member {m.name!r} appears twice")
            if not m.isfile():
                raise BackupError(f"{archive.name}: unexpected member {m.name!r}")
            f = tar.extractfile(m)
            if m.name in (MANIFEST, SIGNATURE):
                body = f.read()
                manifest, signature = (body, signature) if m.name == MANIFEST else (manifest, body)
                continue
            if ".." in Path(m.name).parts or m.name.startswith("/"):
                raise BackupError(f"{archive.name}: unsafe path {m.name!r}")
            h = hashlib.sha256()
            for block in iter(lambda f=f: f.read(1 << 20), b""):
                h.update(block)
            members[m.name] = (m.size, h.hexdigest())
        while gz.read(1 << 20):  # past the tar's end: its padding, then the gzip trailer
            pass
    return manifest, signature, members


def verify(archive: Path, key_file: Path | None = None) -> dict:
    """The manifest of a sound archive made with the key in `key_file` (default the setting
    SANYAN_BACKUP_KEY_FILE); BackupError naming the archive and the first problem otherwise. The
    whole archive is read, its compression trailer too (a truncated or bit-flipped archive is
    refused), and every member is checked against the manifest's size and sha256."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"{archive}: no such archive")
    if key_file is None:
        from config import settings

        key_file = settings.backup_key_file
    key = read_key(key_file)
    try:
        raw, sig, members = _read_whole(archive)
    except EOFError as e:
        raise BackupError(
            f"{archive.name}: ไฟล์สำรองถูกตัดขาด / truncated archive: the compressed stream ends before its end ({e})"
        ) from e
    except gzip.BadGzipFile as e:
        raise BackupError(f"{archive.name}: ไฟล์สำรองเสียหาย / damaged archive: the gzip check failed ({e})") from e
    except (tarfile.TarError, zlib.error, OSError, ValueError) as e:
        raise BackupError(f"{archive.name}: damaged or truncated archive ({e.__class__.__name__}: {e})") from e
    if raw is None:
        raise BackupError(f"{archive.name}: no {MANIFEST}: not a Sanyan backup")
    if sig is None:
        raise BackupError(
            f"{archive.name}: ไม่มีลายมือชื่อด้วยกุญแจสำรองข้อมูล / not signed with a backup key "
            "(altered, or made before archives were signed)"
        )
    try:
        sig = json.loads(sig)
    except ValueError:
        sig = None
    sig = sig if isinstance(sig, dict) else {}
    if sig.get("key_id") != _key_id(key):
        raise BackupError(
            f"{archive.name}: ลงนามด้วยกุญแจอื่น / signed with another backup key (id "
            f"{sig.get('key_id')}); the key at {key_file} has id {_key_id(key)}: "
            "set SANYAN_BACKUP_KEY_FILE to the key that made it"
        )
    if not hmac.compare_digest(str(sig.get("hmac")).encode(), _mac(key, raw).encode()):
        raise BackupError(
            f"{archive.name}: บัญชีไฟล์ไม่ตรงกับลายมือชื่อ ถูกแก้ไขหลังสร้าง / the manifest does "
            "not match its signature: altered after it was made"
        )
    try:
        manifest = json.loads(raw)
        if manifest.get("format") != FORMAT:
            raise BackupError(f"{archive.name}: unknown format {manifest.get('format')!r}")
        expected = {f["path"]: f for f in manifest["files"]}
    except (ValueError, AttributeError, KeyError, TypeError) as e:
        raise BackupError(f"{archive.name}: unreadable {MANIFEST} ({e.__class__.__name__}: {e})") from e
    for name, (size, digest) in members.items():
        if name not in expected:
            raise BackupError(f"{archive.name}: unexpected member {name!r}")
        want = expected[name]
        if size != want["bytes"] or digest != want["sha256"]:
            raise BackupError(f"{archive.name}: {name} does not match its checksum (damaged or altered)")
    missing = sorted(set(expected) - set(members))
    if missing:
        raise BackupError(f"{archive.name}: {len(missing)} file(s) missing, e.g. {missing[0]}")
    return manifest


def restore(archive: Path, targets: Targets | None = None) -> Restored:
    """Verify (key, then checksums), then bring every target the archive covers to its state at
    backup time; what that removes or replaces is kept aside, not deleted."""
    t = targets or Targets.from_settings()
    manifest = verify(archive, t.key_file)
    covered = [("warehouse/eis.duckdb", t.warehouse)]
    if manifest["ops_store"] != OPS_ELSEWHERE:
        if t.ops_path is None:
            raise BackupError("the archive has an SQLite ops store but SANYAN_OPS_URL is not SQLite")
        covered.append(("ops/ops.sqlite", t.ops_path))
    covered += [(f"data/{part}", t.data_dir / part) for part in DATA_PARTS]
    t.data_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=t.data_dir, prefix=".restore-") as tmp:
        stage = Path(tmp)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(stage, filter="data")
        # every file checked again after extraction, before anything is replaced
        for f in manifest["files"]:
            if _sha256(stage / f["path"]) != f["sha256"]:
                raise BackupError(f"{Path(archive).name}: {f['path']} changed while extracting")
        for part, existed in manifest["data_parts"].items():
            if existed:  # perhaps empty then: an empty folder now
                (stage / "data" / part).mkdir(parents=True, exist_ok=True)
        (t.data_dir / KEPT_ASIDE).mkdir(exist_ok=True)
        kept_dir = Path(
            tempfile.mkdtemp(dir=t.data_dir / KEPT_ASIDE, prefix=datetime.now(UTC).strftime("restore-%Y%m%dT%H%M%SZ-"))
        )
        for rel, dst in covered:
            aside = kept_dir / rel
            for old in (dst, *(Path(f"{dst}{suffix}") for suffix in SIDECARS)):
                if old.exists() or old.is_symlink():
                    aside.parent.mkdir(parents=True, exist_ok=True)
                    shutil.move(old, aside.with_name(old.name))  # a link is moved as a link
            if (stage / rel).exists():
                dst.parent.mkdir(parents=True, exist_ok=True)
                os.replace(stage / rel, dst)
        # the folders of the ops store and the warehouse hold what the archive has, and the
        # machine's own files: anything else there (made since the backup) is moved aside too
        for folder, (prefix, own) in _home_folders(t, manifest).items():
            for entry in sorted(folder.iterdir()):
                if entry.name not in own:
                    aside = kept_dir / prefix / entry.name
                    aside.parent.mkdir(parents=True, exist_ok=True)
                    shutil.move(entry, aside)
    kept = _keep_only_changes(kept_dir, {f["path"]: f["sha256"] for f in manifest["files"]})
    return Restored(manifest, kept_dir if kept else None, kept)


BUILD_OWN = (".build.lock", ".cache")  # beside the warehouse: the build's lock and boundary cache (etl/build.py)
SESSION_KEY = "secret_key"  # in data/ops: the app's session key (config.py), never in an archive


def _home_folders(t: Targets, manifest: dict) -> dict[Path, tuple[str, set[str]]]:
    """The folders in the data folder that hold the restored warehouse and SQLite ops store
    (``data/warehouse``, ``data/ops`` by default), each with its prefix in the archive and the
    names a restore leaves there: the restored file itself and what belongs to the machine, not
    to an archive (the backup key, the session key, the build's lock and cache). A folder outside
    the data folder, the data folder itself, or one swapped whole (``data/incoming``...) is not
    one of them."""
    data = t.data_dir.resolve()
    swapped = [data / part for part in (*DATA_PARTS, KEPT_ASIDE)]
    homes: dict[Path, tuple[str, set[str]]] = {}
    held = [("warehouse", t.warehouse, set(BUILD_OWN))]
    if manifest["ops_store"] != OPS_ELSEWHERE and t.ops_path is not None:
        held.append(("ops", t.ops_path, {SESSION_KEY} if t.ops_path.parent.resolve() == data / "ops" else set()))
    for prefix, path, own in held:
        folder = path.parent.resolve()
        if folder == data or not folder.is_relative_to(data) or any(folder.is_relative_to(s) for s in swapped):
            continue
        if not folder.is_dir():
            continue
        own = own | {path.name}
        if t.key_file.parent.resolve() == folder:
            own.add(t.key_file.name)
        first, before = homes.get(folder, (prefix, set()))
        homes[folder] = (first, before | own)
    return homes


def _keep_only_changes(kept_dir: Path, restored: dict[str, str]) -> list[str]:
    """Drop from `kept_dir` each file identical to the one restored at the same archive path, and
    the folders left empty (`kept_dir` too); the files and links left, relative to `kept_dir`."""
    left = []
    for folder, dirs, files in os.walk(kept_dir, topdown=False):  # links to folders are not followed
        here = Path(folder)
        for name in files + [d for d in dirs if (here / d).is_symlink()]:
            p = here / name
            rel = p.relative_to(kept_dir).as_posix()
            if p.is_file() and restored.get(rel) == _sha256(p):
                p.unlink()
            else:
                left.append(rel)
        if not any(here.iterdir()):
            here.rmdir()
    if not any(kept_dir.parent.iterdir()):  # kept-aside/ itself, when no restore kept anything
        kept_dir.parent.rmdir()
    return sorted(left)
