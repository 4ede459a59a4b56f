"""The local agent desk as agents live in it, in Debian's chromium against the real local stack.

A website call is offered to agent.support: the desk rings (a Web Audio ring, counted here by
wrapping the page's AudioContext, and a visible banner and tab title) with an offer timer → accept
→ talk time → hold and resume (hold timer) → end → after-contact work with its timer, a disposition
code and notes, saved on the contact record through the Connect twin's UpdateContactAttributes →
Available. The record then carries DispositionCode and AgentNotes. axe checks every screen;
screenshots go to test-artifacts/site/.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import DETERMINISTIC_ARGS, StackProcess, start_stack
from tests.e2e.test_site_agent_transfer import NUMBER, ask_for_a_call
from tests.e2e.test_site_journey import assert_accessible, new_page, shot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("site_is_built")]

# Counts the tones the desk starts: the ring is made with Web Audio oscillators, no sound file.
COUNT_TONES = """
(() => {
  window.__tones = 0;
  const original = AudioContext.prototype.createOscillator;
  AudioContext.prototype.createOscillator = function () { window.__tones += 1; return original.call(this); };
})();
"""


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackProcess]:
    """A stack of its own, on a Monday afternoon (Support open), with no other agents in the way."""
    started = start_stack(tmp_path_factory.mktemp("desk-stack"), *DETERMINISTIC_ARGS)
    yield started
    started.stop()


def test_ring_timers_and_after_contact_work_saved_on_the_record(
    stack: StackProcess, browser: Browser
) -> None:
    desk = new_page(browser)
    desk.add_init_script(COUNT_TONES)
    sign_in(desk, stack, "/agent", "agent.support", "Agent-demo-1")
    desk.get_by_role("button", name="Go available").click()
    expect(desk.get_by_test_id("agent-state")).to_have_text("Available")

    phone = f"/local/phones/{quote(NUMBER)}"
    after = int(stack.get(phone)["last"])
    contact_id = ask_for_a_call(stack)
    ringing = stack.wait_for(phone, "ringing", after=after, timeout=15)
    stack.post(f"{phone}/answer")
    stack.wait_for(phone, "queued", after=ringing["seq"], timeout=20)

    banner = desk.get_by_test_id("contact-banner")
    expect(banner).to_have_attribute("data-ringing", "true", timeout=15_000)
    expect(banner).to_contain_text("Incoming contact")
    expect(desk).to_have_title("Incoming contact · Agent desktop · JAM Contact Center")
    expect(desk.get_by_role("timer", name="Ringing for")).to_have_text("0:01", timeout=5_000)
    desk.wait_for_function("window.__tones >= 2")  # both tones of at least one ring
    pop = desk.get_by_test_id("screen-pop")
    expect(pop).to_contain_text("How they reached usWebsite")
    expect(pop).to_contain_text("LanguageEnglish")
    shot(desk, "desk-01-ringing")
    assert_accessible(desk)

    desk.get_by_role("button", name="Accept").click()
    expect(desk.get_by_test_id("agent-state")).to_have_text("On contact")
    expect(banner).to_have_attribute("data-ringing", "false")
    expect(desk).to_have_title("Agent desktop · JAM Contact Center")
    tones = desk.evaluate("window.__tones")
    expect(desk.get_by_role("timer", name="Talk time")).to_have_text("0:01", timeout=5_000)
    desk.get_by_role("button", name="Hold").click()
    expect(desk.get_by_role("timer", name="On hold for")).to_have_text("0:01", timeout=5_000)
    shot(desk, "desk-02-on-hold-timers")
    assert_accessible(desk)
    desk.get_by_role("button", name="Resume").click()
    expect(desk.get_by_role("timer", name="Total hold")).to_be_visible()
    assert desk.evaluate("window.__tones") == tones, "the ring goes on after the offer was accepted"

    desk.get_by_role("button", name="End contact").click()
    expect(desk.get_by_test_id("agent-state")).to_have_text("After contact work")
    expect(desk.get_by_role("timer", name="After-contact work")).to_be_visible()
    form = desk.get_by_test_id("acw-form")
    form.get_by_role("button", name="Save and finish").click()
    expect(form.get_by_text("Choose an outcome before finishing.")).to_be_visible()
    form.get_by_label("Outcome (disposition code)").select_option(label="Needs a follow-up")
    form.get_by_label("Notes for the contact record").fill("Router replaced; check the line on Friday")
    shot(desk, "desk-03-after-contact-work")
    assert_accessible(desk)
    form.get_by_role("button", name="Save and finish").click()
    expect(desk.get_by_test_id("agent-state")).to_have_text("Available")

    record = stack.get(f"/local/contacts/{contact_id}")
    assert record["Attributes"]["DispositionCode"] == "FOLLOW_UP"
    assert record["Attributes"]["AgentNotes"] == "Router replaced; check the line on Friday"
    stack.post(f"{phone}/hangup")
    desk.context.close()
