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
        again = c.get(script, headers={"Accept-Encoding": "br"})
        assert again.get_data() == c.get(script, headers={"Accept-Encoding": "br"}).get_data()
        answer = c.post(
            "/_dash-update-component", json=router_body("/kpi"), headers={**ORIGIN, "Accept-Encoding": "br"}
        )
        assert answer.status_code == 200 and answer.headers["Content-Encoding"] == "br"
        assert b"kpi-title" in brotli.decompress(answer.get_data())
        page = c.get("/kpi", headers={"Accept-Encoding": "br, gzip"})
        assert page.status_code == 200 and "Content-Encoding" not in page.headers  # HTML: never
