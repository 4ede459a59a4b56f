"""The Connect API twin, driven only through an unmodified boto3 `connect` client over real HTTP."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from local_connect.acd import InitiationMethod
from local_connect.clock import ManualClock
from local_connect.definitions import Definitions, load_definitions
from local_connect.runtime import Runtime, RuntimeOptions
from tests.local_connect.servers import serving

CUSTOMER = "+12025550100"


class Twin:
    def __init__(self, runtime: Runtime, client: Any, clock: ManualClock) -> None:
        self.runtime = runtime
        self.client = client
        self.clock = clock
        self.defs = runtime.definitions
        self.instance = runtime.definitions.instance_id

    def phone_events(self, number: str) -> list[str]:
        return [e.type for e in self.runtime.switchboard.phone(number).channel.since(0)]


def _definitions_with_override() -> Definitions:
    """The template's definitions with one holiday override on SalesHours (the template has none)."""
    defs = dataclasses.replace(load_definitions())
    sales = defs.hours["SalesHours"]
    holiday = {
        "OverrideName": "New Year",
        "OverrideDescription": "closed all day",
        "EffectiveFrom": "2027-01-01",
        "EffectiveTill": "2027-01-01",
        "OverrideType": "CLOSED",
        "OverrideConfig": [
            {
                "Day": "FRIDAY",
                "StartTime": {"Hours": 0, "Minutes": 0},
                "EndTime": {"Hours": 23, "Minutes": 59},
            }
        ],
    }
    defs.hours = {**defs.hours, "SalesHours": dataclasses.replace(sales, overrides=(holiday,))}
    return defs


def _start(tmp_path: Path, throttle: bool = False) -> Iterator[Twin]:
    clock = ManualClock()
    runtime = Runtime(
        RuntimeOptions(db_path=tmp_path / "connect.sqlite3", clock=clock, throttle=throttle),
        _definitions_with_override(),
    )
    with serving(runtime.connect_app()) as base:
        client = boto3.client(
            "connect",
            region_name="eu-west-2",  # any region and credentials work locally
            endpoint_url=base,
            aws_access_key_id="local",
            aws_secret_access_key="local",
            config=Config(retries={"max_attempts": 1, "mode": "standard"}),
        )
        yield Twin(runtime, client, clock)
    runtime.stop()


@pytest.fixture
def twin(tmp_path: Path) -> Iterator[Twin]:
    yield from _start(tmp_path)


@pytest.fixture
def throttled(tmp_path: Path) -> Iterator[Twin]:
    yield from _start(tmp_path, throttle=True)


def _code(error: pytest.ExceptionInfo[ClientError]) -> str:
    return str(error.value.response["Error"]["Code"])


def test_the_instance_is_listed_with_its_stable_id(twin: Twin) -> None:
    listed = twin.client.list_instances()["InstanceSummaryList"]
    assert [i["Id"] for i in listed] == [twin.instance]
    assert listed[0]["Arn"].endswith(f":instance/{twin.instance}")
    assert load_definitions().instance_id == twin.instance  # derived, so the same after a restart


def test_hours_of_operation_come_from_the_template(twin: Twin) -> None:
    sales = twin.defs.hours["SalesHours"]
    hours = twin.client.describe_hours_of_operation(InstanceId=twin.instance, HoursOfOperationId=sales.id)[
        "HoursOfOperation"
    ]
    assert hours["Name"] == sales.name
    assert hours["TimeZone"] == "America/New_York"
    assert {c["Day"] for c in hours["Config"]} == {c.day for c in sales.config}
    by_arn = twin.client.describe_hours_of_operation(
        InstanceId=twin.defs.instance_arn, HoursOfOperationId=sales.arn
    )
    assert by_arn["HoursOfOperation"]["HoursOfOperationId"] == sales.id
    summaries = twin.client.list_hours_of_operations(InstanceId=twin.instance)["HoursOfOperationSummaryList"]
    assert sorted(s["Name"] for s in summaries) == sorted(h.name for h in twin.defs.hours.values())


