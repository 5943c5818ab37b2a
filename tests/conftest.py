"""Shared fixtures. Warehouses are built by the real ETL (`etl.build.build`) into temp dirs."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import uuid
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# argon2's cheapest parameters for the hundreds of accounts and sign-ins the suite makes (the
# real library and code path; the app's own processes inherit it); production keeps the default
# (tests/test_passwords.py::test_production_hashes_use_the_rfc_9106_profile)
os.environ.setdefault("SANYAN_PASSWORD_HASH", "CHEAPEST")
# every build of the suite (each into a warehouse folder of its own) shares one boundary cache: the
# boundaries are parsed once, not once per fixture (a third of a small build)
# no background warming of the views in the suite's apps (tests count the view cache's hits and time
# the cold path); tests/test_viewcache.py turns it on where it is the subject
os.environ.setdefault("SANYAN_WARM_VIEWS", "0")
# no views made ahead by the suite's many builds (each would start the app once more);
# tests/test_viewcache.py turns it on where it is the subject
os.environ.setdefault("SANYAN_PRERENDER", "0")
# no build at the start of the suite's apps from whatever ops store they import with (issue 27):
# tests/test_live_reload.py turns it on where it is the subject
os.environ.setdefault("SANYAN_BUILD_AT_START", "0")
os.environ.setdefault("SANYAN_CACHE_DIR", str(Path(tempfile.gettempdir()) / f"sanyan-tests-cache-{os.getuid()}"))


DEMO_AS_OF = date(2026, 11, 24)


def walk(component):
    """Every Dash component in a tree, depth first (the tree's root first)."""
    yield component
    kids = getattr(component, "children", None)
    for k in kids if isinstance(kids, list) else [kids]:
        if k is not None and not isinstance(k, (str, int, float)):
            yield from walk(k)


def make_data_dir(target: Path, sample: bool = True) -> Path:
    """A data dir in `target` that links the repo's read-only inputs (official, geo, seeds and,
    when `sample`, the sample files); incoming/, warehouse/ and ops/ start empty."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("official", "geo", "seeds"):
        os.symlink(ROOT / "data" / name, target / name)
    (target / "sample").mkdir()
    if sample:
        for f in (ROOT / "data" / "sample").glob("*.csv"):
            os.symlink(f, target / "sample" / f.name)
    return target


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory) -> Path:
    """The demo warehouse (official + sample data), built once per test session, judged as of a
    fixed day (the sample data runs to 15 November 2026) so the cockpit's lights do not depend on
    the day the tests run."""
    from etl.build import build

    base = tmp_path_factory.mktemp("demo")
    data = make_data_dir(base / "data")
    result = build(
        data_dir=data,
        warehouse=data / "warehouse" / "eis.duckdb",
        ops_url=f"sqlite:///{base / 'ops.sqlite'}",
        as_of=DEMO_AS_OF,
    )
    return result.warehouse


# ------------------------------------------------------------------ the ops store on two databases
PG_URL = os.environ.get("SANYAN_TEST_PG_URL", "")  # e.g. postgresql+psycopg://sanyan:…@127.0.0.1/sanyan_test


@contextmanager
def pg_schema_url():
    """A URL to a fresh, empty schema of the test PostgreSQL server (SANYAN_TEST_PG_URL), dropped
    afterwards. Without a server: skipped locally, a failure when CI=true (.ci/run starts one)."""
    if not PG_URL:
        msg = "SANYAN_TEST_PG_URL is not set (no PostgreSQL server to test the ops store on)"
        if os.environ.get("CI") == "true":
            pytest.fail(msg + "; .ci/run starts one")
        pytest.skip(msg)
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    import ops

    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(PG_URL, poolclass=sa.pool.NullPool)
    with admin.begin() as con:
        con.execute(sa.text(f'CREATE SCHEMA "{schema}"'))  # schema: a fixed pattern, not input
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    url = url.render_as_string(hide_password=False)
    try:
        yield url
    finally:
        ops.dispose(url)
        with admin.begin() as con:
            con.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def ops_url(request, tmp_path):
    """The URL of an empty ops store, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ops.sqlite'}"
    else:
        with pg_schema_url() as url:
            yield url


# ------------------------------------------------------------------ the app as a reader drives it
ORIGIN = {"Origin": "http://localhost"}
PASSWORD = "correct horse battery staple"  # every test account's (strong enough for web/passwords.py)


def signed_in_clients(
    eng, prefix: str, roles, accounts: dict | None = None, *, dash: bool = False, clear_counters: bool = False
):
    """One account per role, named ``{prefix}_{role}`` (``accounts[role]``: more of auth.add_user's
    arguments, a unit or an area), and ``make(role)``: a Flask test client of the app signed in
    through the login form as that role; ``"public"`` is nobody. ``dash``: the client first asks
    for Dash's dependencies, as a browser does (Dash registers its callbacks then);
    ``clear_counters``: the sign-in and API counters start afresh for each client (no lockout)."""
    import app
    import ops
    from web import auth

    for role in roles:
        auth.add_user(eng, f"{prefix}_{role}", PASSWORD, role, **(accounts or {}).get(role, {}))

    def make(role: str):
        c = app.server.test_client()
        if role != "public":
            if clear_counters:
                ops.counter_clear(eng)
            assert login(c, f"{prefix}_{role}", PASSWORD).status_code == 302
        if dash:
            c.get("/_dash-dependencies")
        return c

    return make


def login(client, name: str, password: str, origin: bool = True, headers: dict | None = None):
    """Sign in through the login form (its CSRF token first), as a browser would; the response."""
    import re

    page = client.get("/login", headers=headers or {}).get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    return client.post(
        "/login",
        data={"username": name, "password": password, "csrf": token, "next": "/"},
        headers={**(ORIGIN if origin else {}), **(headers or {})},
    )


def router_body(path: str, search: str = "") -> dict:
    """The body of Dash's page-router callback for `path` and `search`: what a page visit posts
    (the app's own, which its view warming posts too)."""
    from web.viewcache import router_body as body

    return body(path, search)


@contextmanager
def app_on_a_copy(built_warehouse: Path, home: Path, name: str):
    """The app (module ``app``) reading a copy of the demo warehouse in `home`, with an empty ops
    store beside it and no view cache (every render runs its queries): for tests that feed the
    app what could change its snapshot or store. Yields the MonkeyPatch that set it up."""
    shutil.copy(built_warehouse, home / "eis.duckdb")
    mp = pytest.MonkeyPatch()
    mp.setenv("SANYAN_WAREHOUSE", str(home / "eis.duckdb"))
    mp.setenv("SANYAN_OPS_URL", f"sqlite:///{home / 'ops.sqlite'}")
    mp.setenv("SANYAN_SECRET_KEY", f"{name}-tests-" + "k" * 30)
    mp.setenv("SANYAN_VIEW_CACHE_MB", "0")
    try:
        yield mp
    finally:
        mp.undo()
