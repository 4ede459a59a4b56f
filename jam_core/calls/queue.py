"""On AWS, a request that waits is also a message on the SQS FIFO queue the call placer drains.

One message group ("click-to-call"), so SQS hands the requests to the placer strictly in the
order they were accepted, one batch at a time; the deduplication id is the request id, so a
retried POST (same Idempotency-Key, same request id) is one message. The message carries only
the request id: the request itself is in the CallRequests table, where its status is read.
Locally there is no SQS: the runtime's placing loop reads due requests from the SQLite table.
"""

from __future__ import annotations

import json
from typing import Any

from jam_core.aws_sdk import clients
from jam_core.tables.call_requests import CallRequest

MESSAGE_GROUP = "click-to-call"

_client = clients.ContainerClient("sqs")


class SqsCallQueue:
    def __init__(self, queue_url: str, client: Any = None) -> None:
        self._queue_url = queue_url
        self._client = client

    def send(self, request: CallRequest) -> None:
        sqs = self._client or _client.get()
        sqs.send_message(
            QueueUrl=self._queue_url,
            MessageBody=json.dumps({"requestId": request.request_id}),
            MessageGroupId=MESSAGE_GROUP,
            MessageDeduplicationId=request.request_id,
        )


_scheduler = clients.ContainerClient("scheduler")


class ScheduledCallSender:
    """A call at the next opening, on AWS: an EventBridge Scheduler one-time schedule (`at(...)`, UTC)
    whose target is the FIFO call queue, with the same message, group and deduplication id the API
    would send, and which deletes itself once it has run. SQS FIFO cannot delay one message (its
    DelaySeconds is per queue), hence the schedule; the placer Lambda then places it in turn."""

    def __init__(self, group: str, role_arn: str, queue_arn: str, client: Any = None) -> None:
        self._group = group
        self._role_arn = role_arn
        self._queue_arn = queue_arn
        self._client = client

    def send_at(self, request: CallRequest) -> None:
        from datetime import UTC, datetime

        at = datetime.fromtimestamp(request.not_before, UTC).strftime("%Y-%m-%dT%H:%M:%S")
        scheduler = self._client or _scheduler.get()
        scheduler.create_schedule(
            Name=request.request_id,
            GroupName=self._group,
            ScheduleExpression=f"at({at})",
            ScheduleExpressionTimezone="UTC",
            FlexibleTimeWindow={"Mode": "OFF"},
            ActionAfterCompletion="DELETE",
            Target={
                "Arn": self._queue_arn,
                "RoleArn": self._role_arn,
                "Input": json.dumps({"requestId": request.request_id}),
                "SqsParameters": {"MessageGroupId": MESSAGE_GROUP},
            },
        )


def request_ids(event: dict[str, Any]) -> list[tuple[str, str]]:
    """(messageId, requestId) of each record of an SQS event, in order; unreadable bodies skipped."""
    found: list[tuple[str, str]] = []
    for record in event.get("Records") or []:
        try:
            request_id = str(json.loads(record["body"])["requestId"])
        except (KeyError, TypeError, ValueError):
            continue  # not ours: dropping it is right (it can never be placed)
        found.append((str(record.get("messageId", "")), request_id))
    return found
