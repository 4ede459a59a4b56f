"""Which actions and branches of each flow ran: the flow tests' coverage report.

A branch is one declared transition of an action: its NextAction, each condition, each error.
`Coverage` is filled by the engine while calls run; `report()` compares it with the flows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from local_connect.flows import references
from local_connect.flows.model import Action, Flow

NEXT = "NextAction"


def condition_label(index: int) -> str:
    return f"Condition#{index}"


def error_label(error_type: str) -> str:
    return f"Error:{error_type}"


def branches_of(action: Action) -> list[tuple[str, str]]:
    """(label, description) of every declared transition of an action.

    A NextAction that leads where a condition or error branch leads is not a branch of its own: real
    exports give every Compare, Loop, CheckHoursOfOperation and key-choice GetParticipantInput a
    NextAction equal to its NoMatchingCondition (DoneLooping, NoMatchingError) target, and the
    engine takes that branch by its name.
    """
    found: list[tuple[str, str]] = []
    transitions = action.transitions
    others = {b.next_action for b in transitions.conditions} | {e.next_action for e in transitions.errors}
    if transitions.next_action and transitions.next_action not in others:
        found.append((NEXT, f"NextAction -> {transitions.next_action}"))
    for index, branch in enumerate(transitions.conditions):
        operands = ",".join(str(o) for o in branch.condition.operands)
        found.append(
            (condition_label(index), f"{branch.condition.operator} {operands} -> {branch.next_action}")
        )
    for error in transitions.errors:
        found.append((error_label(error.error_type), f"error {error.error_type} -> {error.next_action}"))
    return found


@dataclass
class Coverage:
    actions: set[tuple[str, str]] = field(default_factory=set)  # (flow key, action id)
    branches: set[tuple[str, str, str]] = field(default_factory=set)  # (flow key, action id, label)
    # The same, per language the session had at the time (see `required_languages`).
    by_language: dict[str, Coverage] = field(default_factory=dict)

    def visit(self, flow: str, action: str, language: str | None = None) -> None:
        self.actions.add((flow, action))
        if language is not None:
            self.by_language.setdefault(language, Coverage()).actions.add((flow, action))

    def take(self, flow: str, action: str, label: str, language: str | None = None) -> None:
        self.branches.add((flow, action, label))
        if language is not None:
            self.by_language.setdefault(language, Coverage()).branches.add((flow, action, label))


# The language a new contact starts in (the engine's default, the instance's on Connect).
START_LANGUAGE = "en-US"
Item = tuple[str, str]  # (action id, branch label, or "" for the action itself)


def language_set_by(action: Action) -> str | None:
    """The LanguageCode an UpdateContactData sets: the literal, "*" for a `$.` reference, else None."""
    if action.type != "UpdateContactData" or "LanguageCode" not in action.parameters:
        return None
    value = action.parameters["LanguageCode"]
    return value if isinstance(value, str) and not references.is_reference(value) else "*"


def _flow_references(value: Any) -> Iterator[str]:
    """Every string inside a parameter value (a flow named by ARN, id or key may be one of them)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _flow_references(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _flow_references(item)


def flow_languages(flows: Iterable[Flow]) -> tuple[str, ...]:
    """The languages a set of flows speaks: the start language and every literal LanguageCode set."""
    found = {START_LANGUAGE}
    for flow in flows:
        found.update(code for a in flow if (code := language_set_by(a)) not in (None, "*"))
    return tuple(sorted(found))


def required_languages(
    flows: Iterable[Flow], languages: Iterable[str], find: Callable[[str], Flow | None]
) -> dict[str, dict[Item, frozenset[str]]]:
    """For each flow, each action ("" label) and branch: the languages a session can have there.

    Per-language coverage is measured against this, because some steps cannot run in some
    languages: a contact starts in START_LANGUAGE, so everything before a flow sets the language
    (the greeting, the language offer, the web ingress refusal) runs in it only, and the branch out
    of UpdateContactData LanguageCode=es-US is taken in Spanish only. The engine records each step
    in the session's language at the time (the branch out of a language change in the new one), and
    this walks the flows the same way: from a flow's StartAction with the languages contacts enter
    it in (START_LANGUAGE for a flow no other flow names; for a hook or transfer target such as the
    queue or the survey flow, every language the naming action can have), along every branch, a
    literal LanguageCode narrowing the set on its NextAction, a `$.` reference widening it to all.
    """
    flows = list(flows)
    universe = frozenset(languages)
    entering: dict[str, set[str]] = {flow.key: set() for flow in flows}
    named = {
        target.key
        for flow in flows
        for action in flow
        for text in _flow_references(action.parameters)
        if (target := find(text)) is not None and target.key in entering and target.key != flow.key
    }
    for flow in flows:
        if flow.key not in named:
            entering[flow.key].add(START_LANGUAGE)
    at: dict[str, dict[str, set[str]]] = {flow.key: {} for flow in flows}
    changed = True
    while changed:  # a fixed point over every flow (hooks carry languages from flow to flow)
        changed = False
        for flow in flows:
            seen = at[flow.key]
            pending = [(flow.start_action, frozenset(entering[flow.key]))] if flow.start_action else []
            while pending:
                action_id, langs = pending.pop()
                action = flow.action(action_id) if action_id else None
                if action is None or not langs or langs <= seen.setdefault(action_id, set()):
                    continue
                seen[action_id] |= langs
                changed = True
                here = frozenset(seen[action_id])
                pending.extend(_branches_out(action, here, universe))
                for text in _flow_references(action.parameters):
                    hooked = find(text)
                    if hooked is None or hooked.key not in entering or hooked.key == flow.key:
                        continue
                    if not here <= entering[hooked.key]:
                        entering[hooked.key] |= here
                        changed = True
    result: dict[str, dict[Item, frozenset[str]]] = {}
    for flow in flows:
        items: dict[Item, frozenset[str]] = {}
        for action in flow:
            here = frozenset(at[flow.key].get(action.identifier, set()))
            items[(action.identifier, "")] = here
            for branch_label, _ in branches_of(action):
                items[(action.identifier, branch_label)] = _branch_languages(
                    action, branch_label, here, universe
                )
        result[flow.key] = items
    return result


def _branch_languages(
    action: Action, label: str, here: frozenset[str], universe: frozenset[str]
) -> frozenset[str]:
    code = language_set_by(action)
    if code is None or label != NEXT:
        return here  # a failed language change leaves the language as it was
    return universe if code == "*" else frozenset({code})


def _branches_out(
    action: Action, here: frozenset[str], universe: frozenset[str]
) -> Iterator[tuple[str, frozenset[str]]]:
    """(target action, languages a session can have on arriving there) of each branch."""
    transitions = action.transitions
    if transitions.next_action:
        yield transitions.next_action, _branch_languages(action, NEXT, here, universe)
    for branch in transitions.conditions:
        if branch.next_action:
            yield branch.next_action, here
    for error in transitions.errors:
        if error.next_action:
            yield error.next_action, here


@dataclass
class FlowCoverage:
    flow: str
    actions_total: int
    actions_run: int
    branches_total: int
    branches_taken: int
    missing_actions: list[str]
    missing_branches: list[str]
    by_language: dict[str, float] = field(default_factory=dict)  # language -> percent of what it can run
    # language -> what a session in that language can run there but no scenario ran
    missing_by_language: dict[str, list[str]] = field(default_factory=dict)

    @property
    def percent(self) -> float:
        total = self.actions_total + self.branches_total
        done = self.actions_run + self.branches_taken
        return 100.0 if total == 0 else round(100.0 * done / total, 1)

    def line(self) -> str:
        languages = "  ".join(f"{lang} {pct:5.1f}%" for lang, pct in sorted(self.by_language.items()))
        return (
            f"{self.flow:<20} actions {self.actions_run:>3}/{self.actions_total:<3} "
            f"branches {self.branches_taken:>3}/{self.branches_total:<3} {self.percent:5.1f}%"
            + (f"   ({languages})" if languages else "")
        )

    def shortfalls(self) -> list[str]:
        """What keeps this flow from 100%, overall and in each language (empty when complete)."""
        found = [] if self.percent >= 100.0 else [f"{self.flow} {self.percent}%"]
        found.extend(
            f"{self.flow} in {language} {percent}%"
            for language, percent in sorted(self.by_language.items())
            if percent < 100.0
        )
        return found


def _describe(action: Action, label: str) -> str:
    if not label:
        return action.identifier
    return next(f"{action.identifier}: {d}" for lbl, d in branches_of(action) if lbl == label)


def report(
    coverage: Coverage,
    flows: Iterable[Flow],
    *,
    languages: Iterable[str] = (),
    find: Callable[[str], Flow | None] | None = None,
) -> list[FlowCoverage]:
    """Coverage per flow; with `languages`, also per language, of what a session in it can run."""
    flows = list(flows)
    languages = tuple(languages)
    lookup = find or (lambda ref: next((f for f in flows if ref in (f.key, f.arn, f.flow_id)), None))
    required = required_languages(flows, languages, lookup) if languages else {}
    results = []
    for flow in flows:
        missing_actions = [a.identifier for a in flow if (flow.key, a.identifier) not in coverage.actions]
        missing_branches = []
        total = 0
        for action in flow:
            for label, description in branches_of(action):
                total += 1
                if (flow.key, action.identifier, label) not in coverage.branches:
                    missing_branches.append(f"{action.identifier}: {description}")
        result = FlowCoverage(
            flow=flow.key,
            actions_total=len(flow.actions),
            actions_run=len(flow.actions) - len(missing_actions),
            branches_total=total,
            branches_taken=total - len(missing_branches),
            missing_actions=missing_actions,
            missing_branches=missing_branches,
        )
        for language in languages:
            part = coverage.by_language.get(language, Coverage())
            due = [item for item, langs in required[flow.key].items() if language in langs]
            if not due:
                continue  # the flow never runs in this language
            missing = [
                _describe(flow.actions[action_id], label)
                for action_id, label in due
                if (
                    (flow.key, action_id) not in part.actions
                    if not label
                    else (flow.key, action_id, label) not in part.branches
                )
            ]
            result.by_language[language] = (
                100.0 if not due else round(100.0 * (len(due) - len(missing)) / len(due), 1)
            )
            result.missing_by_language[language] = missing
        results.append(result)
    return results


def render(results: Iterable[FlowCoverage], *, details: bool = True) -> str:
    lines = [
        "flow coverage (actions run, branches taken; in brackets per language, "
        "of the steps a session in that language can reach)"
    ]
    for result in results:
        lines.append("  " + result.line())
        if details:
            lines.extend(f"      not run: {a}" for a in result.missing_actions)
            lines.extend(f"      not taken: {b}" for b in result.missing_branches)
            for language, missing in sorted(result.missing_by_language.items()):
                lines.extend(f"      not taken in {language}: {m}" for m in missing)
    return "\n".join(lines)
