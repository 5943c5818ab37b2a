"""GD-Catalog harvest (issue 28): the real app on a local port, harvested as a provincial CKAN would
(ckanapi's RemoteCKAN: package_list, package_show for every id, package_search) and read as DCAT
(rdflib: /catalog.ttl, /catalog.jsonld, /dataset/<id>.*); every thai_gdc field the schema requires
is filled for every open dataset; nothing but open data is listed, for anyone, even when the
snapshot holds catalogue metadata for an internal dataset; no request leaves 127.0.0.1; the build
refuses a seed with a missing row or field, naming file, row and column."""

from __future__ import annotations

import json
import re
import shutil
import threading
from datetime import date
from urllib.parse import urlsplit

import duckdb
import pytest
import requests

from tests.conftest import ORIGIN, ROOT, app_on_a_copy, make_data_dir, router_body, signed_in_clients

HIDDEN_ROW = "kpi_actuals"  # an internal dataset given a catalogue row in the snapshot: never served


class LocalOnly(requests.Session):
    """A session that refuses (and records) any request not to 127.0.0.1."""

    def __init__(self):
        super().__init__()
        self.hosts: set[str] = set()

    def request(self, method, url, *args, **kwargs):
        host = urlsplit(url).hostname
        self.hosts.add(host)
        assert host == "127.0.0.1", f"a request left 127.0.0.1: {url}"
        return super().request(method, url, *args, **kwargs)


@pytest.fixture(scope="module")
def live(built_warehouse, tmp_path_factory):
    """The app (werkzeug, threaded) on a free port of 127.0.0.1 with SANYAN_PUBLIC_URL its own
    address, on a copy of the demo warehouse whose dim_gdc_dataset also holds a row for an
    internal dataset and one naming a hidden KPI, an ops store with the sample §9 register, and no
    rate limit in the way."""
    from werkzeug.serving import make_server

    home = tmp_path_factory.mktemp("gdc")
    with app_on_a_copy(built_warehouse, home, "gdc") as mp:
        con = duckdb.connect(str(home / "eis.duckdb"))
        try:
            hidden = con.execute("SELECT kpi_code FROM dim_kpi WHERE classification <> 'open' ORDER BY 1").fetchall()
            con.execute(
                "INSERT INTO dim_gdc_dataset SELECT * REPLACE ($n AS name) FROM dim_gdc_dataset WHERE name = 'kpis'",
                {"n": HIDDEN_ROW},
            )
            if hidden:
                con.execute(
                    "INSERT INTO dim_gdc_dataset SELECT * REPLACE ($n AS name) FROM dim_gdc_dataset WHERE name = 'kpis'",
                    {"n": hidden[0][0]},
                )
        finally:
            con.close()
        import app
        import ops
        from ops import portal
        from web import api, catalog

        mp.setattr(api, "RATE_LIMIT", 100_000)
        mp.setattr(catalog, "RATE_LIMIT", 100_000)
        eng = ops.engine()
        portal.seed_sample(eng, date.today())
        srv = make_server("127.0.0.1", 0, app.server, threaded=True)
        url = f"http://127.0.0.1:{srv.server_port}"
        mp.setenv("SANYAN_PUBLIC_URL", url)
        t = threading.Thread(target=srv.serve_forever, daemon=True)
        t.start()
        try:
            yield {"url": url, "eng": eng, "hidden_kpis": [h[0] for h in hidden], "catalog": catalog, "api": api}
        finally:
            srv.shutdown()
            t.join(5)


@pytest.fixture(scope="module")
def harvest(live):
    """What a CKAN harvester reads: the list, every package, the search."""
    import ckanapi

    session = LocalOnly()
    ckan = ckanapi.RemoteCKAN(live["url"], get_only=True, user_agent="sanyan-tests", session=session)
    names = ckan.action.package_list()
    packages = {n: ckan.action.package_show(id=n) for n in names}
    search = ckan.action.package_search(q="*:*", rows=1000)
    return {"ckan": ckan, "session": session, "names": names, "packages": packages, "search": search}


# ---------------------------------------------------------------- CKAN Action API, harvested
def test_package_list_is_the_open_datasets_and_nothing_else(live, harvest):
    api = live["api"]
    assert harvest["names"] == [n for n in api.DATASETS]  # every open dataset, in the API's order
    assert HIDDEN_ROW not in harvest["names"]
    assert not set(live["hidden_kpis"]) & set(harvest["names"])


