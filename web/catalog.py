"""Harvestable open data (issue 28): the datasets of the open-data API (web/api.py) as a CKAN catalogue
with GD-Catalog's thai_gdc fields, and as DCAT, at the addresses a CKAN harvester and ckanext-dcat use.

Routes (GET and HEAD only; anyone, without signing in; open data only; docs/CATALOG.md):

* ``/api/3/action/<action>`` (and ``/api/action/<action>``, CKAN's latest version, which ckanapi
  calls): a read-only subset of CKAN's Action API, answering as CKAN does
  (``{"help", "success", "result"}``; errors ``{"success": false, "error": {"__type", "message"}}``
  with 400, 404 or 409): ``package_list``, ``package_show?id=``, ``package_search`` (``q``, ``fq``,
  ``rows``, ``start``, ``sort``), ``status_show``, ``organization_list`` / ``organization_show``
  (one organization: the province's office), ``group_list`` / ``group_show`` (the Official
  Information Act section 9 register's categories), ``help_show``. A package carries the thai_gdc
  fields top-level, as CKAN with ckanext-scheming does (data_type, objective, update_frequency_unit,
  update_frequency_interval, geo_coverage, data_source, data_format, data_category, license_id,
  maintainer, maintainer_email, tag_string, notes, allow_harvest, first_year_of_data…), and one
  resource per download of /api/v1 (JSON rows, CSV, XLSX, GeoJSON).
* ``/catalog.jsonld|.ttl|.xml`` and ``/dataset/<name>.jsonld|.ttl|.xml``: DCAT (dcat:Catalog,
  dcat:Dataset, dcat:Distribution), written with rdflib, as ckanext-dcat serves them; the thai_gdc
  fields in the namespace ``GDC`` (``urn:x-sanyan:thai-gdc:``, docs/CATALOG.md).

What is served: the datasets of ``api.DATASETS`` that have a row of thai_gdc metadata in the snapshot
(data/seeds/gdc_datasets.csv, table dim_gdc_dataset; the build fails while an open dataset has none),
with the admins' overrides of single fields from the ops store on top (ops/gdc.py).
Every dataset there is open data; the request is marked open-only (``g.open_only``) as /api is, and
every finished body is scanned for a hidden KPI's or indicator's code or name (``api.hidden``) and
withheld (500) if one is found. Every link is built from ``settings.public_url``, never the request's
Host. Calls count against the same per-address limit as /api/v1 (429).
"""

from __future__ import annotations

import functools
import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime, timedelta

import duckdb
import flask
import pandas as pd

import db
from config import settings
from ops import gdc as gdc_store
from web import api

log = logging.getLogger("sanyan.catalog")

ACTION = "/api/3/action"
CKAN_VERSION = "2.10.4"  # the CKAN whose Action API answers these follow
RATE_LIMIT, RATE_WINDOW_S = settings.api_rate_limit, 60  # shared with /api/v1 (the same counter)
CACHE_CONTROL = "public, max-age=300"
DEFAULT_ROWS, MAX_ROWS = 10, 1000
MAX_Q = 200
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]

# the thai_gdc fields of a package (ckanext-thai_gdc ckan_dataset.json), top-level as with scheming;
# REQUIRED: what the schema requires, all filled for every dataset served (check gdc_datasets): the
# seed's required fields (ops/gdc.py), its two titles served as the package's one ``title``
REQUIRED = ("title", *(f for f in gdc_store.REQUIRED if f not in ("title_th", "title_en")))
LISTS = gdc_store.LISTS  # multiple choice: a list, ';' in the seed

# the namespace of the thai_gdc fields in DCAT (documented in docs/CATALOG.md); not tied to any
# one deployment, so that the same field has the same IRI in every province's catalogue
GDC_IRI = "urn:x-sanyan:thai-gdc:"
GDC_FIELDS = (
    "data_type",
    "objective",
    "update_frequency_unit",
    "update_frequency_interval",
    "geo_coverage",
    "data_source",
    "data_format",
    "data_category",
    "license_id",
    "license_id_other",
    "allow_harvest",
    "first_year_of_data",
    "last_year_of_data",
    "data_language",
)
# update_frequency_unit (once per unit) -> the EU frequency vocabulary (DCAT-AP's dct:accrualPeriodicity)
FREQUENCY = {
    "ปี": "ANNUAL",
    "ครึ่งปี": "ANNUAL_2",
    "ไตรมาส": "QUARTERLY",
    "เดือน": "MONTHLY",
    "สัปดาห์": "WEEKLY",
    "วัน": "DAILY",
    "วันทำการ": "DAILY",
    "ชั่วโมง": "HOURLY",
    "ตามเวลาจริง": "CONT",
    "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล": "NEVER",
}
FREQ_BASE = "http://publications.europa.eu/resource/authority/frequency/"
MEDIA_TYPE = "https://www.iana.org/assignments/media-types/"
RDF_FORMATS = {
    "jsonld": ("json-ld", "application/ld+json"),
    "ttl": ("turtle", "text/turtle"),  # Flask adds "; charset=utf-8"
    "xml": ("pretty-xml", "application/rdf+xml"),
}


