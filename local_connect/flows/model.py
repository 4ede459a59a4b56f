"""The Flow Language document as Python data: a flow, its actions and their transitions.

Parsing is deliberately forgiving: anything that is not the expected shape becomes an empty value
and is left for the validator to report, so an odd exported flow loads (and is reported) instead of
raising halfway through.
"""

from __future__ import annotations

import reprlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

FLOW_LANGUAGE_VERSION = "2019-10-30"


@dataclass(frozen=True)
class Condition:
    operator: str
    operands: tuple[Any, ...]


@dataclass(frozen=True)
class ConditionBranch:
    next_action: str | None
    condition: Condition


@dataclass(frozen=True)
class ErrorBranch:
    error_type: str
    next_action: str | None


@dataclass(frozen=True)
class Transitions:
    next_action: str | None = None
    conditions: tuple[ConditionBranch, ...] = ()
    errors: tuple[ErrorBranch, ...] = ()

    def error_target(self, error_type: str) -> ErrorBranch | None:
        return next((e for e in self.errors if e.error_type == error_type), None)

    def targets(self) -> Iterator[str]:
        """Every action identifier this action can move to."""
        if self.next_action:
            yield self.next_action
        for branch in self.conditions:
            if branch.next_action:
                yield branch.next_action
        for error in self.errors:
            if error.next_action:
                yield error.next_action


@dataclass(frozen=True)
class Action:
    identifier: str
    type: str
    parameters: Mapping[str, Any]
    transitions: Transitions
    raw: Mapping[str, Any] = field(repr=False, compare=False, default_factory=dict)


@dataclass(frozen=True)
class Flow:
    """One flow document. `key` is how the runtime names it (template logical id or file stem)."""

    key: str
    name: str
    flow_type: str
    version: str | None
    start_action: str | None
    actions: Mapping[str, Action]
    order: tuple[str, ...]
    metadata: Mapping[str, Any] = field(repr=False, default_factory=dict)
    arn: str | None = None
    flow_id: str | None = None
    source: str | None = None

    def action(self, identifier: str) -> Action | None:
        return self.actions.get(identifier)

    def __iter__(self) -> Iterator[Action]:
        return (self.actions[i] for i in self.order)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _condition(raw: Any) -> Condition:
    if not isinstance(raw, Mapping):
        return Condition("", ())
    operands = raw.get("Operands")
    if isinstance(operands, str):
        operands = [operands]
    return Condition(str(raw.get("Operator") or ""), tuple(operands) if isinstance(operands, list) else ())


def _objects(raw: Any) -> list[Mapping[str, Any]]:
    return [item for item in raw if isinstance(item, Mapping)] if isinstance(raw, list) else []


def parse_transitions(raw: Any) -> Transitions:
    if not isinstance(raw, Mapping):
        return Transitions()
    conditions = tuple(
        ConditionBranch(_text(c.get("NextAction")), _condition(c.get("Condition")))
        for c in _objects(raw.get("Conditions"))
    )
    errors = tuple(
        ErrorBranch(str(e.get("ErrorType") or ""), _text(e.get("NextAction")))
        for e in _objects(raw.get("Errors"))
    )
    return Transitions(_text(raw.get("NextAction")), conditions, errors)


def shape_problems(raw: Mapping[str, Any]) -> list[str]:
    """What the forgiving parse of an action dropped: parts that are not the documented shape."""
    problems: list[str] = []
    parameters, transitions = raw.get("Parameters"), raw.get("Transitions")
    if parameters is not None and not isinstance(parameters, Mapping):
        problems.append(f"Parameters must be an object, got {_kind(parameters)}")
    if transitions is not None and not isinstance(transitions, Mapping):
        problems.append(f"Transitions must be an object, got {_kind(transitions)}")
    if not isinstance(transitions, Mapping):
        return problems
    for name, item in (("Conditions", "Condition"), ("Errors", "ErrorType")):
        value = transitions.get(name)
        if value is None:
            continue
        if not isinstance(value, list):
            problems.append(f"Transitions.{name} must be a list, got {_kind(value)}")
            continue
        for index, entry in enumerate(value):
            if not isinstance(entry, Mapping):
                problems.append(f"Transitions.{name}[{index}] must be an object, got {_kind(entry)}")
            elif name == "Conditions" and not isinstance(entry.get(item), Mapping):
                problems.append(f"Transitions.Conditions[{index}] has no Condition object")
            elif name == "Conditions" and not isinstance(entry[item].get("Operands"), list | str):
                problems.append(f"Transitions.Conditions[{index}].Condition has no Operands list")
            elif name == "Errors" and not isinstance(entry.get(item), str):
                problems.append(f"Transitions.Errors[{index}] has no ErrorType")
    return problems


def _kind(value: Any) -> str:
    return f"{type(value).__name__} {reprlib.repr(value)}"


def parse_action(raw: Mapping[str, Any], index: int) -> Action:
    identifier = raw.get("Identifier")
    parameters = raw.get("Parameters")
    return Action(
        identifier=identifier if isinstance(identifier, str) else f"<action #{index}>",
        type=str(raw.get("Type") or ""),
        parameters=parameters if isinstance(parameters, Mapping) else {},
        transitions=parse_transitions(raw.get("Transitions")),
        raw=raw,
    )


@dataclass(frozen=True)
class ParsedDocument:
    flow: Flow
    duplicates: tuple[str, ...]
    not_objects: int


def parse_flow(
    document: Mapping[str, Any],
    *,
    key: str,
    name: str | None = None,
    flow_type: str = "CONTACT_FLOW",
    arn: str | None = None,
    flow_id: str | None = None,
    source: str | None = None,
) -> ParsedDocument:
    """Build a Flow from a decoded Flow Language document (no validation beyond shape)."""
    actions: dict[str, Action] = {}
    order: list[str] = []
    duplicates: list[str] = []
    not_objects = 0
    raw_actions = document.get("Actions")
    for index, raw in enumerate(raw_actions if isinstance(raw_actions, list) else []):
        if not isinstance(raw, Mapping):
            not_objects += 1
            continue
        action = parse_action(raw, index)
        if action.identifier in actions:
            duplicates.append(action.identifier)
            continue
        actions[action.identifier] = action
        order.append(action.identifier)
    metadata = document.get("Metadata")
    flow = Flow(
        key=key,
        name=name or key,
        flow_type=flow_type,
        version=_text(document.get("Version")),
        start_action=_text(document.get("StartAction")),
        actions=actions,
        order=tuple(order),
        metadata=metadata if isinstance(metadata, Mapping) else {},
        arn=arn,
        flow_id=flow_id,
        source=source,
    )
    return ParsedDocument(flow, tuple(duplicates), not_objects)
