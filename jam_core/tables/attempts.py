"""Failed attempts kept on a phone number's row: the PIN state and the one-time codes both count
wrong tries this way (one atomic increment, so concurrent wrong answers are all counted)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from jam_core.tables import sqlite_db

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient


def now_iso() -> str:
    """UpdatedAt's format: UTC to the second."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def count_failure_sqlite(path: str, table: str, phone_number: str) -> int | None:
    """failed_attempts + 1 on the row (its new value), or None when the number has no row. `table`
    is one of our own table names (a constant), never input."""
    conn = sqlite_db.connection(path)
    with sqlite_db.write_transaction(conn):
        row = conn.execute(
            f"UPDATE {table} SET failed_attempts = failed_attempts + 1, updated_at = ? "
            "WHERE phone_number = ? RETURNING failed_attempts",
            (now_iso(), phone_number),
        ).fetchone()
    return None if row is None else int(row[0])


def count_failure_dynamodb(client: DynamoDBClient, table: str, phone_number: str) -> int | None:
    """FailedAttempts + 1 in one UpdateItem ADD (atomic in DynamoDB), or None when there is no item."""
    try:
        response = client.update_item(
            TableName=table,
            Key={"PhoneNumber": {"S": phone_number}},
            UpdateExpression="ADD FailedAttempts :one SET UpdatedAt = :now",
            ConditionExpression="attribute_exists(PhoneNumber)",
            ExpressionAttributeValues={":one": {"N": "1"}, ":now": {"S": now_iso()}},
            ReturnValues="UPDATED_NEW",
        )
    except client.exceptions.ConditionalCheckFailedException:
        return None
    return int(response["Attributes"]["FailedAttempts"]["N"])
