"""Prompts: one item per contact flow, key ContactFlowName.

Item shape (data/seed/prompts.json holds a list of these):
  {"ContactFlowName": "JAM Inbound",
   "Prompts": [{"Id": "Welcome", "PromptText": {"en-US": "...", "es-US": "..."}}, ...]}
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from jam_core.tables import sqlite_db

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

KEY = "ContactFlowName"
# Keys the prompts Lambda adds to its reply; a prompt Id may not take them.
RESERVED_IDS = frozenset({"LanguageUsed", "PromptCount", "error"})


class PromptRepository(Protocol):
    def get(self, contact_flow_name: str) -> dict[str, Any] | None:
        """The flow's Prompts item, or None. Exactly one read."""
        ...

    def put(self, item: Mapping[str, Any]) -> None: ...


def validate_item(item: Any) -> dict[str, Any]:
    """Checks the item's shape; raises ValueError naming what is wrong."""
    if not isinstance(item, Mapping):
        raise ValueError("a Prompts item must be an object")
    name = item.get(KEY)
    if not isinstance(name, str) or not name:
        raise ValueError(f"a Prompts item needs a {KEY} string")
    prompts = item.get("Prompts")
    if not isinstance(prompts, list):
        raise ValueError(f"{name}: Prompts must be a list")
    seen: set[str] = set()
    for prompt in prompts:
        if not isinstance(prompt, Mapping):
            raise ValueError(f"{name}: every prompt must be an object")
        prompt_id, texts = prompt.get("Id"), prompt.get("PromptText")
        if not isinstance(prompt_id, str) or not prompt_id:
            raise ValueError(f"{name}: every prompt needs an Id string")
        if prompt_id in RESERVED_IDS:
            raise ValueError(f"{name}: prompt Id {prompt_id} is reserved for the reply")
        if prompt_id in seen:
            raise ValueError(f"{name}: prompt Id {prompt_id} appears twice")
        seen.add(prompt_id)
        if not isinstance(texts, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in texts.items()
        ):
            raise ValueError(f"{name}/{prompt_id}: PromptText must map language codes to text")
    return dict(item)


class SqlitePrompts:
    def __init__(self, path: str) -> None:
        self.path = path

    def get(self, contact_flow_name: str) -> dict[str, Any] | None:
        conn = sqlite_db.connection(self.path)
        row = conn.execute(
            "SELECT item FROM prompts WHERE contact_flow_name = ?", (contact_flow_name,)
        ).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, item: Mapping[str, Any]) -> None:
        valid = validate_item(item)
        conn = sqlite_db.connection(self.path)
        with sqlite_db.write_transaction(conn):
            conn.execute(
                "INSERT OR REPLACE INTO prompts (contact_flow_name, item) VALUES (?, ?)",
                (valid[KEY], json.dumps(valid, ensure_ascii=False)),
            )


class DynamoDbPrompts:
    def __init__(self, client: DynamoDBClient, table: str) -> None:
        self.client = client
        self.table = table

    def get(self, contact_flow_name: str) -> dict[str, Any] | None:
        from jam_core.tables.dynamo import from_item

        response = self.client.get_item(TableName=self.table, Key={KEY: {"S": contact_flow_name}})
        item = response.get("Item")
        return from_item(item) if item else None

    def put(self, item: Mapping[str, Any]) -> None:
        from jam_core.tables.dynamo import to_item

        self.client.put_item(TableName=self.table, Item=to_item(validate_item(item)))
