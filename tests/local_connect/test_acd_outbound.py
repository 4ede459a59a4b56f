"""Outbound calls an agent dials from the desk: OUTBOUND contacts in the profile's outbound queue."""

from __future__ import annotations

import pytest

from local_connect.acd import AgentState, ContactState, InvalidTransition
from tests.local_connect.conftest import Harness


def test_an_agent_dials_out_the_customer_answers_and_the_record_says_outbound(harness: Harness) -> None:
    center = harness.center
    contact = center.start_outbound("agent.sales", "+12025550101", "+18005550100")
    agent = center.agent("agent.sales")
    assert agent.state is AgentState.ON_CONTACT and agent.contact_id == contact.id
    assert contact.state is ContactState.DIALING and contact.agent_username == "agent.sales"
    profile = harness.definitions.routing_profiles["SalesRoutingProfile"]
    assert contact.queue_id == harness.queue_id(profile.default_outbound_queue_logical_id)
    dial = [e for e in harness.events if e.kind == "dial_customer"][-1]
    assert (dial.contact_id, dial.data["number"]) == (contact.id, "+12025550101")
    harness.advance(3)
    center.callback_answered(contact.id)
    harness.advance(60)
    center.end("agent.sales", contact.id)
    record = harness.store.get(contact.id)
    assert record is not None and record.record()["InitiationMethod"] == "OUTBOUND"
    assert record.record()["SystemEndpoint"] == "+18005550100"
    assert record.disconnect_reason == "AGENT_DISCONNECT" and record.connected_at is not None
    assert center.agent("agent.sales").state is AgentState.AFTER_CONTACT_WORK


def test_an_unanswered_outbound_call_ends_and_is_not_retried(harness: Harness) -> None:
    center = harness.center
    center.set_agent_state("agent.sales", "Available")
    contact = center.start_outbound("agent.sales", "+12025550101", "+18005550100")
    center.callback_not_answered(contact.id)
    record = harness.store.get(contact.id)
    assert record is not None and record.disconnect_reason == "CUSTOMER_NOT_ANSWERED"
    assert center.agent("agent.sales").state is AgentState.AFTER_CONTACT_WORK
    harness.advance(3600)
    assert [e for e in harness.events if e.kind == "callback_queued"] == []


def test_an_agent_on_a_contact_cannot_dial_out(harness: Harness) -> None:
    center = harness.center
    center.start_outbound("agent.sales", "+12025550101", "+18005550100")
    with pytest.raises(InvalidTransition):
        center.start_outbound("agent.sales", "+12025550102", "+18005550100")
