"""Verification by a one-time code: press star at the PIN prompt, get a code by SMS, enter it (two tries)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jam_core.tables.sms_outbox import SqliteSmsOutbox
from local_connect.flows.testing import FlowHarness, ScriptedCaller
from tests.flows.calls import JOHN, UMA, to_main_menu

pytestmark = pytest.mark.flow_scenario


def texts(database: Path, number: str) -> list[str]:
    return [m.body for m in SqliteSmsOutbox(str(database)).messages(number)]


def code_of(text: str) -> str:
    match = re.search(r"\b(\d{6})\b", text)
    assert match, text
    return match.group(1)


def ask_for_a_code(center: FlowHarness, language: str, number: str = UMA) -> ScriptedCaller:
    """Accounts, then star at the PIN prompt (no PIN enrolled, or forgotten)."""
    call = to_main_menu(center, number, language)
    call.press("2")
    call.expect_prompt("PinOrCode", language=language)
    call.press("*#")
    return call


def test_a_caller_without_a_pin_is_verified_by_a_code_by_text(
    center: FlowHarness, database: Path, language: str
) -> None:
    call = ask_for_a_code(center, language)
    call.expect_prompt("CodeSent", language=language)
    call.expect_prompt("CodePrompt", language=language)
    [text] = texts(database, UMA)
    assert text.startswith("Your JAM code is" if language == "en-US" else "Su código de JAM es")
    call.press(code_of(text))  # six digits end the input
    call.expect_prompts("CodeVerified", "AccountsMenu")
    call.expect_attributes(CodeSent="true", CodeVerified="true")
    assert "PinVerified" not in call.contact.attributes


def test_star_alone_asks_for_a_code_once_the_keys_stop(
    center: FlowHarness, database: Path, language: str
) -> None:
    call = to_main_menu(center, JOHN, language)  # has a PIN, forgot it
    call.press("2")
    call.press("*")
    call.silence()  # the time between keys runs out: "*" is the input
    call.expect_prompts("PinOrCode", "CodeSent", "CodePrompt")
    assert len(texts(database, JOHN)) == 1


def test_a_wrong_code_gets_a_second_try(center: FlowHarness, database: Path, language: str) -> None:
    call = ask_for_a_code(center, language)
    call.skip_prompts()
    code = code_of(texts(database, UMA)[0])
    call.press("000000" if code != "000000" else "111111")
    call.expect_prompts("CodeWrong", "CodePrompt")
    call.press(code)
    call.expect_prompts("CodeVerified", "AccountsMenu")


def test_two_wrong_codes_leave_verification_to_the_agent(
    center: FlowHarness, database: Path, language: str
) -> None:
    call = ask_for_a_code(center, language)
    call.skip_prompts()
    code = code_of(texts(database, UMA)[0])
    wrong = "000000" if code != "000000" else "111111"
    call.press(wrong)
    call.press(wrong)
    call.expect_prompts("CodeWrong", "CodePrompt", "CodeWrong", "CodeFailed", "AccountsMenu")
    call.expect_attributes(CodeVerified="false")
    call.press("1")
    call.expect_queue("Accounts - Billing")


def test_no_code_entered_leaves_verification_to_the_agent(center: FlowHarness, language: str) -> None:
    call = ask_for_a_code(center, language)
    call.skip_prompts()
    call.silence()
    call.expect_prompts("CodeFailed", "AccountsMenu")


@pytest.mark.parametrize("failure", ["lambda", "save"])
def test_a_code_that_cannot_be_sent_is_told(
    center: FlowHarness, database: Path, language: str, failure: str
) -> None:
    call = to_main_menu(center, UMA, language)
    call.press("2")
    if failure == "lambda":
        center.lambdas.fail("OtpVerificationFunction")
    else:
        center.center.fail("update_attributes")
    call.press("*#")
    call.expect_prompts("PinOrCode", "CodeNotSent", "AccountsMenu")
    if failure == "lambda":
        assert texts(database, UMA) == []


@pytest.mark.parametrize("failure", ["lambda", "save"])
def test_a_code_that_cannot_be_checked_is_a_wrong_try(
    center: FlowHarness, database: Path, language: str, failure: str
) -> None:
    call = ask_for_a_code(center, language)
    call.skip_prompts()
    code = code_of(texts(database, UMA)[0])
    if failure == "lambda":
        center.lambdas.fail("OtpVerificationFunction")
    else:
        center.center.fail("update_attributes")
    call.press(code)
    call.expect_prompts("CodeWrong", "CodePrompt")
    call.press(code)  # still valid: the failed check counted nothing or did not stick
    call.expect_prompts("CodeVerified" if failure == "lambda" else "CodeWrong")


@pytest.mark.parametrize("step", ["send", "verify"])
def test_prompts_failing_after_the_code_route_to_support(
    center: FlowHarness, database: Path, language: str, step: str
) -> None:
    call = to_main_menu(center, UMA, language)
    call.press("2")
    if step == "send":
        center.lambdas.fail("PromptsFunction")
        call.press("*#")
    else:
        call.press("*#")
        code = code_of(texts(database, UMA)[0])
        center.lambdas.fail("PromptsFunction")
        call.press(code)
    call.expect_queue("Support - Technical")


def test_a_code_prompt_that_cannot_be_played_goes_to_the_accounts_menu(
    center: FlowHarness, language: str
) -> None:
    center.center.failing_prompts.add("CodePrompt")
    call = ask_for_a_code(center, language)
    call.expect_prompts("CodeSent", "AccountsMenu")