def test_every_package_has_every_required_thai_gdc_field(live, harvest):
    catalog = live["catalog"]
    assert harvest["packages"]
    assert len({p["title"] for p in harvest["packages"].values()}) == len(harvest["packages"])
    for name, pkg in harvest["packages"].items():
        assert pkg["name"] == name and re.fullmatch(r"[0-9a-f-]{36}", pkg["id"])
        for field in catalog.REQUIRED:
            value = pkg.get(field)
            assert value not in (None, "", []), (name, field)
            if isinstance(value, list):
                assert all(str(v).strip() for v in value), (name, field)
        assert pkg["data_category"] == "ข้อมูลสาธารณะ"
        assert pkg["allow_harvest"] in ("True", "False")
        assert re.fullmatch(r"25\d\d|24\d\d|26\d\d", pkg["first_year_of_data"])
        assert pkg["title_en"] and pkg["title_translated"]["th"] == pkg["title"]
        assert "ชุมพร" in pkg["title"] and "Chumphon" in pkg["title_en"]  # unique in a catalogue of provinces
        assert pkg["organization"]["name"].startswith("province-") and pkg["owner_org"] == pkg["organization"]["id"]
        assert pkg["metadata_created"] and pkg["metadata_modified"]
        assert pkg["tags"] and all(t["name"] for t in pkg["tags"])
        assert pkg["extras"] == []  # scheming: the fields are top-level
        formats = {r["format"] for r in pkg["resources"]}
        assert {"CSV", "JSON"} <= formats, name
        for r in pkg["resources"]:
            assert r["url"].startswith(live["url"] + "/api/v1/datasets/" + name), r["url"]
            assert r["name"] and r["package_id"] == pkg["id"]


def test_package_show_by_id_and_the_downloads_it_links_answer(harvest):
    ckan, session = harvest["ckan"], harvest["session"]
    for name, pkg in harvest["packages"].items():
        assert ckan.action.package_show(id=pkg["id"])["name"] == name
        csv_url = next(r["url"] for r in pkg["resources"] if r["format"] == "CSV")
        r = session.get(csv_url, timeout=30)
        assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv"), csv_url
    assert session.hosts == {"127.0.0.1"}


def test_package_search_finds_all_and_pages_and_filters(live, harvest):
    ckan = harvest["ckan"]
    search = harvest["search"]
    assert search["count"] == len(harvest["names"]) == len(search["results"])
    assert {p["name"] for p in search["results"]} == set(harvest["names"])
    first = ckan.action.package_search(rows=3, start=0, sort="name asc")
    second = ckan.action.package_search(rows=3, start=3, sort="name asc")
    assert first["count"] == search["count"]
    assert [p["name"] for p in first["results"] + second["results"]] == sorted(harvest["names"])[:6]
    assert [p["name"] for p in ckan.action.package_search(q="ประชากร")["results"]] == ["population"]
    # the CKAN harvester's incremental gather
    since = ckan.action.package_search(fq="metadata_modified:[2000-01-01T00:00:00.000Z TO *]", rows=100)
    assert since["count"] == search["count"]
    assert ckan.action.package_search(fq="metadata_modified:[2999-01-01T00:00:00Z TO *]")["count"] == 0
    org = harvest["packages"]["kpis"]["organization"]["name"]
    assert ckan.action.package_search(fq=f"organization:{org}", rows=100)["count"] == search["count"]
    assert ckan.action.package_search(fq="-organization:" + org)["count"] == 0
    assert ckan.action.package_search(fq="groups:s9-3", rows=100)["count"] >= 1
    assert ckan.action.package_search(fq=f"name:{HIDDEN_ROW}")["count"] == 0


def test_status_organization_and_groups(live, harvest):
    ckan = harvest["ckan"]
    status = ckan.action.status_show()
    assert status["site_url"] == live["url"] and status["ckan_version"]
    orgs = ckan.action.organization_list()
    assert len(orgs) == 1
    full = ckan.action.organization_list(all_fields=True)[0]
    assert full["name"] == orgs[0] and full["package_count"] == len(harvest["names"])
    assert ckan.action.organization_show(id=orgs[0])["title"].startswith("จังหวัด")
    groups = ckan.action.group_list()
    assert groups == [f"s9-{i}" for i in range(1, 9)]
    s9 = ckan.action.group_show(id="s9-3")
    assert s9["packages"] and s9["data_category"] == ["ข้อมูลสาธารณะ"]
    assert HIDDEN_ROW not in s9["packages"]


