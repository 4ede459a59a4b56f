"""The local database: one SQLite file (SQLITE_PATH) in WAL mode, created on first use.

One connection per thread and file (sqlite3 connections are not shared across threads, and the
local runtime serves calls from several threads). Reads run in autocommit; every write runs in
an explicit BEGIN IMMEDIATE transaction, so a crash leaves either the whole record or nothing.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS customers (
    phone_number TEXT PRIMARY KEY,
    item TEXT NOT NULL                  -- the CustomerData item as JSON, extra fields included
);
CREATE TABLE IF NOT EXISTS prompts (
    contact_flow_name TEXT PRIMARY KEY,
    item TEXT NOT NULL                  -- the Prompts item as JSON
);
CREATE TABLE IF NOT EXISTS survey_results (
    contact_id TEXT PRIMARY KEY,
    recorded_at TEXT NOT NULL,
    queue_name TEXT NOT NULL,
    agent_user_name TEXT NOT NULL,
    language_code TEXT NOT NULL,
    q1 TEXT NOT NULL, q1_status TEXT NOT NULL, q1_score INTEGER,
    q2 TEXT NOT NULL, q2_status TEXT NOT NULL, q2_score INTEGER,
    q3 TEXT NOT NULL, q3_status TEXT NOT NULL, q3_score INTEGER
);
CREATE INDEX IF NOT EXISTS survey_results_recorded_at ON survey_results (recorded_at);
CREATE TABLE IF NOT EXISTS call_requests (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,   -- the order requests are placed in
    request_id TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL,                     -- scheduled | placed | failed
    not_before REAL NOT NULL,
    item TEXT NOT NULL                       -- the CallRequests item as JSON
);
CREATE INDEX IF NOT EXISTS call_requests_state_seq ON call_requests (state, seq);
CREATE TABLE IF NOT EXISTS pin_state (
    phone_number TEXT PRIMARY KEY,
    pin_salt TEXT NOT NULL,
    pin_hash TEXT NOT NULL,
    iterations INTEGER NOT NULL,        -- PBKDF2's; 0 for the keyed scheme
    scheme TEXT NOT NULL DEFAULT 'pbkdf2-sha256',  -- jam_core.tables.pin_hash.SCHEMES
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS otp_codes (
    phone_number TEXT PRIMARY KEY,
    code_salt TEXT NOT NULL,
    code_hash TEXT NOT NULL,            -- keyed (HMAC-SHA256 with the pepper), never the code
    scheme TEXT NOT NULL,               -- jam_core.tables.pin_hash.SCHEMES
    expires_at REAL NOT NULL,           -- epoch seconds
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    used INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sms_outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,   -- local only: the test phones' text messages
    phone_number TEXT NOT NULL,
    body TEXT NOT NULL,
    sent_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS sms_outbox_phone_seq ON sms_outbox (phone_number, seq);
"""

_local = threading.local()
# First opens of a new file race on switching it to WAL and creating the tables; in WAL mode a
# connection that read the schema and then tries to write gets SQLITE_BUSY_SNAPSHOT at once (no
# busy wait). Threads of one process take turns opening; across processes BEGIN IMMEDIATE waits.
_opening = threading.Lock()
# Called with every new connection (the local stack's load counters watch its statements).
OPEN_HOOKS: list[Callable[[sqlite3.Connection], None]] = []


def connection(path: str) -> sqlite3.Connection:
    """This thread's connection to the database file at `path`, opened (and created) once."""
    connections: dict[str, sqlite3.Connection] | None = getattr(_local, "connections", None)
    if connections is None:
        connections = _local.connections = {}
    conn = connections.get(path)
    if conn is None:
        with _opening:
            conn = connections[path] = _open(path)
    return conn


def _open(path: str) -> sqlite3.Connection:
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    # isolation_level=None: no implicit transactions; writes say BEGIN IMMEDIATE themselves.
    conn = sqlite3.connect(path, isolation_level=None, timeout=5.0)
    conn.execute("PRAGMA journal_mode=WAL")
    # NORMAL in WAL mode keeps every commit atomic across crashes and power loss (a commit may
    # be lost on power loss, never half-applied) without an fsync per write.
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA busy_timeout=5000")
    conn.executescript(f"BEGIN IMMEDIATE;\n{SCHEMA}\nCOMMIT;")
    _add_missing_columns(conn)
    for hook in OPEN_HOOKS:
        hook(conn)
    return conn


# Columns added after a table was first created: (table, column, definition). A file created
# before gets them on open; the default says what its existing rows are (PBKDF2 PIN hashes).
_ADDED_COLUMNS = (("pin_state", "scheme", "TEXT NOT NULL DEFAULT 'pbkdf2-sha256'"),)


def _add_missing_columns(conn: sqlite3.Connection) -> None:
    with write_transaction(conn):
        for table, column, definition in _ADDED_COLUMNS:
            present = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
            if column not in present:
                conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")


def close_all() -> None:
    """Closes this thread's connections (tests, and the seed script before it exits)."""
    connections: dict[str, sqlite3.Connection] = getattr(_local, "connections", {})
    for conn in connections.values():
        conn.close()
    connections.clear()


@contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