def test_hours_overrides_are_listed_in_the_api_shape_through_the_paginator(twin: Twin) -> None:
    sales = twin.defs.hours["SalesHours"]
    pages = twin.client.get_paginator("list_hours_of_operation_overrides").paginate(
        InstanceId=twin.instance, HoursOfOperationId=sales.id
    )
    overrides = [o for page in pages for o in page["HoursOfOperationOverrideList"]]
    assert len(overrides) == 1
    assert overrides[0]["Name"] == "New Year"
    assert overrides[0]["OverrideType"] == "CLOSED"
    assert overrides[0]["EffectiveFrom"] == "2027-01-01"
    assert overrides[0]["Config"][0]["EndTime"] == {"Hours": 23, "Minutes": 59}
    support = twin.defs.hours["SupportHours"]
    empty = twin.client.list_hours_of_operation_overrides(
        InstanceId=twin.instance, HoursOfOperationId=support.id
    )
    assert empty["HoursOfOperationOverrideList"] == []


def test_unknown_resources_raise_connects_exception_classes(twin: Twin) -> None:
    client = twin.client
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_hours_of_operation(InstanceId=twin.instance, HoursOfOperationId="nope")
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_queue(InstanceId="00000000-0000-0000-0000-000000000000", QueueId="x")
    with pytest.raises(ClientError) as unknown:
        client.list_users(InstanceId=twin.instance)
    assert _code(unknown) == "UnknownOperationException"
    assert unknown.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_queues_page_with_next_token_and_describe(twin: Twin) -> None:
    first = twin.client.list_queues(InstanceId=twin.instance, QueueTypes=["STANDARD"], MaxResults=4)
    assert len(first["QueueSummaryList"]) == 4 and "NextToken" in first
    rest = twin.client.list_queues(
        InstanceId=twin.instance, QueueTypes=["STANDARD"], NextToken=first["NextToken"]
    )
    names = [q["Name"] for q in first["QueueSummaryList"] + rest["QueueSummaryList"]]
    assert sorted(names) == sorted(q.name for q in twin.defs.queues.values())
    assert "NextToken" not in rest
    assert twin.client.list_queues(InstanceId=twin.instance, QueueTypes=["AGENT"])["QueueSummaryList"] == []
    support = twin.defs.queues["SupportTechnicalQueue"]
    queue = twin.client.describe_queue(InstanceId=twin.instance, QueueId=support.id)["Queue"]
    assert queue["Name"] == "Support - Technical"
    assert queue["HoursOfOperationId"] == twin.defs.hours[support.hours_logical_id].id


def _outbound(twin: Twin, **extra: Any) -> str:
    args: dict[str, Any] = {
        "InstanceId": twin.instance,
        "ContactFlowId": twin.defs.flows["WebIngressFlow"].id,
        "DestinationPhoneNumber": CUSTOMER,
        "QueueId": twin.defs.queues["SupportTechnicalQueue"].id,
        "Attributes": {"Verified": "true", "issue": "billing"},
        **extra,
    }
    return str(twin.client.start_outbound_voice_contact(**args)["ContactId"])


def test_outbound_contact_rings_the_phone_and_carries_its_attributes(twin: Twin) -> None:
    contact_id = _outbound(twin)
    assert "ringing" in twin.phone_events(CUSTOMER)
    attributes = twin.client.get_contact_attributes(InstanceId=twin.instance, InitialContactId=contact_id)
    assert attributes["Attributes"] == {"Verified": "true", "issue": "billing"}
    twin.client.update_contact_attributes(
        InstanceId=twin.instance, InitialContactId=contact_id, Attributes={"note": "called back"}
    )
    described = twin.client.describe_contact(InstanceId=twin.instance, ContactId=contact_id)["Contact"]
    assert described["InitiationMethod"] == "API"
    assert described["CustomerEndpoint"]["Address"] == CUSTOMER
    assert described["Attributes"]["note"] == "called back"


def test_client_token_makes_start_outbound_idempotent(twin: Twin) -> None:
    first = _outbound(twin, ClientToken="token-1")
    again = _outbound(twin, ClientToken="token-1")
    assert again == first
    assert len(twin.runtime.store.contacts()) == 1
    with pytest.raises(twin.client.exceptions.IdempotencyException):
        _outbound(twin, ClientToken="token-1", Attributes={"issue": "other"})
    assert _outbound(twin, ClientToken="token-2") != first


