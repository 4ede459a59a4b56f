"""Scenario files: a call through any flow, written as YAML, run on the scripted-caller harness.

    name: A caller from Telangana hears the welcome and waits in Telangana_CS
    flow: corpus:flow-01.json          # a template flow (InboundFlow), a file path, or corpus:FILE
    from: "+12025550100"               # the caller's number (default: a demo customer)
    to: "+18005550100"                 # the number called (default: the inbound number)
    method: INBOUND                    # INBOUND | API | CALLBACK | OUTBOUND | TRANSFER
    time: "2026-01-05 10:00"           # the center's local time (America/New_York unless time_zone)
    attributes: {Verified: "true"}     # contact attributes before the flow starts
    lambdas:                           # replies by function ARN or name; null makes the call fail
      2358480_number_detection_lambda: {cs_team: TG}
    queues:                            # another instance's queues, by ARN: the name a flow reads
      "arn:aws:connect:...:queue/edeb9312-...": Telangana_CS
    hours:                             # another instance's hours (ARN or id): open or closed
      "arn:aws:connect:...:operating-hours/97ee5411-...": open
    flows:                             # the other flows it names (a hook, a transfer), by ARN
      "arn:aws:connect:...:contact-flow/8930216d-...": corpus:flow-02.json
    steps:
      - expect: Welcome                # a prompt: by $.External Id, or a part of its text
      - expect: {text: "para español", language: en-US}
      - press: "2"                     # keys: 0-9 * #
      - silence                        # say nothing until the flow moves on (a timeout)
      - wait: 30                       # let 30 s pass
      - say: "billing question"        # speech: needs a Lex bot, not run yet (the step says so)
      - agent: agent.sales             # an agent answers the queued call ...
      - agent_hangs_up                 # ... and hangs up first: the disconnect flow runs
      - nothing_more                   # nothing more has been said
      - hang_up
    end:                               # where the call is at the end
      queue: Telangana_CS              # by name, ARN or id; with priority: N
      attributes: {CallReason: NewOrder}
      language: es-US
      disconnected: true               # or flow_ended: true

A queue a brought flow names by a literal ARN that the scenario does not list is known by its id
(the last part of the ARN), so transfers work without listing every queue.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from local_connect.definitions import REPO_ROOT, Definitions
from local_connect.flows import references
from local_connect.flows.loader import FlowError, LoadResult, load_flow, load_flow_file
from local_connect.flows.model import Flow
from local_connect.flows.testing import FlowExpectationError, FlowHarness, ScriptedCaller
from local_connect.numbers import INBOUND_NUMBER

CORPUS_PREFIX = "corpus:"
BARE_STEPS = ("silence", "agent_hangs_up", "hang_up", "nothing_more")
VALUE_STEPS = ("expect", "press", "wait", "say", "agent", "silence")
END_KEYS = ("queue", "priority", "attributes", "language", "disconnected", "flow_ended")
TOP_KEYS = (
    "name",
    "flow",
    "from",
    "to",
    "method",
    "channel",
    "time",
    "time_zone",
    "attributes",
    "lambdas",
    "queues",
    "hours",
    "flows",
    "steps",
    "end",
)
DEFAULT_CALLER = "+12025550101"
DEFAULT_TIME = "2026-01-05 10:00"  # a Monday, every JAM team open


class ScenarioError(ValueError):
    """A scenario file that cannot be read or run; the message names the file and the field."""


class CorpusMissing(ScenarioError):
    """The scenario reads a flow from the flow corpus, which is not on this machine."""


def flow_corpus() -> Path:
    """Where exported flows from real instances are kept (never copied into the project).

    FLOW_CORPUS if set; otherwise ../shared/flow-corpus beside the checkout, then the machine-wide
    /work/shared/flow-corpus (a worktree's parent is not the main checkout's).
    """
    if os.environ.get("FLOW_CORPUS"):
        return Path(os.environ["FLOW_CORPUS"])
    candidates = (REPO_ROOT.parent / "shared" / "flow-corpus", Path("/work/shared/flow-corpus"))
    return next((c for c in candidates if c.is_dir()), candidates[0])


@dataclass(frozen=True)
class Step:
    kind: str
    value: Any = None


@dataclass(frozen=True)
class Scenario:
    path: Path
    name: str
    flow: str
    caller: str = DEFAULT_CALLER
    to: str = INBOUND_NUMBER
    method: str = "INBOUND"
    channel: str = "VOICE"
    time: str = DEFAULT_TIME
    time_zone: str | None = None
    attributes: Mapping[str, str] = field(default_factory=dict)
    lambdas: Mapping[str, Mapping[str, Any] | None] = field(default_factory=dict)
    queues: Mapping[str, str] = field(default_factory=dict)
    hours: Mapping[str, bool] = field(default_factory=dict)
    flows: Mapping[str, str] = field(default_factory=dict)  # ARN -> flow reference
    steps: tuple[Step, ...] = ()
    end: Mapping[str, Any] = field(default_factory=dict)


def _text(value: Any) -> str:
    return references.as_text(value)


def _mapping(path: Path, key: str, value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ScenarioError(f"{path}: {key} must be a mapping, got {type(value).__name__}")
    return {str(k): v for k, v in value.items()}


def _step(path: Path, index: int, raw: Any) -> Step:
    where = f"{path}: steps[{index}]"
    if isinstance(raw, str):
        if raw not in BARE_STEPS:
            raise ScenarioError(f"{where}: unknown step {raw!r} (bare steps: {', '.join(BARE_STEPS)})")
        return Step(raw)
    if not isinstance(raw, Mapping) or len(raw) != 1:
        raise ScenarioError(
            f"{where}: a step is one of {', '.join(VALUE_STEPS)} with a value, or a bare step"
        )
    ((kind, value),) = raw.items()
    kind = str(kind)
    if kind not in VALUE_STEPS:
        raise ScenarioError(f"{where}: unknown step {kind!r} (steps: {', '.join(VALUE_STEPS + BARE_STEPS)})")
    if kind == "press":
        keys = _text(value)
        if not keys or any(k not in "0123456789*#" for k in keys):
            raise ScenarioError(f'{where}: press takes keys 0-9 * #, got {value!r} (quote them: "1")')
        return Step(kind, keys)
    if kind == "wait":
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ScenarioError(f"{where}: wait takes seconds (a number >= 0), got {value!r}")
        return Step(kind, float(value))
    if kind == "expect":
        if isinstance(value, Mapping):
            unknown = set(map(str, value)) - {"id", "text", "language"}
            if unknown or not ({"id", "text"} & set(map(str, value))):
                raise ScenarioError(f"{where}: expect takes id and/or text (and language), got {dict(value)}")
            return Step(kind, {str(k): _text(v) for k, v in value.items()})
        if value is None or isinstance(value, list | dict):
            raise ScenarioError(f"{where}: expect takes a prompt Id or text, got {value!r}")
        return Step(kind, {"any": _text(value)})
    if kind == "silence":
        return Step(kind)
    if value is None or isinstance(value, list | dict):
        raise ScenarioError(f"{where}: {kind} takes a text, got {value!r}")
    return Step(kind, _text(value))


def parse_scenario(document: Any, path: Path) -> Scenario:
    if not isinstance(document, Mapping):
        raise ScenarioError(f"{path}: a scenario is a mapping with at least flow: and steps:")
    unknown = set(map(str, document)) - set(TOP_KEYS)
    if unknown:
        raise ScenarioError(
            f"{path}: unknown field(s) {', '.join(sorted(unknown))}; fields: {', '.join(TOP_KEYS)}"
        )
    if not document.get("flow"):
        raise ScenarioError(f"{path}: flow is required (a template flow name, a file, or corpus:FILE)")
    raw_steps = document.get("steps") or []
    if not isinstance(raw_steps, list):
        raise ScenarioError(f"{path}: steps must be a list")
    end = _mapping(path, "end", document.get("end"))
    if set(end) - set(END_KEYS):
        raise ScenarioError(
            f"{path}: end: unknown {', '.join(sorted(set(end) - set(END_KEYS)))}; keys: {', '.join(END_KEYS)}"
        )
    lambdas: dict[str, Mapping[str, Any] | None] = {}
    for name, reply in _mapping(path, "lambdas", document.get("lambdas")).items():
        if reply is not None and not isinstance(reply, Mapping):
            raise ScenarioError(f"{path}: lambdas.{name} must be a reply mapping, or null to fail")
        # Connect's STRING_MAP: YAML numbers and booleans are given to the flow as text.
        lambdas[name] = (
            None
            if reply is None
            else {str(k): v if isinstance(v, Mapping | list) else _text(v) for k, v in reply.items()}
        )
    hours: dict[str, bool] = {}
    for ref, state in _mapping(path, "hours", document.get("hours")).items():
        text = _text(state).lower()
        if text not in ("open", "closed", "true", "false"):
            raise ScenarioError(f"{path}: hours.{ref} is open or closed, got {state!r}")
        hours[ref] = text in ("open", "true")
    return Scenario(
        path=path,
        name=str(document.get("name") or path.stem),
        flow=str(document["flow"]),
        caller=_text(document.get("from") or DEFAULT_CALLER),
        to=_text(document.get("to") or INBOUND_NUMBER),
        method=str(document.get("method") or "INBOUND"),
        channel=str(document.get("channel") or "VOICE"),
        time=_text(document.get("time") or DEFAULT_TIME),
        time_zone=str(document["time_zone"]) if document.get("time_zone") else None,
        attributes={k: _text(v) for k, v in _mapping(path, "attributes", document.get("attributes")).items()},
        lambdas=lambdas,
        queues={k: _text(v) for k, v in _mapping(path, "queues", document.get("queues")).items()},
        hours=hours,
        flows={k: _text(v) for k, v in _mapping(path, "flows", document.get("flows")).items()},
        steps=tuple(_step(path, i, raw) for i, raw in enumerate(raw_steps)),
        end=end,
    )


def load_scenario(path: Path) -> Scenario:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ScenarioError(f"{path}: cannot read the scenario: {exc}") from exc
    return parse_scenario(document, path)


# ---------------------------------------------------------------------------------------- flows
def flow_path(ref: str, base: Path | None = None) -> Path:
    """The file a flow reference names: corpus:FILE, or a path (beside the scenario, or from here)."""
    if ref.startswith(CORPUS_PREFIX):
        corpus = flow_corpus()
        if not corpus.is_dir():
            raise CorpusMissing(
                f"the flow corpus is not at {corpus} (set FLOW_CORPUS to where the exported flows are)"
            )
        return corpus / ref[len(CORPUS_PREFIX) :]
    path = Path(ref)
    if not path.is_absolute() and base is not None and (base / path).exists():
        return base / path
    return path


def load_any_flow(
    path: Path, definitions: Definitions, key: str, arn: str | None = None, flow_type: str = "CONTACT_FLOW"
) -> LoadResult:
    """A flow file from anywhere. Placeholders of the template (`${PromptsFunction.Arn}`) are
    resolved as the deploy does; a file with others (Terraform's, CloudFormation's) keeps them."""
    try:
        return load_flow_file(path, definitions, key=key, source=str(path), arn=arn, flow_type=flow_type)
    except FlowError:
        pass  # a placeholder the template does not define: load the file as it is
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{path}: cannot read the flow: {exc}") from exc
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read the flow: {exc}") from exc
    return load_flow(text, key=key, source=str(path), arn=arn, flow_type=flow_type)


# The flow type an UpdateContactEventHooks hook runs (Connect's ContactFlowType names).
HOOK_FLOW_TYPES = {
    "CustomerQueue": "CUSTOMER_QUEUE",
    "CustomerHold": "CUSTOMER_HOLD",
    "CustomerWhisper": "CUSTOMER_WHISPER",
    "AgentHold": "AGENT_HOLD",
    "AgentWhisper": "AGENT_WHISPER",
}


def hooked_flow_type(flow: Flow, arn: str) -> str:
    """The type a flow must have to be the hook that names it by `arn` (else a contact flow)."""
    for action in flow:
        hooks = action.parameters.get("EventHooks") if action.type == "UpdateContactEventHooks" else None
        if isinstance(hooks, Mapping):
            for hook, target in hooks.items():
                if target == arn and hook in HOOK_FLOW_TYPES:
                    return HOOK_FLOW_TYPES[hook]
    return "CONTACT_FLOW"


def flow_for(
    harness: FlowHarness,
    ref: str,
    base: Path | None = None,
    *,
    arn: str | None = None,
    flow_type: str = "CONTACT_FLOW",
) -> Flow:
    """A template flow by name, or a flow file loaded into the harness's library (refused, naming
    the action and the reason, when it does not validate); `arn`: what other flows call it."""
    known = harness.library.find(ref)
    if known is not None:
        if arn is not None:
            known = dataclasses.replace(known, arn=arn)
            harness.library.add(known)
        return known
    path = flow_path(ref, base)
    if not path.is_file():
        names = ", ".join(f.key for f in harness.library)
        raise ScenarioError(f"no flow {ref!r}: not a template flow ({names}) and no such file ({path})")
    key = f"corpus/{path.name}" if ref.startswith(CORPUS_PREFIX) else path.stem
    if harness.library.find(key) is not None and harness.library.get(key).source != str(path):
        key = str(path)
    result = load_any_flow(path, harness.definitions, key, arn, flow_type)
    if not result.report.ok:
        raise ScenarioError(f"{path}: the flow does not validate:\n{result.report}")
    harness.library.add(result.flow)
    adopt_queues(harness, result.flow)
    return result.flow


def adopt_queues(harness: FlowHarness, flow: Flow) -> None:
    """Every literal queue ARN the flow names that the center does not know: known by its id."""
    for action in flow:
        ref = action.parameters.get("QueueId")
        if isinstance(ref, str) and "/queue/" in ref and not references.is_reference(ref):
            try:
                harness.center.queue(ref)
            except Exception:
                harness.center.add_queue(ref, ref.rsplit("/", 1)[-1])


# ---------------------------------------------------------------------------------------- running
@dataclass
class Run:
    """One scenario's call: the flow, the caller, and a transcript of what happened."""

    scenario: Scenario
    flow: Flow
    call: ScriptedCaller
    transcript: list[str] = field(default_factory=list)