def test_errors_have_ckans_shape(live, harvest):
    import ckanapi

    ckan = harvest["ckan"]
    for bad in ("no_such_dataset", HIDDEN_ROW, *live["hidden_kpis"][:3]):
        with pytest.raises(ckanapi.NotFound):
            ckan.action.package_show(id=bad)
        r = requests.get(f"{live['url']}/api/3/action/package_show", params={"id": bad}, timeout=10)
        assert r.status_code == 404
        body = r.json()
        assert body["success"] is False and body["error"]["__type"] == "Not Found Error" and body["help"]
    with pytest.raises(ckanapi.ValidationError):
        ckan.action.package_show()
    r = requests.get(f"{live['url']}/api/3/action/package_search", params={"rows": "x"}, timeout=10)
    assert r.status_code == 409 and r.json()["error"]["__type"] == "Validation Error"
    r = requests.get(f"{live['url']}/api/3/action/package_create", timeout=10)
    assert r.status_code == 400 and r.json()["success"] is False


def test_only_get_and_head(live):
    url = f"{live['url']}/api/3/action/package_list"
    assert requests.head(url, timeout=10).status_code == 200
    assert requests.post(url, json={}, timeout=10).status_code == 403  # cross-site: refused by web/auth.py
    r = requests.post(url, json={}, headers={"Origin": live["url"]}, timeout=10)
    assert r.status_code == 405 and r.headers["Allow"] == "GET, HEAD" and r.json()["success"] is False
    for path in ("/catalog.ttl", "/dataset/kpis.jsonld"):
        assert requests.delete(live["url"] + path, headers={"Origin": live["url"]}, timeout=10).status_code == 405


def test_links_come_from_the_setting_never_the_host_header(live):
    r = requests.get(
        f"{live['url']}/api/3/action/package_show", params={"id": "kpis"}, headers={"Host": "evil.example"}, timeout=10
    )
    assert r.status_code == 200
    assert "evil.example" not in r.text
    ttl = requests.get(f"{live['url']}/catalog.ttl", headers={"Host": "evil.example"}, timeout=10)
    assert ttl.status_code == 200 and "evil.example" not in ttl.text


# ---------------------------------------------------------------- DCAT
def _dcat(live, path: str, fmt: str):
    from rdflib import Graph

    r = requests.get(live["url"] + path, timeout=30)
    assert r.status_code == 200, (path, r.status_code, r.text[:300])
    g = Graph()
    g.parse(data=r.text, format=fmt)
    return r, g


@pytest.mark.parametrize(
    "path,fmt,mime", [("/catalog.ttl", "turtle", "text/turtle"), ("/catalog.jsonld", "json-ld", "application/ld+json")]
)
def test_the_catalogue_is_dcat_with_every_open_dataset(live, harvest, path, fmt, mime):
    from rdflib import Literal, URIRef
    from rdflib.namespace import DCAT, DCTERMS, RDF

    r, g = _dcat(live, path, fmt)
    assert r.headers["Content-Type"].split(";")[0] == mime
    datasets = set(g.subjects(RDF.type, DCAT.Dataset))
    assert datasets == {URIRef(f"{live['url']}/dataset/{n}") for n in harvest["names"]}
    catalogs = list(g.subjects(RDF.type, DCAT.Catalog))
    assert len(catalogs) == 1 and set(g.objects(catalogs[0], DCAT.dataset)) == datasets
    gdc = live["catalog"].GDC_IRI
    for ds in datasets:
        titles = {t.language for t in g.objects(ds, DCTERMS.title)}
        assert {"th", "en"} <= titles, ds
        assert g.value(ds, DCTERMS.publisher) is not None
        assert g.value(ds, DCTERMS.license) is not None
        assert g.value(ds, DCTERMS.accrualPeriodicity) is not None
        assert g.value(ds, DCTERMS.spatial) is not None and g.value(ds, DCTERMS.identifier) is not None
        assert g.value(ds, DCTERMS.issued) is not None and g.value(ds, DCTERMS.modified) is not None
        period = g.value(ds, DCTERMS.temporal)
        assert period is not None and g.value(period, DCAT.startDate) is not None
        contact = g.value(ds, DCAT.contactPoint)
        assert contact is not None and str(
            g.value(contact, URIRef("http://www.w3.org/2006/vcard/ns#hasEmail"))
        ).startswith("mailto:")
        assert list(g.objects(ds, DCAT.keyword))
        dists = list(g.objects(ds, DCAT.distribution))
        assert dists, ds
        for d in dists:
            assert (d, RDF.type, DCAT.Distribution) in g
            assert str(g.value(d, DCAT.downloadURL)).startswith(live["url"] + "/api/v1/datasets/")
        assert g.value(ds, URIRef(gdc + "data_category")) == Literal("ข้อมูลสาธารณะ")
        assert g.value(ds, URIRef(gdc + "data_type")) is not None