class CatalogError(Exception):
    """A CKAN-shaped refusal: HTTP status, CKAN's ``__type`` and a message (or fields' messages)."""

    def __init__(self, status: int, kind: str, message: str | None = None, **fields):
        super().__init__(message or kind)
        self.status, self.kind, self.message, self.fields = status, kind, message, fields

    def body(self) -> dict:
        err = {"__type": self.kind}
        if self.message is not None:
            err["message"] = self.message
        err.update(self.fields)
        return err


def not_found(what: str = "Not found") -> CatalogError:
    return CatalogError(404, "Not Found Error", what)


# ---------------------------------------------------------------- the data
def _base() -> str:
    return settings.public_url


def _uuid(*parts: str) -> str:
    """A stable id: the same province and name give the same id whatever the address it is served
    at, so that a harvester that keeps the remote id keeps it across a change of address."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "sanyan:" + ":".join([settings.province, *parts])))


def _ckan_time(value) -> str | None:
    """CKAN's form of a time: UTC, ISO 8601 without a zone (2026-11-24T03:00:00.000000)."""
    if value in (None, ""):
        return None
    t = pd.Timestamp(value)
    if t.tzinfo is not None:
        t = t.tz_convert(UTC).tz_localize(None)
    return t.strftime("%Y-%m-%dT%H:%M:%S.%f")


def _clean(v):
    if v is None or (isinstance(v, float) and v != v) or v is pd.NA:
        return None
    if hasattr(v, "item"):
        return v.item()
    return v


def gdc_rows() -> dict[str, dict]:
    """The thai_gdc metadata of every dataset served: names of ``api.DATASETS`` with a row in the
    snapshot's dim_gdc_dataset, in the API's order."""
    try:
        df = db.query("catalog/gdc_datasets")
    except duckdb.CatalogException as e:  # a snapshot built before the catalogue existed
        log.error("the snapshot has no catalogue metadata: %s", e)
        raise CatalogError(
            503, "Service Unavailable", "The snapshot has no catalogue metadata yet; rebuild it (python -m etl build)"
        ) from e
    rows = {r["name"]: {k: _clean(v) for k, v in r.items()} for r in df.to_dict("records")}
    for name, fields in _overrides().items():
        if name in rows:
            rows[name] = {**rows[name], **{f: _typed(f, v) for f, v in fields.items() if f in gdc_store.FIELDS}}
    return {name: rows[name] for name in api.DATASETS if name in rows}


def _overrides() -> dict[str, dict[str, str]]:
    """The admins' overrides (ops/gdc.py); none when the ops store cannot be read (logged)."""
    import ops

    try:
        return gdc_store.overrides(ops.engine())
    except Exception:
        log.exception("cannot read the catalogue overrides; the snapshot's metadata is served")
        return {}


def _typed(field: str, value: str):
    """An override's text as the snapshot's column holds it."""
    if field in ("update_frequency_interval", "first_year_of_data", "s9_category"):
        return int(value) if value else None
    if field == "allow_harvest":
        return value == "True"
    return value or None


def _split(text, sep: str) -> list[str]:
    return [p.strip() for p in str(text or "").split(sep) if p.strip()]


def _province_names() -> tuple[str, str]:
    df = db.query("meta/province", province=settings.province)
    if df.empty:
        return settings.province, settings.province
    return str(df.iloc[0]["name_th"]), str(df.iloc[0]["name_en"])


def organization(count: int | None = None) -> dict:
    """The one organization: the province's office (the publisher of every dataset)."""
    th, en = _province_names()
    snap = db.snapshot_info()
    org = {
        "id": _uuid("organization"),
        "name": f"province-{settings.province}",
        "title": f"จังหวัด{th}",
        "title_en": f"{en} Province",
        "display_name": f"จังหวัด{th}",
        "description": f"ข้อมูลเปิดของจังหวัด{th} จากระบบสัญญาณ (Sanyan) / Open data of {en} Province from Sanyan",
        "type": "organization",
        "is_organization": True,
        "state": "active",
        "approval_status": "approved",
        "image_url": "",
        "image_display_url": "",
        "created": _ckan_time(snap.get("built_at")),
    }
    if count is not None:
        org["package_count"] = count
    return org


