"""Backup -> wipe -> restore gives the same warehouse (every table, row for row) and the same ops
rows; a damaged, truncated or altered archive is refused and nothing is restored. Issue 16,
finding 9: a restore leaves every folder as it was at backup time (what it removes is kept aside),
and an archive not signed with the backup key (altered, checksums recomputed) is refused."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
from datetime import UTC

import duckdb
import pytest
import sqlalchemy as sa

import ops
from etl import backup as bk
from etl.build import build
from tests.conftest import make_data_dir
from tests.test_etl_build import small_inputs, write_csv


def table_digests(wh) -> dict[str, str]:
    con = duckdb.connect(str(wh), read_only=True)
    try:
        out = {}
        for (name,) in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall():
            rows = con.execute(
                f'SELECT CAST(COLUMNS(*) AS VARCHAR) FROM "{name}"'
            ).fetchall()  # names from the catalogue
            out[name] = hashlib.sha256(repr(sorted(map(repr, rows))).encode()).hexdigest()
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """One site built once for the module: a data folder with an office file, its warehouse and ops store."""
    base = tmp_path_factory.mktemp("site")
    data = make_data_dir(base / "data", sample=False)
    small_inputs(data / "sample")
    write_csv(
        data / "incoming" / "kpi_actuals" / "20261101T000000Z_aaaaaaaaaaaa_oct.csv",
        ["kpi_code", "fiscal_year", "month", "area_code", "value"],
        [["K01", "2570", "10", "8601", "9"]],
    )
    ops_url = f"sqlite:///{base / 'ops' / 'ops.sqlite'}"
    eng = ops.engine(ops_url)
    ops.record_load(eng, file_name="oct.csv", dataset="kpi_actuals", sha256="a" * 64, rows=1, result="accepted")
    ops.record_audit(eng, "login", who="somchai")
    build(data_dir=data, warehouse=data / "warehouse" / "eis.duckdb", ops_url=ops_url)
    eng.dispose()
    return base


@pytest.fixture
def site(pristine, tmp_path):
    """A copy of the pristine site of each test's own (a test may wipe, restore or tamper with it)."""
    shutil.copytree(pristine, tmp_path, dirs_exist_ok=True, symlinks=True)
    data = tmp_path / "data"
    ops_url = f"sqlite:///{tmp_path / 'ops' / 'ops.sqlite'}"
    wh = data / "warehouse" / "eis.duckdb"
    return {
        "targets": bk.Targets(data, wh, tmp_path / "ops" / "ops.sqlite", tmp_path / "keys" / "backup_key"),
        "ops_url": ops_url,
        "tmp": tmp_path,
        "data": data,
        "wh": wh,
    }


def test_backup_wipe_restore_is_identical(site):
    t = site["targets"]
    before_tables = table_digests(t.warehouse)
    before_ops = (ops.lineage_rows(ops.engine(site["ops_url"])), ops.audit_rows(ops.engine(site["ops_url"])))
    incoming = (t.data_dir / "incoming").rglob("*.csv")
    before_files = {p.name: p.read_bytes() for p in incoming}
    archive = bk.backup(site["tmp"] / "backups", t)
    manifest = bk.verify(archive, t.key_file)
    assert manifest["snapshot"] and any(f["path"].startswith("data/incoming/") for f in manifest["files"])
    # the disk dies
    t.warehouse.unlink()
    t.ops_path.unlink()
    shutil.rmtree(t.data_dir / "incoming")
    bk.restore(archive, t)
    assert table_digests(t.warehouse) == before_tables and len(before_tables) > 40
    assert (ops.lineage_rows(ops.engine(site["ops_url"])), ops.audit_rows(ops.engine(site["ops_url"]))) == before_ops
    assert {p.name: p.read_bytes() for p in (t.data_dir / "incoming").rglob("*.csv")} == before_files


def _rewrite(archive, tamper):
    """Copy `archive` member by member, letting `tamper(name, bytes)` change a member's bytes."""
    out = archive.with_name("tampered.tar.gz")
    with tarfile.open(archive, "r:gz") as src, tarfile.open(out, "w:gz") as dst:
        for m in src.getmembers():
            data = tamper(m.name, src.extractfile(m).read())
            if data is None:
                continue
            info = tarfile.TarInfo(m.name)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
    return out