@pytest.mark.parametrize("ext,fmt", [("ttl", "turtle"), ("jsonld", "json-ld"), ("xml", "xml")])
def test_each_dataset_has_its_own_dcat_document_and_a_closed_one_is_404(live, harvest, ext, fmt):
    from rdflib import URIRef
    from rdflib.namespace import DCAT, RDF

    for name in harvest["names"]:
        _r, g = _dcat(live, f"/dataset/{name}.{ext}", fmt)
        assert set(g.subjects(RDF.type, DCAT.Dataset)) == {URIRef(f"{live['url']}/dataset/{name}")}
    for bad in ("no_such_dataset", HIDDEN_ROW, *live["hidden_kpis"][:3]):
        r = requests.get(f"{live['url']}/dataset/{bad}.{ext}", timeout=10)
        assert r.status_code == 404, (bad, ext)


def test_no_hidden_kpi_or_indicator_in_anything_the_catalogue_serves(live, harvest):
    """Every body (the search of all, each package, the DCAT documents) scanned for the codes and
    names of every KPI and indicator not classified open."""
    from web import api

    h = api.hidden()
    assert h.codes, "the demo has hidden KPIs"
    bodies = [requests.get(f"{live['url']}/api/3/action/package_search?rows=1000", timeout=30).text]
    bodies += [
        requests.get(live["url"] + p, timeout=30).text for p in ("/catalog.ttl", "/catalog.jsonld", "/catalog.xml")
    ]
    bodies += [
        requests.get(f"{live['url']}/api/3/action/{a}", timeout=10).text
        for a in ("group_list?all_fields=true", "organization_show?id=province-86&include_datasets=true")
    ]
    for text in bodies:
        assert h.found(text) is None, h.found(text)
    for code in live["hidden_kpis"][:3]:  # a hidden code typed into the address is never echoed
        for path in (
            f"/api/3/action/{code}",
            f"/api/3/action/package_show?id={code}",
            f"/api/3/action/package_search?fq={code}:x",
            f"/api/3/action/package_search?q={code}",
            f"/api/3/action/help_show?name={code}",
            f"/dataset/{code}.ttl",
        ):
            r = requests.get(live["url"] + path, timeout=10)
            assert code not in r.text, (path, r.text[:200])


# ---------------------------------------------------------------- access (in the style of test_access.py)
def test_the_catalogue_opens_exactly_its_addresses_to_the_public():
    from web import auth

    for path in (
        "/api/3",
        "/api/3/action/package_list",
        "/catalog.jsonld",
        "/catalog.ttl",
        "/catalog.xml",
        "/dataset/kpis.ttl",
        "/dataset/kpis.jsonld",
    ):
        assert auth.may_open(path, "public"), path
    for path in ("/catalog", "/catalog.html", "/dataset", "/dataset/kpis", "/dataset/kpis.html", "/dataset/a/b.ttl"):
        assert not auth.may_open(path, "public"), path


def test_signed_in_readers_get_the_same_open_catalogue(live, harvest):
    """An executive (who reads internal KPIs on the pages) harvests exactly what the public does."""
    make = signed_in_clients(live["eng"], "gdc", ("executive", "admin"), clear_counters=True)
    public = harvest["search"]["results"]
    for role in ("executive", "admin"):
        c = make(role)
        body = c.get("/api/3/action/package_search?rows=1000").get_json()
        assert body["success"] and [p["name"] for p in body["result"]["results"]] == [p["name"] for p in public]
        assert c.get(f"/api/3/action/package_show?id={HIDDEN_ROW}").status_code == 404
        assert c.get(f"/dataset/{HIDDEN_ROW}.ttl").status_code == 404
        for code in live["hidden_kpis"][:3]:
            assert c.get(f"/api/3/action/package_show?id={code}").status_code == 404
        assert c.post("/api/3/action/package_list", headers=ORIGIN).status_code == 405


