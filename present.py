"""The presenter: ``/meeting/present/<agenda>`` projects an agenda's live views full screen
(plain HTML and assets/sanyan-present.js, no Dash callbacks of its own).

``agenda_views(key, lang)`` is the list of views of an agenda, the automatic "red first" one
(key ``red``) included, each {"path", "title"}; exports.py uses it too.
"""
from __future__ import annotations

import db
from components import cockpit as ck
from config import settings
from etl import meeting, ops


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
            views = meeting.red_first_views(db.query("cockpit/kpi_status", fy=point.fy, idx=point.idx, area=area),
                                            point.fy, lang)
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


def init(server) -> None:
    """Register the presenter's routes."""
