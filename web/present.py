"""The presenter: ``/meeting/present/<agenda>`` projects an agenda's live views full screen
(plain HTML and assets/sanyan-present.js, no Dash callbacks of its own).

``agenda_views(key, lang)`` is the list of views of an agenda, the automatic "red first" one
(key ``red``) included, each {"path", "title"}; web/exports.py uses it too.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

import db
import ops
from components import cockpit as ck
from components import icons
from config import settings
from ops import meeting

SLIDE_PATH = "/meeting/slide"  # pages/slide.py
_KPI = re.compile(r"^/kpi/([A-Za-z0-9_.-]{1,40})/?$")


def slide_kind(view: str) -> tuple[str, str | None] | None:
    """(kind, KPI code) of the slide composed for view `view` (a path of the app with its query):
    ``kpi``, ``districts`` (``/kpi/<code>?slide=districts``), ``overview`` (``/``), ``directives``
    (``/meeting/directives``) or ``gpp`` (``/gpp``); None for any other page, and for a view of one chart alone
    (``chart=``), which are shown as the page itself."""
    try:  # an agenda's own rule for a view's address (no other host, no control character)
        parts = urlsplit(meeting.clean_path(view if isinstance(view, str) else ""))
    except meeting.EntryError:
        return None
    path = parts.path.rstrip("/") or "/"
    query = dict(parse_qsl(parts.query))
    if "chart" in query:  # one chart of a page alone, as its presenter chose
        return None
    m = _KPI.match(parts.path)
    if m:
        return ("districts" if query.get("slide") == "districts" else "kpi"), m.group(1)
    if path == "/":
        return "overview", None
    if path == "/meeting/directives":
        return "directives", None
    if path == "/gpp":
        return "gpp", None
    return None


def slide_src(view: str) -> str:
    """Where the presenter and the exports draw view `view`: its 16:9 slide, or the page itself in
    the projector theme (``present=1``) when it has no slide of its own."""
    if slide_kind(view) is not None:
        return f"{SLIDE_PATH}?{urlencode({'view': view, 'present': '1'})}"
    return view + ("&" if "?" in view else "?") + "present=1"


def agenda_views(key: str, lang: str) -> tuple[str, list[dict]] | None:
    """(title, views) of agenda `key` (an id, or ``red``), ending with the open-directives view;
    None when there is no such agenda."""
    th = lang == "th"
    if key == meeting.RED_FIRST:
        area = settings.province
        point = ck.resolve_point(db.query("cockpit/fiscal_years", area=area))
        if point.fy is None:
            views = []
        else:
            views = meeting.red_first_views(
                db.query("cockpit/kpi_status", fy=point.fy, idx=point.idx, area=area), point.fy, lang
            )
        title = "วาระอัตโนมัติ: ตัวชี้วัดสีแดงก่อน" if th else "Automatic agenda: red first"
    else:
        try:
            agenda_id = int(key)
        except (TypeError, ValueError):
            return None
        eng = ops.engine()
        a = meeting.agenda(eng, agenda_id)
        if a is None:
            return None
        title = a["title"]
        views = [{"path": i["path"], "title": i["title"]} for i in meeting.items(eng, agenda_id)]
    return title, views + [meeting.follow_up_view(lang)]


TEXT = {
    "th": {
        "prev": "ก่อนหน้า",
        "next": "ถัดไป",
        "exit": "ออกจากโหมดนำเสนอ",
        "theme": "สลับสว่าง/มืด",
        "directive": "ออกข้อสั่งการ",
        "timer": "เวลานำเสนอ",
        "slide": "หน้า",
        "full": "เต็มจอ",
        "offline": "ขาดการเชื่อมต่อเซิร์ฟเวอร์ หน้าที่เปิดแล้วยังแสดงได้",
        "none": "ไม่มีวาระนี้",
    },
    "en": {
        "prev": "Previous",
        "next": "Next",
        "exit": "Leave the presentation",
        "theme": "Light / dark",
        "directive": "Issue a directive",
        "timer": "Presenting for",
        "slide": "Slide",
        "full": "Full screen",
        "offline": "The server is unreachable; slides already shown still work",
        "none": "No such agenda",
    },
}

PAGE = """<!DOCTYPE html>
<html lang="{lang}" class="sy-presenter-root">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · สัญญาณ Sanyan</title>
<link rel="stylesheet" href="/assets/sanyan.css"></head>
<body class="sy-presenter {theme_class}" data-presenter="1" data-agenda="{key}">
<header class="sy-presenter-bar" id="present-bar">
  <a class="btn btn-sm sy-presenter-btn" href="/meeting" id="present-exit">{ic[cross]} {tx[exit]}</a>
  <h1 class="sy-presenter-title" id="present-title">{title}</h1>
  <span class="sy-presenter-slide-title" id="present-slide-title" aria-live="polite"></span>
  <span class="sy-presenter-count" id="present-count" aria-label="{tx[slide]}"></span>
  <span class="sy-presenter-timer" id="present-timer" title="{tx[timer]}">00:00</span>
  <button type="button" class="btn btn-sm sy-presenter-btn" id="present-prev" aria-label="{tx[prev]}">{ic[left]}</button>
  <button type="button" class="btn btn-sm sy-presenter-btn" id="present-next" aria-label="{tx[next]}">{ic[right]}</button>
  <button type="button" class="btn btn-sm sy-presenter-btn" id="present-theme">{ic[contrast]} {tx[theme]}</button>
  <button type="button" class="btn btn-sm sy-presenter-btn" id="present-full">{tx[full]} (F)</button>
  {directive}
  <span class="sy-presenter-offline" id="present-offline" role="status" hidden>{ic[warn]} {tx[offline]}</span>
</header>
<main class="sy-presenter-stage" id="present-stage"></main>
<script type="application/json" id="present-slides">{slides}</script>
<script src="/assets/sanyan-present.js"></script>
</body></html>"""


def init(server) -> None:
    """Register the presenter's route. The auth guard (web/auth.py) already keeps the public out of
    /meeting; every slide is a page of the app, loaded with the viewer's own rights."""
    import json
    from html import escape

    import flask

    from components.i18n import current_lang
    from web import auth

    @server.route("/meeting/present/<key>")
    def present(key: str):
        if auth.role() == "public":
            return flask.redirect(f"/login?next=/meeting/present/{key}")
        lang = current_lang()
        tx = TEXT[lang]
        got = agenda_views(key, lang)
        if got is None:
            return flask.Response(tx["none"], 404)
        title, views = got
        dark = flask.request.args.get("theme") == "dark"
        directive = ""
        if meeting.may_direct(meeting.Actor(auth.current_user.username, auth.role())):
            directive = (
                f'<a class="btn btn-sm sy-presenter-btn" id="present-directive" target="_blank" '
                f'rel="noopener" href="/meeting/directives">+ {escape(tx["directive"])}</a>'
            )
        slides = json.dumps(
            [{"path": v["path"], "src": slide_src(v["path"]), "title": v["title"]} for v in views],
            ensure_ascii=False,
        )
        html = PAGE.format(
            lang=lang,
            title=escape(title),
            key=escape(key),
            tx={k: escape(v) for k, v in tx.items()},
            theme_class="sy-present-dark" if dark else "",
            ic={n: icons.icon_html(n) for n in ("cross", "left", "right", "contrast", "warn")},
            directive=directive,
            slides=slides.replace("</", "<\\/"),
        )
        return flask.Response(html, mimetype="text/html")
