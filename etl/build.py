"""``python -m etl build``: every input in data/ -> a NEW DuckDB file -> checks -> atomic swap.

All or nothing: any parse error or any row returned by a check leaves the current snapshot
untouched (the new file is deleted; a build killed before it could delete its files leaves them,
and the next build removes them first). Readers holding the old snapshot keep reading it: the
swap is ``os.replace`` of a fully written, closed file, and an open file survives its unlink.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import re
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

import ops
from config import ROOT, settings, views_path
from etl.geo import GeoError, load_geo_cached
from etl.official import NESDC_2024, NESDC_OLD, official_indicator_catalogue, read_official, read_reference
from etl.rollup import build_node_scores
from inputs import datasets as reg
from inputs import parsing
from inputs.parsing import Issue, parse_file
from ops import gdc
from ops.entry import approved_frame
from ops.records import approved_files

SQL_DIR = ROOT / "etl" / "sql"
ENTRIES_CSV = "approved_entries.csv"  # beside the warehouse while a build runs: the figures approved on the web
log = logging.getLogger("sanyan.build")
TABULAR = (".csv", ".xlsx")
# Catalogues first, in this order: their codes are the code lists of everything parsed after
# them (indicators name topic groups, so topic groups come before indicators).
CATALOGUES = ("strategy_nodes", "kpis", "topic_groups", "indicators")

# Datasets that are not in the template registry, described for meta_dataset.
OFFICIAL_DATASETS = (
    (
        "geography",
        "ขอบเขตการปกครอง (จังหวัด อำเภอ ตำบล)",
        "Administrative boundaries",
        "RTSD 2022-01-21 (HDX COD-AB)",
        "กรมแผนที่ทหาร ผ่าน OCHA/HDX COD-AB Thailand",
        "Royal Thai Survey Department via OCHA/HDX COD-AB",
    ),
    (
        "gpp_official",
        "ผลิตภัณฑ์มวลรวมจังหวัด (ยอดรวม ราคาประจำปี; รายสาขา ราคาประจำปีและปริมาณลูกโซ่ ฉบับ 2563)",
        "Gross provincial product (totals at current prices; by section, current prices and chain volume, 2020 edition)",
        f"{NESDC_2024}; {NESDC_OLD} (1995-2020 by section)",
        "สำนักงานสภาพัฒนาการเศรษฐกิจและสังคมแห่งชาติ (สศช.)",
        "NESDC",
    ),
    (
        "population",
        "ประชากร (ทะเบียนราษฎร และประชากรที่ สศช. ใช้)",
        "Population (DOPA registration; NESDC denominator)",
        "DOPA 1966-2021; NESDC 2024",
        "กรมการปกครอง (สถิติทะเบียนราษฎร) และ สศช.",
        "DOPA registration statistics and NESDC",
    ),
    (
        "indicators_official",
        "ตัวชี้วัดฐานข้อมูลจังหวัดจากแหล่งทางการ (ระดับจังหวัด)",
        "Provincial database indicators from official sources (province level)",
        "HAI 2015-2021; MOTS 2019-2022; BOI 2015-2022 (phat-ap/econvis, CC0 1.0)",
        "สศช. (ดัชนีความก้าวหน้าของคน) กระทรวงการท่องเที่ยวและกีฬา และสำนักงานคณะกรรมการส่งเสริมการลงทุน",
        "NESDC (Human Achievement Index), Ministry of Tourism and Sports, Board of Investment",
    ),
)


class BuildError(Exception):
    """A build that did not swap. ``issues`` are parse errors, ``failures`` failed checks."""

    def __init__(
        self, message: str, issues: list[Issue] | None = None, failures: list[tuple[str, pd.DataFrame]] | None = None
    ):
        super().__init__(message)
        self.issues = issues or []
        self.failures = failures or []


# the build's steps, each announced through ``progress`` (official files, boundaries, parsing, raw
# tables, staging, marts, checks; and the views made ahead when settings.prerender): the length of
# ``etl build --brief``'s progress bar
BUILD_STEPS = 7


@dataclass
class BuildResult:
    warehouse: Path
    version: str
    seconds: float
    tables: dict[str, int] = field(default_factory=dict)
    superseded: dict[str, int] = field(default_factory=dict)  # dataset -> rows replaced by a later file
    # the fiscal years before this one were carried over from the previous snapshot (KPI_STATUS's
    # yearly tables); None: a full build (docs/RULES.md section 13)
    carried_before: int | None = None


@dataclass
class InputFile:
    dataset: str
    path: Path
    origin: str  # sample / incoming


def sha256(path: Path) -> str:
    """The file's SHA-256, read once per build (the version and the file list both ask; a
    national file is 600 MB): kept under the file's size and modification time."""
    st = Path(path).stat()
    return _sha256(str(path), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=256)
