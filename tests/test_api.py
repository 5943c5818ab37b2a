"""The open-data API (web/api.py) with the Flask test client: the contract (index, dataset list and
metadata, rows with paging and filters, CSV / XLSX / GeoJSON downloads that parse back with the
same rows, search), the refusals (unknown parameter, bad value, unknown dataset, other methods,
rate limit), caching headers, and the leak test: no KPI or indicator that is not classified open
appears in any answer, for the public or for an executive, whatever the URL or query string, even
when a dataset's query forgets its code column."""

from __future__ import annotations

import csv
import io
import json
import re

import duckdb
import pytest

from tests.conftest import ORIGIN, signed_in_clients


@pytest.fixture(scope="module")
def env(built_warehouse, tmp_path_factory):
    """(make_client(role), api module, ops engine) on the demo warehouse, an ops store of this
    module's own with the sample §9 register, and no rate limit in the way."""
    mp = pytest.MonkeyPatch()
    home = tmp_path_factory.mktemp("api")
    mp.setenv("SANYAN_WAREHOUSE", str(built_warehouse))
    mp.setenv("SANYAN_OPS_URL", f"sqlite:///{home / 'ops.sqlite'}")
    mp.setenv("SANYAN_SECRET_KEY", "api-tests-" + "k" * 30)
    import ops
    from ops import portal
    from web import api

    mp.setattr(api, "RATE_LIMIT", 100_000)
    eng = ops.engine()
    portal.seed_sample(eng, api._today())
    make = signed_in_clients(eng, "a", ("executive",), clear_counters=True)
    yield make, api, eng
    mp.undo()


@pytest.fixture(scope="module")
def classes(built_warehouse):
    """Every KPI's and indicator's code, names and classification, straight from the warehouse."""
    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        kpis = con.execute("SELECT kpi_code, name_th, name_en, classification FROM dim_kpi").fetchall()
        inds = con.execute("SELECT indicator_code, name_th, name_en, classification FROM dim_indicator").fetchall()
    finally:
        con.close()
    return {"kpi": kpis, "indicator": inds}


@pytest.fixture(scope="module")
def hidden_terms(classes):
    """(codes, names) of every KPI and indicator not classified open."""
    codes, names = set(), set()
    for rows in classes.values():
        for code, th, en, cls in rows:
            if cls != "open":
                codes.add(code)
                names.update(n for n in (th, en) if n)
    return codes, names


def get_json(c, url, status=200):
    r = c.get(url)
    assert r.status_code == status, (url, r.status_code, r.get_data(as_text=True)[:500])
    assert r.mimetype == "application/json"
    return r.get_json()


def all_rows(c, name, **filters):
    qs = "&".join(f"{k}={v}" for k, v in filters.items())
    body = get_json(c, f"/api/v1/datasets/{name}/rows?limit=10000" + (f"&{qs}" if qs else ""))
    assert body["count"] == body["returned"] == len(body["results"])
    return body


# ---------------------------------------------------------------- contract
def test_index(env):
    make, api, _ = env
    c = make("public")
    r = c.get("/api/v1")
    assert r.status_code == 200 and r.mimetype == "application/json"
    raw = r.get_data().decode("utf-8")
    assert "\\u0e" not in raw and "ข้อมูลเปิด" in raw  # UTF-8 Thai, not \\u escapes
    body = r.get_json()
    assert body["version"] == "1" and body["classification"] == "open"
    assert body["license_id"] and body["license_url"].startswith("https://")
    assert body["links"]["datasets"] == "/api/v1/datasets" and set(body["datasets"]) == set(api.DATASETS)
    assert body["snapshot"] and body["limits"]["max_limit"] == 10_000
    assert r.headers["Cache-Control"].startswith("public") and r.headers["ETag"]
    assert get_json(c, "/api") == body


