"""End-to-end proofs of the local contact center, through its real HTTP interfaces only.

The stack runs as a subprocess (`python -m local_connect serve`) with the template's flows, the
real Lambdas on their own SQLite file, the API and the local Cognito. The stack's clock starts on a
Monday at 15:00 in New York so every department is open, and `--clock-control` lets a test skip
the queue flow's 60-second hold message instead of sleeping through it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from jam_core.connect_lambda.phone import national_format
from local_connect.definitions import load_definitions
from local_connect.numbers import INBOUND_NUMBER
from tests.e2e.conftest import DETERMINISTIC_ARGS, StackProcess, start_stack

pytestmark = pytest.mark.e2e

STACK_ARGS = DETERMINISTIC_ARGS
MARIA = "+12025550100"  # VIP, Spanish-speaking, verified on the website
JOHN = "+12025550101"
PRIYA = "+12025550102"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackProcess]:
    running = start_stack(tmp_path_factory.mktemp("calls"), *STACK_ARGS)
    yield running
    running.stop()
    assert "Traceback" not in running.log(), running.log()[-4000:]


class Phone:
    """A test phone, as the browser page drives it: actions by POST, events by long poll."""

    def __init__(self, stack: StackProcess, number: str) -> None:
        self.stack = stack
        self.number = number
        self.path = f"/local/phones/{number}"
        self.seen = int(stack.get(self.path)["last"])

    def do(self, action: str, body: dict[str, Any] | None = None) -> Any:
        return self.stack.post(f"{self.path}/{action}", body)

    def wait(self, kind: str, timeout: float = 20.0, **match: Any) -> dict[str, Any]:
        event = self.stack.wait_for(self.path, kind, self.seen, timeout, **match)
        self.seen = event["seq"]
        return event

    def answer_prompt(self, prompt_id: str, digits: str) -> dict[str, Any]:
        prompt = self.wait("prompt", promptId=prompt_id)
        self.do("digits", {"digits": digits})
        return prompt


class Desk:
    """An agent desktop over /local/agents/<username>."""

    def __init__(self, stack: StackProcess, username: str) -> None:
        self.stack = stack
        self.path = f"/local/agents/{username}"
        self.seen = int(stack.get(self.path)["last"])

    def do(self, action: str, body: dict[str, Any] | None = None) -> Any:
        return self.stack.post(f"{self.path}/{action}", body)

    def available(self) -> None:
        # Incoming when work was already waiting: the offer comes with the state change.
        assert self.do("state", {"state": "Available"})["state"] in ("Available", "Incoming")

    def wait(self, kind: str, timeout: float = 20.0, **match: Any) -> dict[str, Any]:
        event = self.stack.wait_for(self.path, kind, self.seen, timeout, **match)
        self.seen = event["seq"]
        return event

    def contact(self, contact_id: str, action: str, body: dict[str, Any] | None = None) -> Any:
        return self.do(f"contacts/{contact_id}/{action}", body)


def test_a_inbound_spanish_vip_caller_reaches_support_and_answers_the_survey(stack: StackProcess) -> None:
    defs = load_definitions()
    agent = Desk(stack, "agent.support")
    agent.available()
    phone = Phone(stack, MARIA)
    contact_id = phone.do("dial", {"to": INBOUND_NUMBER})["contactId"]
    phone.answer_prompt("LanguageOffer", "2")
    greeting = phone.wait("prompt", promptId="WelcomeBack")
    # No name before verification: whoever holds her phone is not told whose it is.
    assert greeting["language"] == "es-US" and "Maria" not in greeting["text"]
    phone.answer_prompt("MainMenu", "3")
    phone.answer_prompt("SupportMenu", "1")
    phone.wait("queued")

    offer = agent.wait("offer")["contact"]
    assert offer["contactId"] == contact_id and offer["queueName"] == "Support - Technical"
    pop = offer["screenPop"]
    assert (pop["firstName"], pop["vip"], pop["language"]) == ("Maria", "true", "es-US")
    record = stack.get(f"/local/contacts/{contact_id}")
    assert record["Priority"] == 1  # VIP
    agent.contact(contact_id, "accept")
    assert phone.wait("connected")["agent"] == "Sofia Support"

    agent.contact(contact_id, "end")
    phone.wait("agent_left")
    phone.answer_prompt("Q1", "5")
    phone.answer_prompt("Q2", "4")
    phone.answer_prompt("Q3", "3")
    phone.wait("call_ended")

    record = stack.get(f"/local/contacts/{contact_id}")
    assert record["SurveyAnswers"] == {"Q1": "5", "Q2": "4", "Q3": "3"}
    assert record["InitiationMethod"] == "INBOUND" and record["CustomerEndpoint"] == MARIA
    assert record["QueueId"] == defs.queues["SupportTechnicalQueue"].id
    assert record["Agent"] == "agent.support" and record["DisconnectReason"] == "AGENT_DISCONNECT"
    assert record["LanguageCode"] == "es-US"
    stamps = ("InitiationTimestamp", "EnqueueTimestamp", "ConnectedToAgentTimestamp", "DisconnectTimestamp")
    values = [record[s] for s in stamps]
    assert all(values) and values == sorted(values)
    with sqlite3.connect(stack.state_dir / "jam.sqlite3") as db:  # the survey Lambda's own table
        rows = db.execute("SELECT * FROM survey_results").fetchall()
    assert any(contact_id in map(str, row) for row in rows)
    assert agent.do("after-contact-work/complete")["state"] == "Available"


def test_b_click_to_call_rings_the_verified_phone_and_routes_with_verified_attributes(
    stack: StackProcess,
) -> None:
    defs = load_definitions()
    agent = Desk(stack, "agent.accounts")
    agent.available()
    phone = Phone(stack, JOHN)
    token = stack.token("john")
    answer = requests.post(
        stack.base_url + "/api/connect/contact",
        json={
            "destinationPhoneNumber": JOHN,
            "contactFlowId": defs.flows["WebIngressFlow"].id,
            "attributes": {"department": "accounts", "issue": "billing", "language": "en-US"},
        },
        headers={"Authorization": f"Bearer {token}", "Origin": stack.base_url},
        timeout=20,
    )
    assert answer.status_code == 202, answer.text
    contact_id = answer.json()["contactId"]

    ringing = phone.wait("ringing")
    assert ringing["contactId"] == contact_id and ringing["method"] == "API"
    phone.do("answer")
    phone.wait("queued")
    offer = agent.wait("offer")["contact"]
    assert offer["contactId"] == contact_id and offer["queueName"] == "Accounts - Billing"
    assert offer["screenPop"]["verified"] == "true" and offer["screenPop"]["issue"] == "billing"
    agent.contact(contact_id, "accept")
    phone.wait("connected")
    record = stack.get(f"/local/contacts/{contact_id}")
    assert record["InitiationMethod"] == "API"
    assert record["Attributes"]["Verified"] == "true" and record["Attributes"]["CustomerId"]
    assert record["QueueId"] == defs.queues["AccountsBillingQueue"].id
    phone.do("hangup")
    agent.do("after-contact-work/complete")


def test_b_click_to_call_to_someone_elses_number_is_refused(stack: StackProcess) -> None:
    defs = load_definitions()
    answer = requests.post(
        stack.base_url + "/api/connect/contact",
        json={"destinationPhoneNumber": PRIYA, "contactFlowId": defs.flows["WebIngressFlow"].id},
        headers={"Authorization": f"Bearer {stack.token('john')}"},
        timeout=20,
    )
    assert answer.status_code in (403, 422), answer.text
    assert stack.get(f"/local/phones/{PRIYA}")["ringing"] is False


def _ask_for_a_callback(stack: StackProcess, phone: Phone) -> str:
    """Dial in, choose Sales > new orders, wait in queue, press 1 for a callback on this number."""
    phone.do("dial", {"to": INBOUND_NUMBER})
    phone.answer_prompt("LanguageOffer", "1")  # not 2: stay in English
    phone.answer_prompt("MainMenu", "1")
    phone.answer_prompt("SalesMenu", "1")
    phone.wait("queued")
    phone.wait("prompt", promptId="Hold")
    stack.post("/local/clock", {"advance": 61})  # the hold message's 60 s, skipped
    phone.answer_prompt("CallbackOffer", "1")
    confirm = phone.answer_prompt("ConfirmNumber", "1")  # call me back on this number
    assert national_format(phone.number) in confirm["text"]  # "202-555-0102", as its owner reads it
    phone.wait("prompt", promptId="CallbackConfirmed")
    phone.wait("call_ended")
    # No initial delay: the creation flow (CreateCallbackContact's ContactFlowId) queues the callback.
    stack.post("/local/clock", {"advance": 2})
    callbacks = [
        c
        for c in stack.get("/local/contacts", params={"limit": 50})["contacts"]
        if c["InitiationMethod"] == "CALLBACK"
        and c["CustomerEndpoint"] == phone.number
        and c["State"] == "QUEUED"
    ]
    assert len(callbacks) == 1, callbacks
    return str(callbacks[0]["ContactId"])


def test_c_a_queued_callback_rings_the_caller_when_an_agent_frees_up(stack: StackProcess) -> None:
    defs = load_definitions()
    phone = Phone(stack, PRIYA)
    callback_id = _ask_for_a_callback(stack, phone)
    record = stack.get(f"/local/contacts/{callback_id}")
    assert record["QueueId"] == defs.queues["SalesNewOrdersQueue"].id and record["PreviousContactId"]

    agent = Desk(stack, "agent.sales")
    agent.available()  # the agent frees up
    offer = agent.wait("offer")["contact"]
    assert offer["contactId"] == callback_id and offer["initiationMethod"] == "CALLBACK"
    agent.contact(callback_id, "accept")
    ringing = phone.wait("ringing")
    assert ringing["method"] == "CALLBACK" and ringing["contactId"] == callback_id
    phone.do("answer")
    phone.wait("connected")
    assert stack.get(f"/local/contacts/{callback_id}")["State"] == "CONNECTED"
    agent.contact(callback_id, "end")
    # The callback's creation flow set the survey as its disconnect flow: the caller hears it too.
    phone.wait("agent_left")
    phone.answer_prompt("Q1", "4")
    phone.answer_prompt("Q2", "5")
    phone.answer_prompt("Q3", "4")
    phone.wait("call_ended")
    assert stack.get(f"/local/contacts/{callback_id}")["SurveyAnswers"] == {"Q1": "4", "Q2": "5", "Q3": "4"}
    agent.do("after-contact-work/complete")


def test_d_queued_callbacks_survive_kill_9_and_cut_off_calls_are_closed(tmp_path: Path) -> None:
    state = tmp_path / "state"
    first = start_stack(state, *STACK_ARGS)
    try:
        numbers = (JOHN, PRIYA)
        callbacks = [_ask_for_a_callback(first, Phone(first, number)) for number in numbers]
        positions = [first.get(f"/local/contacts/{c}")["Position"] for c in callbacks]
        in_ivr = Phone(first, MARIA)
        cut_off = in_ivr.do("dial", {"to": INBOUND_NUMBER})["contactId"]
        in_ivr.wait("prompt", promptId="LanguageOffer")
    finally:
        first.kill()  # SIGKILL: no shutdown code runs
    assert first.process.returncode == -9

    second = start_stack(state, *STACK_ARGS, port=first.port)
    try:
        assert "2 queued callbacks resumed" in second.log()
        for callback_id, position in zip(callbacks, positions, strict=True):
            record = second.get(f"/local/contacts/{callback_id}")
            assert record["State"] == "QUEUED" and record["Position"] == position
        closed = second.get(f"/local/contacts/{cut_off}")
        assert closed["State"] == "DISCONNECTED" and closed["DisconnectReason"] == "TELECOM_PROBLEM"

        head = positions.index(0)  # Priya is a VIP: her callback went ahead of John's
        agent = Desk(second, "agent.sales")
        phone = Phone(second, numbers[head])
        agent.available()
        assert agent.wait("offer")["contact"]["contactId"] == callbacks[head]  # still first in line
        agent.contact(callbacks[head], "accept")
        phone.wait("ringing", contactId=callbacks[head])
    finally:
        second.stop()