def test_outbound_refuses_invalid_numbers_and_unknown_flows(twin: Twin) -> None:
    with pytest.raises(twin.client.exceptions.InvalidParameterException):
        _outbound(twin, DestinationPhoneNumber="+15555550100")
    with pytest.raises(twin.client.exceptions.ResourceNotFoundException):
        _outbound(twin, ContactFlowId="not-a-flow")
    with pytest.raises(twin.client.exceptions.ResourceNotFoundException):
        _outbound(twin, RelatedContactId="not-a-contact")
    assert twin.runtime.store.contacts() == []


def test_stop_contact_hangs_up_the_phone_and_a_second_stop_is_contact_not_found(twin: Twin) -> None:
    contact_id = _outbound(twin)
    twin.client.stop_contact(InstanceId=twin.instance, ContactId=contact_id)
    assert twin.phone_events(CUSTOMER)[-1] == "call_ended"
    record = twin.runtime.store.get(contact_id)
    assert record is not None and record.disconnect_reason == "API"
    with pytest.raises(twin.client.exceptions.ContactNotFoundException):
        twin.client.stop_contact(InstanceId=twin.instance, ContactId=contact_id)


def test_current_metric_data_counts_queue_and_agents(twin: Twin) -> None:
    runtime = twin.runtime
    support = twin.defs.queues["SupportTechnicalQueue"]
    with runtime.lock:
        for number in ("+12025550101", "+12025550102"):
            contact = runtime.center.new_contact(
                InitiationMethod.INBOUND,
                number,
                "+18005550100",
            )
            runtime.center.enqueue(contact.id, support.id)
        twin.clock.advance(42)
        runtime.center.set_agent_state("agent.sales", "Available")  # not staffed on Support
        runtime.center.set_agent_state("agent.accounts", "Available")
    answer = twin.client.get_current_metric_data(
        InstanceId=twin.instance,
        Filters={"Queues": [support.id], "Channels": ["VOICE"]},
        Groupings=["QUEUE"],
        CurrentMetrics=[
            {"Name": "CONTACTS_IN_QUEUE", "Unit": "COUNT"},
            {"Name": "OLDEST_CONTACT_AGE", "Unit": "SECONDS"},
            {"Name": "AGENTS_ONLINE", "Unit": "COUNT"},
            {"Name": "AGENTS_AVAILABLE", "Unit": "COUNT"},
        ],
    )
    [result] = answer["MetricResults"]
    assert result["Dimensions"]["Queue"]["Id"] == support.id
    values = {c["Metric"]["Name"]: c["Value"] for c in result["Collections"]}
    assert values == {
        "CONTACTS_IN_QUEUE": 2,
        "OLDEST_CONTACT_AGE": 42,
        "AGENTS_ONLINE": 0,
        "AGENTS_AVAILABLE": 0,
    }
    with runtime.lock:
        runtime.center.set_agent_state("agent.support", "Available")  # takes one contact at once
    answer = twin.client.get_current_metric_data(
        InstanceId=twin.instance,
        Filters={"Queues": [support.arn]},
        CurrentMetrics=[
            {"Name": "AGENTS_ON_CONTACT", "Unit": "COUNT"},
            {"Name": "CONTACTS_IN_QUEUE", "Unit": "COUNT"},
        ],
    )
    values = {c["Metric"]["Name"]: c["Value"] for c in answer["MetricResults"][0]["Collections"]}
    assert values == {"AGENTS_ON_CONTACT": 1, "CONTACTS_IN_QUEUE": 2}  # one offered still counts as waiting


def test_throttle_allows_a_burst_of_five_then_two_a_second(throttled: Twin) -> None:
    client = throttled.client
    for _ in range(5):
        client.list_queues(InstanceId=throttled.instance)
    with pytest.raises(ClientError) as throttled_error:
        client.list_queues(InstanceId=throttled.instance)
    assert _code(throttled_error) == "ThrottlingException"
    client.list_instances()  # the quota is per operation
    throttled.clock.advance(0.5)  # one token back at 2 per second
    client.list_queues(InstanceId=throttled.instance)
    with pytest.raises(ClientError):
        client.list_queues(InstanceId=throttled.instance)


