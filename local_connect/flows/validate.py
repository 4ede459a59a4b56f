"""Strict checks of a flow: structure, action types, parameters, transitions, reachability.

Every problem names the action Identifier (when there is one) and the reason. Severities:
  error        the flow cannot run as written (a strict load refuses it)
  unsupported  an action type this engine does not run (reported by name; the flow still loads)
  warning      legal but suspicious: unreachable actions, missing error branches, unknown parameters
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from local_connect.flows.catalog import (
    CHECK_METRICS,
    EVENT_HOOKS,
    KNOWN_UNSUPPORTED,
    SPECS,
    STAFFING_METRICS,
    ActionSpec,
)
from local_connect.flows.model import FLOW_LANGUAGE_VERSION, Action, Flow, ParsedDocument, shape_problems

# The Flow Language's limits on a flow and on action identifiers.
MAX_ACTIONS = 250
FORBIDDEN_IN_IDENTIFIER = frozenset("%:(\\/)=$,;[]{}")
RESERVED_IDENTIFIERS = frozenset(
    {
        "__proto__",
        "constructor",
        "__defineGetter__",
        "__defineSetter__",
        "toString",
        "hasOwnProperty",
        "isPrototypeOf",
        "propertyIsEnumerable",
        "toLocaleString",
        "valueOf",
    }
)

ERROR = "error"
UNSUPPORTED = "unsupported"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    severity: str
    action: str | None
    message: str

    def __str__(self) -> str:
        where = f"action {self.action}: " if self.action else ""
        return f"{self.severity}: {where}{self.message}"


@dataclass
class Report:
    flow: str
    problems: list[Problem] = field(default_factory=list)

    def add(self, severity: str, action: str | None, message: str) -> None:
        self.problems.append(Problem(severity, action, message))

    def of(self, severity: str) -> list[Problem]:
        return [p for p in self.problems if p.severity == severity]

    @property
    def errors(self) -> list[Problem]:
        return self.of(ERROR)

    @property
    def unsupported(self) -> list[Problem]:
        return self.of(UNSUPPORTED)

    @property
    def unsupported_types(self) -> set[str]:
        return {p.message.split(" ", 2)[1] for p in self.unsupported}

    @property
    def warnings(self) -> list[Problem]:
        return self.of(WARNING)

    @property
    def ok(self) -> bool:
        return not self.errors

    def __str__(self) -> str:
        if not self.problems:
            return f"{self.flow}: ok"
        return "\n".join([f"{self.flow}:", *(f"  {p}" for p in self.problems)])


def validate(parsed: ParsedDocument) -> Report:
    flow = parsed.flow
    report = Report(flow.key)
    if flow.version != FLOW_LANGUAGE_VERSION:
        report.add(ERROR, None, f"Version is {flow.version!r}, expected {FLOW_LANGUAGE_VERSION!r}")
    if parsed.not_objects:
        report.add(ERROR, None, f"{parsed.not_objects} entries of Actions are not objects")
    for identifier in parsed.duplicates:
        report.add(ERROR, identifier, "the Identifier is used by more than one action")
    if not flow.actions:
        report.add(ERROR, None, "the flow has no actions")
    if len(flow.actions) > MAX_ACTIONS:
        report.add(ERROR, None, f"{len(flow.actions)} actions: a flow has at most {MAX_ACTIONS}")
    if flow.start_action is None:
        report.add(ERROR, None, "StartAction is missing")
    elif flow.start_action not in flow.actions:
        report.add(ERROR, None, f"StartAction {flow.start_action!r} is not an action of the flow")
    for action in flow:
        for message in shape_problems(action.raw):  # what the forgiving parse dropped
            report.add(ERROR, action.identifier, message)
        _check_action(action, flow, report)
    _check_reachability(flow, report)
    return report


def _check_identifier(ident: str, report: Report) -> None:
    if len(ident) > 50:
        report.add(ERROR, ident, "an Identifier is at most 50 characters")
    bad = sorted(set(ident) & FORBIDDEN_IN_IDENTIFIER)
    if bad:
        report.add(ERROR, ident, f"an Identifier may not contain {' '.join(bad)}")
    if ident in RESERVED_IDENTIFIERS:
        report.add(ERROR, ident, f"{ident} is not allowed as an Identifier")


def _check_action(action: Action, flow: Flow, report: Report) -> None:
    ident = action.identifier
    if not isinstance(action.raw.get("Identifier"), str) or not action.raw.get("Identifier"):
        report.add(ERROR, ident, "the action has no Identifier")
    else:
        _check_identifier(ident, report)
    if not action.type:
        report.add(ERROR, ident, "the action has no Type")
        return
    spec = SPECS.get(action.type)
    if spec is None:
        known = "a Connect action this engine does not run" if action.type in KNOWN_UNSUPPORTED else "unknown"
        report.add(UNSUPPORTED, ident, f"type {action.type} is {known}")
        _check_targets(action, flow, report)
        return
    _check_parameters(action, spec, report)
    _check_transitions(action, spec, report)
    _check_targets(action, flow, report)


def _check_parameters(action: Action, spec: ActionSpec, report: Report) -> None:
    ident, params = action.identifier, action.parameters
    for name in spec.required:
        if _blank(params.get(name)):
            report.add(ERROR, ident, f"{action.type} needs the parameter {name}")
    if spec.one_of:
        present = [name for name in spec.one_of if not _blank(params.get(name))]
        if len(present) > 1:
            report.add(ERROR, ident, f"{action.type} takes only one of {', '.join(present)}")
        if not present and action.type == "MessageParticipant":
            report.add(ERROR, ident, f"MessageParticipant needs one of {', '.join(spec.one_of)}")
    for name in params:
        if name not in spec.parameters:
            report.add(WARNING, ident, f"parameter {name} is not one {action.type} takes; it is ignored")
    specific = _PARAMETER_CHECKS.get(action.type)
    if specific is not None:
        for message in specific(params):
            report.add(ERROR, ident, message)


def _check_transitions(action: Action, spec: ActionSpec, report: Report) -> None:
    ident, transitions = action.identifier, action.transitions
    if spec.terminal:
        if transitions.next_action or transitions.conditions or transitions.errors:
            report.add(ERROR, ident, f"{action.type} ends the flow and takes no transitions")
        return
    if spec.needs_next and not transitions.next_action:
        report.add(ERROR, ident, f"{action.type} needs a NextAction")
    if transitions.conditions and not spec.operators:
        report.add(ERROR, ident, f"{action.type} takes no Conditions")
    for branch in transitions.conditions:
        condition = branch.condition
        if spec.operators and condition.operator not in spec.operators:
            report.add(
                ERROR, ident, f"condition operator {condition.operator!r} is not one of {spec.operators}"
            )
        if len(condition.operands) != 1:
            report.add(ERROR, ident, f"a condition takes exactly one operand, has {len(condition.operands)}")
        if not branch.next_action:
            report.add(ERROR, ident, "a condition has no NextAction")
    if action.type == "GetParticipantInput" and _truthy(action.parameters.get("StoreInput")):
        if transitions.conditions:
            report.add(ERROR, ident, "GetParticipantInput with StoreInput takes no Conditions")
        if not transitions.next_action:
            report.add(ERROR, ident, "GetParticipantInput with StoreInput needs a NextAction")
    if action.type == "MessageParticipantIteratively":
        interrupted = any("MessagesInterrupted" in b.condition.operands for b in transitions.conditions)
        if "InterruptFrequencySeconds" in action.parameters and not interrupted:
            report.add(ERROR, ident, "InterruptFrequencySeconds needs a MessagesInterrupted condition")
        if interrupted and "InterruptFrequencySeconds" not in action.parameters:
            report.add(ERROR, ident, "a MessagesInterrupted condition needs InterruptFrequencySeconds")
    if action.type == "Loop":
        operands = {str(o) for b in transitions.conditions for o in b.condition.operands}
        if operands != {"ContinueLooping", "DoneLooping"} or len(transitions.conditions) != 2:
            report.add(ERROR, ident, "Loop needs exactly a ContinueLooping and a DoneLooping condition")
    if action.type == "CheckHoursOfOperation":
        hours = sorted(str(o) for b in transitions.conditions for o in b.condition.operands)
        if hours != ["False", "True"]:
            report.add(
                ERROR,
                ident,
                "CheckHoursOfOperation needs exactly an Equals True and an Equals False condition",
            )
    if action.type == "CheckMetricData" and str(action.parameters.get("MetricType")) in STAFFING_METRICS:
        for branch in transitions.conditions:
            if (branch.condition.operator, list(branch.condition.operands)) != ("NumberGreaterThan", ["0"]):
                report.add(ERROR, ident, "a staffing metric only takes the condition NumberGreaterThan 0")
        if transitions.error_target("NoMatchingCondition") is not None:
            report.add(
                ERROR, ident, "a staffing metric has no NoMatchingCondition branch (it takes NextAction)"
            )
        if not transitions.next_action:
            report.add(
                ERROR, ident, "a staffing metric needs a NextAction for when the condition does not hold"
            )
    if action.type == "DistributeByPercentage":
        previous = 0
        for branch in transitions.conditions:
            try:
                threshold = int(str(branch.condition.operands[0]))
            except (IndexError, ValueError):
                threshold = -1
            if not previous < threshold <= 100:
                report.add(
                    ERROR, ident, "percentages must be whole numbers from 1 to 100, in increasing order"
                )
                break
            previous = threshold
    if action.type == "UpdateContactRoutingBehavior":
        given = [k for k in ("QueuePriority", "QueueTimeAdjustmentSeconds") if k in action.parameters]
        if len(given) != 1:
            report.add(
                ERROR,
                ident,
                "UpdateContactRoutingBehavior takes exactly one of QueuePriority or QueueTimeAdjustmentSeconds",
            )
    seen: set[str] = set()
    for error in transitions.errors:
        if error.error_type not in spec.errors:
            report.add(ERROR, ident, f"error type {error.error_type!r} is not one {action.type} raises")
        if error.error_type in seen:
            report.add(ERROR, ident, f"error type {error.error_type} has two branches")
        seen.add(error.error_type)
        if not error.next_action:
            report.add(ERROR, ident, f"the {error.error_type} branch has no NextAction")
    for expected in spec.errors:
        if expected in seen or expected in spec.missing_error_ok:
            continue
        if expected == "NoMatchingCondition" and not transitions.conditions:
            continue
        if expected in ("InputTimeLimitExceeded", "NoMatchingCondition") and _truthy(
            action.parameters.get("StoreInput")
        ):
            continue
        report.add(WARNING, ident, f"no {expected} branch: that error would end the flow")


def _check_targets(action: Action, flow: Flow, report: Report) -> None:
    for target in action.transitions.targets():
        if target not in flow.actions:
            report.add(
                ERROR, action.identifier, f"transition to {target!r}, which is not an action of the flow"
            )


def _check_reachability(flow: Flow, report: Report) -> None:
    if flow.start_action is None or flow.start_action not in flow.actions:
        return
    reached: set[str] = set()
    pending: list[str] = [flow.start_action]
    while pending:
        current = pending.pop()
        if current in reached or current not in flow.actions:
            continue
        reached.add(current)
        pending.extend(flow.actions[current].transitions.targets())
    for identifier in flow.order:
        if identifier not in reached:
            report.add(WARNING, identifier, "unreachable: no path from StartAction leads here")


# ---------------------------------------------------------------- per-type parameter checks
def _blank(value: Any) -> bool:
    return value is None or value == "" or value == {} or value == []


def _truthy(value: Any) -> bool:
    return str(value).strip().lower() == "true"


def _is_reference(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("$.")


def _positive_number(value: Any, *, allow_zero: bool = False) -> bool:
    if _is_reference(value):
        return True
    try:
        number = float(value)
    except (TypeError, ValueError):
        return False
    return number >= 0 if allow_zero else number > 0


def _get_input(params: Any) -> Iterable[str]:
    limit = params.get("InputTimeLimitSeconds")
    if limit is not None and not _positive_number(limit):
        yield f"InputTimeLimitSeconds must be a positive number, got {limit!r}"
    if _truthy(params.get("StoreInput")):
        validation = params.get("InputValidation")
        if not isinstance(validation, dict) or not (
            "PhoneNumberValidation" in validation or "CustomValidation" in validation
        ):
            yield "StoreInput needs InputValidation with PhoneNumberValidation or CustomValidation"


def _attributes(params: Any) -> Iterable[str]:
    attributes = params.get("Attributes")
    if attributes is not None and not isinstance(attributes, dict):
        yield "Attributes must be an object of names to values"
    elif isinstance(attributes, dict):
        for name, value in attributes.items():
            if not isinstance(value, str):
                yield f"attribute {name} must be a string (a value or a $. reference)"


def _lambda(params: Any) -> Iterable[str]:
    limit = params.get("InvocationTimeLimitSeconds")
    if limit is not None and not (_positive_number(limit) and (_is_reference(limit) or float(limit) <= 8)):
        yield f"InvocationTimeLimitSeconds must be between 1 and 8, got {limit!r}"
    invocation = params.get("InvocationType")
    if invocation is not None and invocation not in ("SYNCHRONOUS", "ASYNCHRONOUS"):
        yield f"InvocationType must be SYNCHRONOUS or ASYNCHRONOUS, got {invocation!r}"
    validation = params.get("ResponseValidation")
    if validation is not None and (
        not isinstance(validation, dict) or validation.get("ResponseType") not in ("STRING_MAP", "JSON")
    ):
        yield "ResponseValidation.ResponseType must be STRING_MAP or JSON"
    attributes = params.get("LambdaInvocationAttributes")
    if attributes is not None and not isinstance(attributes, dict):
        yield "LambdaInvocationAttributes must be an object"


def _routing(params: Any) -> Iterable[str]:
    priority = params.get("QueuePriority")
    if priority is not None and not _is_reference(priority):
        try:
            if not 1 <= int(priority) <= 99:
                raise ValueError
        except (TypeError, ValueError, OverflowError):
            yield f"QueuePriority must be a whole number from 1 to 99, got {priority!r}"
    adjustment = params.get("QueueTimeAdjustmentSeconds")
    if adjustment is not None and not _is_reference(adjustment):
        try:
            int(adjustment)
        except (TypeError, ValueError, OverflowError):
            yield f"QueueTimeAdjustmentSeconds must be an integer, got {adjustment!r}"


def _hooks(params: Any) -> Iterable[str]:
    hooks = params.get("EventHooks")
    if not isinstance(hooks, dict) or len(hooks) != 1:
        yield "EventHooks must hold exactly one hook"
        return
    for name in hooks:
        if name not in EVENT_HOOKS:
            yield f"{name} is not an event hook"


def _loop(params: Any) -> Iterable[str]:
    count = params.get("LoopCount")
    if _is_reference(count):
        return
    try:
        if not 0 <= int(str(count)) <= 100:
            raise ValueError
    except ValueError:
        yield f"LoopCount must be a number from 0 to 100, got {count!r}"


def _metric(params: Any) -> Iterable[str]:
    metric = params.get("MetricType")
    if metric is not None and (not isinstance(metric, str) or metric not in CHECK_METRICS):
        yield f"MetricType {metric!r} is not one of {sorted(CHECK_METRICS)}"


def _callback(params: Any) -> Iterable[str]:
    for name in ("InitialCallDelaySeconds", "MaximumConnectionAttempts", "RetryDelaySeconds"):
        value = params.get(name)
        if value is not None and not _positive_number(value):
            yield f"{name} must be a positive number, got {value!r}"


def _iterative(params: Any) -> Iterable[str]:
    interval = params.get("InterruptFrequencySeconds")
    if interval is not None and not (
        _is_reference(interval) or (str(interval).isdecimal() and int(interval) > 0)
    ):
        yield f"InterruptFrequencySeconds must be a whole number of seconds, got {interval!r}"
    messages = params.get("Messages")
    if not isinstance(messages, list) or not messages:
        yield "Messages must be a non-empty list"
        return
    for index, message in enumerate(messages):
        if not isinstance(message, dict) or not any(
            k in message for k in ("Text", "SSML", "PromptId", "Media")
        ):
            yield f"message #{index} needs Text, SSML, PromptId or Media"


def _voice(params: Any) -> Iterable[str]:
    engine = params.get("TextToSpeechEngine")
    if engine is not None and engine not in ("Standard", "Neural", "Generative", "LongForm"):
        yield f"TextToSpeechEngine {engine!r} is not Standard, Neural, Generative or LongForm"


_PARAMETER_CHECKS = {
    "GetParticipantInput": _get_input,
    "UpdateContactAttributes": _attributes,
    "InvokeLambdaFunction": _lambda,
    "UpdateContactRoutingBehavior": _routing,
    "UpdateContactEventHooks": _hooks,
    "Loop": _loop,
    "CheckMetricData": _metric,
    "CreateCallbackContact": _callback,
    "MessageParticipantIteratively": _iterative,
    "UpdateContactTextToSpeechVoice": _voice,
}
