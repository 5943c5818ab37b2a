"""gunicorn settings for Sanyan: ``gunicorn -c deploy/gunicorn.conf.py app:server`` (``make serve``).

Every worker is a separate process that opens the DuckDB snapshot read-only itself (db.py) and
notices a swapped file on its next request, so a new snapshot needs no restart and no signal.
Sizing and the reasons are in docs/DEPLOY.md. Environment:

* ``SANYAN_HOST`` / ``SANYAN_PORT``  where to listen (config.py; default 127.0.0.1:8050)
* ``SANYAN_WORKERS``   worker processes; default 2 x CPUs + 1, at most 8 (each holds its own
  copy of the app, ~0.3 GB, and its own per-snapshot result cache)
* ``SANYAN_THREADS``   threads per worker; default 4. More than 1 is required: a PDF export
  has Chromium open the app's own pages (at ``SANYAN_INTERNAL_URL``, by default this bind)
  while the export's request is still running
* ``SANYAN_ACCESS_LOG``  a file, or ``-`` for stderr; default none (nginx logs requests)
* ``SANYAN_QUIET``     ``1`` (``make run``): log warnings and errors only
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from config import settings  # noqa: E402  (needs ROOT on the path)

chdir = str(ROOT)  # so ``app:server`` and the relative assets/ are found from anywhere
wsgi_app = "app:server"
bind = [f"{settings.host}:{settings.port}"]
workers = int(os.environ.get("SANYAN_WORKERS") or min(2 * (os.cpu_count() or 1) + 1, 8))
threads = int(os.environ.get("SANYAN_THREADS") or 4)
worker_class = "gthread"
# Not preloaded. Measured here (5 workers, 2 vCPU): preloading saves ~100 of ~750 MB PSS and starts
# in ~3 s instead of ~9 s, but a preloaded app keeps its old code through ``systemctl reload``
# (HUP), which is how a code update reaches the workers without dropping a request.
preload_app = False
# gthread workers report to the arbiter from their main loop, so a long request (a 26 s agenda
# PDF) does not count as silence; this only catches a stuck worker.
timeout = 120
graceful_timeout = 30
keepalive = 5  # longer than nginx's upstream keepalive_timeout (docs/DEPLOY.md)
accesslog = os.environ.get("SANYAN_ACCESS_LOG") or None
errorlog = "-"
# ``make run`` (SANYAN_QUIET=1): warnings and errors only, so the console ends with the address
loglevel = "warning" if settings.quiet else "info"
# gunicorn >= 25.1 opens a control socket for ``gunicornc`` at one fixed path per OS user
# ($XDG_RUNTIME_DIR/gunicorn.ctl or ~/.gunicorn/gunicorn.ctl): a second instance on the machine
# (another site, the load test, the tests) takes that path over, and whichever stops first
# removes the other's socket. Sanyan is run by systemd with signals (HUP reload, TERM stop).
control_socket_disable = True
proc_name = "sanyan"


def post_worker_init(worker):
    """Warm the worker up, as a signed-out reader, before it takes requests.

    Dash finishes setting itself up during its first request, without a lock: with several
    threads, requests arriving meanwhile would find it half done. One anonymous request here, in
    the worker's own process, does it first; it also opens the snapshot. (That first request used
    to be where Dash rendered every page as its reader into a layout served to everyone; app.py
    now turns that off, and tests/test_serving.py checks both.) Should it raise, the worker does
    not boot."""
    with worker.wsgi.test_client() as client:
        status = client.get("/healthz").status_code
    worker.log.info("worker %s ready (healthz %s)", worker.pid, status)


def when_ready(server):
    """Once, in the arbiter, when it listens: while no admin exists, print the one-time address
    where the first admin is made (setup_admin.py). In a child process: the arbiter must not import
    the app's modules, or workers forked after a reload (HUP) would inherit the old code."""
    import subprocess

    subprocess.run([sys.executable, str(ROOT / "setup_admin.py")], cwd=ROOT, check=False)
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "::") else settings.host
    print(  # the last thing on the console: where to open Sanyan (Ctrl+C stops it)
        f"สัญญาณ Sanyan พร้อมแล้ว เปิด / ready, open:  http://{host}:{settings.port}/   (Ctrl+C หยุด / stops)",
        flush=True,
    )