def _s9_categories() -> dict[int, tuple[str, str]]:
    from ops import portal

    return dict(portal.CATEGORIES)


def group(category: int, rows: dict[str, dict] | None = None, with_packages: bool = False) -> dict:
    """A section 9 register category as a CKAN group; where datasets fall under it, their
    names and their thai_gdc data_category."""
    th, en = _s9_categories()[category]
    rows = gdc_rows() if rows is None else rows
    names = [n for n, r in rows.items() if r.get("s9_category") == category]
    out = {
        "id": _uuid("group", str(category)),
        "name": f"s9-{category}",
        "title": f"มาตรา 9 ({category}) {th}",
        "title_en": f"Section 9 ({category}) {en}",
        "display_name": f"มาตรา 9 ({category}) {th}",
        "description": f"ข้อมูลข่าวสารตามมาตรา 9 ({category}) พ.ร.บ. ข้อมูลข่าวสารของราชการ พ.ศ. 2540 / "
        f"Official Information Act section 9 ({category})",
        "type": "group",
        "is_organization": False,
        "state": "active",
        "approval_status": "approved",
        "image_url": "",
        "image_display_url": "",
        "package_count": len(names),
        "url": f"{_base()}/api/v1/datasets/s9_register/rows?category={category}",
    }
    if names:
        out["data_category"] = sorted({rows[n]["data_category"] for n in names})
    if with_packages:
        out["packages"] = names
    return out


def package(name: str, row: dict) -> dict:
    """One dataset as CKAN's package_show gives it, with the thai_gdc fields top-level."""
    meta = api.metadata(api.DATASETS[name])
    base = _base()
    built = _ckan_time(db.snapshot_info().get("built_at"))
    last = _ckan_time(meta.get("last_update")) or built
    pkg_id = _uuid("dataset", name)
    resources = []
    for i, r in enumerate(meta["resources"]):
        resources.append(
            {
                "id": _uuid("resource", name, r["id"]),
                "package_id": pkg_id,
                "name": r["name"]["th"],
                "name_en": r["name"]["en"],
                "description": r["name"]["en"],
                "format": r["format"],
                "mimetype": r["mimetype"],
                "url": base + r["url"],
                "url_type": None,
                "resource_type": None,
                "position": i,
                "state": "active",
                "created": built,
                "last_modified": last,
            }
        )
    tags = _split(row["tag_string"], ",")
    title_th, title_en = titles(row)
    temporal = meta.get("temporal") or {}
    s9 = row.get("s9_category")
    pkg = {
        "id": pkg_id,
        "name": name,
        "type": "dataset",
        "state": "active",
        "private": False,
        "title": title_th,
        "title_en": title_en,
        "title_translated": {"th": title_th, "en": title_en},
        "notes": row["notes"],
        "notes_translated": {"th": row["notes"], "en": meta["notes"]["en"]},
        "url": f"{base}/api/v1/datasets/{name}",
        "version": meta.get("snapshot"),
        "author": None,
        "author_email": None,
        "maintainer": row["maintainer"],
        "maintainer_email": row["maintainer_email"],
        "license_id": row["license_id"],
        "license_id_other": row.get("license_id_other"),
        "license_title": api.LICENCE["license_title"],
        "license_url": api.LICENCE["license_url"],
        "isopen": True,
        "owner_org": _uuid("organization"),
        "organization": organization(),
        "metadata_created": built,
        "metadata_modified": built,
        # thai_gdc (ckanext-scheming puts a schema's fields top-level)
        "data_type": row["data_type"],
        "objective": _split(row["objective"], ";"),
        "update_frequency_unit": row["update_frequency_unit"],
        "update_frequency_interval": str(row["update_frequency_interval"]),
        "geo_coverage": row["geo_coverage"],
        "data_source": row["data_source"],
        "data_format": _split(row["data_format"], ";"),
        "data_category": row["data_category"],
        "data_language": _split(row.get("data_language"), ";"),
        "allow_harvest": "True" if row["allow_harvest"] else "False",
        "first_year_of_data": str(row["first_year_of_data"]),
        "last_year_of_data": str(temporal["to"]) if temporal.get("to") is not None else None,
        "last_updated_date": (last or "")[:10] or None,
        "tag_string": ",".join(tags),
        "classification": "open",
        "num_resources": len(resources),
        "resources": resources,
        "num_tags": len(tags),
        "tags": [
            {"id": _uuid("tag", t), "name": t, "display_name": t, "state": "active", "vocabulary_id": None}
            for t in tags
        ],
        "groups": [] if s9 is None else [_group_ref(s9)],
        "extras": [],
        "relationships_as_object": [],
        "relationships_as_subject": [],
    }
    return pkg