CKAN_FIELDS = (
    "name",
    "title",
    "notes",
    "url",
    "frequency",
    "last_update",
    "metadata_modified",
    "classification",
    "license_id",
    "license_title",
    "license_url",
    "organization",
    "source",
    "provenance",
    "num_rows",
    "resources",
    "columns",
    "filters",
    "tags",
    "snapshot",
)


def test_dataset_list_and_metadata(env):
    make, api, _ = env
    c = make("public")
    body = get_json(c, "/api/v1/datasets")
    assert body["count"] == len(body["results"]) == len(api.DATASETS) >= 8
    names = {d["name"] for d in body["results"]}
    assert {
        "kpis",
        "kpi_results",
        "indicators",
        "indicator_values",
        "population",
        "gpp_totals",
        "gpp_sectors",
        "s9_register",
    } <= names
    for d in body["results"]:
        for f in CKAN_FIELDS:
            assert f in d, (d["name"], f)
        assert d["title"]["th"] and d["title"]["en"] and d["notes"]["th"] and d["notes"]["en"]
        assert d["classification"] == "open"
        assert d["frequency"] in ("monthly", "yearly", "irregular")
        assert d["organization"]["title"]["th"] == "จังหวัดชุมพร"
        assert d["source"]["th"] and d["source"]["en"]
        assert d["last_update"] and re.match(r"\d{4}-\d\d-\d\d", d["last_update"])
        formats = {r["format"]: r["url"] for r in d["resources"]}
        assert formats["JSON"] == f"/api/v1/datasets/{d['name']}/rows"
        assert formats["CSV"] == f"/api/v1/datasets/{d['name']}.csv"
        assert formats["XLSX"] == f"/api/v1/datasets/{d['name']}.xlsx"
        assert ("GeoJSON" in formats) == api.DATASETS[d["name"]]["geo"]
        assert "provenance" in {col["name"] for col in d["columns"]}  # every output says where it came from
        assert sum(d["provenance"].values()) == d["num_rows"]
        if d["provenance"].get("sample"):
            assert d["provenance_note"]["en"]
        one = get_json(c, f"/api/v1/datasets/{d['name']}")
        assert one["name"] == d["name"] and one["num_rows"] == d["num_rows"]
        assert get_json(c, f"/api/v1/datasets/{d['name']}/rows?limit=1")["count"] == d["num_rows"]
    meta = {d["name"]: d for d in body["results"]}
    assert meta["population"]["provenance"] == {"official": meta["population"]["num_rows"]}
    assert meta["gpp_totals"]["provenance"] == {"official": meta["gpp_totals"]["num_rows"]}
    assert meta["kpi_results"]["provenance"].get("sample")  # the demo's KPI figures are sample
    assert meta["s9_register"]["currency"]["categories"] == 8


def test_dataset_list_search(env):
    make, _, _ = env
    c = make("public")
    th = get_json(c, "/api/v1/datasets?q=ประชากร")
    assert "population" in {d["name"] for d in th["results"]} and th["count"] == len(th["results"])
    en = get_json(c, "/api/v1/datasets?q=POPULATION")
    assert "population" in {d["name"] for d in en["results"]}
    assert get_json(c, "/api/v1/datasets?q=zzzzqqq")["count"] == 0


def test_rows_paging(env):
    make, _, _ = env
    c = make("public")
    whole = get_json(c, "/api/v1/datasets/kpi_results/rows?limit=20")
    assert whole["returned"] == 20 and whole["count"] > 1000 and whole["offset"] == 0
    a = get_json(c, "/api/v1/datasets/kpi_results/rows?limit=10")
    b = get_json(c, a["next"])
    assert b["offset"] == 10 and b["previous"]
    assert a["results"] + b["results"] == whole["results"]
    default = get_json(c, "/api/v1/datasets/kpi_results/rows")
    assert default["limit"] == 1000 and default["returned"] == 1000
    last = get_json(c, f"/api/v1/datasets/kpi_results/rows?offset={whole['count'] - 3}")
    assert last["returned"] == 3 and last["next"] is None
    beyond = get_json(c, f"/api/v1/datasets/kpi_results/rows?offset={whole['count'] + 5}")
    assert beyond["returned"] == 0 and beyond["count"] == whole["count"]
    every = all_rows(c, "kpi_results")
    assert every["count"] == whole["count"]
    for r in every["results"]:
        assert r["provenance"] and r["status"] in (
            "red",
            "yellow",
            "green",
            "late",
            "not_due",
            "no_data",
            "no_criteria",
        )