def prepare(harness: FlowHarness, scenario: Scenario) -> Flow:
    """Set the harness up as the scenario says (time, stubs, another instance's queues and hours)."""
    try:
        harness.set_local_time(scenario.time, *([scenario.time_zone] if scenario.time_zone else []))
    except ValueError as exc:
        raise ScenarioError(f"{scenario.path}: time {scenario.time!r}: {exc}") from exc
    for function, reply in scenario.lambdas.items():
        harness.stubs.stub(function, reply)
    for arn, name in scenario.queues.items():
        harness.center.add_queue(arn, name)
    for ref, is_open in scenario.hours.items():
        harness.center.set_hours(ref, is_open)
    flow = flow_for(harness, scenario.flow, scenario.path.parent)
    for arn, ref in scenario.flows.items():
        flow_for(harness, ref, scenario.path.parent, arn=arn, flow_type=hooked_flow_type(flow, arn))
    return flow


def run_scenario(harness: FlowHarness, scenario: Scenario) -> Run:
    """Run the scenario's call; raises FlowExpectationError (what differed) or ScenarioError."""
    flow = prepare(harness, scenario)
    transcript: list[str] = [f"call {flow.key} from {scenario.caller} ({scenario.method})"]
    harness.center.listeners.append(
        lambda p: transcript.append(
            f"  heard [{p.language}] {p.text}" + (f"  ({'/'.join(p.prompt_ids)})" if p.prompt_ids else "")
        )
    )
    call = harness.dial(
        scenario.caller,
        flow.key,
        to=scenario.to,
        method=scenario.method,
        attributes=scenario.attributes,
        channel=scenario.channel,
    )
    run = Run(scenario, flow, call, transcript)
    for index, step in enumerate(scenario.steps):
        transcript.append(
            f"step {index + 1}: {step.kind}" + (f" {step.value!r}" if step.value is not None else "")
        )
        try:
            _do(run, step)
        except FlowExpectationError as exc:
            raise FlowExpectationError(
                f"{scenario.path.name} step {index + 1} ({step.kind}): {exc}\n" + "\n".join(transcript)
            ) from exc
    try:
        check_end(run)
    except FlowExpectationError as exc:
        raise FlowExpectationError(f"{scenario.path.name} end: {exc}\n" + "\n".join(transcript)) from exc
    return run


