"""Which views get a 16:9 slide of their own (web/present.slide_kind) and what a page's figure
becomes on a slide (pages/slide.slide_font): pure functions, no browser."""

from __future__ import annotations

import pytest

from web import present


@pytest.mark.parametrize(
    ("view", "want"),
    [
        ("/kpi/K01", ("kpi", "K01")),
        ("/kpi/K01?fy=2570&round=6", ("kpi", "K01")),
        ("/kpi/K01?fy=2570&slide=districts", ("districts", "K01")),
        ("/", ("overview", None)),
        ("/?fy=2570", ("overview", None)),
        ("/meeting/directives?open=1", ("directives", None)),
        ("/kpi/K05?fy=2570&chart=kpidetail-months", None),  # one chart alone: the page, as chosen
        ("/gpp?province=86&from=2553", ("gpp", None)),
        ("/map?layer=population", None),
        ("/kpi", None),
        ("//evil.example/kpi/K01", None),
        ("https://evil.example/", None),
        ("", None),
        ("\x00/", None),  # urlsplit drops a leading control character; an agenda refuses it
        ("/\\evil.example", None),
        ("kpi/K01", None),
    ],
)
def test_slide_kind(view, want):
    assert present.slide_kind(view) == want


def test_slide_src_is_the_slide_or_the_page():
    from urllib.parse import parse_qsl, urlsplit

    src = present.slide_src("/kpi/K01?fy=2570")
    assert urlsplit(src).path == "/meeting/slide"
    assert dict(parse_qsl(urlsplit(src).query)) == {"view": "/kpi/K01?fy=2570", "present": "1"}
    assert present.slide_src("/map?layer=population") == "/map?layer=population&present=1"
    assert present.slide_src("/projects") == "/projects?present=1"


def test_a_figure_on_a_slide_has_no_font_under_18_px_and_the_slides_colours():
    import app  # noqa: F401  (the pages register with the app)
    from components import cockpit as ck
    from pages import slide

    fig = ck.fig_base("ชื่อกราฟ<br><span style='font-size:13px'>หมายเหตุ</span>")
    fig["layout"]["annotations"] = [{"text": "x", "font": {"size": 11}}]
    fig["layout"]["xaxis"]["tickfont"] = {"size": 10}
    fig["data"] = [{"type": "scatter", "marker": {"size": 8}}]
    got = slide.slide_font(fig, "dark")

    sizes = []

    def walk(node, key=""):
        if isinstance(node, dict):
            if key in ("font", "tickfont") and "size" in node:
                sizes.append(node["size"])
            for k, v in node.items():
                walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)

    walk(got["layout"])
    assert sizes and min(sizes) >= 18, sizes
    assert "font-size:13px" not in got["layout"]["title"]["text"]
    assert got["data"][0]["marker"]["size"] == 8  # a marker is not a font
    assert got["layout"]["paper_bgcolor"] == slide.THEMES["dark"]["bg"]
    assert "height" not in got["layout"]  # sized by the slide's box
    assert fig["layout"]["font"]["size"] == 14  # the page's own figure is untouched


def test_cut_says_where_it_cut():
    import app  # noqa: F401
    from pages import slide

    assert slide.cut("สั้น", 10) == ("สั้น", False)
    text, was_cut = slide.cut("คำ " * 100, 40)
    assert was_cut and text.endswith("…") and len(text) <= 40
