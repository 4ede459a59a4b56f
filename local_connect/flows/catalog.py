"""The Flow Language action catalog: catalog.json read into typed entries.

catalog.json is the one description of the language this runtime holds: for every action type the
parameters (required or not, whether a `$.` reference may stand in for the value, the kind, allowed
values and ranges), the condition operators and fixed operands, the error types, the flow types, whether
it ends the flow or needs a NextAction, whether the local engine runs it (`implemented`), and the
reference pages and real exports it comes from. The validator, the engine's handler check and
docs/FLOW-LANGUAGE.md (generated section, held to this file by a test) all read it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

CATALOG_FILE = Path(__file__).with_name("catalog.json")

# next_action values: the action must have one, may have one, or (terminal) takes no transitions.
NEXT_REQUIRED = "required"
NEXT_OPTIONAL = "optional"
NEXT_FORBIDDEN = "forbidden"

# dynamic values: may a `$.` reference stand for the parameter's value?
DYNAMIC_ALLOWED = "allowed"
DYNAMIC_FORBIDDEN = "forbidden"  # static only
DYNAMIC_REQUIRED = "required"  # a single JSONPath only (UpdateContactCallbackNumber.CallbackNumber)


@dataclass(frozen=True)
class ParameterSpec:
    name: str
    required: bool
    dynamic: str
    kind: str  # string | object | list
    note: str = ""
    values: tuple[str, ...] = ()  # the only static values allowed, when not empty
    keys: tuple[str, ...] = ()  # for objects: the only keys allowed, when not empty
    entries: int | None = None  # for objects: exactly this many keys
    range: tuple[float | None, float | None] | None = None  # numeric value bounds, inclusive
    integer: bool = False


@dataclass(frozen=True)
class ExclusiveGroup:
    names: tuple[str, ...]
    min: int
    max: int


@dataclass(frozen=True)
class ActionSpec:
    type: str
    category: str
    implemented: bool
    terminal: bool
    next_action: str
    parameters: Mapping[str, ParameterSpec]
    operators: tuple[str, ...]  # empty: the action takes no Conditions
    operands: tuple[str, ...] | None  # the only operands allowed, when given
    operands_exact: bool  # every operand in `operands` must have exactly one condition
    errors: tuple[str, ...]
    optional_errors: tuple[str, ...]  # error branches commonly left out (no warning when missing)
    flow_types: tuple[str, ...] | None  # None: not settled, not restricted
    exclusive: tuple[ExclusiveGroup, ...]
    reference: tuple[str, ...]
    exports: tuple[str, ...]
    notes: tuple[str, ...]
    rules: tuple[str, ...]
    sets: tuple[str, ...]

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parameters.values() if p.required)

    @property
    def optional(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parameters.values() if not p.required)

    @property
    def one_of(self) -> tuple[str, ...]:
        """The parameters of which exactly one must be given (MessageParticipant's prompt source)."""
        return next((g.names for g in self.exclusive if g.min == 1 and g.max == 1), ())

    @property
    def missing_error_ok(self) -> tuple[str, ...]:
        return self.optional_errors

    @property
    def needs_next(self) -> bool:
        return self.next_action == NEXT_REQUIRED


@dataclass(frozen=True)
class Catalog:
    version: str
    operators: tuple[str, ...]
    flow_types: tuple[str, ...]
    export_flow_types: Mapping[str, str]  # Metadata.type in exports -> CreateContactFlow Type
    common_errors: tuple[str, ...]
    max_actions: int
    max_content_characters: int
    identifier_max_length: int
    identifier_forbidden: frozenset[str]
    identifier_reserved: frozenset[str]
    actions: Mapping[str, ActionSpec]
    sources: tuple[str, ...]

    @property
    def implemented(self) -> dict[str, ActionSpec]:
        return {t: spec for t, spec in self.actions.items() if spec.implemented}


def _range(raw: Any) -> tuple[float | None, float | None] | None:
    if raw is None:
        return None
    low, high = raw
    return (None if low is None else float(low), None if high is None else float(high))


def _parameter(name: str, raw: Mapping[str, Any]) -> ParameterSpec:
    return ParameterSpec(
        name=name,
        required=bool(raw["required"]),
        dynamic=str(raw["dynamic"]),
        kind=str(raw["kind"]),
        note=str(raw.get("note", "")),
        values=tuple(raw.get("values", ())),
        keys=tuple(raw.get("keys", ())),
        entries=raw.get("entries"),
        range=_range(raw.get("range")),
        integer=bool(raw.get("integer", False)),
    )


def _action(raw: Mapping[str, Any]) -> ActionSpec:
    operands = raw.get("operands")
    flow_types = raw.get("flow_types")
    return ActionSpec(
        type=raw["type"],
        category=raw["category"],
        implemented=bool(raw["implemented"]),
        terminal=bool(raw["terminal"]),
        next_action=raw["next_action"],
        parameters={name: _parameter(name, p) for name, p in raw["parameters"].items()},
        operators=tuple(raw["operators"]),
        operands=None if operands is None else tuple(operands),
        operands_exact=bool(raw.get("operands_exact", False)),
        errors=tuple(raw["errors"]),
        optional_errors=tuple(raw.get("optional_errors", ())),
        flow_types=None if flow_types is None else tuple(flow_types),
        exclusive=tuple(
            ExclusiveGroup(tuple(g["names"]), int(g["min"]), int(g["max"])) for g in raw.get("exclusive", ())
        ),
        reference=tuple(raw["sources"]["reference"]),
        exports=tuple(raw["sources"]["exports"]),
        notes=tuple(raw.get("notes", ()))
        + ((f"Conditions: {raw['condition_note']}",) if raw.get("condition_note") else ()),
        rules=tuple(raw.get("rules", ())),
        sets=tuple(raw.get("sets", ())),
    )


def parse_catalog(document: Mapping[str, Any]) -> Catalog:
    limits = document["limits"]
    actions = [_action(a) for a in document["actions"]]
    by_type = {a.type: a for a in actions}
    if len(by_type) != len(actions):
        raise ValueError("catalog.json lists an action type twice")
    return Catalog(
        version=document["version"],
        operators=tuple(document["operators"]),
        flow_types=tuple(document["flow_types"]),
        export_flow_types=dict(document["export_flow_types"]),
        common_errors=tuple(document["common_errors"]),
        max_actions=int(limits["max_actions"]),
        max_content_characters=int(limits["max_content_characters"]),
        identifier_max_length=int(limits["identifier_max_length"]),
        identifier_forbidden=frozenset(document["identifier_forbidden_characters"]),
        identifier_reserved=frozenset(document["identifier_reserved"]),
        actions=by_type,
        sources=tuple(document["sources"]),
    )


@cache
def load_catalog(path: Path = CATALOG_FILE) -> Catalog:
    return parse_catalog(json.loads(path.read_text(encoding="utf-8")))


CATALOG = load_catalog()

# The action types the engine runs (it asserts it has a handler for each).
SPECS: dict[str, ActionSpec] = CATALOG.implemented
# Real Connect action types the engine does not run: a flow using them loads, the use is reported
# by name, and at run time the action takes its NoMatchingError branch.
KNOWN_UNSUPPORTED = frozenset(t for t, spec in CATALOG.actions.items() if not spec.implemented)
OPERATORS = CATALOG.operators

# CheckMetricData's MetricType -> the queue metric (services.QUEUE_METRICS) the engine reads for it.
# The staffing metrics only take "NumberGreaterThan 0" (catalog rules).
CHECK_METRICS = {
    "NumberOfAgentsAvailable": "AGENTS_AVAILABLE",
    "NumberOfAgentsStaffed": "AGENTS_STAFFED",
    "NumberOfAgentsOnline": "AGENTS_ONLINE",
    "OldestContactInQueueAgeSeconds": "OLDEST_CONTACT_AGE",
    "NumberOfContactsInQueue": "CONTACTS_IN_QUEUE",
}
STAFFING_METRICS = frozenset({"NumberOfAgentsAvailable", "NumberOfAgentsStaffed", "NumberOfAgentsOnline"})
EVENT_HOOKS = frozenset(CATALOG.actions["UpdateContactEventHooks"].parameters["EventHooks"].keys)