def test_an_unanswered_outbound_call_is_recorded_as_not_answered(twin: Twin) -> None:
    contact_id = _outbound(twin)
    with twin.runtime.lock:
        twin.clock.advance(twin.runtime.options.ring_timeout + 1)
        twin.runtime.scheduler.run_due()
    assert twin.phone_events(CUSTOMER)[-1] == "missed_call"
    described = twin.client.describe_contact(InstanceId=twin.instance, ContactId=contact_id)["Contact"]
    assert described["DisconnectReason"] == "CUSTOMER_NOT_ANSWERED"


def test_concurrent_outbound_calls_are_limited_like_the_instance_quota(twin: Twin) -> None:
    twin.runtime.connect.max_concurrent_calls = 2
    _outbound(twin)
    _outbound(twin, DestinationPhoneNumber="+12025550101")
    with pytest.raises(twin.client.exceptions.LimitExceededException):
        _outbound(twin, DestinationPhoneNumber="+12025550102")


def test_instance_flows_and_routing_profiles_are_described_from_the_template(twin: Twin) -> None:
    instance = twin.client.describe_instance(InstanceId=twin.instance)["Instance"]
    assert instance["Id"] == twin.instance and instance["InstanceStatus"] == "ACTIVE"
    flows = twin.client.list_contact_flows(InstanceId=twin.instance)["ContactFlowSummaryList"]
    assert {f["Id"] for f in flows} == {f.id for f in twin.defs.flows.values()}
    profiles = twin.client.list_routing_profiles(InstanceId=twin.instance)["RoutingProfileSummaryList"]
    assert sorted(p["Name"] for p in profiles) == sorted(p.name for p in twin.defs.routing_profiles.values())


