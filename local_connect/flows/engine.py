"""The flow executor: runs Flow Language actions for many contacts on one thread, event by event.

A contact's session runs actions until one has to wait (caller input, a prompt loop, a Wait) and
then returns; the wait ends with `digits()` or a timer on the scheduler, and the session carries
on from there. Nothing blocks and nothing sleeps, so a test drives whole calls with a manual clock.

Semantics follow the Flow Language reference; where the local engine differs, docs/FLOW-LANGUAGE.md
says so. Each action's handler returns what happens next: a branch to take, WAIT, or STOP.
"""

from __future__ import annotations

import functools
import logging
import math
import random
import re
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from local_connect.clock import Scheduler, Timer
from local_connect.definitions import MODULE_FLOW_TYPE, ContactFlowDef
from local_connect.flows import references
from local_connect.flows.catalog import CATALOG, CHECK_METRICS, SPECS, STAFFING_METRICS
from local_connect.flows.conditions import first_match
from local_connect.flows.coverage import NEXT, Coverage, condition_label, error_label
from local_connect.flows.lambdas import LambdaInvoker
from local_connect.flows.loader import FlowLibrary
from local_connect.flows.model import Action, Flow

if TYPE_CHECKING:
    from local_connect.flows.lex_bot import LexBots
from local_connect.flows.ports import (
    CallbackRequest,
    ContactCenterServices,
    Prompt,
    ServiceError,
    TaskRequest,
)

DEFAULT_LANGUAGE = "en-US"
DEFAULT_VOICE = "Joanna"
DEFAULT_INPUT_SECONDS = 5.0
# A flow that runs STEP_BUDGET actions for one contact while the contact's clock moves less than
# PROGRESS_SECONDS is spinning (a cycle of zero-time actions: Compare -> UpdateContactAttributes ->
# Compare, a Wait of 0 s and a message, a Loop back to itself) and is ended. Connect documents no such
# bound (the Flow Language and admin guide pages for Loop and Wait name none), so it is ours: every
# action that takes time on a real call (a prompt, input, a Wait) moves the clock, and no flow of the
# template or the corpus comes near 1000 actions in one second. The budget is per contact and starts
# again when the caller presses a key or a flow is started for the contact: those are the caller's
# doing, not the flow's.
STEP_BUDGET = 1000
# SSML pauses in prompts (Amazon Polly's <break time="…"/>), for how long a prompt takes to say.
BREAK_TIME = re.compile(r"""<break\b[^>]*\btime\s*=\s*["']\s*([0-9.]+)\s*(ms|s)\s*["']""", re.IGNORECASE)
TAG = re.compile(r"<[^>]*>")
MAX_BREAK_SECONDS = 10.0


def _break_seconds(match: re.Match[str]) -> float:
    try:
        value = float(match.group(1))
    except ValueError:
        return 0.0
    return value / 1000 if match.group(2).lower() == "ms" else value


PROGRESS_SECONDS = 1.0
# InvokeFlowModule is allowed in CONTACT_FLOW only (catalog), so a module cannot invoke a module in a
# flow that validates; a leniently loaded one could recurse, and the return stack is bounded here.
MAX_MODULE_DEPTH = 10
# Actions run in one go before the rest of the run is put on a timer due at once: a bound on how
# long one event holds the runtime lock (well above the longest zero-time chain of a real flow).
SLICE_STEPS = 100
# The longest timer a flow parameter can set: a huge number ("1e308") would otherwise put a timer
# past any date the clock and the hours can represent. No real flow waits a week in one action.
MAX_SECONDS = 7 * 24 * 3600.0
INTERNAL_ERROR = "internal error"  # prefix of a problem that is the engine's own bug (fuzz tests look)
DORMANT_SESSIONS = 10_000  # finished sessions kept for a later flow on the same contact
KEPT_PROBLEMS = 1_000  # the latest run-time problems, for tests and the terminal caller
KEPT_TRACE = 200  # actions of a finished session's trace kept while it is dormant

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Go:
    label: str  # coverage label of the branch taken
    target: str | None


WAIT = "wait"  # the session now waits (session.waiting is set)
STOP = "stop"  # the session is done with this run (ended, or queued without a queue flow)
CONTINUE = "continue"  # the handler moved the session itself (into another flow)
Outcome = Go | str


@dataclass
class Waiting:
    """What a suspended session waits for."""

    kind: str  # "input" | "iterate" | "wait" | "continue" (a long run, carried on by a timer)
    action: Action
    timers: list[Timer] = field(default_factory=list)
    digits: str = ""
    index: int = 0  # iterate: the next message

    def cancel(self) -> None:
        for timer in self.timers:
            timer.cancel()
        self.timers.clear()


@dataclass(frozen=True)
class ModuleReturn:
    flow: Flow
    action: Action  # the InvokeFlowModule action; its NextAction is where the flow carries on
    flow_attributes: dict[str, str]


@dataclass
class Session:
    contact_id: str
    flow: Flow
    action_id: str | None
    language: str = DEFAULT_LANGUAGE
    voice: str = DEFAULT_VOICE
    voice_engine: str = "Standard"
    attributes: dict[str, str] = field(default_factory=dict)
    external: dict[str, Any] = field(default_factory=dict)
    stored_input: str | None = None
    callback_number: str | None = None
    target_queue: str | None = None
    target_agent: str | None = None  # UpdateContactTargetQueue AgentId: who TransferContactToAgent reaches
    priority: int | None = None
    time_adjustment: float | None = None
    hooks: dict[str, str] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)
    loops: dict[tuple[str, str], int] = field(default_factory=dict)
    contact_values: dict[str, str] = field(default_factory=dict)  # UpdateContactData
    logging: bool = False
    recording: Mapping[str, Any] = field(default_factory=dict)
    waiting: Waiting | None = None
    active: bool = True
    queued: bool = False
    disconnected: bool = False
    trace: list[tuple[str, str]] = field(default_factory=list)  # (flow key, action id) in order
    burst_start: float | None = None  # when the clock last moved by PROGRESS_SECONDS (step budget)
    burst_steps: int = 0  # actions run since burst_start
    log: list[dict[str, Any]] = field(default_factory=list)  # flow logs, when logging is enabled
    # UpdateFlowAttributes: "attributes on the current flow ... not carried over to the subsequent
    # flows" ($.FlowAttributes.<name>); cleared whenever another flow starts for the contact.
    flow_attributes: dict[str, str] = field(default_factory=dict)
    # Accepted and recorded, not simulated (the ACD routes by queue, priority and age only; no media
    # is streamed to Kinesis Video Streams): UpdateContactRoutingCriteria, UpdateContactMediaStreaming.
    # InvokeFlowModule: where each running module returns to (the invoking flow, the invoking action,
    # that flow's flow attributes); EndFlowModuleExecution pops it.
    modules: list[ModuleReturn] = field(default_factory=list)
    routing_criteria: Mapping[str, Any] = field(default_factory=dict)
    media_streaming: Mapping[str, Any] = field(default_factory=dict)
    lex: dict[str, Any] = field(default_factory=dict)  # $.Lex after ConnectParticipantWithLexBot


