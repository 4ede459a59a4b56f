"""OtpCodes: per phone number, the one-time code last sent by SMS, as a keyed hash, with its expiry
and the count of wrong attempts.

Only the hash is stored (jam_core.tables.pin_hash's keyed scheme: HMAC-SHA256 with the pepper over
a random salt and the code), so a leaked table yields no code. A new code replaces the previous one
and clears its count; a right code is marked used, so it works once. Wrong attempts are counted
atomically (UpdateItem ADD on DynamoDB, one UPDATE in a transaction on SQLite) so concurrent
guesses are all counted. On DynamoDB, ExpiresAt (epoch seconds) is also the table's TTL attribute:
expired items are deleted eventually; the expiry itself is checked by the Lambda, never left to TTL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from jam_core.tables import sqlite_db
from jam_core.tables.attempts import count_failure_dynamodb, count_failure_sqlite, now_iso
from jam_core.tables.pin_hash import PinHash

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

KEY = "PhoneNumber"


@dataclass(frozen=True)
class OtpRecord:
    phone_number: str
    code: PinHash
    expires_at: float  # epoch seconds
    failed_attempts: int
    used: bool


class OtpNotIssued(LookupError):
    """The number has no code."""


class OtpRepository(Protocol):
    def issue(self, phone_number: str, code: PinHash, expires_at: float) -> None:
        """Stores a new code's hash, replacing any earlier code; no attempts counted, not used."""
        ...

    def get(self, phone_number: str) -> OtpRecord | None:
        """The number's code record, or None. Exactly one read."""
        ...

    def record_failure(self, phone_number: str) -> int:
        """Counts one wrong attempt atomically; returns the new count."""
        ...

    def mark_used(self, phone_number: str) -> None:
        """The code was right: it cannot be used again."""
        ...


class SqliteOtpCodes:
    def __init__(self, path: str) -> None:
        self.path = path

    def issue(self, phone_number: str, code: PinHash, expires_at: float) -> None:
        conn = sqlite_db.connection(self.path)
        with sqlite_db.write_transaction(conn):
            conn.execute(
                "INSERT OR REPLACE INTO otp_codes "
                "(phone_number, code_salt, code_hash, scheme, expires_at, failed_attempts, used, updated_at) "
                "VALUES (?, ?, ?, ?, ?, 0, 0, ?)",
                (phone_number, code.salt, code.digest, code.scheme, expires_at, now_iso()),
            )

    def get(self, phone_number: str) -> OtpRecord | None:
        conn = sqlite_db.connection(self.path)
        row = conn.execute(
            "SELECT code_salt, code_hash, scheme, expires_at, failed_attempts, used FROM otp_codes "
            "WHERE phone_number = ?",
            (phone_number,),
        ).fetchone()
        if row is None:
            return None
        return OtpRecord(
            phone_number, PinHash(row[0], row[1], 0, row[2]), float(row[3]), int(row[4]), bool(row[5])
        )

    def record_failure(self, phone_number: str) -> int:
        count = count_failure_sqlite(self.path, "otp_codes", phone_number)
        if count is None:
            raise OtpNotIssued(phone_number)
        return count

    def mark_used(self, phone_number: str) -> None:
        conn = sqlite_db.connection(self.path)
        with sqlite_db.write_transaction(conn):
            conn.execute(
                "UPDATE otp_codes SET used = 1, updated_at = ? WHERE phone_number = ?",
                (now_iso(), phone_number),
            )


class DynamoDbOtpCodes:
    def __init__(self, client: DynamoDBClient, table: str) -> None:
        self.client = client
        self.table = table

    def issue(self, phone_number: str, code: PinHash, expires_at: float) -> None:
        self.client.put_item(
            TableName=self.table,
            Item={
                KEY: {"S": phone_number},
                "CodeSalt": {"S": code.salt},
                "CodeHash": {"S": code.digest},
                "CodeScheme": {"S": code.scheme},
                # Whole seconds: the TTL attribute must be a Number of epoch seconds.
                "ExpiresAt": {"N": str(int(expires_at))},
                "FailedAttempts": {"N": "0"},
                "Used": {"BOOL": False},
                "UpdatedAt": {"S": now_iso()},
            },
        )

    def get(self, phone_number: str) -> OtpRecord | None:
        response = self.client.get_item(
            TableName=self.table, Key={KEY: {"S": phone_number}}, ConsistentRead=True
        )
        item: dict[str, Any] | None = response.get("Item")
        if not item:
            return None
        code = PinHash(item["CodeSalt"]["S"], item["CodeHash"]["S"], 0, item["CodeScheme"]["S"])
        return OtpRecord(
            phone_number,
            code,
            float(item["ExpiresAt"]["N"]),
            int(item.get("FailedAttempts", {"N": "0"})["N"]),
            bool(item.get("Used", {"BOOL": False})["BOOL"]),
        )

    def record_failure(self, phone_number: str) -> int:
        count = count_failure_dynamodb(self.client, self.table, phone_number)
        if count is None:
            raise OtpNotIssued(phone_number)
        return count

    def mark_used(self, phone_number: str) -> None:
        try:
            self.client.update_item(
                TableName=self.table,
                Key={KEY: {"S": phone_number}},
                UpdateExpression="SET Used = :used, UpdatedAt = :now",
                ConditionExpression="attribute_exists(PhoneNumber)",
                ExpressionAttributeValues={":used": {"BOOL": True}, ":now": {"S": now_iso()}},
            )
        except self.client.exceptions.ConditionalCheckFailedException as exc:
            raise OtpNotIssued(phone_number) from exc
