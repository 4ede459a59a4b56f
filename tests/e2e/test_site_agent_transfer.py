"""Transfer to another queue on the local agent desktop, in Debian's chromium, against the real stack.

Priya asks for a call about a technical problem (the API, as the website does) → her test phone
rings and she answers → the web ingress flow queues her in Support - Technical → agent.support
accepts in the desk and transfers her to Sales - New Orders with the queue picker → agent.support is
in after-contact work → agent.sales, in a second browser context, gets the offer with Priya's screen
pop and accepts → Priya's phone is with the sales agent. Screenshots go to test-artifacts/site/.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
import requests
from playwright.sync_api import Browser, Locator, Page, expect

from local_connect.definitions import load_definitions
from tests.e2e.conftest import DETERMINISTIC_ARGS, StackProcess, start_stack
from tests.e2e.test_site_journey import assert_accessible, new_page, shot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("site_is_built")]

CUSTOMER, NUMBER = "priya", "+12025550102"
AGENT_PASSWORD = "Agent-demo-1"
FROM_QUEUE, TO_QUEUE = "Support - Technical", "Sales - New Orders"
# The picker excludes the contact's own queue; these are the template's other five.
OTHER_QUEUES = [
    "Sales - New Orders",
    "Sales - Upgrades",
    "Accounts - Billing",
    "Accounts - Profile Changes",
    "Support - Devices",
]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackProcess]:
    """A stack of its own (no other test's agents in the way), on a Monday afternoon: Support is open."""
    started = start_stack(tmp_path_factory.mktemp("transfer-stack"), *DETERMINISTIC_ARGS)
    yield started
    started.stop()


def available_agent(browser: Browser, stack: StackProcess, username: str) -> Page:
    desk = new_page(browser)  # each agent in a browser context of its own
    sign_in(desk, stack, "/agent", username, AGENT_PASSWORD)
    desk.get_by_role("button", name="Go available").click()
    expect(desk.get_by_test_id("agent-state")).to_have_text("Available")
    return desk


def ask_for_a_call(stack: StackProcess) -> str:
    """What the website's "Call me now" sends: Support / technical problem, to Priya's verified number."""
    answer = requests.post(
        stack.base_url + "/api/connect/contact",
        json={
            "destinationPhoneNumber": NUMBER,
            "contactFlowId": load_definitions().flows["WebIngressFlow"].id,
            "attributes": {
                "department": "support",
                "issue": "technical",
                "language": "en-US",
                "note": "Internet down since this morning",
            },
        },
        headers={"Authorization": f"Bearer {stack.token(CUSTOMER)}", "Origin": stack.base_url},
        timeout=20,
    )
    assert answer.status_code == 202, answer.text
    return str(answer.json()["contactId"])


def expect_priya(pop: Locator, queue: str) -> None:
    expect(pop.get_by_role("heading", level=3)).to_contain_text("Priya Patel")
    expect(pop).to_contain_text("VIP")
    expect(pop).to_contain_text("Verified (website)")
    expect(pop).to_contain_text("Support / Service outage or technical problem")
    expect(pop).to_contain_text("Internet down since this morning")
    expect(pop).to_contain_text(NUMBER)
    expect(pop).to_contain_text(queue)


def test_an_agent_transfers_the_caller_to_sales_and_the_sales_agent_takes_her(
    stack: StackProcess, browser: Browser
) -> None:
    support = available_agent(browser, stack, "agent.support")
    sales = available_agent(browser, stack, "agent.sales")

    phone = f"/local/phones/{quote(NUMBER)}"
    after = int(stack.get(phone)["last"])
    contact_id = ask_for_a_call(stack)
    ringing = stack.wait_for(phone, "ringing", after=after, timeout=15, contactId=contact_id)
    stack.post(f"{phone}/answer")
    stack.wait_for(phone, "queued", after=ringing["seq"], timeout=20, queue_name=FROM_QUEUE)

    # agent.support: the offer, accepted; while connected, the picker lists every other queue.
    pop = support.get_by_test_id("screen-pop")
    expect(pop).to_be_visible(timeout=15_000)
    expect_priya(pop, FROM_QUEUE)
    support.get_by_role("button", name="Accept").click()
    expect(support.get_by_test_id("agent-state")).to_have_text("On contact")
    connected = stack.wait_for(phone, "connected", after=ringing["seq"], timeout=15)
    picker = support.get_by_label("Transfer to another queue")
    expect(picker.locator("option")).to_have_text(["Choose a queue", *OTHER_QUEUES])
    transfer = support.get_by_role("button", name="Transfer", exact=True)
    expect(transfer).to_be_disabled()  # until a queue is chosen
    picker.select_option(label=TO_QUEUE)
    expect(transfer).to_be_enabled()
    shot(support, "12-agent-transfer-picker")
    assert_accessible(support)

    # By keyboard: from the picker, Tab to Transfer and press Enter.
    picker.focus()
    support.keyboard.press("Tab")
    expect(transfer).to_be_focused()
    support.keyboard.press("Enter")
    expect(support.get_by_test_id("agent-state")).to_have_text("After contact work")
    expect(support.get_by_role("status")).to_contain_text(f"Transferred to {TO_QUEUE}.")
    expect(support.get_by_label("Transfer to another queue")).to_have_count(0)
    moved = stack.wait_for(phone, "transferred", after=connected["seq"], timeout=15, queue=TO_QUEUE)
    assert moved["contactId"] != contact_id
    shot(support, "13-agent-transferred-acw")
    assert_accessible(support)

    # agent.sales, in the other browser context: the same customer pops, now in Sales - New Orders.
    pop = sales.get_by_test_id("screen-pop")
    expect(pop).to_be_visible(timeout=15_000)
    expect_priya(pop, TO_QUEUE)
    expect(pop).to_contain_text("How they reached usTransfer")  # a label, not the TRANSFER code
    expect(sales.get_by_role("status")).to_contain_text("Incoming contact")
    shot(sales, "14-sales-agent-transfer-offer")
    assert_accessible(sales)
    sales.get_by_role("button", name="Accept").click()
    expect(sales.get_by_test_id("agent-state")).to_have_text("On contact")
    with_sales = stack.wait_for(
        phone, "connected", after=moved["seq"], timeout=15, contactId=moved["contactId"]
    )
    assert with_sales["agent"] == "Sam Sales"
    shot(sales, "15-sales-agent-on-transferred-contact")

    # The records: the first contact ended TRANSFERRED by agent.support; the new one is agent.sales'.
    queues = load_definitions().queues
    first = stack.get(f"/local/contacts/{contact_id}")
    assert (first["Agent"], first["DisconnectReason"]) == ("agent.support", "TRANSFERRED")
    second = stack.get(f"/local/contacts/{moved['contactId']}")
    assert second["InitiationMethod"] == "TRANSFER" and second["PreviousContactId"] == contact_id
    assert second["InitialContactId"] == contact_id
    assert (second["Agent"], second["QueueId"]) == ("agent.sales", queues["SalesNewOrdersQueue"].id)
    assert second["Attributes"]["Verified"] == "true"

    # agent.support finishes after-contact work and is available again; agent.sales ends the call.
    # (after-contact work asks for an outcome first; it is saved on the contact record)
    support.get_by_label("Outcome (disposition code)").select_option(label="Resolved")
    support.get_by_role("button", name="Save and finish").click()
    expect(support.get_by_test_id("agent-state")).to_have_text("Available")
    sales.get_by_role("button", name="End contact").click()
    expect(sales.get_by_test_id("agent-state")).to_have_text("After contact work")
    sales.context.close()
    support.context.close()
