"""Survey: stores the post-call survey's three answers, once per contact.

Parameters: Q1, Q2, Q3 (the caller's digits, "" for no input), QueueName, AgentUserName,
LanguageCode; the contact id is Details.ContactData.ContactId. Reply:
  {"stored": "true", "duplicate": "false"}   written now
  {"stored": "true", "duplicate": "true"}    already stored for this contact (a retry): nothing written
  {"stored": "false", "duplicate": "false", "error": "..."}
Answers other than 1-5 are stored as given with status "invalid"; no input as "missing".
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from jam_core.connect_lambda import events
from jam_core.connect_lambda.jsonlog import InvocationLog
from jam_core.connect_lambda.responses import connect_handler
from jam_core.connect_lambda.settings import Settings
from jam_core.tables import repositories
from jam_core.tables.surveys import QUESTIONS, Answer, SurveyRepository, SurveyResult

FUNCTION = "survey"
# The Details.Parameters this handler reads.
PARAMETERS = frozenset({*QUESTIONS, "QueueName", "AgentUserName", "LanguageCode"})
MAX_TEXT = 256  # bounds free-text fields; Connect's own names are shorter than this


def failure(error: str) -> dict[str, str]:
    return {"stored": "false", "duplicate": "false", "error": error}


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def survey_result(event: Any, recorded_at: str) -> SurveyResult:
    params = events.parameters(event)
    a1, a2, a3 = (Answer.parse(params.get(question, "")) for question in QUESTIONS)
    return SurveyResult(
        contact_id=events.contact_id(event),
        recorded_at=recorded_at,
        queue_name=(params.get("QueueName", "").strip() or events.queue_name(event))[:MAX_TEXT],
        agent_user_name=params.get("AgentUserName", "").strip()[:MAX_TEXT],
        language_code=events.language_code(event, params)[:MAX_TEXT],
        answers=(a1, a2, a3),
    )


def store(event: Any, log: InvocationLog, repository: SurveyRepository) -> dict[str, Any]:
    result = survey_result(event, utc_now())
    if not result.contact_id:
        log.error("no_contact_id")
        return failure("no_contact_id")
    statuses = {q: a.status for q, a in zip(QUESTIONS, result.answers, strict=True)}
    try:
        written = repository.record(result)
    except Exception as exc:
        log.error("store_failed", error=type(exc).__name__, detail=str(exc)[:300])
        return failure("store_failed")
    if written:
        log.info("survey_stored", queue=result.queue_name, answers=statuses)
    else:
        log.warning("survey_duplicate")
    return {"stored": "true", "duplicate": "false" if written else "true"}


@connect_handler(FUNCTION, failure("store_failed"))
def lambda_handler(event: Any, log: InvocationLog) -> Mapping[str, Any]:
    return store(event, log, repositories.surveys(Settings.from_env()))