def titles(row: dict) -> tuple[str, str]:
    """The seed's titles with the province's name (จังหวัดชุมพร, Chumphon) unless they have it: a
    title is unique in GD-Catalog (thai_gdc refuses a title already in use), and a provincial or
    national catalogue holds the same dataset of many provinces."""
    th, en = _province_names()
    title_th, title_en = row["title_th"], row["title_en"]
    if th not in title_th:
        title_th = f"{title_th} จังหวัด{th}"
    if en.lower() not in title_en.lower():
        title_en = f"{title_en}, {en}"
    return title_th, title_en


def _group_ref(category: int) -> dict:
    g = group(category, rows={})
    return {k: g[k] for k in ("id", "name", "title", "display_name", "description", "image_display_url")}


def _package_or_404(name_or_id: str, rows: dict[str, dict]) -> tuple[str, dict]:
    for name, row in rows.items():
        if name_or_id in (name, _uuid("dataset", name)):
            return name, row
    raise not_found()  # a dataset that is not open answers exactly as one that does not exist


# ---------------------------------------------------------------- package_search
_TERM = re.compile(r'\s*(?P<sign>[-+]?)(?P<field>[A-Za-z_.]+):(?P<value>\[[^\]]*\]|"[^"]*"|[^\s"\[\]]+)\s*')
_RANGE = re.compile(r"\[\s*(?P<lo>\S+)\s+TO\s+(?P<hi>\S+)\s*\]")
SORTS = {
    "score desc, metadata_modified desc": ("metadata_modified", True),
    "metadata_modified desc": ("metadata_modified", True),
    "metadata_modified asc": ("metadata_modified", False),
    "metadata_created desc": ("metadata_created", True),
    "metadata_created asc": ("metadata_created", False),
    "name asc": ("name", False),
    "name desc": ("name", True),
    "title_string asc": ("title", False),
    "title_string desc": ("title", True),
    "id asc": ("id", False),
    "id desc": ("id", True),
}


def _when(text: str) -> datetime | None:
    """A bound of a Solr date range: ``*``, an ISO time (``2026-01-01T00:00:00.000Z``) or
    ``NOW`` with an offset (``NOW-1DAY``, ``NOW/DAY``)."""
    t = text.strip()
    if t == "*":
        return None
    m = re.fullmatch(r"NOW(?:([+-])(\d{1,6})(DAY|HOUR|MINUTE|SECOND)S?)?(?:/[A-Z]+)?", t, flags=re.IGNORECASE)
    if m:
        now = datetime.now(UTC)
        if m[1]:
            step = timedelta(**{m[3].lower() + "s": int(m[2])})
            now = now - step if m[1] == "-" else now + step
        return now
    try:
        d = datetime.fromisoformat(t.replace("Z", "+00:00"))
    except ValueError as e:
        raise CatalogError(409, "Validation Error", fq=["Invalid date in a range of fq"]) from e
    return d.astimezone(UTC) if d.tzinfo else d.replace(tzinfo=UTC)


def _field_values(pkg: dict, field: str) -> list[str] | None:
    """The values a filter field reads of a package (None: a field the filter does not know)."""
    if field in ("name", "id", "title", "state", "license_id", "owner_org", "maintainer", "version"):
        return [str(pkg.get(field) or "")]
    if field in ("type", "dataset_type"):
        return ["dataset"]
    if field == "organization":
        return [pkg["organization"]["name"]]
    if field == "groups":
        return [g["name"] for g in pkg["groups"]]
    if field == "tags":
        return [t["name"] for t in pkg["tags"]]
    if field == "res_format":
        return [r["format"] for r in pkg["resources"]]
    if field in GDC_FIELDS or field in ("data_language",):
        v = pkg.get(field)
        return [str(x) for x in v] if isinstance(v, list) else [str(v or "")]
    if field in ("capacity",):
        return ["public"]
    return None


def _fq_matches(fq: str, pkg: dict) -> bool:
    pos, text = 0, fq.strip()
    ok = True
    while pos < len(text):
        if text[pos:].lstrip().upper().startswith("AND "):
            pos = len(text) - len(text[pos:].lstrip()) + 4
            continue
        m = _TERM.match(text, pos)
        if not m:
            raise CatalogError(409, "Validation Error", fq=["Cannot read fq: field:value terms, AND between them"])
        pos = m.end()
        field, value, neg = m["field"], m["value"], m["sign"] == "-"
        if field in ("metadata_modified", "metadata_created"):
            r = _RANGE.fullmatch(value)
            if not r:
                raise CatalogError(409, "Validation Error", fq=[f"{field} takes a range [from TO to]"])
            lo, hi = _when(r["lo"]), _when(r["hi"])
            t = _when(pkg[field].replace(" ", "T")) if pkg.get(field) else None
            hit = t is not None and (lo is None or t >= lo) and (hi is None or t <= hi)
        else:
            values = _field_values(pkg, field)
            if values is None:
                raise CatalogError(409, "Validation Error", fq=["Unknown field in fq; see docs/CATALOG.md"])
            want = value.strip('"')
            hit = want == "*" or any(v == want or v.lower() == want.lower() for v in values)
        ok = ok and (hit != neg)
    return ok


