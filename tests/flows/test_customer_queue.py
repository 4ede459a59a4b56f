"""The customer-queue flow: position and wait, the hold loop, and the queued callback that keeps the place."""

from __future__ import annotations

import pytest

from local_connect.flows.testing import FlowHarness, ScriptedCaller
from tests.flows.calls import CANADA, NOT_A_NUMBER, STRANGER, to_main_menu

pytestmark = pytest.mark.flow_scenario

HOLD_INTERRUPT = 60  # InterruptFrequencySeconds of the hold loop


def queued(center: FlowHarness, number: str = STRANGER, language: str = "en-US") -> ScriptedCaller:
    """A caller who chose Support - Technical and hears the queue flow's opening."""
    call = to_main_menu(center, number, language)
    call.press("3")
    call.skip_prompts()
    call.press("1")
    call.expect_queue("Support - Technical")
    return call


def to_callback_offer(call: ScriptedCaller) -> None:
    call.wait(HOLD_INTERRUPT)
    call.skip_prompts()
    assert call.session.waiting is not None and call.session.waiting.action.identifier == "callback-offer"


def test_queue_size_estimate_and_hold_loop(center: FlowHarness, language: str) -> None:
    call = queued(center, language=language)
    position = call.expect_prompt("PositionBefore", language=language)
    assert " 1 " in position.text
    call.expect_prompts("WaitMedium", "Hold")
    call.wait(HOLD_INTERRUPT - 1)
    assert {p.prompt_id for p in call.unheard()} == {"Hold"}  # the hold message, again and again
    call.wait(1)
    call.skip_prompts()
    call.silence()  # no answer to the callback offer: back to the position message
    call.expect_prompts("PositionBefore", "WaitMedium", "Hold")
    call.expect_queue("Support - Technical")


def test_second_in_line_hears_its_place(center: FlowHarness, language: str) -> None:
    center.center.staff(center.queue_arn("Support - Technical"), staffed=2, available=0, handle_time=100)
    first = queued(center, language=language)
    second = queued(center, number="+12025550198")
    assert " 1 " in first.expect_prompt("PositionBefore").text
    assert " 2 " in second.expect_prompt("PositionBefore").text
    second.expect_prompt("WaitMedium")


@pytest.mark.parametrize(
    ("staffed", "available", "handle_time", "prompt"),
    # $.Metrics.Queue.EstimatedWaitTime is the queue's estimate for a contact entering now, so it
    # counts the caller already waiting: one waiting caller, one busy agent, 200 s each -> 400 s.
    [
        (2, 2, 180, "WaitShort"),
        (1, 0, 200, "WaitMedium"),
        (1, 0, 900, "WaitLong"),
    ],
)
def test_wait_estimates(
    center: FlowHarness, language: str, staffed: int, available: int, handle_time: float, prompt: str
) -> None:
    center.center.staff(
        center.queue_arn("Support - Technical"), staffed=staffed, available=available, handle_time=handle_time
    )
    call = queued(center, language=language)
    call.expect_prompts("PositionBefore", prompt, "Hold")


def test_nobody_staffed_offers_the_callback_at_once(center: FlowHarness, language: str) -> None:
    center.center.staff(center.queue_arn("Support - Technical"), staffed=0, available=0, handle_time=180)
    call = queued(center, language=language)
    # No "you are number 1" to a caller nobody can answer: the callback comes first.
    call.expect_prompts("NobodyStaffed", "CallbackOffer")
    call.silence()
    call.expect_prompt("PositionBefore", language=language)  # declined: the usual queue messages


def test_the_hold_message_comes_back_every_30_to_45_seconds(center: FlowHarness, language: str) -> None:
    call = queued(center, language=language)
    call.expect_prompts("PositionBefore")
    call.skip_prompts()  # ... the wait estimate and the first hold message
    clock = call.harness.clock
    first = clock.now()
    while not any(p.prompt_id == "Hold" for p in call.unheard()):
        assert clock.now() - first < 60, "the hold message did not come back within a minute"
        call.wait(1)
    assert 30 <= clock.now() - first <= 45


