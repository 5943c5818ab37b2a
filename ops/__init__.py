"""The ops store: the transactional store for what people do (SQLAlchemy Core).

SQLite in WAL mode by default (``settings.ops_url``); a PostgreSQL URL works the same way.
This module creates the store with the load lineage; later capabilities add their tables
to ``metadata``.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from config import settings

metadata = sa.MetaData()

load_lineage = sa.Table(
    "load_lineage",
    metadata,
    sa.Column("load_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("file_name", sa.String(500), nullable=False),  # as given by the person
    sa.Column("stored_path", sa.String(1000)),  # under data/incoming, if accepted
    sa.Column("dataset", sa.String(100)),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("rows", sa.Integer),
    sa.Column("loaded_by", sa.String(200), nullable=False),
    sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("result", sa.String(20), nullable=False),  # accepted / rejected / build-failed
    sa.Column("message", sa.Text),
    sa.Column("snapshot", sa.String(100)),  # version built with it, if any
)


def _sqlite_wal(dbapi_conn, _record):
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


_engines: dict[str, tuple[sa.Engine, int]] = {}  # url -> (engine, tables created)
_engines_lock = threading.Lock()


def engine(url: str | None = None) -> sa.Engine:
    """The engine for ``url`` (default ``settings.ops_url``), one per URL and process.

    Its connection pool is what makes a PostgreSQL store cheap per request (SQLite opens a
    connection per use). The first call creates the engine and the tables; later calls return
    it, creating only the tables that a module imported since has added to ``metadata``.
    """
    url = url or settings.ops_url
    with _engines_lock:
        eng, n_tables = _engines.get(url, (None, 0))
        if eng is None:
            if url.startswith("sqlite:///"):
                Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
            if url.startswith("sqlite"):
                # a fresh connection per use, as cheap as a file open: a restore that
                # replaces the file (etl/backup.py) is seen at once by a running app
                eng = sa.create_engine(url, poolclass=sa.pool.NullPool)
                sa.event.listen(eng, "connect", _sqlite_wal)
            else:
                # pooled; pre_ping: a node keeps serving after the database server restarts
                eng = sa.create_engine(url, pool_pre_ping=True)
        if n_tables != len(metadata.tables):
            _make_tables(eng)
            _engines[url] = (eng, len(metadata.tables))
        return eng


def _make_tables(eng: sa.Engine, tries: int = 5) -> None:
    """``migrate``, ``create_all`` and ``add_columns``, tolerant of another process doing the same
    at the same moment: gunicorn's workers start together on a fresh store, each checks that a
    table is missing and creates it, and all but the first are told it already exists (a worker
    that died of it took the whole server down, bench/load.py on 8 December 2026). Such a loser
    looks again: the second look finds what the winner made."""
    import random
    import time

    for attempt in range(tries):
        try:
            migrate(eng)
            metadata.create_all(eng)
            add_columns(eng)
            return
        except sa.exc.DBAPIError as e:
            text = str(e.orig if e.orig is not None else e).lower()
            lost_race = "already exists" in text or "duplicate" in text or "unique constraint" in text
            if not lost_race or attempt == tries - 1:
                raise
            time.sleep(0.05 + random.random() * 0.2)  # the winner's transaction ends meanwhile


def add_columns(eng: sa.Engine) -> list[str]:
    """Add to the store's existing tables the columns ``metadata`` has gained since they were
    made (``create_all`` makes missing tables, never missing columns). Only nullable columns
    without a server default are ever added, so this never changes a row; anything else is a
    real migration and is refused here. Alembic writes the DDL for the store's dialect. Returns
    ``table.column`` of each column added."""
    added: list[str] = []
    with eng.begin() as con:
        have = sa.inspect(con)
        names = set(have.get_table_names())
        op = None
        for table in metadata.sorted_tables:
            if table.name not in names:
                continue
            present = {c["name"] for c in have.get_columns(table.name)}
            for col in table.columns:
                if col.name in present:
                    continue
                if not col.nullable or col.server_default is not None or col.primary_key:
                    raise RuntimeError(f"ops store: {table.name}.{col.name} needs a real migration")
                if op is None:
                    # alembic (and mako, pygments: ~10 MB a worker) only when a column is missing,
                    # never on a store that is up to date: every worker opens the store once
                    from alembic.migration import MigrationContext
                    from alembic.operations import Operations

                    op = Operations(MigrationContext.configure(con))
                op.add_column(table.name, sa.Column(col.name, col.type, nullable=True))
                added.append(f"{table.name}.{col.name}")
    return added


def _ddl_transaction(eng: sa.Engine):
    """A connection in one transaction that covers DDL too: PostgreSQL's are; pysqlite begins a
    transaction only before DML, so on SQLite the connection runs in autocommit and this sends
    BEGIN IMMEDIATE (which also makes a second process starting at once wait, then find it done)."""
    from contextlib import contextmanager

    @contextmanager
    def tx():
        if eng.dialect.name != "sqlite":
            with eng.begin() as con:
                yield con
            return
        with eng.connect() as base:
            con = base.execution_options(isolation_level="AUTOCOMMIT")
            con.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                con.exec_driver_sql("ROLLBACK")
                raise
            con.exec_driver_sql("COMMIT")

    return tx()


def migrate(eng: sa.Engine) -> list[str]:
    """The real migrations of an older store, each in one transaction (all or nothing), before
    ``create_all`` and ``add_columns``. Returns what was migrated.

    * ``rounds`` without ``area_code`` (a round was a whole month, locked for every area): the table
      is made again keyed by (fiscal_year, month, area_code) and each old row kept as the area
      ALL_AREAS, so a month locked before still locks every area until an area is reopened.
    * ``setup_tokens`` keyed by the token: made again with one slot (``_migrate_setup_tokens``)."""
    done: list[str] = _migrate_setup_tokens(eng)
    have = sa.inspect(eng)
    if "rounds" not in have.get_table_names() or "area_code" in {c["name"] for c in have.get_columns("rounds")}:
        return done  # nothing to do: no lock taken
    with _ddl_transaction(eng) as con:
        if con.dialect.name == "postgresql":  # a second node migrating at once waits, then finds it done
            con.execute(sa.text("LOCK TABLE rounds IN ACCESS EXCLUSIVE MODE"))
        if "area_code" in {c["name"] for c in sa.inspect(con).get_columns("rounds")}:
            return done
        old = sa.Table("rounds", sa.MetaData(), autoload_with=con)
        kept = [dict(r) for r in con.execute(sa.select(old)).mappings()]
        old.drop(con)
        rounds.create(con)
        if kept:
            con.execute(rounds.insert(), [{**r, "area_code": ALL_AREAS} for r in kept])
        done.append(f"rounds.area_code ({len(kept)} whole-month round(s) kept as area {ALL_AREAS})")
    return done


def _migrate_setup_tokens(eng: sa.Engine) -> list[str]:
    """``setup_tokens`` keyed by its token (several addresses good at once) is made again keyed by
    ``slot`` (one at a time). Its rows are not kept: each was a one-time address printed at a
    start, and the next start (or ``python setup_admin.py``) prints a new one."""
    have = sa.inspect(eng)
    if "setup_tokens" not in have.get_table_names() or "slot" in {c["name"] for c in have.get_columns("setup_tokens")}:
        return []
    with _ddl_transaction(eng) as con:
        if con.dialect.name == "postgresql":
            con.execute(sa.text("LOCK TABLE setup_tokens IN ACCESS EXCLUSIVE MODE"))
        if "slot" in {c["name"] for c in sa.inspect(con).get_columns("setup_tokens")}:
            return []
        con.execute(sa.text("DROP TABLE setup_tokens"))
        setup_tokens.create(con)
    return ["setup_tokens.slot (one setup address at a time; the older ones are void)"]


def serialized(eng: sa.Engine):
    """A write transaction for a check and the change it allows, where two at once must not both
    pass: on SQLite it takes the write lock at its start (BEGIN IMMEDIATE; another waits up to the
    busy timeout); on PostgreSQL an ordinary transaction, whose conditional UPDATE / DELETE of one
    row makes a second one wait for the first and then find the row changed."""
    return _ddl_transaction(eng)


def dispose(url: str | None = None) -> None:
    """Forget the engine for ``url`` and close its pooled connections (before its database is
    dropped: the tests' PostgreSQL schemas). A restored SQLite file needs nothing: SQLite
    engines keep no connection open."""
    url = url or settings.ops_url
    with _engines_lock:
        eng, _ = _engines.pop(url, (None, 0))
    if eng is not None:
        eng.dispose()


def record_load(eng: sa.Engine, **values) -> int:
    values.setdefault("loaded_at", datetime.now(UTC))
    values.setdefault("loaded_by", settings.user)
    with eng.begin() as con:
        res = con.execute(load_lineage.insert().values(**values))
        return int(res.inserted_primary_key[0])


def update_load(eng: sa.Engine, load_id: int, **values) -> None:
    with eng.begin() as con:
        con.execute(load_lineage.update().where(load_lineage.c.load_id == load_id).values(**values))


def lineage_rows(eng: sa.Engine) -> list[dict]:
    with eng.connect() as con:
        rows = con.execute(sa.select(load_lineage).order_by(load_lineage.c.load_id)).mappings()
        return [dict(r) for r in rows]


# ---------------------------------------------------------------- users
ROLES = ("admin", "executive", "verifier", "editor", "viewer")
users = sa.Table(
    "users",
    metadata,
    sa.Column("user_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(100), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(300), nullable=False),  # argon2id
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("unit", sa.String(200)),  # owner unit (verifier, editor)
    sa.Column("area_code", sa.String(10)),  # district of an editor
    sa.Column("active", sa.Boolean, nullable=False, default=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_login", sa.DateTime(timezone=True)),
    # added by issue 19 (warnings delivered): nullable, so an older store gains them (add_columns)
    sa.Column("email", sa.String(320)),  # where warnings are e-mailed; none: the app's inbox only
    sa.Column("lang", sa.String(2)),  # th / en: the language of the messages sent to this person
    # added by issue 28 (LINE): nullable, so an older store gains it (add_columns)
    sa.Column("line_id", sa.String(33)),  # the person's LINE user id (U + 32 hex), linked from /inbox (ops/line.py)
)

# Which KPI classifications each role reads: db.py hides the rest from every query result
# (web/auth.py), and nobody is sent a warning about a KPI they may not read (ops/notify.py).
READS = {
    "admin": None,
    "executive": None,
    "verifier": frozenset({"open", "internal"}),
    "editor": frozenset({"open", "internal"}),
    "viewer": frozenset({"open", "internal"}),
    "public": frozenset({"open"}),
}

# Sign-in sessions, kept on the server so they can be ended (web/auth.py): the browser's signed cookie
# holds a random token, this table its SHA-256. Sign-out ends one; a new password, disabling an
# account or changing its role ends every session of that account.
sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("token_sha256", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.Integer, nullable=False, index=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("ended_at", sa.DateTime(timezone=True)),
    sa.Column("ended_why", sa.String(50)),  # logout / password / disabled / role
)

# ---------------------------------------------------------------- the audit trail
audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("audit_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("who", sa.String(200), nullable=False),
    sa.Column("action", sa.String(100), nullable=False),  # backup, restore, load, login, ...
    sa.Column("target", sa.String(1000)),
    sa.Column("before", sa.Text),  # JSON, when something changed
    sa.Column("after", sa.Text),
    sa.Column("outcome", sa.String(20), nullable=False),  # ok / refused / failed
)


def record_audit(
    eng: sa.Engine,
    action: str,
    target: str | None = None,
    before=None,
    after=None,
    who: str | None = None,
    outcome: str = "ok",
) -> int:
    import json

    values = {
        "at": datetime.now(UTC),
        "who": who or settings.user,
        "action": action,
        "target": target,
        "before": None if before is None else json.dumps(before, ensure_ascii=False, default=str),
        "after": None if after is None else json.dumps(after, ensure_ascii=False, default=str),
        "outcome": outcome,
    }
    with eng.begin() as con:
        return int(con.execute(audit_log.insert().values(**values)).inserted_primary_key[0])


def audit_rows(eng: sa.Engine, newest: int | None = None) -> list[dict]:
    """The audit log, oldest first; ``newest``: only that many of the latest entries, newest first."""
    q = sa.select(audit_log).order_by(audit_log.c.audit_id)
    if newest is not None:
        q = sa.select(audit_log).order_by(audit_log.c.audit_id.desc()).limit(newest)
    with eng.connect() as con:
        return [dict(r) for r in con.execute(q).mappings()]


# ---------------------------------------------------------------- web entry (see ops/entry.py)
ENTRY_STATES = ("draft", "submitted", "returned", "verified", "approved")
entries = sa.Table(
    "entries",
    metadata,
    sa.Column("entry_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kpi_code", sa.String(50), nullable=False),
    sa.Column("fiscal_year", sa.Integer, nullable=False),  # B.E.
    sa.Column("month", sa.Integer, nullable=False),  # calendar month 1-12
    sa.Column("area_code", sa.String(10), nullable=False),
    sa.Column("value", sa.Float),  # the figure being worked on
    sa.Column("note", sa.Text),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),  # optimistic lock: +1 on every change
    sa.Column("approved_value", sa.Float),  # what the snapshot shows
    sa.Column("entered_by", sa.String(100), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("verified_by", sa.String(100)),
    sa.Column("approved_by", sa.String(100)),
    sa.Column("approved_at", sa.DateTime(timezone=True)),
    sa.Column("reason", sa.Text),  # why it was returned
    sa.UniqueConstraint("kpi_code", "fiscal_year", "month", "area_code"),
)

# A reporting round of one area: one month of the figures of one district (or of the province's own
# figures). Approval locks that area's round only; the other areas keep entering (issue 25).
# ``area_code`` ALL_AREAS ("*") is a whole-month lock of a store made before rounds had an area
# (``migrate`` moves them here): it still locks every area that has no row of its own.
ALL_AREAS = "*"
rounds = sa.Table(
    "rounds",
    metadata,
    sa.Column("fiscal_year", sa.Integer, primary_key=True),
    sa.Column("month", sa.Integer, primary_key=True),
    sa.Column("area_code", sa.String(10), primary_key=True),  # a district, the province, or ALL_AREAS
    sa.Column("status", sa.String(20), nullable=False),  # open / locked
    sa.Column("changed_by", sa.String(100), nullable=False),
    sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("reason", sa.Text),  # why it was reopened
)

record_rows = sa.Table(  # the table "records" (the name `records` is the workflow module ops.records)
    "records",
    metadata,  # a row of another uniform template typed on the web
    sa.Column("record_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("dataset", sa.String(50), nullable=False),  # a name in inputs/datasets.py (see ops/records.py)
    sa.Column("rkey", sa.Text, nullable=False),  # JSON of the dataset's grain values
    sa.Column("data", sa.Text, nullable=False),  # JSON of the record being worked on
    sa.Column("note", sa.Text),
    sa.Column("status", sa.String(20), nullable=False),  # ENTRY_STATES
    sa.Column("version", sa.Integer, nullable=False),  # optimistic lock: +1 on every change
    sa.Column("approved_data", sa.Text),  # JSON of what the snapshot shows
    sa.Column("entered_by", sa.String(100), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("verified_by", sa.String(100)),
    sa.Column("approved_by", sa.String(100)),
    sa.Column("approved_at", sa.DateTime(timezone=True)),
    sa.Column("reason", sa.Text),  # why it was returned or reopened
    sa.UniqueConstraint("dataset", "rkey"),
)

# ---------------------------------------------------------------- knowledge management, IT7 / RM 4.5 (see ops/km.py)
KM_STEPS = ("identify", "create", "organise", "refine", "access", "share", "learn")  # OPDC 7-step KM process
km_bodies = sa.Table(
    "km_bodies",
    metadata,  # a knowledge body (องค์ความรู้) of a year's plan
    sa.Column("body_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("fiscal_year", sa.Integer, nullable=False),  # B.E.
    sa.Column("issue_code", sa.String(50), nullable=False),  # a strategic issue (dim_strategy_node.node_code)
    sa.Column("name_th", sa.String(500), nullable=False),
    sa.Column("name_en", sa.String(500)),
    sa.Column("weight", sa.Float, nullable=False),  # % of the year's plan; a year sums to 100
    sa.Column("owner_unit", sa.String(200)),
    sa.Column("provenance", sa.String(20), nullable=False, default="entered"),  # entered / sample
    sa.Column("created_by", sa.String(100), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("fiscal_year", "name_th"),
)

km_activities = sa.Table(
    "km_activities",
    metadata,  # an activity of a body's KM action plan
    sa.Column("activity_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("body_id", sa.Integer, sa.ForeignKey("km_bodies.body_id"), nullable=False),
    sa.Column("step", sa.String(20), nullable=False),  # one of KM_STEPS
    sa.Column("name_th", sa.String(500), nullable=False),
    sa.Column("target", sa.Float, nullable=False),  # > 0
    sa.Column("unit", sa.String(50)),
    sa.Column("weight", sa.Float, nullable=False),  # % within its body; a body sums to 100
    sa.Column("achieved", sa.Float, nullable=False, default=0.0),  # progress so far
    sa.Column("version", sa.Integer, nullable=False, default=1),  # optimistic lock: +1 on every change
    sa.Column("updated_by", sa.String(100), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)


# ---------------------------------------------------------------- meetings and directives (see ops/meeting.py)
agendas = sa.Table(
    "agendas",
    metadata,  # a meeting's agenda: an ordered list of live views
    sa.Column("agenda_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("meeting_date", sa.Date, nullable=False),
    sa.Column("created_by", sa.String(100), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

agenda_items = sa.Table(
    "agenda_items",
    metadata,  # one slide: a page of the app with its filters
    sa.Column("item_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("agenda_id", sa.Integer, sa.ForeignKey("agendas.agenda_id"), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("path", sa.String(500), nullable=False),  # "/kpi/K01?fy=2570"
    sa.Column("title", sa.String(300), nullable=False),
)

DIRECTIVE_STATES = ("open", "answered", "closed")
directives = sa.Table(
    "directives",
    metadata,  # a directive (ข้อสั่งการ) on a KPI
    sa.Column("directive_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kpi_code", sa.String(50), nullable=False),
    sa.Column("fiscal_year", sa.Integer, nullable=False),  # B.E.; the period it is about
    sa.Column("month", sa.Integer),  # calendar month, or NULL for the year
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("unit", sa.String(200), nullable=False),  # the unit it is assigned to
    sa.Column("due_date", sa.Date, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),  # DIRECTIVE_STATES
    sa.Column("answer", sa.Text),
    sa.Column("agenda_id", sa.Integer),  # the meeting it was given in, if any
    sa.Column("version", sa.Integer, nullable=False),  # optimistic lock
    sa.Column("created_by", sa.String(100), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("closed_by", sa.String(100)),
    sa.Column("closed_at", sa.DateTime(timezone=True)),
)

directive_events = sa.Table(
    "directive_events",
    metadata,  # a directive's history
    sa.Column("event_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("directive_id", sa.Integer, sa.ForeignKey("directives.directive_id"), nullable=False),
    sa.Column("action", sa.String(20), nullable=False),  # issued / answered / closed / reopened
    sa.Column("text", sa.Text),
    sa.Column("who", sa.String(100), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
)


# ---------------------------------------------------------------- the public portal, IT4 (see ops/portal.py)
s9_items = sa.Table(
    "s9_items",
    metadata,  # an entry of the Official Information Act §9 register
    sa.Column("item_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("category", sa.Integer, nullable=False),  # 1..8: section 9 (1)-(8)
    sa.Column("title", sa.String(500), nullable=False),
    sa.Column("link", sa.String(1000), nullable=False),  # the document's URL or where it is kept
    sa.Column("published_on", sa.Date, nullable=False),
    sa.Column("unit", sa.String(200), nullable=False),  # responsible unit
    sa.Column("review_due", sa.Date, nullable=False),  # current until this date
    sa.Column("provenance", sa.String(20), nullable=False),  # entered / sample
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("updated_by", sa.String(100), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

info_requests = sa.Table(
    "info_requests",
    metadata,  # a request for information sent on the portal
    sa.Column("request_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("contact", sa.String(200), nullable=False),  # e-mail or telephone
    sa.Column("subject", sa.String(300), nullable=False),
    sa.Column("detail", sa.Text, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),  # received / answered
    sa.Column("answer", sa.Text),
    sa.Column("answered_by", sa.String(100)),
    sa.Column("answered_at", sa.DateTime(timezone=True)),
    sa.Column("sender", sa.String(64), nullable=False),  # keyed hash of the address: rate limit only
)

survey_responses = sa.Table(
    "survey_responses",
    metadata,  # one satisfaction survey answer (RM 4.2, 4.3)
    sa.Column("response_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("web_find", sa.Integer, nullable=False),  # 1..5, see ops/portal.py QUESTIONS
    sa.Column("web_ease", sa.Integer, nullable=False),
    sa.Column("web_current", sa.Integer, nullable=False),
    sa.Column("oia_complete", sa.Integer, nullable=False),
    sa.Column("oia_request", sa.Integer, nullable=False),
    sa.Column("oia_timely", sa.Integer, nullable=False),
    sa.Column("comment", sa.Text),
    sa.Column("sender", sa.String(64), nullable=False),
)


# ---------------------------------------------------------------- counters shared by every worker and node
# Sign-in lockouts (web/auth.py) and the API's rate limit (web/api.py) count here, not in a process's
# memory, so N workers or nodes allow what one would. A counter is one row per key and window.
# ---------------------------------------------------------------- warnings as events (ops/events.py)
event_rows = sa.Table(  # the table "events" (`events` is the module ops.events)
    "events",
    metadata,
    sa.Column("event_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("event_key", sa.String(200), nullable=False, unique=True),  # kind:kpi:area:fy:month
    sa.Column("kind", sa.String(40), nullable=False),  # turned_red, recovered, late, projected_miss, ...
    sa.Column("kpi_code", sa.String(50), nullable=False),
    sa.Column("area_code", sa.String(10), nullable=False),
    sa.Column("fiscal_year", sa.Integer, nullable=False),  # B.E.
    sa.Column("month", sa.Integer, nullable=False),
    sa.Column("old_status", sa.String(20)),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("snapshot", sa.String(64), nullable=False),  # the snapshot version that showed it
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    # added later (nullable: add_columns): a directive's events name it and the unit it is assigned to
    sa.Column("ref", sa.String(100)),  # directive:<id>
    sa.Column("unit", sa.String(200)),  # who must act, when it is not the KPI's owner unit
    sa.Column("sent_out", sa.DateTime(timezone=True)),  # when its messages were put in the outbox
)

# What is to be sent, and what was (ops/notify.py): one row per event (or digest) and person and
# channel, never two (``dedupe_key``); kept after sending, and after failing for good.
OUTBOX_STATES = ("pending", "sending", "sent", "failed")
outbox = sa.Table(
    "outbox",
    metadata,
    sa.Column("message_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("dedupe_key", sa.String(300), nullable=False, unique=True),  # channel:who:event-or-digest
    sa.Column("channel", sa.String(20), nullable=False),  # email / webhook / line
    sa.Column("username", sa.String(100)),  # none for the office's webhook
    sa.Column("address", sa.String(1000), nullable=False),  # an e-mail address, the webhook's URL, a LINE id
    sa.Column("event_id", sa.Integer),  # none for a digest
    sa.Column("subject", sa.String(500), nullable=False),
    sa.Column("body", sa.Text, nullable=False),  # the e-mail's text, or the webhook's JSON
    sa.Column("status", sa.String(20), nullable=False, index=True),  # OUTBOX_STATES
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("claimed_at", sa.DateTime(timezone=True)),  # a sender's lease on a row being sent
    sa.Column("last_error", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("sent_at", sa.DateTime(timezone=True)),
)

# A reader's own choice beyond their role's defaults: follow a KPI (hear every change of it) or
# mute it (hear nothing of it); kpi_code "*" muted: no e-mail at all (the app's inbox still shows).
FOLLOW_MODES = ("follow", "mute")
follows = sa.Table(
    "follows",
    metadata,
    sa.Column("username", sa.String(100), primary_key=True),
    sa.Column("kpi_code", sa.String(50), primary_key=True),
    sa.Column("mode", sa.String(10), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

# A reader linking their LINE user id from /inbox (ops/line.py): the one-time code pushed to that id,
# kept hashed (HMAC with the secret key), one live code per person, good for a few tries and minutes.
line_codes = sa.Table(
    "line_codes",
    metadata,
    sa.Column("username", sa.String(100), primary_key=True),  # one live code per person
    sa.Column("line_id", sa.String(33), nullable=False),  # the id the code was pushed to
    sa.Column("code_hash", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("tries", sa.Integer, nullable=False),  # wrong codes typed so far
)

inbox_marks = sa.Table(  # the newest event each reader has seen in the app's inbox
    "inbox_marks",
    metadata,
    sa.Column("username", sa.String(100), primary_key=True),
    sa.Column("seen_event_id", sa.Integer, nullable=False),
)

counters = sa.Table(
    "counters",
    metadata,
    sa.Column("counter", sa.String(100), primary_key=True),  # kind:keyed hash (counter_key)
    sa.Column("window_start", sa.Float, nullable=False),  # epoch seconds of its first hit
    sa.Column("expires_at", sa.Float, nullable=False, index=True),  # window_start + the window's length
    sa.Column("hits", sa.Integer, nullable=False),
)


def counter_key(kind: str, *parts: str) -> str:
    """``kind`` and a keyed hash of ``parts`` (a user name, an address): what is counted is kept,
    the address itself is not (as the portal's ``sender_key``)."""
    import hashlib
    import hmac

    raw = "\n".join(p or "-" for p in parts).encode("utf-8")
    return f"{kind}:{hmac.new(settings.secret_key.encode(), raw, hashlib.sha256).hexdigest()[:48]}"


def counter_hit(eng: sa.Engine, key: str, window_s: float, now: float | None = None) -> int:
    """Count one more hit of ``key`` and return its hits in the current window (which starts at
    the first hit and lasts ``window_s``). One short transaction: an atomic upsert, and the
    removal of expired counters."""
    import time

    now = time.time() if now is None else now
    if eng.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    new = insert(counters).values(counter=key, window_start=now, expires_at=now + window_s, hits=1)
    live = counters.c.expires_at > now
    upsert = new.on_conflict_do_update(
        index_elements=[counters.c.counter],
        set_={
            "hits": sa.case((live, counters.c.hits + 1), else_=1),
            "window_start": sa.case((live, counters.c.window_start), else_=new.excluded.window_start),
            "expires_at": sa.case((live, counters.c.expires_at), else_=new.excluded.expires_at),
        },
    ).returning(counters.c.hits)
    with eng.begin() as con:
        hits = int(con.execute(upsert).scalar_one())
        con.execute(counters.delete().where(counters.c.expires_at <= now))
    return hits


def counter_clear(eng: sa.Engine, key: str | None = None) -> None:
    """Forget ``key``'s hits (a successful sign-in), or every counter (None)."""
    with eng.begin() as con:
        con.execute(counters.delete().where(counters.c.counter == key) if key else counters.delete())


# ---------------------------------------------------------------- the first admin's one-time setup address (setup_admin.py)
# One row at most (slot 1): a new address replaces the one before, so only the newest is ever good;
# the first admin is made in the transaction that deletes that row (setup_admin._create), so of two
# claims at once the second finds no row (PostgreSQL: it waits on the row's lock first).
setup_tokens = sa.Table(
    "setup_tokens",
    metadata,
    sa.Column("slot", sa.Integer, primary_key=True, autoincrement=False),  # always 1
    sa.Column("token_hash", sa.String(64), nullable=False),  # sha256 of the token; the token is only printed
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("slot = 1", name="setup_tokens_one_slot"),
)


# ---------------------------------------------------------------- commentary of a KPI's period (see ops/commentary.py)
kpi_comments = sa.Table(
    "kpi_comments",
    metadata,  # why (analysis) and what next (action) of one KPI's reporting period, by its owner
    sa.Column("comment_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kpi_code", sa.String(50), nullable=False),
    sa.Column("fiscal_year", sa.Integer, nullable=False),  # B.E.
    sa.Column("month", sa.Integer, nullable=False),  # calendar month 1-12
    sa.Column("area_code", sa.String(10), nullable=False),  # the province: commentary is province level
    sa.Column("analysis", sa.Text),  # การวิเคราะห์, being worked on
    sa.Column("action", sa.Text),  # แนวทางแก้ไข/การดำเนินการต่อไป, being worked on
    sa.Column("status", sa.String(20), nullable=False),  # ENTRY_STATES
    sa.Column("version", sa.Integer, nullable=False),  # optimistic lock: +1 on every change
    sa.Column("approved_analysis", sa.Text),  # what readers see
    sa.Column("approved_action", sa.Text),
    sa.Column("entered_by", sa.String(100), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("verified_by", sa.String(100)),
    sa.Column("approved_by", sa.String(100)),
    sa.Column("approved_at", sa.DateTime(timezone=True)),
    sa.Column("reason", sa.Text),  # why it was returned or reopened
    sa.UniqueConstraint("kpi_code", "fiscal_year", "month", "area_code"),
)


# ---------------------------------------------------------------- builds wanted (issue 27, point 6)
# An approval that changes what the snapshot shows (a round of figures, a dataset's rows) writes a
# row here in its own transaction: so a server killed between the approval and the swap of the new
# snapshot leaves the want behind, and whatever builds next (the approval's own build, `python -m
# etl build`, the app at start: etl/refresh.resume_soon) takes it. A build takes every row wanted
# before it read the ops store and marks them done once its snapshot is swapped in.
build_requests = sa.Table(
    "build_requests",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("wanted_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("reason", sa.String(300), nullable=False),  # e.g. "round.approve 2570/10 8604"
    sa.Column("taken_at", sa.DateTime(timezone=True)),  # the last build that started with it
    sa.Column("done_at", sa.DateTime(timezone=True), index=True),  # its snapshot swapped in
)


def want_build(con: sa.Connection, reason: str) -> None:
    """Record, in the caller's transaction ``con``, that the snapshot must be built again."""
    con.execute(build_requests.insert().values(wanted_at=datetime.now(UTC), reason=reason[:300]))


def builds_wanted(eng: sa.Engine) -> list[dict]:
    """The builds wanted and not yet done, oldest first (one indexed query: cheap per page)."""
    r = build_requests.c
    with eng.connect() as con:
        return [
            dict(x) for x in con.execute(sa.select(build_requests).where(r.done_at.is_(None)).order_by(r.id)).mappings()
        ]


def take_builds(eng: sa.Engine) -> int | None:
    """At the start of a build (under the build lock, before it reads the ops store): the newest
    wanted-and-not-done row's id, every such row marked taken; None when none is wanted. Each of
    these approvals committed before this, so the build that follows reads them."""
    r = build_requests.c
    with eng.begin() as con:
        upto = con.execute(sa.select(sa.func.max(r.id)).where(r.done_at.is_(None))).scalar()
        if upto is not None:
            con.execute(
                build_requests.update().where(r.done_at.is_(None), r.id <= upto).values(taken_at=datetime.now(UTC))
            )
    return upto


def builds_done(eng: sa.Engine, upto: int | None) -> int:
    """After the swap of a build that took ``upto`` (take_builds): those rows are done. A row
    wanted while the build ran (a larger id) stays wanted for the next build."""
    if upto is None:
        return 0
    r = build_requests.c
    with eng.begin() as con:
        return con.execute(
            build_requests.update().where(r.done_at.is_(None), r.id <= upto).values(done_at=datetime.now(UTC))
        ).rowcount