def test_public_page_paths_near_the_catalogue_still_ask_for_a_login(live):
    for path in ("/dataset/kpis", "/catalog", "/catalog.html"):
        r = requests.get(live["url"] + path, allow_redirects=False, timeout=10)
        assert r.status_code == 302 and "/login" in r.headers["Location"], path


# ---------------------------------------------------------------- the seed and the build check
def test_the_checks_open_list_is_the_apis():
    from web import api

    text = (ROOT / "etl" / "sql" / "checks" / "gdc_datasets.sql").read_text(encoding="utf-8")
    block = text[text.index("open_dataset(name) AS") : text.index("),\nseed AS")]
    assert set(re.findall(r"\('([a-z0-9_]+)'\)", block)) == set(api.DATASETS)


def test_the_build_names_file_row_and_column_of_a_missing_row_or_field(tmp_path):
    import pandas as pd

    from etl.build import BuildError, build, check_issues

    data = make_data_dir(tmp_path / "data")
    (data / "seeds").unlink()
    shutil.copytree(ROOT / "data" / "seeds", data / "seeds")
    seed = data / "seeds" / "gdc_datasets.csv"
    df = pd.read_csv(seed, dtype=str, keep_default_na=False)
    df.loc[df["name"] == "kpis", "maintainer_email"] = ""
    df.loc[df["name"] == "indicators", "data_category"] = "ข้อมูลส่วนบุคคล"
    df.loc[df["name"] == "gpp_totals", "update_frequency_unit"] = "บ่อยๆ"
    df = df[df["name"] != "population"]
    df.to_csv(seed, index=False)
    with pytest.raises(BuildError) as e:
        build(data_dir=data, warehouse=data / "warehouse" / "eis.duckdb", ops_url=f"sqlite:///{tmp_path / 'o.sqlite'}")
    issues = check_issues(e.value.failures, {})
    mine = [i for i in issues if "gdc_datasets" in i.reason_en]
    assert {i.file for i in mine} == {"data/seeds/gdc_datasets.csv"}
    found = {(i.row, i.column) for i in mine}
    row = {n: k + 2 for k, n in enumerate(df["name"])}
    assert (row["kpis"], "maintainer_email") in found
    assert (row["indicators"], "data_category") in found
    assert (row["gpp_totals"], "update_frequency_unit") in found
    assert (None, "name") in found and any(i.value == "population" for i in mine)


# ---------------------------------------------------------------- the admins' overrides (ops/gdc.py)
def test_the_python_choices_are_the_checks():
    from ops import gdc

    text = (ROOT / "etl" / "sql" / "checks" / "gdc_datasets.sql").read_text(encoding="utf-8")
    found = {
        field: tuple(re.findall(r"'([^']+)'", values))
        for field, values in re.findall(r"SELECT '(\w+)', unnest\(\[(.*?)\]\)", text, flags=re.DOTALL)
    }
    found["data_category"] = tuple(re.findall(r"SELECT 'data_category', '([^']+)'", text))
    assert found == gdc.CHOICES


