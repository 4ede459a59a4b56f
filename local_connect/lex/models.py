"""The Lex V2 runtime twin's backend: one bot (data/lex/bot.yaml), its sessions and its dialog.

A turn (RecognizeText), as the Lex V2 runtime reference and the code hook pages describe it
(https://docs.aws.amazon.com/lexv2/latest/APIReference/API_runtime_RecognizeText.html,
https://docs.aws.amazon.com/lexv2/latest/dg/lambda-input-format.html):
  1. the utterance is classified (interpretations, each with an nluConfidence; FallbackIntent when
     none reaches the locale's threshold), or, while a slot is being elicited, read as that slot's
     value (an utterance that is clearly another intent switches to it);
  2. the intent's slots are filled from the utterance (slots.py);
  3. the dialog code hook (the fulfillment Lambda, invocationSource DialogCodeHook) decides: its
     Delegate lets the bot go on, any other dialog action is answered as it is;
  4. a required slot still empty is elicited (ElicitSlot with the slot's prompt);
  5. the fulfillment code hook (FulfillmentCodeHook) answers; Close ends the intent.
A code hook that fails or answers something that is not a Lex V2 response is
DependencyFailedException (424), as on Lex. Sessions live in memory for the bot's idle TTL.
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lex_fulfillment.bot import FALLBACK, LOCALES, Bot, Intent

from local_connect.lex.slots import resolve

if TYPE_CHECKING:  # scikit-learn loads on the first utterance, not when the stack starts
    from local_connect.lex.nlu import IntentClassifier, Interpretation

CodeHook = Callable[[dict[str, Any]], Any]
TEST_ALIAS_ID = "TSTALIASID"  # Lex's built-in test alias of every bot
DIALOG_ACTIONS = frozenset({"Close", "ConfirmIntent", "Delegate", "ElicitIntent", "ElicitSlot"})
INTENT_STATES = frozenset(
    {"Failed", "Fulfilled", "InProgress", "ReadyForFulfillment", "Waiting", "FulfillmentInProgress"}
)
SLOT_RETRIES = 2  # Lex's default MaxRetries for a slot prompt (scripts/render_lex.py renders it)


def lex_id(seed: str) -> str:
    """A stable 10-character id like Lex's bot and alias ids."""
    return hashlib.sha256(seed.encode()).hexdigest()[:10].upper()


class LexError(Exception):
    code = "InternalServerException"
    status = 500


class ResourceNotFoundException(LexError):
    code = "ResourceNotFoundException"
    status = 404


class ValidationException(LexError):
    code = "ValidationException"
    status = 400


class DependencyFailedException(LexError):
    code = "DependencyFailedException"
    status = 424


@dataclass
class Session:
    session_id: str
    attributes: dict[str, str] = field(default_factory=dict)
    intent: dict[str, Any] | None = None
    dialog_action: dict[str, Any] | None = None
    slot_retries: int = 0
    messages: list[dict[str, str]] = field(default_factory=list)
    interpretations: list[dict[str, Any]] = field(default_factory=list)
    touched: float = field(default_factory=time.monotonic)

    def state(self) -> dict[str, Any]:
        state: dict[str, Any] = {"sessionAttributes": dict(self.attributes)}
        if self.dialog_action is not None:
            state["dialogAction"] = dict(self.dialog_action)
        if self.intent is not None:
            state["intent"] = self.intent
        return state


def _slot(original: str, value: str) -> dict[str, Any]:
    return {
        "shape": "Scalar",
        "value": {"originalValue": original, "interpretedValue": value, "resolvedValues": [value]},
    }


def _interpretation(bot: Bot, found: Interpretation) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "intent": {"name": found.intent, "slots": {}, "state": "InProgress", "confirmationState": "None"},
        "interpretationSource": "Lex",
    }
    if found.intent != FALLBACK:  # Lex gives no score to FallbackIntent
        entry["nluConfidence"] = {"score": found.confidence}
        intent = bot.intent(found.intent)
        entry["intent"]["slots"] = {s.name: None for s in intent.slots} if intent else {}
    return entry