@pytest.mark.parametrize("damage", ["altered", "missing", "extra", "truncated", "not-a-backup"])
def test_a_damaged_archive_is_refused_and_nothing_changes(site, damage):
    t = site["targets"]
    archive = bk.backup(site["tmp"] / "backups", t)
    if damage == "altered":
        bad = _rewrite(archive, lambda n, b: b.replace(b"K01", b"K99") if n.endswith(".csv") else b)
    elif damage == "missing":
        bad = _rewrite(archive, lambda n, b: None if n.startswith("data/incoming/") else b)
    elif damage == "extra":
        bad = archive.with_name("extra.tar.gz")
        shutil.copy(archive, bad)
        with tarfile.open(archive, "r:gz") as src, tarfile.open(bad, "w:gz") as dst:
            for m in src.getmembers():
                dst.addfile(m, src.extractfile(m))
            info = tarfile.TarInfo("data/incoming/evil.csv")
            info.size = 3
            dst.addfile(info, io.BytesIO(b"x,y"))
    elif damage == "truncated":
        bad = archive.with_name("truncated.tar.gz")
        bad.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    else:
        bad = archive.with_name("other.tar.gz")
        with tarfile.open(bad, "w:gz") as dst:
            info = tarfile.TarInfo("hello.txt")
            info.size = 2
            dst.addfile(info, io.BytesIO(b"hi"))
    wh_before = t.warehouse.read_bytes()
    ops_before = t.ops_path.read_bytes()
    with pytest.raises(bk.BackupError) as err:
        bk.restore(bad, t)
    assert bad.name in str(err.value)
    assert t.warehouse.read_bytes() == wh_before and t.ops_path.read_bytes() == ops_before
    assert not list(t.data_dir.glob(".restore-*")) and not (t.data_dir / bk.KEPT_ASIDE).exists()


def test_retention_keeps_the_newest(site):
    from datetime import datetime, timedelta

    t = site["targets"]
    start = datetime(2026, 11, 1, tzinfo=UTC)
    for day in range(4):
        bk.backup(site["tmp"] / "kept", t, keep=2, now=start + timedelta(days=day))
    names = sorted(p.name for p in (site["tmp"] / "kept").glob("*.tar.gz"))
    assert names == ["sanyan-backup-20261103T000000Z.tar.gz", "sanyan-backup-20261104T000000Z.tar.gz"]


