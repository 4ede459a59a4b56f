"""The twin's request parsing (responses.py, params.py) and its resources (resources.py), alone and
over real HTTP with raw bodies boto3 would never send: every malformed field is Connect's 400 with
the exception name botocore maps, never an InternalServiceException from a crash."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from local_connect.clock import ManualClock
from local_connect.connect_api.errors import InvalidParameterException, InvalidRequestException
from local_connect.connect_api.resources import CREATED_TIME, ConnectContactFlow, ConnectQueue
from local_connect.connect_api.responses import (
    parse_contact_metrics,
    parse_contact_search,
    parse_current_metrics,
    parse_outbound_call,
)
from local_connect.definitions import LOCAL_REGION, load_definitions
from local_connect.runtime import Runtime, RuntimeOptions
from tests.local_connect.servers import serving

DEFS = load_definitions()
INSTANCE = DEFS.instance_id
QUEUE = DEFS.queues["SupportTechnicalQueue"]
FLOW = DEFS.flows["WebIngressFlow"]
WINDOW = {"Type": "INITIATION_TIMESTAMP", "StartTime": 0, "EndTime": 4e9}
CALL = {
    "InstanceId": INSTANCE,
    "ContactFlowId": FLOW.id,
    "DestinationPhoneNumber": "+1 202 555 0100",
    "QueueId": QUEUE.id,
    "Attributes": {"issue": "billing"},
}


class Twin:
    def __init__(self, base: str) -> None:
        self.base = base
        answer = requests.put(f"{base}/contact/outbound-voice", json=CALL, timeout=10)
        assert answer.status_code == 200, answer.text
        self.contact_id: str = answer.json()["ContactId"]

    def send(self, method: str, path: str, body: Any) -> requests.Response:
        data = body if isinstance(body, str) else json.dumps(body)
        return requests.request(method, self.base + path, data=data, timeout=10)


@pytest.fixture
def twin(tmp_path: Path) -> Iterator[Twin]:
    runtime = Runtime(RuntimeOptions(db_path=tmp_path / "connect.sqlite3", clock=ManualClock()))
    with serving(runtime.connect_app()) as base:
        yield Twin(base)
    runtime.stop()


def _malformed(twin: Twin) -> list[tuple[str, str, Any, str]]:
    """(method, path, body, what the message names) for requests that crashed the twin before."""
    cid = twin.contact_id
    return [
        (
            "POST",
            "/contact/attributes",
            {"InstanceId": INSTANCE, "InitialContactId": cid, "Attributes": ["a"]},
            "Attributes",
        ),
        (
            "POST",
            "/contact/attributes",
            {"InstanceId": INSTANCE, "InitialContactId": cid, "Attributes": {"a": 1}},
            "Attributes",
        ),
        (
            "POST",
            "/metrics/contact",
            {"InstanceId": INSTANCE, "ContactId": cid, "Metrics": ["POSITION_IN_QUEUE"]},
            "Metrics",
        ),
        (
            "POST",
            "/search-contacts",
            {"InstanceId": INSTANCE, "TimeRange": {**WINDOW, "StartTime": "abc"}},
            "TimeRange.StartTime",
        ),
        ("POST", "/search-contacts", {"InstanceId": INSTANCE, "TimeRange": "today"}, "TimeRange"),
        (
            "POST",
            "/search-contacts",
            {"InstanceId": INSTANCE, "TimeRange": WINDOW, "MaxResults": True},
            "MaxResults",
        ),
        (
            "POST",
            "/search-contacts",
            {"InstanceId": INSTANCE, "TimeRange": WINDOW, "NextToken": "-1"},
            "NextToken",
        ),
        (
            "POST",
            "/search-contacts",
            {"InstanceId": INSTANCE, "TimeRange": WINDOW, "SearchCriteria": {"QueueIds": "q"}},
            "SearchCriteria.QueueIds",
        ),
        (
            "POST",
            "/contact/stop",
            {"InstanceId": INSTANCE, "ContactId": cid, "DisconnectReason": "x"},
            "DisconnectReason",
        ),
        (
            "POST",
            f"/metrics/current/{INSTANCE}",
            {"Filters": {"Queues": [QUEUE.id]}, "CurrentMetrics": [1]},
            "CurrentMetrics",
        ),
        (
            "POST",
            f"/metrics/current/{INSTANCE}",
            {"Filters": {"Queues": QUEUE.id}, "CurrentMetrics": [{"Name": "AGENTS_ONLINE"}]},
            "Filters.Queues",
        ),
        ("PUT", "/contact/outbound-voice", {**CALL, "ContactFlowId": 5}, "ContactFlowId"),
    ]


def test_a_malformed_field_is_invalid_parameter_naming_it(twin: Twin) -> None:
    for method, path, body, field in _malformed(twin):
        answer = twin.send(method, path, body)
        assert answer.status_code == 400, (path, body, answer.text)
        assert answer.headers["x-amzn-ErrorType"] == "InvalidParameterException", (path, body)
        assert answer.json()["message"].startswith(field), (path, answer.json())


def test_a_body_nested_too_deep_is_an_invalid_request_not_a_crash(twin: Twin) -> None:
    answer = twin.send("PUT", "/contact/outbound-voice", "[" * 5000 + "]" * 5000)
    assert answer.status_code == 400 and answer.headers["x-amzn-ErrorType"] == "InvalidRequestException"


def test_refused_attributes_change_nothing(twin: Twin) -> None:
    twin.send(
        "POST",
        "/contact/attributes",
        {"InstanceId": INSTANCE, "InitialContactId": twin.contact_id, "Attributes": {"issue": 7}},
    )
    kept = requests.get(f"{twin.base}/contact/attributes/{INSTANCE}/{twin.contact_id}", timeout=10).json()
    assert kept["Attributes"] == {"issue": "billing"}


def test_an_outbound_call_parses_to_e164_with_a_fingerprint_that_ignores_the_token() -> None:
    call = parse_outbound_call({**CALL, "ClientToken": "t-1"})
    assert call.destination == "+12025550100" and call.queue_id == QUEUE.id and call.source is None
    assert call.attributes == {"issue": "billing"} and call.client_token == "t-1"
    assert call.fingerprint == parse_outbound_call({**CALL, "ClientToken": "t-2"}).fingerprint
    assert call.fingerprint != parse_outbound_call({**CALL, "Name": "other"}).fingerprint
    with pytest.raises(InvalidRequestException, match="Either QueueId or SourcePhoneNumber"):
        parse_outbound_call({**CALL, "QueueId": ""})
    with pytest.raises(InvalidParameterException, match="Attributes exceed 32 KB"):
        parse_outbound_call({**CALL, "Attributes": {"a": "x" * 40_000}})


def test_a_contact_search_parses_its_window_criteria_sort_and_page() -> None:
    search, offset, size = parse_contact_search(
        {
            "InstanceId": INSTANCE,
            "TimeRange": {"Type": "ENQUEUE_TIMESTAMP", "StartTime": 10, "EndTime": 20},
            "SearchCriteria": {"QueueIds": [QUEUE.id]},
            "Sort": {"FieldName": "DISCONNECT_TIMESTAMP", "Order": "ASCENDING"},
            "MaxResults": 5,
            "NextToken": "10",
        }
    )
    assert (search.time_field, search.start, search.end) == ("enqueued_at", 10.0, 20.0)
    assert search.queue_ids == {QUEUE.id} and not search.agent_ids
    assert (search.sort_field, search.newest_first, offset, size) == ("disconnected_at", False, 10, 5)
    with pytest.raises(InvalidParameterException, match="TimeRange needs a supported Type"):
        parse_contact_search({"InstanceId": INSTANCE, "TimeRange": {**WINDOW, "Type": "SCHEDULED"}})


def test_metric_requests_accept_only_the_metrics_connect_has() -> None:
    assert parse_contact_metrics(
        {"InstanceId": INSTANCE, "ContactId": "c", "Metrics": [{"Name": "POSITION_IN_QUEUE"}]}
    ) == (INSTANCE, "c", ["POSITION_IN_QUEUE"])
    with pytest.raises(InvalidParameterException, match="Unsupported contact metric CONTACTS_IN_QUEUE"):
        parse_contact_metrics(
            {"InstanceId": INSTANCE, "ContactId": "c", "Metrics": [{"Name": "CONTACTS_IN_QUEUE"}]}
        )
    query = parse_current_metrics(
        INSTANCE,
        {
            "Filters": {"Queues": [QUEUE.id]},
            "CurrentMetrics": [{"Name": "AGENTS_ONLINE"}],
            "Groupings": ["QUEUE"],
        },
    )
    assert (
        query.metric_names == ("AGENTS_ONLINE",)
        and query.channels == ("VOICE",)
        and query.groupings == ("QUEUE",)
    )
    with pytest.raises(InvalidParameterException, match="at most 100 queues"):
        parse_current_metrics(
            INSTANCE, {"Filters": {"Queues": ["q"] * 101}, "CurrentMetrics": [{"Name": "AGENTS_ONLINE"}]}
        )


def test_resources_render_their_summary_and_description() -> None:
    hours_id = DEFS.hours[QUEUE.hours_logical_id].id
    queue = ConnectQueue(QUEUE, hours_id)
    assert queue.summary() == {
        "Id": QUEUE.id,
        "Arn": QUEUE.arn,
        "Name": QUEUE.name,
        "QueueType": "STANDARD",
        "LastModifiedTime": CREATED_TIME,
        "LastModifiedRegion": LOCAL_REGION,
    }
    described = queue.to_dict()
    assert (described["QueueId"], described["HoursOfOperationId"], described["Status"]) == (
        QUEUE.id,
        hours_id,
        "ENABLED",
    )
    assert ConnectContactFlow(FLOW).summary()["ContactFlowType"] == FLOW.type
