"""The survey read path for reports (the local runtime and the site): recent results and averages.

JSON-ready plain values only. Averages count valid answers (1-5) only; invalid and missing
answers are counted as such, so a report shows how many callers did not answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jam_lambda.settings import Settings

from jam_data import repositories
from jam_data.surveys import INVALID, MISSING, QUESTIONS, VALID, SurveyResult


def recent(settings: Settings, limit: int = 100) -> list[dict[str, Any]]:
    """The newest survey results first, as items (the DynamoDB item shape, plain values)."""
    return [result.to_item() for result in repositories.surveys(settings).list_recent(limit)]


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
    """{"count", "questions": {Q1: {valid, invalid, missing, average}}, "queues": {name: same shape}}."""
    listed = list(results)
    by_queue: dict[str, list[SurveyResult]] = {}
    for result in listed:
        by_queue.setdefault(result.queue_name or "(no queue)", []).append(result)

    def stats(group: list[SurveyResult]) -> dict[str, Any]:
        return {
            "count": len(group),
            "questions": {q: _question_stats(group, i) for i, q in enumerate(QUESTIONS)},
        }

    return {**stats(listed), "queues": {name: stats(group) for name, group in sorted(by_queue.items())}}