def _q_matches(q: str, pkg: dict) -> bool:
    q = q.strip()
    if q in ("", "*:*", "*"):
        return True
    if _TERM.fullmatch(q):
        return _fq_matches(q, pkg)
    text = " ".join(
        [
            pkg["name"],
            pkg["title"],
            pkg["title_en"] or "",
            pkg["notes"] or "",
            pkg["notes_translated"]["en"] or "",
            *[t["name"] for t in pkg["tags"]],
            pkg["data_source"] or "",
        ]
    ).lower()
    return all(term in text for term in q.lower().replace('"', " ").split())


def _int_param(args, name: str, default: int, hi: int) -> int:
    raw = args.get(name)
    if raw in (None, ""):
        return default
    if not re.fullmatch(r"\s*\d{1,9}\s*", raw):
        raise CatalogError(409, "Validation Error", **{name: ["Invalid integer"]})
    return min(int(raw), hi)


# ---------------------------------------------------------------- DCAT
def graph(names: list[str] | None, rows: dict[str, dict]):
    """The DCAT graph of the catalogue (``names`` None) or of the datasets named."""
    from rdflib import BNode, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

    VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
    gdc = Namespace(GDC_IRI)
    g = Graph()
    for prefix, ns in (
        ("dcat", DCAT),
        ("dct", DCTERMS),
        ("foaf", FOAF),
        ("vcard", VCARD),
        ("skos", SKOS),
        ("xsd", XSD),
        ("thgdc", gdc),
    ):
        g.bind(prefix, ns)
    base = _base()
    th, en = _province_names()
    org = organization()
    publisher = URIRef(f"{base}/organization/{org['name']}")
    g.add((publisher, RDF.type, FOAF.Organization))
    g.add((publisher, FOAF.name, Literal(org["title"], lang="th")))
    g.add((publisher, FOAF.name, Literal(org["title_en"], lang="en")))
    g.add((publisher, FOAF.homepage, URIRef(base + "/")))
    licence = URIRef(api.LICENCE["license_url"])
    g.add((licence, RDF.type, DCTERMS.LicenseDocument))
    g.add((licence, DCTERMS.title, Literal(api.LICENCE["license_title_th"], lang="th")))
    g.add((licence, DCTERMS.title, Literal(api.LICENCE["license_title"], lang="en")))
    spatial = URIRef(f"{base}/area/{settings.province}")
    g.add((spatial, RDF.type, DCTERMS.Location))
    g.add((spatial, SKOS.prefLabel, Literal(f"จังหวัด{th}", lang="th")))
    g.add((spatial, SKOS.prefLabel, Literal(f"{en} Province", lang="en")))
    g.add((spatial, DCTERMS.identifier, Literal(f"TH-{settings.province}")))  # ISO 3166-2:TH = DOPA's code
    built = db.snapshot_info().get("built_at")
    catalog = URIRef(base + "/")
    whole = names is None
    if whole:
        g.add((catalog, RDF.type, DCAT.Catalog))
        g.add((catalog, DCTERMS.title, Literal(f"ข้อมูลเปิดจังหวัด{th} (สัญญาณ)", lang="th")))
        g.add((catalog, DCTERMS.title, Literal(f"{en} Province open data (Sanyan)", lang="en")))
        g.add((catalog, DCTERMS.description, Literal(f"ชุดข้อมูลเปิดของจังหวัด{th} จากระบบสัญญาณ", lang="th")))
        g.add((catalog, DCTERMS.description, Literal(f"Open datasets of {en} Province, from Sanyan", lang="en")))
        g.add((catalog, DCTERMS.publisher, publisher))
        g.add((catalog, FOAF.homepage, URIRef(base + "/")))
        g.add((catalog, DCTERMS.language, Literal("th")))
        g.add((catalog, DCTERMS.license, licence))
        g.add((catalog, DCTERMS.spatial, spatial))
        if built is not None:
            g.add((catalog, DCTERMS.modified, Literal(_rdf_time(built), datatype=XSD.dateTime)))
        names = list(rows)
    for name in names:
        pkg = package(name, rows[name])
        ds = URIRef(f"{base}/dataset/{name}")
        if whole:
            g.add((catalog, DCAT.dataset, ds))
        g.add((ds, RDF.type, DCAT.Dataset))
        g.add((ds, DCTERMS.identifier, Literal(pkg["id"])))
        g.add((ds, DCTERMS.identifier, Literal(name)))
        g.add((ds, DCTERMS.title, Literal(pkg["title"], lang="th")))
        g.add((ds, DCTERMS.title, Literal(pkg["title_en"], lang="en")))
        g.add((ds, DCTERMS.description, Literal(pkg["notes"], lang="th")))
        if pkg["notes_translated"]["en"]:
            g.add((ds, DCTERMS.description, Literal(pkg["notes_translated"]["en"], lang="en")))
        g.add((ds, DCTERMS.publisher, publisher))
        g.add((ds, DCTERMS.license, licence))
        g.add((ds, DCTERMS.spatial, spatial))
        g.add((ds, DCAT.landingPage, URIRef(pkg["url"])))
        contact = BNode()
        g.add((ds, DCAT.contactPoint, contact))
        g.add((contact, RDF.type, VCARD.Organization))
        g.add((contact, VCARD.fn, Literal(pkg["maintainer"], lang="th")))
        g.add((contact, VCARD.hasEmail, URIRef("mailto:" + pkg["maintainer_email"])))
        freq = FREQUENCY.get(pkg["update_frequency_unit"]) if pkg["update_frequency_interval"] == "1" else None
        g.add((ds, DCTERMS.accrualPeriodicity, URIRef(FREQ_BASE + (freq or "IRREG"))))
        period = BNode()
        g.add((ds, DCTERMS.temporal, period))
        g.add((period, RDF.type, DCTERMS.PeriodOfTime))
        g.add((period, DCAT.startDate, Literal(str(int(pkg["first_year_of_data"]) - 543), datatype=XSD.gYear)))
        if pkg["last_year_of_data"]:
            g.add((period, DCAT.endDate, Literal(str(int(pkg["last_year_of_data"]) - 543), datatype=XSD.gYear)))
        for t in pkg["tags"]:
            g.add((ds, DCAT.keyword, Literal(t["name"])))
        for lang in pkg["data_language"]:
            code = {"ไทย": "th", "อังกฤษ": "en"}.get(lang)
            if code:
                g.add((ds, DCTERMS.language, Literal(code)))
        g.add((ds, DCTERMS.issued, Literal(_rdf_time(pkg["metadata_created"]), datatype=XSD.dateTime)))
        g.add((ds, DCTERMS.modified, Literal(_rdf_time(pkg["metadata_modified"]), datatype=XSD.dateTime)))
        for field in GDC_FIELDS:
            v = pkg.get(field)
            for one in v if isinstance(v, list) else [v]:
                if one not in (None, ""):
                    g.add((ds, gdc[field], Literal(str(one))))
        for r in pkg["resources"]:
            dist = URIRef(f"{base}/dataset/{name}/resource/{r['id']}")
            g.add((ds, DCAT.distribution, dist))
            g.add((dist, RDF.type, DCAT.Distribution))
            g.add((dist, DCTERMS.identifier, Literal(r["id"])))
            g.add((dist, DCTERMS.title, Literal(r["name"], lang="th")))
            g.add((dist, DCTERMS.title, Literal(r["name_en"], lang="en")))
            g.add((dist, DCAT.accessURL, URIRef(r["url"])))
            g.add((dist, DCAT.downloadURL, URIRef(r["url"])))
            g.add((dist, DCTERMS.format, Literal(r["format"])))
            g.add((dist, DCAT.mediaType, URIRef(MEDIA_TYPE + r["mimetype"])))
            g.add((dist, DCTERMS.license, licence))
            g.add((dist, DCTERMS.modified, Literal(_rdf_time(r["last_modified"]), datatype=XSD.dateTime)))
    return g


