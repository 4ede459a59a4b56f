"""Routing decisions of the ACD: who gets which contact, and when."""

from __future__ import annotations

import pytest

from local_connect.acd import AgentState, ContactState, QueueAtCapacity
from tests.local_connect.conftest import Harness


def test_the_longest_idle_eligible_agent_gets_the_offer(harness: Harness) -> None:
    center = harness.center
    center.set_agent_state("agent.support2", "Available")
    harness.advance(5)
    center.set_agent_state("agent.support", "Available")
    harness.advance(5)
    first = harness.inbound("+15555550101", "SupportTechnicalQueue")
    second = harness.inbound("+15555550102", "SupportTechnicalQueue")
    assert harness.offers("agent.support2") == [first]
    assert harness.offers("agent.support") == [second]
    assert center.agent("agent.support2").state is AgentState.INCOMING


def test_agents_only_get_contacts_from_their_routing_profile_queues(harness: Harness) -> None:
    harness.center.set_agent_state("agent.sales", "Available")
    contact = harness.inbound("+15555550101", "AccountsBillingQueue")
    assert harness.offers("agent.sales") == []
    assert harness.center.contact(contact).state is ContactState.QUEUED


def test_contact_priority_beats_age_and_time_adjustment_beats_arrival(harness: Harness) -> None:
    old_normal = harness.inbound("+15555550101", "SupportTechnicalQueue")
    harness.advance(30)
    vip = harness.inbound("+15555550102", "SupportTechnicalQueue", priority=1)
    harness.advance(30)
    adjusted = harness.inbound("+15555550103", "SupportTechnicalQueue", adjust=120)
    center = harness.center
    assert [center.position(c) for c in (vip, adjusted, old_normal)] == [0, 1, 2]
    center.set_agent_state("agent.support", "Available")
    assert harness.offers("agent.support") == [vip]


def test_routing_profile_priority_and_delay(harness: Harness) -> None:
    """The generalist takes Support first; a Sales contact reaches them only after its 30 s delay."""
    center = harness.center
    center.set_agent_state("agent.generalist", "Available")
    sales = harness.inbound("+15555550101", "SalesNewOrdersQueue")
    harness.advance(10)
    assert harness.offers("agent.generalist") == []
    support = harness.inbound("+15555550102", "SupportDevicesQueue")
    assert harness.offers("agent.generalist") == [support]
    center.accept("agent.generalist", support)
    center.end("agent.generalist", support)
    center.complete_after_contact_work("agent.generalist")
    assert harness.offers("agent.generalist") == [support]  # sales is still inside its delay
    harness.advance(20)  # the delay timer fires and routes it
    assert harness.offers("agent.generalist") == [support, sales]


def test_a_missed_offer_puts_the_contact_back_in_its_place_and_the_agent_in_missed(harness: Harness) -> None:
    center = harness.center
    center.set_agent_state("agent.support", "Available")
    first = harness.inbound("+15555550101", "SupportTechnicalQueue")
    second = harness.inbound("+15555550102", "SupportTechnicalQueue")
    harness.advance(center.settings.offer_timeout + 0.1)
    assert center.agent("agent.support").state is AgentState.MISSED
    assert center.contact(first).state is ContactState.QUEUED
    assert center.position(first) == 0 and center.position(second) == 1
    center.set_agent_state("agent.support2", "Available")
    assert harness.offers("agent.support2") == [first]


def test_a_rejected_offer_goes_to_the_next_agent(harness: Harness) -> None:
    center = harness.center
    center.set_agent_state("agent.support", "Available")
    harness.advance(1)
    center.set_agent_state("agent.support2", "Available")
    contact = harness.inbound("+15555550101", "SupportTechnicalQueue")
    assert harness.offers("agent.support") == [contact]
    center.reject("agent.support", contact)
    assert harness.offers("agent.support2") == [contact]
    assert center.agent("agent.support").state is AgentState.MISSED


def test_a_full_queue_refuses_the_contact(harness: Harness) -> None:
    queue = harness.definitions.queues["SalesNewOrdersQueue"]
    assert queue.max_contacts is not None
    for n in range(queue.max_contacts):
        harness.inbound(f"+1555555{n:04d}", "SalesNewOrdersQueue")
    with pytest.raises(QueueAtCapacity):
        harness.inbound("+15555559999", "SalesNewOrdersQueue")


