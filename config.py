"""Settings as data: every setting has a name, a default and help text.

This module is the only reader of ``os.environ``. Everything else imports ``settings``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("SANYAN_HOST", "127.0.0.1", "Address the web app listens on."),
    Setting("SANYAN_PORT", "8050", "Port the web app listens on."),
    Setting(
        "SANYAN_DATA_DIR", str(ROOT / "data"), "Folder with official/, geo/, seeds/, sample/ and incoming/ inputs."
    ),
    Setting("SANYAN_WAREHOUSE", "", "Path of the DuckDB snapshot; default <SANYAN_DATA_DIR>/warehouse/eis.duckdb."),
    Setting(
        "SANYAN_CACHE_DIR",
        "",
        "Where a build remembers the boundaries it parsed (keyed by their content); default the snapshot's "
        "folder's .cache. Builds may share one.",
    ),
    Setting(
        "SANYAN_OPS_URL",
        "",
        "SQLAlchemy URL of the ops store; default SQLite (WAL) at <SANYAN_DATA_DIR>/ops/ops.sqlite.",
    ),
    Setting("SANYAN_PROVINCE", "86", "DOPA code of the province this office serves (86 = Chumphon)."),
    Setting(
        "SANYAN_AREA_SCOPE",
        "province",
        "province: every input row must be of SANYAN_PROVINCE (the province, its districts or sub-districts); "
        "kingdom: of any province (a national deployment, and bench/national.py's data set of all 77).",
    ),
    Setting("SANYAN_LANG", "th", "Default language of the interface: th or en."),
    Setting("SANYAN_USER", "", "Name recorded in the load lineage; default the operating-system user."),
    Setting("SANYAN_DEBUG", "0", "1 runs Dash in debug mode (never in production)."),
    Setting(
        "SANYAN_SECRET_KEY",
        "",
        "Key that signs session cookies; default: a random key kept in data/ops/secret_key (created once).",
    ),
    Setting(
        "SANYAN_BACKUP_KEY_FILE",
        "",
        "File of the key that signs backup archives (HMAC-SHA256), never put in an archive; created by the first "
        "backup; a restore needs the same key. Default <SANYAN_DATA_DIR>/ops/backup_key.",
    ),
    Setting(
        "SANYAN_PASSWORD_HASH",
        "RFC_9106_LOW_MEMORY",
        "argon2id parameters for new password hashes, by argon2-cffi's profile name: RFC_9106_LOW_MEMORY "
        "(64 MiB, 3 passes) or RFC_9106_HIGH_MEMORY; CHEAPEST is for the test suite only (tests/conftest.py). "
        "A hash keeps its own parameters, so changing this never locks anyone out.",
    ),
    Setting("SANYAN_SESSION_MINUTES", "480", "Minutes of inactivity after which a login session expires."),
    Setting(
        "SANYAN_AS_OF",
        "",
        "Date (YYYY-MM-DD) a build judges lateness and the year to date by; default today in Thailand. "
        "For demonstrations and tests only.",
    ),
    Setting(
        "SANYAN_PROXY_HOPS",
        "0",
        "Reverse proxies in front of the app (nginx: 1) whose X-Forwarded-For/-Proto/-Host are trusted, so "
        "sign-in lockouts and request limits count each reader's own address; 0 trusts none.",
    ),
    Setting(
        "SANYAN_SETUP_REMOTE",
        "0",
        "1 lets the first admin's one-time setup address (/setup, printed at start while no admin exists) "
        "be opened from another machine; 0 (default): from this machine only (an SSH tunnel works).",
    ),
    Setting(
        "SANYAN_API_RATE_LIMIT",
        "300",
        "Open-data API calls per reader address per minute, counted in the ops store across every worker "
        "and node (429 beyond).",
    ),
    Setting(
        "SANYAN_VIEW_CACHE_MB",
        "64",
        "Memory (MB, per worker process) for whole answers of the views that read only the snapshot "
        "(web/viewcache.py); 0 turns the cache off.",
    ),
    Setting(
        "SANYAN_QUERY_CACHE_MB",
        "128",
        "Memory (MB, per worker process) for the snapshot's query results db.py keeps (at most 512 of them, "
        "least recently used first out); a result larger than a quarter of it is not kept.",
    ),
    Setting(
        "SANYAN_DUCKDB_THREADS",
        "",
        "Threads each worker's DuckDB connection may use; empty: as many as the machine has cores.",
    ),
    Setting(
        "SANYAN_DUCKDB_MEMORY",
        "128MB",
        "Memory limit of each worker's DuckDB connection (e.g. 512MB; what a query needs beyond it is spilled to "
        "a temporary folder). The snapshot's file stays in the operating system's page cache, which every worker "
        "shares, so a worker's own copy can be small. Empty: DuckDB's default, 80 % of RAM.",
    ),
    Setting(
        "SANYAN_BUILD_MEMORY",
        "1GB",
        "Memory limit of DuckDB while `etl build` computes the snapshot's tables (e.g. 1GB); what does not "
        "fit is spilled to a temporary folder beside the warehouse. Empty: DuckDB's default, 80 % of RAM.",
    ),
    Setting(
        "SANYAN_WARM_VIEWS",
        "1",
        "1: when a worker sees a new snapshot, a thread of its own asks every cached view once as each kind of "
        "reader, so no person is the first reader (web/viewcache.py); 0: off (the test suite, benchmarks of the "
        "cold path).",
    ),
    Setting(
        "SANYAN_QUIET",
        "0",
        "1 (`make run`): the app and gunicorn log warnings and errors only, so the console ends with the "
        "address to open.",
    ),
    Setting(
        "SANYAN_PRERENDER",
        "1",
        "1: the build makes every cached view's answer for each kind of reader on the new snapshot before it "
        "is swapped in (prerender.py, a process of its own), and a worker takes them at once "
        "(web/viewcache.py); 0: off (the test suite; workers then warm as SANYAN_WARM_VIEWS says).",
    ),
    Setting(
        "SANYAN_BUILD_AT_START",
        "1",
        "1: when the app starts, approvals whose build never finished (the server was killed mid-build) are "
        "built in the background (etl/refresh.py); 0: off (a reading node of several that must never build, "
        "the test suite).",
    ),
    Setting(
        "SANYAN_CHROMIUM",
        "/usr/bin/chromium",
        "Chromium the exports render PDFs and slide pictures with (Debian's package; nothing is downloaded).",
    ),
    Setting(
        "SANYAN_INTERNAL_URL",
        "",
        "Where the exports' Chromium opens the app's own pages (PDF, agenda slides), never the request's Host; "
        "default http://<SANYAN_HOST>:<SANYAN_PORT>, with 0.0.0.0 or :: read as 127.0.0.1.",
    ),
    Setting(
        "SANYAN_PUBLIC_URL",
        "",
        "The app's address as its people open it (https://eis.example.go.th): the links in the warnings sent "
        "by e-mail and webhook; never taken from a request. Default SANYAN_INTERNAL_URL's.",
    ),
    Setting("SANYAN_SMTP_HOST", "", "Mail server the warnings are sent through; empty: no e-mail (the inbox only)."),
    Setting("SANYAN_SMTP_PORT", "587", "Its port (587 submission with STARTTLS, 465 TLS, 25 a local relay)."),
    Setting("SANYAN_SMTP_TLS", "starttls", "starttls, tls (implicit, port 465) or none (a relay on this machine)."),
    Setting("SANYAN_SMTP_USER", "", "User name at the mail server, if it asks for one."),
    Setting(
        "SANYAN_SMTP_PASSWORD_FILE",
        "",
        "File holding the mail server's password (kept out of the environment and of backups); empty: no login.",
    ),
    Setting("SANYAN_SMTP_FROM", "sanyan@localhost", "The sender's address of the warnings."),
    Setting(
        "SANYAN_WEBHOOK_URL",
        "",
        "Where each warning is also POSTed as JSON for the office to relay to its chat group; empty: none. "
        "It hears what the province's executives hear, of the KPIs a signed-in reader may read (not secret).",
    ),
    Setting(
        "SANYAN_LINE_TOKEN_FILE",
        "",
        "File holding the channel access token of the office's LINE Official Account (Messaging API; kept out "
        "of the environment and of backups); empty: no LINE messages.",
    ),
    Setting(
        "SANYAN_LINE_API",
        "https://api.line.me",
        "Base URL of LINE's Messaging API the messages are pushed to (a test points it at a local server).",
    ),
    Setting(
        "SANYAN_LINE_GROUPS_FILE",
        "",
        "CSV `unit,group_id`: a unit's LINE group hears that unit's warnings; the row of unit `*` is the "
        "province's (governor's) group: the province's warnings and the digest. Empty: no group.",
    ),
    Setting(
        "SANYAN_OUTBOX_LEASE",
        "300",
        "Seconds a sender holds a message it is sending; one left longer (a sender killed) is sent again.",
    ),
)


_MEMORY_RE = re.compile(r"^\d+(\.\d+)?\s*(KB|MB|GB|KiB|MiB|GiB)$", re.IGNORECASE)


def views_path(warehouse) -> Path:
    """Where the answers made for the snapshot at ``warehouse`` are kept, beside it
    (``eis.duckdb.views``): the build writes them (etl/build.py, prerender.py), workers take them
    (web/viewcache.py)."""
    warehouse = Path(warehouse)
    return warehouse.with_name(warehouse.name + ".views")


def checked_memory(value: str, name: str) -> str:
    """A DuckDB memory size as given (``512MB``, ``1.5GB``) or empty; anything else is refused
    here, because DuckDB's SET takes no bound parameter."""
    if value and not _MEMORY_RE.match(value):
        raise ValueError(f"{name}={value!r}: a size such as 512MB or 1GB")
    return value


