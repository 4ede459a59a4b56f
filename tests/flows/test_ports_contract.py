"""One contract for both implementations of a flow's ports (local_connect/flows/ports.py).

The flow scenarios (and their 100% coverage gate) run on `InMemoryCenter`; the real stack runs the
same flows on `RuntimeFlowServices` over the ACD and switchboard. Every test here runs against
both, so what a scenario proves about a flow holds on the runtime: the same contact data (the `$.`
namespace), the same queue and hours answers, the same errors. A divergence that once hid a bug:
the survey flow saw the agent's username in memory but not on the runtime.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

import pytest

from local_connect.acd import ContactState
from local_connect.clock import ManualClock
from local_connect.definitions import ContactFlowDef, Definitions, load_definitions
from local_connect.flows.memory import InMemoryCenter
from local_connect.flows.ports import (
    QUEUE_METRICS,
    CallbackRequest,
    ContactCenterServices,
    Prompt,
    ServiceError,
    TaskRequest,
)
from local_connect.numbers import INBOUND_NUMBER
from local_connect.runtime import Runtime, RuntimeOptions
from local_connect.runtime_flows import RuntimeFlowServices

MONDAY_10_NEW_YORK = 1_767_625_200.0  # every team is open
CALLER = "+12025550100"
OTHER_CALLER = "+12025550101"
SUPPORT = "SupportDevicesQueue"  # agent.support's routing profile serves it
AGENT = "agent.support"
OTHER_QUEUE = "SupportTechnicalQueue"


class Center(Protocol):
    """A contact center under test: its services, and what callers and agents do to it."""

    definitions: Definitions
    services: ContactCenterServices

    def call(self, number: str) -> str: ...
    def agent_answers(self, contact_id: str) -> str: ...
    def heard(self, number: str) -> list[str]: ...
    def disconnected(self, contact_id: str) -> bool: ...
    def fill(self, queue_logical_id: str) -> None: ...


class MemorySide:
    def __init__(self) -> None:
        self.definitions = load_definitions()
        self.memory = InMemoryCenter(self.definitions, ManualClock(MONDAY_10_NEW_YORK))
        self.services: ContactCenterServices = self.memory

    def call(self, number: str) -> str:
        return self.memory.new_contact(number, INBOUND_NUMBER).id

    def agent_answers(self, contact_id: str) -> str:
        self.memory.agent_answers(contact_id, AGENT)
        return AGENT

    def heard(self, number: str) -> list[str]:
        return [
            p.text for c in self.memory.contacts.values() if c.customer_number == number for p in c.prompts
        ]

    def disconnected(self, contact_id: str) -> bool:
        return self.memory.contacts[contact_id].state == "disconnected"

    def fill(self, queue_logical_id: str) -> None:
        self.memory.capacity[self.definitions.queues[queue_logical_id].arn] = 0


class NoFlows:
    """The switchboard's FlowRunner with no engine behind it: the tests drive the services directly."""

    def start(self, contact_id: str, flow: ContactFlowDef | str, /) -> object:
        return None

    def digits(self, contact_id: str, digits: str, /) -> None:
        pass

    def stop(self, contact_id: str, /) -> None:
        pass


class RuntimeSide:
    def __init__(self, db_path: Path) -> None:
        self.runtime = Runtime(RuntimeOptions(db_path=db_path, clock=ManualClock(MONDAY_10_NEW_YORK)))
        self.runtime.switchboard.flows = NoFlows()
        self.definitions = self.runtime.definitions
        self.services: ContactCenterServices = RuntimeFlowServices(
            self.definitions, self.runtime.center, self.runtime.switchboard
        )

    def call(self, number: str) -> str:
        return self.runtime.switchboard.dial(number, INBOUND_NUMBER)

    def agent_answers(self, contact_id: str) -> str:
        center = self.runtime.center
        center.set_agent_state(AGENT, "Available")  # the ACD offers the queued contact
        assert center.contact(contact_id).agent_username == AGENT
        center.accept(AGENT, contact_id)
        return AGENT

    def heard(self, number: str) -> list[str]:
        events = self.runtime.channels.get(f"phone:{number}").since(0)
        return [str(e.public().get("text")) for e in events if e.public()["type"] == "prompt"]

    def disconnected(self, contact_id: str) -> bool:
        return self.runtime.center.contact(contact_id).state is ContactState.DISCONNECTED

    def fill(self, queue_logical_id: str) -> None:
        queue = self.definitions.queues[queue_logical_id]
        self.runtime.center.queues[queue.id] = dataclasses.replace(queue, max_contacts=0)


