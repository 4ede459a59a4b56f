"""Fixtures for the Connect Lambdas: a real SQLite file per test, DynamoDB through moto, events.

`backend` is parametrised over both implementations, so a test that asks for it runs against
SQLite and against (moto's) DynamoDB with the same assertions: the contract suite.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from jam_core.connect_lambda.settings import Settings
from jam_core.tables import dynamo, sqlite_db
from tests.lambdas.container import forget_container_state

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE_EVENT = json.loads((FIXTURES / "connect-contact-flow.json").read_text(encoding="utf-8"))
REGION = "us-east-1"

# Table name -> key attribute, as sam/template.yaml declares them.
TABLE_KEYS = {
    "CustomerData": "PhoneNumber",
    "Prompts": "ContactFlowName",
    "SurveyResults": "ContactId",
    "PinState": "PhoneNumber",
    "OtpCodes": "PhoneNumber",
}


def connect_event(parameters: dict[str, str] | None = None, **contact_data: Any) -> dict[str, Any]:
    """The sample Connect event with its Parameters replaced and ContactData fields overridden."""
    event = copy.deepcopy(SAMPLE_EVENT)
    event["Details"]["Parameters"] = dict(parameters or {})
    event["Details"]["ContactData"].update(contact_data)
    return event


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No test sees another's environment, cached repositories, clients or connections."""
    for name in (
        "DATA_BACKEND",
        "SQLITE_PATH",
        "CUSTOMER_TABLE",
        "PROMPTS_TABLE",
        "SURVEY_TABLE",
        "PIN_TABLE",
        "PIN_MAX_ATTEMPTS",
        "LOG_LEVEL",
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_DYNAMODB",
        "AWS_PROFILE",
        "PIN_PEPPER_SECRET_ARN",
        "OTP_TABLE",
        "OTP_MAX_ATTEMPTS",
        "OTP_TTL_SECONDS",
        "SMS_ORIGINATION_IDENTITY",
        "LOCAL_CONNECT_NOW",
    ):
        monkeypatch.delenv(name, raising=False)
    # Each test its own PIN pepper (a file created on first use), never the repository's var/.
    monkeypatch.setenv("PIN_PEPPER_FILE", str(tmp_path / "pin-pepper"))
    forget_container_state()
    yield
    forget_container_state()
    sqlite_db.close_all()


@pytest.fixture
def sqlite_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "jam.sqlite3"
    monkeypatch.setenv("DATA_BACKEND", "sqlite")
    monkeypatch.setenv("SQLITE_PATH", str(path))
    return path


def create_tables(client: Any) -> None:
    for table, key in TABLE_KEYS.items():
        client.create_table(
            TableName=table,
            KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )


@pytest.fixture
def aws_account(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """An empty mocked AWS account (moto), DATA_BACKEND=dynamodb; yields the handlers' own client."""
    from moto import mock_aws

    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "testing")
    monkeypatch.setenv("DATA_BACKEND", "dynamodb")
    with mock_aws():
        yield dynamo.client()


@pytest.fixture
def dynamodb_env(aws_account: Any) -> Any:
    """The mocked account with the four tables the template declares."""
    create_tables(aws_account)
    return aws_account


@pytest.fixture(params=["sqlite", "dynamodb"])
def backend(request: pytest.FixtureRequest) -> Settings:
    """Settings for one backend, its storage ready and empty."""
    request.getfixturevalue("sqlite_env" if request.param == "sqlite" else "dynamodb_env")
    return Settings.from_env()
