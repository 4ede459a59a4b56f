"""Contacts through their life: agent work, callbacks, transfers, records, restarts."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from local_connect.acd import AcdSettings, AgentState, ContactState, InitiationMethod
from local_connect.acd.store import export_csv, export_jsonl
from tests.local_connect.conftest import Harness


def test_accept_hold_resume_end_after_contact_work_available(harness: Harness) -> None:
    center = harness.center
    center.set_agent_state("agent.support", "Available")
    contact_id = harness.inbound("+15555550101", "SupportTechnicalQueue")
    harness.advance(4)
    center.accept("agent.support", contact_id)
    assert center.agent("agent.support").state is AgentState.ON_CONTACT
    center.hold("agent.support", contact_id, True)
    assert center.contact(contact_id).on_hold
    center.hold("agent.support", contact_id, False)
    harness.advance(60)
    center.end("agent.support", contact_id)
    assert center.agent("agent.support").state is AgentState.AFTER_CONTACT_WORK
    record = harness.store.get(contact_id)
    assert record is not None
    assert record.state is ContactState.DISCONNECTED
    assert record.disconnect_reason == "AGENT_DISCONNECT"
    assert record.connected_at is not None and record.enqueued_at is not None
    assert record.connected_at - record.enqueued_at == 4
    center.complete_after_contact_work("agent.support")
    assert center.agent("agent.support").state is AgentState.AVAILABLE
    kinds = [e.kind for e in harness.events if e.contact_id == contact_id]
    assert (
        kinds.index("offered") < kinds.index("connected") < kinds.index("hold") < kinds.index("disconnected")
    )


def test_a_callback_keeps_the_callers_place(harness: Harness) -> None:
    center = harness.center
    caller = harness.inbound("+15555550101", "SupportTechnicalQueue")
    harness.advance(30)
    later = harness.inbound("+15555550102", "SupportTechnicalQueue")
    callback = center.create_callback(caller, "+15555550199")
    center.customer_disconnected(caller)
    assert center.position(callback.id) == 0 and center.position(later) == 1
    assert callback.initiation_method is InitiationMethod.CALLBACK
    assert callback.previous_contact_id == caller
    center.set_agent_state("agent.support", "Available")
    assert harness.offers("agent.support") == [callback.id]


def test_a_callback_dials_the_customer_when_an_agent_takes_it_and_connects_on_answer(
    harness: Harness,
) -> None:
    center = harness.center
    caller = harness.inbound("+15555550101", "SupportTechnicalQueue")
    callback = center.create_callback(caller, "+15555550101")
    center.customer_disconnected(caller)
    center.set_agent_state("agent.support", "Available")
    center.accept("agent.support", callback.id)
    dials = [e for e in harness.events if e.kind == "dial_customer"]
    assert [(e.contact_id, e.data["number"], e.data["attempt"]) for e in dials] == [
        (callback.id, "+15555550101", 1)
    ]
    center.callback_answered(callback.id)
    assert center.contact(callback.id).state is ContactState.CONNECTED


def test_an_unanswered_callback_retries_after_a_delay_then_is_recorded_as_failed(tmp_path: Path) -> None:
    harness = Harness(tmp_path / "c.sqlite3", AcdSettings(callback_retry_delay=60, callback_max_attempts=2))
    center = harness.center
    caller = harness.inbound("+15555550101", "SupportTechnicalQueue")
    callback = center.create_callback(caller, "+15555550101")
    center.customer_disconnected(caller)
    center.set_agent_state("agent.support", "Available")

    center.accept("agent.support", callback.id)
    center.callback_not_answered(callback.id)
    assert center.contact(callback.id).state is ContactState.SCHEDULED
    center.complete_after_contact_work("agent.support")
    harness.advance(59)
    assert harness.offers("agent.support") == [callback.id]  # not yet
    harness.advance(1)
    assert harness.offers("agent.support") == [callback.id, callback.id]

    center.accept("agent.support", callback.id)
    center.callback_not_answered(callback.id)
    record = harness.store.get(callback.id)
    assert record is not None
    assert record.state is ContactState.DISCONNECTED
    assert record.disconnect_reason == "CALLBACK_ATTEMPTS_EXHAUSTED"
    assert record.callback_attempts == 2


def test_transfer_to_another_queue_makes_a_transfer_contact_with_the_same_initial_contact(
    harness: Harness,
) -> None:
    center = harness.center
    center.set_agent_state("agent.support", "Available")
    center.set_agent_state("agent.sales", "Available")
    contact_id = harness.inbound("+15555550101", "SupportTechnicalQueue")
    center.update_attributes(contact_id, {"issue": "upgrade"})
    center.accept("agent.support", contact_id)
    moved = center.transfer("agent.support", contact_id, harness.definitions.queues["SalesUpgradesQueue"].arn)
    assert moved.initiation_method is InitiationMethod.TRANSFER
    assert moved.initial_contact_id == contact_id and moved.previous_contact_id == contact_id
    assert moved.attributes == {"issue": "upgrade"}
    assert harness.offers("agent.sales") == [moved.id]
    assert center.contact(contact_id).disconnect_reason == "TRANSFERRED"
    assert center.agent("agent.support").state is AgentState.AFTER_CONTACT_WORK


def test_restart_resumes_queued_callbacks_and_closes_calls_cut_off(tmp_path: Path) -> None:
    path = tmp_path / "contacts.sqlite3"
    before = Harness(path)
    first = before.inbound("+15555550101", "SupportTechnicalQueue")
    before.advance(10)
    live = before.inbound("+15555550102", "SupportTechnicalQueue")
    callback = before.center.create_callback(first, "+15555550101")
    before.center.customer_disconnected(first)
    before.store.close()  # no clean shutdown of the center: as after kill -9

    after = Harness(path)
    after.clock.set(before.clock.now() + 120)
    resumed, closed = after.center.recover()
    assert [c.id for c in resumed] == [callback.id]
    assert [c.id for c in closed] == [live]
    assert after.store.get(live).disconnect_reason == "TELECOM_PROBLEM"  # type: ignore[union-attr]
    later = after.inbound("+15555550103", "SupportTechnicalQueue")
    assert after.center.position(callback.id) == 0 and after.center.position(later) == 1
    after.center.set_agent_state("agent.support", "Available")
    assert after.offers("agent.support") == [callback.id]
    after.store.close()


def test_contact_records_export_as_json_lines_and_csv(harness: Harness) -> None:
    center = harness.center
    contact_id = harness.inbound("+15555550101", "SupportTechnicalQueue")
    center.update_attributes(contact_id, {"language": "es-US"})
    center.record_survey(contact_id, {"Q1": "5"})
    records = harness.store.contacts()
    lines = [json.loads(line) for line in export_jsonl(records)]
    assert lines[0]["ContactId"] == contact_id
    assert lines[0]["Attributes"] == {"language": "es-US"}
    assert lines[0]["SurveyAnswers"] == {"Q1": "5"}
    rows = list(csv.DictReader(io.StringIO(export_csv(records))))
    assert rows[0]["ContactId"] == contact_id and rows[0]["InitiationMethod"] == "INBOUND"
    assert json.loads(rows[0]["Attributes"]) == {"language": "es-US"}


def test_queue_metrics_count_contacts_and_agents(harness: Harness) -> None:
    center = harness.center
    queue = harness.queue_id("SupportTechnicalQueue")
    harness.inbound("+15555550101", "SupportTechnicalQueue")
    harness.advance(42)
    harness.inbound("+15555550102", "SupportTechnicalQueue")
    center.set_agent_state("agent.generalist", "Available")  # Support is priority 1 for generalists
    center.set_agent_state("agent.support2", "Offline")
    metrics = center.queue_metrics(queue)
    assert metrics["CONTACTS_IN_QUEUE"] == 2
    assert metrics["OLDEST_CONTACT_AGE"] == 42
    assert metrics["AGENTS_ONLINE"] == 1
    assert metrics["AGENTS_ON_CONTACT"] == 1  # the generalist was offered the oldest
    assert metrics["AGENTS_AVAILABLE"] == 0


def test_a_callback_waiting_for_its_retry_is_retried_on_time_after_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "contacts.sqlite3"
    before = Harness(path, AcdSettings(callback_retry_delay=300))
    caller = before.inbound("+12025550101", "SupportTechnicalQueue")
    callback = before.center.create_callback(caller, "+12025550101")
    before.center.customer_disconnected(caller)
    before.center.set_agent_state("agent.support", "Available")
    before.center.accept("agent.support", callback.id)
    before.center.callback_not_answered(callback.id)  # retry due in 300 s
    before.store.close()

    after = Harness(path)
    after.clock.set(before.clock.now() + 100)
    resumed, _ = after.center.recover()
    assert [c.id for c in resumed] == [callback.id]
    assert after.center.contact(callback.id).state is ContactState.SCHEDULED
    after.center.set_agent_state("agent.support", "Available")
    after.advance(199)
    assert after.offers("agent.support") == []
    after.advance(1)
    assert after.offers("agent.support") == [callback.id]
    assert after.center.contact(callback.id).callback_attempts == 1  # the attempt before the crash counts
    after.store.close()


def test_a_callback_resumed_after_a_restart_reaches_delayed_agents_when_its_delay_passes(
    tmp_path: Path,
) -> None:
    """The generalist takes Sales after a 30 s delay; the restart lost the timer that looked again."""
    path = tmp_path / "contacts.sqlite3"
    before = Harness(path)
    first = before.inbound("+15555550101", "SalesNewOrdersQueue")
    callback = before.center.create_callback(first, "+15555550101")
    before.center.customer_disconnected(first)
    before.store.close()  # as after kill -9

    after = Harness(path)
    after.clock.set(before.clock.now() + 5)
    after.center.recover()
    after.center.set_agent_state("agent.generalist", "Available")
    assert after.offers("agent.generalist") == []  # still inside the 30 s delay
    after.advance(30)
    assert after.offers("agent.generalist") == [callback.id]
    after.store.close()
