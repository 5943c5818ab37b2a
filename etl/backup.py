"""Backup and restore: ``python -m etl backup`` / ``python -m etl restore ARCHIVE``.

A backup is one timestamped ``.tar.gz`` holding
  * ``warehouse/eis.duckdb``: the current snapshot (snapshots are immutable and swapped in
    with ``os.replace``, so an open file is a consistent copy even if a build swaps meanwhile);
  * ``ops/ops.sqlite``: the ops store, copied with SQLite's online backup API (consistent while
    the app writes; the copy is a single file, no WAL). An ops store on PostgreSQL is not in the
    archive (the manifest says so): back it up with ``pg_dump``, the server's own tool;
  * ``data/...``: every input file (official, geo, seeds, sample and, above all, the accepted
    office files in ``data/incoming``);
  * ``manifest.json``: what the archive holds, each file's size and sha256, the snapshot version.

``restore`` verifies the whole archive against its manifest before it touches anything: a
missing, extra, truncated or altered member refuses the archive with a clear message and
nothing is restored. Then it extracts into a scratch folder beside the targets and swaps
each target in with ``os.replace`` (the data folders by renaming the old aside first).
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

MANIFEST = "manifest.json"
FORMAT = "sanyan-backup/1"
DATA_PARTS = ("official", "geo", "seeds", "sample", "incoming")


class BackupError(RuntimeError):
    """A backup could not be made, or an archive is refused (nothing was restored)."""


@dataclass(frozen=True)
class Targets:
    data_dir: Path
    warehouse: Path
    ops_path: Path | None          # the SQLite file of the ops store, None for another database

    @classmethod
    def from_settings(cls, data_dir=None, warehouse=None, ops_url=None) -> "Targets":
        from config import settings
        url = ops_url or settings.ops_url
        ops_path = Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None
        return cls(Path(data_dir or settings.data_dir), Path(warehouse or settings.warehouse), ops_path)


OPS_ELSEWHERE = "not in this archive: the ops store is on a database server, back it up with pg_dump"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


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


def backup(out_dir: Path, targets: Targets | None = None, keep: int | None = None,
           now: datetime | None = None) -> Path:
    """Write one archive into `out_dir`; keep only the newest `keep` archives there (if given)."""
    t = targets or Targets.from_settings()
    now = now or datetime.now(timezone.utc)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".backup-") as tmp:
        stage = Path(tmp)
        members: list[tuple[str, Path]] = []
        if t.warehouse.exists():
            w = stage / "warehouse" / "eis.duckdb"
            w.parent.mkdir(parents=True)
            with open(t.warehouse, "rb") as src, open(w, "wb") as dst:   # an open handle survives a swap
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
            "format": FORMAT, "created_at": now.isoformat(timespec="seconds"),
            "snapshot": _snapshot_version(t.warehouse) if t.warehouse.exists() else None,
            # a store on a database server is backed up by that server's own tool
            "ops_store": "ops/ops.sqlite" if t.ops_path is not None else OPS_ELSEWHERE,
            "files": [{"path": name, "bytes": path.stat().st_size, "sha256": _sha256(path)} for name, path in members],
        }
        name = f"sanyan-backup-{now.strftime('%Y%m%dT%H%M%SZ')}.tar.gz"
        partial = out_dir / f".{name}.partial"
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(now.timestamp())
            tar.addfile(info, io.BytesIO(data))
            for arcname, path in members:
                tar.add(path, arcname=arcname, recursive=False)
        final = out_dir / name
        os.replace(partial, final)
    if keep:
        for old in sorted(out_dir.glob("sanyan-backup-*.tar.gz"))[:-keep]:
            old.unlink()
    return final


def verify(archive: Path) -> dict:
    """The manifest of a sound archive; BackupError naming the first problem otherwise."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"{archive}: no such archive")
    try:
        with tarfile.open(archive, "r:gz") as tar:
            try:
                manifest = json.load(tar.extractfile(MANIFEST))
            except KeyError:
                raise BackupError(f"{archive.name}: no {MANIFEST}: not a Sanyan backup") from None
            if manifest.get("format") != FORMAT:
                raise BackupError(f"{archive.name}: unknown format {manifest.get('format')!r}")
            expected = {f["path"]: f for f in manifest["files"]}
            seen = set()
            for m in tar.getmembers():
                if m.name == MANIFEST:
                    continue
                if m.name not in expected or not m.isfile():
                    raise BackupError(f"{archive.name}: unexpected member {m.name!r}")
                if ".." in Path(m.name).parts or m.name.startswith("/"):
                    raise BackupError(f"{archive.name}: unsafe path {m.name!r}")
                h = hashlib.sha256()
                f = tar.extractfile(m)
                for block in iter(lambda: f.read(1 << 20), b""):
                    h.update(block)
                want = expected[m.name]
                if m.size != want["bytes"] or h.hexdigest() != want["sha256"]:
                    raise BackupError(f"{archive.name}: {m.name} does not match its checksum (damaged or altered)")
                seen.add(m.name)
            missing = sorted(set(expected) - seen)
            if missing:
                raise BackupError(f"{archive.name}: {len(missing)} file(s) missing, e.g. {missing[0]}")
    except (tarfile.TarError, EOFError, OSError, ValueError, json.JSONDecodeError) as e:
        raise BackupError(f"{archive.name}: damaged or truncated archive ({e.__class__.__name__}: {e})") from e
    return manifest


def restore(archive: Path, targets: Targets | None = None) -> dict:
    """Verify, then put the archive's warehouse, ops store and data files in place."""
    t = targets or Targets.from_settings()
    manifest = verify(archive)
    t.data_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=t.data_dir, prefix=".restore-") as tmp:
        stage = Path(tmp)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(stage, filter="data")
        # every file checked again after extraction, before anything is replaced
        for f in manifest["files"]:
            if _sha256(stage / f["path"]) != f["sha256"]:
                raise BackupError(f"{Path(archive).name}: {f['path']} changed while extracting")
        swaps: list[tuple[Path, Path]] = []
        if (stage / "warehouse" / "eis.duckdb").exists():
            swaps.append((stage / "warehouse" / "eis.duckdb", t.warehouse))
        if (stage / "ops" / "ops.sqlite").exists():
            if t.ops_path is None:
                raise BackupError("the archive has an SQLite ops store but SANYAN_OPS_URL is not SQLite")
            swaps.append((stage / "ops" / "ops.sqlite", t.ops_path))
        for part in DATA_PARTS:
            if (stage / "data" / part).exists():
                swaps.append((stage / "data" / part, t.data_dir / part))
        for src, dst in swaps:
            dst.parent.mkdir(parents=True, exist_ok=True)
            if src.is_dir():
                old = dst.with_name(f".{dst.name}.old")
                if old.exists() or old.is_symlink():
                    shutil.rmtree(old) if old.is_dir() and not old.is_symlink() else old.unlink()
                if dst.exists() or dst.is_symlink():
                    os.replace(dst, old)
                os.replace(src, dst)
                if old.is_dir() and not old.is_symlink():
                    shutil.rmtree(old)
                elif old.exists() or old.is_symlink():
                    old.unlink()
            else:
                for leftover in (Path(f"{dst}-wal"), Path(f"{dst}-shm"), Path(f"{dst}.wal")):
                    if leftover.exists():
                        leftover.unlink()
                os.replace(src, dst)
    return manifest