@pytest.fixture(params=["memory", "runtime"])
def side(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Center]:
    if request.param == "memory":
        yield MemorySide()
        return
    runtime_side = RuntimeSide(tmp_path / "acd.sqlite3")
    yield runtime_side
    runtime_side.runtime.stop()


def queue_arn(side: Center, logical_id: str = SUPPORT) -> str:
    return side.definitions.queues[logical_id].arn


def test_a_new_call_as_the_flow_sees_it(side: Center) -> None:
    contact_id = side.call(CALLER)
    data = side.services.contact_data(contact_id)
    assert (data.contact_id, data.initial_contact_id, data.previous_contact_id) == (
        contact_id,
        contact_id,
        None,
    )
    assert (data.customer_number, data.system_number) == (CALLER, INBOUND_NUMBER)
    assert (data.initiation_method, data.channel) == ("INBOUND", "VOICE")
    assert (data.queue_arn, data.agent_username, data.language, data.name) == (None, None, None, None)
    assert data.attributes == {}


def test_attributes_merge(side: Center) -> None:
    contact_id = side.call(CALLER)
    side.services.update_attributes(contact_id, {"issue": "billing", "Verified": "false"})
    side.services.update_attributes(contact_id, {"Verified": "true"})
    assert side.services.contact_data(contact_id).attributes == {"issue": "billing", "Verified": "true"}


def test_contact_data_set_by_a_flow(side: Center) -> None:
    contact_id = side.call(CALLER)
    side.services.update_contact_data(
        contact_id, {"Name": "Maria's call", "Description": "devices", "LanguageCode": "es-US"}
    )
    data = side.services.contact_data(contact_id)
    assert (data.name, data.description, data.language) == ("Maria's call", "devices", "es-US")


def test_tags_merge_into_the_contact(side: Center) -> None:
    """TagContact: the tags are part of the contact (the Lambda event's Tags, the contact record)."""
    contact_id = side.call(CALLER)
    assert side.services.contact_data(contact_id).tags == {}
    side.services.tag_contact(contact_id, {"Department": "devices", "Tier": "1"})
    side.services.tag_contact(contact_id, {"Tier": "2"})
    assert side.services.contact_data(contact_id).tags == {"Department": "devices", "Tier": "2"}


def test_the_agent_who_answered_is_part_of_the_contact(side: Center) -> None:
    """$.Agent.UserName in the survey (disconnect) flow: the survey results name the agent."""
    contact_id = side.call(CALLER)
    side.services.transfer_to_queue(contact_id, queue_arn(side))
    agent = side.agent_answers(contact_id)
    assert side.services.contact_data(contact_id).agent_username == agent == AGENT


def test_queues_by_arn_or_id_with_their_hours(side: Center) -> None:
    definition = side.definitions.queues[SUPPORT]
    by_arn = side.services.queue(definition.arn)
    assert side.services.queue(definition.id) == by_arn
    hours = side.definitions.hours[definition.hours_logical_id]
    assert (by_arn.arn, by_arn.id, by_arn.name, by_arn.hours_arn) == (
        definition.arn,
        definition.id,
        definition.name,
        hours.arn,
    )
    with pytest.raises(ServiceError) as refused:
        side.services.queue("arn:aws:connect:us-east-1:000000000000:instance/x/queue/nope")
    assert refused.value.error_type == "NoMatchingError"


