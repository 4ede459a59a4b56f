"""ConnectParticipantWithLexBot: the caller talks with an Amazon Lex V2 bot until it closes the
intent, then the flow branches on the intent's name.

Sources (local_connect/flows/catalog.json, ConnectParticipantWithLexBot): the Flow Language page
"ConnectParticipantWithLexBot" (parameters Text | SSML | PromptId, LexV2Bot {AliasArn},
LexSessionAttributes, LexInitilizationData {InitialMessage}, LexTimeoutSeconds {Text};
conditions: Equals on the intent name; errors NoMatchingCondition, NoMatchingError,
InputTimeLimitExceeded) and the attribute list ($.Lex.IntentName, $.Lex.Slots.<slot>,
$.Lex.SessionAttributes.<key>, $.Lex.DialogState).

Locally: the prompt is said, then each thing the caller says (`FlowEngine.speech`, typed text
or recognised speech) or presses (`digits`, sent to the bot as DTMF input) goes to the bot through
`LexBots` (the Lex twin, local_connect/lex); the bot's messages are said; a Close ends the action.
Not settled from evidence, and chosen here: the Lex session id is the contact id; the session
attributes are sent with the first turn; without LexTimeoutSeconds the caller has
DEFAULT_TIMEOUT_SECONDS to start speaking each time the bot listens; a bot that fails (unknown
alias, an error) takes NoMatchingError.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from local_connect.flows import references
from local_connect.flows.engine import WAIT, Waiting

if TYPE_CHECKING:
    from local_connect.flows.engine import FlowEngine, Outcome, Session
    from local_connect.flows.model import Action

DEFAULT_TIMEOUT_SECONDS = 5.0
WAITING_KIND = "lex"


class LexBots(Protocol):
    """How the engine reaches a Lex V2 bot alias: RecognizeText's reply (messages, sessionState)."""

    def recognize(
        self,
        alias_arn: str,
        locale: str,
        session_id: str,
        text: str,
        session_attributes: Mapping[str, str] | None,
        input_mode: str,
    ) -> Mapping[str, Any]: ...


@dataclass
class LexWaiting(Waiting):
    """The session waits for the caller to speak to a bot alias."""

    alias_arn: str = ""
    first_turn_attributes: dict[str, str] | None = field(default_factory=dict)


def lex_locale(language: str) -> str:
    """Connect's en-US -> Lex's en_US."""
    return language.replace("-", "_") if language else "en_US"


class LexBotAction:
    def __init__(self, engine: FlowEngine, bots: LexBots | None) -> None:
        self.engine = engine
        self.bots = bots

    def run(self, session: Session, action: Action) -> Outcome:
        engine = self.engine
        params = action.parameters
        alias = params.get("LexV2Bot") or {}
        alias_arn = engine._value(session, alias.get("AliasArn", "")) if isinstance(alias, Mapping) else ""
        if self.bots is None or not alias_arn:
            engine._problem(session, action.identifier, "no Lex V2 bot alias to talk to")
            return engine._error(session, action, "NoMatchingError")
        scope = engine.scope(session)
        raw = params.get("LexSessionAttributes") or {}
        attributes = {str(k): references.resolve_value(scope, v) for k, v in raw.items()}
        session.lex = {
            "IntentName": "",
            "Slots": {},
            "SessionAttributes": dict(attributes),
            "DialogState": "",
        }
        engine._say(session, action, params, expects_input=True)
        waiting = LexWaiting(
            WAITING_KIND, action, alias_arn=alias_arn, first_turn_attributes=dict(attributes)
        )
        session.waiting = waiting
        initial = params.get("LexInitilizationData") or {}
        first = (
            engine._value(session, initial.get("InitialMessage", "")) if isinstance(initial, Mapping) else ""
        )
        if first.strip():
            outcome = self._turn(session, waiting, first, "Text")
            if outcome is not None:
                session.waiting = None
                return outcome
        self._listen(session, waiting)
        return WAIT

    def heard(self, session: Session, text: str, mode: str) -> bool:
        """The caller said (or pressed) something: True when a bot was listening."""
        waiting = session.waiting
        if not isinstance(waiting, LexWaiting):
            return False
        waiting.cancel()
        outcome = self._turn(session, waiting, text, mode)
        if outcome is not None:
            self.engine._resume(session, waiting.action, outcome)
        else:
            self._listen(session, waiting)
        return True

    def _listen(self, session: Session, waiting: LexWaiting) -> None:
        seconds = DEFAULT_TIMEOUT_SECONDS
        limit = waiting.action.parameters.get("LexTimeoutSeconds")
        if isinstance(limit, Mapping) and limit.get("Text"):
            try:
                seconds = float(self.engine._value(session, limit["Text"]))
            except ValueError:
                seconds = DEFAULT_TIMEOUT_SECONDS
        waiting.timers.append(
            self.engine.scheduler.call_later(seconds, lambda: self._timeout(session, waiting))
        )

    def _timeout(self, session: Session, waiting: LexWaiting) -> None:
        if session.waiting is not waiting:
            return
        waiting.cancel()
        self.engine._resume(
            session, waiting.action, self.engine._error(session, waiting.action, "InputTimeLimitExceeded")
        )

    def _turn(self, session: Session, waiting: LexWaiting, text: str, mode: str) -> Outcome | None:
        """One utterance to the bot; the action's outcome when the bot closed the intent, else None
        (the bot said something and listens again)."""
        engine = self.engine
        action = waiting.action
        assert self.bots is not None
        try:
            reply = self.bots.recognize(
                waiting.alias_arn,
                lex_locale(session.language),
                session.contact_id,
                text,
                waiting.first_turn_attributes,
                mode,
            )
        except Exception as exc:
            engine._problem(session, action.identifier, f"the Lex bot failed: {type(exc).__name__}: {exc}")
            return engine._error(session, action, "NoMatchingError")
        waiting.first_turn_attributes = None
        state = reply.get("sessionState") or {}
        intent = state.get("intent") or {}
        session.lex["SessionAttributes"] = dict(state.get("sessionAttributes") or {})
        closing = (state.get("dialogAction") or {}).get("type") == "Close"
        for message in reply.get("messages") or []:
            content = str(message.get("content") or "")
            if content:
                ssml = message.get("contentType") == "SSML"
                key = "SSML" if ssml else "Text"
                engine._say(session, action, {key: content}, expects_input=not closing)
        if not closing:
            return None
        session.lex["IntentName"] = str(intent.get("name") or "")
        session.lex["DialogState"] = str(intent.get("state") or "")
        session.lex["Slots"] = {
            name: str(((slot or {}).get("value") or {}).get("interpretedValue") or "")
            for name, slot in (intent.get("slots") or {}).items()
        }
        return engine._branch_on(session, action, session.lex["IntentName"])