def test_rows_filters(env, classes):
    make, _, _ = env
    c = make("public")
    one = all_rows(c, "indicator_values", indicator="I01", year=2564)  # DOPA's registered population
    assert one["count"] == 9 and one["filters"] == {"indicator": "I01", "year": 2564}
    assert {r["indicator_code"] for r in one["results"]} == {"I01"} and {r["year_be"] for r in one["results"]} == {2564}
    assert {r["area_code"] for r in one["results"]} == {"86"} | {f"860{i}" for i in range(1, 9)}
    assert all_rows(c, "indicator_values", indicator="i01", year=2021)["results"] == one["results"]  # C.E., lower case
    assert all_rows(c, "indicator_values", indicator="I01", year="๒๕๖๔")["results"] == one["results"]  # Thai digits
    district = all_rows(c, "indicator_values", area="8601")
    assert district["count"] and {r["area_code"] for r in district["results"]} == {"8601"}
    pop = all_rows(c, "population", year=2564, area="8601")
    assert pop["count"] == 1 and pop["results"][0]["total"] > 0 and pop["results"][0]["provenance"] == "official"
    k = all_rows(c, "kpi_results", kpi="K01", year=2569)
    assert k["count"] == 9 and {r["kpi_code"] for r in k["results"]} == {"K01"}
    assert {r["fiscal_year"] for r in k["results"]} == {2569}
    ed = all_rows(c, "gpp_totals", edition="nesdc-2024")
    assert ed["count"] and {r["edition"] for r in ed["results"]} == {"nesdc-2024"}
    assert {r["provenance"] for r in all_rows(c, "gpp_totals")["results"]} == {"official"}
    s9 = all_rows(c, "s9_register", category=3)
    assert s9["count"] == 2 and {r["category"] for r in s9["results"]} == {3}
    assert all(r["provenance"] == "sample" and r["title"].startswith("ตัวอย่าง: ") for r in s9["results"])
    # the rows are bound parameters: an injection attempt is a bad value, not SQL
    assert get_json(c, "/api/v1/datasets/kpi_results/rows?kpi=K01'%20OR%20'1'='1", 400)["error"]["parameter"] == "kpi"
    open_kpis = {k for k, _th, _en, cls in classes["kpi"] if cls == "open"}
    assert {r["kpi_code"] for r in all_rows(c, "kpi_results")["results"]} <= open_kpis
    assert {r["kpi_code"] for r in all_rows(c, "kpis")["results"]} == open_kpis


def _csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _xlsx(data: bytes) -> tuple[list[tuple], list[tuple]]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True)
    return [tuple(r) for r in wb["data"].iter_rows(values_only=True)], [
        tuple(r) for r in wb["metadata"].iter_rows(values_only=True)
    ]


