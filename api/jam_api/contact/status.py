"""Live status of a click-to-call contact, read from Amazon Connect for the customer who placed it.

Connect calls per poll, and why this stays under Connect's default quota (2 requests/s per
operation, per account) while the site polls every 2 s:

* ownership: GetContactAttributes once per contact per OWNER_TTL_SECONDS (the trusted `CustomerId`
  attribute is set by POST /connect/contact and never changes); an unknown id is remembered too, so
  guessing ids cannot drain the quota;
* status: DescribeContact at most once per contact per STATUS_TTL_SECONDS, however many tabs poll;
* while in queue only: GetContactMetrics (POSITION_IN_QUEUE, ESTIMATED_WAIT_TIME) in the same
  refresh - one call, for this contact, instead of queue-wide GetCurrentMetricData figures;
* the queue's name: DescribeQueue once per queue per QUEUE_NAME_TTL_SECONDS;
* after an agent transfers the call (a quick connect), the original contact has ended and names the
  new one in NextContacts: that one is described instead (one more DescribeContact, once), and later
  refreshes start from it.

Above that, each operation has a process-wide budget (BUDGET_RATE/s, bursts of BUDGET_BURST), half
of Connect's default quota: when many customers poll at once, refreshes wait for the budget and the
last status read is served (its `asOf` says how old it is), so freshness degrades before Connect
throttles. On Lambda the budget is per warm container; API Gateway's throttling bounds the rest.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from jam_api.hours.cache import TtlCache
from jam_api.timestamps import iso_utc

STATUS_TTL_SECONDS = 2.0
OWNER_TTL_SECONDS = 60.0
QUEUE_NAME_TTL_SECONDS = 3600.0
MAX_CONTACTS = 4096
BUDGET_RATE = 1.0
MAX_TRANSFERS = 5  # hops followed in one refresh; a loop of transfers cannot pin a request
BUDGET_BURST = 4
# Connect refuses an id it cannot parse as invalid rather than unknown; to the customer both are
# "no such call of yours".
NOT_FOUND = {
    "ResourceNotFoundException",
    "ContactNotFoundException",
    "InvalidParameterException",
    "InvalidRequestException",
}


class ContactGone(Exception):
    """Unknown, or not this customer's: both answer 404 so a contact's existence is not revealed."""


class OverBudget(Exception):
    """This process has used its share of Connect's quota for the operation; retry shortly."""

    retry_after = 2


class _Budget:
    """A token bucket per Connect operation."""

    def __init__(self, rate: float, burst: int, clock: Callable[[], float]) -> None:
        self._rate = rate
        self._burst = burst
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, operation: str) -> bool:
        with self._lock:
            now = self._clock()
            tokens, stamp = self._buckets.get(operation, (float(self._burst), now))
            tokens = min(float(self._burst), tokens + (now - stamp) * self._rate)
            allowed = tokens >= 1
            self._buckets[operation] = (tokens - 1 if allowed else tokens, now)
            return allowed


def _next_contact_id(contact: dict[str, Any]) -> str | None:
    for entry in contact.get("NextContacts") or []:
        following = (entry.get("NextContactMetadata") or {}).get("QuickConnectContactData") or {}
        if following.get("ContactId"):
            return str(following["ContactId"])
    return None


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


