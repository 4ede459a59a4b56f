"""Connect's resources as the twin serves them, each rendering itself in the API's shapes
(botocore's connect model): `summary()` for the List* operations, `to_dict()` for Describe*.

They wrap the template's definitions (local_connect/definitions.py) and the runtime's contacts, the
way moto's models hold a service's resources and render them for its responses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from local_connect.acd.model import Contact
from local_connect.definitions import LOCAL_REGION, ContactFlowDef, HoursOfOperation, Queue, RoutingProfile
from local_connect.template_hours import connect_config

CREATED_TIME = 1_735_689_600.0  # the local instance's fixed creation time (2025-01-01), stable like its ids
INSTANCE_ALIAS = "jam-contact-center-local"
SERVICE_ROLE = "arn:aws:iam::123456789012:role/aws-service-role/connect.amazonaws.com/local"


def _named_summary(id_: str, arn: str, name: str, **extra: Any) -> dict[str, Any]:
    """The summary shape the hours, queue and routing profile lists share."""
    return {
        "Id": id_,
        "Arn": arn,
        "Name": name,
        **extra,
        "LastModifiedTime": CREATED_TIME,
        "LastModifiedRegion": LOCAL_REGION,
    }


@dataclass(frozen=True)
class ConnectInstance:
    id: str
    arn: str

    def summary(self) -> dict[str, Any]:
        """ListInstances' InstanceSummary; DescribeInstance answers the same fields."""
        return {
            "Id": self.id,
            "Arn": self.arn,
            "IdentityManagementType": "CONNECT_MANAGED",
            "InstanceAlias": INSTANCE_ALIAS,
            "CreatedTime": CREATED_TIME,
            "ServiceRole": SERVICE_ROLE,
            "InstanceStatus": "ACTIVE",
            "InboundCallsEnabled": True,
            "OutboundCallsEnabled": True,
        }

    def to_dict(self) -> dict[str, Any]:
        return self.summary()


@dataclass(frozen=True)
class ConnectHours:
    hours: HoursOfOperation

    def summary(self) -> dict[str, Any]:
        return _named_summary(self.hours.id, self.hours.arn, self.hours.name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "HoursOfOperationId": self.hours.id,
            "HoursOfOperationArn": self.hours.arn,
            "Name": self.hours.name,
            "Description": self.hours.description,
            "TimeZone": self.hours.time_zone,
            "Config": connect_config(self.hours),
            "Tags": {},
            "LastModifiedTime": CREATED_TIME,
            "LastModifiedRegion": LOCAL_REGION,
        }


@dataclass(frozen=True)
class ConnectQueue:
    queue: Queue
    hours_id: str  # the Connect id of the queue's hours of operation

    def summary(self) -> dict[str, Any]:
        return _named_summary(self.queue.id, self.queue.arn, self.queue.name, QueueType="STANDARD")

    def to_dict(self) -> dict[str, Any]:
        described: dict[str, Any] = {
            "Name": self.queue.name,
            "QueueArn": self.queue.arn,
            "QueueId": self.queue.id,
            "Description": self.queue.description,
            "HoursOfOperationId": self.hours_id,
            "Status": "ENABLED",
            "Tags": {},
            "LastModifiedTime": CREATED_TIME,
            "LastModifiedRegion": LOCAL_REGION,
        }
        if self.queue.max_contacts is not None:
            described["MaxContacts"] = self.queue.max_contacts
        return described


@dataclass(frozen=True)
class ConnectRoutingProfile:
    profile: RoutingProfile

    def summary(self) -> dict[str, Any]:
        return _named_summary(self.profile.id, self.profile.arn, self.profile.name)


@dataclass(frozen=True)
class ConnectContactFlow:
    flow: ContactFlowDef

    def summary(self) -> dict[str, Any]:
        return {
            "Id": self.flow.id,
            "Arn": self.flow.arn,
            "Name": self.flow.name,
            "ContactFlowType": self.flow.type,
            "ContactFlowState": "ACTIVE",
            "ContactFlowStatus": "PUBLISHED",
        }


@dataclass(frozen=True)
class ConnectContact:
    """A contact of the runtime as Connect shows it. `last_update` and `next_contacts` (already in
    NextContacts' shape) only matter to DescribeContact."""

    contact: Contact
    instance_arn: str
    last_update: float = 0.0
    next_contacts: Sequence[dict[str, Any]] = ()

    @property
    def arn(self) -> str:
        return f"{self.instance_arn}/contact/{self.contact.id}"

    def _queue_info(self) -> dict[str, Any] | None:
        # An outbound contact carries its (outbound) queue from the start; EnqueueTimestamp only
        # appears once it was put in a queue, never as null.
        if not self.contact.queue_id:
            return None
        info: dict[str, Any] = {"Id": self.contact.queue_id}
        if self.contact.enqueued_at is not None:
            info["EnqueueTimestamp"] = self.contact.enqueued_at
        return info

    def summary(self) -> dict[str, Any]:
        """SearchContacts' ContactSearchSummary."""
        contact = self.contact
        summary: dict[str, Any] = {
            "Arn": self.arn,
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
        queue_info = self._queue_info()
        if queue_info is not None:
            summary["QueueInfo"] = queue_info
        if contact.agent_username:
            summary["AgentInfo"] = {"Id": contact.agent_username}
            if contact.connected_at is not None:
                summary["AgentInfo"]["ConnectedToAgentTimestamp"] = contact.connected_at
        return summary

    def to_dict(self) -> dict[str, Any]:
        """DescribeContact's Contact."""
        contact = self.contact
        described: dict[str, Any] = {
            "Arn": self.arn,
            "Id": contact.id,
            "InitialContactId": contact.initial_contact_id,
            "InitiationMethod": str(contact.initiation_method),
            "Channel": contact.channel,
            "InitiationTimestamp": contact.initiated_at,
            "LastUpdateTimestamp": self.last_update,
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
        queue_info = self._queue_info()
        if queue_info is not None:
            described["QueueInfo"] = queue_info
        if contact.disconnect_reason == "TRANSFERRED":
            # An agent's transfer to a queue is a quick connect on Connect: the new contact is named
            # in NextContacts, which is how a reader follows the customer to the next queue.
            described["NextContacts"] = list(self.next_contacts)
        if contact.agent_username and contact.connected_at:
            described["AgentInfo"] = {
                "Id": contact.agent_username,
                "ConnectedToAgentTimestamp": contact.connected_at,
            }
        return described