def test_downloads_parse_back(env):
    make, api, eng = env
    c = make("public")
    for name, d in api.DATASETS.items():
        rows = all_rows(c, name)
        r = c.get(f"/api/v1/datasets/{name}.csv")
        assert r.status_code == 200 and r.mimetype == "text/csv", name
        assert f"sanyan-86-{name}.csv" in r.headers["Content-Disposition"]
        table = _csv(r.data)
        assert table[0] == rows["fields"] and len(table) - 1 == rows["count"], name
        prov = table[0].index("provenance")
        assert all(row[prov] for row in table[1:]), name  # every row says its provenance
        r = c.get(f"/api/v1/datasets/{name}.xlsx")
        assert r.status_code == 200 and r.mimetype.endswith("spreadsheetml.sheet"), name
        data, meta = _xlsx(r.data)
        assert list(data[0]) == rows["fields"] and len(data) - 1 == rows["count"], name
        assert ("license", api.LICENCE["license_title"]) in meta
        r = c.get(f"/api/v1/datasets/{name}.geojson")
        if not d["geo"]:
            assert r.status_code == 404, name
            continue
        assert r.status_code == 200 and r.mimetype == "application/geo+json", name
        gj = json.loads(r.data)
        assert gj["type"] == "FeatureCollection"
        codes = [f["properties"]["area_code"] for f in gj["features"]]
        assert sorted(codes) == [f"860{i}" for i in range(1, 9)]  # Chumphon's eight districts
        for f in gj["features"]:
            assert f["geometry"]["type"] in ("Polygon", "MultiPolygon")
            assert f["properties"]["name_th"]
        district_rows = [x for x in rows["results"] if x["area_level"] == "district"]
        assert sum(len(f["properties"]["rows"]) for f in gj["features"]) == len(district_rows), name
    # counts: numbers come back as numbers from the workbook, and a filtered download matches rows
    filt = all_rows(c, "population", year=2564)
    data, _ = _xlsx(c.get("/api/v1/datasets/population.xlsx?year=2564").data)
    assert len(data) - 1 == filt["count"] == 9
    total = data[0].index("total")
    assert all(isinstance(row[total], int) for row in data[1:])
    gj = json.loads(c.get("/api/v1/datasets/population.geojson?year=2564").data)
    for f in gj["features"]:  # one row per district: its fields are properties too
        assert f["properties"]["year_be"] == 2564 and f["properties"]["total"] > 0
    import ops

    audits = [a for a in ops.audit_rows(eng) if a["action"] == "api.download"]
    assert audits and audits[-1]["target"] == "population.geojson" and audits[-1]["who"] == "public"


def test_geojson_rings_follow_rfc7946(env):
    import shapely

    make, _, _ = env
    gj = json.loads(make("public").get("/api/v1/datasets/indicator_values.geojson?indicator=I01&year=2564").data)
    for f in gj["features"]:
        geom = shapely.geometry.shape(f["geometry"])
        polys = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
        assert all(p.exterior.is_ccw for p in polys)  # exterior rings counter-clockwise
        assert f["properties"]["indicator_code"] == "I01" and len(f["properties"]["rows"]) == 1


def test_search(env):
    make, _, _ = env
    c = make("public")
    th = get_json(c, "/api/v1/search?q=ทุเรียน")
    assert th["count"] == len(th["results"]) and th["count"] > 0
    assert "kpi" in {r["type"] for r in th["results"]}
    assert get_json(c, "/api/v1/search?q=k๐๑")["results"][0]["code"] == "K01"  # Thai digits, any case
    assert any(
        r["type"] == "dataset" and r["code"] == "population"
        for r in get_json(c, "/api/v1/search?q=Population")["results"]
    )
    assert any(r["type"] == "s9" for r in get_json(c, "/api/v1/search?q=จัดซื้อจัดจ้าง")["results"])
    assert any(r["type"] == "indicator" for r in get_json(c, "/api/v1/search?q=unemployment")["results"])
    assert get_json(c, "/api/v1/search?q=ทุเรียน&limit=1")["returned"] == 1
    assert get_json(c, "/api/v1/search", 400)["error"]["parameter"] == "q"
    assert get_json(c, "/api/v1/search?q=" + "ก" * 101, 400)


