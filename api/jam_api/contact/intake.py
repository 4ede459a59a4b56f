"""Click-to-call intake: place the call now when Connect's quota allows, otherwise queue it.

StartOutboundVoiceContact's default quota is 2 requests/s per account. A burst of "call me" clicks
(a marketing email, an outage notice) used to get 429s past it; now every valid request is
accepted (202) and called back in order:

* fast path: nothing is waiting and this process's pacer has a token: the call is placed inline
  and the answer carries Connect's ContactId, as before;
* otherwise (or when Connect throttles the inline try) the request is written to the CallRequests
  table with its place in line and, on AWS, sent to the SQS FIFO queue that the call placer Lambda
  drains at the quota's pace; locally the runtime's placing loop drains the SQLite table. The
  answer carries the request's id, `state: scheduled`, its position and when we expect to call.

GET /connect/contact/{id} reads a request id here (scheduled / failed, or the placed call's own
status through ContactStatusService) and a ContactId there.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from jam_core.calls.pacing import Pacer

if TYPE_CHECKING:
    # Imported where used: the table code (and sqlite3) is paid for by the first click-to-call,
    # not by every cold start that only serves opening hours.
    from jam_core.tables.call_requests import CallRequest, CallRequestRepository

REQUEST_ID_PREFIX = "req-"
# What POST /connect/contact answers for a request that waits (ContactAccepted in openapi.json).
ACCEPTED_KEYS = ("contactId", "state", "positionInQueue", "estimatedCallAt", "requestedAt", "asOf")
# Connect's answers that mean "not now" rather than "no": the request waits its turn instead.
THROTTLED = frozenset({"ThrottlingException", "TooManyRequestsException", "LimitExceededException"})


class QueueSender(Protocol):
    def send(self, request: CallRequest) -> None: ...


class LaterSender(Protocol):
    def send_at(self, request: CallRequest) -> None:
        """Hand the request to the queue at its not_before (on AWS an EventBridge schedule)."""
        ...


class RequestGone(Exception):
    """No request with this id was made by this customer."""


def is_request_id(value: str) -> bool:
    return value.startswith(REQUEST_ID_PREFIX)


def request_id_for(customer: str, idempotency_key: str | None) -> str:
    """A retried POST (same customer, same Idempotency-Key) is the same request; else a new one."""
    if idempotency_key:
        digest = hashlib.sha256(f"{customer}:{idempotency_key}".encode()).digest()[:16]
        return REQUEST_ID_PREFIX + str(uuid.UUID(bytes=digest))
    return REQUEST_ID_PREFIX + str(uuid.uuid4())


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat()


class CallIntake:
    def __init__(
        self,
        connect: Any,
        requests: CallRequestRepository,
        pacer: Pacer,
        *,
        sender: QueueSender | None = None,
        later: LaterSender | None = None,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self._connect = connect
        self._requests = requests
        self._pacer = pacer
        self._sender = sender
        self._later = later
        # The contact center's time: the wall clock on AWS, the runtime's (movable) clock locally.
        self._wall_clock = wall_clock

    def submit(
        self,
        customer: str,
        start_args: Mapping[str, Any],
        idempotency_key: str | None,
        fingerprint: str = "",
        not_before: float = 0.0,
    ) -> dict[str, Any]:
        """Connect's ContactId when placed now; the scheduled request otherwise (a `not_before` in
        the future, e.g. the department's next opening, always waits for it). A refusal of the
        inline call other than throttling is raised (ClientError) for the route to map."""
        from jam_core.calls.placing import error_code
        from jam_core.tables.call_requests import SCHEDULED, CallRequest

        now = self._wall_clock()
        request_id = request_id_for(customer, idempotency_key)
        known = self._requests.get(request_id)
        if known is not None:  # a retry of a request that already waited
            if fingerprint and known.fingerprint and known.fingerprint != fingerprint:
                # The same Idempotency-Key with another request (stored, so every container sees it).
                from jam_api.contact.idempotency import key_reused

                raise key_reused()
            if known.state == SCHEDULED:
                return self.accepted_view(known)
            return {"contactId": known.request_id}
        if not_before <= now and self._requests.backlog(now) == 0 and self._pacer.try_take():
            from botocore.exceptions import ClientError

            try:
                answer = self._connect.start_outbound_voice_contact(**dict(start_args))
            except ClientError as exc:
                if error_code(exc) not in THROTTLED:
                    raise
                self._pacer.throttled()
            else:
                self._pacer.succeeded()
                return {"contactId": str(answer["ContactId"])}
        request = self._requests.add(
            CallRequest(
                request_id=request_id,
                customer=customer,
                start_args=dict(start_args),
                created_at=now,
                fingerprint=fingerprint,
                not_before=max(0.0, not_before),
            )
        )
        if request.not_before > now:
            if self._later is not None:
                self._later.send_at(request)
        elif self._sender is not None:
            self._sender.send(request)
        return self.accepted_view(request)

    def status(self, request_id: str, customer: str) -> CallRequest:
        request = self._requests.get(request_id)
        if request is None or request.customer != customer:
            raise RequestGone(request_id)
        return request

    def waiting_view(self, request: CallRequest) -> dict[str, Any]:
        """The status of a request that is not (or not yet) a Connect contact."""
        return self._view(request)

    def _view(self, request: CallRequest) -> dict[str, Any]:
        """The ContactStatus shape (api/jam_api/openapi.json) of a request Connect has not taken."""
        from jam_core.tables.call_requests import FAILED, SCHEDULED

        now = self._wall_clock()
        scheduled = request.state == SCHEDULED
        due = request.not_before <= now
        position = (self._requests.position(request, now) or 1) if scheduled and due else None
        return {
            "contactId": request.request_id,
            "state": request.state,
            "queueName": None,
            "initiatedAt": None,
            "enqueuedAt": None,
            "connectedToAgentAt": None,
            "disconnectedAt": None,
            "positionInQueue": position,
            "estimatedWaitSeconds": None,
            # While anything waits the placer works at the quota's steady pace, so the request at
            # `position` goes out about position / rate seconds from now (bench/calls.py checks it).
            "estimatedCallAt": (
                _iso(now + position / self._pacer.rate)
                if position is not None
                else _iso(request.not_before)
                if scheduled
                else None
            ),
            "failureReason": request.reason if request.state == FAILED else None,
            "requestedAt": _iso(request.created_at),
            "asOf": _iso(now),
        }

    def accepted_view(self, request: CallRequest) -> dict[str, Any]:
        view = self._view(request)
        return {key: view[key] for key in ACCEPTED_KEYS if view[key] is not None}


def intake_for(settings: Any, connect: Any, wall_clock: Callable[[], float] = time.time) -> CallIntake:
    """The intake the settings describe: DynamoDB + SQS (+ EventBridge Scheduler for calls at the
    next opening) on AWS, the SQLite file locally (the runtime's placing loop reads both kinds)."""
    from jam_core.calls.pacing import DEFAULT_BURST
    from jam_core.calls.queue import ScheduledCallSender, SqsCallQueue

    requests: CallRequestRepository
    if settings.data_backend == "dynamodb":
        from jam_core.tables.call_requests import DynamoDbCallRequests
        from jam_core.tables.dynamo import client

        requests = DynamoDbCallRequests(client(), settings.call_request_table)
    else:
        from jam_core.connect_lambda.settings import DEFAULT_SQLITE_PATH
        from jam_core.tables.call_requests import SqliteCallRequests

        requests = SqliteCallRequests(settings.sqlite_path or DEFAULT_SQLITE_PATH)
    sender = SqsCallQueue(settings.call_queue_url) if settings.call_queue_url else None
    later = (
        ScheduledCallSender(
            settings.call_schedule_group, settings.call_scheduler_role_arn, settings.call_queue_arn
        )
        if settings.call_schedule_group
        else None
    )
    pacer = Pacer(time.monotonic, settings.connect_call_rate, DEFAULT_BURST)
    return CallIntake(connect, requests, pacer, sender=sender, later=later, wall_clock=wall_clock)
