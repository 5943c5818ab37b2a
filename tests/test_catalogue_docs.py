"""Settings and catalogues are documented data: a missing help text, unit, source or direction fails."""

from __future__ import annotations

import duckdb

import config
from inputs import datasets as reg


def test_every_setting_has_a_name_default_and_help():
    names = [s.name for s in config.SETTINGS]
    assert len(names) == len(set(names))
    for s in config.SETTINGS:
        assert s.name.startswith("SANYAN_") and len(s.help) > 15, s


def test_every_dataset_column_is_labelled_in_thai_and_english():
    for ds in reg.DATASETS.values():
        assert ds.th and ds.en, ds.name
        assert set(ds.grain) <= set(ds.keys), ds.name
        for c in ds.columns:
            assert c.th and c.en, (ds.name, c.key)
            assert c.kind in {"text", "code", "enum", "int", "number", "year", "month", "date", "bool"}
            assert (c.kind == "code") == (c.codes is not None), (ds.name, c.key)
            assert c.codes is None or c.codes in reg.CODE_LISTS
            assert (c.kind == "enum") == bool(c.choices), (ds.name, c.key)


def test_every_kpi_in_the_demo_catalogue_has_its_passport(built_warehouse):
    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        missing = con.execute("""
            SELECT kpi_code FROM dim_kpi
            WHERE coalesce(trim(unit), '') = '' OR coalesce(trim(data_source), '') = ''
               OR direction NOT IN ('higher', 'lower', 'range') OR coalesce(trim(definition_th), '') = ''
               OR coalesce(trim(verifier), '') = '' OR coalesce(trim(data_users), '') = ''
               OR coalesce(trim(formula_th), '') = ''
               OR (direction = 'range' AND (range_low IS NULL OR range_high IS NULL))""").fetchall()
        n = con.execute("SELECT count(*) FROM dim_kpi").fetchone()[0]
    finally:
        con.close()
    assert n >= 40
    assert missing == []
