"""Shared first steps of scripted calls through the JAM flows."""

from __future__ import annotations

from local_connect.flows.testing import FlowHarness, ScriptedCaller

MARIA = "+12025550100"  # known, VIP, Spanish-speaking, PIN 1234
JOHN = "+12025550101"  # known, not VIP, PIN 2468
UMA = "+12025550103"  # known, not VIP, no PIN enrolled
STRANGER = "+12025550199"  # a valid number nobody has on file
NOT_A_NUMBER = "+15555550123"  # caller id that is not a valid number
CANADA = "+14165550123"  # valid, but not a number the center calls back

# A whole-day CLOSED override on Friday 2026-12-25, in Connect's (CloudFormation's) shape.
CHRISTMAS_CLOSED = {
    "OverrideName": "Christmas Day",
    "OverrideType": "CLOSED",
    "EffectiveFrom": "2026-12-25",
    "EffectiveTill": "2026-12-25",
    "OverrideConfig": [
        {"Day": "FRIDAY", "StartTime": {"Hours": 0, "Minutes": 0}, "EndTime": {"Hours": 0, "Minutes": 0}}
    ],
}
CUSTOMER_QUEUE_OPENING = ("PositionBefore", "WaitMedium", "Hold")


def choose_language(call: ScriptedCaller, language: str) -> None:
    """Answer the language offer: 2 for Spanish, silence for English."""
    if language == "es-US":
        call.press("2")
    else:
        call.silence()


def inbound(center: FlowHarness, number: str, language: str) -> ScriptedCaller:
    """Dial the inbound flow and pick the language: up to the point the main menu would start."""
    call = center.dial(number)
    call.expect_prompt("Welcome", language="en-US")
    call.expect_prompt("LanguageOffer")
    choose_language(call, language)
    call.expect_language(language)
    return call


def to_main_menu(center: FlowHarness, number: str, language: str) -> ScriptedCaller:
    call = inbound(center, number, language)
    if number in (MARIA, JOHN, UMA):
        call.expect_prompt("WelcomeBack", language=language)
    call.expect_prompt("MainMenu", language=language)
    return call
