"""The survey read path for reports: the API's supervisor summary, on both stacks.

JSON-ready plain values only. Averages count valid answers (1-5) only; invalid and missing
answers are counted as such, so a report shows how many callers did not answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from jam_core.connect_lambda.settings import Settings
from jam_core.tables import repositories
from jam_core.tables.surveys import INVALID, MISSING, QUESTIONS, VALID, SurveyResult


def _question_stats(results: list[SurveyResult], index: int) -> dict[str, Any]:
    answers = [result.answers[index] for result in results]
    scores = [a.score for a in answers if a.status == VALID and a.score is not None]
    return {
        "valid": len(scores),
        "invalid": sum(a.status == INVALID for a in answers),
        "missing": sum(a.status == MISSING for a in answers),
        "average": round(sum(scores) / len(scores), 2) if scores else None,
    }


def summary(results: Iterable[SurveyResult]) -> dict[str, Any]:
    """{"count", "questions": {Q1: {valid, invalid, missing, average}}, "queues" and "agents": {name:
    {"count", "questions"}}}."""
    listed = list(results)

    def stats(group: list[SurveyResult]) -> dict[str, Any]:
        return {
            "count": len(group),
            "questions": {q: _question_stats(group, i) for i, q in enumerate(QUESTIONS)},
        }

    def by(name: Callable[[SurveyResult], str]) -> dict[str, Any]:
        groups: dict[str, list[SurveyResult]] = {}
        for result in listed:
            groups.setdefault(name(result), []).append(result)
        return {key: stats(group) for key, group in sorted(groups.items())}

    return {
        **stats(listed),
        "queues": by(lambda r: r.queue_name or "(no queue)"),
        "agents": by(lambda r: r.agent_user_name or "(no agent)"),
    }


def report(settings: Settings, limit: int = 1000, recent_count: int = 10) -> dict[str, Any]:
    """The supervisor's report: summary() of at most `limit` results, the newest `recent_count`
    of them as items, and whether the store held more than `limit` ("complete": false)."""
    results, complete = repositories.surveys(settings).read_for_report(limit)
    return {
        **summary(results),
        "recent": [result.to_item() for result in results[: max(0, recent_count)]],
        "limit": limit,
        "complete": complete,
    }
