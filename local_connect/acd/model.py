"""The ACD's records: contacts and agents, in the shape of Connect's contact trace records."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class InitiationMethod(StrEnum):
    INBOUND = "INBOUND"
    OUTBOUND = "OUTBOUND"  # an agent dialled the customer from their desk (the CCP on AWS)
    API = "API"  # StartOutboundVoiceContact
    CALLBACK = "CALLBACK"
    TRANSFER = "TRANSFER"


class ContactState(StrEnum):
    IN_FLOW = "IN_FLOW"  # ringing the customer or running the IVR
    QUEUED = "QUEUED"
    SCHEDULED = "SCHEDULED"  # a callback waiting for its retry delay
    OFFERED = "OFFERED"  # ringing an agent
    DIALING = "DIALING"  # an agent took a callback; the runtime is calling the customer
    CONNECTED = "CONNECTED"
    DISCONNECTED = "DISCONNECTED"


WAITING_STATES = (ContactState.QUEUED, ContactState.OFFERED)


class AgentState(StrEnum):
    OFFLINE = "Offline"
    AVAILABLE = "Available"
    INCOMING = "Incoming"  # a contact is being offered
    ON_CONTACT = "On contact"
    AFTER_CONTACT_WORK = "After contact work"
    MISSED = "Missed"  # missed or rejected an offer: not routable until they choose Available


class DisconnectReason(StrEnum):
    """Connect's CTR values, plus the two the local runtime needs and says plainly."""

    CUSTOMER_DISCONNECT = "CUSTOMER_DISCONNECT"
    AGENT_DISCONNECT = "AGENT_DISCONNECT"
    CONTACT_FLOW_DISCONNECT = "CONTACT_FLOW_DISCONNECT"
    API = "API"
    TELECOM_PROBLEM = "TELECOM_PROBLEM"
    CUSTOMER_NOT_ANSWERED = "CUSTOMER_NOT_ANSWERED"
    TRANSFERRED = "TRANSFERRED"
    CALLBACK_ATTEMPTS_EXHAUSTED = "CALLBACK_ATTEMPTS_EXHAUSTED"
    CALLBACK_CREATED = "CALLBACK_CREATED"  # the caller chose a callback and hung up


@dataclass
class Contact:
    id: str
    initiation_method: InitiationMethod
    customer_number: str
    system_number: str
    initiated_at: float
    initial_contact_id: str = ""
    previous_contact_id: str | None = None
    channel: str = "VOICE"
    state: ContactState = ContactState.IN_FLOW
    flow_id: str | None = None
    queue_id: str | None = None
    priority: int = 5  # Connect's default; 1 is the most urgent
    time_adjustment: float = 0.0  # seconds the contact counts as older than it is
    enqueued_at: float | None = None
    connected_at: float | None = None
    disconnected_at: float | None = None
    agent_username: str | None = None
    disconnect_reason: str | None = None
    disconnect_detail: str | None = None
    on_hold: bool = False
    attributes: dict[str, str] = field(default_factory=dict)
    survey: dict[str, str] = field(default_factory=dict)
    callback_attempts: int = 0
    callback_max_attempts: int = 3
    next_attempt_at: float | None = None
    name: str | None = None
    description: str | None = None
    language: str | None = None  # the contact's LanguageCode, as a flow set it
    callback_retry_delay: float | None = None  # per callback (CreateCallbackContact); else the setting
    # The contact's CustomerRemaining event hook ("Set disconnect flow"): a flow id/ARN run when the
    # agent hangs up first. Event hooks belong to a contact, so a callback (a new contact) has none
    # unless a flow run on it sets one; kept with the contact so a queued callback keeps it on restart.
    disconnect_flow: str | None = None
    # Contact tags a flow set (TagContact): user-defined key -> value, shown in the record as Tags.
    tags: dict[str, str] = field(default_factory=dict)
    # A task's references (CreateTask References: name -> value) and when its flow starts (a
    # scheduled task: DelaySeconds / ScheduledTime).
    task_references: dict[str, str] = field(default_factory=dict)
    scheduled_at: float | None = None

    def __post_init__(self) -> None:
        if not self.initial_contact_id:
            self.initial_contact_id = self.id

    @property
    def routing_time(self) -> float:
        """The instant that orders the contact in its queue (time adjustment makes it older)."""
        return (self.enqueued_at or self.initiated_at) - self.time_adjustment

    def record(self) -> dict[str, Any]:
        """The contact as a contact record (what the store keeps and exports)."""
        return {
            "ContactId": self.id,
            "InitialContactId": self.initial_contact_id,
            "PreviousContactId": self.previous_contact_id,
            "InitiationMethod": str(self.initiation_method),
            "Channel": self.channel,
            "State": str(self.state),
            "CustomerEndpoint": self.customer_number,
            "SystemEndpoint": self.system_number,
            "FlowId": self.flow_id,
            "QueueId": self.queue_id,
            "Priority": self.priority,
            "TimeAdjustmentSeconds": self.time_adjustment,
            "InitiationTimestamp": self.initiated_at,
            "EnqueueTimestamp": self.enqueued_at,
            "ConnectedToAgentTimestamp": self.connected_at,
            "DisconnectTimestamp": self.disconnected_at,
            "Agent": self.agent_username,
            "DisconnectReason": self.disconnect_reason,
            "DisconnectDetail": self.disconnect_detail,
            "Attributes": dict(self.attributes),
            "SurveyAnswers": dict(self.survey),
            "CallbackAttempts": self.callback_attempts,
            "Name": self.name,
            "Description": self.description,
            "LanguageCode": self.language,
            "Tags": dict(self.tags),
            "References": dict(self.task_references),
            "ScheduledTimestamp": self.scheduled_at,
        }


@dataclass
class Agent:
    username: str
    first_name: str
    last_name: str
    routing_profile_id: str
    state: AgentState = AgentState.OFFLINE
    state_since: float = 0.0
    idle_since: float = 0.0  # when they last became free: the longest idle gets the next offer
    contact_id: str | None = None
    # Why the agent is in this state when the system put them there (Missed, Offline after a lost
    # desk): a code for programs and a sentence for the agent that says how to recover.
    state_reason: str | None = None
    state_detail: str | None = None
    desk_seen: float | None = None  # last heartbeat of a desk page watching this agent (None: none)

    def public(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "name": f"{self.first_name} {self.last_name}",
            "routingProfileId": self.routing_profile_id,
            "state": str(self.state),
            "stateSince": self.state_since,
            "stateReason": self.state_reason,
            "stateDetail": self.state_detail,
            "contactId": self.contact_id,
        }
