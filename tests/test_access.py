"""Access decided on what will be rendered (issue 16): the page router read as Dash reads it, every
callback by the callback it names, each page checking its own reader, HEAD like GET, odd paths,
parameters and callback values answered 4xx, redirects only to this site, sessions that end."""

from __future__ import annotations

import inspect
import itertools
import json
import re
from urllib.parse import urlencode

import dash
import pytest

from tests.conftest import ORIGIN, PASSWORD, app_on_a_copy, router_body, signed_in_clients

ROUTER = ".._pages_content.children..._pages_store.data.."
OUTPUTS = [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}]


@pytest.fixture(scope="module")
def env(built_warehouse, tmp_path_factory):
    """The app on a copy of the demo warehouse (a callback fed garbage must not touch the
    session's) and an ops store of its own, with one account per role."""
    with app_on_a_copy(built_warehouse, tmp_path_factory.mktemp("access"), "access"):
        yield from _env()


def _env():
    import app
    import ops

    eng = ops.engine()
    make = signed_in_clients(
        eng, "a", ("admin", "executive", "verifier", "editor", "viewer"), {"editor": {"area_code": "8604"}}, dash=True
    )
    yield make, app, eng


def internal_pages() -> list[str]:
    from web import auth

    out = []
    for p in dash.page_registry.values():
        path = (p.get("example_path") or p["path"]).replace("<code>", "K01")
        if not p["module"].endswith("not_found_404") and not auth.may_open(path, "public"):
            out.append(path)
    return out


# ---------------------------------------------------------------- finding 1: the router by position
@pytest.mark.parametrize("role", ["public", "viewer"])
def test_router_inputs_in_every_order_and_duplicate_render_only_what_the_role_may_open(env, role):
    """The request of the finding (search first, holding an internal path; pathname a public one)
    and every other order, duplicate and omission of the router's two inputs: only the declared
    order [pathname, search] is run, and then only for a page the reader may open."""
    from web import auth

    make, _app, _eng = env
    c = make(role)
    refused = [p for p in internal_pages() if not auth.may_open(p, role)]
    assert "/admin" in refused and (role == "viewer" or "/kpi" in refused)
    for target in refused:
        kinds = {"P": ("pathname", target), "S": ("search", target), "p": ("pathname", "/open"), "s": ("search", "")}
        for n in (0, 1, 2, 3):
            for combo in itertools.product(kinds, repeat=n):
                inputs = [{"id": "_pages_location", "property": kinds[k][0], "value": kinds[k][1]} for k in combo]
                body = {"output": ROUTER, "outputs": OUTPUTS, "inputs": inputs, "changedPropIds": [], "state": []}
                r = c.post("/_dash-update-component", json=body, headers=ORIGIN)
                declared = len(combo) == 2 and kinds[combo[0]][0] == "pathname" and kinds[combo[1]][0] == "search"
                if declared and combo[0] == "p":
                    assert r.status_code == 200, (combo, r.status_code)  # /open itself, as asked
                    assert b"admin-" not in r.data and b"entry-" not in r.data
                else:
                    assert r.status_code in (400, 403), (role, target, combo, r.status_code)


def test_a_callback_is_judged_by_the_callback_it_names_not_the_outputs_it_claims(env):
    """Dash runs the callback that ``output`` names; claiming another page's outputs beside it
    does not borrow that page's access."""
    make, app, _eng = env
    c = make("viewer")
    admin_cb = next(k for k in app.app.callback_map if k.startswith("..admin-") or k.startswith("admin-"))
    cb = app.app.callback_map[admin_cb]
    body = {
        "output": admin_cb,
        "outputs": [{"id": "kpi-table", "property": "children"}],
        "inputs": [{"id": i["id"], "property": i["property"], "value": None} for i in cb["inputs"]],
        "state": [{"id": s["id"], "property": s["property"], "value": None} for s in cb["state"]],
        "changedPropIds": [],
    }
    assert c.post("/_dash-update-component", json=body, headers=ORIGIN).status_code == 403
    body["output"] = "no-such-output.children"
    assert c.post("/_dash-update-component", json=body, headers=ORIGIN).status_code == 400


def test_the_guard_finds_the_page_dash_renders(env):
    """``auth.rendered_page`` against Dash's own router rule, on ordinary and odd paths."""
    from dash._pages import _path_to_page  # Dash's private rule: the one to agree with

    from web import auth

    make, app, _eng = env
    make("public")
    paths = [
        "/",
        "/kpi",
        "/kpi/",
        "/kpi/K01",
        "/kpi/K01/x",
        "/kpi/\n",
        "//admin",
        "/admin/",
        "/admin/x",
        "/district/8601",
        "/district/",
        "/open/kpi",
        "/open/../admin",
        "/Admin",
        "/%61dmin",
        "/entry/data",
        "/meeting/directives",
        "/gpp?x=1",
        "/ä",
        "/kpi/a\nb",
        "/open/kpi/x",
    ]
    for path in paths:
        page, _vars = _path_to_page(app.app.strip_relative_path(path))
        try:
            mine = auth.rendered_page(path)
        except auth.BadCallback:
            mine = "refused"
        assert (mine["path"] if isinstance(mine, dict) else mine) in ((page or {}).get("path"), "refused"), path
        if mine == "refused":
            assert not page, path