def test_the_apis_queue_metrics_read_the_twin_through_the_shipped_sdk_slice(
    twin: Twin, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The supervisor page's numbers on a local stack: the API's own client and service, unchanged."""
    from jam_api.config import Settings
    from jam_api.connect_client import make_connect_client
    from jam_api.supervisor.metrics import QueueMetricsService

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "local")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "local")
    endpoint = twin.client.meta.endpoint_url
    client = make_connect_client(Settings(connect_endpoint_url=endpoint, region="us-east-1"))
    support = twin.defs.queues["SupportTechnicalQueue"]
    with twin.runtime.lock:
        contact = twin.runtime.center.new_contact(InitiationMethod.INBOUND, CUSTOMER, "+18005550100")
        twin.runtime.center.enqueue(contact.id, support.id)
        twin.clock.advance(30)
        twin.runtime.center.set_agent_state("agent.sales", "Available")
    snapshot = QueueMetricsService(client, twin.instance).snapshot()
    by_name = {q["name"]: q for q in snapshot["queues"]}
    assert sorted(by_name) == sorted(q.name for q in twin.defs.queues.values())
    assert by_name[support.name]["queueId"] == support.id
    assert by_name[support.name]["contactsInQueue"] == 1
    assert by_name[support.name]["oldestContactAgeSeconds"] == 30
    sales = by_name[twin.defs.queues["SalesNewOrdersQueue"].name]
    assert (sales["agentsOnline"], sales["agentsAvailable"], sales["contactsInQueue"]) == (1, 1, 0)
    assert snapshot["dataSnapshotTime"] is not None


def test_search_contacts_filters_sorts_and_pages_like_connect(twin: Twin) -> None:
    runtime = twin.runtime
    support = twin.defs.queues["SupportTechnicalQueue"]
    sales = twin.defs.queues["SalesNewOrdersQueue"]
    start = twin.clock.now()
    with runtime.lock:
        ids = []
        for number, queue in (("+12025550101", support), ("+12025550102", sales), ("+12025550103", support)):
            contact = runtime.center.new_contact(InitiationMethod.INBOUND, number, "+18005550100")
            runtime.center.enqueue(contact.id, queue.id)
            ids.append(contact.id)
            twin.clock.advance(10)
        runtime.center.set_agent_state("agent.support", "Available")  # offered the oldest Support call
        runtime.center.accept("agent.support", ids[0])
    window = {"Type": "INITIATION_TIMESTAMP", "StartTime": start, "EndTime": start + 3600}
    everything = twin.client.search_contacts(InstanceId=twin.instance, TimeRange=window)
    assert [c["Id"] for c in everything["Contacts"]] == ids[::-1]  # newest first by default
    assert everything["TotalCount"] == 3
    first = everything["Contacts"][-1]
    assert first["QueueInfo"]["Id"] == support.id and first["AgentInfo"]["Id"] == "agent.support"
    assert first["InitiationMethod"] == "INBOUND" and first["Channel"] == "VOICE"
    assert first["Arn"].endswith(f"/contact/{ids[0]}")

    by_queue = twin.client.search_contacts(
        InstanceId=twin.instance, TimeRange=window, SearchCriteria={"QueueIds": [support.id]}
    )
    assert [c["Id"] for c in by_queue["Contacts"]] == [ids[2], ids[0]]
    by_agent = twin.client.search_contacts(
        InstanceId=twin.instance, TimeRange=window, SearchCriteria={"AgentIds": ["agent.support"]}
    )
    assert [c["Id"] for c in by_agent["Contacts"]] == [ids[0]]
    later = {**window, "StartTime": start + 5}
    assert len(twin.client.search_contacts(InstanceId=twin.instance, TimeRange=later)["Contacts"]) == 2

    page = twin.client.search_contacts(
        InstanceId=twin.instance,
        TimeRange=window,
        MaxResults=2,
        Sort={"FieldName": "INITIATION_TIMESTAMP", "Order": "ASCENDING"},
    )
    assert [c["Id"] for c in page["Contacts"]] == ids[:2]
    rest = twin.client.search_contacts(
        InstanceId=twin.instance, TimeRange=window, MaxResults=2, NextToken=page["NextToken"]
    )
    assert "NextToken" not in rest and len(rest["Contacts"]) == 1

    with pytest.raises(twin.client.exceptions.InvalidParameterException):
        twin.client.search_contacts(InstanceId=twin.instance, TimeRange={**window, "EndTime": start - 1})
    with pytest.raises(twin.client.exceptions.ResourceNotFoundException):
        twin.client.search_contacts(InstanceId="not-this-instance", TimeRange=window)


def test_the_apis_contact_search_reads_the_twin_through_the_shipped_sdk_slice(
    twin: Twin, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GET /connect/contacts/search on a local stack: the API's own client, route and runtime clock."""
    from datetime import UTC, datetime

    from jam_api import create_app
    from jam_api.config import Settings
    from jam_api.connect_client import make_connect_client

    class Supervisor:
        def verify(self, token: str) -> dict[str, Any]:
            return {"sub": "s-1", "cognito:username": "supervisor", "cognito:groups": ["supervisor"]}

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "local")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "local")
    settings = Settings(connect_endpoint_url=twin.client.meta.endpoint_url, connect_instance_id=twin.instance)
    app = create_app(
        settings,
        connect_client=make_connect_client(settings),
        verifier=Supervisor(),  # type: ignore[arg-type]
        now=lambda: datetime.fromtimestamp(twin.clock.now(), UTC),
    )
    support = twin.defs.queues["SupportTechnicalQueue"]
    with twin.runtime.lock:
        contact = twin.runtime.center.new_contact(InitiationMethod.INBOUND, CUSTOMER, "+18005550100")
        twin.runtime.center.enqueue(contact.id, support.id)
    twin.clock.advance(60)
    response = app.test_client().get(
        f"/connect/contacts/search?queueId={support.id}", headers={"Authorization": "Bearer x"}
    )
    assert response.status_code == 200, response.get_json()
    [found] = response.get_json()["contacts"]
    assert (found["contactId"], found["queueName"], found["initiationMethod"]) == (
        contact.id,
        support.name,
        "INBOUND",
    )
    assert found["enqueuedAt"] is not None and found["disconnectedAt"] is None
