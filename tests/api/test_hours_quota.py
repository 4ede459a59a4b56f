"""The public hours route cannot be used to spend Connect's quota or to push real departments out
of the cache: unknown ids are known to be unknown from one ListHoursOfOperations, and each client
address has its own rate limit (429 with Retry-After)."""

from __future__ import annotations

import copy
import json
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.stub import Stubber
from flask import Flask
from jam_api import create_app, lambda_entry
from jam_api.config import Settings
from jam_api.hours.address_limit import AddressRateLimiter
from jam_api.hours.cache import TtlCache
from jam_api.hours.directory import HoursDirectory
from jam_api.hours.service import HoursService

from tests.api.conftest import INSTANCE_ID, CheckedClient
from tests.api.test_hours import HOURS_ID, app_at, stub_fetch, stub_listing
from tests.api.test_lambda_entry import EVENT


def count_calls(client: Any) -> list[str]:
    """Every Connect operation the client sends (botocore's before-parameter-build event), in order."""
    calls: list[str] = []
    client.meta.events.register("before-parameter-build.connect", lambda model, **_: calls.append(model.name))
    return calls


def ask(client: CheckedClient, hours_id: str) -> Any:
    return client.post("/connect/hours", json={"hoursOfOperationId": hours_id})


def test_300_unknown_ids_cost_no_connect_call_and_evict_nothing(
    settings: Settings, connect: tuple[Any, Stubber]
) -> None:
    calls = count_calls(connect[0])
    clock = [0.0]
    # A cache of 16 entries: 300 cached misses would have evicted the real id many times over.
    client = CheckedClient(app_at(settings, connect, datetime.now(UTC), clock, max_entries=16).test_client())
    stub_listing(connect[1])
    stub_fetch(connect[1])
    first = ask(client, HOURS_ID)
    assert first.status_code == 200
    assert calls == ["ListHoursOfOperations", "DescribeHoursOfOperation", "ListHoursOfOperationOverrides"]

    for _ in range(300):
        response = ask(client, str(uuid.uuid4()))
        assert response.status_code == 404
        assert response.get_json()["field"] == "hoursOfOperationId"
    assert len(calls) == 3  # not one Connect call for the 300 unknown ids

    assert ask(client, HOURS_ID).status_code == 200  # still cached: no call (the Stubber has none)
    assert len(calls) == 3
    # After the TTL Connect fails: the real id kept its last good answer (stale-while-error).
    clock[0] = 61.0
    connect[1].add_client_error(
        "describe_hours_of_operation", "InternalServiceException", http_status_code=500
    )
    stale = ask(client, HOURS_ID)
    assert stale.status_code == 200
    assert stale.get_json()["name"] == first.get_json()["name"]


def test_the_listing_is_refreshed_rarely_and_kept_when_a_refresh_fails(connect: tuple[Any, Stubber]) -> None:
    clock = [0.0]
    directory = HoursDirectory(connect[0], INSTANCE_ID, ttl=900, clock=lambda: clock[0])
    stub_listing(connect[1], (HOURS_ID,))
    assert directory.knows(HOURS_ID) and not directory.knows("unknown")
    clock[0] = 899.0
    assert directory.knows(HOURS_ID)  # no call inside the TTL (the Stubber holds none)
    clock[0] = 901.0
    connect[1].add_client_error("list_hours_of_operations", "ThrottlingException", http_status_code=429)
    assert directory.knows(HOURS_ID)  # the last listing, while Connect is asked again later
    clock[0] = 903.0
    assert directory.knows(HOURS_ID)  # not asked again at once: no retry storm
    clock[0] = 907.0
    new_id = "0a1b2c3d-0000-4000-8000-000000000009"
    stub_listing(connect[1], (HOURS_ID, new_id))
    assert directory.knows(new_id)  # an hours of operation created since is known after a refresh


def test_without_any_listing_the_error_is_an_answer_and_is_not_retried_at_once(
    settings: Settings, connect: tuple[Any, Stubber]
) -> None:
    clock = [0.0]
    client = CheckedClient(app_at(settings, connect, datetime.now(UTC), clock).test_client())
    connect[1].add_client_error("list_hours_of_operations", "ThrottlingException", http_status_code=429)
    for _ in range(3):  # one Connect call: the Stubber holds a single error
        response = ask(client, HOURS_ID)
        assert response.status_code == 429
        assert response.headers["Retry-After"]


def limited_app(settings: Settings, connect: tuple[Any, Stubber], now: list[float]) -> Flask:
    cache: TtlCache[dict[str, Any]] = TtlCache(60, 16, clock=lambda: now[0])
    directory = HoursDirectory(connect[0], INSTANCE_ID, 900, clock=lambda: now[0])
    service = HoursService(connect[0], INSTANCE_ID, cache, directory=directory)
    limiter = AddressRateLimiter(3, 60, clock=lambda: now[0])
    return create_app(settings, connect_client=connect[0], hours_service=service, hours_limiter=limiter)


def test_each_client_address_is_rate_limited_with_retry_after(
    settings: Settings, connect: tuple[Any, Stubber]
) -> None:
    now = [0.0]
    stub_listing(connect[1])
    client = CheckedClient(limited_app(settings, connect, now).test_client())
    one = {"environ_base": {"REMOTE_ADDR": "192.0.2.1"}}
    for _ in range(3):
        assert client.post("/connect/hours", json={"hoursOfOperationId": "nope"}, **one).status_code == 404
    limited = client.post("/connect/hours", json={"hoursOfOperationId": "nope"}, **one)
    assert limited.status_code == 429
    assert limited.get_json()["type"].endswith("/rate-limited")
    assert int(limited.headers["Retry-After"]) == 20  # one request back every 60 / 3 seconds
    other = {"environ_base": {"REMOTE_ADDR": "192.0.2.2"}}
    assert client.post("/connect/hours", json={"hoursOfOperationId": "nope"}, **other).status_code == 404
    now[0] = 20.0
    assert client.post("/connect/hours", json={"hoursOfOperationId": "nope"}, **one).status_code == 404


def test_on_lambda_the_address_is_api_gateways_not_x_forwarded_for(
    settings: Settings, connect: tuple[Any, Stubber], monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [0.0]
    stub_listing(connect[1])
    monkeypatch.setattr(lambda_entry, "_app", limited_app(settings, connect, now))
    statuses = []
    for n in range(5):
        event = copy.deepcopy(EVENT)
        event["body"] = json.dumps({"hoursOfOperationId": "nope"})
        event["headers"]["X-Forwarded-For"] = f"203.0.113.{n}"  # a new forged address each time
        event["multiValueHeaders"]["X-Forwarded-For"] = [f"203.0.113.{n}"]
        statuses.append(lambda_entry.handler(event, None)["statusCode"])
    assert statuses == ["404", "404", "404", "429", "429"]


def test_the_address_buckets_are_bounded() -> None:
    limiter = AddressRateLimiter(1, 60, clock=lambda: 0.0, max_addresses=100)
    for n in range(1000):
        assert limiter.retry_after(f"10.0.{n // 256}.{n % 256}") is None
    assert len(limiter._buckets) == 100
