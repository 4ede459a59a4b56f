"""The Connect twin's backend: Connect's resources and operations over the local definitions and ACD.

Resources (instance, hours, queues, routing profiles, flows) come from the template through
`Definitions`; contacts and metrics come from the running contact center. Every method takes and
returns plain data in Connect's shapes (see botocore's connect service model).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any, Protocol

import phonenumbers

from local_connect.acd import ContactCenter, ContactState, UnknownContact
from local_connect.acd.center import agent_counts
from local_connect.acd.model import WAITING_STATES
from local_connect.connect_api.errors import (
    ContactNotFoundException,
    IdempotencyException,
    InvalidParameterException,
    InvalidRequestException,
    LimitExceededException,
    ResourceNotFoundException,
)
from local_connect.definitions import (
    LOCAL_REGION,
    ContactFlowDef,
    Definitions,
    HoursOfOperation,
    Queue,
    stable_id,
)
from local_connect.template_hours import connect_config, connect_overrides

CREATED_TIME = 1_735_689_600.0  # the local instance's fixed creation time (2025-01-01), stable like its ids

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
    def _instance(self, ref: str) -> None:
        if ref not in (self.definitions.instance_id, self.definitions.instance_arn):
            raise ResourceNotFoundException(f"Instance not found: {ref}")

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

    def _contact(self, contact_id: str) -> Any:
        try:
            return self.center.contact(contact_id)
        except UnknownContact:
            raise ResourceNotFoundException(f"Contact not found: {contact_id}") from None

    # ------------------------------------------------------------------ instance and resources
    def instance_summary(self) -> dict[str, Any]:
        return {
            "Id": self.definitions.instance_id,
            "Arn": self.definitions.instance_arn,
            "IdentityManagementType": "CONNECT_MANAGED",
            "InstanceAlias": "jam-contact-center-local",
            "CreatedTime": CREATED_TIME,
            "ServiceRole": "arn:aws:iam::123456789012:role/aws-service-role/connect.amazonaws.com/local",
            "InstanceStatus": "ACTIVE",
            "InboundCallsEnabled": True,
            "OutboundCallsEnabled": True,
        }

    def list_instances(self) -> list[dict[str, Any]]:
        return [self.instance_summary()]

    def describe_instance(self, instance_id: str) -> dict[str, Any]:
        self._instance(instance_id)
        summary = self.instance_summary()
        return summary

    def describe_hours(self, instance_id: str, hours_id: str) -> dict[str, Any]:
        self._instance(instance_id)
        hours = self._hours(hours_id)
        return {
            "HoursOfOperationId": hours.id,
            "HoursOfOperationArn": hours.arn,
            "Name": hours.name,
            "Description": hours.description,
            "TimeZone": hours.time_zone,
            "Config": connect_config(hours),
            "Tags": {},
            "LastModifiedTime": CREATED_TIME,
            "LastModifiedRegion": LOCAL_REGION,
        }

    def list_hours_overrides(self, instance_id: str, hours_id: str) -> list[dict[str, Any]]:
        """The template's HoursOfOperationOverrides in the API's shape (CloudFormation names differ)."""
        self._instance(instance_id)
        hours = self._hours(hours_id)
        return connect_overrides(hours)

    def list_hours(self, instance_id: str) -> list[dict[str, Any]]:
        self._instance(instance_id)
        return [
            {
                "Id": h.id,
                "Arn": h.arn,
                "Name": h.name,
                "LastModifiedTime": CREATED_TIME,
                "LastModifiedRegion": LOCAL_REGION,
            }
            for h in self.definitions.hours.values()
        ]

    def list_queues(self, instance_id: str, queue_types: Sequence[str]) -> list[dict[str, Any]]:
        self._instance(instance_id)
        if queue_types and "STANDARD" not in queue_types:
            return []  # the local center has no agent queues
        return [
            {
                "Id": q.id,
                "Arn": q.arn,
                "Name": q.name,
                "QueueType": "STANDARD",
                "LastModifiedTime": CREATED_TIME,
                "LastModifiedRegion": LOCAL_REGION,
            }
            for q in self.definitions.queues.values()
        ]

    def describe_queue(self, instance_id: str, queue_id: str) -> dict[str, Any]:
        self._instance(instance_id)
        queue = self._queue(queue_id)
        described: dict[str, Any] = {
            "Name": queue.name,
            "QueueArn": queue.arn,
            "QueueId": queue.id,
            "Description": queue.description,
            "HoursOfOperationId": self.definitions.hours[queue.hours_logical_id].id,
            "Status": "ENABLED",
            "Tags": {},
            "LastModifiedTime": CREATED_TIME,
            "LastModifiedRegion": LOCAL_REGION,
        }
        if queue.max_contacts is not None:
            described["MaxContacts"] = queue.max_contacts
        return described

    def list_routing_profiles(self, instance_id: str) -> list[dict[str, Any]]:
        self._instance(instance_id)
        return [
            {
                "Id": rp.id,
                "Arn": rp.arn,
                "Name": rp.name,
                "LastModifiedTime": CREATED_TIME,
                "LastModifiedRegion": LOCAL_REGION,
            }
            for rp in self.definitions.routing_profiles.values()
        ]

    def list_contact_flows(self, instance_id: str, types: Sequence[str]) -> list[dict[str, Any]]:
        self._instance(instance_id)
        return [
            {
                "Id": f.id,
                "Arn": f.arn,
                "Name": f.name,
                "ContactFlowType": f.type,
                "ContactFlowState": "ACTIVE",
                "ContactFlowStatus": "PUBLISHED",
            }
            for f in self.definitions.flows.values()
            if not types or f.type in types
        ]

    # ------------------------------------------------------------------ contacts
    def start_outbound_voice_contact(self, body: dict[str, Any]) -> str:
        for required in ("DestinationPhoneNumber", "ContactFlowId", "InstanceId"):
            if not body.get(required):
                raise InvalidParameterException(f"{required} is required")
        self._instance(body["InstanceId"])
        flow = self._flow(body["ContactFlowId"])
        destination = _e164(body["DestinationPhoneNumber"], "DestinationPhoneNumber")
        queue_id = self._queue(body["QueueId"]).id if body.get("QueueId") else None
        if body.get("RelatedContactId"):
            self._contact(body["RelatedContactId"])
        source = body.get("SourcePhoneNumber")
        if source:
            source = _e164(source, "SourcePhoneNumber")
            if source not in self.claimed_numbers:
                raise InvalidParameterException(f"SourcePhoneNumber {source} is not claimed by this instance")
        elif queue_id is None:
            raise InvalidRequestException("Either QueueId or SourcePhoneNumber is required")
        attributes = body.get("Attributes") or {}
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in attributes.items()):
            raise InvalidParameterException("Attributes must map strings to strings")
        if len(json.dumps(attributes)) > 32_768:
            raise InvalidParameterException("Attributes exceed 32 KB")

        token = body.get("ClientToken")
        request_hash = hashlib.sha256(
            json.dumps({k: v for k, v in body.items() if k != "ClientToken"}, sort_keys=True).encode()
        ).hexdigest()
        if token:
            seen = self.center.store.client_token(token)
            if seen is not None:
                if seen[0] != request_hash:
                    raise IdempotencyException("ClientToken was already used with different parameters")
                return seen[1]
        if self.telephony.active_outbound_calls() >= self.max_concurrent_calls:
            raise LimitExceededException(
                f"The instance has reached its limit of {self.max_concurrent_calls} concurrent calls"
            )
        contact_id = self.telephony.start_outbound_call(
            destination=destination,
            source=source or self.claimed_numbers[0],
            flow=flow,
            queue_id=queue_id,
            attributes=dict(attributes),
            name=body.get("Name"),
            description=body.get("Description"),
            related_contact_id=body.get("RelatedContactId"),
        )
        if token:
            self.center.store.remember_client_token(token, request_hash, contact_id, self.center.now)
        return contact_id

    def get_contact_attributes(self, instance_id: str, initial_contact_id: str) -> dict[str, str]:
        self._instance(instance_id)
        return dict(self._contact(initial_contact_id).attributes)

    def update_contact_attributes(self, body: dict[str, Any]) -> None:
        for required in ("InitialContactId", "InstanceId", "Attributes"):
            if required not in body:
                raise InvalidParameterException(f"{required} is required")
        self._instance(body["InstanceId"])
        self._contact(body["InitialContactId"])
        self.center.update_attributes(body["InitialContactId"], body["Attributes"])

    def stop_contact(self, body: dict[str, Any]) -> None:
        for required in ("ContactId", "InstanceId"):
            if not body.get(required):
                raise InvalidParameterException(f"{required} is required")
        self._instance(body["InstanceId"])
        try:
            contact = self.center.contact(body["ContactId"])
        except UnknownContact:
            raise ContactNotFoundException(f"Contact {body['ContactId']} does not exist") from None
        if contact.state is ContactState.DISCONNECTED:
            raise ContactNotFoundException(f"Contact {contact.id} is not active")
        reason = (body.get("DisconnectReason") or {}).get("Code") or "API"
        self.center.stop_contact(contact.id, reason)

    def describe_contact(self, instance_id: str, contact_id: str) -> dict[str, Any]:
        self._instance(instance_id)
        contact = self._contact(contact_id)
        described: dict[str, Any] = {
            "Arn": f"{self.definitions.instance_arn}/contact/{contact.id}",
            "Id": contact.id,
            "InitialContactId": contact.initial_contact_id,
            "InitiationMethod": str(contact.initiation_method),
            "Channel": contact.channel,
            "InitiationTimestamp": contact.initiated_at,
            "LastUpdateTimestamp": self.center.now,
            "CustomerEndpoint": {"Type": "TELEPHONE_NUMBER", "Address": contact.customer_number},
            "SystemEndpoint": {"Type": "TELEPHONE_NUMBER", "Address": contact.system_number},
            "QueuePriority": contact.priority,
            "QueueTimeAdjustmentSeconds": int(contact.time_adjustment),
            "Attributes": dict(contact.attributes),
        }
        optional = {
            "PreviousContactId": contact.previous_contact_id,
            "Name": contact.name,
            "Description": contact.description,
            "DisconnectTimestamp": contact.disconnected_at,
            "DisconnectReason": contact.disconnect_reason,
        }
        described.update({k: v for k, v in optional.items() if v is not None})
        if contact.queue_id:
            # An outbound contact carries its (outbound) queue from the start; EnqueueTimestamp only
            # appears once it was put in a queue, never as null.
            described["QueueInfo"] = {"Id": contact.queue_id}
            if contact.enqueued_at is not None:
                described["QueueInfo"]["EnqueueTimestamp"] = contact.enqueued_at
        if contact.disconnect_reason == "TRANSFERRED":
            # An agent's transfer to a queue is a quick connect on Connect: the new contact is named
            # in NextContacts, which is how a reader follows the customer to the next queue.
            described["NextContacts"] = [
                self._next_contact_entry(n) for n in self.center.store.next_contacts(contact.id)
            ]
        if contact.agent_username and contact.connected_at:
            described["AgentInfo"] = {
                "Id": contact.agent_username,
                "ConnectedToAgentTimestamp": contact.connected_at,
            }
        return described

    def _next_contact_entry(self, contact: Any) -> dict[str, Any]:
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
    def search_contacts(self, body: dict[str, Any]) -> dict[str, Any]:
        """SearchContacts over the runtime's contact records, with Connect's criteria and shapes.

        Supported: the TimeRange types the records have, AgentIds, QueueIds, Channels and
        InitiationMethods; Sort by INITIATION_TIMESTAMP (Connect's default, newest first) or another
        timestamp; MaxResults 1-100 with an opaque NextToken.
        """
        self._instance(body.get("InstanceId") or "")
        time_range = body.get("TimeRange") or {}
        field = SEARCH_TIME_FIELDS.get(time_range.get("Type", ""))
        start, end = time_range.get("StartTime"), time_range.get("EndTime")
        if field is None or start is None or end is None:
            raise InvalidParameterException("TimeRange needs a supported Type, StartTime and EndTime")
        if float(end) < float(start):
            raise InvalidParameterException("TimeRange.EndTime is before StartTime")
        size = body.get("MaxResults", 100)
        if not isinstance(size, int) or not 1 <= size <= 100:
            raise InvalidParameterException("MaxResults must be between 1 and 100")
        try:
            offset = int(body.get("NextToken") or 0)
        except ValueError:
            raise InvalidParameterException("NextToken is not valid") from None
        criteria = body.get("SearchCriteria") or {}
        wanted = {
            "agent_username": set(criteria.get("AgentIds") or []),
            "queue_id": set(criteria.get("QueueIds") or []),
            "channel": set(criteria.get("Channels") or []),
            "initiation_method": set(criteria.get("InitiationMethods") or []),
        }
        sort = body.get("Sort") or {}
        sort_field = SEARCH_TIME_FIELDS.get(sort.get("FieldName", "INITIATION_TIMESTAMP"), "initiated_at")
        newest_first = sort.get("Order", "DESCENDING") == "DESCENDING"

        def matches(contact: Any) -> bool:
            at = getattr(contact, field)
            if at is None or not float(start) <= at <= float(end):
                return False
            return all(not values or str(getattr(contact, name)) in values for name, values in wanted.items())

        found = [c for c in self.center.store.contacts(limit=SEARCH_SCAN_LIMIT) if matches(c)]
        found.sort(key=lambda c: getattr(c, sort_field) or 0.0, reverse=newest_first)
        answer: dict[str, Any] = {
            "Contacts": [self._search_summary(c) for c in found[offset : offset + size]],
            "TotalCount": len(found),
        }
        if offset + size < len(found):
            answer["NextToken"] = str(offset + size)
        return answer

    def _search_summary(self, contact: Any) -> dict[str, Any]:
        summary: dict[str, Any] = {
            "Arn": f"{self.definitions.instance_arn}/contact/{contact.id}",
            "Id": contact.id,
            "InitialContactId": contact.initial_contact_id,
            "InitiationMethod": str(contact.initiation_method),
            "Channel": contact.channel,
            "InitiationTimestamp": contact.initiated_at,
        }
        if contact.previous_contact_id:
            summary["PreviousContactId"] = contact.previous_contact_id
        if contact.disconnected_at is not None:
            summary["DisconnectTimestamp"] = contact.disconnected_at
        if contact.queue_id:
            summary["QueueInfo"] = {"Id": contact.queue_id}
            if contact.enqueued_at is not None:
                summary["QueueInfo"]["EnqueueTimestamp"] = contact.enqueued_at
        if contact.agent_username:
            summary["AgentInfo"] = {"Id": contact.agent_username}
            if contact.connected_at is not None:
                summary["AgentInfo"]["ConnectedToAgentTimestamp"] = contact.connected_at
        return summary

    # ------------------------------------------------------------------ metrics
    def contact_metrics(self, body: dict[str, Any]) -> dict[str, Any]:
        """GetContactMetrics: the contact's POSITION_IN_QUEUE (1 = next) and ESTIMATED_WAIT_TIME.

        Connect has them only while the contact waits in a queue; otherwise the list is empty. The
        wait is left out when nobody staffs the queue (the runtime cannot estimate it).
        """
        for required in ("InstanceId", "ContactId", "Metrics"):
            if not body.get(required):
                raise InvalidParameterException(f"{required} is required")
        self._instance(body["InstanceId"])
        names = []
        for metric in body["Metrics"]:
            name = (metric or {}).get("Name")
            if name not in CONTACT_METRICS:
                raise InvalidParameterException(f"Unsupported contact metric {name}")
            names.append(name)
        contact = self._contact(body["ContactId"])
        answer: dict[str, Any] = {
            "Id": contact.id,
            "Arn": f"{self.definitions.instance_arn}/contact/{contact.id}",
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
            {"Name": name, "Value": {"Number": values[name]}} for name in names if values[name] is not None
        ]
        return answer

    def current_metric_data(self, instance_id: str, body: dict[str, Any]) -> dict[str, Any]:
        self._instance(instance_id)
        filters = body.get("Filters") or {}
        metrics = body.get("CurrentMetrics") or []
        if not metrics:
            raise InvalidParameterException("CurrentMetrics is required")
        queue_refs = filters.get("Queues") or []
        if not queue_refs:
            raise InvalidParameterException("Filters.Queues must name at least one queue")
        if len(queue_refs) > 100:
            raise InvalidParameterException("Filters.Queues takes at most 100 queues")
        channels = filters.get("Channels") or ["VOICE"]
        if any(c != "VOICE" for c in channels):
            return {"MetricResults": [], "DataSnapshotTime": self.center.now, "ApproximateTotalCount": 0}
        names = []
        for metric in metrics:
            name = metric.get("Name")
            if name not in COUNT_METRICS | SECONDS_METRICS:
                raise InvalidParameterException(f"Unsupported metric {name}")
            names.append(name)
        queues = [self._queue(ref) for ref in queue_refs]
        groupings = body.get("Groupings") or []
        per_queue = {q.id: self._queue_values(q.id) for q in queues}

        def collections(values: dict[str, float]) -> list[dict[str, Any]]:
            return [
                {
                    "Metric": {"Name": n, "Unit": "SECONDS" if n in SECONDS_METRICS else "COUNT"},
                    "Value": values[n],
                }
                for n in names
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


def _e164(number: str, field: str) -> str:
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        raise InvalidParameterException(f"{field} must be an E.164 phone number") from None
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidParameterException(f"{field} {number} is not a valid phone number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
