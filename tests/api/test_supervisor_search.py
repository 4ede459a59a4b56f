"""GET /connect/contacts/search: supervisors only, one SearchContacts call with checked criteria."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.stub import Stubber
from flask import Flask
from jam_api import create_app
from jam_api.config import Settings

from tests.api.conftest import INSTANCE_ID, TokenFactory
from tests.api.openapi_check import assert_matches_openapi

PATH = "/connect/contacts/search"
NOW = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)
QUEUE = {"Id": "q-support", "Arn": f"arn:aws:connect:us-east-1:1:instance/{INSTANCE_ID}/queue/q-support"}


@pytest.fixture
def app(settings: Settings, connect: tuple[Any, Stubber]) -> Flask:
    return create_app(settings, connect_client=connect[0], now=lambda: NOW)


def get(app: Flask, query: str = "", headers: dict[str, str] | None = None) -> Any:
    response = app.test_client().get(f"{PATH}{query}", headers=headers or {})
    assert_matches_openapi("get", PATH, None, response)
    return response


def supervisor(make_token: TokenFactory) -> dict[str, str]:
    token = make_token(**{"cognito:username": "supervisor", "cognito:groups": ["supervisor"]})
    return {"Authorization": f"Bearer {token}"}


def expect_search(stubber: Stubber, expected: dict[str, Any], contacts: list[dict[str, Any]]) -> None:
    stubber.add_response("search_contacts", {"Contacts": contacts, "TotalCount": len(contacts)}, expected)


def expect_queue_names(stubber: Stubber) -> None:
    stubber.add_response(
        "list_queues",
        {"QueueSummaryList": [{**QUEUE, "Name": "Support - Technical", "QueueType": "STANDARD"}]},
        {"InstanceId": INSTANCE_ID, "QueueTypes": ["STANDARD"]},
    )


SUMMARY = {
    "Arn": f"arn:aws:connect:us-east-1:1:instance/{INSTANCE_ID}/contact/c-1",
    "Id": "c-1",
    "InitialContactId": "c-1",
    "InitiationMethod": "INBOUND",
    "Channel": "VOICE",
    "QueueInfo": {"Id": "q-support", "EnqueueTimestamp": NOW - timedelta(minutes=9)},
    "AgentInfo": {"Id": "agent-1", "ConnectedToAgentTimestamp": NOW - timedelta(minutes=8)},
    "InitiationTimestamp": NOW - timedelta(minutes=10),
    "DisconnectTimestamp": NOW - timedelta(minutes=2),
}


def test_last_day_newest_first_by_default_with_queue_names(
    app: Flask, connect: tuple[Any, Stubber], make_token: TokenFactory
) -> None:
    expect_search(
        connect[1],
        {
            "InstanceId": INSTANCE_ID,
            "TimeRange": {
                "Type": "INITIATION_TIMESTAMP",
                "StartTime": NOW - timedelta(hours=24),
                "EndTime": NOW,
            },
            "MaxResults": 50,
            "Sort": {"FieldName": "INITIATION_TIMESTAMP", "Order": "DESCENDING"},
        },
        [SUMMARY],
    )
    expect_queue_names(connect[1])
    response = get(app, headers=supervisor(make_token))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.get_json() == {
        "contacts": [
            {
                "contactId": "c-1",
                "initialContactId": "c-1",
                "previousContactId": None,
                "initiationMethod": "INBOUND",
                "channel": "VOICE",
                "queueId": "q-support",
                "queueName": "Support - Technical",
                "agentId": "agent-1",
                "initiatedAt": "2026-11-24T19:50:00+00:00",
                "enqueuedAt": "2026-11-24T19:51:00+00:00",
                "connectedToAgentAt": "2026-11-24T19:52:00+00:00",
                "disconnectedAt": "2026-11-24T19:58:00+00:00",
            }
        ],
        "totalCount": 1,
        "from": "2026-11-23T20:00:00+00:00",
        "to": "2026-11-24T20:00:00+00:00",
    }


def test_window_queue_agent_and_limit_become_search_criteria(
    app: Flask, connect: tuple[Any, Stubber], make_token: TokenFactory
) -> None:
    start = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    expect_search(
        connect[1],
        {
            "InstanceId": INSTANCE_ID,
            "TimeRange": {
                "Type": "INITIATION_TIMESTAMP",
                "StartTime": start,
                "EndTime": datetime(2026, 11, 21, 9, 0, tzinfo=UTC),
            },
            "MaxResults": 10,
            "Sort": {"FieldName": "INITIATION_TIMESTAMP", "Order": "DESCENDING"},
            "SearchCriteria": {"QueueIds": ["q-support"], "AgentIds": ["agent.support"]},
        },
        [],
    )
    expect_queue_names(connect[1])
    query = "?from=2026-11-20T04:00:00-05:00&to=2026-11-21T09:00:00Z&queueId=q-support&agentId=agent.support&limit=10"
    response = get(app, query, supervisor(make_token))
    assert response.status_code == 200 and response.get_json()["contacts"] == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?phone=%2B12025550100", "phone"),
        ("?from=yesterday", "from"),
        ("?from=2026-11-20T09:00:00", "from"),
        ("?from=2026-11-24T21:00:00Z", "from"),
        ("?from=2026-09-01T00:00:00Z", "from"),
        ("?limit=0", "limit"),
        ("?limit=101", "limit"),
        ("?queueId=../x", "queueId"),
        ("?agentId=a%20b", "agentId"),
        ("?agentId=agent.support%0A", "agentId"),  # "$" would match before a final newline
        ("?from=20261124T090000Z", "from"),  # ISO 8601's basic form is not RFC 3339
        ("?limit=%2B5", "limit"),
        ("?limit=%D9%A5", "limit"),  # an Arabic-Indic five: int() reads it, the schema does not
        ("?queue=q-1", "queue"),  # unknown (misspelt) parameters are refused, not ignored
    ],
)
def test_bad_criteria_are_refused_before_connect(
    app: Flask, make_token: TokenFactory, query: str, field: str
) -> None:
    response = get(app, query, supervisor(make_token))
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["field"] == field


@pytest.mark.parametrize("groups", [["customer"], ["agent"]])
def test_only_supervisors(app: Flask, make_token: TokenFactory, groups: list[str]) -> None:
    response = get(app, headers={"Authorization": f"Bearer {make_token(**{'cognito:groups': groups})}"})
    assert response.status_code == 403 and response.mimetype == "application/problem+json"


def test_connect_errors_are_problems(
    app: Flask, connect: tuple[Any, Stubber], make_token: TokenFactory
) -> None:
    connect[1].add_client_error("search_contacts", "ThrottlingException", http_status_code=429)
    response = get(app, headers=supervisor(make_token))
    assert response.status_code == 429 and response.headers["Retry-After"] == "2"


def test_records_are_still_listed_when_queue_names_cannot_be_read(
    app: Flask, connect: tuple[Any, Stubber], make_token: TokenFactory
) -> None:
    connect[1].add_response("search_contacts", {"Contacts": [SUMMARY], "TotalCount": 1})
    connect[1].add_client_error("list_queues", "InternalServiceException", http_status_code=500)
    response = get(app, headers=supervisor(make_token))
    assert response.status_code == 200
    assert response.get_json()["contacts"][0]["queueName"] is None
