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


class BuildPhases:
    """Where a build's time goes, measured while it runs: each step it announces (``progress``)
    and each SQL file of its layers, in seconds, in order. Use ``with BuildPhases() as ph:
    build(progress=ph.step)``; then ``ph.phases`` (name, seconds) and ``ph.top(n)``."""

    def __init__(self):
        self.phases: list[tuple[str, float]] = []

    def __enter__(self):
        import time

        from etl import build as eb

        self._eb, self._real = eb, eb.sql_files
        self._clock = time.perf_counter
        self._last, self._what = self._clock(), "start"

        def timed(layer):
            for path in self._real(layer):
                self._mark(f"{layer}/{path.name}")  # what ran before it (a step's own work)
                yield path
                self._mark(f"{layer}/{path.name}")

        eb.sql_files = timed
        return self

    def _mark(self, nxt: str) -> None:
        now = self._clock()
        if now - self._last >= 0.0005:
            self.phases.append((self._what, now - self._last))
        self._last, self._what = now, nxt

    def step(self, msg: str) -> None:
        self._mark(msg.split(" / ")[-1])

    def __exit__(self, *exc):
        self._mark("end")
        self._eb.sql_files = self._real
        return False

    def top(self, n: int = 8) -> list[tuple[str, float]]:
        merged: dict[str, float] = {}
        for name, s in self.phases:
            merged[name] = merged.get(name, 0.0) + s
        return sorted(merged.items(), key=lambda kv: -kv[1])[:n]


def make_views(snapshot, out, timeout: float = 900) -> float:
    """The answers the build makes for ``snapshot`` (prerender.py in a process of its own, as
    etl/build.py runs it), written to ``out``; the seconds it took. A failure ends the benchmark
    with prerender's own message."""
    import subprocess
    import sys
    import time
    from pathlib import Path

    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "prerender", str(snapshot), str(out)],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode:
        raise SystemExit(f"prerender failed: {done.stderr[-2000:]}")
    return time.perf_counter() - t0