def test_hours(side: Center) -> None:
    hours = side.definitions.hours[side.definitions.queues[SUPPORT].hours_logical_id]
    assert side.services.hours_open(hours.arn, MONDAY_10_NEW_YORK) is True
    assert side.services.hours_open(hours.arn, MONDAY_10_NEW_YORK + 15 * 3600) is False  # 01:00
    with pytest.raises(ServiceError) as refused:
        side.services.hours_open(hours.arn + "-gone", MONDAY_10_NEW_YORK)
    assert refused.value.error_type == "NoMatchingError"


def test_transfer_puts_the_contact_in_line(side: Center) -> None:
    first, second = side.call(CALLER), side.call(OTHER_CALLER)
    side.services.transfer_to_queue(first, queue_arn(side))
    side.services.transfer_to_queue(second, queue_arn(side))
    assert side.services.contact_data(first).queue_arn == queue_arn(side)
    assert [side.services.queue_position(c).position for c in (first, second)] == [1, 2]
    metrics = side.services.queue_metrics(queue_arn(side))
    assert set(QUEUE_METRICS) <= set(metrics)
    assert metrics["CONTACTS_IN_QUEUE"] == 2


def test_not_queued_has_no_position(side: Center) -> None:
    contact_id = side.call(CALLER)
    assert side.services.queue_position(contact_id).position is None


def test_routing_priority_moves_a_contact_ahead(side: Center) -> None:
    first, second = side.call(CALLER), side.call(OTHER_CALLER)
    side.services.set_routing(second, queue_arn=queue_arn(side), priority=1)
    assert side.services.contact_data(second).queue_arn == queue_arn(side)
    side.services.transfer_to_queue(first, queue_arn(side))
    side.services.transfer_to_queue(second, queue_arn(side))
    assert side.services.queue_position(second).position == 1


def test_a_full_queue_refuses_with_queue_at_capacity(side: Center) -> None:
    contact_id = side.call(CALLER)
    side.fill(SUPPORT)
    with pytest.raises(Exception) as refused:
        side.services.transfer_to_queue(contact_id, queue_arn(side))
    # The engine reads the error type from either attribute (ports.py).
    error = getattr(refused.value, "error_type", None) or getattr(refused.value, "code", None)
    assert error == "QueueAtCapacity"


def test_a_queue_to_queue_transfer_is_a_new_segment_in_the_other_queue(side: Center) -> None:
    """DequeueContactAndTransferToQueue: the waiting contact's segment ends; a new TRANSFER contact,
    the old one its previous contact, waits in the target queue."""
    contact_id = side.call(CALLER)
    side.services.update_attributes(contact_id, {"issue": "billing"})
    side.services.transfer_to_queue(contact_id, queue_arn(side))
    target = queue_arn(side, OTHER_QUEUE)
    moved = side.services.queue_to_queue(contact_id, target)
    data = side.services.contact_data(moved)
    assert moved != contact_id
    assert (data.previous_contact_id, data.initial_contact_id) == (contact_id, contact_id)
    assert (data.initiation_method, data.queue_arn, data.customer_number) == ("TRANSFER", target, CALLER)
    assert data.attributes == {"issue": "billing"}
    assert side.services.queue_position(moved).position == 1
    assert side.services.queue_position(contact_id).position is None  # no longer waiting
    with pytest.raises(ServiceError) as refused:  # the old segment is over: not waiting anywhere
        side.services.queue_to_queue(contact_id, queue_arn(side))
    assert refused.value.error_type == "NoMatchingError"


def test_a_queue_to_queue_transfer_refuses_a_contact_not_in_line_or_a_full_queue(side: Center) -> None:
    in_flow = side.call(CALLER)
    with pytest.raises(ServiceError) as refused:
        side.services.queue_to_queue(in_flow, queue_arn(side))
    assert refused.value.error_type == "NoMatchingError"
    side.services.transfer_to_queue(in_flow, queue_arn(side, OTHER_QUEUE))
    side.fill(SUPPORT)
    with pytest.raises(ServiceError) as full:
        side.services.queue_to_queue(in_flow, queue_arn(side))
    assert full.value.error_type == "QueueAtCapacity"
    assert side.services.queue_position(in_flow).position == 1  # refused before it left its queue


