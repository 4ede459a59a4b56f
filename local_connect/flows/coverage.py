"""Which actions and branches of each flow ran: the flow tests' coverage report.

A branch is one declared transition of an action: its NextAction, each condition, each error.
`Coverage` is filled by the engine while calls run; `report()` compares it with the flows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

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
    # The same, per language the session had at the time (for the report; the total is enforced).
    by_language: dict[str, Coverage] = field(default_factory=dict)

    def visit(self, flow: str, action: str, language: str | None = None) -> None:
        self.actions.add((flow, action))
        if language is not None:
            self.by_language.setdefault(language, Coverage()).actions.add((flow, action))

    def take(self, flow: str, action: str, label: str, language: str | None = None) -> None:
        self.branches.add((flow, action, label))
        if language is not None:
            self.by_language.setdefault(language, Coverage()).branches.add((flow, action, label))


@dataclass
class FlowCoverage:
    flow: str
    actions_total: int
    actions_run: int
    branches_total: int
    branches_taken: int
    missing_actions: list[str]
    missing_branches: list[str]
    by_language: dict[str, float] = field(default_factory=dict)  # language -> percent

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


def report(coverage: Coverage, flows: Iterable[Flow]) -> list[FlowCoverage]:
    flows = list(flows)
    results = []
    per_language = {
        language: {r.flow: r.percent for r in report(part, flows)}
        for language, part in coverage.by_language.items()
    }
    for flow in flows:
        missing_actions = [a.identifier for a in flow if (flow.key, a.identifier) not in coverage.actions]
        missing_branches = []
        total = 0
        for action in flow:
            for label, description in branches_of(action):
                total += 1
                if (flow.key, action.identifier, label) not in coverage.branches:
                    missing_branches.append(f"{action.identifier}: {description}")
        results.append(
            FlowCoverage(
                flow=flow.key,
                actions_total=len(flow.actions),
                actions_run=len(flow.actions) - len(missing_actions),
                branches_total=total,
                branches_taken=total - len(missing_branches),
                missing_actions=missing_actions,
                missing_branches=missing_branches,
                by_language={language: percents[flow.key] for language, percents in per_language.items()},
            )
        )
    return results


def render(results: Iterable[FlowCoverage], *, details: bool = True) -> str:
    lines = ["flow coverage (actions run, branches taken; per session language in brackets)"]
    for result in results:
        lines.append("  " + result.line())
        if details:
            lines.extend(f"      not run: {a}" for a in result.missing_actions)
            lines.extend(f"      not taken: {b}" for b in result.missing_branches)
    return "\n".join(lines)
