"""Strict checks of a flow against the action catalog (catalog.json): structure, action types,
parameters, transitions, flow types, reachability.

Every problem names the action Identifier (when there is one) and the reason. Severities:
  error        Connect would refuse the flow (a strict load refuses it)
  unsupported  a Connect action type this engine does not run, or a type the catalog does not know
               (reported by name; the flow still loads and the action takes its NoMatchingError branch)
  warning      legal but suspicious: unreachable actions, missing error branches, unknown parameters

A value that is an unrendered deploy placeholder ("${PromptsFunction.Arn}", Terraform's
"${var.x}") is accepted as it is: Connect only ever sees it rendered, so its checks belong to the
rendered value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from local_connect.flows.catalog import (
    CATALOG,
    DYNAMIC_FORBIDDEN,
    DYNAMIC_REQUIRED,
    NEXT_FORBIDDEN,
    NEXT_REQUIRED,
    STAFFING_METRICS,
    ActionSpec,
    Catalog,
    ParameterSpec,
)
from local_connect.flows.model import Action, Flow, ParsedDocument, shape_problems

# Kept for importers: the Flow Language's limits, from the catalog.
MAX_ACTIONS = CATALOG.max_actions
FORBIDDEN_IN_IDENTIFIER = CATALOG.identifier_forbidden
RESERVED_IDENTIFIERS = CATALOG.identifier_reserved

ERROR = "error"
UNSUPPORTED = "unsupported"
WARNING = "warning"

_PLACEHOLDER = re.compile(r"\$\{[^}]+\}")


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


def validate(parsed: ParsedDocument, catalog: Catalog = CATALOG) -> Report:
    flow = parsed.flow
    report = Report(flow.key)
    if flow.version != catalog.version:
        report.add(ERROR, None, f"Version is {flow.version!r}, expected {catalog.version!r}")
    if flow.flow_type and flow.flow_type not in catalog.flow_types:
        report.add(ERROR, None, f"flow type {flow.flow_type!r} is not one of {', '.join(catalog.flow_types)}")
    if parsed.not_objects:
        report.add(ERROR, None, f"{parsed.not_objects} entries of Actions are not objects")
    for identifier in parsed.duplicates:
        report.add(ERROR, identifier, "the Identifier is used by more than one action")
    if not flow.actions:
        report.add(ERROR, None, "the flow has no actions")
    if len(flow.actions) > catalog.max_actions:
        report.add(ERROR, None, f"{len(flow.actions)} actions: a flow has at most {catalog.max_actions}")
    if flow.start_action is None:
        report.add(ERROR, None, "StartAction is missing")
    elif flow.start_action not in flow.actions:
        report.add(ERROR, None, f"StartAction {flow.start_action!r} is not an action of the flow")
    for action in flow:
        for message in shape_problems(action.raw):  # what the forgiving parse dropped
            report.add(ERROR, action.identifier, message)
        _check_action(action, flow, catalog, report)
    _check_reachability(flow, report)
    return report


def check_identifier(ident: str, catalog: Catalog = CATALOG) -> list[str]:
    """What is wrong with an action Identifier (empty when it is fine)."""
    problems = []
    if len(ident) > catalog.identifier_max_length:
        problems.append(f"an Identifier is at most {catalog.identifier_max_length} characters")
    bad = sorted(set(ident) & catalog.identifier_forbidden)
    if bad:
        problems.append(f"an Identifier may not contain {' '.join(bad)}")
    if ident in catalog.identifier_reserved:
        problems.append(f"{ident} is not allowed as an Identifier")
    return problems


def _check_action(action: Action, flow: Flow, catalog: Catalog, report: Report) -> None:
    ident = action.identifier
    if not isinstance(action.raw.get("Identifier"), str) or not action.raw.get("Identifier"):
        report.add(ERROR, ident, "the action has no Identifier")
    else:
        for message in check_identifier(ident, catalog):
            report.add(ERROR, ident, message)
    if not action.type:
        report.add(ERROR, ident, "the action has no Type")
        return
    spec = catalog.actions.get(action.type)
    if spec is None:
        report.add(UNSUPPORTED, ident, f"type {action.type} is not in the action catalog")
        _check_targets(action, flow, report)
        return
    if not spec.implemented:
        report.add(UNSUPPORTED, ident, f"type {action.type} is a Connect action this engine does not run")
    if flow.flow_type and spec.flow_types is not None and flow.flow_type not in spec.flow_types:
        report.add(
            ERROR,
            ident,
            f"{action.type} is not allowed in a {flow.flow_type} flow (only {', '.join(spec.flow_types)})",
        )
    _check_parameters(action, spec, report)
    _check_transitions(action, spec, catalog, report)
    _check_targets(action, flow, report)


# ---------------------------------------------------------------- parameters
def _blank(value: Any) -> bool:
    return value is None or value == "" or value == {} or value == []


def _truthy(value: Any) -> bool:
    return str(value).strip().lower() == "true"


def _is_reference(value: Any) -> bool:
    return isinstance(value, str) and value.strip().startswith("$.")


def _is_placeholder(value: Any) -> bool:
    return isinstance(value, str) and bool(_PLACEHOLDER.fullmatch(value.strip()))


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(str(value).strip())
    except ValueError:
        return None


def _check_value(action: Action, spec: ParameterSpec, value: Any) -> Iterable[str]:
    name = f"{action.type}.{spec.name}"
    if _is_placeholder(value):
        return
    if spec.kind == "object" and not isinstance(value, dict) and not _is_reference(value):
        yield f"{name} must be an object"
        return
    if spec.kind == "list" and not isinstance(value, list):
        yield f"{name} must be a list"
        return
    if spec.kind == "string" and not isinstance(value, str):
        yield f"{name} must be a string, got {value!r}"
        return
    if _is_reference(value):
        if spec.dynamic == DYNAMIC_FORBIDDEN:
            yield f"{name} must be a static value, not a reference ({value})"
        return
    if spec.dynamic == DYNAMIC_REQUIRED:
        yield f"{name} must be a single $. reference, got {value!r}"
        return
    if spec.values and value not in spec.values:
        yield f"{name} is {value!r}, not one of {', '.join(spec.values)}"
    if spec.range is not None:
        number = _number(value)
        low, high = spec.range
        if number is None or (spec.integer and not number.is_integer()):
            yield f"{name} must be {'a whole' if spec.integer else 'a'} number, got {value!r}"
        elif (low is not None and number < low) or (high is not None and number > high):
            bounds = f"from {_n(low)}" if high is None else f"from {_n(low)} to {_n(high)}"
            if low is None:
                bounds = f"at most {_n(high)}"
            yield f"{name} must be {bounds}, got {value!r}"
    if isinstance(value, dict):
        if spec.entries is not None and len(value) != spec.entries:
            yield f"{name} must hold exactly {spec.entries} entr{'y' if spec.entries == 1 else 'ies'}"
        for key in value:
            if spec.keys and key not in spec.keys:
                yield f"{name}: {key} is not one of {', '.join(spec.keys)}"


def _n(value: float | None) -> str:
    return "" if value is None else (str(int(value)) if value.is_integer() else str(value))


def _check_parameters(action: Action, spec: ActionSpec, report: Report) -> None:
    ident, params = action.identifier, action.parameters
    for name in spec.required:
        if _blank(params.get(name)):
            report.add(ERROR, ident, f"{action.type} needs the parameter {name}")
    for group in spec.exclusive:
        present = [name for name in group.names if not _blank(params.get(name))]
        if len(present) > group.max:
            report.add(ERROR, ident, f"{action.type} takes only one of {', '.join(present)}")
        if len(present) < group.min:
            report.add(ERROR, ident, f"{action.type} needs one of {', '.join(group.names)}")
    for name, value in params.items():
        parameter = spec.parameters.get(name)
        if parameter is None:
            report.add(WARNING, ident, f"parameter {name} is not one {action.type} takes; it is ignored")
            continue
        if value is None:
            continue
        for message in _check_value(action, parameter, value):
            report.add(ERROR, ident, message)
    specific = _PARAMETER_CHECKS.get(action.type)
    if specific is not None:
        for message in specific(params):
            report.add(ERROR, ident, message)


def _get_input(params: Mapping[str, Any]) -> Iterable[str]:
    if _truthy(params.get("StoreInput")):
        validation = params.get("InputValidation")
        if not isinstance(validation, dict) or not (
            "PhoneNumberValidation" in validation or "CustomValidation" in validation
        ):
            yield "StoreInput needs InputValidation with PhoneNumberValidation or CustomValidation"


def _attributes(params: Mapping[str, Any]) -> Iterable[str]:
    attributes = params.get("Attributes")
    if isinstance(attributes, dict):
        for name, value in attributes.items():
            if not isinstance(value, str):
                yield f"attribute {name} must be a string (a value or a $. reference)"


def _lambda(params: Mapping[str, Any]) -> Iterable[str]:
    validation = params.get("ResponseValidation")
    if isinstance(validation, dict) and validation.get("ResponseType") not in ("STRING_MAP", "JSON"):
        yield "ResponseValidation.ResponseType must be STRING_MAP or JSON"


def _iterative(params: Mapping[str, Any]) -> Iterable[str]:
    messages = params.get("Messages")
    if not isinstance(messages, list):
        return
    if not messages:
        yield "Messages must not be empty"
    for index, message in enumerate(messages):
        if not isinstance(message, dict) or not any(
            k in message for k in ("Text", "SSML", "PromptId", "Media")
        ):
            yield f"message #{index} needs Text, SSML, PromptId or Media"


_PARAMETER_CHECKS = {
    "GetParticipantInput": _get_input,
    "UpdateContactAttributes": _attributes,
    "InvokeLambdaFunction": _lambda,
    "MessageParticipantIteratively": _iterative,
}


# ---------------------------------------------------------------- transitions
def _check_transitions(action: Action, spec: ActionSpec, catalog: Catalog, report: Report) -> None:
    ident, transitions = action.identifier, action.transitions
    if spec.next_action == NEXT_FORBIDDEN:
        if transitions.next_action or transitions.conditions or transitions.errors:
            report.add(ERROR, ident, f"{action.type} ends the flow and takes no transitions")
        return
    if spec.next_action == NEXT_REQUIRED and not transitions.next_action:
        report.add(ERROR, ident, f"{action.type} needs a NextAction")
    store_input = action.type == "GetParticipantInput" and _truthy(action.parameters.get("StoreInput"))
    if transitions.conditions and (not spec.operators or store_input):
        reason = " with StoreInput" if store_input else ""
        report.add(ERROR, ident, f"{action.type}{reason} takes no Conditions")
    elif transitions.conditions:
        _check_conditions(action, spec, catalog, report)
    _check_special(action, report)
    seen: set[str] = set()
    for error in transitions.errors:
        if error.error_type not in spec.errors:
            declared = ", ".join(spec.errors) or "none"
            report.add(
                ERROR,
                ident,
                f"error type {error.error_type!r} is not one {action.type} raises (it declares: {declared})",
            )
        if error.error_type in seen:
            report.add(ERROR, ident, f"error type {error.error_type} has two branches")
        seen.add(error.error_type)
        if not error.next_action:
            report.add(ERROR, ident, f"the {error.error_type} branch has no NextAction")
    for expected in spec.errors:
        if expected in seen or expected in spec.optional_errors:
            continue
        if expected == "NoMatchingCondition" and (not transitions.conditions or store_input):
            continue
        if expected == "InputTimeLimitExceeded" and store_input:
            continue
        if expected not in catalog.common_errors:
            continue  # a specific error (InvalidPhoneNumber, ...) only arises with some settings
        report.add(WARNING, ident, f"no {expected} branch: that error would end the flow")


def _check_conditions(action: Action, spec: ActionSpec, catalog: Catalog, report: Report) -> None:
    ident = action.identifier
    operands_seen: list[str] = []
    for branch in action.transitions.conditions:
        condition = branch.condition
        if condition.operator not in catalog.operators:
            report.add(
                ERROR,
                ident,
                f"condition operator {condition.operator!r} is not a Flow Language operator "
                f"({', '.join(catalog.operators)})",
            )
        elif condition.operator not in spec.operators:
            report.add(
                ERROR,
                ident,
                f"{action.type} does not take the operator {condition.operator} (only {', '.join(spec.operators)})",
            )
        if len(condition.operands) != 1:
            report.add(ERROR, ident, f"a condition takes exactly one operand, has {len(condition.operands)}")
        for operand in condition.operands:
            if not isinstance(operand, str):
                report.add(ERROR, ident, f"condition operand {operand!r} must be a string")
                continue
            operands_seen.append(operand)
            if spec.operands is not None and operand not in spec.operands:
                report.add(
                    ERROR, ident, f"{action.type} has no result {operand!r} (only {', '.join(spec.operands)})"
                )
        if not branch.next_action:
            report.add(ERROR, ident, "a condition has no NextAction")
    if spec.operands_exact and sorted(operands_seen) != sorted(spec.operands or ()):
        wanted = " and ".join(f"an Equals {o}" for o in spec.operands or ())
        report.add(ERROR, ident, f"{action.type} needs exactly {wanted} condition")


def _check_special(action: Action, report: Report) -> None:
    ident, transitions, params = action.identifier, action.transitions, action.parameters
    if action.type == "MessageParticipantIteratively":
        interrupted = any("MessagesInterrupted" in b.condition.operands for b in transitions.conditions)
        if "InterruptFrequencySeconds" in params and not interrupted:
            report.add(ERROR, ident, "InterruptFrequencySeconds needs a MessagesInterrupted condition")
        if interrupted and "InterruptFrequencySeconds" not in params:
            report.add(ERROR, ident, "a MessagesInterrupted condition needs InterruptFrequencySeconds")
    if action.type == "CheckMetricData" and str(params.get("MetricType")) in STAFFING_METRICS:
        # NoMatchingCondition is accepted here: every export declares it (the UI's False branch).
        for branch in transitions.conditions:
            if (branch.condition.operator, list(branch.condition.operands)) != ("NumberGreaterThan", ["0"]):
                report.add(ERROR, ident, "a staffing metric only takes the condition NumberGreaterThan 0")
    if action.type == "DistributeByPercentage":
        previous = 0
        for branch in transitions.conditions:
            operands = branch.condition.operands
            threshold = _number(operands[0]) if operands else None
            if threshold is None or not threshold.is_integer() or not previous < threshold <= 100:
                report.add(
                    ERROR, ident, "percentages must be whole numbers from 1 to 100, in increasing order"
                )
                break
            previous = int(threshold)


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