class Settings:
    """Read settings from the environment each time they are asked for (tests change them)."""

    def _get(self, name: str) -> str:
        for s in SETTINGS:
            if s.name == name:
                return os.environ.get(name, s.default)
        raise KeyError(name)

    @property
    def host(self) -> str:
        return self._get("SANYAN_HOST")

    @property
    def port(self) -> int:
        return int(self._get("SANYAN_PORT"))

    @property
    def data_dir(self) -> Path:
        return Path(self._get("SANYAN_DATA_DIR"))

    @property
    def warehouse(self) -> Path:
        w = self._get("SANYAN_WAREHOUSE")
        return Path(w) if w else self.data_dir / "warehouse" / "eis.duckdb"

    @property
    def cache_dir(self) -> Path | None:
        """None: each snapshot's folder has its own .cache (etl/build.py)."""
        c = self._get("SANYAN_CACHE_DIR")
        return Path(c) if c else None

    @property
    def ops_url(self) -> str:
        u = self._get("SANYAN_OPS_URL")
        return u or f"sqlite:///{self.data_dir / 'ops' / 'ops.sqlite'}"

    @property
    def province(self) -> str:
        return self._get("SANYAN_PROVINCE")

    @property
    def area_scope(self) -> str:
        scope = self._get("SANYAN_AREA_SCOPE")
        if scope not in ("province", "kingdom"):
            raise ValueError(f"SANYAN_AREA_SCOPE={scope!r}: province or kingdom")
        return scope

    @property
    def lang(self) -> str:
        return self._get("SANYAN_LANG")

    @property
    def user(self) -> str:
        return self._get("SANYAN_USER") or os.environ.get("USER") or os.environ.get("LOGNAME") or "unknown"

    @property
    def debug(self) -> bool:
        return self._get("SANYAN_DEBUG") == "1"

    @property
    def secret_key(self) -> str:
        key = self._get("SANYAN_SECRET_KEY")
        if key:
            return key
        path = self.data_dir / "ops" / "secret_key"
        if not path.exists():
            import secrets

            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_hex(32), encoding="ascii")
            path.chmod(0o600)
        return path.read_text(encoding="ascii").strip()

    @property
    def backup_key_file(self) -> Path:
        k = self._get("SANYAN_BACKUP_KEY_FILE")
        return Path(k) if k else self.data_dir / "ops" / "backup_key"

    @property
    def password_hash(self) -> str:
        name = self._get("SANYAN_PASSWORD_HASH")
        if name not in ("RFC_9106_LOW_MEMORY", "RFC_9106_HIGH_MEMORY", "CHEAPEST"):
            raise ValueError(
                f"SANYAN_PASSWORD_HASH={name!r}: one of RFC_9106_LOW_MEMORY, RFC_9106_HIGH_MEMORY, CHEAPEST"
            )
        return name

    @property
    def session_minutes(self) -> int:
        return int(self._get("SANYAN_SESSION_MINUTES"))

    @property
    def proxy_hops(self) -> int:
        return int(self._get("SANYAN_PROXY_HOPS"))

    @property
    def setup_remote(self) -> bool:
        return self._get("SANYAN_SETUP_REMOTE") == "1"

    @property
    def api_rate_limit(self) -> int:
        return int(self._get("SANYAN_API_RATE_LIMIT"))

    @property
    def view_cache_mb(self) -> int:
        return int(self._get("SANYAN_VIEW_CACHE_MB"))

    @property
    def query_cache_mb(self) -> int:
        return int(self._get("SANYAN_QUERY_CACHE_MB"))

    @property
    def duckdb_threads(self) -> str:
        """A whole number ≥ 1, or empty; anything else is refused (it reaches DuckDB's SET)."""
        threads = self._get("SANYAN_DUCKDB_THREADS").strip()
        if threads and (not threads.isdigit() or int(threads) < 1):
            raise ValueError(f"SANYAN_DUCKDB_THREADS={threads!r}: a whole number ≥ 1")
        return str(int(threads)) if threads else ""

    @property
    def duckdb_memory(self) -> str:
        return checked_memory(self._get("SANYAN_DUCKDB_MEMORY").strip(), "SANYAN_DUCKDB_MEMORY")

    @property
    def build_memory(self) -> str:
        return checked_memory(self._get("SANYAN_BUILD_MEMORY").strip(), "SANYAN_BUILD_MEMORY")

    @property
    def quiet(self) -> bool:
        return self._get("SANYAN_QUIET") == "1"

    @property
    def prerender(self) -> bool:
        return self._get("SANYAN_PRERENDER") == "1"

    @property
    def warm_views(self) -> bool:
        return self._get("SANYAN_WARM_VIEWS") == "1"

    @property
    def build_at_start(self) -> bool:
        return self._get("SANYAN_BUILD_AT_START") == "1"

    @property
    def chromium(self) -> str:
        return self._get("SANYAN_CHROMIUM")

    @property
    def internal_url(self) -> str:
        """The app's own base URL as seen from this machine, without a trailing slash."""
        url = self._get("SANYAN_INTERNAL_URL")
        if url:
            return url.rstrip("/")
        host = self.host.strip("[]")
        host = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host
        return f"http://{f'[{host}]' if ':' in host else host}:{self.port}"

    @property
    def public_url(self) -> str:
        return (self._get("SANYAN_PUBLIC_URL") or self.internal_url).rstrip("/")

    @property
    def smtp(self) -> dict | None:
        """The mail server's settings, or None when none is set."""
        host = self._get("SANYAN_SMTP_HOST")
        if not host:
            return None
        tls = self._get("SANYAN_SMTP_TLS")
        if tls not in ("starttls", "tls", "none"):
            raise ValueError(f"SANYAN_SMTP_TLS={tls!r}: one of starttls, tls, none")
        pw_file = self._get("SANYAN_SMTP_PASSWORD_FILE")
        return {
            "host": host,
            "port": int(self._get("SANYAN_SMTP_PORT")),
            "tls": tls,
            "user": self._get("SANYAN_SMTP_USER"),
            "password": Path(pw_file).read_text(encoding="utf-8").strip() if pw_file else "",
            "sender": self._get("SANYAN_SMTP_FROM"),
        }

    @property
    def webhook_url(self) -> str:
        return self._get("SANYAN_WEBHOOK_URL")

    @property
    def line_token(self) -> str:
        """The LINE channel access token read from SANYAN_LINE_TOKEN_FILE, or "" when none is set."""
        path = self._get("SANYAN_LINE_TOKEN_FILE")
        if not path:
            return ""
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as e:
            raise ValueError(f"SANYAN_LINE_TOKEN_FILE={path!r}: cannot be read ({e.strerror})") from e

    @property
    def line_api(self) -> str:
        return self._get("SANYAN_LINE_API").rstrip("/")

    @property
    def line_groups_file(self) -> Path | None:
        path = self._get("SANYAN_LINE_GROUPS_FILE")
        return Path(path) if path else None

    @property
    def outbox_lease(self) -> float:
        return float(self._get("SANYAN_OUTBOX_LEASE"))

    @property
    def as_of(self):
        from datetime import date

        v = self._get("SANYAN_AS_OF")
        return date.fromisoformat(v) if v else None

    def today(self):
        """The day overdue is judged by: SANYAN_AS_OF (demonstrations, tests), else today in Thailand."""
        from datetime import datetime, timedelta, timezone

        return self.as_of or datetime.now(timezone(timedelta(hours=7))).date()


settings = Settings()
