"""/admin: accounts and the audit trail (admins only; the server refuses everyone else, see
auth.py). Accounts are created with `python -m etl user add`; the audit trail can be exported."""
from __future__ import annotations

import dash
import pandas as pd
import sqlalchemy as sa
from dash import Input, Output, callback, dcc, html

from components import thai
from components.i18n import current_lang
from etl import ops

dash.register_page(__name__, path="/admin", name="ผู้ดูแลระบบ", name_en="Administration",
                   title="ผู้ดูแลระบบ · สัญญาณ Sanyan", order=95)

TEXT = {"th": {"title": "ผู้ดูแลระบบ", "users": "ผู้ใช้", "audit": "บันทึกการใช้งาน (ล่าสุด 200 รายการ)",
               "export": "ส่งออกบันทึกทั้งหมด (.csv)", "how": "เพิ่มผู้ใช้ด้วยคำสั่ง: python -m etl user add ชื่อ --role บทบาท",
               "ucols": ["ชื่อผู้ใช้", "บทบาท", "หน่วยงาน", "พื้นที่", "ใช้งาน", "เข้าระบบล่าสุด"],
               "acols": ["เวลา", "ผู้ใช้", "การกระทำ", "เป้าหมาย", "ผล"]},
        "en": {"title": "Administration", "users": "Users", "audit": "Audit trail (latest 200)",
               "export": "Export the whole trail (.csv)", "how": "Add users with: python -m etl user add NAME --role ROLE",
               "ucols": ["User", "Role", "Unit", "Area", "Active", "Last sign-in"],
               "acols": ["When", "Who", "Action", "Target", "Outcome"]}}


def _table(cols, rows, id_):
    return html.Div(html.Table([html.Thead(html.Tr([html.Th(c, scope="col") for c in cols])),
                                html.Tbody([html.Tr([html.Td(x, **{"data-label": c}) for c, x in zip(cols, r)])
                                            for r in rows])], className="table table-sm sy-table sy-stack", id=id_),
                    className="table-responsive")


def layout(**_kwargs) -> html.Div:
    lang = current_lang()
    tx = TEXT[lang]
    eng = ops.engine()
    with eng.connect() as con:
        users = con.execute(sa.select(ops.users).order_by(ops.users.c.username)).mappings().all()
        audit = con.execute(sa.select(ops.audit_log).order_by(ops.audit_log.c.audit_id.desc()).limit(200)).mappings().all()
    when = lambda x: thai.format_date_th(x.replace(tzinfo=x.tzinfo or thai.timezone.utc), lang, True, True) if x else "–"  # noqa: E731
    return html.Div([
        html.H1(tx["title"], className="sy-page-title", id="admin-title"),
        html.H2(tx["users"], className="h4"), html.P(tx["how"], className="sy-meta"),
        _table(tx["ucols"], [[u["username"], u["role"], u["unit"] or "–", u["area_code"] or "–",
                              "✓" if u["active"] else "✗", when(u["last_login"])] for u in users], "admin-users"),
        html.H2(tx["audit"], className="h4 mt-4"),
        html.Button(tx["export"], id="admin-export", className="btn btn-outline-primary mb-2"),
        dcc.Download(id="admin-download"),
        _table(tx["acols"], [[when(a["at"]), a["who"], a["action"], a["target"] or "", a["outcome"]] for a in audit],
               "admin-audit"),
    ], className="sy-page", id="admin-page")


@callback(Output("admin-download", "data"), Input("admin-export", "n_clicks"), prevent_initial_call=True)
def _export(_n):
    from flask_login import current_user
    rows = ops.audit_rows(ops.engine())
    ops.record_audit(ops.engine(), "export", target="audit_log", who=current_user.username,
                     after={"rows": len(rows)})
    return dcc.send_string("\ufeff" + pd.DataFrame(rows).to_csv(index=False), "sanyan_audit.csv")
