"""ConnectParticipantWithLexBot in the flow engine, talking to the Lex twin: the documented
transitions (conditions on the intent name; NoMatchingCondition, NoMatchingError,
InputTimeLimitExceeded) and $.Lex (IntentName, Slots, SessionAttributes, DialogState)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from local_connect.flows.engine import FlowEngine
from local_connect.flows.loader import FlowLibrary, load_flow
from local_connect.flows.testing import FlowHarness, ScriptedCaller, seed_database
from local_connect.lex.app import create_backend
from local_connect.lex.bots import TwinBots, alias_arn
from local_connect.lex.models import LexBackend

BOT_FLOW_KEY = "BotTest"


def document(alias: str, **extra: Any) -> dict[str, Any]:
    """Bot first; intents branch; $.Lex read back in a message."""
    bot_parameters = {
        "Text": "In a few words, tell us why you're calling.",
        "LexV2Bot": {"AliasArn": alias},
        "LexSessionAttributes": {
            "Verified": "$.Attributes.Verified",
            "PhoneNumber": "$.CustomerEndpoint.Address",
        },
        **extra,
    }
    message = lambda ident, text: {  # noqa: E731
        "Identifier": ident,
        "Type": "MessageParticipant",
        "Parameters": {"Text": text},
        "Transitions": {
            "NextAction": "bye",
            "Errors": [{"NextAction": "bye", "ErrorType": "NoMatchingError"}],
        },
    }
    return {
        "Version": "2019-10-30",
        "StartAction": "bot",
        "Actions": [
            {
                "Identifier": "bot",
                "Type": "ConnectParticipantWithLexBot",
                "Parameters": bot_parameters,
                "Transitions": {
                    "NextAction": "failed",
                    "Conditions": [
                        {
                            "NextAction": "devices",
                            "Condition": {"Operator": "Equals", "Operands": ["SupportDevices"]},
                        },
                        {
                            "NextAction": "menu",
                            "Condition": {"Operator": "Equals", "Operands": ["FallbackIntent"]},
                        },
                    ],
                    "Errors": [
                        {"NextAction": "other", "ErrorType": "NoMatchingCondition"},
                        {"NextAction": "failed", "ErrorType": "NoMatchingError"},
                        {"NextAction": "timeout", "ErrorType": "InputTimeLimitExceeded"},
                    ],
                },
            },
            message(
                "devices", "Devices: $.Lex.IntentName $.Lex.DialogState queue $.Lex.SessionAttributes.Queue"
            ),
            message("menu", "Menu. Key $.Lex.SessionAttributes.PressedKey"),
            message("other", "Other: $.Lex.IntentName, department $.Lex.Slots.Department"),
            message("failed", "Bot failed"),
            message("timeout", "Nothing heard"),
            {"Identifier": "bye", "Type": "DisconnectParticipant", "Parameters": {}, "Transitions": {}},
        ],
    }


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory, connect_twin: Any) -> LexBackend:
    database = Path(tmp_path_factory.mktemp("flowlex")) / "jam.sqlite3"
    seed_database(str(database))
    return create_backend(
        __import__("tests.lex.conftest", fromlist=["DEFINITIONS"]).DEFINITIONS,
        str(database),
        connect_twin.url,
    )


@pytest.fixture
def harness(tmp_path: Path, backend: LexBackend) -> Iterator[FlowHarness]:
    seed_database(str(tmp_path / "db.sqlite3"))
    center = FlowHarness(tmp_path / "db.sqlite3")
    center.set_local_time("2026-01-07 10:00")
    yield center
    center.close()


def with_flow(harness: FlowHarness, backend: LexBackend | None, doc: dict[str, Any]) -> None:
    loaded = load_flow(doc, key=BOT_FLOW_KEY, flow_type="CONTACT_FLOW", strict=True)
    harness.library = FlowLibrary({BOT_FLOW_KEY: loaded.flow})
    harness.engine = FlowEngine(
        harness.center,
        harness.scheduler,
        harness.library,
        harness.stubs,
        instance_arn=harness.definitions.instance_arn,
        lex_bots=TwinBots(backend) if backend is not None else None,
    )


def call(harness: FlowHarness, attributes: dict[str, str] | None = None) -> ScriptedCaller:
    return harness.dial("+12025550100", BOT_FLOW_KEY, attributes=attributes)


def say(harness: FlowHarness, caller: ScriptedCaller, text: str) -> None:
    harness.engine.speech(caller.contact_id, text)


def test_an_intent_condition_routes_and_lex_attributes_are_set(
    harness: FlowHarness, backend: LexBackend
) -> None:
    with_flow(harness, backend, document(alias_arn(backend)))
    caller = call(harness)
    caller.expect_prompt(text="tell us why you're calling")
    say(harness, caller, "the screen on my phone is cracked")
    caller.expect_prompt(text="Device support")  # the bot's own message
    caller.expect_prompt(text="Devices: SupportDevices Fulfilled queue SupportDevicesQueue")


def test_an_intent_without_a_condition_is_no_matching_condition_with_its_slots(
    harness: FlowHarness, backend: LexBackend
) -> None:
    with_flow(harness, backend, document(alias_arn(backend)))
    caller = call(harness)
    caller.expect_prompt(text="tell us why")
    say(harness, caller, "when does support close")
    caller.expect_prompt(text="Support is open now, until 11:00 PM")
    caller.expect_prompt(text="anything else")
    say(harness, caller, "no thanks")  # Deny: Close, goodbye
    caller.expect_prompt(text="Goodbye")
    caller.expect_prompt(text="Other: Deny, department")


def test_two_misses_then_the_menu_and_a_key_goes_to_the_menu_at_once(
    harness: FlowHarness, backend: LexBackend
) -> None:
    with_flow(harness, backend, document(alias_arn(backend)))
    caller = call(harness)
    caller.expect_prompt(text="tell us why")
    say(harness, caller, "what's the capital of peru")
    caller.expect_prompt(text="say it another way")
    say(harness, caller, "tell me a story about dragons")
    caller.expect_prompt(text="let me take you to the menu")
    caller.expect_prompt(text="Menu. Key")
    again = call(harness)
    again.expect_prompt(text="tell us why")
    again.press("2")
    again.expect_prompt(text="Menu. Key 2")


def test_the_session_attributes_reach_the_bot(harness: FlowHarness, backend: LexBackend) -> None:
    with_flow(harness, backend, document(alias_arn(backend)))
    caller = call(harness, attributes={"Verified": "true"})
    caller.expect_prompt(text="tell us why")
    say(harness, caller, "what is my balance")
    caller.expect_prompt(text="Your balance is 42.50 dollars")


def test_silence_is_input_time_limit_exceeded(harness: FlowHarness, backend: LexBackend) -> None:
    with_flow(harness, backend, document(alias_arn(backend), LexTimeoutSeconds={"Text": "8"}))
    caller = call(harness)
    caller.expect_prompt(text="tell us why")
    caller.silence()
    caller.expect_prompt(text="Nothing heard")


def test_no_bot_or_an_unknown_alias_is_no_matching_error(harness: FlowHarness, backend: LexBackend) -> None:
    with_flow(harness, None, document(alias_arn(backend)))
    call(harness).expect_prompt(text="Bot failed")  # before any prompt: there is no bot to talk to
    with_flow(
        harness, backend, document("arn:aws:lex:us-east-1:123456789012:bot-alias/NOSUCHBOT0/TSTALIASID")
    )
    caller = call(harness)
    caller.expect_prompt(text="tell us why")
    say(harness, caller, "I want to buy a phone")
    caller.expect_prompt(text="Bot failed")