class ContactStatusService:
    def __init__(
        self,
        connect: Any,
        instance_id: str,
        *,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] | None = None,
        budget_rate: float = BUDGET_RATE,
        budget_burst: int = BUDGET_BURST,
    ) -> None:
        self._connect = connect
        self._instance_id = instance_id
        # `asOf`'s clock: the contact's own times are the runtime's locally, so asOf must be too.
        self._now = now or (lambda: datetime.now(UTC))
        self._budget = _Budget(budget_rate, budget_burst, clock)
        self._owners: TtlCache[str] = TtlCache(OWNER_TTL_SECONDS, MAX_CONTACTS, clock)
        self._statuses: TtlCache[dict[str, Any]] = TtlCache(STATUS_TTL_SECONDS, MAX_CONTACTS, clock)
        self._queue_names: TtlCache[str] = TtlCache(QUEUE_NAME_TTL_SECONDS, 256, clock)
        # The customer's call as it is now: the placed contact, or the contact a transfer made.
        self._latest: dict[str, str] = {}
        self._latest_lock = threading.Lock()

    def status(self, contact_id: str, customer_subject: str) -> dict[str, Any]:
        """The contact's status if `customer_subject` placed it; ContactGone otherwise."""
        owner = self._owners.get(contact_id, lambda: self._owner(contact_id), remember=ContactGone)
        if owner != customer_subject:
            raise ContactGone(contact_id)
        return self._statuses.get(contact_id, lambda: self._read(contact_id), remember=ContactGone)

    # ------------------------------------------------------------------ Connect reads
    def _call(self, operation: str, call: Callable[[], Any]) -> Any:
        # Each call is spelled out at its call site (not getattr) so tests/iac can read the IAM
        # actions the API needs from this source.
        if not self._budget.take(operation):
            raise OverBudget(operation)
        try:
            return call()
        except ClientError as exc:
            if _code(exc) in NOT_FOUND:
                raise ContactGone(str(exc)) from exc
            raise

    def _owner(self, contact_id: str) -> str:
        # Click-to-call contacts are their own initial contact, so the id is the InitialContactId.
        answer = self._call(
            "GetContactAttributes",
            lambda: self._connect.get_contact_attributes(
                InstanceId=self._instance_id, InitialContactId=contact_id
            ),
        )
        owner = answer.get("Attributes", {}).get("CustomerId")
        if not owner:
            # Not placed through the API (e.g. an inbound call): no customer may see it here.
            raise ContactGone(contact_id)
        return str(owner)

    def _describe(self, contact_id: str) -> dict[str, Any]:
        answer = self._call(
            "DescribeContact",
            lambda: self._connect.describe_contact(InstanceId=self._instance_id, ContactId=contact_id),
        )
        return dict(answer["Contact"])

    def _read(self, placed_id: str) -> dict[str, Any]:
        with self._latest_lock:
            contact_id = self._latest.get(placed_id, placed_id)
        contact = self._describe(contact_id)
        for _ in range(MAX_TRANSFERS):
            following = _next_contact_id(contact) if contact.get("DisconnectTimestamp") else None
            if following is None:
                break
            contact_id, contact = following, self._describe(following)
        with self._latest_lock:
            self._latest[placed_id] = contact_id
            while len(self._latest) > MAX_CONTACTS:
                self._latest.pop(next(iter(self._latest)))
        queue = contact.get("QueueInfo") or {}
        agent = contact.get("AgentInfo") or {}
        enqueued_at = queue.get("EnqueueTimestamp")
        connected_at = agent.get("ConnectedToAgentTimestamp")
        disconnected_at = contact.get("DisconnectTimestamp")
        if disconnected_at is not None:
            state = "ended"
        elif connected_at is not None:
            state = "with-agent"
        elif enqueued_at is not None:
            state = "in-queue"
        else:
            state = "requested"
        # QueueInfo.Id alone is not "in queue": an outbound contact carries its outbound queue.
        queue_id = queue.get("Id") if enqueued_at is not None else None
        position, wait = self._metrics(contact_id) if state == "in-queue" else (None, None)
        return {
            "contactId": placed_id,
            "state": state,
            "queueName": self._queue_name(queue_id) if queue_id else None,
            "initiatedAt": iso_utc(contact.get("InitiationTimestamp")),
            "enqueuedAt": iso_utc(enqueued_at),
            "connectedToAgentAt": iso_utc(connected_at),
            "disconnectedAt": iso_utc(disconnected_at),
            # Connect's code for how the call ended (DescribeContact's Contact.DisconnectReason:
            # CUSTOMER_DISCONNECT, AGENT_DISCONNECT, TELECOM_PROBLEM…): the site says it in words.
            "disconnectReason": contact.get("DisconnectReason") if disconnected_at is not None else None,
            "positionInQueue": position,
            "estimatedWaitSeconds": wait,
            "asOf": self._now().astimezone(UTC).isoformat(),
        }

    def _metrics(self, contact_id: str) -> tuple[int | None, float | None]:
        """Position (1 = next) and estimated wait: nice to have, so any failure just leaves them out."""
        try:
            answer = self._call(
                "GetContactMetrics",
                lambda: self._connect.get_contact_metrics(
                    InstanceId=self._instance_id,
                    ContactId=contact_id,
                    Metrics=[{"Name": "POSITION_IN_QUEUE"}, {"Name": "ESTIMATED_WAIT_TIME"}],
                ),
            )
        except (ClientError, BotoCoreError, OverBudget, ContactGone):
            return None, None
        values = {r["Name"]: r.get("Value", {}).get("Number") for r in answer.get("MetricResults", [])}
        position = values.get("POSITION_IN_QUEUE")
        wait = values.get("ESTIMATED_WAIT_TIME")
        return (
            int(position) if position is not None else None,
            round(float(wait), 1) if wait is not None else None,
        )

    def _queue_name(self, queue_id: str) -> str | None:
        def fetch() -> str:
            try:
                answer = self._call(
                    "DescribeQueue",
                    lambda: self._connect.describe_queue(InstanceId=self._instance_id, QueueId=queue_id),
                )
            except ClientError as exc:
                # The API's role may describe the template's queues only: a refusal is a fact about
                # the queue, remembered like "not found" rather than asked again on every refresh.
                if _code(exc) == "AccessDeniedException":
                    raise ContactGone(queue_id) from exc
                raise
            return str(answer["Queue"]["Name"])

        try:
            return self._queue_names.get(queue_id, fetch, remember=ContactGone)
        except (ClientError, BotoCoreError, OverBudget, ContactGone):
            # A queue outside the template (an agent's own queue) is not ours to describe.
            return None
