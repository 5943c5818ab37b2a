"""Benchmarks (README: Performance); helpers they share."""


def signed_in_as(role: str) -> None:
    """Inside a request context: the reader of the views a benchmark renders. Each page checks
    its reader (auth.page_access), so a view rendered for nobody would time its refusal."""
    from flask_login import login_user

    from web import auth

    login_user(auth.User(0, f"bench-{role}", role, None, None))


PASSWORD = "bench password, long enough to pass"


def signed_in_client(warehouse, name: str, **env: str):
    """The app on `warehouse` (default: settings.warehouse) with an ops store of its own in a
    temporary folder, and a test client signed in as the executive `name`: (the app module, the
    client). `env`: more settings, set before the app is imported (SANYAN_WARM_VIEWS="0", say)."""
    import os
    import secrets
    import tempfile
    from pathlib import Path

    from config import settings

    tmp = Path(tempfile.mkdtemp(prefix=f"sanyan-{name}-"))
    os.environ.update(
        SANYAN_WAREHOUSE=str(warehouse or settings.warehouse),
        SANYAN_OPS_URL=f"sqlite:///{tmp / 'ops.sqlite'}",
        SANYAN_SECRET_KEY="bench-" + secrets.token_hex(16),
        **env,
    )
    import app
    import ops
    from tests.conftest import login
    from web import auth

    auth.add_user(ops.engine(), name, PASSWORD, "executive")
    client = app.server.test_client()
    assert login(client, name, PASSWORD).status_code == 302, "sign-in failed"
    return app, client