def _rdf_time(value) -> str:
    t = pd.Timestamp(value)
    t = t.tz_localize(UTC) if t.tzinfo is None else t.tz_convert(UTC)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def _rdf(g, fmt: str) -> bytes:
    kind, _mime = RDF_FORMATS[fmt]
    if kind == "json-ld":
        context = {
            p: str(ns) for p, ns in g.namespaces() if p in ("dcat", "dct", "foaf", "vcard", "skos", "xsd", "thgdc")
        }
        return g.serialize(format="json-ld", context=context, indent=2).encode("utf-8")
    return g.serialize(format=kind, encoding="utf-8")


# ---------------------------------------------------------------- the request wrapper
def _rate_limited() -> bool:
    import ops

    key = ops.counter_key("api", flask.request.remote_addr or "-")
    return ops.counter_hit(ops.engine(), key, RATE_WINDOW_S) > RATE_LIMIT


def _help(action: str) -> str:
    """CKAN's ``help`` link; an action that does not exist is not echoed (nor is anything else
    from the request: a hidden KPI's code typed into the address never comes back)."""
    return f"{_base()}{ACTION}/help_show?name={action if action in ACTIONS else ''}"


def _ckan_json(body: dict, status: int = 200) -> flask.Response:
    return flask.Response(json.dumps(body, ensure_ascii=False, default=str), status, mimetype="application/json")


