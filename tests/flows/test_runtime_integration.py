"""The engine inside the local runtime (wired by local_connect.runtime_flows): a test phone calls, the
ACD queues, an agent answers, the survey runs."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from jam_core.tables.surveys import SqliteSurveys
from local_connect.clock import ManualClock
from local_connect.numbers import INBOUND_NUMBER
from local_connect.runtime import Runtime, RuntimeOptions
from local_connect.runtime_flows import attach

MARIA = "+12025550100"


@pytest.fixture
def runtime(tmp_path: Path, database: Path) -> Any:
    clock = ManualClock(1_767_625_200.0)  # Monday 2026-01-05 10:00 in New York
    runtime = Runtime(RuntimeOptions(db_path=tmp_path / "acd.sqlite3", clock=clock))
    attach(runtime, str(database), lambda_env={"LOG_LEVEL": "ERROR"})
    yield runtime
    runtime.stop()


def heard(runtime: Any, number: str, after: int = 0) -> list[dict[str, Any]]:
    return [e.public() for e in runtime.channels.get(f"phone:{number}").since(after)]


def prompts(events: list[dict[str, Any]]) -> list[str | None]:
    return [e.get("promptId") for e in events if e["type"] == "prompt"]


def test_a_call_through_the_runtime(runtime: Any, database: Path) -> None:
    board, center = runtime.switchboard, runtime.center
    contact_id = board.dial(MARIA, INBOUND_NUMBER)
    assert prompts(heard(runtime, MARIA)) == ["Welcome", "LanguageOffer"]
    board.send_digits(MARIA, "2")  # Spanish
    board.send_digits(MARIA, "3")  # Support
    board.send_digits(MARIA, "2")  # Devices
    # Nobody is staffed yet: the callback is offered at once, before any "you are number 1".
    events = heard(runtime, MARIA)
    assert prompts(events)[2:] == [
        "WelcomeBack",
        "MainMenu",
        "SupportMenu",
        "NobodyStaffed",
        "CallbackOffer",
    ]
    languages = [e["language"] for e in events if e["type"] == "prompt"]
    assert languages[:2] == ["en-US", "en-US"] and set(languages[2:]) == {"es-US"}
    contact = center.contact(contact_id)
    assert (contact.queue_id, contact.priority) == (runtime.definitions.queues["SupportDevicesQueue"].id, 1)
    assert contact.attributes["FirstName"] == "Maria"

    center.set_agent_state("agent.support", "Available")
    offered = center.contact(contact_id)
    assert offered.agent_username == "agent.support"
    center.accept("agent.support", contact_id)
    seen = len(heard(runtime, MARIA))
    runtime.clock.advance(120)
    runtime.scheduler.run_due()
    assert prompts(heard(runtime, MARIA)[seen:]) == []  # the queue flow stopped when the agent answered

    center.end("agent.support", contact_id)  # the agent hangs up first: the survey runs
    board.send_digits(MARIA, "5")
    board.send_digits(MARIA, "4")
    board.send_digits(MARIA, "5")
    after = heard(runtime, MARIA)[seen:]
    assert prompts(after) == ["Intro", "Q1", "Q2", "Q3", "ThankYou"]
    assert after[-1]["type"] == "call_ended"
    # The survey names the agent who took the call ($.Agent.UserName), as /surveys/summary shows it.
    stored = SqliteSurveys(str(database)).get(contact_id)
    assert stored is not None
    assert (stored.agent_user_name, [a.score for a in stored.answers]) == ("agent.support", [5, 4, 5])


def test_a_full_queue_in_the_runtime_offers_a_callback(runtime: Any) -> None:
    board, center = runtime.switchboard, runtime.center
    queue = runtime.definitions.queues["SupportTechnicalQueue"]
    center.queues[queue.id] = dataclasses.replace(queue, max_contacts=0)  # this runtime's queue is full
    contact_id = board.dial("+12025550101", INBOUND_NUMBER)
    runtime.clock.advance(3)
    runtime.scheduler.run_due()  # no Spanish
    board.send_digits("+12025550101", "31")
    board.send_digits("+12025550101", "1")  # call me back
    assert prompts(heard(runtime, "+12025550101"))[-4:] == [
        "QueueFull",
        "CallbackOffer",
        "CallbackConfirmed",
        "Goodbye",
    ]
    callbacks = [c for c in center.contacts.values() if c.previous_contact_id == contact_id]
    assert [(c.customer_number, str(c.initiation_method)) for c in callbacks] == [
        ("+12025550101", "CALLBACK")
    ]
