"""POST /connect/hours through the Flask app with Connect stubbed by botocore's Stubber."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.stub import Stubber
from flask import Flask
from jam_api import create_app
from jam_api.config import Settings
from jam_api.hours.address_limit import AddressRateLimiter
from jam_api.hours.cache import TtlCache
from jam_api.hours.directory import HoursDirectory
from jam_api.hours.service import HoursService

from tests.api.conftest import INSTANCE_ID, CheckedClient

HOURS_ID = "0a1b2c3d-0000-4000-8000-000000000001"
DESCRIBE = {
    "HoursOfOperation": {
        "HoursOfOperationId": HOURS_ID,
        "HoursOfOperationArn": f"arn:aws:connect:us-east-1:123456789012:instance/{INSTANCE_ID}/operating-hours/{HOURS_ID}",
        "Name": "Sales Hours",
        "Description": "Weekdays",
        "TimeZone": "America/New_York",
        "Config": [
            {"Day": day, "StartTime": {"Hours": 8, "Minutes": 0}, "EndTime": {"Hours": 20, "Minutes": 0}}
            for day in ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")
        ],
    }
}
OVERRIDES = {
    "HoursOfOperationOverrideList": [
        {
            "HoursOfOperationOverrideId": "o-1",
            "Name": "Thanksgiving",
            "EffectiveFrom": "2026-11-26",
            "EffectiveTill": "2026-11-26",
            "OverrideType": "CLOSED",
            "Config": [
                {
                    "Day": "THURSDAY",
                    "StartTime": {"Hours": 0, "Minutes": 0},
                    "EndTime": {"Hours": 0, "Minutes": 0},
                }
            ],
        }
    ]
}
EXPECTED = {"InstanceId": INSTANCE_ID, "HoursOfOperationId": HOURS_ID}
OTHER_ID = "ffffffff-0000-4000-8000-000000000000"  # the instance's too, but not readable / not found


def stub_listing(stubber: Stubber, ids: tuple[str, ...] = (HOURS_ID, OTHER_ID)) -> None:
    """The instance's hours ids (ListHoursOfOperations), listed once per directory."""
    stubber.add_response(
        "list_hours_of_operations",
        {
            "HoursOfOperationSummaryList": [
                {
                    "Id": i,
                    "Arn": f"arn:aws:connect:us-east-1:123456789012:instance/{INSTANCE_ID}/operating-hours/{i}",
                }
                for i in ids
            ]
        },
        {"InstanceId": INSTANCE_ID, "MaxResults": 1000},
    )


def stub_fetch(stubber: Stubber) -> None:
    stubber.add_response("describe_hours_of_operation", DESCRIBE, EXPECTED)
    stubber.add_response("list_hours_of_operation_overrides", OVERRIDES, EXPECTED)


def app_at(
    settings: Settings,
    connect: tuple[Any, Stubber],
    moment: datetime,
    clock: list[float],
    max_entries: int = 16,
) -> Flask:
    cache: TtlCache[dict[str, Any]] = TtlCache(60, max_entries, clock=lambda: clock[0])
    directory = HoursDirectory(connect[0], INSTANCE_ID, 900, clock=lambda: clock[0])
    service = HoursService(connect[0], INSTANCE_ID, cache, now=lambda: moment, directory=directory)
    limiter = AddressRateLimiter(10_000, 60, clock=lambda: clock[0])
    return create_app(settings, connect_client=connect[0], hours_service=service, hours_limiter=limiter)


def test_hours_answer_has_schedule_overrides_and_state_now(
    settings: Settings, connect: tuple[Any, Stubber]
) -> None:
    stub_listing(connect[1])
    stub_fetch(connect[1])
    app = app_at(settings, connect, datetime(2026, 11, 25, 22, 0, tzinfo=UTC), [0.0])  # Wed 17:00 NY
    response = CheckedClient(app.test_client()).post("/connect/hours", json={"hoursOfOperationId": HOURS_ID})
    assert response.status_code == 200
    body = response.get_json()
    assert body["name"] == "Sales Hours" and body["timeZone"] == "America/New_York"
    assert body["config"][0] == {"day": "MONDAY", "start": "08:00", "end": "20:00"}
    assert body["overrides"][0]["name"] == "Thanksgiving"
    assert body["isOpen"] is True
    assert body["currentPeriodEnds"] == "2026-11-25T20:00:00-05:00"
    assert body["nextOpen"] == "2026-11-27T08:00:00-05:00"  # Thanksgiving override skips Thursday


