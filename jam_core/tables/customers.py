"""CustomerData: one item per customer, key PhoneNumber (E.164), any extra fields kept as stored."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from jam_core.tables import sqlite_db

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

KEY = "PhoneNumber"


class CustomerRepository(Protocol):
    def get(self, phone_number: str) -> dict[str, Any] | None:
        """The customer's item, or None. Exactly one read."""
        ...

    def put(self, item: Mapping[str, Any]) -> None:
        """Creates or replaces the customer's item."""
        ...


def _require_key(item: Mapping[str, Any]) -> str:
    value = item.get(KEY)
    if not isinstance(value, str) or not value:
        raise ValueError(f"a customer item needs a {KEY} string")
    return value


class SqliteCustomers:
    def __init__(self, path: str) -> None:
        self.path = path

    def get(self, phone_number: str) -> dict[str, Any] | None:
        conn = sqlite_db.connection(self.path)
        row = conn.execute("SELECT item FROM customers WHERE phone_number = ?", (phone_number,)).fetchone()
        if row is None:
            return None
        item = json.loads(row[0])
        if not isinstance(item, dict):
            raise ValueError("stored customer item is not an object")
        return item

    def put(self, item: Mapping[str, Any]) -> None:
        key = _require_key(item)
        conn = sqlite_db.connection(self.path)
        with sqlite_db.write_transaction(conn):
            conn.execute(
                "INSERT OR REPLACE INTO customers (phone_number, item) VALUES (?, ?)",
                (key, json.dumps(dict(item), ensure_ascii=False)),
            )


class DynamoDbCustomers:
    def __init__(self, client: DynamoDBClient, table: str) -> None:
        self.client = client
        self.table = table

    def get(self, phone_number: str) -> dict[str, Any] | None:
        from jam_core.tables.dynamo import from_item

        response = self.client.get_item(TableName=self.table, Key={KEY: {"S": phone_number}})
        item = response.get("Item")
        return from_item(item) if item else None

    def put(self, item: Mapping[str, Any]) -> None:
        from jam_core.tables.dynamo import to_item

        _require_key(item)
        self.client.put_item(TableName=self.table, Item=to_item(item))
