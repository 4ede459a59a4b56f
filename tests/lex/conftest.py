"""Shared for the self-service bot's tests: Lex V2 events, the Connect twin for hours, a seeded
SQLite CustomerData."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hours_status import handler as hours_handler

from jam_core.aws_sdk import connect
from jam_core.tables import repositories
from local_connect.definitions import load_definitions
from local_connect.flows.testing import DefinitionsTwin
from scripts.seed import main as seed

DEFINITIONS = load_definitions()
NEW_YORK = ZoneInfo("America/New_York")


def at(local: str) -> str:
    """LOCAL_CONNECT_NOW for a New York wall time."""
    return repr(datetime.strptime(local, "%Y-%m-%d %H:%M").replace(tzinfo=NEW_YORK).timestamp())


def lex_event(
    intent: str,
    locale: str = "en_US",
    *,
    slots: dict[str, str] | None = None,
    attributes: dict[str, str] | None = None,
    transcript: str = "",
    source: str = "FulfillmentCodeHook",
) -> dict[str, Any]:
    """A Lex V2 code hook event (AWS Lambda input event format for Lex V2)."""
    slot_map = {
        name: {"shape": "Scalar", "value": {"originalValue": v, "interpretedValue": v, "resolvedValues": [v]}}
        for name, v in (slots or {}).items()
    }
    return {
        "messageVersion": "1.0",
        "invocationSource": source,
        "inputMode": "Text",
        "responseContentType": "text/plain; charset=utf-8",
        "sessionId": "session-1",
        "inputTranscript": transcript,
        "bot": {
            "id": "BOT",
            "name": "JamSelfService",
            "localeId": locale,
            "version": "1",
            "aliasId": "A",
            "aliasName": "live",
        },
        "interpretations": [
            {
                "intent": {
                    "name": intent,
                    "slots": slot_map,
                    "state": "InProgress",
                    "confirmationState": "None",
                },
                "nluConfidence": 0.9,
            }
        ],
        "requestAttributes": {},
        "sessionState": {
            "sessionAttributes": dict(attributes or {}),
            "intent": {"name": intent, "slots": slot_map, "state": "InProgress", "confirmationState": "None"},
            "originatingRequestId": "r-1",
        },
    }


def hours_env(endpoint: str) -> dict[str, str]:
    return {
        "HOURS_ARN_SALES": DEFINITIONS.hours["SalesHours"].arn,
        "HOURS_ARN_ACCOUNTS": DEFINITIONS.hours["AccountsHours"].arn,
        "HOURS_ARN_SUPPORT": DEFINITIONS.hours["SupportHours"].arn,
        "CONNECT_ENDPOINT_URL": endpoint,
    }


@pytest.fixture(scope="session")
def connect_twin() -> Iterator[DefinitionsTwin]:
    served = DefinitionsTwin(DEFINITIONS)
    yield served
    served.close()


@pytest.fixture
def lambda_env(
    connect_twin: DefinitionsTwin, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """The fulfillment Lambda's environment: hours from the Connect twin, a seeded SQLite file."""
    database = tmp_path / "jam.sqlite3"
    seed(["sqlite", "--sqlite-path", str(database)])
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "local")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "local")
    hours_handler.clear_cache()
    connect.reset_clients()
    repositories.clear()
    return {**hours_env(connect_twin.url), "DATA_BACKEND": "sqlite", "SQLITE_PATH": str(database)}
