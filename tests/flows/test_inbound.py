"""The inbound (introduction) flow, branch by branch, in English and Spanish, with the real Lambdas."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from local_connect.definitions import load_definitions
from local_connect.flows.coverage import Coverage
from local_connect.flows.loader import FlowLibrary
from local_connect.flows.testing import FlowHarness, ScriptedCaller, with_hours_overrides
from tests.flows.calls import (
    CANADA,
    CHRISTMAS_CLOSED,
    CUSTOMER_QUEUE_OPENING,
    JOHN,
    MARIA,
    NOT_A_NUMBER,
    STRANGER,
    UMA,
    choose_language,
    inbound,
    to_main_menu,
)

pytestmark = pytest.mark.flow_scenario

SUBMENUS = [
    ("1", "SalesMenu", "1", "Sales - New Orders"),
    ("1", "SalesMenu", "2", "Sales - Upgrades"),
    ("2", "AccountsMenu", "1", "Accounts - Billing"),
    ("2", "AccountsMenu", "2", "Accounts - Profile Changes"),
    ("3", "SupportMenu", "1", "Support - Technical"),
    ("3", "SupportMenu", "2", "Support - Devices"),
]


def test_known_vip_caller_is_greeted_without_her_name_and_queued_first(
    center: FlowHarness, language: str
) -> None:
    call = inbound(center, MARIA, language)
    greeting = call.expect_prompt("WelcomeBack", language=language)
    assert "Maria" not in greeting.text  # whoever holds her phone is not told whose it is
    call.expect_prompt("MainMenu")
    call.press("1")
    call.expect_prompt("SalesMenu", language=language)
    call.press("2")
    call.expect_queue("Sales - Upgrades", priority=1)
    call.expect_attributes(found="true", FirstName="Maria", VIP="true", AccountNumber="JAM-100100")
    # The customer-queue flow takes over in the caller's language.
    prompts = call.expect_prompts(*CUSTOMER_QUEUE_OPENING)
    assert all(p.language == language for p in prompts)
    assert call.contact.disconnect_flow == center.library.get("SurveyFlow").arn
    assert call.session.voice == ("Lupe" if language == "es-US" else "Joanna")


def test_unknown_caller_gets_no_greeting_and_normal_priority(center: FlowHarness, language: str) -> None:
    call = inbound(center, STRANGER, language)
    call.expect_prompt("MainMenu", language=language)
    call.press("3")
    call.expect_prompt("SupportMenu")
    call.press("1")
    call.expect_queue("Support - Technical", priority=5)
    call.expect_attributes(found="false")


@pytest.mark.parametrize(("main", "menu", "choice", "queue"), SUBMENUS)
def test_every_menu_choice_reaches_its_queue(
    center: FlowHarness, language: str, main: str, menu: str, choice: str, queue: str
) -> None:
    call = to_main_menu(center, STRANGER, language)
    call.press(main)
    call.expect_prompt(menu, language=language)
    call.press(choice)
    call.expect_queue(queue, priority=5)
    call.expect_prompts(*CUSTOMER_QUEUE_OPENING)


def test_main_menu_repeats_twice_then_routes_to_support(center: FlowHarness, language: str) -> None:
    call = to_main_menu(center, STRANGER, language)
    call.silence()
    call.expect_prompts("NoInput", "MainMenu")
    call.press("9")
    call.expect_prompts("InvalidInput", "MainMenu")
    call.silence()
    call.expect_prompts("NoInput", "DefaultRouting")
    call.expect_queue("Support - Technical")


@pytest.mark.parametrize(
    ("main", "menu", "default_queue"),
    [
        ("1", "SalesMenu", "Sales - New Orders"),
        ("2", "AccountsMenu", "Accounts - Billing"),
        ("3", "SupportMenu", "Support - Technical"),
    ],
)
def test_sub_menus_repeat_twice_then_take_the_department_default(
    center: FlowHarness, language: str, main: str, menu: str, default_queue: str
) -> None:
    call = to_main_menu(center, STRANGER, language)
    call.press(main)
    call.expect_prompt(menu)
    call.press("7")
    call.expect_prompts("InvalidInput", menu)
    call.silence()
    call.expect_prompts("NoInput", menu)
    call.press("0")  # not an option (9 repeats the menu and * goes back to the main menu)
    call.expect_prompts("InvalidInput", "DefaultRouting")
    call.expect_queue(default_queue)


def test_account_actions_with_the_right_pin_are_verified(center: FlowHarness, language: str) -> None:
    call = to_main_menu(center, MARIA, language)
    call.press("2")
    call.expect_prompt("PinOrCode", language=language)
    call.press("1234#")
    call.expect_prompts("PinVerified", "AccountsMenu")
    call.expect_attributes(PinVerified="true", PinLocked="false")
    call.press("2")
    call.expect_queue("Accounts - Profile Changes", priority=1)


def test_a_wrong_pin_leaves_verification_to_the_agent(center: FlowHarness, language: str) -> None:
    call = to_main_menu(center, JOHN, language)
    call.press("2")
    call.expect_prompt("PinOrCode")
    call.press("9999#")
    call.expect_prompts("PinRetry", "PinOrCode")  # a second try
    call.press("9998#")
    call.expect_prompts("PinRetry", "PinFailed", "AccountsMenu")
    call.expect_attributes(PinVerified="false")
    call.press("1")
    call.expect_queue("Accounts - Billing")


def test_the_second_try_may_be_right(center: FlowHarness, language: str) -> None:
    call = to_main_menu(center, JOHN, language)
    call.press("2")
    call.expect_prompt("PinOrCode")
    call.press("9999#")
    call.expect_prompts("PinRetry", "PinOrCode")
    call.press("2468#")
    call.expect_prompts("PinVerified", "AccountsMenu")
    call.expect_attributes(PinVerified="true")


def test_the_pin_locks_after_three_wrong_attempts(center: FlowHarness, language: str) -> None:
    call = to_main_menu(center, JOHN, language)
    call.press("2")
    call.press("0000#")
    call.press("0000#")  # two wrong in this call
    call.expect_prompts("PinOrCode", "PinRetry", "PinOrCode", "PinRetry", "PinFailed", "AccountsMenu")
    call.hang_up()
    call = to_main_menu(center, JOHN, language)
    call.press("2")
    call.press("0000#")  # the third: locked, no further try
    call.expect_prompts("PinOrCode", "PinLocked", "AccountsMenu")
    call.hang_up()
    call = to_main_menu(center, JOHN, language)
    call.press("2")
    call.press("2468#")  # even the right PIN: locked stays locked
    call.expect_prompts("PinOrCode", "PinLocked", "AccountsMenu")
    call.expect_attributes(PinVerified="false", PinLocked="true")


def test_a_caller_without_a_pin_is_not_verified(center: FlowHarness, language: str) -> None:
    call = to_main_menu(center, UMA, language)
    call.press("2")
    call.expect_prompt("PinOrCode")
    call.press("12345678")  # eight digits end the input without the pound key
    call.expect_prompts("PinRetry", "PinOrCode")


def test_waiting_skips_the_pin_without_counting_an_attempt(center: FlowHarness, language: str) -> None:
    call = to_main_menu(center, MARIA, language)
    call.press("2")
    call.expect_prompt("PinOrCode")
    before = len(center.lambdas.inner.calls)
    call.silence()
    call.expect_prompt("AccountsMenu")
    assert len(center.lambdas.inner.calls) == before  # the PIN Lambda was not called
    assert "PinVerified" not in call.contact.attributes


@pytest.mark.parametrize(
    ("when", "main", "choice", "closed_prompt"),
    [
        ("2026-01-04 10:00", "1", "1", "ClosedSales"),  # Sunday
        ("2026-01-10 18:00", "2", "2", "ClosedAccounts"),  # Saturday evening
        ("2026-01-05 23:30", "3", "2", "ClosedSupport"),  # Monday night
    ],
)
def test_closed_teams_say_when_they_open_and_offer_a_callback(
    center: FlowHarness, language: str, when: str, main: str, choice: str, closed_prompt: str
) -> None:
    center.set_local_time(when)
    call = to_main_menu(center, STRANGER, language)
    call.press(main)  # the department's hours come first: no sub-menu for a closed department
    call.expect_prompts(closed_prompt, "CallbackOffer")
    call.press("1")
    call.expect_prompts("CallbackConfirmed", "Goodbye")
    call.expect_disconnected()
    center.run_timers()  # the callback's creation flow queues it
    [(_, request, callback_id)] = center.center.callbacks
    assert request.number == STRANGER
    assert request.queue_arn == call.contact.queue_arn
    assert center.center.contacts[callback_id].state == "queued"


def test_closed_caller_may_decline_the_callback(center: FlowHarness, language: str) -> None:
    center.set_local_time("2026-01-04 10:00")
    call = to_main_menu(center, STRANGER, language)
    call.press("1")
    call.expect_prompts("ClosedSales", "CallbackOffer")
    call.press("2")
    call.expect_prompt("Goodbye")
    call.expect_disconnected()
    assert center.center.callbacks == []


@pytest.mark.parametrize("reply", ["silence", "9"])
def test_no_answer_to_the_callback_offer_says_goodbye(center: FlowHarness, language: str, reply: str) -> None:
    center.set_local_time("2026-01-04 10:00")
    call = to_main_menu(center, STRANGER, language)
    call.press("1")
    call.expect_prompts("ClosedSales", "CallbackOffer")
    if reply == "silence":
        call.silence()
    else:
        call.press(reply)
    call.expect_prompt("Goodbye")
    call.expect_disconnected()


@pytest.mark.parametrize("number", [NOT_A_NUMBER, CANADA])
def test_no_callback_to_a_number_the_center_cannot_call(
    center: FlowHarness, language: str, number: str
) -> None:
    center.set_local_time("2026-01-04 10:00")
    call = to_main_menu(center, number, language)
    call.press("1")
    call.expect_prompts("ClosedSales", "CallbackOffer")
    call.press("1")
    call.expect_prompts("CallbackFailed", "Goodbye")
    call.expect_disconnected()
    assert center.center.callbacks == []


def test_a_full_queue_offers_a_callback(center: FlowHarness, language: str) -> None:
    center.center.capacity[center.queue_arn("Support - Devices")] = 0
    call = to_main_menu(center, JOHN, language)
    call.press("3")
    call.skip_prompts()
    call.press("2")
    call.expect_prompts("QueueFull", "CallbackOffer")
    call.press("1")
    call.expect_prompts("CallbackConfirmed", "Goodbye")
    [(_, request, _)] = center.center.callbacks
    assert request.queue_arn == center.queue_arn("Support - Devices")
    assert (request.max_attempts, request.initial_delay, request.retry_delay) == (3, 60.0, 300.0)


def test_callback_creation_failure_is_told(center: FlowHarness, language: str) -> None:
    center.set_local_time("2026-01-04 10:00")
    call = to_main_menu(center, STRANGER, language)
    call.press("1")
    call.skip_prompts()
    center.center.fail("create_callback")
    call.press("1")
    call.expect_prompts("CallbackFailed", "Goodbye")


def test_a_failed_transfer_apologises_and_ends_the_call(center: FlowHarness, language: str) -> None:
    center.center.fail("transfer_to_queue")
    call = to_main_menu(center, STRANGER, language)
    call.press("3")
    call.skip_prompts()
    call.press("1")
    call.expect_prompt("TransferError", language=language)
    call.expect_disconnected()


@pytest.mark.parametrize(("main", "menu", "choice", "queue"), SUBMENUS)
def test_a_queue_that_cannot_be_set_ends_the_call_politely(
    center: FlowHarness, language: str, main: str, menu: str, choice: str, queue: str
) -> None:
    call = to_main_menu(center, STRANGER, language)
    call.press(main)
    call.expect_prompt(menu)
    center.center.fail("set_routing")
    call.press(choice)
    call.expect_prompt("TransferError")
    call.expect_disconnected()


@pytest.mark.parametrize(("main", "menu"), [("1", "SalesMenu"), ("2", "AccountsMenu"), ("3", "SupportMenu")])
def test_hours_unavailable_lets_the_queue_decide(
    center: FlowHarness, language: str, main: str, menu: str
) -> None:
    center.center.fail("hours_open")
    call = to_main_menu(center, STRANGER, language)
    call.press(main)
    call.expect_prompt(menu, language=language)


# ---------------------------------------------------------------- [ivr-order]: the department's hours first


@pytest.mark.parametrize(("main", "menu"), [("1", "SalesMenu"), ("2", "AccountsMenu"), ("3", "SupportMenu")])
def test_the_department_is_noted_and_its_hours_checked_before_its_menu(
    center: FlowHarness, language: str, main: str, menu: str
) -> None:
    call = to_main_menu(center, STRANGER, language)
    call.press(main)
    call.expect_prompt(menu, language=language)
    department = {"1": "sales", "2": "accounts", "3": "support"}[main]
    call.expect_attributes(department=department)


@pytest.mark.parametrize("main", ["1", "2", "3"])
def test_a_department_that_cannot_be_noted_is_still_served(
    center: FlowHarness, language: str, main: str
) -> None:
    call = to_main_menu(center, STRANGER, language)
    center.center.fail("update_attributes")
    call.press(main)
    call.skip_prompts()
    assert "department" not in call.contact.attributes
    assert call.contact.queue_arn  # the department's queue is set all the same


@pytest.mark.parametrize("main", ["1", "2", "3"])
def test_a_department_queue_that_cannot_be_set_ends_the_call_politely(
    center: FlowHarness, language: str, main: str
) -> None:
    call = to_main_menu(center, STRANGER, language)
    center.center.fail("set_routing")
    call.press(main)
    call.expect_prompt("TransferError", language=language)
    call.expect_disconnected()


def test_a_closed_accounts_department_asks_no_pin(center: FlowHarness, language: str) -> None:
    center.set_local_time("2026-01-10 18:00")  # Saturday evening: Accounts is closed
    call = to_main_menu(center, JOHN, language)  # a customer with a PIN
    call.press("2")
    call.expect_prompts("ClosedAccounts", "CallbackOffer")
    assert "PinVerified" not in call.contact.attributes


@pytest.mark.parametrize(
    ("failure", "outcome"),
    [(None, "Support - Technical"), ("hours_open", "Support - Technical"), ("set_routing", None)],
)
def test_a_caller_who_fails_the_main_menu_goes_to_the_general_queue_if_open(
    center: FlowHarness, language: str, failure: str | None, outcome: str | None
) -> None:
    call = to_main_menu(center, STRANGER, language)
    for _ in range(2):
        call.silence()
        call.skip_prompts()
    if failure:
        center.center.fail(failure)
    call.silence()
    if outcome:
        call.expect_queue(outcome)
    else:
        call.expect_prompts("NoInput", "DefaultRouting", "TransferError")
        call.expect_disconnected()


def test_a_caller_who_fails_the_main_menu_when_closed_hears_when_support_opens(
    center: FlowHarness, language: str
) -> None:
    center.set_local_time("2026-01-05 23:30")  # Monday night: Support is closed
    call = to_main_menu(center, STRANGER, language)
    for _ in range(2):
        call.silence()
        call.skip_prompts()
    call.silence()
    call.expect_prompts("NoInput", "DefaultRouting", "ClosedSupport", "CallbackOffer")


def test_a_disconnect_flow_that_cannot_be_set_still_queues(center: FlowHarness, language: str) -> None:
    center.center.fail("set_disconnect_flow")
    call = to_main_menu(center, STRANGER, language)
    call.press("3")
    call.skip_prompts()
    call.press("2")
    call.expect_queue("Support - Devices")
    assert call.contact.disconnect_flow is None


def test_without_a_published_queue_flow_the_caller_still_queues(
    database: Path, library: FlowLibrary, coverage: Coverage, language: str
) -> None:
    partial = FlowLibrary({f.key: f for f in library if f.key != "CustomerQueueFlow"})
    center = FlowHarness(database, coverage=coverage, library=partial)
    center.set_local_time("2026-01-05 10:00")
    call = to_main_menu(center, STRANGER, language)
    call.press("3")
    call.skip_prompts()
    call.press("1")
    call.expect_queue("Support - Technical")
    call.expect_flow_ended()
    call.expect_silence()  # Connect's default queue music; no JAM queue prompts


def test_prompts_unavailable_routes_straight_to_support(center: FlowHarness) -> None:
    center.lambdas.fail("PromptsFunction", times=2)
    call = center.dial(STRANGER)
    call.expect_queue("Support - Technical", priority=5)
    call.expect_silence()  # nothing to say without prompts (the queue flow's prompts fail too)
    call.expect_flow_ended()


def test_prompts_unavailable_and_no_queue_ends_the_call(center: FlowHarness) -> None:
    center.lambdas.fail("PromptsFunction")
    center.center.fail("set_routing")
    call = center.dial(STRANGER)
    call.expect_disconnected()
    call.expect_silence()


def test_an_empty_prompts_table_routes_straight_to_support(center: FlowHarness, database: Path) -> None:
    with sqlite3.connect(database) as conn:
        conn.execute("DELETE FROM prompts WHERE contact_flow_name = 'JAM Inbound'")
    call = center.dial(STRANGER)
    call.expect_queue("Support - Technical")
    call.expect_prompts(*CUSTOMER_QUEUE_OPENING)


def test_prompts_failing_after_the_language_choice_route_to_support(
    center: FlowHarness, language: str
) -> None:
    center.lambdas.fail("PromptsFunction", after=1)
    call = inbound(center, STRANGER, language)
    call.expect_queue("Support - Technical")


def test_prompts_failing_after_the_language_choice_and_no_queue_ends_the_call(
    center: FlowHarness, language: str
) -> None:
    center.lambdas.fail("PromptsFunction", after=1)
    center.center.fail("set_routing")  # the fallback queue cannot be set either
    call = inbound(center, STRANGER, language)
    call.expect_disconnected()
    call.expect_silence()


def test_customer_lookup_down_treats_the_caller_as_unknown(center: FlowHarness, language: str) -> None:
    center.lambdas.fail("CustomerLookupFunction")
    call = inbound(center, MARIA, language)
    call.expect_prompt("MainMenu", language=language)  # no greeting by name
    assert "found" not in call.contact.attributes
    call.press("2")  # accounts: no PIN step for an unknown caller
    call.expect_prompt("AccountsMenu")


def test_attributes_that_cannot_be_saved_skip_the_greeting(center: FlowHarness, language: str) -> None:
    center.center.fail("update_attributes")
    call = inbound(center, MARIA, language)
    call.expect_prompt("MainMenu")


def test_vip_priority_failure_keeps_normal_priority(center: FlowHarness, language: str) -> None:
    call = center.dial(MARIA)
    call.skip_prompts()
    center.center.fail("set_routing")
    choose_language(call, language)
    call.expect_prompt("WelcomeBack", language=language)
    call.expect_prompt("MainMenu", language=language)
    call.press("3")
    call.skip_prompts()
    call.press("1")
    call.expect_queue("Support - Technical", priority=5)


def test_language_that_cannot_be_set_stays_english(center: FlowHarness) -> None:
    center.center.fail("update_contact_data", times=2)
    call = center.dial(STRANGER)
    call.skip_prompts()
    call.press("2")
    call.expect_language("en-US")
    call.expect_prompt("MainMenu", language="en-US")


def test_another_key_at_the_language_offer_keeps_english(center: FlowHarness) -> None:
    call = center.dial(STRANGER)
    call.skip_prompts()
    call.press("5")
    call.expect_language("en-US")
    call.expect_prompt("MainMenu", language="en-US")


def test_pin_check_down_leaves_verification_to_the_agent(center: FlowHarness, language: str) -> None:
    call = to_main_menu(center, MARIA, language)
    call.press("2")
    call.expect_prompt("PinOrCode")
    center.lambdas.fail("PinVerificationFunction", times=2)
    call.press("1234#")
    call.expect_prompts("PinRetry", "PinOrCode")
    call.press("1234#")
    call.expect_prompts("PinRetry", "PinFailed", "AccountsMenu")


def test_pin_result_that_cannot_be_saved_is_not_a_verification(center: FlowHarness, language: str) -> None:
    call = to_main_menu(center, MARIA, language)
    call.press("2")
    call.expect_prompt("PinOrCode")
    center.center.fail("update_attributes")
    call.press("1234#")
    call.expect_prompts("PinRetry", "PinOrCode")


def test_prompts_failing_after_the_pin_route_to_support(center: FlowHarness, language: str) -> None:
    call = to_main_menu(center, MARIA, language)
    call.press("2")
    call.expect_prompt("PinOrCode")
    center.lambdas.fail("PromptsFunction")
    call.press("1234#")
    call.expect_queue("Support - Technical", priority=1)


MENUS_AFTER_THE_LANGUAGE = [
    ((), "MainMenu", "DefaultRouting"),
    (("1",), "SalesMenu", "DefaultRouting"),
    (("2",), "AccountsMenu", "DefaultRouting"),
    (("3",), "SupportMenu", "DefaultRouting"),
    (("2",), "PinOrCode", "AccountsMenu"),
    (("3", "1"), "CallbackOffer", "Goodbye"),
]


@pytest.mark.parametrize(
    ("path", "failing_prompt", "outcome", "language"),
    # The language offer cannot be played: English it is (a Spanish call cannot get that far).
    [((), "LanguageOffer", "MainMenu", "en-US")]
    + [(*menu, language) for menu in MENUS_AFTER_THE_LANGUAGE for language in ("en-US", "es-US")],
)
def test_a_menu_that_cannot_be_played_takes_its_default(
    center: FlowHarness, path: tuple[str, ...], failing_prompt: str, outcome: str, language: str
) -> None:
    center.center.failing_prompts.add(failing_prompt)
    if failing_prompt == "CallbackOffer":
        center.set_local_time("2026-01-05 23:30")
    call = center.dial(JOHN if failing_prompt == "PinOrCode" else STRANGER)
    call.skip_prompts()
    if failing_prompt != "LanguageOffer":
        choose_language(call, language)
    for key in path:
        call.skip_prompts()
        call.press(key)
    heard = [p.prompt_id for p in call.prompts]
    assert failing_prompt not in heard
    assert outcome in heard
    assert call.prompts[-1].language == language
    assert any("prompt could not be played" in p for p in center.engine.problems)


def test_the_engine_reports_no_problem_on_a_plain_call(center: FlowHarness, language: str) -> None:
    call = to_main_menu(center, JOHN, language)
    call.press("1")
    call.skip_prompts()
    call.press("1")
    call.expect_queue("Sales - New Orders", priority=5)
    assert not center.engine.problems


def test_callback_number_that_cannot_be_saved_ends_the_call(center: FlowHarness, language: str) -> None:
    # UpdateContactCallbackNumber declares only InvalidCallbackNumber and CallbackNumberNotDialable
    # (reference and every export): a failure to store the number has no branch, so the call ends.
    center.set_local_time("2026-01-04 10:00")
    call = to_main_menu(center, STRANGER, language)
    call.press("1")
    call.skip_prompts()
    center.center.fail("update_contact_data")
    call.press("1")
    call.expect_silence()
    call.expect_disconnected()
    assert center.center.callbacks == []


# ---------------------------------------------------------------- closed: the next opening, spoken

CLOSED_DEPARTMENTS = {"1": "ClosedSales", "2": "ClosedAccounts", "3": "ClosedSupport"}


def closed_call(center: FlowHarness, when: str, language: str = "en-US") -> ScriptedCaller:
    """A stranger reaches the main menu at `when` (New York time); the department is pressed next,
    and its hours are checked before any sub-menu."""
    center.set_local_time(when)
    return to_main_menu(center, STRANGER, language)


@pytest.mark.parametrize(
    ("when", "main", "spoken"),
    [
        # Friday night: Sales has Saturday hours, Accounts (weekdays only) opens on Monday.
        (
            "2026-01-09 21:00",
            "1",
            "Our sales team is closed now and opens again tomorrow at 9:00 AM Eastern time.",
        ),
        (
            "2026-01-09 21:00",
            "2",
            "Our accounts team is closed now and opens again Monday at 9:00 AM Eastern time.",
        ),
        # Saturday after Sales closes at 17:00: next is Monday at 8:00, not Sunday.
        (
            "2026-01-10 18:00",
            "1",
            "Our sales team is closed now and opens again Monday at 8:00 AM Eastern time.",
        ),
        # DST starts 2026-03-08 at 02:00: from 01:30 EST, Support's 07:00 EDT opening is still "today".
        (
            "2026-03-08 01:30",
            "3",
            "Our support team is closed now and opens again today at 7:00 AM Eastern time.",
        ),
        # DST weekend, Saturday evening: Monday 08:00 EDT.
        (
            "2026-03-07 18:00",
            "1",
            "Our sales team is closed now and opens again Monday at 8:00 AM Eastern time.",
        ),
    ],
)
def test_closed_team_says_its_next_opening(center: FlowHarness, when: str, main: str, spoken: str) -> None:
    call = closed_call(center, when)
    prompt_id = CLOSED_DEPARTMENTS[main]
    call.press(main)
    heard = call.expect_prompt(prompt_id)
    assert heard.text == spoken
    call.expect_prompt("CallbackOffer")
    call.press("2")
    call.expect_prompts("Goodbye")
    call.expect_disconnected()


@pytest.mark.parametrize(
    ("main", "spoken"),
    [
        (
            "1",
            "Nuestro equipo de ventas está cerrado ahora y vuelve a abrir el lunes a las 8:00 a. m., hora del Este.",
        ),
        (
            "2",
            "Nuestro equipo de cuentas está cerrado ahora y vuelve a abrir el lunes a las 9:00 a. m., hora del Este.",
        ),
        (
            "3",
            "Nuestro equipo de soporte está cerrado ahora y vuelve a abrir mañana a las 7:00 a. m., hora del Este.",
        ),
    ],
)
def test_closed_team_says_its_next_opening_in_spanish(center: FlowHarness, main: str, spoken: str) -> None:
    call = closed_call(center, "2026-01-10 23:30", "es-US")  # Saturday night
    prompt_id = CLOSED_DEPARTMENTS[main]
    call.press(main)
    heard = call.expect_prompt(prompt_id, language="es-US")
    assert heard.text == spoken
    call.expect_prompt("CallbackOffer", language="es-US")


def test_the_evening_before_a_holiday_the_opening_after_it_is_said(
    database: Path, coverage: Coverage, library: FlowLibrary
) -> None:
    """A CLOSED override on Friday 2026-12-25 (Christmas) for Sales: Thursday evening's caller hears
    Saturday, read from Connect's overrides (here the twin's, from the definitions)."""
    definitions = with_hours_overrides(load_definitions(), "SalesHours", CHRISTMAS_CLOSED)
    center = FlowHarness(database, definitions=definitions, coverage=coverage, library=library)
    try:
        call = closed_call(center, "2026-12-24 21:00")
        call.press("1")
        heard = call.expect_prompt("ClosedSales")
        assert heard.text.endswith("opens again Saturday at 9:00 AM Eastern time.")
        call.expect_prompt("CallbackOffer")
        call.press("1")
        call.expect_prompts("CallbackConfirmed", "Goodbye")
        [(_, request, _)] = center.center.callbacks
        assert request.queue_arn == call.contact.queue_arn
    finally:
        center.close()


@pytest.mark.parametrize("main", sorted(CLOSED_DEPARTMENTS))
def test_when_the_hours_lambda_fails_the_closed_message_has_no_time(
    center: FlowHarness, language: str, main: str
) -> None:
    call = closed_call(center, "2026-01-10 23:30", language)
    prompt_id = CLOSED_DEPARTMENTS[main]
    center.lambdas.fail("HoursStatusFunction")
    call.press(main)
    call.expect_prompt(f"{prompt_id}Generic", language=language)
    call.expect_prompt("CallbackOffer")
    call.press("1")
    call.expect_prompts("CallbackConfirmed", "Goodbye")
    assert "NextOpenSpoken" not in call.contact.attributes


def test_when_connect_cannot_answer_the_lambdas_fallback_gives_the_message_without_time(
    center: FlowHarness,
) -> None:
    """The Lambda itself answers (isOpen unknown) when Connect is unreachable: no time is said."""
    center.close()  # stops its Connect twin: the Lambda finds nobody at CONNECT_ENDPOINT_URL
    call = closed_call(center, "2026-01-10 23:30")
    call.press("2")
    call.expect_prompt("ClosedAccountsGeneric")
    call.expect_attributes(NextOpenKnown="false", NextOpenSpoken="")


def test_when_the_next_opening_cannot_be_kept_the_message_has_no_time(
    center: FlowHarness, language: str
) -> None:
    call = closed_call(center, "2026-01-10 23:30", language)
    # The department cannot be noted either (it is only a label): the hours are still checked.
    center.center.fail("update_attributes", times=2)
    call.press("1")
    call.expect_prompt("ClosedSalesGeneric", language=language)
    call.expect_prompt("CallbackOffer", language=language)


def test_when_the_closed_prompts_fail_the_caller_still_reaches_a_queue(
    center: FlowHarness, language: str
) -> None:
    call = closed_call(center, "2026-01-10 23:30", language)
    center.lambdas.fail("PromptsFunction")
    call.press("1")
    call.expect_queue("Support - Technical")


# ---------------------------------------------------------------- sub-menus: repeat and back


@pytest.mark.parametrize(("main", "menu"), [("1", "SalesMenu"), ("2", "AccountsMenu"), ("3", "SupportMenu")])
def test_a_sub_menu_repeats_on_9_and_goes_back_to_the_main_menu_on_star(
    center: FlowHarness, language: str, main: str, menu: str
) -> None:
    call = to_main_menu(center, STRANGER, language)
    call.press(main)
    heard = call.expect_prompt(menu, language=language)
    assert "9" in heard.text
    call.press("9")
    call.expect_prompt(menu, language=language)  # the same options again, not counted as a miss
    call.press("*")
    call.expect_prompt("MainMenu", language=language)
    call.press("3")
    call.expect_prompt("SupportMenu", language=language)
    call.press("1")
    call.expect_queue("Support - Technical")