# ---------------------------------------------------------------- refusals and headers
def test_refusals(env):
    make, _, _ = env
    c = make("public")
    for url, unknown in (
        ("/api/v1?x=1", ["x"]),
        ("/api/v1/datasets?foo=1&q=a", ["foo"]),
        ("/api/v1/datasets/kpis?fmt=csv", ["fmt"]),
        ("/api/v1/datasets/kpis/rows?year=2567", ["year"]),  # kpis has no year filter
        ("/api/v1/datasets/population.csv?limit=5", ["limit"]),
        ("/api/v1/datasets/population/rows?callback=x&zz=1", ["callback", "zz"]),
        ("/api/v1/search?q=a&lang=en", ["lang"]),
    ):
        err = get_json(c, url, 400)["error"]
        assert err["unknown"] == unknown, url
        assert all(u in err["en"] and u in err["th"] for u in unknown)
    for url, param in (
        ("/api/v1/datasets/kpi_results/rows?limit=abc", "limit"),
        ("/api/v1/datasets/kpi_results/rows?limit=0", "limit"),
        ("/api/v1/datasets/kpi_results/rows?limit=10001", "limit"),
        ("/api/v1/datasets/kpi_results/rows?offset=-1", "offset"),
        ("/api/v1/datasets/kpi_results/rows?year=25x7", "year"),
        ("/api/v1/datasets/kpi_results/rows?year=99999", "year"),
        ("/api/v1/datasets/kpi_results/rows?year=1500", "year"),
        ("/api/v1/datasets/population/rows?area=chumphon", "area"),
        ("/api/v1/datasets/s9_register/rows?category=9", "category"),
        ("/api/v1/search?q=a&limit=1000", "limit"),
    ):
        err = get_json(c, url, 400)["error"]
        assert err["parameter"] == param and err["th"] and err["en"], url
    assert "more than once" in get_json(c, "/api/v1/datasets/population/rows?year=2564&year=2563", 400)["error"]["en"]
    assert get_json(c, "/api/v1/datasets/nope", 404)["error"]["datasets"]
    get_json(c, "/api/v1/datasets/nope/rows", 404)
    get_json(c, "/api/v1/datasets/nope.csv", 404)
    get_json(c, "/api/v1/datasets/kpis.pdf", 404)
    get_json(c, "/api/v1/datasets/kpis.geojson", 404)  # not district data
    get_json(c, "/api/v1/nothing/here", 404)
    get_json(c, "/api/v1/datasets/kpi_results/rows?kpi=K99", 404)
    for method in ("post", "put", "delete", "patch"):
        r = getattr(c, method)("/api/v1/datasets", headers=ORIGIN)
        assert r.status_code == 405 and r.headers["Allow"] == "GET, HEAD", method
    assert c.post("/api/v1/datasets").status_code == 403  # cross-site: refused before the API
    assert c.head("/api/v1/datasets/kpis").status_code == 200


def test_cache_headers_and_etag(env):
    make, _, _ = env
    c = make("public")
    r = c.get("/api/v1/datasets/population/rows?year=2564")
    assert r.headers["Cache-Control"] == "public, max-age=300"
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    tag = r.headers["ETag"]
    again = c.get("/api/v1/datasets/population/rows?year=2564", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.headers["ETag"] == tag and not again.data
    assert c.get("/api/v1/datasets/population/rows?year=2563").headers["ETag"] != tag
    err = c.get("/api/v1/datasets?bad=1")
    assert err.headers["Cache-Control"] and err.headers["ETag"]
    for url in ("/api/v1", "/api/v1/datasets/kpis.csv", "/api/v1/search?q=ข้าว"):
        assert c.get(url).headers["Cache-Control"].startswith("public")


def test_rate_limit(env):
    import ops

    make, api, eng = env
    c = make("public")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(api, "RATE_LIMIT", 3)
        ops.counter_clear(eng)
        assert [c.get("/api/v1").status_code for _ in range(3)] == [200, 200, 200]
        r = c.get("/api/v1")
        assert r.status_code == 429 and r.headers["Retry-After"] and r.get_json()["error"]["th"]
    ops.counter_clear(eng)


# ---------------------------------------------------------------- leaks
def _texts(r) -> str:
    """A response's body as text; a workbook's every cell."""
    if r.mimetype.endswith("spreadsheetml.sheet"):
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(r.data), read_only=True)
        return "\n".join(
            str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None
        )
    return r.data.decode("utf-8", "replace")


