"""Scripted callers for flow tests: dial, expect prompts, press keys, stay silent, check the outcome.

    center = FlowHarness(sqlite_path)                 # real Lambdas on a seeded SQLite file
    center.set_local_time("2026-01-05 10:00")         # Monday 10:00 in the center's time zone
    call = center.dial("+12025550101")                 # the inbound flow, from a customer's number
    call.expect_prompt("Welcome")                      # by prompt Id ...
    call.expect_prompt(text="para español")            # ... or by (a part of) its text
    call.silence()                                     # let the pending input time out
    call.press("3")
    call.expect_queue("Support - Technical", priority=5)

Time is a ManualClock: `silence()` jumps to the next timer, so a whole call takes milliseconds.
The Lambdas see that clock too, and the hours_status Lambda reads the hours from the Connect twin
over real HTTP (a server on a free local port, started with the harness; `close()` stops it).
"""

from __future__ import annotations

import dataclasses
import threading
import weakref
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

from werkzeug.serving import WSGIRequestHandler, make_server

from local_connect.clock import ManualClock, Scheduler
from local_connect.definitions import Definitions, load_definitions
from local_connect.flows.coverage import Coverage
from local_connect.flows.engine import FlowEngine, Session
from local_connect.flows.lambdas import InProcessLambdas, LambdaFailure, local_lambda_env
from local_connect.flows.loader import FlowLibrary
from local_connect.flows.memory import InMemoryCenter, MemoryContact
from local_connect.flows.ports import Prompt
from local_connect.numbers import INBOUND_NUMBER

CENTER_TIME_ZONE = "America/New_York"


def seed_database(sqlite_path: str) -> None:
    """Load data/seed (customers, prompts, PINs) into a SQLite file through the Lambdas' code."""
    from jam_core.connect_lambda.settings import Settings
    from scripts.seed import load, read_seed

    # PINs are keyed with the pepper file beside the database, the one the Lambdas will read.
    load(read_seed(), Settings(sqlite_path=sqlite_path))


def with_hours_overrides(
    definitions: Definitions, hours_logical_id: str, *overrides: Mapping[str, Any]
) -> Definitions:
    """The definitions with overrides (CloudFormation's HoursOfOperationOverrides shape) on one hours
    of operation: holidays for scenarios, read by the Connect twin as it reads the template's."""
    hours = dict(definitions.hours)
    hours[hours_logical_id] = dataclasses.replace(
        hours[hours_logical_id], overrides=tuple(dict(o) for o in overrides)
    )
    return dataclasses.replace(definitions, hours=hours)


class _QuietHandler(WSGIRequestHandler):
    """No access log: the twin's requests would interleave with a scripted call's transcript."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


class DefinitionsTwin:
    """The Connect API twin over real HTTP for the Lambdas that call Connect (hours_status).

    Only the operations that read the template's definitions (hours of operation and their
    overrides) can answer: there is no ACD behind it, as the in-memory center is the harness's.
    """

    def __init__(self, definitions: Definitions) -> None:
        from local_connect.connect_api import ConnectBackend, create_app

        backend = ConnectBackend(definitions, cast(Any, None), cast(Any, None), ())
        self._server = make_server(
            "127.0.0.1",
            0,
            create_app(backend, threading.RLock()),
            threaded=True,
            request_handler=_QuietHandler,
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_port}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class FaultyLambdas:
    """Wraps an invoker; `fail(logical_id)` makes that function's next calls fail (throttled, down)."""

    def __init__(self, inner: InProcessLambdas) -> None:
        self.inner = inner
        self._failing: dict[str, list[int]] = {}  # name -> [calls to let through, calls to fail]

    def fail(self, function_logical_id: str, times: int = 1, *, after: int = 0) -> None:
        """The function's calls fail `times` times, after `after` more calls that succeed."""
        self._failing[function_logical_id] = [after, times]

    def invoke(self, function_arn: str, event: Mapping[str, Any], timeout: float) -> Any:
        function = self.inner.definitions.function_by_arn(function_arn)
        name = function.logical_id if function else function_arn
        plan = self._failing.get(name)
        if plan is not None and plan[0] > 0:
            plan[0] -= 1
        elif plan is not None and plan[1] > 0:
            plan[1] -= 1
            raise LambdaFailure(f"{name}: TooManyRequestsException (injected)")
        return self.inner.invoke(function_arn, event, timeout)


def function_names(function_arn: str) -> tuple[str, ...]:
    """What a stub may call a function: its ARN, or its name (the part after `:function:`)."""
    name = function_arn.split(":function:", 1)[1].split(":", 1)[0] if ":function:" in function_arn else ""
    return (function_arn, name) if name else (function_arn,)


