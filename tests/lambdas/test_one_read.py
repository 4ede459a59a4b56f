"""A lookup is exactly one read, and never a Scan: counted on the wire (DynamoDB) and in SQLite.

DynamoDB: botocore's before-call event names every API operation the handlers' own client sends.
SQLite: the connection's trace callback sees every statement; EXPLAIN QUERY PLAN shows whether
SQLite searches by key or scans the table.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from customer_lookup.handler import lambda_handler as customer_lookup
from pin_verification.handler import lambda_handler as pin_verification
from prompts.handler import lambda_handler as prompts
from survey.handler import lambda_handler as survey

from jam_core.connect_lambda.settings import Settings
from jam_core.tables import pepper, repositories, sqlite_db
from jam_core.tables.pin_hash import hash_pin
from tests.lambdas.conftest import SAMPLE_EVENT, connect_event

CALLER = "+12025550100"
FLOW = {"ContactFlowName": "JAM Inbound", "Prompts": [{"Id": "Welcome", "PromptText": {"en-US": "Hi"}}]}


def seed(settings: Settings) -> None:
    repositories.customers(settings).put({"PhoneNumber": CALLER, "FirstName": "Maria", "VIP": True})
    repositories.prompts(settings).put(FLOW)
    repositories.pins(settings).enroll(CALLER, hash_pin("1234", pepper.get(settings)))


# ---------------------------------------------------------------- DynamoDB


@pytest.fixture
def operations(dynamodb_env: Any) -> Iterator[list[str]]:
    """The DynamoDB operations the handlers send from now on, in order."""
    seed(Settings.from_env())
    sent: list[str] = []

    def record(event_name: str, **_: Any) -> None:
        sent.append(event_name.rsplit(".", 1)[-1])

    dynamodb_env.meta.events.register("before-call.dynamodb.*", record)
    yield sent
    dynamodb_env.meta.events.unregister("before-call.dynamodb.*", record)


@pytest.mark.parametrize(
    ("invoke", "expected"),
    [
        (lambda: customer_lookup(SAMPLE_EVENT), ["GetItem"]),
        (lambda: customer_lookup(connect_event({"PhoneNumber": "+13125550109"})), ["GetItem"]),
        (lambda: prompts(connect_event({"ContactFlowName": "JAM Inbound"})), ["GetItem"]),
        (lambda: prompts(connect_event({"ContactFlowName": "Unknown"})), ["GetItem"]),
        (lambda: pin_verification(connect_event({"Pin": "1234"})), ["GetItem"]),
        # A wrong PIN: one read, then one atomic increment (no read-modify-write).
        (lambda: pin_verification(connect_event({"Pin": "0000"})), ["GetItem", "UpdateItem"]),
        # The survey write is a single conditional put: no read to check for a duplicate.
        (lambda: survey(connect_event({"Q1": "5", "Q2": "4", "Q3": "3"})), ["PutItem"]),
        # Nothing worth looking up: no call at all.
        (lambda: customer_lookup(connect_event(CustomerEndpoint={"Address": "anonymous"})), []),
    ],
    ids=[
        "lookup-found",
        "lookup-unknown",
        "prompts",
        "prompts-unknown-flow",
        "pin-right",
        "pin-wrong",
        "survey",
        "lookup-anonymous",
    ],
)
def test_dynamodb_operations_per_invocation(operations: list[str], invoke: Any, expected: list[str]) -> None:
    reply = invoke()
    assert "error" not in reply or reply["error"] in {"unknown_flow", "invalid_phone_number"}
    assert operations == expected
    assert "Scan" not in operations and "Query" not in operations


def test_survey_retry_is_still_one_write_and_no_read(operations: list[str]) -> None:
    event = connect_event({"Q1": "5", "Q2": "4", "Q3": "3"})
    survey(event)
    assert survey(event)["duplicate"] == "true"
    assert operations == ["PutItem", "PutItem"]


# ---------------------------------------------------------------- SQLite


@pytest.fixture
def statements(sqlite_env: Path) -> Iterator[list[str]]:
    """The SQL statements the handlers run on this thread's connection from now on."""
    seed(Settings.from_env())
    conn = sqlite_db.connection(str(sqlite_env))
    seen: list[str] = []
    conn.set_trace_callback(seen.append)
    yield seen
    conn.set_trace_callback(None)


def reads(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith("SELECT")]


def plan(path: Path, statement: str) -> str:
    with sqlite3.connect(path) as conn:
        return " | ".join(row[-1] for row in conn.execute(f"EXPLAIN QUERY PLAN {statement}"))


@pytest.mark.parametrize(
    "invoke",
    [
        lambda: customer_lookup(SAMPLE_EVENT),
        lambda: customer_lookup(connect_event({"PhoneNumber": "+13125550109"})),
        lambda: prompts(connect_event({"ContactFlowName": "JAM Inbound", "LanguageCode": "es-US"})),
        lambda: pin_verification(connect_event({"Pin": "1234"})),
    ],
    ids=["lookup-found", "lookup-unknown", "prompts", "pin"],
)
def test_sqlite_lookup_is_one_keyed_read(sqlite_env: Path, statements: list[str], invoke: Any) -> None:
    invoke()
    selects = reads(statements)
    assert len(selects) == 1, statements
    query_plan = plan(sqlite_env, selects[0])
    assert query_plan.startswith("SEARCH") and "SCAN" not in query_plan, query_plan


def test_sqlite_survey_write_is_one_transaction_without_a_read(statements: list[str]) -> None:
    survey(connect_event({"Q1": "5"}))
    assert reads(statements) == []
    kinds = [s.split()[0].upper() for s in statements]
    assert kinds == ["BEGIN", "INSERT", "COMMIT"]
