"""The supervisor page as a supervisor reads it, in Debian's chromium against the real local stack.

The page is open while a website call comes in: the queue charts (uPlot, loaded lazily) draw the
samples the page keeps; agent.support lets the offer ring out and shows as missed, highlighted with
what to do; then takes the call, ends it and wraps up with a disposition code. The supervisor opens
that contact's record: its timeline, and the wrap-up among its attributes, in words. axe checks
every screen; screenshots go to test-artifacts/site/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import DETERMINISTIC_ARGS, StackProcess, start_stack
from tests.e2e.test_site_agent_transfer import NUMBER, ask_for_a_call
from tests.e2e.test_site_journey import assert_accessible, new_page, shot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("site_is_built")]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackProcess]:
    """A stack of its own whose offers ring out after 4 s, so "missed" happens in a moment."""
    args = list(DETERMINISTIC_ARGS)
    args[args.index("--offer-timeout") + 1] = "4"
    started = start_stack(tmp_path_factory.mktemp("supervisor-stack"), *args)
    yield started
    started.stop()


def test_charts_missed_agent_and_a_records_details(stack: StackProcess, browser: Browser) -> None:
    supervisor = new_page(browser)
    sign_in(supervisor, stack, "/supervisor", "supervisor", "Supervisor-demo-1")
    desk = new_page(browser)
    sign_in(desk, stack, "/agent", "agent.support", "Agent-demo-1")
    desk.get_by_role("button", name="Go available").click()
    expect(desk.get_by_test_id("agent-state")).to_have_text("Available")

    phone = f"/local/phones/{quote(NUMBER)}"
    after = int(stack.get(phone)["last"])
    contact_id = ask_for_a_call(stack)
    ringing = stack.wait_for(phone, "ringing", after=after, timeout=15)
    stack.post(f"{phone}/answer")
    stack.wait_for(phone, "queued", after=ringing["seq"], timeout=20)

    # Nobody answers the offer: the agent is Missed, and the supervisor sees it at once.
    expect(desk.get_by_test_id("agent-state")).to_have_text("Missed a contact", timeout=15_000)
    agents = supervisor.get_by_test_id("agents")
    missed = agents.get_by_role("row", name=re.compile(r"agent\.support\)"))
    expect(missed).to_have_class(re.compile(r"\bis-missed\b"), timeout=10_000)
    expect(missed).to_contain_text("Missed an offer: gets no contacts until they choose Available again.")
    technical = supervisor.get_by_test_id("queues").get_by_role(
        "row", name=re.compile(r"^Support - Technical")
    )
    expect(technical.get_by_role("cell").first).to_have_text("1")
    # The charts draw the page's own samples (the API reports the present only).
    depth = supervisor.get_by_test_id("chart-depth")
    expect(depth.locator("canvas")).to_have_count(1, timeout=10_000)
    expect(depth.locator(".u-legend")).to_contain_text("Support - Technical")
    shot(supervisor, "supervisor-01-charts-missed-agent")
    assert_accessible(supervisor)

    desk.get_by_role("button", name="Go available").click()
    desk.get_by_role("button", name="Accept").click(timeout=15_000)
    expect(desk.get_by_test_id("agent-state")).to_have_text("On contact")
    desk.get_by_role("button", name="End contact").click()
    desk.get_by_label("Outcome (disposition code)").select_option(label="Needs a follow-up")
    desk.get_by_label("Notes for the contact record").fill("Send a technician on Monday")
    desk.get_by_role("button", name="Save and finish").click()
    expect(desk.get_by_test_id("agent-state")).to_have_text("Available")
    stack.post(f"{phone}/hangup")

    supervisor.get_by_label("Search by number, contact id, agent or queue").fill(contact_id)
    opener = supervisor.get_by_role("button", name=f"Details of contact {contact_id}")
    expect(opener).to_be_visible(timeout=15_000)
    # The record is read every 10 s: wait until it carries the wrap-up, then open it.
    expect(supervisor.get_by_test_id("records")).to_contain_text("Agent hung up", timeout=15_000)
    supervisor.get_by_test_id("records").get_by_role("row").nth(1).click()
    details = supervisor.get_by_test_id("record-details")
    expect(details.get_by_role("heading", level=3)).to_be_focused()
    expect(details.get_by_test_id("record-attributes")).to_contain_text(
        "DispositionCodeNeeds a follow-up", timeout=15_000
    )
    expect(details.get_by_test_id("record-attributes")).to_contain_text(
        "AgentNotesSend a technician on Monday"
    )
    timeline = details.get_by_test_id("record-timeline")
    expect(timeline).to_contain_text("Started (Website)")
    expect(timeline).to_contain_text("Connected to agent.support")
    expect(timeline).to_contain_text("Ended: Agent hung up")
    details.scroll_into_view_if_needed()
    shot(supervisor, "supervisor-02-record-details")
    assert_accessible(supervisor)
    supervisor.context.close()
    desk.context.close()
