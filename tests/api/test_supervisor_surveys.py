"""GET /surveys/summary: supervisors only; the Lambdas' survey results through jam_core.tables's report path
(the Lambdas' SQLite file locally, the SurveyResults table on AWS), bounded and briefly cached."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from jam_api import create_app
from jam_api.config import Settings
from jam_api.supervisor.surveys import SurveySummaryService

from jam_core.tables import dynamo, repositories
from jam_core.tables.dynamo import to_item
from jam_core.tables.surveys import Answer, SqliteSurveys, SurveyResult
from tests.api.conftest import Clock, TokenFactory
from tests.api.openapi_check import assert_matches_openapi

PATH = "/surveys/summary"


def result(
    contact_id: str, second: int, answers: tuple[str, str, str], queue: str, agent: str
) -> SurveyResult:
    a1, a2, a3 = (Answer.parse(a) for a in answers)
    return SurveyResult(
        contact_id, f"2026-11-24T10:00:{second:02d}.000Z", queue, agent, "en-US", (a1, a2, a3)
    )


RESULTS = [
    result("c-1", 1, ("5", "4", ""), "Support - Devices", "agent.support"),
    result("c-2", 2, ("3", "x", "4"), "Support - Devices", "agent.generalist"),
    result("c-3", 3, ("1", "2", "5"), "Sales - New Orders", "agent.generalist"),
]


@pytest.fixture(autouse=True)
def _fresh_repositories() -> Iterator[None]:
    repositories.clear()
    dynamo.reset_client()
    yield
    repositories.clear()
    dynamo.reset_client()


def make_app(settings: Settings, clock: Clock, limit: int = 1000) -> Flask:
    service = SurveySummaryService(settings, clock=clock, limit=limit)
    return create_app(settings, connect_client=object(), survey_summary=service)


@pytest.fixture
def sqlite_settings(settings: Settings, tmp_path: Path) -> Settings:
    return dataclasses.replace(settings, data_backend="sqlite", sqlite_path=str(tmp_path / "jam.sqlite3"))


def get(app: Flask, headers: dict[str, str] | None = None) -> Any:
    response = app.test_client().get(PATH, headers=headers or {})
    assert_matches_openapi("get", PATH, None, response)
    return response


def as_supervisor(make_token: TokenFactory) -> dict[str, str]:
    token = make_token(**{"cognito:username": "supervisor", "cognito:groups": ["supervisor"]})
    return {"Authorization": f"Bearer {token}"}


def check_summary(body: dict[str, Any]) -> None:
    assert body["count"] == 3 and body["complete"] is True and body["limit"] == 1000
    assert body["questions"]["Q1"] == {"valid": 3, "invalid": 0, "missing": 0, "average": 3.0}
    assert body["questions"]["Q2"] == {"valid": 2, "invalid": 1, "missing": 0, "average": 3.0}
    assert body["questions"]["Q3"] == {"valid": 2, "invalid": 0, "missing": 1, "average": 4.5}
    assert list(body["queues"]) == ["Sales - New Orders", "Support - Devices"]
    assert body["queues"]["Support - Devices"]["questions"]["Q1"]["average"] == 4.0
    assert body["agents"]["agent.generalist"]["count"] == 2
    assert body["agents"]["agent.generalist"]["questions"]["Q3"]["average"] == 4.5
    assert body["agents"]["agent.support"]["questions"]["Q2"]["average"] == 4.0
    assert [r["ContactId"] for r in body["recent"]] == ["c-3", "c-2", "c-1"]
    assert body["recent"][1]["Q2"] == "x" and body["recent"][1]["Q2Status"] == "invalid"


def test_supervisor_reads_the_lambdas_sqlite_file(
    sqlite_settings: Settings, make_token: TokenFactory
) -> None:
    surveys = SqliteSurveys(str(sqlite_settings.sqlite_path))
    for r in RESULTS:
        surveys.record(r)
    response = get(make_app(sqlite_settings, Clock()), as_supervisor(make_token))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    check_summary(response.get_json())


def test_one_read_serves_every_supervisor_for_ten_seconds(
    sqlite_settings: Settings, make_token: TokenFactory
) -> None:
    surveys = SqliteSurveys(str(sqlite_settings.sqlite_path))
    surveys.record(RESULTS[0])
    clock = Clock()
    app = make_app(sqlite_settings, clock)
    assert get(app, as_supervisor(make_token)).get_json()["count"] == 1
    surveys.record(RESULTS[1])
    clock.now += 9
    assert get(app, as_supervisor(make_token)).get_json()["count"] == 1
    clock.now += 1.5
    assert get(app, as_supervisor(make_token)).get_json()["count"] == 2


def test_more_results_than_the_limit_are_flagged_incomplete(
    sqlite_settings: Settings, make_token: TokenFactory
) -> None:
    surveys = SqliteSurveys(str(sqlite_settings.sqlite_path))
    for r in RESULTS:
        surveys.record(r)
    body = get(make_app(sqlite_settings, Clock(), limit=2), as_supervisor(make_token)).get_json()
    assert body["complete"] is False and body["count"] == 2 and body["limit"] == 2
    assert [r["ContactId"] for r in body["recent"]] == ["c-3", "c-2"]  # SQLite: the newest two


@pytest.mark.parametrize("groups", [["customer"], ["agent"], []])
def test_only_supervisors(sqlite_settings: Settings, make_token: TokenFactory, groups: list[str]) -> None:
    response = get(
        make_app(sqlite_settings, Clock()),
        {"Authorization": f"Bearer {make_token(**{'cognito:groups': groups})}"},
    )
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["type"].endswith("/supervisors-only")


def test_sign_in_required(sqlite_settings: Settings) -> None:
    response = get(make_app(sqlite_settings, Clock()))
    assert response.status_code == 401 and response.mimetype == "application/problem+json"
    assert response.get_json()["reason"] == "missing-token"


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from moto import mock_aws

    for name, value in {
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        yield dynamo.client()


def create_survey_table(client: Any, name: str = "jam-SurveyResults") -> None:
    client.create_table(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": "ContactId", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "ContactId", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )


def test_on_aws_the_survey_table_is_read_with_one_bounded_scan(
    settings: Settings, aws: Any, make_token: TokenFactory
) -> None:
    create_survey_table(aws)
    for r in RESULTS:
        aws.put_item(TableName="jam-SurveyResults", Item=to_item(r.to_item()))
    requests: list[tuple[str, dict[str, Any]]] = []
    aws.meta.events.register(
        "before-parameter-build.dynamodb",
        lambda model, params, **_: requests.append((model.name, dict(params))),
    )
    on_aws = dataclasses.replace(settings, data_backend="dynamodb", survey_table="jam-SurveyResults")
    response = get(make_app(on_aws, Clock()), as_supervisor(make_token))
    assert response.status_code == 200
    check_summary(response.get_json())
    # Every request is a Scan of the survey table with a Limit: never an unbounded read.
    assert requests and all(name == "Scan" for name, _ in requests)
    assert all(p["TableName"] == "jam-SurveyResults" and 1 <= p["Limit"] <= 1001 for _, p in requests)


def test_an_unreadable_table_is_a_503_problem(settings: Settings, aws: Any, make_token: TokenFactory) -> None:
    on_aws = dataclasses.replace(settings, data_backend="dynamodb", survey_table="no-such-table")
    response = get(make_app(on_aws, Clock()), as_supervisor(make_token))
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.headers["Retry-After"] == "10"