def _leak_urls(api, classes) -> list[str]:
    from urllib.parse import quote

    urls = ["/api", "/api/v1", "/api/v1/datasets", "/api/v1/datasets?q=ตัวชี้วัด", "/api/v1/datasets?q=kpi"]
    for name, d in api.DATASETS.items():
        base = f"/api/v1/datasets/{name}"
        urls += [base, f"{base}/rows?limit=10000", f"{base}.csv", f"{base}.xlsx"]
        if d["geo"]:
            urls.append(f"{base}.geojson")
    hidden_kpis = [(k, th, en) for k, th, en, cls in classes["kpi"] if cls != "open"]
    hidden_inds = [(k, th, en) for k, th, en, cls in classes["indicator"] if cls != "open"]
    for code, th, en in hidden_kpis:
        th, en = quote(th), quote(en)
        urls += [
            f"/api/v1/search?q={code}",
            f"/api/v1/search?q={th}",
            f"/api/v1/search?q={en}",
            f"/api/v1/datasets/kpi_results/rows?kpi={code}",
            f"/api/v1/datasets/kpis/rows?kpi={code}",
            f"/api/v1/datasets/kpi_results.csv?kpi={code}",
            f"/api/v1/datasets/kpi_results.geojson?kpi={code}",
            f"/api/v1/datasets/kpis.xlsx?kpi={code}",
            f"/api/v1/datasets?q={th}",
        ]
    for code, th, en in hidden_inds:
        th, en = quote(th), quote(en)
        urls += [
            f"/api/v1/search?q={code}",
            f"/api/v1/search?q={th}",
            f"/api/v1/search?q={en}",
            f"/api/v1/datasets/indicator_values/rows?indicator={code}",
            f"/api/v1/datasets/indicators/rows?indicator={code}",
            f"/api/v1/datasets/indicator_values.csv?indicator={code}",
            f"/api/v1/datasets/indicator_values.xlsx?indicator={code}",
            f"/api/v1/datasets/indicator_values.geojson?indicator={code}&year=2566",
        ]
    urls += [
        "/api/v1/search?q=ร้อยละ",
        "/api/v1/search?q=จำนวน",
        "/api/v1/search?q=K",
        "/api/v1/search?q=I",
        "/api/v1/search?q=คดี",
        "/api/v1/search?q=ร้องเรียน",
        "/api/v1/search?q=โครงการ",
        "/api/v1/datasets/kpi_results/rows?year=2570&limit=10000",
        "/api/v1/datasets/indicator_values/rows?year=2566&area=8601",
    ]
    return urls


def test_no_hidden_kpi_or_indicator_anywhere(env, classes, hidden_terms):
    make, api, _ = env
    codes, names = hidden_terms
    # the demo data has what this test is about: a secret KPI, internal KPIs and internal indicators
    cls = {k: c for k, _th, _en, c in classes["kpi"]} | {k: c for k, _th, _en, c in classes["indicator"]}
    assert cls["K40"] == "secret" and cls["I24"] == "internal" and cls["I31"] == "internal"
    assert sum(1 for c in cls.values() if c == "internal") >= 3
    from web import auth

    assert auth.READS["executive"] is None  # executives see secret KPIs elsewhere in the app
    code_re = re.compile(
        "|".join(
            r"(?<![A-Za-z0-9._])" + re.escape(c) + r"(?![A-Za-z0-9]|\.[0-9])"
            for c in sorted(codes, key=len, reverse=True)
        )
    )
    urls = _leak_urls(api, classes)
    assert len(urls) > 100
    for role in ("public", "executive"):
        c = make(role)
        statuses = {}
        for url in urls:
            r = c.get(url)
            statuses[url] = r.status_code
            assert r.status_code in (200, 404), (role, url, r.status_code, r.data[:300])
            text = _texts(r)
            m = code_re.search(text)
            assert m is None, (role, url, m.group(0))
            for n in names:
                assert n not in text, (role, url, n)
        # the hidden codes answer exactly as codes that do not exist
        assert statuses["/api/v1/datasets/kpi_results/rows?kpi=K40"] == 404
        assert (
            c.get("/api/v1/datasets/kpi_results/rows?kpi=K40").data
            == c.get("/api/v1/datasets/kpi_results/rows?kpi=K99").data
        )
        assert statuses["/api/v1/datasets/indicator_values/rows?indicator=I24"] == 404


