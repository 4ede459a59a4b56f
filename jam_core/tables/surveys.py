"""SurveyResults: one record per contact, key ContactId; written once, never overwritten.

A retried invocation (Connect retries a Lambda that timed out) must not write twice, so the
write is conditional: INSERT … ON CONFLICT DO NOTHING on SQLite, attribute_not_exists(ContactId) on DynamoDB.
Answers are kept as the caller gave them, with a status, so an invalid or missing answer is a
fact in the record rather than a hole in it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from jam_core.tables import sqlite_db

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

KEY = "ContactId"
QUESTIONS = ("Q1", "Q2", "Q3")
VALID, INVALID, MISSING = "valid", "invalid", "missing"
SCAN_PAGE_ITEMS = 500  # per Scan request of a report: well under DynamoDB's 1 MB page
MAX_RAW_ANSWER = 64  # DTMF input is short; anything longer is kept truncated, still marked invalid


@dataclass(frozen=True)
class Answer:
    raw: str
    status: str
    score: int | None

    @classmethod
    def parse(cls, raw: str) -> Answer:
        text = raw.strip()
        if not text:
            return cls("", MISSING, None)
        if len(text) == 1 and text in "12345":
            return cls(text, VALID, int(text))
        return cls(text[:MAX_RAW_ANSWER], INVALID, None)


@dataclass(frozen=True)
class SurveyResult:
    contact_id: str
    recorded_at: str  # ISO 8601, UTC
    queue_name: str
    agent_user_name: str
    language_code: str
    answers: tuple[Answer, Answer, Answer]

    def to_item(self) -> dict[str, Any]:
        item: dict[str, Any] = {
            KEY: self.contact_id,
            "RecordedAt": self.recorded_at,
            "QueueName": self.queue_name,
            "AgentUserName": self.agent_user_name,
            "LanguageCode": self.language_code,
        }
        for question, answer in zip(QUESTIONS, self.answers, strict=True):
            item[question] = answer.raw
            item[f"{question}Status"] = answer.status
            if answer.score is not None:
                item[f"{question}Score"] = answer.score
        return item

    @classmethod
    def from_item(cls, item: Mapping[str, Any]) -> SurveyResult:
        answers = tuple(
            Answer(
                str(item.get(q, "")),
                str(item.get(f"{q}Status", MISSING)),
                int(item[f"{q}Score"]) if item.get(f"{q}Score") is not None else None,
            )
            for q in QUESTIONS
        )
        return cls(
            contact_id=str(item[KEY]),
            recorded_at=str(item.get("RecordedAt", "")),
            queue_name=str(item.get("QueueName", "")),
            agent_user_name=str(item.get("AgentUserName", "")),
            language_code=str(item.get("LanguageCode", "")),
            answers=(answers[0], answers[1], answers[2]),
        )


class SurveyRepository(Protocol):
    def record(self, result: SurveyResult) -> bool:
        """Stores the result; False (and nothing written) when the contact already has one."""
        ...

    def get(self, contact_id: str) -> SurveyResult | None: ...

    def list_recent(self, limit: int = 100) -> list[SurveyResult]:
        """The newest results first: the read path for reports."""
        ...

    def read_for_report(self, limit: int) -> tuple[list[SurveyResult], bool]:
        """At most `limit` results, newest first, and whether they are every result stored.

        Bounded on purpose (an API request must not read a table of any size). SQLite reads the
        newest `limit`; on DynamoDB see DynamoDbSurveys.read_for_report for what a partial read holds.
        """
        ...


_COLUMNS = (
    "contact_id, recorded_at, queue_name, agent_user_name, language_code, "
    "q1, q1_status, q1_score, q2, q2_status, q2_score, q3, q3_status, q3_score"
)


def _row(result: SurveyResult) -> tuple[Any, ...]:
    values: list[Any] = [
        result.contact_id,
        result.recorded_at,
        result.queue_name,
        result.agent_user_name,
        result.language_code,
    ]
    for answer in result.answers:
        values += [answer.raw, answer.status, answer.score]
    return tuple(values)


def _from_row(row: tuple[Any, ...]) -> SurveyResult:
    a = [Answer(row[i], row[i + 1], row[i + 2]) for i in (5, 8, 11)]
    return SurveyResult(row[0], row[1], row[2], row[3], row[4], (a[0], a[1], a[2]))


class SqliteSurveys:
    def __init__(self, path: str) -> None:
        self.path = path

    def record(self, result: SurveyResult) -> bool:
        conn = sqlite_db.connection(self.path)
        with sqlite_db.write_transaction(conn):
            cursor = conn.execute(
                # Only a second record for the contact is ignored (OR IGNORE would also swallow
                # a NOT NULL violation and call it a duplicate).
                f"INSERT INTO survey_results ({_COLUMNS}) VALUES ({', '.join('?' * 14)}) "
                "ON CONFLICT (contact_id) DO NOTHING",
                _row(result),
            )
        return cursor.rowcount == 1

    def get(self, contact_id: str) -> SurveyResult | None:
        conn = sqlite_db.connection(self.path)
        row = conn.execute(
            f"SELECT {_COLUMNS} FROM survey_results WHERE contact_id = ?", (contact_id,)
        ).fetchone()
        return _from_row(row) if row else None

    def list_recent(self, limit: int = 100) -> list[SurveyResult]:
        conn = sqlite_db.connection(self.path)
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM survey_results ORDER BY recorded_at DESC, contact_id LIMIT ?",
            (max(0, limit),),
        ).fetchall()
        return [_from_row(row) for row in rows]

    def read_for_report(self, limit: int) -> tuple[list[SurveyResult], bool]:
        results = self.list_recent(max(0, limit) + 1)  # one more tells whether there were more
        return results[: max(0, limit)], len(results) <= limit


class DynamoDbSurveys:
    def __init__(self, client: DynamoDBClient, table: str) -> None:
        self.client = client
        self.table = table

    def record(self, result: SurveyResult) -> bool:
        from jam_core.tables.dynamo import to_item

        try:
            self.client.put_item(
                TableName=self.table,
                Item=to_item(result.to_item()),
                ConditionExpression="attribute_not_exists(ContactId)",
            )
        except self.client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def get(self, contact_id: str) -> SurveyResult | None:
        from jam_core.tables.dynamo import from_item

        response = self.client.get_item(
            TableName=self.table, Key={KEY: {"S": contact_id}}, ConsistentRead=True
        )
        item = response.get("Item")
        return SurveyResult.from_item(from_item(item)) if item else None

    def list_recent(self, limit: int = 100) -> list[SurveyResult]:
        # The whole table (a Scan of every page): for tests and tools on small tables only. Reports
        # read through read_for_report, which is bounded; the callers' lookups are all GetItem.
        from jam_core.tables.dynamo import from_item

        results: list[SurveyResult] = []
        kwargs: dict[str, Any] = {"TableName": self.table}
        while True:
            page = self.client.scan(**kwargs)
            results += [SurveyResult.from_item(from_item(item)) for item in page.get("Items", [])]
            if "LastEvaluatedKey" not in page:
                break
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        # Same order as SQLite's: newest first, ties by contact id (two stable sorts).
        results.sort(key=lambda r: r.contact_id)
        results.sort(key=lambda r: r.recorded_at, reverse=True)
        return results[: max(0, limit)]

    def read_for_report(self, limit: int) -> tuple[list[SurveyResult], bool]:
        # The table's only key is ContactId (a hash key, no sort key or index on RecordedAt), so
        # "newest first" cannot be asked of DynamoDB: this is a Scan that stops after `limit` items
        # (Limit per page, so no more is read or paid for), sorted here. When the table holds more,
        # the results are `limit` of them in the table's hash order, not the newest, and the answer
        # says it is incomplete.
        from jam_core.tables.dynamo import from_item

        wanted = max(0, limit)
        results: list[SurveyResult] = []
        kwargs: dict[str, Any] = {"TableName": self.table}
        while True:
            # Never more than is still wanted, plus one item to learn whether anything is left.
            page = self.client.scan(**kwargs, Limit=min(SCAN_PAGE_ITEMS, wanted + 1 - len(results)))
            results += [SurveyResult.from_item(from_item(item)) for item in page.get("Items", [])]
            if len(results) > wanted or "LastEvaluatedKey" not in page:
                break
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        results.sort(key=lambda r: r.contact_id)
        results.sort(key=lambda r: r.recorded_at, reverse=True)
        return results[:wanted], len(results) <= wanted