def test_hours_are_cached_per_id_for_the_ttl(settings: Settings, connect: tuple[Any, Stubber]) -> None:
    stub_listing(connect[1])
    stub_fetch(connect[1])  # exactly one fetch: the Stubber fails on a second call
    clock = [0.0]
    client = CheckedClient(app_at(settings, connect, datetime.now(UTC), clock).test_client())
    for _ in range(50):
        assert client.post("/connect/hours", json={"hoursOfOperationId": HOURS_ID}).status_code == 200
    clock[0] = 61.0
    stub_fetch(connect[1])
    assert client.post("/connect/hours", json={"hoursOfOperationId": HOURS_ID}).status_code == 200


def test_stale_answer_served_when_connect_fails_after_a_good_answer(
    settings: Settings, connect: tuple[Any, Stubber]
) -> None:
    stub_listing(connect[1])
    stub_fetch(connect[1])
    clock = [0.0]
    client = CheckedClient(app_at(settings, connect, datetime.now(UTC), clock).test_client())
    first = client.post("/connect/hours", json={"hoursOfOperationId": HOURS_ID}).get_json()
    clock[0] = 120.0
    connect[1].add_client_error(
        "describe_hours_of_operation", "InternalServiceException", http_status_code=500
    )
    again = client.post("/connect/hours", json={"hoursOfOperationId": HOURS_ID})
    assert again.status_code == 200
    assert again.get_json()["name"] == first["name"]


def test_connect_failure_without_a_good_answer_is_a_problem_not_a_500(
    client: CheckedClient, connect: Any
) -> None:
    stub_listing(connect[1])
    connect[1].add_client_error("describe_hours_of_operation", "ThrottlingException", http_status_code=429)
    response = client.post("/connect/hours", json={"hoursOfOperationId": HOURS_ID})
    assert response.status_code == 429
    assert response.headers["Retry-After"]


@pytest.mark.parametrize(
    ("code", "http_status"),
    # AccessDenied: on AWS the API's role may read the template's hours only.
    [("ResourceNotFoundException", 404), ("AccessDeniedException", 403)],
)
def test_unknown_id_is_404_and_remembered(
    client: CheckedClient, connect: Any, code: str, http_status: int
) -> None:
    stub_listing(connect[1])
    connect[1].add_client_error("describe_hours_of_operation", code, http_status_code=http_status)
    for _ in range(3):
        response = client.post("/connect/hours", json={"hoursOfOperationId": OTHER_ID})
        assert response.status_code == 404
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["field"] == "hoursOfOperationId"


def test_malformed_bodies_are_400_naming_the_field(client: CheckedClient) -> None:
    cases: list[tuple[dict[str, Any], str | None]] = [
        ({"json": {}}, "hoursOfOperationId"),
        ({"json": {"hoursOfOperationId": 42}}, "hoursOfOperationId"),
        ({"json": {"hoursOfOperationId": "../../etc"}}, "hoursOfOperationId"),
        ({"json": ["not", "an", "object"]}, None),
        ({"data": "not json", "content_type": "text/plain"}, None),
    ]
    for kwargs, field in cases:
        response = client.post("/connect/hours", **kwargs)
        assert response.status_code == 400, kwargs
        assert response.get_json().get("field") == field


def test_cors_allows_only_the_configured_origin(client: CheckedClient) -> None:
    allowed = client.options(
        "/connect/hours",
        headers={"Origin": "https://site.example.com", "Access-Control-Request-Method": "POST"},
    )
    assert allowed.headers.get("Access-Control-Allow-Origin") == "https://site.example.com"
    other = client.options(
        "/connect/hours",
        headers={"Origin": "https://evil.example.net", "Access-Control-Request-Method": "POST"},
    )
    assert "Access-Control-Allow-Origin" not in other.headers


def test_openapi_document_is_served(client: CheckedClient) -> None:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    assert set(response.get_json()["paths"]) == {
        "/connect/hours",
        "/connect/contact",
        "/connect/contact/{contactId}",
        "/connect/metrics/queues",
        "/connect/contacts/search",
        "/surveys/summary",
    }


def test_wrong_method_is_a_405_problem_naming_the_allowed_methods(app: Flask) -> None:
    response = app.test_client().get("/connect/hours")  # undocumented, so not the checked client
    assert (response.status_code, response.mimetype) == (405, "application/problem+json")
    assert set(response.headers["Allow"].split(", ")) == {"POST", "OPTIONS"}