def test_guard_holds_when_a_query_forgets_its_code_column(env, hidden_terms, monkeypatch):
    """A dataset whose query lists every KPI and indicator (hidden ones too) without a kpi_code /
    indicator_code column, so db.query cannot filter it: the API still shows none of the hidden."""
    make, api, _ = env
    codes, names = hidden_terms
    leaky = dict(
        api.DATASETS["population"],
        name="leaky",
        query="api/classes",
        filters=(),
        guard=None,
        geo=False,
        year_column=None,
    )
    broken = dict(api.DATASETS["kpi_results"], name="broken", query="api/population", filters=("year", "area"))
    monkeypatch.setitem(api.DATASETS, "leaky", leaky)
    monkeypatch.setitem(api.DATASETS, "broken", broken)
    c = make("executive")
    body = get_json(c, "/api/v1/datasets/leaky/rows")
    shown = {r["code"] for r in body["results"]}
    assert shown and not shown & codes and {r["class"] for r in body["results"]} == {"open"}
    for url in (
        "/api/v1/datasets/leaky.csv",
        "/api/v1/datasets/leaky.xlsx",
        "/api/v1/datasets/leaky",
        "/api/v1/datasets",
        "/api/v1/search?q=leaky",
    ):
        r = c.get(url)
        text = _texts(r)
        assert not any(re.search(rf"(?<![A-Za-z0-9._]){re.escape(k)}(?![A-Za-z0-9]|\.[0-9])", text) for k in codes), url
        assert not any(n in text for n in names), url
    # a dataset that declares a code column its query does not have is withheld, not served
    r = c.get("/api/v1/datasets/broken/rows")
    assert r.status_code == 500 and "withheld" in r.get_json()["error"]["en"]
    assert c.get("/api/v1/datasets/broken.csv").status_code == 500


def test_guard_unit(env):
    import pandas as pd

    make, api, _ = env
    with make("public").application.test_request_context("/api/v1"):
        df = pd.DataFrame(
            {
                "kpi_code": ["K01", "K40", "K07", "K01"],
                "parent_kpi_code": [None, None, None, "K40"],
                "note": ["fine", "fine", "fine", "fine"],
            }
        )
        assert list(api._guard(df, None).index) == [0]
        df = pd.DataFrame({"text": ["ok", "see K40 here", "K40.1 too", "K401 is another", "จำนวนคดีอาญาที่รับแจ้ง"]})
        assert list(api._guard(df, None)["text"]) == ["ok", "K40.1 too", "K401 is another"]  # other codes
        with pytest.raises(api.ApiError):
            api._check_body('{"x": "I24"}', "test")


def test_raw_utf8_query_string(env):
    """``curl "...?q=ประชากร"`` sends the Thai as raw UTF-8 bytes, which the development server hands
    on as Latin-1 text (what this environ reproduces): the API decodes it again, so it finds the same
    as the percent-encoded form."""
    make, _, _ = env
    c = make("public")
    mojibake = "ประชากร".encode().decode("latin-1")
    raw = ("q=" + mojibake).encode("utf-8").decode("latin-1")
    r = c.get("/api/v1/datasets", environ_overrides={"QUERY_STRING": raw})
    assert r.status_code == 200
    assert [d["name"] for d in r.get_json()["results"]] == ["population"]