def test_every_page_checks_its_own_reader(env):
    """Defence in depth: each page's layout refuses a reader its path does not admit, even if
    the router were fooled."""
    import flask

    make, app, _eng = env
    make("public")
    for p in dash.page_registry.values():
        if p["module"].endswith("not_found_404"):
            continue
        assert getattr(p["layout"], "access_checked", False), p["module"]
    admin = next(p for p in dash.page_registry.values() if p["path"] == "/admin")
    with app.server.test_request_context("/_dash-update-component"):
        flask.g._login_user = None  # nobody signed in
        out = admin["layout"]()
    assert getattr(out, "id", None) == "page-refused"
    assert "admin-" not in json.dumps(out.to_plotly_json(), default=str)


# ---------------------------------------------------------------- finding 7: HEAD, odd paths, redirects
def test_head_is_guarded_like_get(env):
    make, _app, _eng = env
    pub, viewer = make("public"), make("viewer")
    for path in internal_pages():
        r = pub.head(path)
        assert r.status_code == 302 and "/login" in r.headers["Location"], path
    assert viewer.head("/admin").status_code == 403
    assert viewer.head("/kpi").status_code == 200


@pytest.mark.parametrize(
    "nxt",
    [
        "/\t/evil.example",
        "/\r\n/evil.example",
        "/\\evil.example",
        "//evil.example",
        "https://evil.example/",
        " //evil.example",
        "/%0d%0aSet-Cookie:x=1",
        "\x00/kpi",
        "javascript:alert(1)",
        "/\u3000/evil.example",
    ],
)
def test_after_sign_in_only_this_sites_own_paths(env, nxt):
    make, app, _eng = env
    c = app.server.test_client()
    page = c.get("/login", query_string={"next": nxt})
    assert page.status_code == 200
    token = re.search(r'name="csrf" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    r = c.post(
        "/login", data={"username": "a_viewer", "password": PASSWORD, "csrf": token, "next": nxt}, headers=ORIGIN
    )
    assert r.status_code == 302
    loc = r.headers["Location"]
    assert loc.startswith("/") and not loc.startswith("//") and "\\" not in loc, loc
    assert not any(ord(ch) < 33 for ch in loc) and "evil.example" not in loc.split("?")[0].split("/")[1:2]


def test_odd_paths_and_parameters_answer_4xx_not_500(env):
    make, _app, _eng = env
    pub, admin = make("public"), make("admin")
    assert pub.get("/kpi%0d%0a").status_code == 400
    r = pub.get("/kpi?x=1")
    assert r.status_code == 302 and "\n" not in r.headers["Location"]
    for c in (pub, admin):
        r = c.post("/_dash-update-component", json=router_body(" /admin"), headers=ORIGIN)
        assert r.status_code == 400
    r = admin.post(
        "/_dash-update-component",
        json=router_body("/meeting/directives", "?agenda=99999999999999999999"),
        headers=ORIGIN,
    )
    assert r.status_code == 200
    assert admin.get("/meeting/directives?agenda=99999999999999999999").status_code == 200


def test_every_page_parameter_with_odd_values_never_answers_500(env):
    """Each page's named URL parameters (and an unknown one) with values of the wrong kind."""
    make, _app, _eng = env
    c = make("admin")
    n = 0
    for p in dash.page_registry.values():
        if p["module"].endswith("not_found_404"):
            continue
        names = [
            k
            for k, v in inspect.signature(p["layout"]).parameters.items()
            if v.kind is not v.VAR_KEYWORD and k != "code"
        ] + ["zz"]
        path = p["path"].replace("<code>", "K01")
        for name in names:
            for value in ("abc", "99999999999999999999", "-1", "๒๕๖๙", "<x>'"):
                r = c.post(
                    "/_dash-update-component", json=router_body(path, "?" + urlencode({name: value})), headers=ORIGIN
                )
                n += 1
                assert r.status_code < 500, (path, name, value, r.status_code)
        if "<code>" in p["path"]:
            for code in ("99999999999999999999", "<x>'", "K01/x"):
                r = c.post(
                    "/_dash-update-component", json=router_body(p["path"].replace("<code>", code)), headers=ORIGIN
                )
                assert r.status_code < 500, (p["path"], code, r.status_code)
    assert n > 100


def _wild(pattern: str, value):
    return {k: (value if isinstance(v, list) else v) for k, v in json.loads(pattern).items()}


def test_every_callback_fed_values_of_the_wrong_kind_never_answers_500(env):
    """Every server callback, as an admin (who may run them all), with inputs and state of the
    declared ids whose values are of kinds its components never send."""
    make, app, _eng = env
    c = make("admin")
    ran = 0
    for key, cb in app.app.callback_map.items():
        if key == ROUTER or "callback" not in cb:
            continue
        outs = cb["output"] if isinstance(cb["output"], list) else [cb["output"]]
        outputs = [
            {
                "id": _wild(o.component_id_str(), "x")
                if o.component_id_str().startswith("{")
                else o.component_id_str(),
                "property": o.component_property,
            }
            for o in outs
        ]

        def arg(d, value):
            if d["id"].startswith("{"):
                return [{"id": _wild(d["id"], 1), "property": d["property"], "value": value}]
            return {"id": d["id"], "property": d["property"], "value": value}

        for value in ("abc", 99999999999999999999, ["x"], {"a": 1}):
            body = {
                "output": key,
                "outputs": outputs if len(outputs) > 1 else outputs[0],
                "inputs": [arg(i, value) for i in cb["inputs"]],
                "state": [arg(s, value) for s in cb["state"]],
                "changedPropIds": [f"{cb['inputs'][0]['id']}.{cb['inputs'][0]['property']}"],
            }
            r = c.post("/_dash-update-component", json=body, headers=ORIGIN)
            assert r.status_code < 500, (key, value, r.status_code)
            ran += 1
    assert ran > 100