def test_cli_backup_and_check(site):
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    env = {
        **os.environ,
        "SANYAN_DATA_DIR": str(site["data"]),
        "SANYAN_WAREHOUSE": str(site["wh"]),
        "SANYAN_OPS_URL": site["ops_url"],
        "SANYAN_USER": "admin-test",
        "COLUMNS": "200",
    }

    def run(*a):
        return subprocess.run(
            [sys.executable, "-m", "etl", *a],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    made = run("backup", "-o", str(site["tmp"] / "cli"), "--keep", "3")
    assert made.returncode == 0, made.stdout + made.stderr
    archive = next((site["tmp"] / "cli").glob("*.tar.gz"))
    assert run("restore", str(archive), "--check").returncode == 0
    broken = archive.with_name("broken.tar.gz")
    broken.write_bytes(archive.read_bytes()[:1000])
    refused = run("restore", str(broken))
    assert refused.returncode == 2 and "nothing restored" in refused.stdout
    rows = ops.audit_rows(ops.engine(site["ops_url"]))
    assert [(r["action"], r["who"]) for r in rows][-1] == ("backup", "admin-test")
    json.loads(rows[-1]["after"])


def test_an_ops_store_on_postgresql_is_left_to_pg_dump_and_said_so(site):
    """With the ops store on a database server the archive holds the rest, and the manifest says
    where the ops store's backup must come from; restoring such an archive leaves the store alone."""
    t = site["targets"]
    elsewhere = bk.Targets(t.data_dir, t.warehouse, None, t.key_file)
    archive = bk.backup(site["tmp"] / "backups", targets=elsewhere)
    manifest = bk.verify(archive, t.key_file)
    paths = [f["path"] for f in manifest["files"]]
    assert "warehouse/eis.duckdb" in paths and not any(p.startswith("ops/") for p in paths)
    assert "pg_dump" in manifest["ops_store"]
    assert bk.restore(archive, targets=elsewhere).manifest["snapshot"] == manifest["snapshot"]


# ------------------------------------------------------------------ issue 16, finding 9
def figures(wh) -> list[float]:
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return [r[0] for r in con.execute("SELECT value FROM fct_kpi_actual ORDER BY value").fetchall()]
    finally:
        con.close()


@pytest.fixture
def cli(site, monkeypatch):
    """`python -m etl` in this process on the site's settings: run(*args) -> (exit status, output)."""
    from rich.console import Console

    import etl.__main__ as etl_cli

    t = site["targets"]
    for name, value in (
        ("SANYAN_DATA_DIR", t.data_dir),
        ("SANYAN_WAREHOUSE", t.warehouse),
        ("SANYAN_OPS_URL", site["ops_url"]),
        ("SANYAN_BACKUP_KEY_FILE", t.key_file),
        ("SANYAN_USER", "admin-test"),
    ):
        monkeypatch.setenv(name, str(value))

    def run(*args):
        buf = io.StringIO()
        monkeypatch.setattr(etl_cli, "out", Console(file=buf, width=1000))
        return etl_cli.main(list(args)), buf.getvalue()

    return run


def state(t) -> dict:
    """Every file under the data folder, the warehouse and the ops store, with its bytes."""
    files = {
        p.relative_to(t.data_dir).as_posix(): p.read_bytes()
        for p in t.data_dir.rglob("*")
        if p.is_file() and "warehouse" not in p.parts
    }
    return {**files, "warehouse": t.warehouse.read_bytes(), "ops": t.ops_path.read_bytes()}


def test_a_file_loaded_after_the_backup_is_gone_after_restore_and_kept_aside(site, cli):
    """data/incoming did not exist at backup time; a file loaded afterwards would come back with
    the next build (without lineage: the ops store is restored). Restore removes the folder,
    keeps it aside, says so, and a build afterwards has no figure from that file."""
    t = site["targets"]
    shutil.rmtree(t.data_dir / "incoming")  # no office file loaded yet
    build(data_dir=t.data_dir, warehouse=t.warehouse, ops_url=site["ops_url"])
    rc, made = cli("backup", "-o", str(site["tmp"] / "backups"))
    assert rc == 0, made
    archive = next((site["tmp"] / "backups").glob("*.tar.gz"))
    # after the backup an office loads a file (what `etl load` does: keep it in data/incoming, build)
    loaded = write_csv(
        t.data_dir / "incoming" / "kpi_actuals" / "20261201T000000Z_bbbbbbbbbbbb_nov.csv",
        ["kpi_code", "fiscal_year", "month", "area_code", "value"],
        [["K01", "2570", "11", "8601", "777"]],
    )
    body = loaded.read_bytes()
    build(data_dir=t.data_dir, warehouse=t.warehouse, ops_url=site["ops_url"])
    assert 777 in figures(t.warehouse)

    rc, said = cli("restore", str(archive))
    assert rc == 0, said
    assert not (t.data_dir / "incoming").exists()
    kept_dir = next((t.data_dir / bk.KEPT_ASIDE).glob("restore-*"))
    kept = kept_dir / "data" / "incoming" / "kpi_actuals" / loaded.name
    assert kept.read_bytes() == body
    assert str(kept_dir) in said and f"data/incoming/kpi_actuals/{loaded.name}" in said
    assert 777 not in figures(t.warehouse)
    build(data_dir=t.data_dir, warehouse=t.warehouse, ops_url=site["ops_url"])
    assert 777 not in figures(t.warehouse) and figures(t.warehouse)


def _with_backdoor(archive, signature: str):
    """The archive altered as an attacker would: an admin `backdoor` added to its ops store, the
    manifest's checksum of that file recomputed, and its signature kept, dropped or made anew
    with the attacker's own key."""
    import sqlite3

    members = {}
    with tarfile.open(archive, "r:gz") as src:
        for m in src.getmembers():
            members[m.name] = src.extractfile(m).read()
    db = archive.with_name("ops-copy.sqlite")
    db.write_bytes(members["ops/ops.sqlite"])
    con = sqlite3.connect(db)
    con.execute(
        "INSERT INTO users (username, password_hash, role, active, created_at) "
        "VALUES ('backdoor', 'x', 'admin', 1, '2026-11-24 00:00:00')"
    )
    con.commit()
    con.close()
    members["ops/ops.sqlite"] = db.read_bytes()
    manifest = json.loads(members[bk.MANIFEST])
    for f in manifest["files"]:
        if f["path"] == "ops/ops.sqlite":
            f["bytes"], f["sha256"] = len(members[f["path"]]), hashlib.sha256(members[f["path"]]).hexdigest()
    members[bk.MANIFEST] = json.dumps(manifest).encode()
    if signature == "dropped":
        del members[bk.SIGNATURE]
    elif signature == "own key":
        own = b"attacker" * 4
        members[bk.SIGNATURE] = json.dumps(
            {"alg": "HMAC-SHA256", "key_id": bk._key_id(own), "hmac": bk._mac(own, members[bk.MANIFEST])}
        ).encode()
    out = archive.with_name(f"backdoor-{signature.replace(' ', '-')}.tar.gz")
    with tarfile.open(out, "w:gz") as dst:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
    return out


@pytest.mark.parametrize("signature", ["kept", "dropped", "own key"])
def test_an_archive_with_a_backdoor_admin_and_recomputed_checksums_is_refused(site, cli, signature):
    t = site["targets"]
    archive = bk.backup(site["tmp"] / "backups", t)
    bad = _with_backdoor(archive, signature)
    before = state(t)
    rc, said = cli("restore", str(bad))
    assert rc == 2 and "nothing restored" in said and bad.name in said
    assert state(t) == before
    assert not list(t.data_dir.glob(".restore-*")) and not (t.data_dir / bk.KEPT_ASIDE).exists()
    with ops.engine(site["ops_url"]).connect() as con:
        assert "backdoor" not in con.execute(sa.select(ops.users.c.username)).scalars().all()


def test_a_missing_or_wrong_key_is_refused_saying_where_the_key_is_expected(site, cli, monkeypatch):
    t = site["targets"]
    archive = bk.backup(site["tmp"] / "backups", t)
    (t.data_dir / "incoming" / "later.csv").write_text("a file loaded after the backup")
    before = state(t)
    missing = site["tmp"] / "elsewhere" / "backup_key"
    monkeypatch.setenv("SANYAN_BACKUP_KEY_FILE", str(missing))
    rc, said = cli("restore", str(archive))
    assert rc == 2 and "nothing restored" in said and str(missing) in said and "SANYAN_BACKUP_KEY_FILE" in said
    assert not missing.exists()  # a restore never makes a key
    other = site["tmp"] / "rotated" / "backup_key"
    bk.read_key(other, create=True)  # a key, but not the one that made the archive
    monkeypatch.setenv("SANYAN_BACKUP_KEY_FILE", str(other))
    rc, said = cli("restore", str(archive), "--check")
    assert rc == 2 and "another backup key" in said and str(other) in said
    assert state(t) == before and not (t.data_dir / bk.KEPT_ASIDE).exists()
    # the key that made it (kept after a rotation, say) restores it
    monkeypatch.setenv("SANYAN_BACKUP_KEY_FILE", str(t.key_file))
    rc, said = cli("restore", str(archive))
    assert rc == 0, said
    assert not (t.data_dir / "incoming" / "later.csv").exists() and "incoming/later.csv" in said


def test_the_key_is_made_once_private_and_never_archived(site):
    import os
    import stat

    t = site["targets"]
    assert not t.key_file.exists()
    first = bk.backup(site["tmp"] / "backups", t)
    key = t.key_file.read_bytes()
    assert stat.S_IMODE(os.stat(t.key_file).st_mode) == 0o600
    bk.backup(site["tmp"] / "more", t)
    assert t.key_file.read_bytes() == key
    with tarfile.open(first, "r:gz") as tar:
        assert all(key.strip() not in tar.extractfile(m).read() for m in tar.getmembers())
    inside = bk.Targets(t.data_dir, t.warehouse, t.ops_path, t.data_dir / "incoming" / "backup_key")
    with pytest.raises(bk.BackupError, match="SANYAN_BACKUP_KEY_FILE"):
        bk.backup(site["tmp"] / "refused", inside)


# ------------------------------------------------------------------ issue 27, points 5 and 7
def _damaged_copy(archive, damage: str):
    """`archive` cut short by its last byte, or with one bit flipped in its last 16 bytes (the
    gzip trailer: CRC32 of the data, then its length), or intact."""
    body = bytearray(archive.read_bytes())
    if damage == "cut by one byte":
        del body[-1]
    elif damage.startswith("bit flipped at -"):
        body[-int(damage.rsplit("-", 1)[1])] ^= 0x10
    out = archive.with_name(f"{damage.replace(' ', '-')}.tar.gz")
    out.write_bytes(bytes(body))
    return out


@pytest.mark.parametrize("damage", ["cut by one byte", "bit flipped at -1", "bit flipped at -6", "bit flipped at -16"])
def test_check_reads_the_whole_archive_to_its_trailer(site, cli, damage):
    """`restore --check` and `restore` read an archive to its last byte: an archive cut short by
    one byte or with a bit flipped near its end (the gzip trailer, never reached by reading the
    tar's members) is refused, named, and nothing changes; the intact archive passes."""
    t = site["targets"]
    rc, made = cli("backup", "-o", str(site["tmp"] / "backups"))
    assert rc == 0, made
    archive = next((site["tmp"] / "backups").glob("*.tar.gz"))
    rc, said = cli("restore", str(_damaged_copy(archive, "intact")), "--check")
    assert rc == 0 and "archive is sound" in said, said
    bad = _damaged_copy(archive, damage)
    before = state(t)
    rc, said = cli("restore", str(bad), "--check")
    assert rc != 0 and bad.name in said and "nothing restored" in said, said
    # a flipped bit inside the deflate data may end the stream early: "damaged" or "truncated", both refusals
    assert "truncated" in said if damage.startswith("cut") else ("damaged" in said or "truncated" in said), said
    rc, said = cli("restore", str(bad))
    assert rc != 0 and bad.name in said and "nothing restored" in said, said
    assert state(t) == before
    assert not list(t.data_dir.glob(".restore-*")) and not (t.data_dir / bk.KEPT_ASIDE).exists()


def test_restore_makes_the_ops_and_warehouse_folders_what_they_were(site, cli, monkeypatch):
    """With the default layout (ops store, backup key and session key in data/ops, the snapshot
    in data/warehouse), a file that appears in those folders after the backup is moved aside by
    the restore and named; the folders are then exactly as at backup time (the keys, never
    archived, stay where they are)."""
    t0 = site["targets"]
    ops_dir = t0.data_dir / "ops"
    ops_dir.mkdir()
    shutil.move(t0.ops_path, ops_dir / "ops.sqlite")
    t = bk.Targets(t0.data_dir, t0.warehouse, ops_dir / "ops.sqlite", ops_dir / "backup_key")
    ops_url = f"sqlite:///{t.ops_path}"
    monkeypatch.setenv("SANYAN_OPS_URL", ops_url)
    monkeypatch.setenv("SANYAN_BACKUP_KEY_FILE", str(t.key_file))
    (ops_dir / "secret_key").write_text("0" * 64)

    def folders() -> dict[str, bytes]:
        return {
            p.relative_to(t.data_dir).as_posix(): p.read_bytes()
            for d in (ops_dir, t.warehouse.parent)
            for p in d.rglob("*")
            if p.is_file()
        }

    rc, made = cli("backup", "-o", str(site["tmp"] / "backups"))
    assert rc == 0, made
    archive = next((site["tmp"] / "backups").glob("*.tar.gz"))
    at_backup = folders()
    assert {"ops/ops.sqlite", "ops/backup_key", "ops/secret_key", "warehouse/eis.duckdb"} <= set(at_backup)
    # after the backup: new files in data/ops and data/warehouse, and the ops store changes
    (ops_dir / "notes.txt").write_text("made after the backup")
    (ops_dir / "extra").mkdir()
    (ops_dir / "extra" / "deep.bin").write_bytes(b"\x00\x01")
    (t.warehouse.parent / "old-snapshot.duckdb").write_bytes(b"not a snapshot")
    ops.record_audit(ops.engine(ops_url), "login", who="after-backup")
    ops.engine(ops_url).dispose()

    rc, said = cli("restore", str(archive))
    assert rc == 0, said
    now = folders()
    assert set(now) == set(at_backup)
    # byte for byte but the ops store, which took the backup's audit row after its copy was made
    # and the restore's after the restore: its rows are the archived ones and that restore's
    assert {k: v for k, v in now.items() if k != "ops/ops.sqlite"} == {
        k: v for k, v in at_backup.items() if k != "ops/ops.sqlite"
    }
    actions = [(r["action"], r["who"]) for r in ops.audit_rows(ops.engine(ops_url))]
    assert ("login", "after-backup") not in actions and actions[-1][0] == "restore"
    kept_dir = next((t.data_dir / bk.KEPT_ASIDE).glob("restore-*"))
    assert (kept_dir / "ops" / "notes.txt").read_text() == "made after the backup"
    assert (kept_dir / "ops" / "extra" / "deep.bin").read_bytes() == b"\x00\x01"
    assert (kept_dir / "warehouse" / "old-snapshot.duckdb").read_bytes() == b"not a snapshot"
    assert str(kept_dir) in said
    for name in ("ops/notes.txt", "ops/extra/deep.bin", "warehouse/old-snapshot.duckdb", "ops/ops.sqlite"):
        assert name in said