def test_callback_to_the_number_calling_keeps_the_place(center: FlowHarness, language: str) -> None:
    call = queued(center, language=language)
    enqueued_at = call.contact.enqueued_at
    to_callback_offer(call)
    call.press("1")
    confirm = call.expect_prompt("ConfirmNumber", language=language)
    assert confirm.ssml and '<say-as interpret-as="telephone">202-555-0199</say-as>' in confirm.text
    call.press("1")
    call.expect_prompts("CallbackConfirmed", "Goodbye")
    call.expect_disconnected()
    center.run_timers()  # the callback's creation flow queues it
    [(original, request, callback_id)] = center.center.callbacks
    callback = center.center.contacts[callback_id]
    assert (original, request.number, callback.state) == (call.contact_id, STRANGER, "queued")
    assert callback.enqueued_at == enqueued_at  # the callback keeps the caller's place in line
    assert request.queue_arn == center.queue_arn("Support - Technical")


def test_callback_to_another_number(center: FlowHarness, language: str) -> None:
    call = queued(center, language=language)
    to_callback_offer(call)
    call.press("1")
    call.press("2")
    call.expect_prompts("ConfirmNumber", "EnterNumber")
    call.press("3125550109#")
    call.expect_prompts("CallbackConfirmed", "Goodbye")
    [(_, request, _)] = center.center.callbacks
    assert request.number == "+13125550109"


@pytest.mark.parametrize("typed", ["5555550101#", "4165550123#", None])
def test_a_number_we_cannot_call_back_is_refused(
    center: FlowHarness, language: str, typed: str | None
) -> None:
    call = queued(center, language=language)
    to_callback_offer(call)
    call.press("12")
    call.skip_prompts()
    if typed is None:
        call.silence()  # nothing typed: stored as "Timeout", which is no number
    else:
        call.press(typed)
    call.expect_prompts("InvalidNumber", "PositionBefore")
    assert center.center.callbacks == []


@pytest.mark.parametrize("number", [NOT_A_NUMBER, CANADA])
def test_a_caller_id_we_cannot_call_asks_for_another_number(
    center: FlowHarness, language: str, number: str
) -> None:
    call = queued(center, number, language)
    to_callback_offer(call)
    call.press("11")
    call.expect_prompts("ConfirmNumber", "EnterNumber")
    call.press("2025550142#")
    call.expect_prompt("CallbackConfirmed")


@pytest.mark.parametrize("reply", ["silence", "7"])
def test_no_choice_at_the_callback_offer_keeps_holding(
    center: FlowHarness, language: str, reply: str
) -> None:
    call = queued(center, language=language)
    to_callback_offer(call)
    call.silence() if reply == "silence" else call.press(reply)
    call.expect_prompts("PositionBefore", "WaitMedium", "Hold")


@pytest.mark.parametrize("reply", ["silence", "9"])
def test_no_choice_at_the_number_confirmation_keeps_holding(
    center: FlowHarness, language: str, reply: str
) -> None:
    call = queued(center, language=language)
    to_callback_offer(call)
    call.press("1")
    call.skip_prompts()
    call.silence() if reply == "silence" else call.press(reply)
    call.expect_prompts("PositionBefore", "WaitMedium", "Hold")
    assert center.center.callbacks == []


def test_callback_number_that_cannot_be_saved_ends_the_call(center: FlowHarness, language: str) -> None:
    # UpdateContactCallbackNumber declares no NoMatchingError (reference and every export): a
    # failure to store the number has no branch, so the call ends without a callback.
    call = queued(center, language=language)
    to_callback_offer(call)
    call.press("1")
    center.center.fail("update_contact_data")
    call.press("1")
    call.expect_prompts("ConfirmNumber")
    call.expect_silence()
    call.expect_disconnected()
    assert center.center.callbacks == []


def test_callback_that_cannot_be_created_keeps_the_caller_waiting(center: FlowHarness, language: str) -> None:
    call = queued(center, language=language)
    to_callback_offer(call)
    center.center.fail("create_callback")
    call.press("11")
    call.expect_prompts("ConfirmNumber", "CallbackFailed", "PositionBefore")
    call.expect_queue("Support - Technical")


def test_metrics_unavailable_goes_straight_to_hold(center: FlowHarness, language: str) -> None:
    center.center.fail("queue_metrics", times=2)  # the staffing check, then the queue metrics
    call = queued(center, language=language)
    call.expect_prompt("Hold")


