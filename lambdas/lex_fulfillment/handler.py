"""The self-service bot's code hook: Amazon Lex V2 invokes it for every intent (dialog and
fulfillment), with the Lex V2 event; it answers with a Lex V2 response (lexv2.py).

  route intents      Close, Fulfilled; session attribute Queue = the queue's template logical id
  OpeningHours       the department's hours from Connect, then "anything else?" (ElicitIntent)
  AccountStatus      only when the flow said Verified=true (a web-ingress caller, or a caller who
                     entered the PIN): balance, due date, last order; else Close, Failed, with
                     NeedsVerification=true so the flow sends the caller to the PIN
  KnowledgeQuestion  the best passage of data/kb, then "would you like an agent?"
  Affirm / Deny      answers to those questions: another request, an agent, or goodbye
  a key press        (inputMode DTMF) Close, Failed, as FallbackIntent, PressedKey = the key: the
                     flow's key-press menus take the caller
  SpeakToAgent       Close, Fulfilled; Queue = the topic the caller was on, else the default queue
  FallbackIntent     once "could you say it another way?", the second time Close, Failed: the flow
                     takes the caller to the key-press menus
As the dialog code hook (each turn before fulfillment) it delegates, so Lex elicits a missing
required slot (OpeningHours' Department). Never raises: any failure is a Close, Failed, with the fallback prompt (the flow's menus take over).
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Mapping
from typing import Any

from lex_fulfillment import lexv2
from lex_fulfillment.answers import account_answer, hours_answer
from lex_fulfillment.bot import FALLBACK, Bot, Intent, kb_dir, load, locale_of
from lex_fulfillment.knowledge import knowledge_base

# Session attributes this code writes (the flow reads Queue, NeedsVerification via $.Lex.SessionAttributes).
AWAITING = "Awaiting"  # "anything_else" | "offer_agent" | ""
MISSES = "Misses"
QUEUE = "Queue"
TOPIC = "TopicQueue"
NEEDS_VERIFICATION = "NeedsVerification"
PRESSED_KEY = "PressedKey"
MAX_MISSES = 2


def _log(event: str, **fields: Any) -> None:
    # One JSON line per invocation; the transcript is not logged (it may carry account details).
    print(json.dumps({"function": "lex_fulfillment", "event": event, **fields}), file=sys.stdout)


def _department_queue(bot: Bot, department: str) -> str:
    return next((i.queue for i in bot.intents if i.kind == "route" and i.department == department), "")


def _anything_else(bot: Bot, locale: str, attributes: dict[str, str], answer: str) -> dict[str, Any]:
    attributes[AWAITING] = "anything_else"
    return lexv2.elicit_intent(attributes, [answer, bot.prompt(locale, "anything_else")])


def _to_agent(event: Any, bot: Bot, locale: str, attributes: dict[str, str], queue: str) -> dict[str, Any]:
    attributes[QUEUE] = queue or bot.default_queue
    attributes[AWAITING] = ""
    said = bot.queue_names.get(attributes[QUEUE], {}).get(locale, "")
    return lexv2.close(
        event,
        attributes,
        "Fulfilled",
        [bot.prompt(locale, "routing", queue=said)],
        intent_name="SpeakToAgent",
    )


def respond(event: Any, bot: Bot, env: Mapping[str, str]) -> dict[str, Any]:
    locale = locale_of(lexv2.locale_id(event))
    attributes = lexv2.session_attributes(event)
    name = lexv2.intent_name(event)
    intent: Intent | None = bot.intent(name)
    awaiting = attributes.get(AWAITING, "")
    if lexv2.input_mode(event) == "DTMF":
        # A key press is the caller choosing the key-press menus: no bot turn, no rephrase.
        attributes[PRESSED_KEY] = lexv2.transcript(event)[:1]
        return lexv2.close(event, attributes, "Failed", [], intent_name=FALLBACK)
    if intent is None:  # FallbackIntent (or an intent this definition does not know)
        misses = int(attributes.get(MISSES, "0") or 0) + 1
        attributes[MISSES] = str(misses)
        if misses < MAX_MISSES:
            return lexv2.elicit_intent(attributes, [bot.prompt(locale, "rephrase")])
        return lexv2.close(
            event, attributes, "Failed", [bot.prompt(locale, "fallback")], intent_name=FALLBACK
        )
    attributes[MISSES] = "0"
    if lexv2.invocation_source(event) == "DialogCodeHook":
        # Each turn before fulfillment: let Lex elicit what the intent still needs; answers are
        # given at fulfillment, once the slots are in.
        return lexv2.delegate(event, attributes)
    if intent.kind == "route":
        attributes[TOPIC] = intent.queue
        said = bot.queue_names.get(intent.queue, {}).get(locale, "")
        attributes[QUEUE] = intent.queue
        attributes[AWAITING] = ""
        return lexv2.close(event, attributes, "Fulfilled", [bot.prompt(locale, "routing", queue=said)])
    if intent.kind == "agent":
        return _to_agent(event, bot, locale, attributes, attributes.get(TOPIC, ""))
    if intent.kind == "affirm":
        if awaiting == "offer_agent":
            return _to_agent(event, bot, locale, attributes, attributes.get(TOPIC, ""))
        attributes[AWAITING] = ""
        return lexv2.elicit_intent(attributes, [bot.prompt(locale, "what_else")])
    if intent.kind == "deny":
        if awaiting == "offer_agent":
            attributes[AWAITING] = "anything_else"
            return lexv2.elicit_intent(attributes, [bot.prompt(locale, "anything_else")])
        attributes[AWAITING] = ""
        return lexv2.close(event, attributes, "Fulfilled", [bot.prompt(locale, "goodbye")])
    if intent.kind == "hours":
        department = lexv2.slot_value(event, "Department")
        day = lexv2.slot_value(event, "Day").upper()
        departments = [department] if department in bot.departments else list(bot.departments)
        if department in bot.departments:
            attributes[TOPIC] = _department_queue(bot, department)
        try:
            answer = " ".join(hours_answer(bot, locale, d, day, env) for d in departments)
        except Exception as exc:  # Connect unreachable or throttled: say so, the call goes on
            _log("hours_unavailable", error=type(exc).__name__)
            answer = bot.prompt(locale, "hours_unknown")
        return _anything_else(bot, locale, attributes, answer)
    if intent.kind == "account":
        if attributes.get("Verified", "").lower() != "true":
            attributes[NEEDS_VERIFICATION] = "true"
            return lexv2.close(event, attributes, "Failed", [bot.prompt(locale, "account_not_verified")])
        attributes[TOPIC] = _department_queue(bot, "Accounts")
        topic = lexv2.slot_value(event, "AccountTopic")
        answer = account_answer(bot, locale, attributes.get("PhoneNumber", ""), topic, env)
        return _anything_else(bot, locale, attributes, answer)
    # knowledge
    found = knowledge_base(str(kb_dir()), locale).best(lexv2.transcript(event))
    attributes[AWAITING] = "offer_agent"
    if found is None:
        return lexv2.elicit_intent(
            attributes, [bot.prompt(locale, "knowledge_none"), bot.prompt(locale, "offer_agent")]
        )
    attributes[TOPIC] = _department_queue(bot, found.passage.department) or attributes.get(TOPIC, "")
    return lexv2.elicit_intent(attributes, [found.passage.text, bot.prompt(locale, "offer_agent")])


def fallback(event: Any) -> dict[str, Any]:
    """The defined reply when anything failed: the bot gives the caller to the flow's menus."""
    try:
        locale = locale_of(lexv2.locale_id(event))
        text = load().prompt(locale, "fallback")
    except Exception:
        text = "Sorry, something went wrong. Let me take you to the menu."
    return lexv2.close(event, lexv2.session_attributes(event), "Failed", [text], intent_name=FALLBACK)


def lambda_handler(event: Any, context: Any) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        reply = respond(event, load(), os.environ)
        outcome = "ok"
    except Exception as exc:
        _log("failed", error=type(exc).__name__, detail=str(exc)[:300])
        reply = fallback(event)
        outcome = "fallback"
    _log(
        "answered",
        outcome=outcome,
        intent=lexv2.intent_name(event),
        dialogAction=reply["sessionState"]["dialogAction"]["type"],
        durationMs=round((time.perf_counter() - started) * 1000, 3),
    )
    return reply