def test_a_callback_keeps_the_caller_and_the_language(side: Center) -> None:
    contact_id = side.call(CALLER)
    side.services.update_attributes(contact_id, {"issue": "devices"})
    side.services.update_contact_data(contact_id, {"LanguageCode": "es-US"})
    side.services.transfer_to_queue(contact_id, queue_arn(side))
    request = CallbackRequest(OTHER_CALLER, queue_arn(side), initial_delay=0, max_attempts=2, retry_delay=60)
    callback = side.services.contact_data(side.services.create_callback(contact_id, request))
    assert (callback.initiation_method, callback.customer_number, callback.system_number) == (
        "CALLBACK",
        OTHER_CALLER,
        INBOUND_NUMBER,
    )
    assert (callback.previous_contact_id, callback.initial_contact_id) == (contact_id, contact_id)
    assert (callback.attributes, callback.queue_arn, callback.language) == (
        {"issue": "devices"},
        queue_arn(side),
        "es-US",
    )


def test_prompts_reach_the_caller(side: Center) -> None:
    contact_id = side.call(CALLER)
    side.services.say(Prompt(contact_id, "Welcome to JAM", False, "en-US", "Joanna", "InboundFlow", "a1"))
    assert side.heard(CALLER) == ["Welcome to JAM"]


def test_disconnect_ends_the_call_and_a_plain_end_keeps_a_queued_caller(side: Center) -> None:
    queued, hung_up = side.call(CALLER), side.call(OTHER_CALLER)
    side.services.transfer_to_queue(queued, queue_arn(side))
    side.services.end_flow(queued, disconnect=False)
    side.services.end_flow(hung_up, disconnect=True)
    assert (side.disconnected(queued), side.disconnected(hung_up)) == (False, True)
    assert side.services.queue_position(queued).position == 1


def test_an_unknown_contact_is_a_no_matching_error(side: Center) -> None:
    with pytest.raises(ServiceError) as refused:
        side.services.contact_data("no-such-contact")
    assert refused.value.error_type == "NoMatchingError"


def test_a_transfer_to_agent_rings_only_that_agent_and_disconnects_when_they_are_busy(side: Center) -> None:
    """TransferContactToAgent (Flow Language reference): offered to the agent set beforehand; "If the
    agent is already with someone else, the contact is disconnected"."""
    free(side, AGENT)
    contact_id = side.call(CALLER)
    assert side.services.transfer_to_agent(contact_id, AGENT) is True
    assert side.services.contact_data(contact_id).agent_username == AGENT
    busy = side.call(OTHER_CALLER)
    assert side.services.transfer_to_agent(busy, AGENT) is False  # the agent is ringing for the first
    assert side.disconnected(busy)
    with pytest.raises(ServiceError) as unknown:
        side.services.transfer_to_agent(side.call("+12025550102"), "nobody")
    assert unknown.value.error_type == "NoMatchingError"


def free(side: Center, agent: str) -> None:
    if isinstance(side, MemorySide):
        side.memory.agent_states[agent] = "Available"
    else:
        assert isinstance(side, RuntimeSide)
        side.runtime.center.set_agent_state(agent, "Available")


def test_a_task_is_a_new_task_contact(side: Center) -> None:
    """CreateTask: a TASK contact (no customer endpoint) with its name, description and attributes."""
    contact_id = side.call(CALLER)
    flow = side.definitions.flows["InboundFlow"].arn
    request = TaskRequest("Call Ana back", flow, "billing", {"issue": "billing"}, {"ticket": "T-1"})
    task = side.services.contact_data(side.services.create_task(contact_id, request))
    assert (task.channel, task.initiation_method, task.customer_number) == ("TASK", "API", "")
    assert (task.name, task.description, task.attributes) == (
        "Call Ana back",
        "billing",
        {"issue": "billing"},
    )
    assert task.contact_id != contact_id and task.initial_contact_id == task.contact_id
