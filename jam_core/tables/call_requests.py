"""CallRequests: click-to-call requests waiting for Amazon Connect's outbound quota, key RequestId.

A customer's "call me" is accepted at once (202) even when StartOutboundVoiceContact's quota (by
default 2 requests/s per account) is spent: the request is written here and placed, in the order
it was accepted, as the quota allows (jam_core.calls.placing). Nothing is lost: a request stays
`scheduled` until Connect has taken it (`placed`, with its ContactId) or has refused it for a reason
a retry cannot fix (`failed`, with the reason, once).

Order and position come from a sequence number given when the request is written: on SQLite an
autoincrement in the same transaction; on DynamoDB an atomic counter item (ADD), so every API
container numbers requests from one sequence. The position of a request is how many requests are
still scheduled at or before it; on DynamoDB that is its number minus the count of finished
requests (another counter), which is exact while requests finish in order (they do: one FIFO
message group), and an estimate otherwise.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Protocol

from jam_core.tables import sqlite_db

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

KEY = "RequestId"
SCHEDULED, PLACED, FAILED = "scheduled", "placed", "failed"
STATES = (SCHEDULED, PLACED, FAILED)
# DynamoDB counter items live in the same table under keys no request id can take (ids are uuids).
SEQUENCE_KEY = "#sequence"
FINISHED_KEY = "#finished"


@dataclass(frozen=True)
class CallRequest:
    request_id: str
    customer: str  # the Cognito subject of the customer who asked (status is theirs only)
    start_args: Mapping[str, Any]  # StartOutboundVoiceContact's arguments, ClientToken included
    created_at: float  # epoch seconds
    fingerprint: str = ""  # of the customer's request, for Idempotency-Key reuse checks
    not_before: float = 0.0  # epoch seconds: placed no earlier (a call at the next opening)
    seq: int = 0  # given by the repository on add()
    state: str = SCHEDULED
    contact_id: str = ""
    reason: str = ""
    finished_at: float | None = None
    attempts: int = 0
    extra: Mapping[str, str] = field(default_factory=dict)

    def to_item(self) -> dict[str, Any]:
        item: dict[str, Any] = {
            KEY: self.request_id,
            "Customer": self.customer,
            "StartArgs": json.dumps(dict(self.start_args), sort_keys=True),
            "CreatedAt": self.created_at,
            "Fingerprint": self.fingerprint,
            "NotBefore": self.not_before,
            "Seq": self.seq,
            "State": self.state,
            "ContactId": self.contact_id,
            "Reason": self.reason,
            "Attempts": self.attempts,
        }
        if self.finished_at is not None:
            item["FinishedAt"] = self.finished_at
        return item

    @classmethod
    def from_item(cls, item: Mapping[str, Any]) -> CallRequest:
        finished = item.get("FinishedAt")
        return cls(
            request_id=str(item[KEY]),
            customer=str(item["Customer"]),
            start_args=json.loads(str(item["StartArgs"])),
            created_at=float(item["CreatedAt"]),
            fingerprint=str(item.get("Fingerprint", "")),
            not_before=float(item.get("NotBefore", 0)),
            seq=int(item.get("Seq", 0)),
            state=str(item.get("State", SCHEDULED)),
            contact_id=str(item.get("ContactId", "")),
            reason=str(item.get("Reason", "")),
            finished_at=float(finished) if finished is not None else None,
            attempts=int(item.get("Attempts", 0)),
        )


class CallRequestRepository(Protocol):
    def add(self, request: CallRequest) -> CallRequest:
        """Writes a new request and gives it the next sequence number; a request id already
        written returns the stored request unchanged (a retried add)."""
        ...

    def get(self, request_id: str) -> CallRequest | None: ...

    def due(self, now: float, limit: int) -> list[CallRequest]:
        """Scheduled requests whose time has come, oldest first (the local placing loop)."""
        ...

    def finish(
        self, request_id: str, state: str, *, contact_id: str = "", reason: str = "", at: float
    ) -> bool:
        """Marks a scheduled request placed or failed; False if it was not scheduled (once only)."""
        ...

    def count_attempt(self, request_id: str) -> None:
        """One more try that Connect throttled or could not answer (kept for the record)."""
        ...

    def position(self, request: CallRequest, now: float) -> int:
        """1 for the next request to place, 2 for the one after, ...; 0 once it is not scheduled
        or while its time (not_before) has not come."""
        ...

    def backlog(self, now: float) -> int:
        """How many requests are due and waiting (0: a new request may be placed at once)."""
        ...


# ---------------------------------------------------------------------------------------- SQLite
class SqliteCallRequests:
    def __init__(self, path: str) -> None:
        self._path = path

    def _conn(self) -> Any:
        return sqlite_db.connection(self._path)

    def add(self, request: CallRequest) -> CallRequest:
        conn = self._conn()
        with sqlite_db.write_transaction(conn):
            row = conn.execute(
                "SELECT item FROM call_requests WHERE request_id = ?", (request.request_id,)
            ).fetchone()
            if row is not None:
                return CallRequest.from_item(json.loads(row[0]))
            cursor = conn.execute(
                "INSERT INTO call_requests (request_id, state, not_before, item) VALUES (?, ?, ?, '{}')",
                (request.request_id, request.state, request.not_before),
            )
            stored = replace(request, seq=int(cursor.lastrowid or 0))
            conn.execute(
                "UPDATE call_requests SET item = ? WHERE request_id = ?",
                (json.dumps(stored.to_item()), request.request_id),
            )
        return stored

    def get(self, request_id: str) -> CallRequest | None:
        row = (
            self._conn()
            .execute("SELECT item FROM call_requests WHERE request_id = ?", (request_id,))
            .fetchone()
        )
        return CallRequest.from_item(json.loads(row[0])) if row else None

    def due(self, now: float, limit: int) -> list[CallRequest]:
        rows = self._conn().execute(
            "SELECT item FROM call_requests WHERE state = ? AND not_before <= ? ORDER BY seq LIMIT ?",
            (SCHEDULED, now, limit),
        )
        return [CallRequest.from_item(json.loads(row[0])) for row in rows]

    def finish(
        self, request_id: str, state: str, *, contact_id: str = "", reason: str = "", at: float
    ) -> bool:
        if state not in (PLACED, FAILED):
            raise ValueError(f"a request finishes placed or failed, not {state!r}")
        conn = self._conn()
        with sqlite_db.write_transaction(conn):
            row = conn.execute(
                "SELECT item FROM call_requests WHERE request_id = ? AND state = ?", (request_id, SCHEDULED)
            ).fetchone()
            if row is None:
                return False
            done = replace(
                CallRequest.from_item(json.loads(row[0])),
                state=state,
                contact_id=contact_id,
                reason=reason,
                finished_at=at,
            )
            conn.execute(
                "UPDATE call_requests SET state = ?, item = ? WHERE request_id = ?",
                (state, json.dumps(done.to_item()), request_id),
            )
        return True

    def count_attempt(self, request_id: str) -> None:
        conn = self._conn()
        with sqlite_db.write_transaction(conn):
            row = conn.execute(
                "SELECT item FROM call_requests WHERE request_id = ?", (request_id,)
            ).fetchone()
            if row is None:
                return
            request = CallRequest.from_item(json.loads(row[0]))
            conn.execute(
                "UPDATE call_requests SET item = ? WHERE request_id = ?",
                (json.dumps(replace(request, attempts=request.attempts + 1).to_item()), request_id),
            )

    def position(self, request: CallRequest, now: float) -> int:
        current = self.get(request.request_id)
        if current is None or current.state != SCHEDULED or current.not_before > now:
            return 0
        (ahead,) = (
            self._conn()
            .execute(
                "SELECT COUNT(*) FROM call_requests WHERE state = ? AND seq <= ? AND not_before <= ?",
                (SCHEDULED, current.seq, now),
            )
            .fetchone()
        )
        return int(ahead)

    def backlog(self, now: float) -> int:
        (count,) = (
            self._conn()
            .execute(
                "SELECT COUNT(*) FROM call_requests WHERE state = ? AND not_before <= ?", (SCHEDULED, now)
            )
            .fetchone()
        )
        return int(count)


# -------------------------------------------------------------------------------------- DynamoDB
class DynamoDbCallRequests:
    """On AWS the queue itself is SQS FIFO (jam_core.calls.queue); this table keeps each request's
    state for the status the customer polls, and the two counters behind positions."""

    def __init__(self, client: DynamoDBClient, table: str) -> None:
        self._client = client
        self._table = table

    def _counter(self, key: str, add: int) -> int:
        from jam_core.tables.dynamo import from_attribute

        answer = self._client.update_item(
            TableName=self._table,
            Key={KEY: {"S": key}},
            UpdateExpression="ADD #v :n",
            ExpressionAttributeNames={"#v": "Value"},
            ExpressionAttributeValues={":n": {"N": str(add)}},
            ReturnValues="UPDATED_NEW",
        )
        return int(from_attribute(answer["Attributes"]["Value"]))

    def _read_counter(self, key: str) -> int:
        from jam_core.tables.dynamo import from_attribute

        item = self._client.get_item(TableName=self._table, Key={KEY: {"S": key}}, ConsistentRead=True).get(
            "Item"
        )
        return int(from_attribute(item["Value"])) if item else 0

    def add(self, request: CallRequest) -> CallRequest:
        from botocore.exceptions import ClientError

        from jam_core.tables.dynamo import to_item

        existing = self.get(request.request_id)
        if existing is not None:
            return existing
        # A call for later (the next opening) reaches the queue when its schedule fires; it takes
        # no number in the line of calls waiting now (seq 0), so it does not hold them up.
        later = request.not_before > request.created_at
        stored = replace(request, seq=0 if later else self._counter(SEQUENCE_KEY, 1))
        try:
            self._client.put_item(
                TableName=self._table,
                Item=to_item(stored.to_item()),
                ConditionExpression="attribute_not_exists(#k)",
                ExpressionAttributeNames={"#k": KEY},
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
            # Another container wrote the same request first; its number stands (ours is skipped,
            # and counted finished so positions stay right).
            if stored.seq:
                self._counter(FINISHED_KEY, 1)
            return self.get(request.request_id) or stored
        return stored

    def get(self, request_id: str) -> CallRequest | None:
        from jam_core.tables.dynamo import from_item

        item = self._client.get_item(
            TableName=self._table, Key={KEY: {"S": request_id}}, ConsistentRead=True
        ).get("Item")
        return CallRequest.from_item(from_item(item)) if item else None

    def due(self, now: float, limit: int) -> list[CallRequest]:
        # On AWS, SQS delivers the due requests in order; the table is not scanned for them.
        raise NotImplementedError("on DynamoDB the SQS FIFO queue says what is due")

    def finish(
        self, request_id: str, state: str, *, contact_id: str = "", reason: str = "", at: float
    ) -> bool:
        from botocore.exceptions import ClientError

        from jam_core.tables.dynamo import to_attribute

        if state not in (PLACED, FAILED):
            raise ValueError(f"a request finishes placed or failed, not {state!r}")
        try:
            answer = self._client.update_item(
                TableName=self._table,
                Key={KEY: {"S": request_id}},
                ReturnValues="ALL_OLD",
                UpdateExpression="SET #s = :s, ContactId = :c, Reason = :r, FinishedAt = :t",
                ConditionExpression="#s = :scheduled",
                ExpressionAttributeNames={"#s": "State"},
                ExpressionAttributeValues={
                    ":s": to_attribute(state),
                    ":c": to_attribute(contact_id),
                    ":r": to_attribute(reason),
                    ":t": to_attribute(at),
                    ":scheduled": to_attribute(SCHEDULED),
                },
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return False
            raise
        if answer.get("Attributes", {}).get("Seq", {}).get("N", "0") != "0":  # calls for later have none
            self._counter(FINISHED_KEY, 1)
        return True

    def count_attempt(self, request_id: str) -> None:
        self._client.update_item(
            TableName=self._table,
            Key={KEY: {"S": request_id}},
            UpdateExpression="ADD Attempts :one",
            ConditionExpression="attribute_exists(#k)",
            ExpressionAttributeNames={"#k": KEY},
            ExpressionAttributeValues={":one": {"N": "1"}},
        )

    def position(self, request: CallRequest, now: float) -> int:
        current = self.get(request.request_id)
        if current is None or current.state != SCHEDULED or current.seq == 0:
            return 0
        return max(1, current.seq - self._read_counter(FINISHED_KEY))

    def backlog(self, now: float) -> int:
        return max(0, self._read_counter(SEQUENCE_KEY) - self._read_counter(FINISHED_KEY))
