"""Call placer: drains the SQS FIFO queue of click-to-calls that wait for Connect's outbound quota.

Invoked by SQS (event source mapping, ReportBatchItemFailures) with up to 10 messages of the one
message group, in the order the API accepted them. Each message names a request in the
CallRequests table; the request is placed with the shared code (jam_core.calls.placing) at the
quota's pace (CONNECT_CALL_RATE requests a second, a parameter of the stack), so this function and
the API's inline calls together stay near the account's StartOutboundVoiceContact quota.

When Connect throttles (or cannot answer), this message and every later one of the batch are
reported as failures: SQS makes them visible again after the queue's visibility timeout and, the
group being FIFO, nothing behind them overtakes them. A request Connect refuses for good ends
`failed` with the reason, once, and its message is consumed. After maxReceiveCount tries a message
goes to the dead-letter queue, whose alarm tells the operators (sam/template.yaml).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Mapping
from typing import Any

from jam_core.aws_sdk import connect
from jam_core.calls.pacing import Pacer
from jam_core.calls.placing import Outcome, place
from jam_core.calls.queue import request_ids
from jam_core.tables.call_requests import SCHEDULED, CallRequestRepository, DynamoDbCallRequests

log = logging.getLogger()
log.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
# Stop taking new messages when less than this is left of the invocation: a placing call may take
# a few seconds, and an unfinished one is simply retried (its ClientToken keeps it one call).
RESERVE_MS = 5_000


def _pacer(env: Mapping[str, str]) -> Pacer:
    # Burst 1: each invocation starts with one token, so consecutive invocations cannot add bursts.
    return Pacer(time.monotonic, float(env.get("CONNECT_CALL_RATE") or 2.0), burst=1)


def drain(
    event: Mapping[str, Any],
    requests: CallRequestRepository,
    connect_client: Any,
    pacer: Pacer,
    *,
    remaining_ms: Callable[[], int],
    sleep: Callable[[float], None] = time.sleep,
    wall_clock: Callable[[], float] = time.time,
) -> dict[str, list[dict[str, str]]]:
    """Place the batch's requests in order; the messages to retry, as SQS's partial batch reply."""
    messages = request_ids(dict(event))
    for index, (_message_id, request_id) in enumerate(messages):
        request = requests.get(request_id)
        if request is None or request.state != SCHEDULED:
            continue  # settled already (a redelivered message), or unknown: nothing to place
        while not pacer.try_take():
            sleep(pacer.wait_seconds())
        if remaining_ms() < RESERVE_MS:
            return _retry(messages[index:])
        outcome = place(connect_client, requests, request, wall_clock())
        log.info('{"event":"placed","requestId":"%s","outcome":"%s"}', request_id, outcome.value)
        if outcome is Outcome.RETRY:
            pacer.throttled()
            return _retry(messages[index:])
        pacer.succeeded()
    return {"batchItemFailures": []}


def _retry(messages: list[tuple[str, str]]) -> dict[str, list[dict[str, str]]]:
    return {"batchItemFailures": [{"itemIdentifier": message_id} for message_id, _ in messages]}


def lambda_handler(event: Mapping[str, Any], context: Any) -> dict[str, list[dict[str, str]]]:
    from jam_core.tables.dynamo import client as dynamodb_client

    env = os.environ
    requests = DynamoDbCallRequests(dynamodb_client(), env.get("CALL_REQUEST_TABLE") or "CallRequests")
    region = env.get("AWS_REGION")
    connect_client = connect.client(region, env.get("CONNECT_ENDPOINT_URL") or None)

    def remaining_ms() -> int:
        get = getattr(context, "get_remaining_time_in_millis", None)
        return int(get()) if callable(get) else 60_000

    return drain(event, requests, connect_client, _pacer(env), remaining_ms=remaining_ms)