def test_customer_hanging_up_while_offered_frees_the_agent_without_losing_their_idle_rank(
    harness: Harness,
) -> None:
    center = harness.center
    center.set_agent_state("agent.support", "Available")
    idle_since = center.agent("agent.support").idle_since
    harness.advance(3)
    contact = harness.inbound("+15555550101", "SupportTechnicalQueue")
    center.customer_disconnected(contact)
    agent = center.agent("agent.support")
    assert agent.state is AgentState.AVAILABLE and agent.idle_since == idle_since
    assert center.contact(contact).disconnect_reason == "CUSTOMER_DISCONNECT"


def test_estimated_wait_grows_with_the_queue_and_uses_handle_times(harness: Harness) -> None:
    center = harness.center
    queue = harness.queue_id("SupportTechnicalQueue")
    assert center.estimated_wait(queue) is None  # nobody staffed: unknown, not zero
    center.set_agent_state("agent.support", "Available")
    assert center.estimated_wait(queue) == 0.0
    first = harness.inbound("+15555550101", "SupportTechnicalQueue")
    center.accept("agent.support", first)
    harness.advance(100)
    center.end("agent.support", first)  # one handled contact of 100 s
    waiting = [harness.inbound(f"+1555555020{n}", "SupportTechnicalQueue") for n in range(3)]
    # one staffed agent, busy; the third in line has two ahead: it waits three handle times
    assert center.wait_info(waiting[2]) == {"position": 2, "estimated_wait": 300.0}
    assert center.estimated_wait(queue) == 400.0  # a newcomer would have three ahead


def test_a_contact_is_routed_even_when_the_clock_went_back_since_it_was_queued(harness: Harness) -> None:
    """After a restart with an earlier clock (or a clock correction) waiting contacts still route."""
    contact = harness.inbound("+12025550101", "SupportTechnicalQueue")
    harness.clock.set(harness.clock.now() - 3600)
    harness.center.set_agent_state("agent.support", "Available")
    assert harness.offers("agent.support") == [contact]


def test_a_queued_contact_moved_to_another_queue_leaves_the_first_queues_line(harness: Harness) -> None:
    center = harness.center
    contact = harness.inbound("+15555550101", "SupportTechnicalQueue")
    center.set_routing(contact, queue_id=harness.queue_id("AccountsBillingQueue"))
    assert len(center.lines[harness.queue_id("SupportTechnicalQueue")]) == 0
    assert center.position(contact) == 0
    center.set_agent_state("agent.support", "Available")
    assert harness.offers("agent.support") == []  # no ghost of it left in the Support line


def test_a_transfer_to_a_full_queue_is_refused_and_the_call_stays_with_the_agent(harness: Harness) -> None:
    center = harness.center
    full = harness.definitions.queues["SalesNewOrdersQueue"]
    assert full.max_contacts is not None
    for n in range(full.max_contacts):
        harness.inbound(f"+1555555{n:04d}", "SalesNewOrdersQueue")
    center.set_agent_state("agent.support", "Available")
    contact = harness.inbound("+15555559999", "SupportTechnicalQueue")
    center.accept("agent.support", contact)
    with pytest.raises(QueueAtCapacity):
        center.transfer("agent.support", contact, full.id)
    assert center.contact(contact).state is ContactState.CONNECTED
    assert center.agent("agent.support").state is AgentState.ON_CONTACT
    assert not [c for c in center.contacts.values() if c.state is ContactState.IN_FLOW]


def in_flow(harness: Harness, number: str) -> str:
    from local_connect.acd import InitiationMethod

    return harness.center.new_contact(InitiationMethod.INBOUND, number, "+18005550100").id


def test_a_transfer_to_agent_is_offered_to_that_agent_alone(harness: Harness) -> None:
    """TransferContactToAgent: the contact rings the agent set beforehand, not another free agent of
    the same routing profile, and is not left in a queue line for others."""
    center = harness.center
    center.set_agent_state("agent.support2", "Available")
    harness.advance(5)
    center.set_agent_state("agent.support", "Available")  # support2 has been idle longer
    contact = in_flow(harness, "+15555550101")
    assert center.transfer_to_agent(contact, "agent.support") is True
    assert harness.offers("agent.support") == [contact] and harness.offers("agent.support2") == []
    center.accept("agent.support", contact)
    assert center.contact(contact).state is ContactState.CONNECTED


