"""What the API's call status reads from the twin (DescribeContact, GetContactAttributes,
GetContactMetrics, DescribeQueue), in Connect's shapes, through an unmodified boto3 client, for an
outbound (click-to-call) contact and an inbound call, through every state."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from local_connect.acd import InitiationMethod
from tests.local_connect.test_connect_api import CUSTOMER, Twin, _outbound, _start

METRICS = [{"Name": "POSITION_IN_QUEUE"}, {"Name": "ESTIMATED_WAIT_TIME"}]


@pytest.fixture
def twin(tmp_path: Path) -> Iterator[Twin]:
    yield from _start(tmp_path)


def describe(twin: Twin, contact_id: str) -> dict[str, Any]:
    return dict(twin.client.describe_contact(InstanceId=twin.instance, ContactId=contact_id)["Contact"])


def metrics(twin: Twin, contact_id: str) -> dict[str, float]:
    answer = twin.client.get_contact_metrics(InstanceId=twin.instance, ContactId=contact_id, Metrics=METRICS)
    assert answer["Id"] == contact_id
    assert answer["Arn"] == f"{twin.defs.instance_arn}/contact/{contact_id}"
    return {r["Name"]: r["Value"]["Number"] for r in answer["MetricResults"]}


def test_an_outbound_call_through_every_state(twin: Twin) -> None:
    center = twin.runtime.center
    support = twin.defs.queues["SupportTechnicalQueue"]
    contact_id = _outbound(twin, Attributes={"CustomerId": "sub-1", "Verified": "true"})
    owner = twin.client.get_contact_attributes(InstanceId=twin.instance, InitialContactId=contact_id)
    assert owner["Attributes"]["CustomerId"] == "sub-1"

    # Requested: the phone rings. The outbound queue is known, but the contact is not in it.
    ringing = describe(twin, contact_id)
    assert ringing["QueueInfo"] == {"Id": support.id}
    assert "AgentInfo" not in ringing and "DisconnectTimestamp" not in ringing
    assert metrics(twin, contact_id) == {}  # Connect has contact metrics only while queued

    # In queue behind an inbound caller that agent.support is being offered.
    with twin.runtime.lock:
        ahead = center.new_contact(InitiationMethod.INBOUND, "+12025550101", "+18005550100")
        center.enqueue(ahead.id, support.id)
        center.set_agent_state("agent.support", "Available")  # offered `ahead` at once
        twin.clock.advance(5)
        center.enqueue(contact_id, support.id)
        twin.clock.advance(10)
    queued = describe(twin, contact_id)
    assert queued["QueueInfo"]["Id"] == support.id
    assert queued["QueueInfo"]["EnqueueTimestamp"].timestamp() == pytest.approx(twin.clock.now() - 10)
    numbers = metrics(twin, contact_id)
    assert numbers["POSITION_IN_QUEUE"] == 1  # next in line (1-based, as Connect counts)
    assert numbers["ESTIMATED_WAIT_TIME"] > 0  # the only staffed agent is busy
    assert metrics(twin, ahead.id)["POSITION_IN_QUEUE"] == 1  # being offered: it is next
    name = twin.client.describe_queue(InstanceId=twin.instance, QueueId=support.id)["Queue"]["Name"]
    assert name == support.name

    # With an agent: agent.support finishes the first call and is offered this one.
    with twin.runtime.lock:
        center.accept("agent.support", ahead.id)
        center.end("agent.support", ahead.id)
        center.complete_after_contact_work("agent.support")
        center.accept("agent.support", contact_id)
        twin.clock.advance(30)
    talking = describe(twin, contact_id)
    assert talking["AgentInfo"]["Id"] == "agent.support"
    assert talking["AgentInfo"]["ConnectedToAgentTimestamp"].timestamp() == pytest.approx(
        twin.clock.now() - 30
    )
    assert "DisconnectTimestamp" not in talking
    assert metrics(twin, contact_id) == {}

    # Ended: the customer hangs up.
    with twin.runtime.lock:
        center.customer_disconnected(contact_id)
    ended = describe(twin, contact_id)
    assert ended["DisconnectTimestamp"].timestamp() == pytest.approx(twin.clock.now())
    assert ended["DisconnectReason"] == "CUSTOMER_DISCONNECT"
    assert metrics(twin, contact_id) == {}


def test_an_inbound_call_has_no_owner_and_the_same_states(twin: Twin) -> None:
    center = twin.runtime.center
    sales = twin.defs.queues["SalesNewOrdersQueue"]
    with twin.runtime.lock:
        contact = center.new_contact(InitiationMethod.INBOUND, CUSTOMER, "+18005550100")
    in_ivr = describe(twin, contact.id)
    assert in_ivr["InitiationMethod"] == "INBOUND"
    assert "QueueInfo" not in in_ivr and "AgentInfo" not in in_ivr
    attributes = twin.client.get_contact_attributes(InstanceId=twin.instance, InitialContactId=contact.id)
    assert "CustomerId" not in attributes["Attributes"]  # only the API sets it: nobody's call status
    with twin.runtime.lock:
        center.enqueue(contact.id, sales.id)
    assert "EnqueueTimestamp" in describe(twin, contact.id)["QueueInfo"]
    # Nobody staffs Sales: the position is known, the wait cannot be estimated and is left out.
    assert metrics(twin, contact.id) == {"POSITION_IN_QUEUE": 1}
    with twin.runtime.lock:
        center.customer_disconnected(contact.id)  # hung up while waiting
    ended = describe(twin, contact.id)
    assert "AgentInfo" not in ended and "DisconnectTimestamp" in ended
    assert metrics(twin, contact.id) == {}


def test_contact_metrics_refuse_what_connect_refuses(twin: Twin) -> None:
    contact_id = _outbound(twin)
    with pytest.raises(twin.client.exceptions.ResourceNotFoundException):
        twin.client.get_contact_metrics(
            InstanceId=twin.instance, ContactId="no-such-contact", Metrics=METRICS
        )
    with pytest.raises(ClientError) as unsupported:
        twin.client.get_contact_metrics(
            InstanceId=twin.instance,
            ContactId=contact_id,
            Metrics=[{"Name": "CONTACTS_IN_QUEUE"}],
        )
    assert unsupported.value.response["Error"]["Code"] == "InvalidParameterException"
    with pytest.raises(twin.client.exceptions.ResourceNotFoundException):
        twin.client.describe_contact(InstanceId=twin.instance, ContactId="no-such-contact")
    with pytest.raises(twin.client.exceptions.ResourceNotFoundException):
        twin.client.get_contact_attributes(InstanceId=twin.instance, InitialContactId="no-such-contact")


def test_the_apis_call_status_reads_the_twin_through_the_shipped_sdk_slice(
    twin: Twin, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The site's call status on a local stack: the API's own client and service, unchanged."""
    from jam_api.config import Settings
    from jam_api.connect_client import make_connect_client
    from jam_api.contact.status import ContactGone, ContactStatusService

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "local")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "local")
    client = make_connect_client(Settings(connect_endpoint_url=twin.client.meta.endpoint_url))
    support = twin.defs.queues["SupportTechnicalQueue"]
    contact_id = _outbound(twin, Attributes={"CustomerId": "sub-1"})
    service = ContactStatusService(client, twin.instance, clock=twin.clock.now)
    assert service.status(contact_id, "sub-1")["state"] == "requested"
    with pytest.raises(ContactGone):
        service.status(contact_id, "sub-2")
    with twin.runtime.lock:
        twin.runtime.center.enqueue(contact_id, support.id)
        twin.runtime.center.set_agent_state("agent.sales", "Available")  # staffed, not on Support
    twin.clock.advance(3)  # past the status cache
    queued = service.status(contact_id, "sub-1")
    assert (queued["state"], queued["queueName"], queued["positionInQueue"]) == ("in-queue", support.name, 1)
    with twin.runtime.lock:
        twin.runtime.center.set_agent_state("agent.support", "Available")
        twin.runtime.center.accept("agent.support", contact_id)
    twin.clock.advance(3)
    assert service.status(contact_id, "sub-1")["state"] == "with-agent"
    with twin.runtime.lock:
        twin.runtime.center.customer_disconnected(contact_id)
    twin.clock.advance(3)
    ended = service.status(contact_id, "sub-1")
    assert ended["state"] == "ended" and ended["disconnectedAt"] is not None


