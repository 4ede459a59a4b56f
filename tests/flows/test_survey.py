"""The post-call survey: the disconnect flow, run when the agent hangs up first; answers stored by the Lambda."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from local_connect.flows.testing import FlowHarness, ScriptedCaller
from tests.flows.calls import MARIA, STRANGER, to_main_menu

pytestmark = pytest.mark.flow_scenario


def after_agent(center: FlowHarness, language: str = "en-US", number: str = STRANGER) -> ScriptedCaller:
    """A caller queued for Sales - New Orders, answered by an agent who then hangs up first."""
    call = to_main_menu(center, number, language)
    call.press("1")
    call.skip_prompts()
    call.press("1")
    call.expect_queue("Sales - New Orders")
    call.skip_prompts()
    call.agent_answers("agent.sales")
    call.agent_hangs_up()
    return call


def stored(database: Path, contact_id: str) -> tuple[str, ...] | None:
    with sqlite3.connect(database) as conn:
        row = conn.execute(
            "SELECT q1, q2, q3, q1_status, queue_name, agent_user_name, language_code "
            "FROM survey_results WHERE contact_id = ?",
            (contact_id,),
        ).fetchone()
    return tuple(row) if row else None


def test_three_answers_are_stored_and_thanked(center: FlowHarness, database: Path, language: str) -> None:
    call = after_agent(center, language)
    call.expect_prompts("Intro", "Q1")
    call.press("5")
    call.expect_prompt("Q2", language=language)
    call.press("4")
    call.expect_prompt("Q3")
    call.press("3")
    call.expect_prompt("ThankYou", language=language)
    call.expect_disconnected()
    assert stored(database, call.contact_id) == (
        "5",
        "4",
        "3",
        "valid",
        "Sales - New Orders",
        "agent.sales",
        language,
    )


@pytest.mark.parametrize("answers", ["123", "234", "345", "451", "512"])
def test_every_answer_from_one_to_five_is_kept(
    center: FlowHarness, language: str, database: Path, answers: str
) -> None:
    call = after_agent(center, language)
    call.press(answers)
    call.expect_prompts("Intro", "Q1", "Q2", "Q3", "ThankYou")
    result = stored(database, call.contact_id)
    assert result is not None and "".join(result[:3]) == answers
    call.expect_attributes(SurveyQ1=answers[0], SurveyQ2=answers[1], SurveyQ3=answers[2])


def test_one_retry_on_invalid_or_no_input(center: FlowHarness, database: Path, language: str) -> None:
    call = after_agent(center, language)
    call.expect_prompts("Intro", "Q1")
    call.press("9")
    call.expect_prompts("Invalid", "Q1")
    call.press("2")
    call.expect_prompt("Q2")
    call.silence()
    call.expect_prompts("Invalid", "Q2")
    call.press("0")
    call.expect_prompts("Invalid", "Q3")  # a second miss: the question is left unanswered
    call.silence()
    call.expect_prompts("Invalid", "Q3")
    call.silence()
    call.expect_prompts("Invalid", "ThankYou")
    result = stored(database, call.contact_id)
    assert result is not None and result[:3] == ("2", "", "")


def test_a_caller_who_hangs_up_before_the_agent_gets_no_survey(center: FlowHarness, language: str) -> None:
    call = to_main_menu(center, MARIA, language)
    call.press("3")
    call.skip_prompts()
    call.press("2")
    call.skip_prompts()
    call.hang_up()
    call.wait(600)
    call.expect_silence()


def test_survey_storage_down_still_thanks_the_caller(
    center: FlowHarness, language: str, database: Path
) -> None:
    call = after_agent(center, language)
    center.lambdas.fail("SurveyFunction")
    call.press("555")
    call.expect_prompts("Intro", "Q1", "Q2", "Q3", "ThankYou")
    assert stored(database, call.contact_id) is None


def test_no_prompts_for_the_thank_you_ends_quietly(
    center: FlowHarness, database: Path, language: str
) -> None:
    call = after_agent(center, language)  # the survey has fetched its prompts already
    center.lambdas.fail("PromptsFunction")
    call.press("123")
    call.expect_prompts("Intro", "Q1", "Q2", "Q3")
    call.expect_silence()
    call.expect_disconnected()
    assert stored(database, call.contact_id) is not None


def test_no_prompts_no_survey(center: FlowHarness, language: str) -> None:
    call = to_main_menu(center, STRANGER, language)
    call.press("1")
    call.skip_prompts()
    call.press("1")
    call.skip_prompts()
    call.agent_answers()
    center.lambdas.fail("PromptsFunction")
    call.agent_hangs_up()
    call.expect_silence()
    call.expect_disconnected()


@pytest.mark.parametrize("question", ["Q1", "Q2", "Q3"])
def test_a_question_that_cannot_be_asked_is_skipped(
    center: FlowHarness, language: str, database: Path, question: str
) -> None:
    center.center.failing_prompts.add(question)
    call = after_agent(center, language)
    call.press("44")
    heard = [p.prompt_id for p in call.prompts]
    assert question not in heard and heard[-1] == "ThankYou"
    result = stored(database, call.contact_id)
    assert result is not None and result[int(question[1]) - 1] == ""


@pytest.mark.parametrize("question", [1, 2, 3])
@pytest.mark.parametrize("answered", [True, False])
def test_an_answer_that_cannot_be_kept_does_not_stop_the_survey(
    center: FlowHarness, language: str, question: int, answered: bool
) -> None:
    call = after_agent(center, language)
    call.expect_prompts("Intro", "Q1")
    for number in range(1, 4):
        if number == question:
            center.center.fail("update_attributes")
        if answered or number != question:
            call.press("3")
        else:
            call.silence()
            call.silence()
    assert call.prompts[-1].prompt_id == "ThankYou"
    call.expect_disconnected()


def test_the_survey_speaks_the_callers_language(center: FlowHarness) -> None:
    call = after_agent(center, "es-US", MARIA)
    intro = call.expect_prompt("Intro", language="es-US")
    assert intro.text.startswith("Antes de terminar")
