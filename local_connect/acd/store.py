"""Contact records in SQLite (WAL): every state change is written before it is announced.

Only contacts and idempotency tokens are durable. Agents' states are not: after a restart every agent
is Offline, as after a Connect outage. WAL with synchronous=NORMAL survives kill -9 of the process
(a committed transaction is in the WAL file); only a power cut could lose the last commits.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from local_connect.acd.model import Contact, ContactState, InitiationMethod

_SCHEMA = """
CREATE TABLE IF NOT EXISTS contacts (
    id TEXT PRIMARY KEY,
    initial_contact_id TEXT NOT NULL,
    previous_contact_id TEXT,
    initiation_method TEXT NOT NULL,
    channel TEXT NOT NULL,
    state TEXT NOT NULL,
    customer_number TEXT NOT NULL,
    system_number TEXT NOT NULL,
    flow_id TEXT,
    queue_id TEXT,
    priority INTEGER NOT NULL,
    time_adjustment REAL NOT NULL,
    initiated_at REAL NOT NULL,
    enqueued_at REAL,
    connected_at REAL,
    disconnected_at REAL,
    agent_username TEXT,
    disconnect_reason TEXT,
    disconnect_detail TEXT,
    attributes TEXT NOT NULL,
    survey TEXT NOT NULL,
    callback_attempts INTEGER NOT NULL,
    callback_max_attempts INTEGER NOT NULL,
    next_attempt_at REAL,
    name TEXT,
    description TEXT,
    language TEXT,
    callback_retry_delay REAL,
    disconnect_flow TEXT,
    tags TEXT,
    task_references TEXT,
    scheduled_at REAL
);
CREATE INDEX IF NOT EXISTS contacts_state ON contacts(state);
CREATE INDEX IF NOT EXISTS contacts_customer ON contacts(customer_number, initiated_at);
CREATE TABLE IF NOT EXISTS client_tokens (
    token TEXT PRIMARY KEY,
    request_hash TEXT NOT NULL,
    contact_id TEXT NOT NULL,
    created_at REAL NOT NULL
);
"""

_COLUMNS = [
    "id",
    "initial_contact_id",
    "previous_contact_id",
    "initiation_method",
    "channel",
    "state",
    "customer_number",
    "system_number",
    "flow_id",
    "queue_id",
    "priority",
    "time_adjustment",
    "initiated_at",
    "enqueued_at",
    "connected_at",
    "disconnected_at",
    "agent_username",
    "disconnect_reason",
    "disconnect_detail",
    "attributes",
    "survey",
    "callback_attempts",
    "callback_max_attempts",
    "next_attempt_at",
    "name",
    "description",
    "language",
    "callback_retry_delay",
    "disconnect_flow",
    "tags",
    "task_references",
    "scheduled_at",
]

# Columns added after the first release of the file: added in place to older databases.
_ADDED_COLUMNS = {
    "language": "TEXT",
    "callback_retry_delay": "REAL",
    "disconnect_flow": "TEXT",
    "tags": "TEXT",
    "task_references": "TEXT",
    "scheduled_at": "REAL",
}

_UPSERT = (
    f"INSERT INTO contacts ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' for _ in _COLUMNS)}) "
    f"ON CONFLICT(id) DO UPDATE SET {', '.join(f'{c}=excluded.{c}' for c in _COLUMNS[1:])}"
)

CSV_FIELDS = [
    "ContactId",
    "InitialContactId",
    "PreviousContactId",
    "InitiationMethod",
    "Channel",
    "State",
    "CustomerEndpoint",
    "SystemEndpoint",
    "QueueId",
    "Priority",
    "InitiationTimestamp",
    "EnqueueTimestamp",
    "ConnectedToAgentTimestamp",
    "DisconnectTimestamp",
    "Agent",
    "DisconnectReason",
    "DisconnectDetail",
    "CallbackAttempts",
    "LanguageCode",
    "Attributes",
    "SurveyAnswers",
]


def _row(contact: Contact) -> tuple[Any, ...]:
    values = dict(vars(contact))
    values["initiation_method"] = str(contact.initiation_method)
    values["state"] = str(contact.state)
    values["attributes"] = json.dumps(contact.attributes, sort_keys=True)
    values["survey"] = json.dumps(contact.survey, sort_keys=True)
    values["tags"] = json.dumps(contact.tags, sort_keys=True)
    values["task_references"] = json.dumps(contact.task_references, sort_keys=True)
    return tuple(values[c] for c in _COLUMNS)


def _contact(row: sqlite3.Row) -> Contact:
    values = {c: row[c] for c in _COLUMNS if c != "on_hold"}
    values["initiation_method"] = InitiationMethod(values["initiation_method"])
    values["state"] = ContactState(values["state"])
    values["attributes"] = json.loads(values["attributes"])
    values["survey"] = json.loads(values["survey"])
    values["tags"] = json.loads(values["tags"] or "{}")  # NULL in rows written before tags existed
    values["task_references"] = json.loads(values["task_references"] or "{}")
    return Contact(**values)


class ContactStore:
    """One SQLite file; one connection shared under a lock (the runtime writes from one place)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        present = {row[1] for row in self._db.execute("PRAGMA table_info(contacts)")}
        for column, kind in _ADDED_COLUMNS.items():
            if column not in present:
                self._db.execute(f"ALTER TABLE contacts ADD COLUMN {column} {kind}")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def save(self, contact: Contact) -> None:
        with self._lock:
            self._db.execute(_UPSERT, _row(contact))

    def get(self, contact_id: str) -> Contact | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM contacts WHERE id = ?", (contact_id,)).fetchone()
        return _contact(row) if row else None

    def open_contacts(self) -> list[Contact]:
        """Contacts that were not finished when the runtime last stopped."""
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM contacts WHERE state != ? ORDER BY initiated_at",
                (str(ContactState.DISCONNECTED),),
            ).fetchall()
        return [_contact(r) for r in rows]

    def next_contacts(self, contact_id: str) -> list[Contact]:
        """The contacts that continue this one (a transfer's new contact), oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM contacts WHERE previous_contact_id = ? ORDER BY initiated_at", (contact_id,)
            ).fetchall()
        return [_contact(r) for r in rows]

    def previous_contacts(self, customer_number: str, before: float, limit: int = 5) -> list[Contact]:
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM contacts WHERE customer_number = ? AND initiated_at < ? "
                "ORDER BY initiated_at DESC LIMIT ?",
                (customer_number, before, limit),
            ).fetchall()
        return [_contact(r) for r in rows]

    def contacts(self, limit: int = 1000, since: float | None = None) -> list[Contact]:
        query = "SELECT * FROM contacts"
        args: tuple[Any, ...] = ()
        if since is not None:
            query += " WHERE initiated_at >= ?"
            args = (since,)
        query += " ORDER BY initiated_at DESC LIMIT ?"
        with self._lock:
            rows = self._db.execute(query, (*args, limit)).fetchall()
        return [_contact(r) for r in rows]

    # ------------------------------------------------------------------ idempotency (ClientToken)
    def client_token(self, token: str) -> tuple[str, str] | None:
        """(request hash, contact id) remembered for a ClientToken."""
        with self._lock:
            row = self._db.execute(
                "SELECT request_hash, contact_id FROM client_tokens WHERE token = ?", (token,)
            ).fetchone()
        return (row[0], row[1]) if row else None

    def remember_client_token(self, token: str, request_hash: str, contact_id: str, now: float) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR IGNORE INTO client_tokens VALUES (?, ?, ?, ?)",
                (token, request_hash, contact_id, now),
            )


def export_jsonl(contacts: Iterable[Contact]) -> Iterator[str]:
    for contact in contacts:
        yield json.dumps(contact.record(), sort_keys=True) + "\n"


def export_csv(contacts: Iterable[Contact]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, extrasaction="ignore")
    writer.writeheader()
    for contact in contacts:
        record = contact.record()
        record["Attributes"] = json.dumps(record["Attributes"], sort_keys=True)
        record["SurveyAnswers"] = json.dumps(record["SurveyAnswers"], sort_keys=True)
        writer.writerow(record)
    return out.getvalue()