def test_a_transfer_names_the_new_contact_in_next_contacts(twin: Twin) -> None:
    center = twin.runtime.center
    support = twin.defs.queues["SupportTechnicalQueue"]
    sales = twin.defs.queues["SalesNewOrdersQueue"]
    contact_id = _outbound(twin, Attributes={"CustomerId": "sub-1"})
    with twin.runtime.lock:
        center.enqueue(contact_id, support.id)
        center.set_agent_state("agent.support", "Available")
        center.accept("agent.support", contact_id)
        moved = center.transfer("agent.support", contact_id, sales.id)
    before = describe(twin, contact_id)
    assert before["DisconnectReason"] == "TRANSFERRED"
    [entry] = before["NextContacts"]
    assert entry["Type"] == "QUICK_CONNECT"
    data = entry["NextContactMetadata"]["QuickConnectContactData"]
    assert (data["ContactId"], data["QuickConnectType"], data["QuickConnectName"]) == (
        moved.id,
        "QUEUE",
        sales.name,
    )
    after = describe(twin, moved.id)
    assert after["InitiationMethod"] == "TRANSFER" and after["PreviousContactId"] == contact_id
    assert after["QueueInfo"]["Id"] == sales.id and "EnqueueTimestamp" in after["QueueInfo"]
    assert "NextContacts" not in after
    # The API's status service follows it: the customer's call is in Sales' queue now.
    from jam_api.contact.status import ContactStatusService

    status = ContactStatusService(twin.client, twin.instance, clock=twin.clock.now).status(
        contact_id, "sub-1"
    )
    assert (status["contactId"], status["state"], status["queueName"]) == (contact_id, "in-queue", sales.name)