class LexBackend:
    """Serves one bot, both locales, under its id and two aliases (TSTALIASID and `alias_name`)."""

    def __init__(self, bot: Bot, code_hook: CodeHook, alias_name: str = "live") -> None:
        self.bot = bot
        self.code_hook = code_hook
        self.bot_id = lex_id(f"bot:{bot.name}")
        self.alias_name = alias_name
        self.alias_ids = {TEST_ALIAS_ID: "TestBotAlias", lex_id(f"alias:{bot.name}:{alias_name}"): alias_name}
        self._classifiers: dict[str, IntentClassifier] = {}
        self._sessions: dict[tuple[str, str, str], Session] = {}
        self._lock = threading.Lock()

    def classifier(self, locale: str) -> IntentClassifier:
        """The locale's classifier, trained on first use (a second or so: the stack starts fast)."""
        with self._lock:
            found = self._classifiers.get(locale)
            if found is None:
                from local_connect.lex.nlu import classifier_for

                found = self._classifiers[locale] = classifier_for(self.bot, locale)
            return found

    # ---- sessions
    def _check(self, bot_id: str, alias_id: str, locale: str) -> None:
        if bot_id != self.bot_id:
            raise ResourceNotFoundException(f"Bot {bot_id} does not exist")
        if alias_id not in self.alias_ids:
            raise ResourceNotFoundException(f"Bot alias {alias_id} does not exist for bot {bot_id}")
        if locale not in LOCALES:
            raise ResourceNotFoundException(f"Locale {locale} is not enabled for bot alias {alias_id}")

    def _session(self, alias_id: str, locale: str, session_id: str, create: bool) -> Session | None:
        if not 2 <= len(session_id) <= 100:
            raise ValidationException("sessionId must be 2 to 100 characters")
        key = (alias_id, locale, session_id)
        now = time.monotonic()
        with self._lock:
            for stale in [
                k for k, s in self._sessions.items() if now - s.touched > self.bot.idle_session_ttl_seconds
            ]:
                del self._sessions[stale]
            session = self._sessions.get(key)
            if session is None and create:
                session = self._sessions[key] = Session(session_id)
            if session is not None:
                session.touched = now
            return session

    def get_session(self, bot_id: str, alias_id: str, locale: str, session_id: str) -> dict[str, Any]:
        self._check(bot_id, alias_id, locale)
        session = self._session(alias_id, locale, session_id, create=False)
        if session is None:
            raise ResourceNotFoundException(f"Session {session_id} does not exist")
        return {
            "sessionId": session_id,
            "messages": session.messages,
            "interpretations": session.interpretations,
            "sessionState": session.state(),
        }

    def put_session(
        self, bot_id: str, alias_id: str, locale: str, session_id: str, state: Mapping[str, Any]
    ) -> dict[str, Any]:
        self._check(bot_id, alias_id, locale)
        session = self._session(alias_id, locale, session_id, create=True)
        assert session is not None
        self._apply_state(session, state)
        return {"sessionId": session_id, "sessionState": session.state()}

    def delete_session(self, bot_id: str, alias_id: str, locale: str, session_id: str) -> dict[str, Any]:
        self._check(bot_id, alias_id, locale)
        with self._lock:
            if self._sessions.pop((alias_id, locale, session_id), None) is None:
                raise ResourceNotFoundException(f"Session {session_id} does not exist")
        return {"botId": bot_id, "botAliasId": alias_id, "localeId": locale, "sessionId": session_id}

    @staticmethod
    def _apply_state(session: Session, state: Mapping[str, Any]) -> None:
        attributes = state.get("sessionAttributes")
        if attributes is not None:
            if not isinstance(attributes, Mapping) or not all(
                isinstance(v, str) for v in attributes.values()
            ):
                raise ValidationException("sessionState.sessionAttributes must map strings to strings")
            session.attributes = dict(attributes)
        if isinstance(state.get("intent"), Mapping):
            session.intent = dict(state["intent"])
        if isinstance(state.get("dialogAction"), Mapping):
            session.dialog_action = dict(state["dialogAction"])

    # ---- a turn
    def recognize_text(
        self,
        bot_id: str,
        alias_id: str,
        locale: str,
        session_id: str,
        text: Any,
        session_state: Mapping[str, Any] | None = None,
        request_attributes: Mapping[str, str] | None = None,
        input_mode: str = "Text",
    ) -> dict[str, Any]:
        self._check(bot_id, alias_id, locale)
        if not isinstance(text, str) or not 1 <= len(text) <= 1024:
            raise ValidationException("text must be 1 to 1024 characters")
        session = self._session(alias_id, locale, session_id, create=True)
        assert session is not None
        if session_state:
            self._apply_state(session, session_state)
        turn = _Turn(self, session, alias_id, locale, text, dict(request_attributes or {}), input_mode)
        reply = turn.run()
        session.messages = reply["messages"]
        session.interpretations = reply["interpretations"]
        return reply


