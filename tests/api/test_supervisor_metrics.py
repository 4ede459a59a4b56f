"""GET /connect/metrics/queues: supervisors only, Connect's numbers per queue, one snapshot per 2 s."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.stub import Stubber
from flask import Flask
from jam_api import create_app
from jam_api.config import Settings
from jam_api.supervisor.metrics import CURRENT_METRICS, QueueMetricsService

from tests.api.conftest import INSTANCE_ID, Clock, TokenFactory
from tests.api.openapi_check import assert_matches_openapi

PATH = "/connect/metrics/queues"
SUPPORT = {"Id": "q-support", "Arn": f"arn:aws:connect:us-east-1:1:instance/{INSTANCE_ID}/queue/q-support"}
SALES = {"Id": "q-sales", "Arn": f"arn:aws:connect:us-east-1:1:instance/{INSTANCE_ID}/queue/q-sales"}
SNAPSHOT_AT = datetime(2026, 1, 5, 20, 0, 0, tzinfo=UTC)


@pytest.fixture
def app(settings: Settings, connect: tuple[Any, Stubber], clock: Clock) -> Flask:
    metrics = QueueMetricsService(connect[0], INSTANCE_ID, clock=clock)
    return create_app(settings, connect_client=connect[0], queue_metrics=metrics)


def supervisor(make_token: TokenFactory) -> dict[str, str]:
    token = make_token(**{"cognito:username": "supervisor", "cognito:groups": ["supervisor"]})
    return {"Authorization": f"Bearer {token}"}


def get(app: Flask, headers: dict[str, str] | None = None) -> Any:
    response = app.test_client().get(PATH, headers=headers or {})
    assert_matches_openapi("get", PATH, None, response)
    return response


def expect_queues(stubber: Stubber) -> None:
    stubber.add_response(
        "list_queues",
        {
            "QueueSummaryList": [{**SUPPORT, "Name": "Support - Devices", "QueueType": "STANDARD"}],
            "NextToken": "p2",
        },
        {"InstanceId": INSTANCE_ID, "QueueTypes": ["STANDARD"]},
    )
    stubber.add_response(
        "list_queues",
        {"QueueSummaryList": [{**SALES, "Name": "Sales - New Orders", "QueueType": "STANDARD"}]},
        {"InstanceId": INSTANCE_ID, "QueueTypes": ["STANDARD"], "NextToken": "p2"},
    )


def expect_metrics(stubber: Stubber, waiting: float = 2.0) -> None:
    # Connect answers only for queues with data: Sales has none here.
    collections = {
        "CONTACTS_IN_QUEUE": waiting,
        "AGENTS_ONLINE": 3.0,
        "AGENTS_AVAILABLE": 1.0,
        "AGENTS_ON_CONTACT": 2.0,
        "AGENTS_AFTER_CONTACT_WORK": 0.0,
        "OLDEST_CONTACT_AGE": 74.0,
    }
    stubber.add_response(
        "get_current_metric_data",
        {
            "MetricResults": [
                {
                    "Dimensions": {"Queue": SUPPORT},
                    "Collections": [
                        {
                            "Metric": {
                                "Name": n,
                                "Unit": "SECONDS" if n == "OLDEST_CONTACT_AGE" else "COUNT",
                            },
                            "Value": v,
                        }
                        for n, v in collections.items()
                    ],
                }
            ],
            "DataSnapshotTime": SNAPSHOT_AT,
            "ApproximateTotalCount": 1,
        },
        {
            "InstanceId": INSTANCE_ID,
            # Sorted by name: Sales before Support.
            "Filters": {"Queues": ["q-sales", "q-support"]},
            "Groupings": ["QUEUE"],
            "CurrentMetrics": CURRENT_METRICS,
        },
    )


def test_supervisor_sees_every_queue_by_name_with_connects_numbers(
    app: Flask, connect: tuple[Any, Stubber], make_token: TokenFactory
) -> None:
    expect_queues(connect[1])
    expect_metrics(connect[1])
    response = get(app, supervisor(make_token))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.get_json() == {
        "queues": [
            {
                "queueId": "q-sales",
                "name": "Sales - New Orders",
                "contactsInQueue": 0,
                "oldestContactAgeSeconds": 0,
                "agentsOnline": 0,
                "agentsAvailable": 0,
                "agentsOnContact": 0,
                "agentsAfterContactWork": 0,
            },
            {
                "queueId": "q-support",
                "name": "Support - Devices",
                "contactsInQueue": 2,
                "oldestContactAgeSeconds": 74,
                "agentsOnline": 3,
                "agentsAvailable": 1,
                "agentsOnContact": 2,
                "agentsAfterContactWork": 0,
            },
        ],
        "dataSnapshotTime": "2026-01-05T20:00:00+00:00",
    }


def test_many_pollers_share_one_snapshot_per_two_seconds_and_the_queue_list_for_minutes(
    app: Flask, connect: tuple[Any, Stubber], make_token: TokenFactory, clock: Clock
) -> None:
    expect_queues(connect[1])
    expect_metrics(connect[1], waiting=2.0)
    for _ in range(20):  # e.g. ten supervisors polling in the same second: one Connect call
        assert get(app, supervisor(make_token)).get_json()["queues"][1]["contactsInQueue"] == 2
        clock.now += 0.05
    clock.now += 2.0
    expect_metrics(connect[1], waiting=5.0)  # a fresh snapshot, without listing the queues again
    assert get(app, supervisor(make_token)).get_json()["queues"][1]["contactsInQueue"] == 5
    connect[1].assert_no_pending_responses()


@pytest.mark.parametrize("groups", [["customer"], ["agent"], []])
def test_only_supervisors(app: Flask, make_token: TokenFactory, groups: list[str]) -> None:
    response = get(app, {"Authorization": f"Bearer {make_token(**{'cognito:groups': groups})}"})
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["type"].endswith("/supervisors-only")


def test_sign_in_required(app: Flask) -> None:
    response = get(app)
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["reason"] == "missing-token"


def test_connect_throttling_is_a_429_with_retry_after(
    app: Flask, connect: tuple[Any, Stubber], make_token: TokenFactory
) -> None:
    expect_queues(connect[1])
    connect[1].add_client_error("get_current_metric_data", "ThrottlingException", http_status_code=429)
    response = get(app, supervisor(make_token))
    assert response.status_code == 429
    assert response.mimetype == "application/problem+json"
    assert response.headers["Retry-After"] == "2"


def test_a_failed_refresh_serves_the_last_snapshot_with_its_time(
    app: Flask, connect: tuple[Any, Stubber], make_token: TokenFactory, clock: Clock
) -> None:
    expect_queues(connect[1])
    expect_metrics(connect[1])
    first = get(app, supervisor(make_token)).get_json()
    clock.now += 3
    connect[1].add_client_error("get_current_metric_data", "InternalServiceException", http_status_code=500)
    again = get(app, supervisor(make_token))
    assert again.status_code == 200
    assert again.get_json() == first  # same dataSnapshotTime: the page can tell it is not fresh


def test_only_the_configured_queues_are_asked_about_on_an_instance_with_others(
    settings: Settings, connect: tuple[Any, Stubber], make_token: TokenFactory, clock: Clock
) -> None:
    """An existing instance lists BasicQueue too; the API role may ask Connect about the template's
    queues only (GetCurrentMetricData is authorized per queue in the filter), so METRICS_QUEUE_IDS
    scopes the request, and the page shows those queues and nothing else."""
    from dataclasses import replace

    scoped = replace(settings, metrics_queue_ids=("q-support",))
    metrics = QueueMetricsService(connect[0], INSTANCE_ID, scoped.metrics_queue_ids, clock=clock)
    app = create_app(scoped, connect_client=connect[0], queue_metrics=metrics)
    basic = {"Id": "q-basic", "Arn": f"arn:aws:connect:us-east-1:1:instance/{INSTANCE_ID}/queue/q-basic"}
    connect[1].add_response(
        "list_queues",
        {
            "QueueSummaryList": [
                {**basic, "Name": "BasicQueue", "QueueType": "STANDARD"},
                {**SUPPORT, "Name": "Support - Devices", "QueueType": "STANDARD"},
            ]
        },
        {"InstanceId": INSTANCE_ID, "QueueTypes": ["STANDARD"]},
    )
    connect[1].add_response(
        "get_current_metric_data",
        {"MetricResults": [], "DataSnapshotTime": SNAPSHOT_AT},
        {
            "InstanceId": INSTANCE_ID,
            "Filters": {"Queues": ["q-support"]},  # never q-basic
            "Groupings": ["QUEUE"],
            "CurrentMetrics": CURRENT_METRICS,
        },
    )
    response = get(app, supervisor(make_token))
    assert response.status_code == 200
    assert [q["name"] for q in response.get_json()["queues"]] == ["Support - Devices"]
    # Contact search still names a contact's queue outside the template.
    assert metrics.queue_names() == {"q-basic": "BasicQueue", "q-support": "Support - Devices"}


def test_the_queue_scope_comes_from_metrics_queue_ids() -> None:
    assert Settings.from_env({"METRICS_QUEUE_IDS": " q-1, q-2 ,"}).metrics_queue_ids == ("q-1", "q-2")
    assert Settings.from_env({}).metrics_queue_ids == ()
