"""PinState: per phone number, the salted PIN hash (with its scheme) and the count of failed attempts.

Verification reads the record once; a failure is counted with an atomic increment (UpdateItem
ADD on DynamoDB, one UPDATE in a transaction on SQLite), so concurrent wrong attempts are all
counted. Whether the PIN is locked is derived from the count and PIN_MAX_ATTEMPTS.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from jam_core.tables import sqlite_db
from jam_core.tables.attempts import count_failure_dynamodb, count_failure_sqlite, now_iso
from jam_core.tables.pin_hash import SCHEME_PBKDF2, PinHash

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

KEY = "PhoneNumber"


@dataclass(frozen=True)
class PinRecord:
    phone_number: str
    pin: PinHash
    failed_attempts: int


class PinNotEnrolled(LookupError):
    """The number has no PIN record."""


class PinRepository(Protocol):
    def get(self, phone_number: str) -> PinRecord | None:
        """The number's PIN record, or None. Exactly one read."""
        ...

    def enroll(self, phone_number: str, pin: PinHash) -> None:
        """Stores a (new) PIN hash and clears the failure count."""
        ...

    def record_failure(self, phone_number: str) -> int:
        """Counts one failed attempt atomically; returns the new count."""
        ...

    def reset_failures(self, phone_number: str) -> None: ...


class SqlitePins:
    def __init__(self, path: str) -> None:
        self.path = path

    def get(self, phone_number: str) -> PinRecord | None:
        conn = sqlite_db.connection(self.path)
        row = conn.execute(
            "SELECT pin_salt, pin_hash, iterations, scheme, failed_attempts FROM pin_state "
            "WHERE phone_number = ?",
            (phone_number,),
        ).fetchone()
        if row is None:
            return None
        return PinRecord(phone_number, PinHash(row[0], row[1], int(row[2]), row[3]), int(row[4]))

    def enroll(self, phone_number: str, pin: PinHash) -> None:
        conn = sqlite_db.connection(self.path)
        with sqlite_db.write_transaction(conn):
            conn.execute(
                "INSERT OR REPLACE INTO pin_state "
                "(phone_number, pin_salt, pin_hash, iterations, scheme, failed_attempts, updated_at) "
                "VALUES (?, ?, ?, ?, ?, 0, ?)",
                (phone_number, pin.salt, pin.digest, pin.iterations, pin.scheme, now_iso()),
            )

    def record_failure(self, phone_number: str) -> int:
        count = count_failure_sqlite(self.path, "pin_state", phone_number)
        if count is None:
            raise PinNotEnrolled(phone_number)
        return count

    def reset_failures(self, phone_number: str) -> None:
        conn = sqlite_db.connection(self.path)
        with sqlite_db.write_transaction(conn):
            conn.execute(
                "UPDATE pin_state SET failed_attempts = 0, updated_at = ? WHERE phone_number = ?",
                (now_iso(), phone_number),
            )


class DynamoDbPins:
    def __init__(self, client: DynamoDBClient, table: str) -> None:
        self.client = client
        self.table = table

    def get(self, phone_number: str) -> PinRecord | None:
        response = self.client.get_item(
            TableName=self.table, Key={KEY: {"S": phone_number}}, ConsistentRead=True
        )
        item: dict[str, Any] | None = response.get("Item")
        if not item:
            return None
        # Items written before schemes were recorded have no PinScheme: they are PBKDF2.
        pin = PinHash(
            item["PinSalt"]["S"],
            item["PinHash"]["S"],
            int(item.get("PinIterations", {"N": "0"})["N"]),
            item.get("PinScheme", {"S": SCHEME_PBKDF2})["S"],
        )
        return PinRecord(phone_number, pin, int(item.get("FailedAttempts", {"N": "0"})["N"]))

    def enroll(self, phone_number: str, pin: PinHash) -> None:
        self.client.put_item(
            TableName=self.table,
            Item={
                KEY: {"S": phone_number},
                "PinSalt": {"S": pin.salt},
                "PinHash": {"S": pin.digest},
                "PinIterations": {"N": str(pin.iterations)},
                "PinScheme": {"S": pin.scheme},
                "FailedAttempts": {"N": "0"},
                "UpdatedAt": {"S": now_iso()},
            },
        )

    def record_failure(self, phone_number: str) -> int:
        count = count_failure_dynamodb(self.client, self.table, phone_number)
        if count is None:
            raise PinNotEnrolled(phone_number)
        return count

    def reset_failures(self, phone_number: str) -> None:
        # Nothing enrolled means nothing to reset: the failed condition is not an error.
        with contextlib.suppress(self.client.exceptions.ConditionalCheckFailedException):
            self.client.update_item(
                TableName=self.table,
                Key={KEY: {"S": phone_number}},
                UpdateExpression="SET FailedAttempts = :zero, UpdatedAt = :now",
                ConditionExpression="attribute_exists(PhoneNumber)",
                ExpressionAttributeValues={":zero": {"N": "0"}, ":now": {"S": now_iso()}},
            )