def _withheld(text: str) -> bool:
    found = api.hidden().found(text)
    if found:
        log.error("catalog %s: a hidden KPI or indicator in the body; withheld", flask.request.path)
    return bool(found)


def _endpoint(kind: str):
    """GET and HEAD only, the rate limit, open data only, the body's last scan, caching headers;
    ``kind`` "action" answers in CKAN's shape, "rdf" in plain text for errors."""

    def wrap(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            t0 = time.monotonic()
            req = flask.request
            flask.g.open_only = True
            action = kwargs.get("action", "")
            try:
                if req.method not in ("GET", "HEAD"):
                    raise CatalogError(405, "Method Not Allowed", "Only GET is allowed")
                if _rate_limited():
                    raise CatalogError(429, "Too Many Requests", f"At most {RATE_LIMIT} calls a minute")
                if not db.available():
                    raise CatalogError(503, "Service Unavailable", "There is no warehouse snapshot yet")
                data, mimetype = fn(*args, **kwargs)
                text = data.decode("utf-8") if isinstance(data, bytes) else data
                if _withheld(text):
                    raise CatalogError(500, "Internal Error", "Withheld")
                resp = flask.Response(data, 200, mimetype=mimetype)
                resp.add_etag()
                resp = resp.make_conditional(req)
            except Exception as e:  # every failure answers in the route's shape
                if isinstance(e, db.WarehouseMissing):
                    e = CatalogError(503, "Service Unavailable", "There is no warehouse snapshot yet")
                elif not isinstance(e, CatalogError):
                    log.exception("catalog %s failed", req.full_path)
                    e = CatalogError(500, "Internal Error", "Something went wrong; please try again")
                if kind == "action":
                    resp = _ckan_json({"help": _help(action), "success": False, "error": e.body()}, e.status)
                else:
                    resp = flask.Response(f"{e.message or e.kind}\n", e.status, mimetype="text/plain")
            if resp.status_code == 405:
                resp.headers["Allow"] = "GET, HEAD"
            if resp.status_code == 429:
                resp.headers["Retry-After"] = str(RATE_WINDOW_S)
            ok = resp.status_code < 400 or resp.status_code in (404,)
            resp.headers["Cache-Control"] = CACHE_CONTROL if ok else "no-store"
            resp.headers["Access-Control-Allow-Origin"] = "*"
            log.info(
                "catalog %s %s -> %s in %.0f ms",
                req.method,
                req.full_path,
                resp.status_code,
                (time.monotonic() - t0) * 1000,
            )
            return resp

        return wrapper

    return wrap


# ---------------------------------------------------------------- actions
def _one(args, name: str) -> str | None:
    values = args.getlist(name)
    if len(values) > 1:
        raise CatalogError(409, "Validation Error", **{name: ["Given more than once"]})
    return values[0] if values else None


def _all_fields(args) -> bool:
    return str(_one(args, "all_fields") or "").lower() in ("true", "1", "yes")


def action_package_list(args) -> list:
    names = list(gdc_rows())
    offset = _int_param(args, "offset", 0, 10**9)
    limit = _int_param(args, "limit", len(names), 10**9)
    return names[offset : offset + limit]


def action_package_show(args) -> dict:
    name_or_id = _one(args, "id") or _one(args, "name_or_id")
    if not name_or_id:
        raise CatalogError(409, "Validation Error", name_or_id=["Missing value"])
    rows = gdc_rows()
    name, row = _package_or_404(name_or_id.strip()[:200], rows)
    return package(name, row)


def action_package_search(args) -> dict:
    q = (_one(args, "q") or "")[:MAX_Q]
    fqs = [f[: MAX_Q * 2] for f in args.getlist("fq")] + [f[: MAX_Q * 2] for f in args.getlist("fq_list")]
    rows_n = _int_param(args, "rows", DEFAULT_ROWS, MAX_ROWS)
    start = _int_param(args, "start", 0, 10**9)
    sort = re.sub(r"\s+", " ", (_one(args, "sort") or "score desc, metadata_modified desc").strip().lower())
    if sort not in SORTS:
        raise CatalogError(409, "Validation Error", sort=[f"Sort by one of: {', '.join(SORTS)}"])
    rows = gdc_rows()
    found = []
    for name, row in rows.items():
        pkg = package(name, row)
        if _q_matches(q, pkg) and all(_fq_matches(fq, pkg) for fq in fqs):
            found.append(pkg)
    key, desc = SORTS[sort]
    found.sort(key=lambda p: p["name"])
    found.sort(key=lambda p: str(p.get(key) or ""), reverse=desc)
    return {
        "count": len(found),
        "sort": sort,
        "facets": {},
        "search_facets": {},
        "results": found[start : start + rows_n],
    }


def action_status_show(args) -> dict:
    th, en = _province_names()
    return {
        "site_title": f"สัญญาณ Sanyan จังหวัด{th}",
        "site_description": f"ข้อมูลเปิดของจังหวัด{th} / Open data of {en} Province",
        "site_url": _base(),
        "ckan_version": CKAN_VERSION,
        "error_emails_to": None,
        "locale_default": "th",
        "extensions": ["sanyan", "scheming_datasets", "thai_gdc", "dcat"],
    }


def action_organization_list(args) -> list:
    org = organization(count=len(gdc_rows()))
    return [org] if _all_fields(args) else [org["name"]]


def action_organization_show(args) -> dict:
    wanted = (_one(args, "id") or "").strip()
    org = organization(count=len(gdc_rows()))
    if wanted not in (org["name"], org["id"]):
        raise not_found()
    if str(_one(args, "include_datasets") or "").lower() in ("true", "1"):
        rows = gdc_rows()
        org["packages"] = [package(n, r) for n, r in rows.items()]
    return org


def action_group_list(args) -> list:
    rows = gdc_rows()
    groups = [group(c, rows) for c in sorted(_s9_categories())]
    return groups if _all_fields(args) else [g["name"] for g in groups]


def action_group_show(args) -> dict:
    wanted = (_one(args, "id") or "").strip()
    rows = gdc_rows()
    for c in sorted(_s9_categories()):
        g = group(c, rows, with_packages=True)
        if wanted in (g["name"], g["id"]):
            return g
    raise not_found()


def action_help_show(args) -> str:
    name = (_one(args, "name") or "")[:60]
    if name not in ACTIONS:
        raise not_found("Action not found")
    return (ACTIONS[name].__doc__ or f"{name}: as CKAN's Action API (read-only subset, docs/CATALOG.md)").strip()


ACTIONS = {
    "package_list": action_package_list,
    "package_show": action_package_show,
    "package_search": action_package_search,
    "status_show": action_status_show,
    "organization_list": action_organization_list,
    "organization_show": action_organization_show,
    "group_list": action_group_list,
    "group_show": action_group_show,
    "help_show": action_help_show,
}


# ---------------------------------------------------------------- routes
def init(server: flask.Flask) -> None:
    """Register the CKAN Action API subset and the DCAT documents."""

    @server.route(f"{ACTION}/<action>", methods=METHODS, endpoint="ckan_action")
    @server.route("/api/action/<action>", methods=METHODS, endpoint="ckan_action_latest")  # CKAN's unversioned
    @_endpoint("action")
    def ckan_action(action: str):
        fn = ACTIONS.get(action)
        if fn is None:
            raise CatalogError(400, "Bad request", "Bad request - Action name not known")
        result = fn(flask.request.args)
        body = {"help": _help(action), "success": True, "result": result}
        return json.dumps(body, ensure_ascii=False, default=str), "application/json"

    @server.route("/api/3", methods=METHODS, strict_slashes=False, endpoint="ckan_api_version")
    @_endpoint("action")
    def ckan_api_version():
        return json.dumps({"version": 3}), "application/json"

    def rdf_catalog(fmt: str):
        @_endpoint("rdf")
        def view():
            if flask.request.args:
                raise CatalogError(400, "Bad request", "No parameters are taken")
            return _rdf(graph(None, gdc_rows()), fmt), RDF_FORMATS[fmt][1]

        return view

    def rdf_dataset(fmt: str):
        @_endpoint("rdf")
        def view(name: str):
            rows = gdc_rows()
            name, _row = _package_or_404(name[:200], rows)
            return _rdf(graph([name], rows), fmt), RDF_FORMATS[fmt][1]

        return view

    for fmt in RDF_FORMATS:
        server.add_url_rule(f"/catalog.{fmt}", f"dcat_catalog_{fmt}", rdf_catalog(fmt), methods=METHODS)
        server.add_url_rule(f"/dataset/<name>.{fmt}", f"dcat_dataset_{fmt}", rdf_dataset(fmt), methods=METHODS)