class StubbedLambdas:
    """Replies stubbed by function ARN, name, or template logical id (a brought flow's functions are
    not ours); any other function goes to `inner`. A stub of None makes the function fail (the
    flow's error branch)."""

    def __init__(self, inner: Any, definitions: Definitions | None = None) -> None:
        self.inner = inner
        self.definitions = definitions
        self.stubs: dict[str, Mapping[str, Any] | None] = {}
        self.calls: list[tuple[str, Mapping[str, Any]]] = []  # (ARN, event) of every stubbed call

    def stub(self, function: str, reply: Mapping[str, Any] | None) -> None:
        self.stubs[function] = reply

    def invoke(self, function_arn: str, event: Mapping[str, Any], timeout: float) -> Any:
        names = function_names(function_arn)
        function = self.definitions.function_by_arn(function_arn) if self.definitions else None
        if function is not None:
            names = (*names, function.logical_id)
        name = next((n for n in names if n in self.stubs), None)
        if name is None:
            return self.inner.invoke(function_arn, event, timeout)
        self.calls.append((function_arn, event))
        reply = self.stubs[name]
        if reply is None:
            raise LambdaFailure(f"{name}: failed (stubbed)")
        return dict(reply)


class FlowHarness:
    """An in-memory contact center running the template's flows with the real Lambdas."""

    def __init__(
        self,
        sqlite_path: str | Path,
        *,
        definitions: Definitions | None = None,
        coverage: Coverage | None = None,
        library: FlowLibrary | None = None,
        lambda_env: Mapping[str, str] | None = None,
    ) -> None:
        self.definitions = definitions or load_definitions()
        self.clock = ManualClock()
        self.scheduler = Scheduler(self.clock)
        self.center = InMemoryCenter(self.definitions, self.clock)
        self.library = library or FlowLibrary.from_definitions(self.definitions)
        self.connect_twin = DefinitionsTwin(self.definitions)
        # Harnesses a test does not close stop their twin when collected (the server holds a port).
        self._close_twin = weakref.finalize(self, self.connect_twin.close)
        env = {**local_lambda_env(str(sqlite_path), self.connect_twin.url), **(lambda_env or {})}
        self.lambdas = FaultyLambdas(InProcessLambdas(self.definitions, env, clock=self.clock.now))
        self.stubs = StubbedLambdas(self.lambdas, self.definitions)
        self.engine = FlowEngine(
            self.center,
            self.scheduler,
            self.library,
            self.stubs,
            coverage=coverage,
            instance_arn=self.definitions.instance_arn,
        )
        # A callback's creation flow starts from the timer loop, not inside the flow that created it.
        self.center.run_flow = lambda contact_id, flow: self._later(self.engine.start, contact_id, flow)

    def close(self) -> None:
        self._close_twin()  # runs the twin's close once, now or at collection

    def set_local_time(self, local: str, time_zone: str = CENTER_TIME_ZONE) -> None:
        """Set the clock to a wall time in the center's zone, e.g. "2026-01-05 10:00" (a Monday)."""
        moment = datetime.strptime(local, "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo(time_zone))
        self.clock.set(moment.timestamp())

    def queue_arn(self, name: str) -> str:
        return self.center.queue_by_name(name).arn

    def dial(
        self,
        number: str,
        flow: str = "InboundFlow",
        *,
        to: str = INBOUND_NUMBER,
        method: str = "INBOUND",
        attributes: Mapping[str, str] | None = None,
        channel: str = "VOICE",
    ) -> ScriptedCaller:
        """A call from `number` that runs `flow` (for outbound calls: the customer answered)."""
        contact = self.center.new_contact(number, to, method=method, attributes=attributes, channel=channel)
        caller = ScriptedCaller(self, contact)
        self.engine.start(contact.id, flow)
        return caller

    def _later(self, start: Callable[[str, str], object], contact_id: str, flow: str) -> None:
        def run() -> None:
            start(contact_id, flow)

        self.scheduler.call_later(0, run)

    def callback_caller(self, callback_id: str) -> ScriptedCaller:
        """The customer of a queued callback, for when an agent calls them back."""
        return ScriptedCaller(self, self.center.contacts[callback_id])

    def run_timers(self) -> None:
        self.scheduler.run_due()


class FlowExpectationError(AssertionError):
    pass


class ScriptedCaller:
    def __init__(self, harness: FlowHarness, contact: MemoryContact) -> None:
        self.harness = harness
        self.contact = contact
        self._seen = 0

    # ---------------------------------------------------------------- what the caller heard
    @property
    def contact_id(self) -> str:
        return self.contact.id

    @property
    def prompts(self) -> list[Prompt]:
        return self.contact.prompts

    def unheard(self) -> list[Prompt]:
        return self.contact.prompts[self._seen :]

    def _describe(self, prompts: list[Prompt]) -> str:
        return "; ".join(f"[{'/'.join(p.prompt_ids) or '-'}] {p.text!r}" for p in prompts) or "nothing"

    def expect_prompt(
        self, prompt_id: str | None = None, *, text: str | None = None, language: str | None = None
    ) -> Prompt:
        """The next prompt must have this Id (one of its $.External Ids) and/or contain `text`."""
        pending = self.unheard()
        if not pending:
            raise FlowExpectationError(
                f"expected prompt {prompt_id or text!r}, but nothing more was said "
                f"(state {self.contact.state}, last action {self._last_action()})"
            )
        prompt = pending[0]
        ok = (prompt_id is None or prompt_id in prompt.prompt_ids) and (
            text is None or text.lower() in prompt.text.lower()
        )
        if not ok:
            raise FlowExpectationError(
                f"expected prompt {prompt_id or text!r}, got {self._describe(pending[:1])}; "
                f"still unheard: {self._describe(pending[1:4])}"
            )
        if language is not None and prompt.language != language:
            raise FlowExpectationError(f"prompt {prompt.prompt_id} was in {prompt.language}, not {language}")
        self._seen += 1
        return prompt

    def expect_prompts(self, *prompt_ids: str) -> list[Prompt]:
        return [self.expect_prompt(prompt_id) for prompt_id in prompt_ids]

    def expect_silence(self) -> None:
        """Nothing more has been said."""
        pending = self.unheard()
        if pending:
            raise FlowExpectationError(f"expected nothing more, heard {self._describe(pending)}")

    def skip_prompts(self) -> None:
        self._seen = len(self.contact.prompts)

    # ---------------------------------------------------------------- what the caller does
    def press(self, digits: str) -> ScriptedCaller:
        self.harness.engine.digits(self.contact.id, digits)
        return self

    def silence(self) -> ScriptedCaller:
        """Say nothing until the next timer fires (an input timeout, the next prompt of a loop)."""
        due = self.harness.scheduler.next_due()
        if due is None:
            raise FlowExpectationError(f"nothing is waiting for time to pass (state {self.contact.state})")
        self.harness.clock.set(max(due, self.harness.clock.now()))
        self.harness.scheduler.run_due()
        return self

    def wait(self, seconds: float) -> ScriptedCaller:
        """Let `seconds` pass, firing every timer due on the way, in order."""
        end = self.harness.clock.now() + seconds
        while (due := self.harness.scheduler.next_due()) is not None and due <= end:
            self.harness.clock.set(max(due, self.harness.clock.now()))
            self.harness.scheduler.run_due()
        self.harness.clock.set(end)
        return self

    def hang_up(self) -> None:
        self.harness.engine.stop(self.contact.id)
        self.contact.state = "disconnected"

    def agent_answers(self, agent: str = "agent.one") -> None:
        self.harness.center.agent_answers(self.contact.id, agent)
        self.harness.engine.stop(self.contact.id)

    def agent_hangs_up(self) -> None:
        """The agent ends the call first: the disconnect flow runs if the flow set one."""
        flow = self.contact.disconnect_flow
        if flow is None:
            self.contact.state = "disconnected"
            return
        self.contact.state = "flow"
        self.harness.engine.start(self.contact.id, flow)

    # ---------------------------------------------------------------- where the call is
    @property
    def session(self) -> Session:
        session = self.harness.engine.session(self.contact.id)
        assert session is not None
        return session

    def _last_action(self) -> str:
        session = self.harness.engine.session(self.contact.id)
        return f"{session.trace[-1][0]}/{session.trace[-1][1]}" if session and session.trace else "-"

    def expect_queue(self, name: str, *, priority: int | None = None) -> None:
        if self.contact.state not in ("queued", "agent"):
            raise FlowExpectationError(
                f"expected to wait in {name!r}, but the contact is {self.contact.state} "
                f"(last action {self._last_action()})"
            )
        queue = self.harness.center.queue(self.contact.queue_arn or "")
        if queue.name != name:
            raise FlowExpectationError(f"expected queue {name!r}, contact is in {queue.name!r}")
        if priority is not None and self.contact.priority != priority:
            raise FlowExpectationError(f"expected priority {priority}, got {self.contact.priority}")

    def expect_attributes(self, **expected: str) -> None:
        actual = self.contact.attributes
        wrong = {k: actual.get(k) for k, v in expected.items() if actual.get(k) != v}
        if wrong:
            raise FlowExpectationError(f"attributes differ: expected {expected}, have {wrong}")

    def expect_language(self, language: str) -> None:
        if self.session.language != language:
            raise FlowExpectationError(f"expected language {language}, session has {self.session.language}")

    def expect_disconnected(self) -> None:
        if self.contact.state != "disconnected":
            raise FlowExpectationError(
                f"expected the flow to disconnect, contact is {self.contact.state} "
                f"(last action {self._last_action()}, waiting: {self.session.waiting is not None})"
            )

    def expect_flow_ended(self) -> None:
        """The flow ended without disconnecting (EndFlowExecution, or queued without a queue flow)."""
        session = self.harness.engine.session(self.contact.id)
        if session is not None and session.active and session.action_id is not None:
            raise FlowExpectationError(f"the flow is still running at {self._last_action()}")
        if self.contact.state == "disconnected":
            raise FlowExpectationError("the flow disconnected the caller")
