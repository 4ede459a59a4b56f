"""Agent presence through the real stack: a closed desk or a sign-out never leaves a caller waiting.

The stack runs with a 2-second desk timeout so a lost desk is noticed within the test; the desk page
sends a heartbeat every 10 s against the default 30 s (web/src/staff/AgentDesktop.tsx).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import requests

from local_connect.definitions import load_definitions
from local_connect.numbers import INBOUND_NUMBER
from tests.e2e.conftest import DETERMINISTIC_ARGS, StackProcess, start_stack
from tests.e2e.test_local_connect_calls import Desk, Phone

pytestmark = pytest.mark.e2e

DESK_TIMEOUT = 2.0
EMILY = "+14155550106"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackProcess]:
    running = start_stack(
        tmp_path_factory.mktemp("agents"), *DETERMINISTIC_ARGS, "--desk-timeout", str(DESK_TIMEOUT)
    )
    yield running
    running.stop()
    assert "Traceback" not in running.log(), running.log()[-4000:]


def _to_support_queue(phone: Phone) -> str:
    contact_id = str(phone.do("dial", {"to": INBOUND_NUMBER})["contactId"])
    phone.answer_prompt("LanguageOffer", "1")
    phone.answer_prompt("MainMenu", "3")
    phone.answer_prompt("SupportMenu", "1")
    phone.wait("queued")
    return contact_id


def test_a_closed_desk_goes_offline_and_the_next_caller_reaches_the_agent_still_there(
    stack: StackProcess,
) -> None:
    gone = Desk(stack, "agent.support")
    gone.available()
    gone.do("heartbeat")  # the desk page is open ...
    time.sleep(DESK_TIMEOUT / 2)
    assert gone.do("heartbeat")["state"] == "Available"
    # ... and its tab is closed: no more heartbeats.
    event = gone.wait("state", timeout=DESK_TIMEOUT * 4, state="Offline")
    assert event["reason"] == "desk_lost" and "Choose Available" in event["detail"]
    view = stack.get("/local/agents/agent.support")
    assert (view["state"], view["stateReason"]) == ("Offline", "desk_lost")

    here = Desk(stack, "agent.support2")
    here.available()
    phone = Phone(stack, EMILY)
    contact_id = _to_support_queue(phone)
    assert here.wait("offer")["contact"]["contactId"] == contact_id
    here.contact(contact_id, "accept")
    phone.wait("connected")
    phone.do("hangup")
    here.do("after-contact-work/complete")
    here.do("state", {"state": "Offline"})


def test_sign_out_sets_offline_at_once_and_an_offer_ringing_goes_back_to_the_queue(
    stack: StackProcess,
) -> None:
    desk = Desk(stack, "agent.support")
    desk.available()
    phone = Phone(stack, EMILY)
    contact_id = _to_support_queue(phone)
    assert desk.wait("offer")["contact"]["contactId"] == contact_id
    view = desk.do("sign-out")  # what the desk page's pagehide beacon sends
    assert (view["state"], view["stateReason"]) == ("Offline", "signed_out")
    assert desk.wait("offer_withdrawn")["contactId"] == contact_id
    record = stack.get(f"/local/contacts/{contact_id}")
    assert record["State"] == "QUEUED" and record["Position"] == 0  # still first in line

    other = Desk(stack, "agent.support2")
    other.available()
    assert other.wait("offer")["contact"]["contactId"] == contact_id
    phone.do("hangup")
    assert other.do("state", {"state": "Offline"})["state"] == "Offline"


def test_missed_says_why_and_how_to_recover(stack: StackProcess) -> None:
    desk = Desk(stack, "agent.support")
    desk.available()
    phone = Phone(stack, EMILY)
    _to_support_queue(phone)
    desk.wait("offer")
    stack.post("/local/clock", {"advance": 31})  # the 30 s offer timeout, skipped
    view = stack.get("/local/agents/agent.support")
    assert view["state"] == "Missed" and view["stateReason"] == "missed"
    assert "not accepted within 30 s" in view["stateDetail"] and "Choose Available" in view["stateDetail"]
    phone.do("hangup")
    assert desk.do("state", {"state": "Available"})["stateDetail"] is None
    desk.do("state", {"state": "Offline"})


JOHN = "+12025550101"  # demo PIN 2468 (data/seed/pins.json)


@pytest.mark.parametrize(("pin", "verified_by"), [("2468#", "pin"), ("1111#", None)])
def test_the_screen_pop_says_a_caller_passed_the_pin(
    stack: StackProcess, pin: str, verified_by: str | None
) -> None:
    desk = Desk(stack, "agent.accounts")
    desk.available()
    phone = Phone(stack, JOHN)
    contact_id = phone.do("dial", {"to": INBOUND_NUMBER})["contactId"]
    phone.answer_prompt("LanguageOffer", "1")
    phone.answer_prompt("MainMenu", "2")
    phone.answer_prompt("PinOrCode", pin)
    if verified_by is None:
        phone.answer_prompt("PinOrCode", pin)  # the second try, wrong again
    phone.answer_prompt("AccountsMenu", "1")
    offer = desk.wait("offer")["contact"]
    assert offer["contactId"] == contact_id
    pop = offer["screenPop"]
    assert pop["verifiedBy"] == verified_by
    assert pop["verified"] == ("true" if verified_by else None)
    phone.do("hangup")
    desk.do("state", {"state": "Offline"})


def test_an_agent_calls_a_customer_the_phone_rings_and_the_record_is_outbound(stack: StackProcess) -> None:
    defs = load_definitions()
    desk = Desk(stack, "agent.sales")
    phone = Phone(stack, JOHN)
    view = desk.do("dial", {"number": JOHN})
    assert view["state"] == "On contact" and view["contact"]["initiationMethod"] == "OUTBOUND"
    contact_id = view["contact"]["contactId"]
    ringing = phone.wait("ringing")
    assert ringing["contactId"] == contact_id and ringing["method"] == "OUTBOUND"
    assert ringing["caller"] == INBOUND_NUMBER  # the instance's claimed number (no queue caller id)
    phone.do("answer")
    assert phone.wait("connected")["agent"] == "Sam Sales"
    assert desk.wait("connected")["contactId"] == contact_id
    desk.contact(contact_id, "end")
    phone.wait("call_ended")
    record = stack.get(f"/local/contacts/{contact_id}")
    assert record["InitiationMethod"] == "OUTBOUND" and record["CustomerEndpoint"] == JOHN
    assert record["SystemEndpoint"] == INBOUND_NUMBER and record["Agent"] == "agent.sales"
    sales = defs.routing_profiles["SalesRoutingProfile"]
    assert record["QueueId"] == defs.queues[sales.default_outbound_queue_logical_id].id
    assert record["DisconnectReason"] == "AGENT_DISCONNECT" and record["ConnectedToAgentTimestamp"]

    # Calling the customer on screen back from after-contact work, who does not answer this time.
    again = desk.do("dial", {"number": view["contact"]["customerNumber"]})
    second = again["contact"]["contactId"]
    phone.wait("ringing", contactId=second)
    phone.do("hangup")  # declines
    desk.wait("state", state="After contact work", contactId=second)
    assert stack.get(f"/local/contacts/{second}")["DisconnectReason"] == "CUSTOMER_NOT_ANSWERED"
    assert desk.do("after-contact-work/complete")["state"] == "Available"
    desk.do("state", {"state": "Offline"})


def test_dialling_a_bad_number_is_refused_with_the_reason(stack: StackProcess) -> None:
    answer = requests.post(f"{stack.local}/agents/agent.sales/dial", json={"number": "12345"}, timeout=10)
    assert answer.status_code == 409 and "E.164" in answer.json()["detail"]
    assert stack.get("/local/agents/agent.sales")["state"] == "Offline"


UMA = "+12025550103"  # on file, no PIN enrolled


def test_a_caller_without_a_pin_is_verified_by_a_code_the_test_phone_receives(stack: StackProcess) -> None:
    desk = Desk(stack, "agent.accounts")
    desk.available()
    phone = Phone(stack, UMA)
    before = stack.get(f"/local/phones/{UMA}/sms", params={"limit": 0})["last"]
    contact_id = phone.do("dial", {"to": INBOUND_NUMBER})["contactId"]
    phone.answer_prompt("LanguageOffer", "1")
    phone.answer_prompt("MainMenu", "2")
    phone.answer_prompt("PinOrCode", "*#")  # no PIN: a code by text message
    phone.wait("prompt", promptId="CodeSent")
    phone.wait("prompt", promptId="CodePrompt")
    [text] = stack.get(f"/local/phones/{UMA}/sms", params={"after": before})["messages"]
    assert text["body"].startswith("Your JAM code is ") and "5 minutes" in text["body"]
    code = text["body"].split("code is ")[1][:6]
    phone.do("digits", {"digits": code})
    phone.wait("prompt", promptId="CodeVerified")
    phone.answer_prompt("AccountsMenu", "1")
    offer = desk.wait("offer")["contact"]
    assert offer["contactId"] == contact_id
    assert (offer["screenPop"]["verifiedBy"], offer["screenPop"]["verified"]) == ("code", "true")
    assert stack.get(f"/local/contacts/{contact_id}")["Attributes"]["CodeVerified"] == "true"
    phone.do("hangup")
    desk.do("state", {"state": "Offline"})
