"""The browser test phone (/local/phone) in Debian's chromium: dial, keypad, queue, agent, ringing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from local_connect.definitions import load_definitions
from tests.e2e.conftest import DETERMINISTIC_ARGS, StackProcess, start_stack

pytestmark = pytest.mark.e2e

EMILY = "+14155550106"
HIRO = "+13125550109"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackProcess]:
    running = start_stack(tmp_path_factory.mktemp("phone-page"), *DETERMINISTIC_ARGS)
    yield running
    running.stop()
    assert "Traceback" not in running.log(), running.log()[-4000:]


def _phone(browser: Browser, stack: StackProcess, number: str) -> Page:
    page = browser.new_page()
    page.goto(f"{stack.base_url}/local/phone?number={number.replace('+', '%2B')}")
    expect(page.locator("#status")).to_have_text("Idle")
    return page


def _press(page: Page, key: str) -> None:
    page.locator("#keypad").get_by_role("button", name=key, exact=True).click()


def test_the_browser_phone_dials_in_uses_the_keypad_and_reaches_an_agent(
    browser: Browser, stack: StackProcess
) -> None:
    stack.post("/local/agents/agent.support2/state", {"state": "Available"})
    page = _phone(browser, stack, EMILY)
    expect(page.locator("#speech-notice")).to_be_hidden()  # espeak-ng is installed by the Makefile
    page.get_by_role("button", name="Call").click()
    log = page.locator("#log")
    expect(log).to_contain_text("Para español, oprima 2.")
    _press(page, "1")
    expect(log).to_contain_text("Welcome back.")
    expect(log).to_contain_text("technical support, press 3")
    _press(page, "3")
    expect(log).to_contain_text("press 1", timeout=10_000)
    _press(page, "1")
    expect(page.locator("#status")).to_have_text("Waiting in queue")

    offer = stack.get("/local/agents/agent.support2")["contact"]
    assert offer["customerNumber"] == EMILY
    stack.post(f"/local/agents/agent.support2/contacts/{offer['contactId']}/accept")
    expect(page.locator("#status")).to_have_text("Talking to Diego Support")
    page.get_by_role("button", name="Hang up").click()
    expect(page.locator("#status")).to_have_text("Idle")
    record = stack.get(f"/local/contacts/{offer['contactId']}")
    assert record["DisconnectReason"] == "CUSTOMER_DISCONNECT" and record["Agent"] == "agent.support2"
    page.close()


def test_the_browser_phone_rings_for_an_outbound_call_and_answers(
    browser: Browser, stack: StackProcess
) -> None:
    import boto3

    defs = load_definitions()
    page = _phone(browser, stack, HIRO)
    client = boto3.client(
        "connect",
        endpoint_url=stack.base_url + "/connect-api",
        region_name="us-east-1",
        aws_access_key_id="x",
        aws_secret_access_key="x",
    )
    client.start_outbound_voice_contact(
        InstanceId=defs.instance_id,
        ContactFlowId=defs.flows["WebIngressFlow"].id,
        DestinationPhoneNumber=HIRO,
        QueueId=defs.queues["SupportDevicesQueue"].id,
        Attributes={"Verified": "true", "issue": "devices", "CustomerName": "Hiro"},
    )
    expect(page.locator("#status")).to_contain_text("Ringing")
    expect(page.get_by_role("button", name="Answer")).to_be_enabled()
    page.get_by_role("button", name="Answer").click()
    expect(page.locator("#log")).to_contain_text("Hiro")
    expect(page.locator("#status")).to_have_text("Waiting in queue")
    page.get_by_role("button", name="Hang up").click()
    expect(page.locator("#status")).to_have_text("Idle")
    page.close()


def test_one_call_per_log_with_times_and_keys_logged_when_pressed(
    browser: Browser, stack: StackProcess
) -> None:
    first = _phone(browser, stack, EMILY)
    first.get_by_role("button", name="Call").click()
    log = first.locator("#log")
    expect(log).to_contain_text("Para español, oprima 2.")
    _press(first, "1")
    expect(log).to_contain_text("Welcome back.")
    lines = log.locator("li").all_inner_texts()  # newest first
    pressed = next(i for i, line in enumerate(lines) if line.endswith("pressed 1"))
    welcome = next(i for i, line in enumerate(lines) if "Welcome back." in line)
    assert welcome < pressed, lines  # the key came before the prompt it caused, as it happened
    times = log.locator("li time").all_inner_texts()
    assert len(times) == len(lines) and all(len(t) == 8 and t[2] == ":" for t in times), times
    first.get_by_role("button", name="Hang up").click()
    expect(first.locator("#status")).to_have_text("Idle")
    first.close()

    # A phone page opened later starts clean: no earlier call's lines, no old prompt spoken again.
    again = _phone(browser, stack, EMILY)
    again.wait_for_timeout(1500)  # time for a replay from event 0 to arrive, if there were one
    expect(again.locator("#log li")).to_have_count(0)
    again.get_by_role("button", name="Call").click()
    log = again.locator("#log")
    expect(log).to_contain_text("Para español, oprima 2.")
    expect(log.locator("li", has_text="Call started")).to_have_count(1)
    expect(log).not_to_contain_text("Welcome back")  # that was the previous call
    again.get_by_role("button", name="Hang up").click()
    expect(again.locator("#status")).to_have_text("Idle")
    # A new call clears the log of the last one on the same page.
    again.get_by_role("button", name="Call").click()
    expect(log.locator("li", has_text="Call started")).to_have_count(1)
    expect(log.locator("li", has_text="Call ended")).to_have_count(0)
    again.get_by_role("button", name="Hang up").click()
    again.close()


UMA = "+12025550103"  # on file, no PIN enrolled
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "phone"


def test_the_browser_phone_shows_the_code_texted_to_it_and_the_caller_enters_it(
    browser: Browser, stack: StackProcess
) -> None:
    page = _phone(browser, stack, UMA)
    page.get_by_role("button", name="Call").click()
    log = page.locator("#log")
    expect(log).to_contain_text("Para español, oprima 2.")
    _press(page, "1")
    expect(log).to_contain_text("technical support, press 3")
    _press(page, "2")
    expect(log).to_contain_text("press star to get a code by text message", timeout=10_000)
    _press(page, "*")
    _press(page, "#")
    sms = log.locator("li.sms")
    expect(sms).to_contain_text(re.compile(r"SMS: Your JAM code is \d{6}\. It expires in 5 minutes\."))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "code-by-text.png"), full_page=True)
    code = re.search(r"code is (\d{6})", sms.inner_text())
    assert code is not None
    for key in code.group(1):
        _press(page, key)
    expect(log).to_contain_text("your identity is verified")
    page.get_by_role("button", name="Hang up").click()
    expect(page.locator("#status")).to_have_text("Idle")
    page.close()
