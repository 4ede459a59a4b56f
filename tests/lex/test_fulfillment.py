"""The fulfillment Lambda: Lex V2 events in, Lex V2 responses out (dialog actions, intent states,
messages), answers from Connect's hours, CustomerData and the knowledge base; never raises."""

from __future__ import annotations

from typing import Any

import pytest
from lex_fulfillment.bot import load
from lex_fulfillment.handler import lambda_handler, respond

from tests.lex.conftest import at, lex_event

BOT = load()


def ask(event: dict[str, Any], env: dict[str, str], now: str = "2026-01-07 10:00") -> dict[str, Any]:
    return respond(event, BOT, {**env, "LOCAL_CONNECT_NOW": at(now)})


def said(reply: dict[str, Any]) -> str:
    return " ".join(m["content"] for m in reply["messages"])


def test_a_route_intent_closes_fulfilled_naming_its_queue(lambda_env: dict[str, str]) -> None:
    reply = ask(lex_event("SupportDevices"), lambda_env)
    state = reply["sessionState"]
    assert state["dialogAction"] == {"type": "Close"}
    assert state["intent"]["name"] == "SupportDevices" and state["intent"]["state"] == "Fulfilled"
    assert state["sessionAttributes"]["Queue"] == "SupportDevicesQueue"
    assert "Device support" in said(reply)


@pytest.mark.parametrize(
    ("now", "slots", "locale", "expected"),
    [
        # Wednesday 10:00: Accounts open until 5:30 PM.
        (
            "2026-01-07 10:00",
            {"Department": "Accounts"},
            "en_US",
            "Accounts is open now, until 5:30 PM Eastern time.",
        ),
        # Friday 21:00: Sales closed, opens tomorrow (Saturday) at 9.
        (
            "2026-01-09 21:00",
            {"Department": "Sales"},
            "en_US",
            "Sales is closed now. It opens tomorrow at 9:00 AM Eastern time.",
        ),
        # Asked on Wednesday about Saturday: Sales 9-5, Accounts closed.
        (
            "2026-01-07 10:00",
            {"Department": "Sales", "Day": "SATURDAY"},
            "en_US",
            "On Saturday, Sales is open from 9:00 AM to 5:00 PM Eastern time.",
        ),
        (
            "2026-01-07 10:00",
            {"Department": "Accounts", "Day": "SUNDAY"},
            "en_US",
            "Accounts is closed on Sunday.",
        ),
        (
            "2026-01-09 21:00",
            {"Department": "Support"},
            "es_US",
            "Soporte está abierto ahora, hasta las 11:00 p. m. hora del Este.",
        ),
    ],
)
def test_hours_come_from_the_departments_real_hours(
    lambda_env: dict[str, str], now: str, slots: dict[str, str], locale: str, expected: str
) -> None:
    reply = ask(lex_event("OpeningHours", locale, slots=slots), lambda_env, now)
    assert reply["sessionState"]["dialogAction"] == {"type": "ElicitIntent"}
    assert reply["messages"][0]["content"] == expected
    assert reply["messages"][1]["content"] == BOT.prompt(locale, "anything_else")
    assert reply["sessionState"]["sessionAttributes"]["Awaiting"] == "anything_else"


def test_hours_without_a_department_cover_all_three(lambda_env: dict[str, str]) -> None:
    text = said(ask(lex_event("OpeningHours"), lambda_env, "2026-01-10 12:00"))  # Saturday noon
    assert "Sales is open now" in text and "Accounts is closed now" in text and "Support is open now" in text


def test_hours_when_connect_is_down_say_so_and_go_on(lambda_env: dict[str, str]) -> None:
    env = {**lambda_env, "CONNECT_ENDPOINT_URL": "http://127.0.0.1:9"}
    reply = ask(lex_event("OpeningHours", slots={"Department": "Sales"}), env)
    assert reply["messages"][0]["content"] == BOT.prompt("en_US", "hours_unknown")


def test_account_status_needs_verification(lambda_env: dict[str, str]) -> None:
    reply = ask(lex_event("AccountStatus", attributes={"PhoneNumber": "+12025550101"}), lambda_env)
    assert reply["sessionState"]["intent"]["state"] == "Failed"
    assert reply["sessionState"]["sessionAttributes"]["NeedsVerification"] == "true"
    assert "42.50" not in said(reply) and "0.00" not in said(reply)


def test_account_status_for_a_verified_caller(lambda_env: dict[str, str]) -> None:
    attributes = {"Verified": "true", "PhoneNumber": "+12025550100"}
    text = said(ask(lex_event("AccountStatus", attributes=attributes), lambda_env))
    assert "Your balance is 42.50 dollars, due on December 15." in text
    assert "Your last order, JAM-O-5001, is delivered." in text
    spanish = said(
        ask(
            lex_event("AccountStatus", "es_US", slots={"AccountTopic": "Order"}, attributes=attributes),
            lambda_env,
        )
    )
    assert "Su último pedido, JAM-O-5001, está entregado." in spanish and "saldo" not in spanish