@pytest.mark.parametrize(
    ("failing", "keys", "next_prompt"),
    [
        ("Hold", "", None),
        ("CallbackOffer", "", "PositionBefore"),
        ("ConfirmNumber", "1", "PositionBefore"),
        ("EnterNumber", "12", "PositionBefore"),
    ],
)
def test_prompts_that_cannot_be_played(
    center: FlowHarness, language: str, failing: str, keys: str, next_prompt: str | None
) -> None:
    call = queued(center, language=language)
    call.skip_prompts()
    center.center.failing_prompts.add(failing)
    if failing == "Hold":
        call.wait(40)  # the next hold message (30-45 s on) fails: the queue flow ends, the caller stays
        call.expect_flow_ended()
        call.expect_queue("Support - Technical")
        return
    call.wait(HOLD_INTERRUPT)
    call.press(keys)
    heard = [p.prompt_id for p in call.unheard()]
    assert failing not in heard
    assert next_prompt in heard


def test_an_agent_answering_stops_the_queue_flow(center: FlowHarness, language: str) -> None:
    call = queued(center, language=language)
    call.skip_prompts()
    call.agent_answers("agent.support")
    call.wait(600)
    call.expect_silence()
    assert center.scheduler.pending() == 0


def ask_for_a_callback(center: FlowHarness, language: str) -> str:
    call = queued(center, language=language)
    to_callback_offer(call)
    call.press("11")
    call.expect_prompts("ConfirmNumber", "CallbackConfirmed", "Goodbye")
    [(_, request, callback_id)] = center.center.callbacks
    assert request.creation_flow == center.definitions.flows["CallbackCreationFlow"].arn
    return callback_id


def test_a_callback_is_queued_by_its_creation_flow_and_surveyed(center: FlowHarness, language: str) -> None:
    callback_id = ask_for_a_callback(center, language)
    callback = center.callback_caller(callback_id)
    assert callback.contact.state == "flow"  # no delay: the creation flow queues it (delay ignored)
    center.run_timers()
    assert callback.contact.state == "queued"
    assert callback.contact.disconnect_flow == center.definitions.flows["SurveyFlow"].arn
    callback.agent_answers("agent.support")
    callback.agent_hangs_up()
    callback.expect_prompt("Intro", language=language)  # the survey, as after any call with an agent
    callback.expect_prompt("Q1", language=language)


@pytest.mark.parametrize("failure", ["QueueAtCapacity", "NoMatchingError"])
def test_a_callback_its_creation_flow_cannot_queue_is_ended(
    center: FlowHarness, language: str, failure: str
) -> None:
    callback_id = ask_for_a_callback(center, language)
    if failure == "QueueAtCapacity":
        center.center.capacity[center.queue_arn("Support - Technical")] = 0  # full
    else:
        center.center.fail("transfer_to_queue")
    center.run_timers()
    assert center.center.contacts[callback_id].state == "disconnected"


def test_a_callback_whose_survey_cannot_be_set_is_still_queued(center: FlowHarness, language: str) -> None:
    callback_id = ask_for_a_callback(center, language)
    center.center.fail("set_disconnect_flow")
    center.run_timers()
    callback = center.center.contacts[callback_id]
    assert (callback.state, callback.disconnect_flow) == ("queued", None)  # a callback, without the survey


@pytest.mark.parametrize(
    ("number", "spoken"),
    [
        (CANADA, "416-555-0123"),  # the North American plan: read without +1, in groups
        ("+442079460958", "+442079460958"),  # another country's: the address as it is
    ],
)
def test_the_callback_confirmation_reads_the_number_as_its_owner_does(
    center: FlowHarness, language: str, number: str, spoken: str
) -> None:
    call = queued(center, number, language)
    to_callback_offer(call)
    call.press("1")
    confirm = call.expect_prompt("ConfirmNumber", language=language)
    assert f'<say-as interpret-as="telephone">{spoken}</say-as>' in confirm.text


@pytest.mark.parametrize(("failures", "spoken"), [(1, STRANGER), (2, "")])
def test_a_spoken_number_that_cannot_be_kept_falls_back_to_the_address(
    center: FlowHarness, language: str, failures: int, spoken: str
) -> None:
    call = queued(center, language=language)
    to_callback_offer(call)
    center.center.fail("update_attributes", times=failures)
    call.press("1")
    confirm = call.expect_prompt("ConfirmNumber", language=language)
    assert f'<say-as interpret-as="telephone">{spoken}</say-as>' in confirm.text
    call.press("1")
    call.expect_prompts("CallbackConfirmed", "Goodbye")  # the choice still works
