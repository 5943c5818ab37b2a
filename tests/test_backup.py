"""Backup -> wipe -> restore gives the same warehouse (every table, row for row) and the same ops
rows; a damaged, truncated or altered archive is refused and nothing is restored."""
from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile

import duckdb
import pytest

from etl import backup as bk
from etl import ops
from etl.build import build
from tests.conftest import make_data_dir
from tests.test_etl_build import small_inputs, write_csv


def table_digests(wh) -> dict[str, str]:
    con = duckdb.connect(str(wh), read_only=True)
    try:
        out = {}
        for (name,) in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall():
            rows = con.execute(f'SELECT CAST(COLUMNS(*) AS VARCHAR) FROM "{name}"').fetchall()  # names from the catalogue
            out[name] = hashlib.sha256(repr(sorted(map(repr, rows))).encode()).hexdigest()
        return out
    finally:
        con.close()


@pytest.fixture
def site(tmp_path):
    data = make_data_dir(tmp_path / "data", sample=False)
    small_inputs(data / "sample")
    write_csv(data / "incoming" / "kpi_actuals" / "20261101T000000Z_aaaaaaaaaaaa_oct.csv",
              ["kpi_code", "fiscal_year", "month", "area_code", "value"], [["K01", "2570", "10", "8601", "9"]])
    ops_url = f"sqlite:///{tmp_path / 'ops' / 'ops.sqlite'}"
    wh = data / "warehouse" / "eis.duckdb"
    eng = ops.engine(ops_url)
    ops.record_load(eng, file_name="oct.csv", dataset="kpi_actuals", sha256="a" * 64, rows=1, result="accepted")
    ops.record_audit(eng, "login", who="somchai")
    build(data_dir=data, warehouse=wh, ops_url=ops_url)
    eng.dispose()
    return {"targets": bk.Targets(data, wh, tmp_path / "ops" / "ops.sqlite"), "ops_url": ops_url,
            "tmp": tmp_path, "data": data, "wh": wh}


def test_backup_wipe_restore_is_identical(site):
    t = site["targets"]
    before_tables = table_digests(t.warehouse)
    before_ops = (ops.lineage_rows(ops.engine(site["ops_url"])), ops.audit_rows(ops.engine(site["ops_url"])))
    incoming = (t.data_dir / "incoming").rglob("*.csv")
    before_files = {p.name: p.read_bytes() for p in incoming}
    archive = bk.backup(site["tmp"] / "backups", t)
    manifest = bk.verify(archive)
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
    assert not list(t.data_dir.glob(".restore-*"))


def test_retention_keeps_the_newest(site):
    from datetime import datetime, timedelta, timezone
    t = site["targets"]
    start = datetime(2026, 11, 1, tzinfo=timezone.utc)
    for day in range(4):
        bk.backup(site["tmp"] / "kept", t, keep=2, now=start + timedelta(days=day))
    names = sorted(p.name for p in (site["tmp"] / "kept").glob("*.tar.gz"))
    assert names == ["sanyan-backup-20261103T000000Z.tar.gz", "sanyan-backup-20261104T000000Z.tar.gz"]


def test_cli_backup_and_check(site):
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT
    env = {**os.environ, "SANYAN_DATA_DIR": str(site["data"]), "SANYAN_WAREHOUSE": str(site["wh"]),
           "SANYAN_OPS_URL": site["ops_url"], "SANYAN_USER": "admin-test", "COLUMNS": "200"}
    run = lambda *a: subprocess.run([sys.executable, "-m", "etl", *a], cwd=ROOT, env=env,  # noqa: E731
                                    capture_output=True, text=True, timeout=300)
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
    elsewhere = bk.Targets(t.data_dir, t.warehouse, None)
    archive = bk.backup(site["tmp"] / "backups", targets=elsewhere)
    manifest = bk.verify(archive)
    paths = [f["path"] for f in manifest["files"]]
    assert "warehouse/eis.duckdb" in paths and not any(p.startswith("ops/") for p in paths)
    assert "pg_dump" in manifest["ops_store"]
    assert bk.restore(archive, targets=elsewhere)["snapshot"] == manifest["snapshot"]