class FlowEngine:
    def __init__(
        self,
        services: ContactCenterServices,
        scheduler: Scheduler,
        library: FlowLibrary,
        lambdas: LambdaInvoker,
        *,
        coverage: Coverage | None = None,
        instance_arn: str = "",
        seconds_per_word: float = 0.4,
        dialable_regions: frozenset[str] = frozenset({"US"}),
        seed: int | None = 0,
        lex_bots: LexBots | None = None,
    ) -> None:
        from local_connect.flows.lex_bot import LexBotAction  # it builds on this module's types

        self.services = services
        self.scheduler = scheduler
        self.library = library
        self.lambdas = lambdas
        self.coverage = coverage
        self.instance_arn = instance_arn
        self.seconds_per_word = seconds_per_word
        self.dialable_regions = dialable_regions
        self.random = random.Random(seed)
        self.sessions: dict[str, Session] = {}
        self._dormant: OrderedDict[str, Session] = OrderedDict()
        # Run-time problems (an unsupported action reached, a Lambda that failed...): logged, and
        # the latest kept here.
        self.problems: list[str] = []
        self._lex_bot = LexBotAction(self, lex_bots)
        self._handlers: dict[str, Callable[[Session, Action], Outcome]] = {
            "MessageParticipant": self._message,
            "MessageParticipantIteratively": self._message_iteratively,
            "GetParticipantInput": self._get_input,
            "UpdateContactAttributes": self._update_attributes,
            "Compare": self._compare,
            "InvokeLambdaFunction": self._invoke_lambda,
            "UpdateContactTargetQueue": self._target_queue,
            "TransferContactToQueue": self._transfer_to_queue,
            "CheckHoursOfOperation": self._check_hours,
            "CheckMetricData": self._check_metric,
            "GetMetricData": self._get_metrics,
            "UpdateContactRoutingBehavior": self._routing_behavior,
            "UpdateContactTextToSpeechVoice": self._voice,
            "UpdateContactData": self._contact_data,
            "UpdateContactEventHooks": self._event_hooks,
            "UpdateContactCallbackNumber": self._callback_number,
            "CreateCallbackContact": self._create_callback,
            "DisconnectParticipant": self._disconnect,
            "EndFlowExecution": self._end_flow,
            "TransferToFlow": self._transfer_to_flow,
            "Loop": self._loop,
            "DistributeByPercentage": self._distribute,
            "Wait": self._wait,
            "ConnectParticipantWithLexBot": self._lex_bot.run,
            "UpdateFlowLoggingBehavior": self._logging,
            "UpdateContactRecordingBehavior": self._recording,
            "UpdateFlowAttributes": self._flow_attributes,
            "TagContact": self._tag_contact,
            "UpdateContactRoutingCriteria": self._routing_criteria,
            "UpdateContactMediaStreamingBehavior": self._media_streaming,
            "CheckOutboundCallStatus": self._outbound_call_status,
            "ResumeContact": self._resume_contact,
            "DequeueContactAndTransferToQueue": self._queue_to_queue,
            "TransferContactToAgent": self._transfer_to_agent,
            "CreateTask": self._create_task,
            "InvokeFlowModule": self._invoke_module,
            "EndFlowModuleExecution": self._end_module,
        }
        missing = set(SPECS) - set(self._handlers)
        assert not missing, f"catalogued action types without a handler: {missing}"

    # ------------------------------------------------------------------ the public surface
    def start(self, contact_id: str, flow: str | ContactFlowDef | Flow) -> Session:
        """Run `flow` for the contact from its StartAction until it waits or ends."""
        target = self.library.get(flow)
        session = self.sessions.get(contact_id) or self._dormant.pop(contact_id, None)
        if session is None:
            session = Session(contact_id, target, target.start_action)
            # A contact that already has a language (a callback keeps its caller's) starts in it.
            known = self.services.contact_data(contact_id).language
            if known:
                session.language = known
        else:
            if session.waiting is not None:
                session.waiting.cancel()
                session.waiting = None
            session.flow, session.action_id = target, target.start_action
            session.active, session.disconnected = True, False
            session.flow_attributes, session.modules = {}, []
        self.sessions[contact_id] = session
        session.burst_start = None  # a new flow for the contact: the step budget starts again
        self._guard(session, lambda: self._run(session))
        return session

    def digits(self, contact_id: str, keys: str) -> None:
        """The caller pressed keys; ignored unless the flow is collecting input."""
        session = self.sessions.get(contact_id)
        if session is None or not session.active:
            return
        for key in keys:
            waiting = session.waiting
            if waiting is not None and waiting.kind == "lex":  # a bot hears keys as DTMF input
                self._lex_bot.heard(session, key, "DTMF")
                continue
            if waiting is None or waiting.kind != "input":
                return
            session.burst_start = None  # the caller's key, not the flow, makes this run
            self._on_wait_event(session, waiting, functools.partial(self._input_key, session, waiting, key))

    def speech(self, contact_id: str, text: str) -> bool:
        """The caller said something (typed, or recognised speech). Only a Lex bot listens: False
        when none is (a key-press menu, a prompt, no call), and the words are lost as on Connect."""
        session = self.sessions.get(contact_id)
        if session is None or not session.active:
            return False
        return self._lex_bot.heard(session, text, "Speech")

    def stop(self, contact_id: str) -> None:
        """The contact left the flow (hung up, connected to an agent): cancel what it waits for."""
        session = self.sessions.pop(contact_id, None)
        if session is None:
            return
        if session.waiting is not None:
            session.waiting.cancel()
            session.waiting = None
        session.active = False
        # Kept for a later flow on the same contact (the disconnect flow after the agent), lightly.
        del session.trace[:-KEPT_TRACE]
        del session.log[:-KEPT_TRACE]
        self._dormant[contact_id] = session
        while len(self._dormant) > DORMANT_SESSIONS:
            self._dormant.popitem(last=False)

    def session(self, contact_id: str) -> Session | None:
        return self.sessions.get(contact_id) or self._dormant.get(contact_id)

    # ------------------------------------------------------------------ running
    def _guard(self, session: Session, run: Callable[[], None]) -> None:
        """Run an event of the session so that nothing escapes to the caller (switchboard, timer
        thread, HTTP handler): an exception here is a bug of the engine, reported as such, and the
        contact is disconnected rather than left in a flow that can no longer move."""
        try:
            run()
        except Exception as exc:
            _log.exception("flow engine failed for %s", session.contact_id)
            self._problem(session, session.action_id, f"{INTERNAL_ERROR}: {type(exc).__name__}: {exc}")
            try:
                self._finish(session, disconnect=True)
            except Exception:
                _log.exception("could not end the flow of %s", session.contact_id)

    def _over_budget(self, session: Session) -> bool:
        """Count one action against the step budget; True when the flow is spinning."""
        now = self.scheduler.clock.now()
        if session.burst_start is None or not now - session.burst_start < PROGRESS_SECONDS:
            session.burst_start, session.burst_steps = now, 0
        session.burst_steps += 1
        return session.burst_steps > STEP_BUDGET

    def _run(self, session: Session) -> None:
        ran = 0
        while session.active and session.action_id is not None and session.waiting is None:
            ran += 1
            if ran > SLICE_STEPS and self._pause(session):
                return
            if self._over_budget(session):
                self._problem(
                    session,
                    session.action_id,
                    f"{STEP_BUDGET} actions within {PROGRESS_SECONDS:g} s of the contact's time: "
                    "the flow loops without waiting; disconnecting",
                )
                self._finish(session, disconnect=True)
                return
            action = session.flow.action(session.action_id)
            if action is None:
                self._problem(session, session.action_id, "no such action; ending the flow")
                self._finish(session, disconnect=True)
                return
            session.trace.append((session.flow.key, action.identifier))
            if self.coverage is not None:
                self.coverage.visit(session.flow.key, action.identifier, session.language)
            if session.logging:
                session.log.append(
                    {"flow": session.flow.key, "action": action.identifier, "type": action.type}
                )
            outcome = self._execute(session, action)
            if isinstance(outcome, Go):
                self._take(session, action, outcome)
            elif outcome == STOP:
                return
            # WAIT: the session now has `waiting`, so the loop ends and an event resumes it.
            # CONTINUE: the session is at the start of another flow; keep running.

    def _pause(self, session: Session) -> bool:
        """Carry on from a timer due now, so whoever runs this event (an HTTP handler, the timer
        thread) gives the runtime lock up between slices of a long run of zero-time actions."""
        action = session.flow.action(session.action_id or "")
        if action is None:
            return False  # the loop ends the flow
        waiting = Waiting("continue", action)
        session.waiting = waiting

        def carry_on() -> None:
            if session.waiting is waiting and session.active:
                session.waiting = None
                self._run(session)

        waiting.timers.append(self.scheduler.call_later(0, lambda: self._guard(session, carry_on)))
        return True

    def _execute(self, session: Session, action: Action) -> Outcome:
        handler = self._handlers.get(action.type)
        if handler is None:
            # A type the engine does not run: its NoMatchingError branch ("if no other Error
            # matches", the error every such action documents), named in a problem line. One that
            # needs a service the runtime does not model says which.
            spec = CATALOG.actions.get(action.type)
            needs = (
                f": it needs {spec.service}, which the local runtime does not model"
                if spec and spec.service
                else ""
            )
            self._problem(
                session,
                action.identifier,
                f"action type {action.type} is not supported locally{needs}; error branch",
            )
            return self._error(session, action, "NoMatchingError")
        try:
            return handler(session, action)
        except Exception as exc:
            # A parameter the validator let through (lenient load) that makes no sense at run time:
            # the action fails the way Connect fails it, and the call goes on.
            self._problem(session, action.identifier, f"{action.type} failed: {_reason(exc)}")
            if session.waiting is not None:
                session.waiting.cancel()
                session.waiting = None
            return self._error(session, action, "NoMatchingError")

    def _take(self, session: Session, action: Action, go: Go) -> None:
        if self.coverage is not None:
            self.coverage.take(session.flow.key, action.identifier, go.label, session.language)
        session.action_id = go.target
        if go.target is None:
            self._problem(session, action.identifier, f"branch {go.label} leads nowhere; ending the flow")
            self._finish(session, disconnect=True)

    def _resume(self, session: Session, action: Action, outcome: Outcome) -> None:
        """Carry on after a wait ended with `outcome`."""
        session.waiting = None
        if isinstance(outcome, Go):
            self._take(session, action, outcome)
        if session.active and outcome != STOP:
            self._run(session)

    def _finish(self, session: Session, *, disconnect: bool) -> None:
        """The flow is over for the contact (disconnected, or EndFlowExecution)."""
        session.action_id = None
        if session.waiting is not None:
            session.waiting.cancel()
            session.waiting = None
        if disconnect:
            session.disconnected = True
        self.stop(session.contact_id)
        self.services.end_flow(session.contact_id, disconnect=disconnect)

    def _problem(self, session: Session, action: str | None, message: str) -> None:
        where = f"{session.flow.key}/{action}" if action else session.flow.key
        problem = f"{session.contact_id} {where}: {message}"
        _log.warning("flow problem: %s", problem)
        self.problems.append(problem)
        if len(self.problems) > KEPT_PROBLEMS:
            del self.problems[: len(self.problems) - KEPT_PROBLEMS]

    # ------------------------------------------------------------------ branches
    @staticmethod
    def _next(action: Action) -> Go:
        return Go(NEXT, action.transitions.next_action)

    def _error(self, session: Session, action: Action, error_type: str) -> Outcome:
        branch = action.transitions.error_target(error_type)
        if branch is not None:
            return Go(error_label(error_type), branch.next_action)
        fallback = action.transitions.error_target("NoMatchingError")
        if fallback is not None and error_type != "NoMatchingError":
            return Go(error_label("NoMatchingError"), fallback.next_action)
        spec = SPECS.get(action.type)
        if spec is not None and not spec.errors and action.transitions.next_action:
            # The catalog declares no error for this type (UpdateContactRoutingBehavior...): Connect
            # has no error outcome for it, so a local failure is logged and the flow goes on.
            self._problem(session, action.identifier, f"{action.type} failed ({error_type}); going on")
            return self._next(action)
        self._problem(session, action.identifier, f"error {error_type} has no branch; ending the flow")
        self._finish(session, disconnect=True)
        return STOP

    def _branch_on(self, session: Session, action: Action, value: str) -> Outcome:
        index = first_match(action.transitions.conditions, value)
        if index is not None:
            return Go(condition_label(index), action.transitions.conditions[index].next_action)
        return self._error(session, action, "NoMatchingCondition")

    # ------------------------------------------------------------------ references
    def scope(self, session: Session) -> dict[str, Any]:
        """What `$.` references see for this session."""
        contact = self.services.contact_data(session.contact_id)
        attributes = {**contact.attributes, **session.attributes}
        queue: dict[str, Any] | None = None
        queue_arn = session.target_queue or contact.queue_arn
        if queue_arn:
            try:
                info = self.services.queue(queue_arn)
                queue = {"Name": info.name, "ARN": info.arn, "Id": info.id}
            except Exception:
                queue = {"ARN": queue_arn}
        return {
            "ContactId": contact.contact_id,
            "InitialContactId": contact.initial_contact_id or contact.contact_id,
            "PreviousContactId": contact.previous_contact_id or "",
            "Channel": contact.channel,
            "InitiationMethod": contact.initiation_method,
            "InstanceARN": self.instance_arn,
            "Name": session.contact_values.get("Name", contact.name or ""),
            "Description": session.contact_values.get("Description", contact.description or ""),
            "LanguageCode": session.language,
            "TextToSpeechVoiceId": session.voice,
            "CustomerEndpoint": {"Address": contact.customer_number, "Type": "TELEPHONE_NUMBER"},
            "SystemEndpoint": {"Address": contact.system_number, "Type": "TELEPHONE_NUMBER"},
            "CustomerCallbackNumber": session.callback_number or contact.customer_number,
            "StoredCustomerInput": session.stored_input or "",
            "Attributes": attributes,
            "FlowAttributes": dict(session.flow_attributes),
            "External": session.external,
            "Queue": queue or {},
            "Metrics": session.metrics,
            "Agent": {"UserName": contact.agent_username or ""},
            "Lex": session.lex,
        }

    def _value(self, session: Session, value: Any) -> str:
        return references.resolve_value(self.scope(session), value)

    def _prompt_text(self, session: Session, params: Mapping[str, Any]) -> tuple[str, bool, tuple[str, ...]]:
        """(text, is SSML, prompt ids) of a prompt given as Text, SSML, PromptId or Media."""
        if "SSML" in params:
            raw = params["SSML"]
            return self._value(session, raw), True, references.external_prompt_ids(raw)
        if "Text" in params:
            raw = params["Text"]
            return self._value(session, raw), False, references.external_prompt_ids(raw)
        if "PromptId" in params:
            prompt = self._value(session, params["PromptId"])
            return f"[recorded prompt {prompt}]", False, (prompt,)
        if "Media" in params:
            media = params["Media"]
            uri = media.get("Uri", "") if isinstance(media, Mapping) else ""
            return f"[audio {uri}]", False, ()
        return "", False, ()

    def _say(
        self, session: Session, action: Action, params: Mapping[str, Any], *, expects_input: bool
    ) -> str:
        text, ssml, prompt_ids = self._prompt_text(session, params)
        if text.strip():
            self.services.say(
                Prompt(
                    contact_id=session.contact_id,
                    text=text,
                    ssml=ssml,
                    language=str(params.get("LanguageCode") or session.language),
                    voice=session.voice,
                    flow=session.flow.key,
                    action=action.identifier,
                    prompt_id=prompt_ids[0] if prompt_ids else None,
                    expects_input=expects_input,
                    prompt_ids=prompt_ids,
                )
            )
        return text

    def _seconds(self, text: str) -> float:
        """How long a prompt takes to say (the engine's stand-in for audio length): its words at
        `seconds_per_word`, plus the SSML pauses it asks for (<break time="3s"/> or "500ms"; Amazon
        Polly caps one break at 10 s, https://docs.aws.amazon.com/polly/latest/dg/break-tag.html)."""
        pauses = sum(min(MAX_BREAK_SECONDS, _break_seconds(m)) for m in BREAK_TIME.finditer(text))
        words = len(TAG.sub(" ", text).split())
        return max(1.0, words * self.seconds_per_word + pauses)

    # ------------------------------------------------------------------ prompts and input
    def _message(self, session: Session, action: Action) -> Outcome:
        try:
            self._say(session, action, action.parameters, expects_input=False)
        except Exception as exc:
            self._problem(session, action.identifier, f"the prompt could not be played: {exc}")
            return self._error(session, action, "NoMatchingError")
        return self._next(action)

    def _message_iteratively(self, session: Session, action: Action) -> Outcome:
        messages = action.parameters.get("Messages")
        if not isinstance(messages, list) or not messages:
            raise BadParameter("Messages must be a non-empty list of prompts")
        interrupt = action.parameters.get("InterruptFrequencySeconds")
        seconds = (
            self._number(session, interrupt, "InterruptFrequencySeconds") if interrupt is not None else None
        )
        waiting = Waiting("iterate", action)
        session.waiting = waiting
        if seconds is not None:
            self._later(session, waiting, seconds or 1.0, lambda: self._iterate_interrupted(session, waiting))
        outcome = self._play_next(session, waiting)
        if outcome is not None:  # the first prompt could not be played
            session.waiting = None
            return outcome
        return WAIT

    def _play_next(self, session: Session, waiting: Waiting) -> Outcome | None:
        """Say the next message and time the one after it; an outcome when the action is over."""
        messages = waiting.action.parameters["Messages"]
        message = messages[waiting.index % len(messages)]
        waiting.index += 1
        try:
            if not isinstance(message, Mapping):
                raise BadParameter(f"message #{(waiting.index - 1) % len(messages)} is not an object")
            text = self._say(session, waiting.action, message, expects_input=False)
        except Exception as exc:
            self._problem(session, waiting.action.identifier, f"the prompt could not be played: {exc}")
            waiting.cancel()
            return self._error(session, waiting.action, "NoMatchingError")
        self._later(session, waiting, self._seconds(text), lambda: self._play_next(session, waiting))
        return None

    def _iterate_interrupted(self, session: Session, waiting: Waiting) -> Outcome:
        waiting.cancel()
        return self._branch_on(session, waiting.action, "MessagesInterrupted")

    def _get_input(self, session: Session, action: Action) -> Outcome:
        contact = self.services.contact_data(session.contact_id)
        if contact.channel != "VOICE":
            # Without a Lex bot, Connect takes the error branch for chat and task contacts.
            return self._error(session, action, "NoMatchingError")
        raw = action.parameters.get("InputTimeLimitSeconds")
        seconds = (
            DEFAULT_INPUT_SECONDS if raw is None else self._number(session, raw, "InputTimeLimitSeconds")
        )
        if _truthy(action.parameters.get("StoreInput")):
            _max_length(action.parameters)  # a bad MaximumLength fails the action now, not at a key
            _dtmf(action.parameters)
        try:
            self._say(session, action, action.parameters, expects_input=True)
        except Exception as exc:
            self._problem(session, action.identifier, f"the prompt could not be played: {exc}")
            return self._error(session, action, "NoMatchingError")
        waiting = Waiting("input", action)
        session.waiting = waiting
        self._later(session, waiting, seconds, lambda: self._input_timeout(session, waiting))
        return WAIT

    def _input_key(self, session: Session, waiting: Waiting, key: str) -> Outcome | None:
        """A key while collecting input: the outcome when the action is over, None to keep waiting."""
        action = waiting.action
        params = action.parameters
        if not _truthy(params.get("StoreInput")):
            waiting.cancel()
            return self._branch_on(session, action, key)
        dtmf = _dtmf(params)
        terminator = str(dtmf.get("InputTerminationSequence") or "#")
        if key == terminator:
            waiting.cancel()
            return self._store_input(session, action, waiting.digits)
        waiting.digits += key
        if len(waiting.digits) >= _max_length(params):
            waiting.cancel()
            return self._store_input(session, action, waiting.digits)
        # Wait for the next key: the time allowed between two keys, else the input time limit.
        interdigit = dtmf.get("InterdigitTimeLimitSeconds")
        raw = interdigit if interdigit else params.get("InputTimeLimitSeconds")
        name = "InterdigitTimeLimitSeconds" if interdigit else "InputTimeLimitSeconds"
        seconds = DEFAULT_INPUT_SECONDS if raw is None else self._number(session, raw, name)
        waiting.cancel()
        self._later(session, waiting, seconds, lambda: self._input_timeout(session, waiting))
        return None

    def _input_timeout(self, session: Session, waiting: Waiting) -> Outcome:
        waiting.cancel()
        action = waiting.action
        if _truthy(action.parameters.get("StoreInput")):
            # Store customer input: no input at all is stored as "Timeout" and takes the success path.
            if waiting.digits:
                return self._store_input(session, action, waiting.digits)
            session.stored_input = "Timeout"
            return self._next(action)
        return self._error(session, action, "InputTimeLimitExceeded")

    def _store_input(self, session: Session, action: Action, digits: str) -> Outcome:
        validation = _mapping(action.parameters.get("InputValidation"), "InputValidation").get(
            "PhoneNumberValidation"
        )
        if validation:
            if not isinstance(validation, Mapping):
                raise BadParameter(f"PhoneNumberValidation must be an object, got {validation!r}")
            number = _phone_number(digits, validation)
            if number is None:
                return self._error(session, action, "InvalidPhoneNumber")
            digits = number
        session.stored_input = digits
        return self._next(action)

    # ------------------------------------------------------------------ attributes and comparisons
    def _update_attributes(self, session: Session, action: Action) -> Outcome:
        raw = action.parameters.get("Attributes") or {}
        scope = self.scope(session)
        values = {str(k): references.resolve_value(scope, v) for k, v in raw.items()}
        try:
            self.services.update_attributes(session.contact_id, values)
        except Exception:
            return self._error(session, action, "NoMatchingError")
        session.attributes.update(values)
        return self._next(action)

    def _flow_attributes(self, session: Session, action: Action) -> Outcome:
        # UpdateFlowAttributes: values are FlowAttribute objects ({"Value": ...} in exports; a bare
        # string is taken as the value). "Either all attributes are set or none are set": every value
        # is resolved before any is stored; a bad one fails the action (NoMatchingError, as exports
        # declare) and none is set.
        raw = _mapping(action.parameters.get("FlowAttributes"), "FlowAttributes")
        scope = self.scope(session)
        values: dict[str, str] = {}
        for name, attribute in raw.items():
            if isinstance(attribute, Mapping):
                if "Value" not in attribute:
                    raise BadParameter(f"flow attribute {name!r} has no Value")
                attribute = attribute["Value"]
            if isinstance(attribute, Mapping | list):
                raise BadParameter(f"flow attribute {name!r} must be a text value")
            values[str(name)] = references.resolve_value(scope, attribute)
        session.flow_attributes.update(values)
        return self._next(action)

    def _compare(self, session: Session, action: Action) -> Outcome:
        value = self._value(session, action.parameters.get("ComparisonValue"))
        return self._branch_on(session, action, value)

    def _loop(self, session: Session, action: Action) -> Outcome:
        key = (session.flow.key, action.identifier)
        raw = action.parameters.get("LoopCount")
        # "If the provided input is not a valid number, the error branch is taken" (admin guide,
        # Loop block); the Flow Language page allows 0 to 100. A blank dynamic count loops 0 times.
        number = self._number(session, raw, "LoopCount") if self._value(session, raw) else 0.0
        if not 0 <= number <= 100:
            raise BadParameter(f"LoopCount must be from 0 to 100, got {raw!r}")
        count = int(number)
        done = session.loops.get(key, 0)
        if done < count:
            session.loops[key] = done + 1
            return self._branch_on(session, action, "ContinueLooping")
        session.loops.pop(key, None)  # the counter starts again the next time the loop is entered
        return self._branch_on(session, action, "DoneLooping")

    def _distribute(self, session: Session, action: Action) -> Outcome:
        return self._branch_on(session, action, str(self.random.randint(1, 100)))

    # ------------------------------------------------------------------ Lambda
    def lambda_event(
        self, session: Session, parameters: Mapping[str, str], scope: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """The event Amazon Connect sends to a Lambda from a flow (`scope`: the session's, if built)."""
        scope = scope if scope is not None else self.scope(session)
        queue = scope["Queue"] or None
        contact = self.services.contact_data(session.contact_id)
        return {
            "Name": "ContactFlowEvent",
            "Details": {
                "ContactData": {
                    "Attributes": dict(scope["Attributes"]),
                    "Channel": scope["Channel"],
                    "ContactId": scope["ContactId"],
                    "CustomerEndpoint": scope["CustomerEndpoint"],
                    "Description": scope["Description"] or None,
                    "InitialContactId": scope["InitialContactId"],
                    "InitiationMethod": scope["InitiationMethod"],
                    "InstanceARN": self.instance_arn,
                    "LanguageCode": session.language,
                    "MediaStreams": {"Customer": {"Audio": None}},
                    "Name": scope["Name"] or None,
                    "PreviousContactId": scope["PreviousContactId"] or scope["ContactId"],
                    "Queue": {"ARN": queue.get("ARN"), "Name": queue.get("Name")} if queue else None,
                    "References": {},
                    "SystemEndpoint": scope["SystemEndpoint"],
                    "Tags": dict(contact.tags),
                },
                "Parameters": dict(parameters),
            },
        }

    def _invoke_lambda(self, session: Session, action: Action) -> Outcome:
        params = action.parameters
        scope = self.scope(session)
        arn = references.resolve_value(scope, params.get("LambdaFunctionARN"))
        raw = params.get("LambdaInvocationAttributes") or {}
        parameters = {str(k): references.resolve_value(scope, v) for k, v in raw.items()}
        raw_timeout = params.get("InvocationTimeLimitSeconds")
        timeout = self._number(session, raw_timeout, "InvocationTimeLimitSeconds") if raw_timeout else 3.0
        response_type = (params.get("ResponseValidation") or {}).get("ResponseType", "STRING_MAP")
        try:
            result = self.lambdas.invoke(arn, self.lambda_event(session, parameters, scope), timeout)
        except Exception as exc:
            self._problem(session, action.identifier, f"Lambda {arn} failed: {type(exc).__name__}: {exc}")
            session.external = {}
            return self._error(session, action, "NoMatchingError")
        if not isinstance(result, Mapping) or (
            response_type == "STRING_MAP"
            and not all(isinstance(k, str) and isinstance(v, str) for k, v in result.items())
        ):
            self._problem(
                session,
                action.identifier,
                f"Lambda {arn} answered {type(result).__name__}, not a {response_type}",
            )
            session.external = {}
            return self._error(session, action, "NoMatchingError")
        session.external = dict(result)
        return self._next(action)

    # ------------------------------------------------------------------ queues, hours, metrics
    def _queue_ref(self, session: Session, action: Action) -> str | None:
        raw = action.parameters.get("QueueId")
        if raw is not None:
            return self._value(session, raw) or None
        if session.target_queue:
            return session.target_queue
        return self.services.contact_data(session.contact_id).queue_arn

    def _target_queue(self, session: Session, action: Action) -> Outcome:
        agent_raw = action.parameters.get("AgentId")
        if agent_raw is not None and action.parameters.get("QueueId") is None:
            # The agent's own queue is the target: TransferContactToAgent reaches that agent. Locally
            # the AgentId is the agent's username (the runtime has no user ids). Whether the agent
            # exists is settled at the transfer (the ACD's agents come and go).
            agent = self._value(session, agent_raw)
            if not agent:
                return self._error(session, action, "NoMatchingError")
            session.target_agent = agent
            return self._next(action)
        ref = self._queue_ref(session, action)
        try:
            if not ref:
                raise ServiceError("NoMatchingError", "no queue")
            queue = self.services.queue(ref)
            self.services.set_routing(session.contact_id, queue_arn=queue.arn)
        except Exception:
            return self._error(session, action, "NoMatchingError")
        session.target_queue, session.target_agent = queue.arn, None
        return self._next(action)

    def _transfer_to_agent(self, session: Session, action: Action) -> Outcome:
        # TransferContactToAgent: "Ends the current flow and transfers the customer to an agent. If
        # the agent is already with someone else, the contact is disconnected." No parameters, no
        # errors (Flow Language reference; the export flow-22 has no error branch): whatever goes
        # wrong (no agent set, an unknown agent, not voice) ends the flow with a disconnect, named.
        try:
            if not session.target_agent:
                raise ServiceError("NoMatchingError", "no agent set (UpdateContactTargetQueue AgentId)")
            offered = self.services.transfer_to_agent(session.contact_id, session.target_agent)
        except Exception as exc:
            self._problem(session, action.identifier, f"transfer to agent failed, disconnected: {exc}")
            self._finish(session, disconnect=True)
            return STOP
        if not offered:
            self._problem(
                session, action.identifier, f"agent {session.target_agent} is not free: contact disconnected"
            )
        self._finish(session, disconnect=not offered)
        return STOP

    def _transfer_to_queue(self, session: Session, action: Action) -> Outcome:
        ref = self._queue_ref(session, action)
        try:
            if not ref:
                raise ServiceError("NoMatchingError", "no target queue set")
            queue = self.services.queue(ref)
            self.services.transfer_to_queue(session.contact_id, queue.arn)
        except Exception as exc:
            error_type = getattr(exc, "error_type", None) or getattr(exc, "code", None) or "NoMatchingError"
            self._problem(session, action.identifier, f"transfer to queue failed: {error_type}: {exc}")
            return self._error(session, action, str(error_type))
        session.target_queue = queue.arn
        session.queued = True
        if self.coverage is not None:
            self.coverage.take(session.flow.key, action.identifier, NEXT, session.language)
        queue_flow = session.hooks.get("CustomerQueue")
        flow = self.library.find(queue_flow) if queue_flow else None
        if flow is None:
            # The contact waits in queue with Connect's default queue experience (music); the
            # flow has done its job.
            self.services.end_flow(session.contact_id, disconnect=False)
            session.action_id = None
            return STOP
        session.flow, session.action_id = flow, flow.start_action
        session.flow_attributes, session.modules = {}, []
        return CONTINUE

    def _queue_to_queue(self, session: Session, action: Action) -> Outcome:
        # DequeueContactAndTransferToQueue (customer queue flow): a new contact segment waits in the
        # queue and this flow carries on at NextAction for it. AgentId (an agent's queue) is not
        # modelled: the local ACD has no agent queues, so it takes NoMatchingError, named.
        params = action.parameters
        if params.get("AgentId") and not params.get("QueueId"):
            self._problem(
                session, action.identifier, "agent queues (AgentId) are not modelled locally; error branch"
            )
            return self._error(session, action, "NoMatchingError")
        ref = self._value(session, params["QueueId"]) if params.get("QueueId") else ""
        try:
            if not ref:
                raise ServiceError("NoMatchingError", "no queue to transfer to")
            queue = self.services.queue(ref)
            new_id = self.services.queue_to_queue(session.contact_id, queue.arn)
        except Exception as exc:
            error_type = getattr(exc, "error_type", None)
            error_type = error_type if error_type == "QueueAtCapacity" else "NoMatchingError"
            self._problem(session, action.identifier, f"queue-to-queue transfer failed: {error_type}: {exc}")
            return self._error(session, action, error_type)
        # The session follows the new segment: its keys, timers and hooks are now that contact's.
        self.sessions.pop(session.contact_id, None)
        session.contact_id = new_id
        self.sessions[new_id] = session
        session.target_queue = queue.arn
        return self._next(action)

    def _hours_arn(self, session: Session, action: Action) -> str:
        raw = action.parameters.get("HoursOfOperationId")
        if raw is not None:
            return self._value(session, raw)
        ref = self._queue_ref(session, action)
        if not ref:
            raise ServiceError("NoMatchingError", "no hours and no target queue")
        hours = self.services.queue(ref).hours_arn
        if not hours:
            raise ServiceError("NoMatchingError", "the queue has no hours of operation")
        return hours

    def _check_hours(self, session: Session, action: Action) -> Outcome:
        try:
            is_open = self.services.hours_open(self._hours_arn(session, action), self.scheduler.clock.now())
        except Exception:
            return self._error(session, action, "NoMatchingError")
        return self._branch_on(session, action, "True" if is_open else "False")

    def _metrics_of(self, session: Session, action: Action) -> tuple[str, Mapping[str, Any]]:
        ref = self._queue_ref(session, action)
        if not ref:
            raise ServiceError("NoMatchingError", "no queue")
        queue = self.services.queue(ref)
        return queue.arn, self.services.queue_metrics(queue.arn)

    def _check_metric(self, session: Session, action: Action) -> Outcome:
        metric = str(action.parameters.get("MetricType"))
        try:
            _, metrics = self._metrics_of(session, action)
            value = metrics.get(CHECK_METRICS[metric])
        except Exception:
            return self._error(session, action, "NoMatchingError")
        text = references.as_text(value if value is not None else 0)
        no_match = action.transitions.error_target("NoMatchingCondition")
        if (
            metric in STAFFING_METRICS
            and no_match is None
            and first_match(action.transitions.conditions, text) is None
        ):
            # "NumberGreaterThan 0" does not hold and there is no NoMatchingCondition branch (the
            # reference's shape): NextAction. Exports declare the branch (the UI's False) and take it.
            return self._next(action)
        return self._branch_on(session, action, text)

    def _get_metrics(self, session: Session, action: Action) -> Outcome:
        # The attributes Connect documents for GetMetricData (catalog.json "sets"): queue metrics and
        # agent counts. The queue's estimated wait time only comes back for one channel (QueueChannel
        # given); contact-level metrics (position in queue) have no documented Flow Language form, so
        # none are set (see the GetMetricData notes in catalog.json).
        try:
            arn, metrics = self._metrics_of(session, action)
            queue = self.services.queue(arn)
        except Exception:
            return self._error(session, action, "NoMatchingError")

        def count(name: str) -> dict[str, Any]:
            return {"Count": metrics.get(name) or 0}

        one_channel = bool(action.parameters.get("QueueChannel"))
        session.metrics = {
            "Queue": {
                "Name": queue.name,
                "ARN": queue.arn,
                "Size": metrics.get("CONTACTS_IN_QUEUE") or 0,
                "OldestContactAge": metrics.get("OLDEST_CONTACT_AGE") or 0,
                "EstimatedWaitTime": _blank_none(metrics.get("ESTIMATED_WAIT_TIME")) if one_channel else "",
            },
            "Agents": {
                "Online": count("AGENTS_ONLINE"),
                "Available": count("AGENTS_AVAILABLE"),
                "Staffed": count("AGENTS_STAFFED"),
                "AfterContactWork": count("AGENTS_AFTER_CONTACT_WORK"),
                "Busy": count("AGENTS_ON_CONTACT"),  # "On contact", formerly "Busy"
                "Missed": count("AGENTS_ERROR"),  # "Error", formerly "Missed"
                "NonProductive": count("AGENTS_NON_PRODUCTIVE"),
            },
        }
        return self._next(action)

    def _routing_behavior(self, session: Session, action: Action) -> Outcome:
        params = action.parameters
        try:
            priority = (
                int(self._value(session, params["QueuePriority"])) if "QueuePriority" in params else None
            )
            adjustment = (
                float(self._value(session, params["QueueTimeAdjustmentSeconds"]))
                if "QueueTimeAdjustmentSeconds" in params
                else None
            )
            if priority is not None and not 1 <= priority <= 99:  # the validator's range
                raise BadParameter(f"QueuePriority must be from 1 to 99, got {priority}")
            self.services.set_routing(session.contact_id, priority=priority, time_adjustment=adjustment)
        except Exception:
            return self._error(session, action, "NoMatchingError")
        if priority is not None:
            session.priority = priority
        if adjustment is not None:
            session.time_adjustment = adjustment
        return self._next(action)

    # ------------------------------------------------------------------ contact settings
    def _voice(self, session: Session, action: Action) -> Outcome:
        params = action.parameters
        session.voice = self._value(session, params.get("TextToSpeechVoice")) or session.voice
        if "TextToSpeechEngine" in params:
            session.voice_engine = str(params["TextToSpeechEngine"])
        return self._next(action)

    def _contact_data(self, session: Session, action: Action) -> Outcome:
        scope = self.scope(session)
        values = {str(k): references.resolve_value(scope, v) for k, v in action.parameters.items()}
        values.pop("TargetContact", None)
        try:
            self.services.update_contact_data(session.contact_id, values)
        except Exception:
            return self._error(session, action, "NoMatchingError")
        if values.get("LanguageCode"):
            session.language = values["LanguageCode"]
        session.contact_values.update(values)
        return self._next(action)

    def _event_hooks(self, session: Session, action: Action) -> Outcome:
        hooks = action.parameters.get("EventHooks") or {}
        try:
            for name, raw in hooks.items():
                ref = self._value(session, raw)
                flow = self.library.find(ref) if ref else None
                if ref and flow is None:
                    raise ServiceError("NoMatchingError", f"no flow {ref}")
                if name in ("CustomerRemaining", "DisconnectFlow"):
                    target = (flow.arn or flow.key) if flow else None
                    self.services.set_disconnect_flow(session.contact_id, target)
                if flow is None:
                    session.hooks.pop(name, None)
                else:
                    session.hooks[name] = flow.key
        except Exception:
            return self._error(session, action, "NoMatchingError")
        return self._next(action)

    def _callback_number(self, session: Session, action: Action) -> Outcome:
        raw = self._value(session, action.parameters.get("CallbackNumber"))
        region = _dialable_region(raw)
        if region is None:
            return self._error(session, action, "InvalidCallbackNumber")
        if region not in self.dialable_regions:
            return self._error(session, action, "CallbackNumberNotDialable")
        try:
            self.services.update_contact_data(session.contact_id, {"CustomerCallbackNumber": raw})
        except Exception:
            return self._error(session, action, "NoMatchingError")
        session.callback_number = raw
        return self._next(action)

    def _create_callback(self, session: Session, action: Action) -> Outcome:
        params = action.parameters
        try:
            ref = self._queue_ref(session, action)
            if not ref:
                raise ServiceError("NoMatchingError", "no queue for the callback")
            queue = self.services.queue(ref)
            number = session.callback_number or self.services.contact_data(session.contact_id).customer_number
            request = CallbackRequest(
                number=number,
                queue_arn=queue.arn,
                initial_delay=float(params.get("InitialCallDelaySeconds") or 0),
                max_attempts=int(params.get("MaximumConnectionAttempts") or 1),
                retry_delay=float(params.get("RetryDelaySeconds") or 600),
                creation_flow=self._value(session, params["ContactFlowId"])
                if params.get("ContactFlowId")
                else None,
            )
            self.services.create_callback(session.contact_id, request)
        except Exception as exc:
            self._problem(session, action.identifier, f"callback failed: {exc}")
            return self._error(session, action, "NoMatchingError")
        return self._next(action)

    def _create_task(self, session: Session, action: Action) -> Outcome:
        # CreateTask (Flow Language reference, createtask): a new TASK contact runs ContactFlowId,
        # now or at DelaySeconds (1..518400) / ScheduledTime (exclusive); this flow carries on at
        # NextAction. NoMatchingError "if no other Error matches": no such flow, an empty Name, a
        # delay out of range, a time that does not parse. References are taken as exports write them
        # ({"name": {"Value": ..., "Type": ...}}) or as name -> value; their Type is not kept.
        # TaskTemplateId (task templates) is not simulated: accepted and ignored.
        params = action.parameters
        scope = self.scope(session)
        try:
            flow_ref = self._value(session, params.get("ContactFlowId"))
            flow = self.library.find(flow_ref) if flow_ref else None
            if flow is None:
                raise ServiceError("NoMatchingError", f"no flow {flow_ref!r} to run the task")
            name = self._value(session, params.get("Name"))
            if not name:
                raise ServiceError("NoMatchingError", "the task has no Name")
            attributes = {
                str(k): references.resolve_value(scope, v)
                for k, v in _mapping(params.get("Attributes") or {}, "Attributes").items()
            }
            task_references = {
                str(k): references.resolve_value(scope, v.get("Value") if isinstance(v, Mapping) else v)
                for k, v in _mapping(params.get("References") or {}, "References").items()
            }
            description = self._value(session, params["Description"]) if params.get("Description") else None
            request = TaskRequest(
                name=name,
                flow=flow_ref,
                description=description or None,
                attributes=attributes,
                references=task_references,
                start_at=self._task_start(session, params),
            )
            self.services.create_task(session.contact_id, request)
        except Exception as exc:
            self._problem(session, action.identifier, f"task not created: {exc}")
            return self._error(session, action, "NoMatchingError")
        return self._next(action)

    def _task_start(self, session: Session, params: Mapping[str, Any]) -> float | None:
        now = self.scheduler.clock.now()
        if params.get("DelaySeconds") not in (None, ""):
            delay = int(self._value(session, params["DelaySeconds"]))
            if not 1 <= delay <= 518400:
                raise ServiceError("NoMatchingError", f"DelaySeconds {delay} is not within 1..518400")
            return now + delay
        if params.get("ScheduledTime") not in (None, ""):
            text = self._value(session, params["ScheduledTime"])
            when = datetime.fromisoformat(text.replace("Z", "+00:00"))
            if when.tzinfo is None:
                raise ServiceError("NoMatchingError", f"ScheduledTime {text!r} has no time zone")
            return when.timestamp()
        return None

    def _tag_contact(self, session: Session, action: Action) -> Outcome:
        # TagContact (flow language reference, contact-actions-tagcontact): user-defined tags on the
        # contact, keys and values static or dynamic. The reference lists no error; exports declare
        # NoMatchingError, taken here when the tags cannot be set. Connect's limits on tags (count,
        # lengths, the aws: prefix) are not enforced: the page we read does not state them.
        raw = _mapping(action.parameters.get("Tags"), "Tags")
        scope = self.scope(session)
        tags = {str(k): references.resolve_value(scope, v) for k, v in raw.items()}
        try:
            self.services.tag_contact(session.contact_id, tags)
        except Exception:
            return self._error(session, action, "NoMatchingError")
        return self._next(action)

    def _routing_criteria(self, session: Session, action: Action) -> Outcome:
        # Recorded, not simulated: the local ACD has no agent proficiencies, so criteria never change
        # which agent gets the contact (docs/FLOW-LANGUAGE.md says so).
        criteria = _mapping(action.parameters.get("RoutingCriteria"), "RoutingCriteria")
        steps = criteria.get("Steps", [])
        if not isinstance(steps, list):
            raise BadParameter(f"RoutingCriteria.Steps must be a list, got {steps!r}")
        session.routing_criteria = dict(criteria)
        return self._next(action)

    def _media_streaming(self, session: Session, action: Action) -> Outcome:
        # Voice only (admin guide, Start/Stop media streaming): other channels take the error branch.
        # Recorded, not simulated: no audio goes to Kinesis Video Streams locally.
        if self.services.contact_data(session.contact_id).channel != "VOICE":
            return self._error(session, action, "NoMatchingError")
        params = action.parameters
        state = str(params.get("MediaStreamingState", ""))
        if state not in ("Enabled", "Disabled"):
            raise BadParameter(f"MediaStreamingState must be Enabled or Disabled, got {state!r}")
        session.media_streaming = {
            "MediaStreamingState": state,
            "MediaStreamType": params.get("MediaStreamType"),
            "Participants": params.get("Participants"),
        }
        return self._next(action)

    def _outbound_call_status(self, session: Session, action: Action) -> Outcome:
        # CheckOutboundCallStatus "works with outbound campaigns only" and is voice only (Check call
        # progress block: chat, task and email take Error). The runtime has no campaigns; the calls it
        # places itself (InitiationMethod API or OUTBOUND) reach test phones, which a person answers,
        # so the result is CallAnswered: answering machine detection (VoicemailBeep, VoicemailNoBeep,
        # NotDetected) is not simulated. Any other contact takes the error branch.
        contact = self.services.contact_data(session.contact_id)
        if contact.channel != "VOICE" or contact.initiation_method not in ("API", "OUTBOUND"):
            self._problem(
                session,
                action.identifier,
                f"CheckOutboundCallStatus on a {contact.initiation_method} {contact.channel} contact, "
                "not an outbound call; error branch",
            )
            return self._error(session, action, "NoMatchingError")
        return self._branch_on(session, action, "CallAnswered")

    def _resume_contact(self, session: Session, action: Action) -> Outcome:
        # ResumeContact resumes a paused task (admin guide, Resume contact: voice, chat and email take
        # the Error branch). Nothing pauses a contact locally (no PauseContact), so no contact is ever
        # paused and every run takes the error branch, naming why.
        contact = self.services.contact_data(session.contact_id)
        reason = "not a task contact" if contact.channel != "TASK" else "the contact is not paused"
        self._problem(session, action.identifier, f"ResumeContact: {reason}; error branch")
        return self._error(session, action, "NoMatchingError")

    def _logging(self, session: Session, action: Action) -> Outcome:
        session.logging = str(action.parameters.get("FlowLoggingBehavior")) == "Enabled"
        return self._next(action)

    def _recording(self, session: Session, action: Action) -> Outcome:
        session.recording = dict(action.parameters.get("RecordingBehavior") or {})
        return self._next(action)

    # ------------------------------------------------------------------ flow control
    def _disconnect(self, session: Session, action: Action) -> Outcome:
        self._finish(session, disconnect=True)
        return STOP

    def _end_flow(self, session: Session, action: Action) -> Outcome:
        self._finish(session, disconnect=False)
        return STOP

    def _transfer_to_flow(self, session: Session, action: Action) -> Outcome:
        ref = self._value(session, action.parameters.get("ContactFlowId"))
        flow = self.library.find(ref) if ref else None
        if flow is None:
            return self._error(session, action, "NoMatchingError")
        if self.coverage is not None:
            self.coverage.take(session.flow.key, action.identifier, NEXT, session.language)
        session.flow, session.action_id = flow, flow.start_action
        session.flow_attributes, session.modules = {}, []
        return CONTINUE

    def _invoke_module(self, session: Session, action: Action) -> Outcome:
        # InvokeFlowModule (flow language reference, flow-language-actions-invoke-flow-module): runs
        # the module (a FLOW_MODULE document, by ID or ARN) and carries on at this action's NextAction
        # when the module reaches EndFlowModuleExecution ("Return"). A reference to no module takes
        # NoMatchingError. Modules run with their own flow attributes; the invoking flow's come back
        # on return (not settled: the reference does not say what a module sees of them).
        ref = self._value(session, action.parameters.get("FlowModuleId"))
        module = self.library.find(ref) if ref else None
        if module is None or module.flow_type != MODULE_FLOW_TYPE:
            self._problem(session, action.identifier, f"no flow module {ref!r}")
            return self._error(session, action, "NoMatchingError")
        if len(session.modules) >= MAX_MODULE_DEPTH:
            self._problem(session, action.identifier, f"modules nested deeper than {MAX_MODULE_DEPTH}")
            return self._error(session, action, "NoMatchingError")
        session.modules.append(ModuleReturn(session.flow, action, session.flow_attributes))
        session.flow, session.action_id = module, module.start_action
        session.flow_attributes = {}
        return CONTINUE

    def _end_module(self, session: Session, action: Action) -> Outcome:
        # EndFlowModuleExecution: "ends the current module execution without disconnecting the
        # contact": back to the invoking flow at the InvokeFlowModule's NextAction.
        if not session.modules:
            # A module started as a flow (only a lenient load allows it): nothing to return to, so
            # the flow ends without disconnecting, as the action promises.
            self._problem(
                session, action.identifier, "EndFlowModuleExecution outside a module; ending the flow"
            )
            self._finish(session, disconnect=False)
            return STOP
        back = session.modules.pop()
        session.flow, session.flow_attributes = back.flow, back.flow_attributes
        self._take(session, back.action, self._next(back.action))
        return CONTINUE

    def _wait(self, session: Session, action: Action) -> Outcome:
        params = action.parameters
        name = "TimeoutSeconds" if "TimeoutSeconds" in params else "TimeLimitSeconds"
        try:
            seconds = self._number(session, params.get(name, 0), name)
        except BadParameter as exc:
            self._problem(session, action.identifier, str(exc))
            return self._error(session, action, "NoMatchingError")
        waiting = Waiting("wait", action)
        session.waiting = waiting
        self._later(session, waiting, seconds, lambda: self._wait_done(session, waiting))
        return WAIT

    def _wait_done(self, session: Session, waiting: Waiting) -> Outcome:
        action = waiting.action
        if action.transitions.conditions:
            return self._branch_on(session, action, "WaitCompleted")
        return self._next(action)

    # ------------------------------------------------------------------ waits and parameters
    def _later(
        self, session: Session, waiting: Waiting, seconds: float, decide: Callable[[], Outcome | None]
    ) -> None:
        """A timer of the wait: after `seconds` (capped to 0..MAX_SECONDS), `decide` what happens."""
        delay = min(max(seconds, 0.0), MAX_SECONDS)
        waiting.timers.append(
            self.scheduler.call_later(delay, lambda: self._on_wait_event(session, waiting, decide))
        )

    def _on_wait_event(
        self, session: Session, waiting: Waiting, decide: Callable[[], Outcome | None]
    ) -> None:
        """An event of a waiting action (a key, a timer): run `decide` the way `_execute` runs a
        handler, so a parameter that only fails now (a text InterdigitTimeLimitSeconds, a
        PhoneNumberValidation that is not an object...) takes the action's error branch."""

        def run() -> None:
            if session.waiting is not waiting or not session.active:
                return
            action = waiting.action
            try:
                outcome = decide()
            except Exception as exc:
                self._problem(session, action.identifier, f"{action.type} failed: {_reason(exc)}")
                waiting.cancel()
                outcome = self._error(session, action, "NoMatchingError")
            if outcome is not None:
                self._resume(session, action, outcome)

        self._guard(session, run)

    def _number(self, session: Session, raw: Any, name: str) -> float:
        """A number parameter (static, or a $. reference): BadParameter unless it is a finite,
        non-negative number."""
        text = self._value(session, raw)
        try:
            number = float(text)
        except ValueError:
            raise BadParameter(f"{name} must be a number, got {raw!r}") from None
        if not math.isfinite(number) or number < 0:
            raise BadParameter(f"{name} must be a non-negative number, got {raw!r}")
        return number


# ---------------------------------------------------------------------------- helpers
def _truthy(value: Any) -> bool:
    return str(value).strip().lower() == "true"


def _blank_none(value: Any) -> Any:
    return "" if value is None else value


class BadParameter(ValueError):
    """A parameter the lenient load let through that cannot be used: the action's error branch."""


def _reason(exc: Exception) -> str:
    return str(exc) if isinstance(exc, BadParameter) else f"{type(exc).__name__}: {exc}"


def _mapping(value: Any, name: str) -> Mapping[str, Any]:
    """An optional object parameter: {} when absent, BadParameter when it is not an object."""
    if value is None or value == "":
        return {}
    if not isinstance(value, Mapping):
        raise BadParameter(f"{name} must be an object, got {value!r}")
    return value


def _dtmf(params: Mapping[str, Any]) -> Mapping[str, Any]:
    return _mapping(params.get("DTMFConfiguration"), "DTMFConfiguration")


def _max_length(params: Mapping[str, Any]) -> int:
    validation = _mapping(params.get("InputValidation"), "InputValidation")
    custom = _mapping(validation.get("CustomValidation"), "CustomValidation")
    if "MaximumLength" in custom:
        raw = custom["MaximumLength"]
        try:
            length = float(str(raw))
        except ValueError:
            raise BadParameter(f"MaximumLength must be a number, got {raw!r}") from None
        if not math.isfinite(length):
            raise BadParameter(f"MaximumLength must be a number, got {raw!r}")
        return int(length)
    return 20  # phone numbers: end with the terminator, or at 20 digits


def _phone_number(digits: str, validation: Mapping[str, Any]) -> str | None:
    """The E.164 number the caller keyed in, or None when it is not a valid number."""
    import phonenumbers

    fmt = str(validation.get("NumberFormat", "Local"))
    if not digits or any(key not in "0123456789" for key in digits):
        return None  # "*" (or anything but a digit) is not part of a number
    try:
        if fmt == "E164":
            parsed = phonenumbers.parse("+" + digits.lstrip("+"), None)
        else:
            parsed = phonenumbers.parse(digits, str(validation.get("CountryCode", "US")))
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _dialable_region(number: str) -> str | None:
    """The region of a valid E.164 number, or None when it is not a valid number."""
    import phonenumbers

    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.region_code_for_number(parsed)