def test_an_admins_override_is_served_at_once_checked_and_audited(live):
    import sqlalchemy as sa

    import ops
    from ops import gdc
    from ops.workflow import Actor, EntryError, Forbidden

    eng, url = live["eng"], live["url"]
    admin, editor = Actor("gdc_admin", "admin"), Actor("gdc_editor", "editor")

    def show(name):
        return requests.get(f"{url}/api/3/action/package_show", params={"id": name}, timeout=10).json()["result"]

    seed_email = show("kpis")["maintainer_email"]
    try:
        assert (
            gdc.set_field(eng, admin, "kpis", "maintainer_email", " opendata@example.go.th ")
            == "opendata@example.go.th"
        )
        gdc.set_field(eng, admin, "kpis", "objective", "ยุทธศาสตร์ชาติ; พันธกิจหน่วยงาน")
        pkg = show("kpis")
        assert pkg["maintainer_email"] == "opendata@example.go.th"
        assert pkg["objective"] == ["ยุทธศาสตร์ชาติ", "พันธกิจหน่วยงาน"]
        assert "mailto:opendata@example.go.th" in requests.get(f"{url}/dataset/kpis.ttl", timeout=10).text
        with pytest.raises(Forbidden):
            gdc.set_field(eng, editor, "kpis", "maintainer_email", "x@example.go.th")
        for field, bad in (
            ("data_category", "ข้อมูลความลับทางราชการ"),
            ("objective", "พันธกิจหน่วยงาน;อะไรก็ได้"),
            ("maintainer", "  "),
            ("maintainer_email", "not an address"),
            ("update_frequency_interval", "0"),
            ("first_year_of_data", "2024x"),
            ("no_such_field", "x"),
        ):
            with pytest.raises(EntryError):
                gdc.set_field(eng, admin, "kpis", field, bad)
        assert show("kpis")["data_category"] == "ข้อมูลสาธารณะ"
        # an override for a dataset that is not open changes nothing that is served
        gdc.set_field(eng, admin, HIDDEN_ROW, "maintainer", "x")
        assert HIDDEN_ROW not in requests.get(f"{url}/api/3/action/package_list", timeout=10).json()["result"]
        with eng.connect() as con:
            actions = [
                r[0] for r in con.execute(sa.select(ops.audit_log.c.action).where(ops.audit_log.c.action.like("gdc.%")))
            ]
        assert "gdc.set" in actions
    finally:
        for field in ("maintainer_email", "objective"):
            gdc.clear_field(eng, admin, "kpis", field)
        gdc.clear_field(eng, admin, HIDDEN_ROW, "maintainer")
    assert show("kpis")["maintainer_email"] == seed_email


def _dash_call(c, app, out_id, inputs, state=(), changed=None):
    """Post one Dash callback, found by one of its output ids, as the renderer would."""
    c.get("/_dash-dependencies")
    key = next(k for k in app.app.callback_map if re.search(rf"(^|\.){re.escape(out_id)}\.", k))
    outs = [dict(zip(("id", "property"), o.split(".", 1))) for o in key.strip(".").split("...")]

    def prop(x):
        return [{"id": i, "property": p, "value": v} for i, p, v in x]

    body = {
        "output": key,
        "outputs": outs if len(outs) > 1 else outs[0],
        "inputs": prop(inputs),
        "state": prop(state),
        "changedPropIds": [changed or f"{inputs[0][0]}.{inputs[0][1]}"],
    }
    return c.post("/_dash-update-component", json=body, headers=ORIGIN)


def test_admins_set_and_clear_an_override_on_the_admin_page_and_no_one_else_may(live):
    import app

    url = live["url"]
    make = signed_in_clients(live["eng"], "gdcp", ("admin", "editor"), clear_counters=True)

    def change(c, button, dataset, field, value=""):
        return _dash_call(
            c,
            app,
            "admin-gdc-msg",
            [
                ("admin-gdc-set", "n_clicks", 1 if button == "set" else None),
                ("admin-gdc-clear", "n_clicks", 1 if button == "clear" else None),
            ],
            [
                ("admin-gdc-dataset", "value", dataset),
                ("admin-gdc-field", "value", field),
                ("admin-gdc-value", "value", value),
            ],
            changed=f"admin-gdc-{button}.n_clicks",
        )

    def email():
        r = requests.get(f"{url}/api/3/action/package_show", params={"id": "population"}, timeout=10)
        return r.json()["result"]["maintainer_email"]

    seed = email()
    admin = make("admin")
    page = admin.post("/_dash-update-component", json=router_body("/admin"), headers=ORIGIN)
    assert page.status_code == 200 and "admin-gdc-set" in page.get_data(as_text=True)
    r = change(admin, "set", "population", "maintainer_email", "stat@example.go.th")
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    body = json.dumps(r.get_json()["response"], ensure_ascii=False)
    assert "alert-success" in body and "stat@example.go.th" in body
    assert email() == "stat@example.go.th"
    r = change(admin, "set", "population", "data_category", "ข้อมูลส่วนบุคคล")
    assert "alert-danger" in json.dumps(r.get_json()["response"]) and email() == "stat@example.go.th"
    r = change(admin, "clear", "population", "maintainer_email")
    assert "alert-success" in json.dumps(r.get_json()["response"]) and email() == seed
    editor = make("editor")
    assert change(editor, "set", "population", "maintainer_email", "x@example.go.th").status_code == 403
    assert email() == seed
