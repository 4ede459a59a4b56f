"""Desk presence: sign-out and a silent desk set the agent Offline, so no caller waits for nobody."""

from __future__ import annotations

from local_connect.acd import AcdSettings, AgentState, ContactState
from tests.local_connect.conftest import Harness


def test_sign_out_sets_offline_and_the_next_caller_goes_to_someone_else(harness: Harness) -> None:
    center = harness.center
    center.set_agent_state("agent.support", "Available")
    harness.advance(1)
    center.set_agent_state("agent.support2", "Available")
    center.sign_out("agent.support")
    agent = center.agent("agent.support")
    assert agent.state is AgentState.OFFLINE and agent.state_reason == "signed_out"
    assert "Choose Available" in (agent.state_detail or "")
    caller = harness.inbound("+15555550101", "SupportTechnicalQueue")
    assert harness.offers("agent.support2") == [caller] and harness.offers("agent.support") == []


def test_a_silent_desk_is_lost_after_the_timeout_and_its_offer_goes_to_the_next_agent(
    tmp_path: object,
) -> None:
    from pathlib import Path

    h = Harness(Path(str(tmp_path)) / "c.sqlite3", AcdSettings(desk_timeout=30, offer_timeout=60))
    center = h.center
    center.set_agent_state("agent.support", "Available")
    center.desk_heartbeat("agent.support")
    h.advance(20)
    center.desk_heartbeat("agent.support")  # still there: the watch moves on
    h.advance(20)
    assert center.agent("agent.support").state is AgentState.AVAILABLE
    caller = h.inbound("+15555550101", "SupportTechnicalQueue")
    assert center.agent("agent.support").state is AgentState.INCOMING
    h.advance(11)  # 31 s of silence: the desk is lost while the call rings it
    agent = center.agent("agent.support")
    assert agent.state is AgentState.OFFLINE and agent.state_reason == "desk_lost"
    assert "stopped answering for 30 s" in (agent.state_detail or "")
    assert center.contact(caller).state is ContactState.QUEUED  # back in its place, not lost
    center.set_agent_state("agent.support2", "Available")
    assert h.offers("agent.support2") == [caller]
    h.store.close()


def test_a_lost_desk_keeps_a_live_call_and_goes_offline_when_it_ends(harness: Harness) -> None:
    center = harness.center
    center.set_agent_state("agent.support", "Available")
    center.desk_heartbeat("agent.support")
    caller = harness.inbound("+15555550101", "SupportTechnicalQueue")
    center.accept("agent.support", caller)
    harness.advance(center.settings.desk_timeout + 1)
    assert center.agent("agent.support").state is AgentState.ON_CONTACT  # the customer is still there
    center.customer_disconnected(caller)
    harness.advance(center.settings.desk_timeout + 1)
    assert center.agent("agent.support").state is AgentState.OFFLINE


def test_missed_says_why_and_how_to_recover(harness: Harness) -> None:
    center = harness.center
    center.set_agent_state("agent.support", "Available")
    harness.inbound("+15555550101", "SupportTechnicalQueue")
    harness.advance(center.settings.offer_timeout + 1)
    agent = center.agent("agent.support")
    assert agent.state is AgentState.MISSED and agent.state_reason == "missed"
    assert agent.state_detail is not None
    assert "not accepted within 20 s" in agent.state_detail and "Choose Available" in agent.state_detail
    center.set_agent_state("agent.support", "Available")  # recovering clears the reason
    assert agent.state is AgentState.INCOMING and agent.state_reason is None and agent.state_detail is None


def test_an_agent_driven_without_a_desk_page_is_never_timed_out(harness: Harness) -> None:
    center = harness.center
    center.set_agent_state("agent.support", "Available")
    harness.advance(3600)
    assert center.agent("agent.support").state is AgentState.AVAILABLE
