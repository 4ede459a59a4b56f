"""The Connect twin's backend: Connect's resources and operations over the local definitions and ACD.

Resources (instance, hours, queues, routing profiles, flows) come from the template through
`Definitions`; contacts and metrics come from the running contact center. As in moto, requests are
parsed and validated in responses.py: every method here takes typed arguments, already valid in
shape, and checks only what needs the state (unknown ids, claimed numbers, quotas, idempotency).
Resources are returned as objects that render themselves (resources.py); computed answers (metrics)
as plain data in Connect's shapes (see botocore's connect service model).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from local_connect.acd import Contact, ContactCenter, ContactState, UnknownContact
from local_connect.acd.center import agent_counts
from local_connect.acd.model import WAITING_STATES
from local_connect.connect_api.errors import (
    ContactNotFoundException,
    IdempotencyException,
    InvalidParameterException,
    LimitExceededException,
    ResourceNotFoundException,
)
from local_connect.connect_api.resources import (
    ConnectContact,
    ConnectContactFlow,
    ConnectHours,
    ConnectInstance,
    ConnectQueue,
    ConnectRoutingProfile,
)
from local_connect.definitions import ContactFlowDef, Definitions, HoursOfOperation, Queue, stable_id
from local_connect.template_hours import connect_overrides

COUNT_METRICS = {
    "CONTACTS_IN_QUEUE",
    "AGENTS_ONLINE",
    "AGENTS_AVAILABLE",
    "AGENTS_ON_CONTACT",
    "AGENTS_ON_CALL",
    "AGENTS_AFTER_CONTACT_WORK",
    "AGENTS_ERROR",
    "AGENTS_STAFFED",
    "AGENTS_NON_PRODUCTIVE",
    "CONTACTS_SCHEDULED",
    "SLOTS_ACTIVE",
    "SLOTS_AVAILABLE",
}
SECONDS_METRICS = {"OLDEST_CONTACT_AGE", "ESTIMATED_WAIT_TIME"}
# SearchContacts' TimeRange / Sort field -> the contact's attribute (SCHEDULED_TIMESTAMP: none here).
SEARCH_TIME_FIELDS = {
    "INITIATION_TIMESTAMP": "initiated_at",
    "ENQUEUE_TIMESTAMP": "enqueued_at",
    "CONNECTED_TO_AGENT_TIMESTAMP": "connected_at",
    "DISCONNECT_TIMESTAMP": "disconnected_at",
}
SEARCH_SCAN_LIMIT = 100_000  # a local runtime's records; far more than a demo makes
CONTACT_METRICS = {"POSITION_IN_QUEUE", "ESTIMATED_WAIT_TIME"}


class Telephony(Protocol):
    """What the Connect API needs from the runtime beyond the ACD: placing outbound calls."""

    def start_outbound_call(
        self,
        *,
        destination: str,
        source: str,
        flow: ContactFlowDef,
        queue_id: str | None,
        attributes: dict[str, str],
        name: str | None,
        description: str | None,
        related_contact_id: str | None,
    ) -> str:
        """Create the contact, ring the destination and run the flow when answered; the contact id."""
        ...

    def active_outbound_calls(self) -> int: ...


@dataclass(frozen=True)
class OutboundCall:
    """A valid StartOutboundVoiceContact request (numbers already in E.164)."""

    instance_id: str
    contact_flow_id: str
    destination: str
    queue_id: str | None = None
    source: str | None = None
    related_contact_id: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    name: str | None = None
    description: str | None = None
    client_token: str | None = None
    fingerprint: str = ""  # what a repeated ClientToken must match (the request without the token)


@dataclass(frozen=True)
class ContactSearch:
    """A valid SearchContacts request: a time window on one of the contact's timestamps, criteria
    (an empty set matches everything) and a sort."""

    instance_id: str
    time_field: str  # a Contact attribute, from SEARCH_TIME_FIELDS
    start: float
    end: float
    agent_ids: frozenset[str] = frozenset()
    queue_ids: frozenset[str] = frozenset()
    channels: frozenset[str] = frozenset()
    initiation_methods: frozenset[str] = frozenset()
    sort_field: str = "initiated_at"
    newest_first: bool = True

    def matches(self, contact: Contact) -> bool:
        at = getattr(contact, self.time_field)
        if at is None or not self.start <= at <= self.end:
            return False
        wanted = {
            "agent_username": self.agent_ids,
            "queue_id": self.queue_ids,
            "channel": self.channels,
            "initiation_method": self.initiation_methods,
        }
        return all(not values or str(getattr(contact, name)) in values for name, values in wanted.items())


@dataclass(frozen=True)
class CurrentMetricsQuery:
    """A valid GetCurrentMetricData request (metric names known, 1-100 queues)."""

    instance_id: str
    metric_names: tuple[str, ...]
    queue_refs: tuple[str, ...]
    channels: tuple[str, ...] = ("VOICE",)
    groupings: tuple[str, ...] = ()


class ConnectBackend:
    def __init__(
        self,
        definitions: Definitions,
        center: ContactCenter,
        telephony: Telephony,
        claimed_numbers: Sequence[str],
        max_concurrent_calls: int = 100,
    ) -> None:
        self.definitions = definitions
        self.center = center
        self.telephony = telephony
        self.claimed_numbers = tuple(claimed_numbers)
        self.max_concurrent_calls = max_concurrent_calls

    # ------------------------------------------------------------------ lookups
    def _instance(self, ref: str) -> ConnectInstance:
        if ref not in (self.definitions.instance_id, self.definitions.instance_arn):
            raise ResourceNotFoundException(f"Instance not found: {ref}")
        return ConnectInstance(self.definitions.instance_id, self.definitions.instance_arn)

    def _hours(self, ref: str) -> HoursOfOperation:
        hours = self.definitions.hours_by_arn(ref)
        if hours is None:
            raise ResourceNotFoundException(f"HoursOfOperation not found: {ref}")
        return hours

    def _queue(self, ref: str) -> Queue:
        queue = self.definitions.queue_by_arn(ref)
        if queue is None:
            raise ResourceNotFoundException(f"Queue not found: {ref}")
        return queue

    def _flow(self, ref: str) -> ContactFlowDef:
        for flow in self.definitions.flows.values():
            if ref in (flow.id, flow.arn):
                return flow
        raise ResourceNotFoundException(f"ContactFlow not found: {ref}")

    def _contact(self, contact_id: str) -> Contact:
        try:
            return self.center.contact(contact_id)
        except UnknownContact:
            raise ResourceNotFoundException(f"Contact not found: {contact_id}") from None

    def _connect_queue(self, queue: Queue) -> ConnectQueue:
        return ConnectQueue(queue, self.definitions.hours[queue.hours_logical_id].id)

    # ------------------------------------------------------------------ instance and resources
    def list_instances(self) -> list[ConnectInstance]:
        return [ConnectInstance(self.definitions.instance_id, self.definitions.instance_arn)]

    def describe_instance(self, instance_id: str) -> ConnectInstance:
        return self._instance(instance_id)

    def describe_hours(self, instance_id: str, hours_id: str) -> ConnectHours:
        self._instance(instance_id)
        return ConnectHours(self._hours(hours_id))

    def list_hours_overrides(self, instance_id: str, hours_id: str) -> list[dict[str, Any]]:
        """The template's HoursOfOperationOverrides in the API's shape (CloudFormation names differ)."""
        self._instance(instance_id)
        return connect_overrides(self._hours(hours_id))

    def list_hours(self, instance_id: str) -> list[ConnectHours]:
        self._instance(instance_id)
        return [ConnectHours(h) for h in self.definitions.hours.values()]

    def list_queues(self, instance_id: str, queue_types: Sequence[str]) -> list[ConnectQueue]:
        self._instance(instance_id)
        if queue_types and "STANDARD" not in queue_types:
            return []  # the local center has no agent queues
        return [self._connect_queue(q) for q in self.definitions.queues.values()]

    def describe_queue(self, instance_id: str, queue_id: str) -> ConnectQueue:
        self._instance(instance_id)
        return self._connect_queue(self._queue(queue_id))

    def list_routing_profiles(self, instance_id: str) -> list[ConnectRoutingProfile]:
        self._instance(instance_id)
        return [ConnectRoutingProfile(rp) for rp in self.definitions.routing_profiles.values()]

    def list_contact_flows(self, instance_id: str, types: Sequence[str]) -> list[ConnectContactFlow]:
        self._instance(instance_id)
        return [
            ConnectContactFlow(f) for f in self.definitions.flows.values() if not types or f.type in types
        ]

    # ------------------------------------------------------------------ contacts
    def start_outbound_voice_contact(self, call: OutboundCall) -> str:
        self._instance(call.instance_id)
        flow = self._flow(call.contact_flow_id)
        queue_id = self._queue(call.queue_id).id if call.queue_id else None
        if call.related_contact_id:
            self._contact(call.related_contact_id)
        if call.source and call.source not in self.claimed_numbers:
            raise InvalidParameterException(
                f"SourcePhoneNumber {call.source} is not claimed by this instance"
            )
        if call.client_token:
            seen = self.center.store.client_token(call.client_token)
            if seen is not None:
                if seen[0] != call.fingerprint:
                    raise IdempotencyException("ClientToken was already used with different parameters")
                return seen[1]
        if self.telephony.active_outbound_calls() >= self.max_concurrent_calls:
            raise LimitExceededException(
                f"The instance has reached its limit of {self.max_concurrent_calls} concurrent calls"
            )
        contact_id = self.telephony.start_outbound_call(
            destination=call.destination,
            source=call.source or self.claimed_numbers[0],
            flow=flow,
            queue_id=queue_id,
            attributes=dict(call.attributes),
            name=call.name,
            description=call.description,
            related_contact_id=call.related_contact_id,
        )
        if call.client_token:
            self.center.store.remember_client_token(
                call.client_token, call.fingerprint, contact_id, self.center.now
            )
        return contact_id

    def get_contact_attributes(self, instance_id: str, initial_contact_id: str) -> dict[str, str]:
        self._instance(instance_id)
        return dict(self._contact(initial_contact_id).attributes)

    def update_contact_attributes(
        self, instance_id: str, initial_contact_id: str, attributes: dict[str, str]
    ) -> None:
        self._instance(instance_id)
        self._contact(initial_contact_id)
        self.center.update_attributes(initial_contact_id, attributes)

    def stop_contact(self, instance_id: str, contact_id: str, reason: str = "API") -> None:
        self._instance(instance_id)
        try:
            contact = self.center.contact(contact_id)
        except UnknownContact:
            raise ContactNotFoundException(f"Contact {contact_id} does not exist") from None
        if contact.state is ContactState.DISCONNECTED:
            raise ContactNotFoundException(f"Contact {contact.id} is not active")
        self.center.stop_contact(contact.id, reason)

    def describe_contact(self, instance_id: str, contact_id: str) -> ConnectContact:
        self._instance(instance_id)
        contact = self._contact(contact_id)
        next_contacts: list[dict[str, Any]] = []
        if contact.disconnect_reason == "TRANSFERRED":
            next_contacts = [self._next_contact_entry(n) for n in self.center.store.next_contacts(contact.id)]
        return ConnectContact(contact, self.definitions.instance_arn, self.center.now, next_contacts)

    def _next_contact_entry(self, contact: Contact) -> dict[str, Any]:
        queue = self.definitions.queue_by_arn(contact.queue_id or "")
        data: dict[str, Any] = {
            "ContactId": contact.id,
            "InitiationTimestamp": contact.initiated_at,
            "QuickConnectType": "QUEUE",
        }
        if queue is not None:
            data["QuickConnectId"] = stable_id("quick-connect", queue.logical_id)
            data["QuickConnectName"] = queue.name
        return {"Type": "QUICK_CONNECT", "NextContactMetadata": {"QuickConnectContactData": data}}

    # ------------------------------------------------------------------ contact search
    def search_contacts(self, search: ContactSearch) -> list[ConnectContact]:
        """SearchContacts over the runtime's contact records, every match in the requested order
        (responses.py pages them). Supported: the TimeRange types the records have, AgentIds,
        QueueIds, Channels and InitiationMethods; Sort by INITIATION_TIMESTAMP (Connect's default,
        newest first) or another timestamp."""
        self._instance(search.instance_id)
        found = [c for c in self.center.store.contacts(limit=SEARCH_SCAN_LIMIT) if search.matches(c)]
        found.sort(key=lambda c: getattr(c, search.sort_field) or 0.0, reverse=search.newest_first)
        return [ConnectContact(c, self.definitions.instance_arn) for c in found]

    # ------------------------------------------------------------------ metrics
    def contact_metrics(
        self, instance_id: str, contact_id: str, metric_names: Sequence[str]
    ) -> dict[str, Any]:
        """GetContactMetrics: the contact's POSITION_IN_QUEUE (1 = next) and ESTIMATED_WAIT_TIME.

        Connect has them only while the contact waits in a queue; otherwise the list is empty. The
        wait is left out when nobody staffs the queue (the runtime cannot estimate it).
        """
        self._instance(instance_id)
        contact = self._contact(contact_id)
        answer: dict[str, Any] = {
            "Id": contact.id,
            "Arn": ConnectContact(contact, self.definitions.instance_arn).arn,
            "MetricResults": [],
        }
        if contact.state not in WAITING_STATES or contact.queue_id is None:
            return answer
        ahead = self.center.position(contact.id)
        # An offered contact has left the line for the agent's phone: it is next.
        values: dict[str, float | None] = {
            "POSITION_IN_QUEUE": float(ahead + 1 if ahead is not None else 1),
            "ESTIMATED_WAIT_TIME": self.center.estimated_wait(contact.queue_id, ahead or 0)
            if contact.state is ContactState.QUEUED
            else 0.0,
        }
        answer["MetricResults"] = [
            {"Name": name, "Value": {"Number": values[name]}}
            for name in metric_names
            if values[name] is not None
        ]
        return answer

    def current_metric_data(self, query: CurrentMetricsQuery) -> dict[str, Any]:
        self._instance(query.instance_id)
        if any(c != "VOICE" for c in query.channels):
            return {"MetricResults": [], "DataSnapshotTime": self.center.now, "ApproximateTotalCount": 0}
        queues = [self._queue(ref) for ref in query.queue_refs]
        groupings = query.groupings
        per_queue = {q.id: self._queue_values(q.id) for q in queues}

        def collections(values: dict[str, float]) -> list[dict[str, Any]]:
            return [
                {
                    "Metric": {"Name": n, "Unit": "SECONDS" if n in SECONDS_METRICS else "COUNT"},
                    "Value": values[n],
                }
                for n in query.metric_names
            ]

        results: list[dict[str, Any]] = []
        if "QUEUE" in groupings:
            for queue in queues:
                dims: dict[str, Any] = {"Queue": {"Id": queue.id, "Arn": queue.arn}}
                if "CHANNEL" in groupings:
                    dims["Channel"] = "VOICE"
                results.append({"Dimensions": dims, "Collections": collections(per_queue[queue.id])})
        else:
            merged = _merge(list(per_queue.values()), self._distinct_agent_values([q.id for q in queues]))
            dims = {"Channel": "VOICE"} if "CHANNEL" in groupings else {}
            results.append({"Dimensions": dims, "Collections": collections(merged)})
        return {
            "MetricResults": results,
            "DataSnapshotTime": self.center.now,
            "ApproximateTotalCount": len(results),
        }

    def _queue_values(self, queue_id: str) -> dict[str, float]:
        metrics = self.center.queue_metrics(queue_id)
        values = {k: float(v) for k, v in metrics.items() if v is not None}
        values.setdefault("ESTIMATED_WAIT_TIME", 0.0)
        values["AGENTS_NON_PRODUCTIVE"] = 0.0
        return _with_derived(values)

    def _distinct_agent_values(self, queue_ids: list[str]) -> dict[str, float]:
        """Agent counts across several queues count each agent once, as Connect does."""
        agents = {a.username: a for q in queue_ids for a in self.center.agents_for_queue(q)}
        return _with_derived({k: float(v) for k, v in agent_counts(agents.values()).items()})


def _with_derived(values: dict[str, float]) -> dict[str, float]:
    """The metrics Connect derives from the agent counts (voice only: a slot is an agent)."""
    values["AGENTS_ON_CALL"] = values["AGENTS_ON_CONTACT"]
    values["SLOTS_ACTIVE"] = values["AGENTS_ON_CONTACT"] + values["AGENTS_AFTER_CONTACT_WORK"]
    values["SLOTS_AVAILABLE"] = values["AGENTS_AVAILABLE"]
    return values


def _merge(values: list[dict[str, float]], agent_values: dict[str, float]) -> dict[str, float]:
    merged: dict[str, float] = {}
    for name in values[0]:
        if name in ("OLDEST_CONTACT_AGE", "ESTIMATED_WAIT_TIME"):
            merged[name] = max(v[name] for v in values)
        else:
            merged[name] = sum(v[name] for v in values)
    merged.update(agent_values)
    return merged