def _sha256(path: str, _mtime_ns: int, _size: int) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@contextmanager
def build_lock(warehouse: Path):
    """One build at a time per warehouse (a second waits)."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with open(warehouse.parent / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def temp_path(warehouse: Path) -> Path:
    """The new snapshot while a build writes it, beside `warehouse`; DuckDB and the build name
    more things after it (``.wal``, ``.entered/``, DuckDB's spill folder ``.tmp/``)."""
    return warehouse.parent / f".{warehouse.name}.{os.getpid()}.{time.time_ns()}.tmp"


def remove_leftovers(warehouse: Path) -> tuple[int, int]:
    """Remove what killed builds of `warehouse` left beside it: everything named after a
    ``temp_path``, the approved-entries file and a half-written boundary cache; never the
    snapshot itself. Call it with the build lock held: a build still running holds that lock (the
    kernel releases a killed one's), so none of these belongs to a running build. Returns how
    many files and folders were removed and their bytes."""
    folder = warehouse.parent
    mine = re.compile(rf"\.{re.escape(warehouse.name)}\.\d+\.\d+\.tmp")
    found = sorted(p for p in folder.iterdir() if mine.match(p.name))
    found += [p for p in (folder / ENTRIES_CSV,) if p.exists()]
    found += sorted((folder / ".cache").glob("geo-*.tmp"))  # etl/geo.py writes the cache there, then renames
    removed = nbytes = 0
    for p in found:
        if p.is_dir() and not p.is_symlink():
            nbytes += sum(f.lstat().st_size for f in p.rglob("*") if not f.is_dir())
            shutil.rmtree(p)
        else:
            nbytes += p.lstat().st_size
            p.unlink()
        removed += 1
    if removed:
        log.warning(
            "ลบไฟล์ที่ค้างจากการสร้างคลังข้อมูลที่ถูกหยุดกลางคัน %d รายการ (%s ไบต์) ใน %s / "
            "removed %d leftover(s) of interrupted builds (%s bytes) in %s",
            removed,
            f"{nbytes:,}",
            folder,
            removed,
            f"{nbytes:,}",
            folder,
        )
    return removed, nbytes


def input_files(data_dir: Path, extra: list[InputFile] = ()) -> list[InputFile]:
    files = []
    for name in reg.DATASETS:
        for p in sorted((data_dir / "sample").glob(f"{name}.*")):
            if p.suffix.lower() in TABULAR:
                files.append(InputFile(name, p, "sample"))
        inc = data_dir / "incoming" / name
        if inc.is_dir():
            files += [InputFile(name, p, "incoming") for p in sorted(inc.iterdir()) if p.suffix.lower() in TABULAR]
    return files + list(extra)


def _codes(df: pd.DataFrame, code: str, label: str) -> dict[str, str]:
    return dict(zip(df[code].astype(str), df[label].astype(str)))


def base_code_lists(frames: dict[str, pd.DataFrame], seeds: dict[str, pd.DataFrame]) -> dict[str, dict]:
    prov = _codes(frames["raw_ref_province"], "tis1099_code", "name_th")
    dist = _codes(frames["raw_ref_district"], "tis1099_district_code", "name_th")
    sub = _codes(frames["raw_ref_subdistrict"], "tis1099_subdistrict_code", "name_th")
    return {
        "province": prov,
        "district": dist,
        "area": {**prov, **dist, **sub},
        "gpp_sector": _codes(seeds["raw_seed_gpp_sector"], "sector_code", "name_th"),
        "disaster_type": _codes(seeds["raw_seed_disaster_type"], "code", "name_th"),
        **official_indicator_lists(frames.get("raw_official_indicators")),
    }


def official_indicator_lists(cat: pd.DataFrame | None) -> dict[str, dict]:
    """The official indicators' codes and units (etl/official.py), which no catalogue file lists."""
    if cat is None:
        return {}
    units = cat["unit"].where(~cat["is_percent"].astype(bool), "%")
    return {
        "indicator": _codes(cat, "indicator_code", "name_th"),
        "indicator_unit": dict(zip(cat["indicator_code"], units)),
    }


def merge_code_lists(base: dict[str, dict], catalogue: dict[str, dict]) -> dict[str, dict]:
    """The catalogues' code lists over the base lists; indicator codes and units are both, an
    official indicator's over a catalogue row of the same code (as dim_indicator decides)."""
    out = {**base, **catalogue}
    for key in ("indicator", "indicator_unit"):
        out[key] = {**catalogue.get(key, {}), **base.get(key, {})}
    return out


def catalogue_code_lists(parsed: dict[str, pd.DataFrame]) -> dict[str, dict]:
    lists: dict[str, dict] = {}
    nodes = parsed.get("strategy_nodes")
    if nodes is not None:
        lists["node"] = _codes(nodes, "node_code", "name_th")
        proj = nodes[nodes["node_type"] == "project"]
        lists["project"] = _codes(proj, "node_code", "name_th")
    for ds, lst, code in (
        ("kpis", "kpi", "kpi_code"),
        ("topic_groups", "topic_group", "group_code"),
        ("indicators", "indicator", "indicator_code"),
    ):
        if parsed.get(ds) is not None:
            lists[lst] = _codes(parsed[ds], code, "name_th")
    if parsed.get("kpis") is not None:  # units, for the measure rule (inputs.parsing.measure_problem)
        lists["kpi_unit"] = _codes(parsed["kpis"], "kpi_code", "unit")
    if parsed.get("indicators") is not None:  # '%' where marked is_percent, as dim_indicator decides
        ind = parsed["indicators"]
        lists["indicator_unit"] = _codes(
            ind.assign(unit=ind["unit"].where(~ind["is_percent"].fillna(False), "%")), "indicator_code", "unit"
        )
    return lists


def _empty_frame(name: str) -> pd.DataFrame:
    ds = reg.DATASETS[name]
    kinds = {
        "int": "Int64",
        "year": "Int64",
        "month": "Int64",
        "number": "Float64",
        "bool": "boolean",
        "date": "datetime64[s]",
    }
    cols = {c.key: pd.Series([], dtype=kinds.get(c.kind, "string")) for c in ds.columns}
    cols["_file"] = pd.Series([], dtype="string")
    cols["_row"] = pd.Series([], dtype="Int64")
    return pd.DataFrame(cols)


def parse_inputs(files: list[InputFile], base_lists: dict) -> tuple[dict[str, pd.DataFrame], list[Issue]]:
    """Parse every file with the same code as an officer's upload, into pandas frames; collect
    every error. The build itself loads through ``load_inputs``; this serves the catalogues' code
    lists of a snapshot already built (``current_code_lists``)."""
    issues: list[Issue] = []
    parsed: dict[str, list[pd.DataFrame]] = {}

    def run(group):
        lists = merge_code_lists(
            base_lists, catalogue_code_lists({k: pd.concat(v) for k, v in parsed.items() if v and k in CATALOGUES})
        )
        for f in group:
            res = parse_file(f.path, dataset=f.dataset, code_lists=lists)
            issues.extend(res.errors)
            parsed.setdefault(f.dataset, []).append(
                res.frame.assign(_file=f"{f.origin}/{f.path.name}", _origin=f.origin)
            )

    for name in CATALOGUES:
        run([f for f in files if f.dataset == name])
    run([f for f in files if f.dataset not in CATALOGUES])
    frames = {}
    for name in reg.DATASETS:
        parts = parsed.get(name) or []
        frames[name] = pd.concat(parts, ignore_index=True) if parts else _empty_frame(name)
        if "_origin" not in frames[name]:
            frames[name]["_origin"] = pd.Series([], dtype="string")
    return frames, issues


PARSED = "parsed"  # under the build's cache folder: big files parsed by an earlier build


@lru_cache(maxsize=1)
def _parser_fingerprint() -> str:
    """What a parse depends on besides the file and the code lists: the parser's own code (every
    module of inputs/) and the DuckDB that typed its table. Any change: every key is new."""
    h = hashlib.sha256(duckdb.__version__.encode())
    for path in sorted((ROOT / "inputs").glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _parse_key(f: InputFile, lists: dict) -> str:
    """The key of a file's parse: its bytes, its dataset, the code lists its codes were checked
    against, the parser (``_parser_fingerprint``)."""
    import json

    h = hashlib.sha256(_parser_fingerprint().encode())
    h.update(f"{f.dataset}\0{sha256(f.path)}\0".encode())
    h.update(json.dumps(lists, sort_keys=True, default=str, ensure_ascii=False).encode())
    return h.hexdigest()[:32]


def _cached_parse(con, table: str, path: Path) -> bool:
    """``table`` in ``con`` from an earlier build's parse kept at ``path`` (a DuckDB file: the
    types are the table's own, row for row in the file's order); False when there is none or it
    cannot be read (then the file is parsed again)."""
    if not path.is_file():
        return False
    try:
        con.execute("ATTACH $p AS _parsed (READ_ONLY)", {"p": str(path)})
    except duckdb.Error:
        path.unlink(missing_ok=True)  # damaged: parsed again below and written anew
        return False
    try:
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM _parsed.t")  # table: a name made by load_inputs
        return True
    except duckdb.Error:
        return False
    finally:
        con.execute("DETACH _parsed")


def _keep_parse(con, table: str, path: Path) -> None:
    """Keep ``table`` of ``con`` at ``path`` for the next build (written aside, then renamed: a
    build reading the cache never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        con.execute("ATTACH $p AS _keep", {"p": str(tmp)})
        try:
            con.execute(f"CREATE TABLE _keep.t AS SELECT * FROM {table}")  # table: a name made by load_inputs
        finally:
            con.execute("DETACH _keep")
        tmp.replace(path)
    except (duckdb.Error, OSError) as e:  # a cache that cannot be written costs the next build a parse, nothing more
        log.warning("parse not kept for the next build: %s", e)
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)


def load_inputs(
    con: duckdb.DuckDBPyConnection, files: list[InputFile], base_lists: dict, cache: Path | None = None
) -> tuple[dict[str, int], list[Issue]]:
    """Parse every file (the same code as an officer's upload) into ``raw_<dataset>`` tables of
    the build's database `con`, one row per grain (``supersede``); collect every error. A big
    clean CSV goes from the file straight into a table (inputs.parsing.parse_file(into=...)):
    a national file is never a pandas frame. Returns the rows replaced per dataset and the issues.

    ``cache``: a folder where such a file's table is kept, keyed by the file's bytes, the code
    lists and the parser (``_parse_key``); the next build whose key is the same takes the table
    instead of parsing the file again (an approval: the national files did not change). Only a
    clean parse is kept; keys no build used this time are removed."""
    issues: list[Issue] = []
    parts: dict[str, list[tuple[str, str, str]]] = {}  # dataset -> (table, file label, origin), load order
    catalogues: dict[str, list[pd.DataFrame]] = {}
    used: set[Path] = set()

    def run(group):
        lists = merge_code_lists(base_lists, catalogue_code_lists({k: pd.concat(v) for k, v in catalogues.items()}))
        for f in group:
            table = f"_part_{sum(len(v) for v in parts.values())}"
            straight = f.dataset not in CATALOGUES  # a catalogue's codes are read here, in pandas
            kept = None
            if (
                cache is not None
                and straight
                and f.path.suffix.lower() == ".csv"
                and f.path.stat().st_size >= parsing.FAST_MIN_BYTES
            ):
                kept = cache / PARSED / f"{_parse_key(f, lists)}.duckdb"
                used.add(kept)
            if kept is not None and _cached_parse(con, table, kept):
                parts.setdefault(f.dataset, []).append((table, f"{f.origin}/{f.path.name}", f.origin))
                continue
            res = parse_file(f.path, dataset=f.dataset, code_lists=lists, into=(con, table) if straight else None)
            issues.extend(res.errors)
            if res.table is None:
                _write_table(con, table, res.frame)
                if not straight:
                    catalogues.setdefault(f.dataset, []).append(res.frame)
            elif kept is not None and not res.errors:
                _keep_parse(con, table, kept)
            parts.setdefault(f.dataset, []).append((table, f"{f.origin}/{f.path.name}", f.origin))

    for name in CATALOGUES:
        run([f for f in files if f.dataset == name])
    run([f for f in files if f.dataset not in CATALOGUES])
    superseded = {}
    for name, ds in reg.DATASETS.items():
        if issues:
            break
        if name not in parts:
            _write_table(con, f"raw_{name}", _empty_frame(name).assign(_origin=pd.Series([], dtype="string")))
            superseded[name] = 0
            continue
        superseded[name] = supersede(con, name, ds, parts[name])
    for group in parts.values():
        for table, _label, _origin in group:
            con.execute(f"DROP TABLE IF EXISTS {table}")  # names made above
    if cache is not None and not issues:
        _prune_parses(cache / PARSED, used)
    return superseded, issues


def _prune_parses(folder: Path, used: set[Path], keep: int = 16, days: float = 1) -> None:
    """Bound the kept parses: the ones this build used are marked fresh; of the others, those
    unused for ``days`` go, and beyond ``keep`` files the least recently used (builds of other
    data folders may share a cache folder: their parses are not removed at once)."""
    now = time.time()
    for path in used:
        if path.is_file():
            os.utime(path, (now, now))
    files = []
    for path in folder.glob("*.duckdb"):
        try:
            files.append((path.stat().st_mtime, path))
        except OSError:
            continue  # removed meanwhile by another build
    files.sort(reverse=True)
    for i, (mtime, path) in enumerate(files):
        if path not in used and (i >= keep or now - mtime > days * 86400):
            path.unlink(missing_ok=True)


def supersede(con: duckdb.DuckDBPyConnection, name: str, ds: reg.Dataset, parts: list[tuple[str, str, str]]) -> int:
    """``raw_<name>`` from the parsed `parts` (table, file label, origin): one row per grain. An
    office's file replaces sample rows with the same key (or, for a dataset with a
    ``replace_scope``, every sample row of the same scope), a later load replaces an earlier one,
    and a figure approved on the web (origin ``entry``) replaces a file's (incoming files are
    named ``<UTC stamp>_<sha>_<name>``, so their names sort by load time); rows keep the order of
    the files and of their lines. Duplicates inside one file never get here: the parser rejects
    them. Returns how many rows were replaced. Every name in the SQL comes from the registry."""
    params: dict = {}
    selects = []
    for i, (table, label, origin) in enumerate(parts):
        params[f"f{i}"], params[f"o{i}"] = label, origin
        labelled = f"SELECT *, CAST($f{i} AS VARCHAR) AS _file, CAST($o{i} AS VARCHAR) AS _origin"
        if len(parts) == 1:  # one file: the parser has refused duplicates on the grain, nothing is replaced
            con.execute(f"ALTER TABLE {table} RENAME TO raw_{name}")  # not copied: a national file is 4.7 M rows
            con.execute(f"ALTER TABLE raw_{name} ADD COLUMN _file VARCHAR")
            con.execute(f"ALTER TABLE raw_{name} ADD COLUMN _origin VARCHAR")
            con.execute(f"UPDATE raw_{name} SET _file = $f0, _origin = $o0", params)  # bound, not formatted
            return 0
        selects.append(f"{labelled}, {i} AS _part, rowid AS _line FROM {table}")
    scope = list(ds.extra.get("replace_scope", ()))
    scoped = "SELECT * FROM u"
    if scope:  # incoming rows replace every sample row of their scope (a missing value matches a missing one)
        same = " AND ".join(f"i.{k} IS NOT DISTINCT FROM u.{k}" for k in scope)
        scoped += (
            f" WHERE NOT (u._origin = 'sample' AND EXISTS (SELECT 1 FROM u i WHERE i._origin <> 'sample' AND {same}))"
        )
    grain = ", ".join(ds.grain)
    con.execute(
        f"""CREATE TABLE raw_{name} AS
        WITH u AS ({" UNION ALL BY NAME ".join(selects)}),
        s AS ({scoped}),
        ranked AS (
            SELECT *, row_number() OVER (
                PARTITION BY {grain}
                ORDER BY CASE _origin WHEN 'sample' THEN 0 WHEN 'entry' THEN 2 ELSE 1 END DESC,
                         _file DESC, _part DESC, _line DESC) AS _keep
            FROM s)
        SELECT * EXCLUDE (_part, _line, _keep) FROM ranked WHERE _keep = 1 ORDER BY _part, _line""",
        params,
    )
    total = sum(con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t, _l, _o in parts)
    return total - con.execute(f"SELECT count(*) FROM raw_{name}").fetchall()[0][0]


def read_seeds(data_dir: Path) -> dict[str, pd.DataFrame]:
    seeds = data_dir / "seeds"
    return {
        "raw_seed_gpp_sector": pd.read_csv(seeds / "gpp_sectors.csv", dtype=str, keep_default_na=False),
        "raw_seed_disaster_type": pd.read_csv(seeds / "disaster_types.csv", dtype=str, keep_default_na=False),
        "raw_seed_rule": pd.read_csv(seeds / "cockpit_rules.csv", dtype=str, keep_default_na=False),
        # the publishers' release calendars: when a yearly official series is late (docs/RULES.md
        # section 7); a data folder made before the calendar existed reads the one shipped with the code
        "raw_seed_release_calendar": pd.read_csv(
            next(p for p in (seeds, ROOT / "data" / "seeds") if (p / "release_calendar.csv").exists())
            / "release_calendar.csv",
            dtype=str,
            keep_default_na=False,
        ),
        # units that count whole things (/entry takes whole numbers, dim_kpi.is_count); a data
        # folder made before the list existed reads the one shipped with the code
        "raw_seed_count_unit": pd.read_csv(
            next(p for p in (seeds, ROOT / "data" / "seeds") if (p / "count_units.csv").exists()) / "count_units.csv",
            dtype=str,
            keep_default_na=False,
        ),
        # the unit that keeps a dataset naming no KPI, indicator or project (disasters, GPP by
        # sector): the unit rule of ops/scope.py (docs/RULES.md section 12); an older data folder
        # reads the shipped list
        "raw_seed_dataset_keeper": pd.read_csv(
            next(p for p in (seeds, ROOT / "data" / "seeds") if (p / "dataset_keepers.csv").exists())
            / "dataset_keepers.csv",
            dtype=str,
            keep_default_na=False,
        ),
        # the English name of every other unit (ร้อยละ percent, ไร่ rai…): with count_units.csv, every
        # unit a catalogue uses has one (check unit_names); an older data folder reads the shipped list
        "raw_seed_unit": pd.read_csv(
            next(p for p in (seeds, ROOT / "data" / "seeds") if (p / "units.csv").exists()) / "units.csv",
            dtype=str,
            keep_default_na=False,
        ),
        # the thai_gdc metadata of every open dataset (GD-Catalog, web/catalog.py; docs/CATALOG.md),
        # with its line in the file (_row) for check gdc_datasets; an older data folder reads the shipped file
        "raw_seed_gdc_dataset": _gdc_frame(
            pd.read_csv(
                next(p for p in (seeds, ROOT / "data" / "seeds") if (p / "gdc_datasets.csv").exists())
                / "gdc_datasets.csv",
                dtype=str,
                keep_default_na=False,
            )
        ),
    }


# the columns of data/seeds/gdc_datasets.csv: the name and every field ops/gdc.py knows (a column
# missing from the file is read as empty, so that check gdc_datasets names it for every row rather
# than the build failing on a missing column)
GDC_COLUMNS = ("name", *gdc.FIELDS)


def _gdc_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The seed with every column of ``GDC_COLUMNS`` and ``_row``, each row's line in the file
    (the header is line 1)."""
    out = df.reindex(columns=list(GDC_COLUMNS), fill_value="")
    return out.assign(_row=range(2, len(out) + 2))


def sql_files(layer: str) -> list[Path]:
    return sorted((SQL_DIR / layer).glob("*.sql"))


def run_checks(con: duckdb.DuckDBPyConnection) -> list[tuple[str, pd.DataFrame]]:
    failures = []
    for path in sql_files("checks"):
        df = con.execute(path.read_text(encoding="utf-8")).df()
        if len(df):
            failures.append((path.stem, df))
    return failures


def _write_table(con, name: str, df: pd.DataFrame) -> None:
    con.register("_frame", df)
    con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM _frame')  # name from fixed maps
    con.unregister("_frame")


def _meta_frames(
    files: list[InputFile],
    con: duckdb.DuckDBPyConnection,
    lineage: list[dict],
    version: str,
    built_at: datetime,
    as_of: date | None = None,
) -> dict[str, pd.DataFrame]:
    """The build's own tables: the datasets' registry, rows per dataset and provenance (read from
    the ``raw_`` tables already in `con`), the files, the load history and the snapshot."""
    registry = pd.DataFrame(
        [(d.name, d.th, d.en, None, None, None) for d in reg.DATASETS.values()]
        + [(n, th, en, edition, src_th, src_en) for n, th, en, edition, src_th, src_en in OFFICIAL_DATASETS],
        columns=["dataset", "name_th", "name_en", "edition", "source_th", "source_en"],
    )
    counts = pd.DataFrame(
        [
            (name, prov, int(n), sources)
            for name in reg.DATASETS  # table names from the registry
            for prov, n, sources in con.execute(
                f"""SELECT coalesce(provenance, 'entered') AS p, count(*),
                           nullif(array_to_string(list_sort(list_distinct(list(CAST(source_ref AS VARCHAR))))[1:3],
                                  '; '), '')
                    FROM raw_{name} GROUP BY p ORDER BY p"""
            ).fetchall()
        ],
        columns=["dataset", "provenance", "rows", "sources"],
    )
    rows = {
        (name, label): n
        for name in {f.dataset for f in files}
        for label, n in con.execute(f"SELECT _file, count(*) FROM raw_{name} GROUP BY _file").fetchall()
    }
    files_df = pd.DataFrame(
        [
            (
                f.dataset,
                f.origin,
                f"{f.origin}/{f.path.name}",
                sha256(f.path),
                int(rows.get((f.dataset, f"{f.origin}/{f.path.name}"), 0)),
                datetime.fromtimestamp(f.path.stat().st_mtime, UTC),
            )
            for f in files
        ],
        columns=["dataset", "origin", "file_name", "sha256", "rows", "modified_at"],
    )
    loads = pd.DataFrame(lineage, columns=[c.name for c in ops.load_lineage.columns])
    loads["loaded_at"] = pd.to_datetime(loads["loaded_at"], utc=True)
    loads = loads.astype({c: "string" for c in loads.columns if c not in ("load_id", "rows", "loaded_at")})
    as_of = as_of or settings.as_of or (built_at + timedelta(hours=7)).date()  # today in Thailand (UTC+7)
    snap = pd.DataFrame(
        [{"version": version, "built_at": built_at, "as_of": pd.Timestamp(as_of), "province_code": settings.province}]
    )
    return {
        "raw_dataset_registry": registry,
        "raw_dataset_counts": counts,
        "raw_build_files": files_df,
        "raw_load_lineage": loads,
        "raw_snapshot": snap,
    }


def _version(files: list[InputFile], built_at: datetime) -> str:
    h = hashlib.sha256()
    for f in sorted(files, key=lambda f: str(f.path)):
        h.update(f.path.name.encode())
        h.update(sha256(f.path).encode())
    return built_at.strftime("%Y%m%d-%H%M%S-") + h.hexdigest()[:8]


def build(
    data_dir: Path | None = None,
    warehouse: Path | None = None,
    *,
    extra: list[InputFile] = (),
    ops_url: str | None = None,
    progress=None,
    as_of: date | None = None,
    only_if_wanted: bool = False,
    full: bool = False,
) -> BuildResult | None:
    """Build a new snapshot; swap it in only when every check passes. `as_of` is the date the
    cockpit judges lateness and the fiscal year to date by (default: today in Thailand).

    Every build takes the builds wanted by approvals (``ops.build_requests``) before it reads the
    ops store, and marks them done once its snapshot is swapped in. `only_if_wanted`: return None
    at once (nothing built) when none is wanted once the build lock is held (the app at start,
    etl/refresh.resume_soon: a second worker waiting on the lock then finds the first did it).

    Incremental (docs/RULES.md section 13): the KPI rules' yearly tables of the fiscal years whose
    inputs did not change, and that were settled at both snapshots' as-of dates, are carried over
    from the snapshot being served (``carry_from``); ``full`` computes every year (the same tables,
    tests/test_build_incremental.py)."""
    data_dir = Path(data_dir or settings.data_dir)
    warehouse = Path(warehouse or settings.warehouse)
    step = progress or (lambda _msg: None)
    t0 = time.perf_counter()
    with build_lock(warehouse):
        remove_leftovers(warehouse)  # of builds killed before their cleanup ran (kill -9, power cut)
        eng = ops.engine(ops_url)
        wanted = ops.take_builds(eng)  # before the ops store is read: these approvals are in this build
        if only_if_wanted and wanted is None:
            return None
        tmp = temp_path(warehouse)
        entries_csv = warehouse.parent / ENTRIES_CSV
        entered_dir = Path(str(tmp) + ".entered")
        try:
            step("อ่านข้อมูลทางการ / official files")
            frames = read_official(data_dir / "official")
            seeds = read_seeds(data_dir)
            step("อ่านขอบเขตการปกครอง / boundaries")
            cache = settings.cache_dir or warehouse.parent / ".cache"
            try:
                areas, shapes = load_geo_cached(data_dir / "geo", cache)
            except GeoError as e:  # names the file and the feature; nothing is swapped
                raise BuildError(f"boundaries: {e}") from e
            step("ตรวจไฟล์ข้อมูล / parsing tabular files")
            files = input_files(data_dir, extra)
            entered = approved_frame(eng)
            if not entered.empty:  # figures approved on the web (ops/entry.py), as one more file
                entered.to_csv(entries_csv, index=False)
                files.append(InputFile("kpi_actuals", entries_csv, "entry"))
            entered_dir.mkdir(exist_ok=True)  # rows of the other templates approved on the web (ops/records.py)
            files += [InputFile(name, path, "entry") for name, path in approved_files(eng, entered_dir)]
            con = duckdb.connect(str(tmp))
            try:
                if settings.build_memory:  # checked against a fixed pattern (config.checked_memory)
                    con.execute(f"SET memory_limit = '{settings.build_memory}'")
                superseded, issues = load_inputs(con, files, base_code_lists(frames, seeds), cache)
                if issues:
                    raise BuildError(f"{len(issues)} error(s) in input files", issues=issues)
                built_at = datetime.now(UTC).replace(microsecond=0)
                version = _version(files, built_at)
                lineage = ops.lineage_rows(ops.engine(ops_url))
                step("โหลดข้อมูลดิบ / raw tables")
                raw = {
                    **frames,
                    **seeds,
                    "raw_geo_area": areas,
                    "raw_geo_shape": shapes,
                    **_meta_frames(files, con, lineage, version, built_at, as_of),
                }
                for name in list(raw):
                    _write_table(con, name, raw.pop(name))
                start = None
                for layer in ("staging", "marts"):
                    step(f"{layer}")
                    for path in sql_files(layer):
                        if path.name == KPI_STATUS:
                            kpi_inputs(con)
                            start = None if full else carry_from(con, warehouse)
                            run_kpi_status(con, path.read_text(encoding="utf-8"), start)
                            continue
                        con.execute(path.read_text(encoding="utf-8"))
                build_node_scores(con)
                step("ตรวจสอบ / checks")
                failures = run_checks(con)
                if failures:
                    raise BuildError(
                        f"{len(failures)} check(s) failed: " + ", ".join(n for n, _ in failures), failures=failures
                    )
                changes = _changes(con, warehouse)  # against the snapshot being served, before it goes
                seconds = time.perf_counter() - t0
                con.execute("UPDATE meta_snapshot SET build_seconds = $s", {"s": round(seconds, 3)})
                for name in [
                    r[0]
                    for r in con.execute(
                        "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'raw\\_%' ESCAPE '\\'"
                    ).fetchall()
                ]:
                    con.execute(f'DROP TABLE "{name}"')  # raw tables are the build's scratch
                tables = dict(
                    con.execute("SELECT table_name, estimated_size FROM duckdb_tables() ORDER BY table_name").fetchall()
                )
                con.execute("CHECKPOINT")
            finally:
                con.close()
            with open(tmp, "rb") as f:
                os.fsync(f.fileno())
            views = None
            if settings.prerender:
                step("เตรียมหน้าไว้ล่วงหน้า / the views made ahead")
                views = prerender(tmp, warehouse)
            os.replace(tmp, warehouse)
            if views is None:  # no answers for this snapshot: never another snapshot's
                views_path(warehouse).unlink(missing_ok=True)
            ops.builds_done(eng, wanted)
            _record_events(eng, changes, version)
            _queue_warnings(eng, warehouse, version, as_of)
            return BuildResult(
                warehouse, version, time.perf_counter() - t0, tables, {k: v for k, v in superseded.items() if v}, start
            )
        finally:
            for leftover in (tmp, Path(str(tmp) + ".wal"), entries_csv, Path(str(tmp) + ".views")):
                if leftover.exists():
                    leftover.unlink()
            shutil.rmtree(entered_dir, ignore_errors=True)


def prerender(tmp: Path, warehouse: Path) -> Path | None:
    """Make the cached views' answers on the new snapshot ``tmp`` before it is swapped in
    (prerender.py, in a process of its own: the build does not import the web side) and put
    them beside ``warehouse``; their path, or None when they could not be made (the workers then
    warm as before: a reader waits, nothing is wrong)."""
    out = views_path(warehouse)
    made = Path(str(tmp) + ".views")
    try:
        done = subprocess.run(
            [sys.executable, "-m", "prerender", str(tmp), str(made)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
    except subprocess.TimeoutExpired:
        log.warning("ไม่ได้เตรียมหน้าล่วงหน้า / the views were not made ahead: timed out")
        made.unlink(missing_ok=True)
        return None
    if done.returncode != 0 or not made.is_file():
        log.warning("ไม่ได้เตรียมหน้าล่วงหน้า / the views were not made ahead: %s", done.stderr.strip()[-2000:])
        made.unlink(missing_ok=True)
        return None
    os.replace(made, out)  # before the snapshot: a worker that finds the new one finds its answers
    return out


# ---------------------------------------------------------------- incremental build (RULES section 13)
KPI_STATUS = "kpi_status.sql"
# kpi_status.sql's tables computed fiscal year by fiscal year (each reads only its own year's inputs,
# or for the projection the earlier years' shares); fct_kpi_round and fct_kpi_judged are made
# whole at every build (the current round is the latest year's)
CARRIED = (
    "int_kpi_area_actual",
    "int_kpi_reporters",
    "int_kpi_point",
    "fct_kpi_status",
    "int_kpi_share",
    "fct_kpi_projection",
    "fct_kpi_leading_warning",
    "fct_agreement_score",
)
# what the yearly tables read, beside the year's own rows: any change makes the build full
KPI_GLOBAL_INPUTS = ("dim_kpi", "dim_district", "stg_seed__rule", "bridge_kpi_leading")
KPI_YEARLY_INPUTS = ("fct_kpi_actual", "fct_kpi_target", "dim_kpi_criteria")


def kpi_inputs(con) -> None:
    """``meta_kpi_inputs``: a fingerprint of what kpi_status.sql reads, per fiscal year (the year's
    actuals, targets and criteria: rows and a hash of every row) and once for what every year reads
    (fiscal_year NULL: the catalogue, districts, rules, leading links, the province, the SQL and
    the DuckDB that runs it). The next build compares its own with it (``carry_from``)."""
    code = hashlib.sha256(duckdb.__version__.encode())
    for name in ("_macros.sql", KPI_STATUS):
        code.update((SQL_DIR / "marts" / name).read_bytes())
    parts = [
        f"SELECT CAST(NULL AS INTEGER) AS fiscal_year, '{t}' AS part, count(*) AS n, "
        f"bit_xor(hash(t)) AS h, sum(hash(t) >> 32) AS s FROM {t} t"
        for t in KPI_GLOBAL_INPUTS
    ] + [
        f"SELECT CAST(fiscal_year AS INTEGER), '{t}', count(*), bit_xor(hash(t)), sum(hash(t) >> 32) "
        f"FROM {t} t GROUP BY fiscal_year"
        for t in KPI_YEARLY_INPUTS
    ]  # names: the fixed tuples above
    con.execute(
        "CREATE TABLE meta_kpi_inputs AS "
        + " UNION ALL ".join(parts)
        + " UNION ALL SELECT NULL, 'code:' || $code, 0, 0, 0"
        + " UNION ALL SELECT NULL, 'province:' || province_code, 0, 0, 0 FROM raw_snapshot"
        + " ORDER BY ALL",
        {"code": code.hexdigest()},
    )


def carry_from(con, served: Path) -> int | None:
    """The first fiscal year kpi_status.sql must compute when the snapshot ``served`` can give the
    years before it; None: a full build. A year is carried only when (RULES section 13) what every
    year reads is the same, the year's own inputs are the same, and it was settled at both
    snapshots' as-of dates (its last month due, period end + grace, before both): every year from
    the first one that is not is computed, and the later years too (the projection of a year reads
    the earlier years). ``con`` holds the new build's ``meta_kpi_inputs``."""
    if not served.exists():
        return None
    try:
        con.execute("ATTACH $p AS carried (READ_ONLY)", {"p": str(served)})
    except duckdb.Error as e:
        log.warning("full build: the served snapshot cannot be read: %s", e)
        return None
    start = None
    try:
        start = _first_computed(con)
    finally:
        if start is None:
            con.execute("DETACH carried")  # kept attached only for run_kpi_status to carry from
    return start


def _first_computed(con) -> int | None:
    """``carry_from``'s comparison, the served snapshot attached as ``carried``."""
    try:
        have = {
            r[0]
            for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'carried'").fetchall()
        }
        if not {"meta_kpi_inputs", "meta_snapshot", *CARRIED} <= have:
            return None  # an older layout: nothing to compare with
        same_global = con.execute(
            """SELECT count(*) = 0 FROM (
                   (SELECT * FROM meta_kpi_inputs WHERE fiscal_year IS NULL
                    EXCEPT SELECT * FROM carried.meta_kpi_inputs WHERE fiscal_year IS NULL)
                   UNION ALL
                   (SELECT * FROM carried.meta_kpi_inputs WHERE fiscal_year IS NULL
                    EXCEPT SELECT * FROM meta_kpi_inputs WHERE fiscal_year IS NULL))"""
        ).fetchone()[0]
        if not same_global:
            return None
        first = con.execute(
            """WITH grace AS (SELECT CAST(value AS INTEGER) AS days FROM stg_seed__rule WHERE rule = 'report_grace_days'),
               as_of_both AS (SELECT least((SELECT CAST(as_of AS DATE) FROM raw_snapshot),
                                     (SELECT CAST(as_of AS DATE) FROM carried.meta_snapshot)) AS d),
               years AS (SELECT fiscal_year FROM meta_kpi_inputs WHERE fiscal_year IS NOT NULL
                         UNION SELECT fiscal_year FROM carried.meta_kpi_inputs WHERE fiscal_year IS NOT NULL),
               changed AS (
                   (SELECT * FROM meta_kpi_inputs WHERE fiscal_year IS NOT NULL
                    EXCEPT SELECT * FROM carried.meta_kpi_inputs WHERE fiscal_year IS NOT NULL)
                   UNION ALL
                   (SELECT * FROM carried.meta_kpi_inputs WHERE fiscal_year IS NOT NULL
                    EXCEPT SELECT * FROM meta_kpi_inputs WHERE fiscal_year IS NOT NULL))
               SELECT min(y.fiscal_year), (SELECT min(fiscal_year) FROM years) FROM years y
               WHERE y.fiscal_year IN (SELECT fiscal_year FROM changed)
                  OR fiscal_period_end(y.fiscal_year, 9) + (SELECT days FROM grace) >= (SELECT d FROM as_of_both)"""
        ).fetchone()
    except duckdb.Error as e:
        log.warning("full build: the served snapshot could not be compared: %s", e)
        return None
    start, earliest = first
    if start is None or earliest is None or start <= earliest:
        return None  # nothing before the first year to compute: a full build
    return int(start)


def run_kpi_status(con, text: str, start: int | None) -> None:
    """kpi_status.sql: whole (``start`` None), or from fiscal year ``start`` with the earlier
    years' rows of every yearly table taken from the snapshot attached as ``carried`` (by
    ``carry_from``), put before the computed ones (the order a full build stores them in)."""
    if start is None:
        con.execute(text)
        return
    con.execute(f"SET VARIABLE kpi_status_from = {int(start)}")
    try:
        for statement in con.extract_statements(text):
            con.execute(statement)
            made = re.match(r"\s*CREATE\s+TABLE\s+(\w+)", statement.query, re.IGNORECASE)
            name = made.group(1) if made else None
            if name in CARRIED:  # names from the fixed tuple
                con.execute(f"ALTER TABLE {name} RENAME TO _computed_{name}")
                con.execute(f"CREATE TABLE {name} AS SELECT * FROM carried.{name} WHERE fiscal_year < {int(start)}")
                con.execute(f"INSERT INTO {name} SELECT * FROM _computed_{name}")
                con.execute(f"DROP TABLE _computed_{name}")
    finally:
        con.execute("RESET VARIABLE kpi_status_from")
        con.execute("DETACH carried")


def _changes(con, served: Path):
    """The changes of state the new snapshot (``con``) brings against the one being served
    (etl/sql/events/changes.sql); None when there is none to compare with, or it cannot be read
    (an older layout): then no event is made, and the build goes on."""
    if not served.exists():
        return None
    try:
        con.execute("ATTACH $p AS prev (READ_ONLY)", {"p": str(served)})
        try:
            return con.execute((SQL_DIR / "events" / "changes.sql").read_text(encoding="utf-8")).df()
        finally:
            con.execute("DETACH prev")
    except duckdb.Error as e:
        log.warning("ไม่ได้เทียบกับคลังข้อมูลเดิม ไม่มีเหตุการณ์เตือน / no events: the served snapshot could not be compared: %s", e)
        return None


def _queue_warnings(eng, warehouse: Path, version: str, as_of: date | None) -> None:
    """After the swap: the directives now overdue become events, and every event not yet sent out
    is put in the outbox (etl/notify.py). As with the events, a failure here is logged and the next
    build or ``python -m etl notify`` does it; the snapshot is live either way."""
    from etl import notify

    try:
        notify.after_build(eng, warehouse, version, as_of)
    except Exception as e:  # noqa: BLE001
        log.warning("จัดคิวแจ้งเตือนไม่สำเร็จ / warnings not queued: %s", e)


def _record_events(eng, changes, version: str) -> None:
    """Record the changes as events once the new snapshot is live (ops/events.py); a store that
    fails here does not undo a good build: it is logged, and the next build compares again."""
    if changes is None or changes.empty:
        return
    from ops import events

    try:
        n = events.record(eng, changes, version)
    except Exception as e:  # noqa: BLE001  (whatever the store raised: the snapshot is already live)
        log.warning("บันทึกเหตุการณ์เตือนไม่สำเร็จ / events not recorded: %s", e)
        return
    if n:
        log.info("เหตุการณ์เตือนใหม่ %d รายการ / %d new event(s)", n, n)


def current_code_lists(warehouse: Path, data_dir: Path) -> dict[str, dict[str, str]]:
    """Code lists for validating or templating a file: from the current snapshot when there is
    one, otherwise from the inputs in data/ (the official tables, seeds and catalogues)."""
    warehouse, data_dir = Path(warehouse), Path(data_dir)
    if warehouse.exists():
        con = duckdb.connect(str(warehouse), read_only=True)
        try:

            def rows(sql):
                return dict(con.execute(sql).fetchall())

            return {
                "province": rows("SELECT province_code, name_th FROM dim_province"),
                "district": rows("SELECT district_code, name_th FROM dim_district"),
                "area": rows("SELECT area_code, name_th FROM dim_area"),
                "gpp_sector": rows("SELECT DISTINCT sector_code, name_th FROM dim_gpp_sector"),
                "disaster_type": rows("SELECT disaster_type, name_th FROM dim_disaster_type"),
                "node": rows("SELECT node_code, name_th FROM dim_strategy_node"),
                "project": rows("SELECT node_code, name_th FROM dim_strategy_node WHERE node_type = 'project'"),
                "kpi": rows("SELECT kpi_code, name_th FROM dim_kpi"),
                "topic_group": rows("SELECT group_code, name_th FROM dim_topic_group"),
                "indicator": rows("SELECT indicator_code, name_th FROM dim_indicator"),
                "kpi_unit": rows("SELECT kpi_code, unit FROM dim_kpi"),
                "indicator_unit": rows(
                    "SELECT indicator_code, CASE WHEN is_percent THEN '%' ELSE unit END FROM dim_indicator"
                ),
            }
        finally:
            con.close()
    lists = base_code_lists(
        {**read_reference(data_dir / "official"), "raw_official_indicators": official_indicator_catalogue()},
        read_seeds(data_dir),
    )
    cats = [f for f in input_files(data_dir) if f.dataset in CATALOGUES]
    parsed, _issues = parse_inputs(cats, lists)
    return merge_code_lists(lists, catalogue_code_lists({k: v for k, v in parsed.items() if k in CATALOGUES}))


# ---------------------------------------------------------------- a dry run for `etl validate`
# What a failed check means, for the checks whose rows carry no reason of their own.
CHECK_TEXT = {
    "agreement_weights": (
        "น้ำหนักตัวชี้วัดในคำรับรองของปีงบประมาณรวมไม่เท่ากับ 100",
        "the agreement weights of a fiscal year do not sum to 100",
    ),
    "geography_complete": ("รหัสพื้นที่กับขอบเขตการปกครองไม่ตรงกัน", "area codes and boundaries do not match"),
    "known_codes": ("ไม่พบรหัสนี้ในตารางรหัส", "unknown code"),
    "kpi_targets_present": (
        "ตัวชี้วัดที่มีผลการดำเนินงานต้องมีค่าเป้าหมายและเกณฑ์ 5 ระดับของปีงบประมาณนั้น",
        "a KPI with results needs a target and five-level criteria for that fiscal year",
    ),
    "population_consistency": ("ประชากรรายอำเภอรวมไม่เท่ากับยอดจังหวัด", "district populations do not sum to the province"),
    "unit_names": (
        "หน่วยนับนี้ไม่มีชื่อภาษาอังกฤษ: เพิ่มแถวใน data/seeds/units.csv (unit,name_en)",
        "this unit has no English name: add a row to data/seeds/units.csv (unit,name_en)",
    ),
    "unique_grain": ("แถวซ้ำกันบนคีย์ของตาราง", "duplicate rows on the table's key"),
}


def check_issues(failures: list[tuple[str, pd.DataFrame]], files: dict[str, str]) -> list[Issue]:
    """Failed checks as issues naming file, row and column (its machine key, a header every
    template accepts) where the check's rows carry them (columns ``file``, ``row``,
    ``column_name``, ``value``, ``reason``, ``reason_th``). `files` maps a build's file name
    (``incoming/<stored name>``) to the name to show; a row of no file is shown under the first
    of them, with the check's name and its values."""
    out = []
    for name, df in failures:
        th0, en0 = CHECK_TEXT.get(name, (name, name))
        for rec in df.to_dict("records"):

            def get(key, rec=rec):
                v = rec.get(key)
                return None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else v

            where = {"file", "row", "column_name", "value", "reason", "reason_th"}
            rest = ", ".join(f"{k}={v}" for k, v in rec.items() if k not in where and get(k) is not None)
            file = files.get(get("file"), get("file")) or next(iter(files.values()))
            row = int(get("row")) if get("row") is not None else None
            column = get("column_name")
            en = get("reason") or en0
            th = get("reason_th") or th0
            if rest:
                th, en = f"{th} ({rest})", f"{en} ({rest})"
            out.append(
                Issue(
                    str(file),
                    None,
                    row,
                    column,
                    None if get("value") is None else str(get("value")),
                    f"{th} [ตรวจ {name}]",
                    f"{en} [check {name}]",
                )
            )
    return out


def dry_run(
    path: Path, dataset: str, *, data_dir: Path | None = None, warehouse: Path | None = None, ops_url: str | None = None
) -> list[Issue]:
    """Everything ``etl load`` would find in `path` beyond its own rules: a whole build with the
    file added as the newest incoming file (named as ``load`` stores it), into a temporary folder;
    the live snapshot, data/incoming and the load history are not touched (the boundary cache is
    copied, not shared). Returns the issues, empty when a load would build."""
    import tempfile

    data_dir = Path(data_dir or settings.data_dir)
    warehouse = Path(warehouse or settings.warehouse)
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="sanyan-dry-run-") as tmp:
        tmp = Path(tmp)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        copy = tmp / "incoming" / f"{stamp}_{sha256(path)[:12]}_{path.name}"
        copy.parent.mkdir()
        shutil.copyfile(path, copy)
        cache = tmp / "warehouse" / ".cache"
        cache.mkdir(parents=True)
        for f in (warehouse.parent / ".cache").glob("geo-*.pkl"):
            shutil.copyfile(f, cache / f.name)
        try:
            build(
                data_dir,
                tmp / "warehouse" / "eis.duckdb",
                extra=[InputFile(dataset, copy, "incoming")],
                ops_url=ops_url,
            )
        except BuildError as e:
            shown = {f"incoming/{copy.name}": path.name}
            issues = [
                Issue(
                    path.name if i.file == copy.name else i.file,
                    i.sheet,
                    i.row,
                    i.column,
                    i.value,
                    i.reason_th,
                    i.reason_en,
                )
                for i in e.issues
            ]
            issues += check_issues(e.failures, shown)
            if not issues:
                issues.append(
                    Issue(path.name, None, None, None, None, f"สร้างคลังข้อมูลไม่สำเร็จ: {e}", f"the build fails: {e}")
                )
            return issues
    return []
