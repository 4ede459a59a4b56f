"""The local SMS outbox: text messages the Lambdas send when they run on the local database.

Locally there is no phone network: a message for a number is kept here, in the same SQLite file,
and the test phone of that number shows it (`/local/phones/<number>/sms`). On AWS the same
messages go through AWS End User Messaging SMS (lambdas/otp_verification/sms.py) and this table
is never used.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from jam_core.tables import sqlite_db


@dataclass(frozen=True)
class TextMessage:
    seq: int
    phone_number: str
    body: str
    sent_at: float  # epoch seconds


class SqliteSmsOutbox:
    def __init__(self, path: str) -> None:
        self.path = path

    def send(self, phone_number: str, body: str, sent_at: float | None = None) -> int:
        conn = sqlite_db.connection(self.path)
        with sqlite_db.write_transaction(conn):
            row = conn.execute(
                "INSERT INTO sms_outbox (phone_number, body, sent_at) VALUES (?, ?, ?) RETURNING seq",
                (phone_number, body, time.time() if sent_at is None else sent_at),
            ).fetchone()
        return int(row[0])

    def messages(self, phone_number: str, after: int = 0) -> list[TextMessage]:
        """The number's messages after `after` (a seq), oldest first."""
        conn = sqlite_db.connection(self.path)
        rows = conn.execute(
            "SELECT seq, phone_number, body, sent_at FROM sms_outbox WHERE phone_number = ? AND seq > ? "
            "ORDER BY seq",
            (phone_number, after),
        ).fetchall()
        return [TextMessage(int(r[0]), str(r[1]), str(r[2]), float(r[3])) for r in rows]