def test_knowledge_answers_with_the_best_passage_then_offers_an_agent(lambda_env: dict[str, str]) -> None:
    reply = ask(lex_event("KnowledgeQuestion", transcript="how do I restart my router"), lambda_env)
    assert reply["messages"][0]["content"].startswith("To restart your router, unplug")
    assert reply["messages"][1]["content"] == BOT.prompt("en_US", "offer_agent")
    attributes = reply["sessionState"]["sessionAttributes"]
    assert attributes["Awaiting"] == "offer_agent" and attributes["TopicQueue"] == "SupportTechnicalQueue"
    # "yes" to the agent: the topic's queue, as SpeakToAgent.
    yes = ask(lex_event("Affirm", attributes=attributes), lambda_env)
    assert yes["sessionState"]["intent"]["name"] == "SpeakToAgent"
    assert yes["sessionState"]["sessionAttributes"]["Queue"] == "SupportTechnicalQueue"


def test_knowledge_in_spanish(lambda_env: dict[str, str]) -> None:
    reply = ask(lex_event("KnowledgeQuestion", "es_US", transcript="cuánto tarda el envío"), lambda_env)
    assert reply["messages"][0]["content"].startswith("El envío estándar es gratis")


def test_no_to_the_agent_then_no_to_anything_else_says_goodbye(lambda_env: dict[str, str]) -> None:
    first = ask(lex_event("Deny", attributes={"Awaiting": "offer_agent"}), lambda_env)
    assert first["sessionState"]["dialogAction"]["type"] == "ElicitIntent"
    assert said(first) == BOT.prompt("en_US", "anything_else")
    second = ask(lex_event("Deny", attributes=first["sessionState"]["sessionAttributes"]), lambda_env)
    assert second["sessionState"]["dialogAction"]["type"] == "Close"
    assert said(second) == BOT.prompt("en_US", "goodbye")


def test_two_misses_fall_back_to_the_menu(lambda_env: dict[str, str]) -> None:
    first = ask(lex_event("FallbackIntent"), lambda_env)
    assert first["sessionState"]["dialogAction"]["type"] == "ElicitIntent"
    assert said(first) == BOT.prompt("en_US", "rephrase")
    second = ask(
        lex_event("FallbackIntent", attributes=first["sessionState"]["sessionAttributes"]), lambda_env
    )
    assert second["sessionState"]["dialogAction"]["type"] == "Close"
    assert second["sessionState"]["intent"] == {
        "name": "FallbackIntent",
        "slots": {},
        "state": "Failed",
        "confirmationState": "None",
    }


@pytest.mark.parametrize("event", [None, {}, {"sessionState": "x"}, {"bot": {"localeId": 3}}, [1, 2]])
def test_never_raises_on_malformed_events(event: Any) -> None:
    reply = lambda_handler(event, None)
    assert reply["sessionState"]["dialogAction"]["type"] in ("Close", "ElicitIntent")
    assert reply["messages"]


def test_a_failure_inside_is_the_defined_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    import lex_fulfillment.handler as handler

    def broken(*_: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(handler, "respond", broken)
    reply = lambda_handler(lex_event("SalesNewOrders", "es_US"), None)
    assert reply["sessionState"]["intent"]["state"] == "Failed"
    assert reply["messages"][0]["content"] == BOT.prompt("es_US", "fallback")


def test_the_dialog_code_hook_delegates_keeping_the_session(lambda_env: dict[str, str]) -> None:
    event = lex_event("OpeningHours", attributes={"Verified": "true"}, source="DialogCodeHook")
    reply = ask(event, lambda_env)
    assert reply["sessionState"]["dialogAction"] == {"type": "Delegate"}
    assert reply["sessionState"]["intent"]["name"] == "OpeningHours"
    assert reply["sessionState"]["sessionAttributes"]["Verified"] == "true"


def test_a_key_press_gives_the_caller_to_the_menus_at_once(lambda_env: dict[str, str]) -> None:
    event = {**lex_event("FallbackIntent", transcript="2"), "inputMode": "DTMF"}
    reply = ask(event, lambda_env)
    assert reply["sessionState"]["dialogAction"] == {"type": "Close"}
    assert reply["sessionState"]["intent"]["name"] == "FallbackIntent"
    assert reply["sessionState"]["intent"]["state"] == "Failed"
    assert reply["sessionState"]["sessionAttributes"]["PressedKey"] == "2"
