"""The agent desk page in Debian's chromium: outbound calls to the test phone, and presence.

agent.sales signs in to /agent, dials John from "Call a number" → John's browser phone rings with
the contact center's number → he answers and talks to Sam Sales → the agent hangs up and, in
after-contact work, sees "Call back". Then presence: the desk's tab is closed and the agent is
Offline at once (the pagehide beacon); reopened, the desk says why and how to recover. Screenshots go
to test-artifacts/site/.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from local_connect.numbers import INBOUND_NUMBER
from tests.e2e.conftest import DETERMINISTIC_ARGS, StackProcess, start_stack
from tests.e2e.test_site_journey import assert_accessible, new_page, shot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("site_is_built")]

AGENT, PASSWORD = "agent.sales", "Agent-demo-1"
JOHN = "+12025550101"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackProcess]:
    started = start_stack(tmp_path_factory.mktemp("desk-page"), *DETERMINISTIC_ARGS, "--desk-timeout", "30")
    yield started
    started.stop()
    assert "Traceback" not in started.log(), started.log()[-4000:]


def _desk(browser: Browser, stack: StackProcess) -> Page:
    desk = new_page(browser)
    sign_in(desk, stack, "/agent", AGENT, PASSWORD)
    expect(desk.get_by_test_id("agent-state")).to_be_visible()
    return desk


def test_the_agent_calls_a_customer_from_the_desk_and_the_test_phone_rings(
    browser: Browser, stack: StackProcess
) -> None:
    phone = browser.new_page()
    phone.goto(f"{stack.base_url}/local/phone?number={JOHN.replace('+', '%2B')}")
    expect(phone.locator("#status")).to_have_text("Idle")
    desk = _desk(browser, stack)
    desk.get_by_label("Call a number").fill(JOHN)
    assert_accessible(desk)
    desk.get_by_role("button", name="Call", exact=True).click()
    expect(desk.get_by_test_id("agent-state")).to_have_text("On contact")
    expect(desk.get_by_test_id("screen-pop")).to_contain_text("Outbound call")
    expect(phone.locator("#status")).to_have_text(f"Ringing: {INBOUND_NUMBER} (OUTBOUND)")
    shot(desk, "desk-outbound-ringing")
    phone.get_by_role("button", name="Answer").click()
    expect(phone.locator("#status")).to_have_text("Talking to Sam Sales")
    desk.get_by_role("button", name="End contact").click()
    expect(desk.get_by_test_id("agent-state")).to_have_text("After contact work")
    expect(phone.locator("#status")).to_have_text("Idle")
    expect(desk.get_by_role("button", name=f"Call back {JOHN}")).to_be_visible()
    shot(desk, "desk-outbound-after-contact-work")
    record = next(c for c in stack.get("/local/contacts")["contacts"] if c["InitiationMethod"] == "OUTBOUND")
    assert record["CustomerEndpoint"] == JOHN and record["Agent"] == AGENT
    assert record["DisconnectReason"] == "AGENT_DISCONNECT" and record["ConnectedToAgentTimestamp"]
    desk.get_by_label("Outcome (disposition code)").select_option("RESOLVED")
    desk.get_by_role("button", name="Save and finish").click()
    expect(desk.get_by_test_id("agent-state")).to_have_text("Available")
    desk.context.close()
    phone.close()


def test_closing_the_desk_sets_the_agent_offline_and_the_desk_says_why(
    browser: Browser, stack: StackProcess
) -> None:
    desk = _desk(browser, stack)
    if desk.get_by_role("button", name="Go available").is_visible():
        desk.get_by_role("button", name="Go available").click()
    expect(desk.get_by_test_id("agent-state")).to_have_text("Available")
    desk.context.close()  # the tab (and its browser context) goes away: pagehide sends the sign-out
    deadline = time.monotonic() + 10
    while stack.get(f"/local/agents/{AGENT}")["state"] != "Offline" and time.monotonic() < deadline:
        time.sleep(0.2)
    view = stack.get(f"/local/agents/{AGENT}")
    assert (view["state"], view["stateReason"]) == ("Offline", "signed_out")  # not the 30 s timeout

    again = _desk(browser, stack)
    detail = again.get_by_test_id("agent-state-detail")
    expect(detail).to_contain_text("Set to Offline when you signed out. Choose Available")
    assert_accessible(again)
    shot(again, "desk-offline-reason")
    again.get_by_role("button", name="Go available").click()
    expect(again.get_by_test_id("agent-state")).to_have_text("Available")
    expect(detail).to_be_hidden()
    again.context.close()