def test_a_transfer_to_a_busy_agent_disconnects_and_after_contact_work_is_ended(harness: Harness) -> None:
    """'If the agent is already with someone else, the contact is disconnected'; 'If the agent is in
    After Contact Work, they are automatically removed from ACW' (admin guide, transfer-to-agent-block)."""
    center = harness.center
    center.set_agent_state("agent.support", "Available")
    first = harness.inbound("+15555550101", "SupportTechnicalQueue")
    center.accept("agent.support", first)
    busy = in_flow(harness, "+15555550102")
    assert center.transfer_to_agent(busy, "agent.support") is False
    assert center.contact(busy).state is ContactState.DISCONNECTED
    center.end("agent.support", first)
    assert center.agent("agent.support").state is AgentState.AFTER_CONTACT_WORK
    after_work = in_flow(harness, "+15555550103")
    assert center.transfer_to_agent(after_work, "agent.support") is True
    assert harness.offers("agent.support") == [first, after_work]


def test_a_missed_transfer_to_agent_is_not_put_in_a_queue(harness: Harness) -> None:
    center = harness.center
    center.set_agent_state("agent.support", "Available")
    center.set_agent_state("agent.support2", "Available")
    contact = in_flow(harness, "+15555550101")
    center.set_routing(contact, queue_id=harness.queue_id("SupportTechnicalQueue"))
    center.transfer_to_agent(contact, "agent.support")
    harness.advance(center.settings.offer_timeout + 0.1)
    assert center.agent("agent.support").state is AgentState.MISSED
    assert center.contact(contact).state is ContactState.DISCONNECTED  # not settled by the reference
    assert harness.offers("agent.support2") == []


def test_a_transfer_to_agent_is_voice_only_and_needs_a_known_agent(harness: Harness) -> None:
    from local_connect.acd import InvalidTransition, UnknownAgent

    center = harness.center
    center.set_agent_state("agent.support", "Available")
    contact = in_flow(harness, "+15555550101")
    with pytest.raises(UnknownAgent):
        center.transfer_to_agent(contact, "nobody")
    center.contact(contact).channel = "CHAT"
    with pytest.raises(InvalidTransition):
        center.transfer_to_agent(contact, "agent.support")


def test_a_task_waits_for_a_profile_that_takes_tasks_and_voice_goes_past_it(harness: Harness) -> None:
    """AWS::Connect::RoutingProfile: MediaConcurrencies and each QueueConfig's Channel say what an
    agent takes; the template's profiles take VOICE only."""
    from local_connect.acd import InitiationMethod
    from local_connect.acd.center import ProfileQueue

    center = harness.center
    assert {pq.channel for profile in center.profiles.values() for pq in profile} == {"VOICE"}
    queue = harness.queue_id("SupportTechnicalQueue")
    task = center.create_task("Call back", description=None, attributes={}, references={}, flow_id=None)
    center.set_routing(task.id, queue_id=queue)
    center.enqueue(task.id)
    voice = harness.inbound("+15555550101", "SupportTechnicalQueue")
    assert center.position(task.id) == 0 and center.position(voice) == 1
    center.set_agent_state("agent.support", "Available")
    assert harness.offers("agent.support") == [voice]  # past the task it cannot take
    profile = center.agent("agent.support2").routing_profile_id
    center.profiles[profile] = [ProfileQueue(queue, 1, 0.0, "TASK")]
    center.set_agent_state("agent.support2", "Available")
    assert harness.offers("agent.support2") == [task.id]
    assert task.initiation_method is InitiationMethod.API and task.channel == "TASK"


def test_a_task_keeps_its_references_and_schedule_across_a_restart(harness: Harness) -> None:
    task = harness.center.create_task(
        "t",
        description="d",
        attributes={"a": "1"},
        references={"ticket": "T-1"},
        flow_id="f",
        scheduled_at=99.0,
    )
    record = harness.store.get(task.id)
    assert record is not None
    assert (record.task_references, record.scheduled_at, record.channel) == ({"ticket": "T-1"}, 99.0, "TASK")
    assert record.record()["References"] == {"ticket": "T-1"}