class _Turn:
    """One utterance through the dialog; see the module's docstring."""

    def __init__(
        self,
        backend: LexBackend,
        session: Session,
        alias_id: str,
        locale: str,
        text: str,
        request_attributes: dict[str, str],
        input_mode: str,
    ) -> None:
        self.backend = backend
        self.bot = backend.bot
        self.session = session
        self.alias_id = alias_id
        self.locale = locale
        self.text = text
        self.request_attributes = request_attributes
        self.input_mode = input_mode
        self.request_id = str(uuid.uuid4())
        self.interpretations: list[dict[str, Any]] = []

    def run(self) -> dict[str, Any]:
        ranked = self.backend.classifier(self.locale).interpret(self.text)
        self.interpretations = [_interpretation(self.bot, r) for r in ranked[:5]]
        top = ranked[0]
        eliciting = self.session.dialog_action or {}
        current = self.session.intent
        if eliciting.get("type") == "ElicitSlot" and current is not None:
            intent = self.bot.intent(str(current.get("name")))
            slot_name = str(eliciting.get("slotToElicit", ""))
            slot_type = self.bot.slot_type_of(intent, slot_name) if intent else None
            match = resolve(slot_type, self.locale, self.text) if slot_type else None
            if intent is not None and match is not None:
                current.setdefault("slots", {})[slot_name] = _slot(match.original, match.value)
                self.session.slot_retries = 0
                return self._continue(intent, current)
            if top.intent in (FALLBACK, intent.name if intent else ""):
                self.session.slot_retries += 1
                if intent is not None and self.session.slot_retries <= SLOT_RETRIES:
                    return self._elicit_slot(intent, current, slot_name)
            # Another intent, or the retries are spent: a fresh interpretation of the utterance.
        self.session.slot_retries = 0
        intent = self.bot.intent(top.intent)
        slots: dict[str, Any] = {}
        state: dict[str, Any] = {
            "name": top.intent,
            "slots": slots,
            "state": "InProgress",
            "confirmationState": "None",
        }
        if intent is None:  # FallbackIntent: its fulfillment hook decides (rephrase, or give up)
            return self._hook("FulfillmentCodeHook", None, state)
        for slot in intent.slots:
            slot_type = self.bot.slot_types[slot.type]
            match = resolve(slot_type, self.locale, self.text)
            slots[slot.name] = _slot(match.original, match.value) if match else None
        return self._continue(intent, state)

    def _continue(self, intent: Intent, state: dict[str, Any]) -> dict[str, Any]:
        reply = self._call("DialogCodeHook", state)
        action = reply["sessionState"]["dialogAction"]
        if action["type"] != "Delegate":
            return self._finish(reply)
        state = reply["sessionState"].get("intent") or state
        self.session.attributes = dict(reply["sessionState"].get("sessionAttributes") or {})
        for slot in intent.slots:
            if slot.required and not (state.get("slots") or {}).get(slot.name):
                return self._elicit_slot(intent, state, slot.name)
        return self._hook("FulfillmentCodeHook", intent, state)

    def _elicit_slot(self, intent: Intent, state: dict[str, Any], slot_name: str) -> dict[str, Any]:
        slot = next(s for s in intent.slots if s.name == slot_name)
        state = {**state, "state": "InProgress"}
        self.session.intent = state
        self.session.dialog_action = {"type": "ElicitSlot", "slotToElicit": slot_name}
        messages = [{"contentType": "PlainText", "content": slot.prompts[self.locale]}]
        return self._reply(messages)

    def _hook(self, source: str, intent: Intent | None, state: dict[str, Any]) -> dict[str, Any]:
        reply = self._call(source, {**state, "state": "ReadyForFulfillment"} if intent else state)
        if reply["sessionState"]["dialogAction"]["type"] == "Delegate":
            # After fulfillment there is nothing left to delegate to: the intent is done.
            reply["sessionState"]["dialogAction"] = {"type": "Close"}
            reply["sessionState"].setdefault("intent", state)["state"] = "Fulfilled"
        return self._finish(reply)

    def _call(self, source: str, state: dict[str, Any]) -> dict[str, Any]:
        event = {
            "messageVersion": "1.0",
            "invocationSource": source,
            "inputMode": self.input_mode,
            "responseContentType": "text/plain; charset=utf-8",
            "sessionId": self.session.session_id,
            "inputTranscript": self.text,
            "invocationLabel": "",
            "bot": {
                "id": self.backend.bot_id,
                "name": self.bot.name,
                "localeId": self.locale,
                "version": "DRAFT" if self.alias_id == TEST_ALIAS_ID else "1",
                "aliasId": self.alias_id,
                "aliasName": self.backend.alias_ids[self.alias_id],
            },
            "interpretations": [
                {**i, "nluConfidence": i["nluConfidence"]["score"]} if "nluConfidence" in i else i
                for i in self.interpretations
            ],
            "requestAttributes": self.request_attributes,
            "sessionState": {
                "sessionAttributes": dict(self.session.attributes),
                "activeContexts": [],
                "intent": state,
                "originatingRequestId": self.request_id,
            },
        }
        try:
            reply = self.backend.code_hook(event)
        except Exception as exc:
            raise DependencyFailedException(
                f"Invalid Lambda Response: Received error response from Lambda: {type(exc).__name__}"
            ) from exc
        return _checked(reply)

    def _finish(self, reply: dict[str, Any]) -> dict[str, Any]:
        state = reply["sessionState"]
        self.session.attributes = dict(state.get("sessionAttributes") or {})
        action = dict(state["dialogAction"])
        self.session.dialog_action = action
        if action["type"] == "Close":
            self.session.intent = state.get("intent")
        elif action["type"] == "ElicitIntent":
            self.session.intent = None
        else:
            self.session.intent = state.get("intent") or self.session.intent
        messages = [m for m in reply.get("messages") or [] if isinstance(m, Mapping)]
        result = self._reply(messages)
        if action["type"] == "Close":
            # The intent is over: the next utterance starts a new one.
            self.session.intent = None
            self.session.dialog_action = None
        return result

    def _reply(self, messages: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
        state = self.session.state()
        state["originatingRequestId"] = self.request_id
        return {
            "messages": [dict(m) for m in messages],
            "sessionState": state,
            "interpretations": self.interpretations,
            "requestAttributes": self.request_attributes,
            "sessionId": self.session.session_id,
        }


def _checked(reply: Any) -> dict[str, Any]:
    """The code hook's answer, if it is a Lex V2 response (sessionState.dialogAction.type known)."""
    state = reply.get("sessionState") if isinstance(reply, Mapping) else None
    action = state.get("dialogAction") if isinstance(state, Mapping) else None
    kind = action.get("type") if isinstance(action, Mapping) else None
    if kind not in DIALOG_ACTIONS:
        raise DependencyFailedException("Invalid Lambda Response: sessionState.dialogAction.type is missing")
    assert isinstance(reply, Mapping) and isinstance(state, Mapping) and isinstance(action, Mapping)
    intent = state.get("intent")
    if kind != "ElicitIntent" and not (isinstance(intent, Mapping) and intent.get("name")):
        raise DependencyFailedException(f"Invalid Lambda Response: {kind} needs sessionState.intent")
    if isinstance(intent, Mapping) and intent.get("state") not in (None, *INTENT_STATES):
        raise DependencyFailedException(f"Invalid Lambda Response: intent state {intent.get('state')!r}")
    if kind == "ElicitIntent" and not reply.get("messages"):
        raise DependencyFailedException("Invalid Lambda Response: ElicitIntent needs messages")
    return {
        "sessionState": {**state, "dialogAction": dict(action)},
        "messages": list(reply.get("messages") or []),
    }
