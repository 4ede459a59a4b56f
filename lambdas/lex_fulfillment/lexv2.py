"""The Amazon Lex V2 code hook contract: read the event, build the response.

Event (AWS Lambda input event format for Lex V2,
https://docs.aws.amazon.com/lexv2/latest/dg/lambda-input-format.html): messageVersion,
invocationSource (DialogCodeHook | FulfillmentCodeHook), inputMode, sessionId, inputTranscript,
bot {id, name, localeId, version, aliasId, aliasName}, interpretations, proposedNextState,
requestAttributes and sessionState {activeContexts, sessionAttributes, dialogAction, intent
{name, slots, state, confirmationState}, originatingRequestId}. New fields may appear without a new
messageVersion, so every accessor tolerates anything.

Response (AWS Lambda response format for Lex V2,
https://docs.aws.amazon.com/lexv2/latest/dg/lambda-response-format.html): sessionState (always
required) with dialogAction {type: Close | ConfirmIntent | Delegate | ElicitIntent | ElicitSlot,
slotToElicit} and, except for ElicitIntent, the intent with its state (Fulfilled, Failed,
InProgress, ReadyForFulfillment...); messages [{contentType: PlainText | SSML ..., content}],
required for ElicitIntent and ConfirmIntent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_EMPTY: Mapping[str, Any] = {}


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else _EMPTY


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def session_state(event: Any) -> Mapping[str, Any]:
    return _mapping(_mapping(event).get("sessionState"))


def intent(event: Any) -> Mapping[str, Any]:
    return _mapping(session_state(event).get("intent"))


def intent_name(event: Any) -> str:
    return _text(intent(event).get("name")) or "FallbackIntent"


def session_attributes(event: Any) -> dict[str, str]:
    """sessionAttributes as str -> str (Lex keeps only strings there)."""
    raw = _mapping(session_state(event).get("sessionAttributes"))
    return {str(k): v for k, v in raw.items() if isinstance(v, str)}


def locale_id(event: Any) -> str:
    return _text(_mapping(_mapping(event).get("bot")).get("localeId")) or "en_US"


def transcript(event: Any) -> str:
    return _text(_mapping(event).get("inputTranscript"))


def input_mode(event: Any) -> str:
    return _text(_mapping(event).get("inputMode"))


def invocation_source(event: Any) -> str:
    return _text(_mapping(event).get("invocationSource"))


def slot_value(event: Any, name: str) -> str:
    """The slot's resolved value (value.interpretedValue, else the first resolvedValues entry)."""
    slot = _mapping(_mapping(intent(event).get("slots")).get(name))
    value = _mapping(slot.get("value"))
    interpreted = _text(value.get("interpretedValue"))
    if interpreted:
        return interpreted
    resolved = value.get("resolvedValues")
    if isinstance(resolved, list) and resolved and isinstance(resolved[0], str):
        return resolved[0]
    return ""


def messages(*texts: str) -> list[dict[str, str]]:
    return [{"contentType": "PlainText", "content": t} for t in texts if t]


def _intent_state(event: Any, name: str | None, state: str) -> dict[str, Any]:
    current = dict(intent(event))
    if name is not None and name != current.get("name"):
        current = {"name": name, "slots": {}}  # switching intents: the other intent's slots are not ours
    current.setdefault("name", "FallbackIntent")
    current.setdefault("slots", {})
    current["state"] = state
    current.setdefault("confirmationState", "None")
    return current


def close(
    event: Any, attributes: Mapping[str, str], state: str, texts: list[str], intent_name: str | None = None
) -> dict[str, Any]:
    """Close: the conversation with the bot ends; the intent is Fulfilled or Failed (Connect's
    ConnectParticipantWithLexBot then branches on its name)."""
    return {
        "sessionState": {
            "sessionAttributes": dict(attributes),
            "dialogAction": {"type": "Close"},
            "intent": _intent_state(event, intent_name, state),
        },
        "messages": messages(*texts),
    }


def elicit_intent(attributes: Mapping[str, str], texts: list[str]) -> dict[str, Any]:
    """ElicitIntent: say something and listen for the caller's next request (messages required)."""
    return {
        "sessionState": {"sessionAttributes": dict(attributes), "dialogAction": {"type": "ElicitIntent"}},
        "messages": messages(*texts),
    }


def delegate(event: Any, attributes: Mapping[str, str]) -> dict[str, Any]:
    """Delegate: Lex goes on by the bot's configuration (elicits a missing required slot, or moves
    to fulfillment), keeping the intent as it is."""
    return {
        "sessionState": {
            "sessionAttributes": dict(attributes),
            "dialogAction": {"type": "Delegate"},
            "intent": _intent_state(event, None, str(intent(event).get("state") or "InProgress")),
        }
    }
