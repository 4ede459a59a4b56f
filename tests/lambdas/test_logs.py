"""Structured logs: JSON lines, the contact id on every line, phone numbers masked, PINs never shown."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from customer_lookup.handler import lambda_handler as customer_lookup
from pin_verification.handler import lambda_handler as pin_verification
from prompts.handler import lambda_handler as prompts
from survey.handler import lambda_handler as survey

from jam_core.connect_lambda.jsonlog import InvocationLog, redact
from jam_core.connect_lambda.settings import Settings
from jam_core.tables import pepper, repositories
from jam_core.tables.pin_hash import hash_pin
from tests.lambdas.conftest import SAMPLE_EVENT, connect_event

CONTACT_ID = SAMPLE_EVENT["Details"]["ContactData"]["ContactId"]


def log_lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


@pytest.mark.parametrize(
    "invoke",
    [
        lambda: customer_lookup(SAMPLE_EVENT),
        lambda: customer_lookup(connect_event({"PhoneNumber": "+13125550109"})),
        lambda: prompts(connect_event({"ContactFlowName": "Unknown", "LanguageCode": "es-US"})),
        lambda: survey(connect_event({"Q1": "5", "Q2": "x", "Q3": ""})),
        lambda: pin_verification(connect_event({"Pin": "9753"})),
        lambda: pin_verification(connect_event({"Pin": "0000", "PhoneNumber": "+12025550100"})),
    ],
    ids=["lookup", "lookup-unknown", "prompts", "survey", "pin-right", "pin-wrong"],
)
def test_every_line_is_json_with_the_contact_id_and_no_number_or_pin(
    sqlite_env: Path, capsys: pytest.CaptureFixture[str], invoke: Any
) -> None:
    settings = Settings.from_env()
    repositories.customers(settings).put({"PhoneNumber": "+12025550100", "FirstName": "Maria"})
    repositories.pins(settings).enroll("+12025550100", hash_pin("9753", pepper.get(settings)))
    capsys.readouterr()
    invoke()
    out = capsys.readouterr().out
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) >= 2  # at least one line about the outcome, and the invocation summary
    assert all(line["contactId"] == CONTACT_ID and line["function"] for line in lines)
    assert lines[-1]["event"] == "invocation" and isinstance(lines[-1]["durationMs"], float)
    for secret in ("+12025550100", "2025550100", "+13125550109", "3125550109", "9753"):
        assert secret not in out
    if any("phone" in line for line in lines):
        assert any(line.get("phone", "").endswith(("0100", "0109")) for line in lines)


def test_failure_is_logged_as_an_error_with_a_masked_number(
    dynamodb_env: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    dynamodb_env.delete_table(TableName="CustomerData")
    customer_lookup(SAMPLE_EVENT)
    lines = log_lines(capsys)
    errors = [line for line in lines if line["level"] == "ERROR"]
    assert [e["event"] for e in errors] == ["lookup_failed"]
    assert errors[0]["phone"] == "+*******0100" and errors[0]["error"] == "ResourceNotFoundException"


def test_log_level_filters_lines(
    sqlite_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOG_LEVEL", "ERROR")
    customer_lookup(SAMPLE_EVENT)
    assert capsys.readouterr().out == ""


def test_redaction_rules() -> None:
    assert redact("callerPhone", "+12025550100") == "+*******0100"
    assert redact("Pin", "1234") == "***"
    assert redact("pinHash", "abcdef") == "***"
    assert redact("detail", "no customer +1 (202) 555-0100 today") == "no customer +* (***) ***-0100 today"
    assert redact("answers", {"Q1": "5"}) == {"Q1": "5"}
    assert redact("numbers", ["+12025550100", "+13125550109"]) == ["+*******0100", "+*******0109"]


def test_connect_ids_are_logged_whole() -> None:
    """An hours id names what failed; its digit groups are not a phone number to mask."""
    stream = io.StringIO()
    hours_id = "0b2d5e1c-1234-5678-9abc-def012345678"
    InvocationLog("hours_status", "c-1", stream).error("hours_unavailable", hoursId=hours_id)
    assert json.loads(stream.getvalue())["hoursId"] == hours_id


def test_log_line_survives_unserialisable_values() -> None:
    stream = io.StringIO()
    log = InvocationLog("test", "c-1", stream)
    log.info("odd", value=object(), data=b"\x00")
    line = json.loads(stream.getvalue())
    assert line["event"] == "odd" and line["contactId"] == "c-1"
