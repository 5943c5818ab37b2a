"""Issue 20: the app compresses what it serves itself (make run too, not only behind nginx): brotli
or gzip as the browser asks, for scripts, styles, JSON and the callbacks' answers; never an HTML
page (it carries the session's CSRF token: BREACH); the shipped files compressed once per worker."""

from __future__ import annotations

import brotli

from tests.conftest import ORIGIN, PASSWORD, app_on_a_copy, login, router_body


def test_scripts_and_answers_are_compressed_and_pages_are_not(built_warehouse, tmp_path):
    with app_on_a_copy(built_warehouse, tmp_path, "compress"):
        import app
        import ops
        from web import auth

        auth.add_user(ops.engine(), "zip_exec", PASSWORD, "executive")
        c = app.server.test_client()
        assert login(c, "zip_exec", PASSWORD).status_code == 302
        script = "/_dash-component-suites/plotly/package_data/plotly.min.js"
        plain = c.get(script, headers={"Accept-Encoding": "identity"})
        assert "Content-Encoding" not in plain.headers
        for enc, unpack in (("br", brotli.decompress), ("gzip", __import__("gzip").decompress)):
            r = c.get(script, headers={"Accept-Encoding": enc})
            assert r.headers["Content-Encoding"] == enc and "Accept-Encoding" in r.headers["Vary"]
            assert len(r.get_data()) < len(plain.get_data()) / 3
            assert unpack(r.get_data()) == plain.get_data()  # the same bytes, packed
        css = "/assets/vendor/bootstrap/bootstrap.min.css"  # assets/ is served as a file stream
        whole = c.get(css, headers={"Accept-Encoding": "identity"}).get_data()
        packed = c.get(css, headers={"Accept-Encoding": "br"})
        assert packed.headers["Content-Encoding"] == "br" and brotli.decompress(packed.get_data()) == whole
        assert len(packed.get_data()) < len(whole) / 4
        assert c.get(css, headers={"Accept-Encoding": "br", "If-None-Match": packed.headers["ETag"]}).status_code == 304
        again = c.get(script, headers={"Accept-Encoding": "br"})
        assert again.get_data() == c.get(script, headers={"Accept-Encoding": "br"}).get_data()
        answer = c.post(
            "/_dash-update-component", json=router_body("/kpi"), headers={**ORIGIN, "Accept-Encoding": "br"}
        )
        assert answer.status_code == 200 and answer.headers["Content-Encoding"] == "br"
        assert b"kpi-title" in brotli.decompress(answer.get_data())
        page = c.get("/kpi", headers={"Accept-Encoding": "br, gzip"})
        assert page.status_code == 200 and "Content-Encoding" not in page.headers  # HTML: never


def test_the_browser_gets_plotly_s_basic_bundle_of_plotly_py_s_version(built_warehouse, tmp_path):
    """Dash's renderer asks for plotly.js at one address; the app answers with the basic bundle
    (scatter, bar, pie), a quarter of the whole, of the same plotly.js version that plotly.py
    (exports, figures' JSON) is built for; and every trace type the pages draw is in it."""
    import re

    import plotly

    with app_on_a_copy(built_warehouse, tmp_path, "partial"):
        import app

        c = app.server.test_client()
        r = c.get("/_dash-component-suites/plotly/package_data/plotly.min.js", headers={"Accept-Encoding": "identity"})
        assert r.status_code == 200 and r.mimetype == "application/javascript"
        head = r.get_data()[:200].decode()
        assert f"plotly.js (basic - minified) v{plotly.offline.get_plotlyjs_version()}" in head
        assert len(r.get_data()) < 1.5e6  # the whole plotly.min.js is 4.8 MB
        assert c.get(r.request.path, headers={"If-None-Match": r.headers["ETag"]}).status_code == 304
        assert c.head(r.request.path).status_code == 200
        same_site = {"Origin": "http://localhost"}  # a POST from elsewhere is refused before routing (403)
        assert [c.open(r.request.path, method=m, headers=same_site).status_code for m in ("POST", "PUT", "DELETE")] == [
            405
        ] * 3
        # a file no package ships is not found (Dash itself raised a 500 for it)
        for bad in ("package_data/plotly.min.jsx", "package_data/plotly.min.js/../x", "nothing.js"):
            assert c.get("/_dash-component-suites/plotly/" + bad).status_code == 404, bad
    # the figures are dicts built in components/ and pages/ (no plotly.express, no go.<Trace>)
    root = __import__("pathlib").Path(__file__).resolve().parents[1]
    drawn = set()
    for d in ("components", "pages"):
        for f in (root / d).rglob("*.py"):
            text = f.read_text(encoding="utf-8")
            assert "plotly.express" not in text and not re.search(r"\bgo\.(?!Figure\b)[A-Z]\w+\(", text), f
            drawn |= set(re.findall(r'"type":\s*"(\w+)"', text))
    traces = drawn - {"category", "date", "linear", "log", "data", "line", "rect", "circle", "path"}  # axes, shapes
    assert traces and traces <= {"scatter", "bar", "pie"}, traces