def _do(run: Run, step: Step) -> None:
    call = run.call
    if step.kind == "expect":
        value = step.value
        if "any" in value:
            _expect_any(call, value["any"])
        else:
            call.expect_prompt(value.get("id"), text=value.get("text"), language=value.get("language"))
    elif step.kind == "press":
        call.press(step.value)
    elif step.kind == "silence":
        call.silence()
    elif step.kind == "wait":
        call.wait(step.value)
    elif step.kind == "say":
        # Only a Lex bot (ConnectParticipantWithLexBot) hears speech: anywhere else it is lost.
        if not run.call.harness.engine.speech(call.contact_id, step.value):
            raise ScenarioError(
                f"{run.scenario.path}: say: nothing listens for speech here "
                "(no ConnectParticipantWithLexBot is waiting)"
            )
    elif step.kind == "agent":
        if call.contact.state != "queued":
            raise FlowExpectationError(
                f"no agent can answer: the contact is {call.contact.state}, not queued"
            )
        call.agent_answers(step.value)
    elif step.kind == "agent_hangs_up":
        call.agent_hangs_up()
    elif step.kind == "hang_up":
        call.hang_up()
    elif step.kind == "nothing_more":
        call.expect_silence()


def _expect_any(call: ScriptedCaller, wanted: str) -> None:
    """A bare `expect:` is a prompt Id or a part of the text, whichever the next prompt has."""
    pending = call.unheard()
    if pending and wanted in pending[0].prompt_ids:
        call.expect_prompt(wanted)
    else:
        call.expect_prompt(text=wanted)


def check_end(run: Run) -> None:
    call, end = run.call, run.scenario.end
    if "queue" in end:
        wanted = _text(end["queue"])
        if call.contact.state not in ("queued", "agent"):
            raise FlowExpectationError(
                f"expected to wait in {wanted!r}, but the contact is {call.contact.state}"
            )
        queue = call.harness.center.queue(call.contact.queue_arn or "")
        if wanted not in (queue.name, queue.arn, queue.id):
            raise FlowExpectationError(f"expected queue {wanted!r}, the contact is in {queue.name!r}")
    if "priority" in end and call.contact.priority != int(end["priority"]):
        raise FlowExpectationError(f"expected priority {end['priority']}, got {call.contact.priority}")
    if "attributes" in end:
        call.expect_attributes(**{str(k): _text(v) for k, v in dict(end["attributes"] or {}).items()})
    if "language" in end:
        call.expect_language(_text(end["language"]))
    if end.get("disconnected"):
        call.expect_disconnected()
    if end.get("flow_ended"):
        call.expect_flow_ended()
