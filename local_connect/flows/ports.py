"""What a flow needs from a contact center: one Protocol (the flow's ports) and the values it exchanges.

The flow engine never touches queues, agents or phones itself: every effect of a flow on the
contact center goes through `ContactCenterServices`. Two implementations exist, held to one
contract suite (tests/flows/test_ports_contract.py): the runtime's, over its ACD and switchboard
(`local_connect.runtime_flows.RuntimeFlowServices`), and `local_connect.flows.memory.InMemoryCenter`
for the flow scenarios and the terminal caller. Both build the contact as a flow sees it with
`contact_data_of`, so what `$.` references read cannot differ between them.

Errors: a method that cannot do what the flow asked raises `ServiceError(error_type)` where
`error_type` is the Flow Language error the action takes (e.g. "QueueAtCapacity"). Any other
exception carrying a `code` attribute equal to an error type (the ACD's `QueueAtCapacity` does)
is treated the same way; anything else takes the action's NoMatchingError branch.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol


class ServiceError(Exception):
    """The contact center refused a flow's request; `error_type` names the Flow Language error."""

    def __init__(self, error_type: str, message: str = "") -> None:
        super().__init__(message or error_type)
        self.error_type = error_type


@dataclass(frozen=True)
class ContactData:
    """The contact as a flow sees it (Connect's ContactData in a Lambda event, `$.` references)."""

    contact_id: str
    customer_number: str
    system_number: str
    initiation_method: str = "INBOUND"  # INBOUND | API | CALLBACK | TRANSFER | OUTBOUND
    initial_contact_id: str = ""
    previous_contact_id: str | None = None
    channel: str = "VOICE"
    attributes: Mapping[str, str] = field(default_factory=dict)
    queue_arn: str | None = None
    name: str | None = None
    description: str | None = None
    agent_username: str | None = None  # the agent who handled it ($.Agent.UserName, e.g. in the survey)
    language: str | None = None  # the contact's LanguageCode, once a flow set it (UpdateContactData)
    tags: Mapping[str, str] = field(default_factory=dict)  # TagContact's user-defined tags


class ContactFields(Protocol):
    """What both contact stores keep of a contact (the ACD's `Contact`, the in-memory contact)."""

    @property
    def id(self) -> str: ...
    @property
    def customer_number(self) -> str: ...
    @property
    def system_number(self) -> str: ...
    @property
    def initiation_method(self) -> object: ...  # a str, or the ACD's StrEnum
    @property
    def initial_contact_id(self) -> str: ...
    @property
    def previous_contact_id(self) -> str | None: ...
    @property
    def channel(self) -> str: ...
    @property
    def attributes(self) -> Mapping[str, str]: ...
    @property
    def name(self) -> str | None: ...
    @property
    def description(self) -> str | None: ...
    @property
    def agent_username(self) -> str | None: ...
    @property
    def language(self) -> str | None: ...
    @property
    def tags(self) -> Mapping[str, str]: ...


def contact_data_of(contact: ContactFields, *, queue_arn: str | None) -> ContactData:
    """The one translation of a stored contact into what a flow sees (`$.` and the Lambda event).

    Every implementation of `ContactCenterServices.contact_data` goes through here: a field added
    to ContactData is filled for the runtime and for the scenarios alike (the agent's username once
    was filled only in memory, and surveys on the real stack lost their agent).
    """
    return ContactData(
        contact_id=contact.id,
        customer_number=contact.customer_number,
        system_number=contact.system_number,
        initiation_method=str(contact.initiation_method),
        initial_contact_id=contact.initial_contact_id or contact.id,
        previous_contact_id=contact.previous_contact_id,
        channel=contact.channel,
        attributes=dict(contact.attributes),
        queue_arn=queue_arn,
        name=contact.name,
        description=contact.description,
        agent_username=contact.agent_username,
        language=contact.language,
        tags=dict(contact.tags),
    )


@dataclass(frozen=True)
class QueueInfo:
    arn: str
    id: str
    name: str
    hours_arn: str | None = None


@dataclass(frozen=True)
class QueuePosition:
    """Where a queued contact stands: 1-based place in line, and the estimated wait in seconds."""

    position: int | None
    estimated_wait: float | None


@dataclass(frozen=True)
class Prompt:
    """One thing said to the caller. `prompt_id` is the `$.External.<Id>` the text came from, if any."""

    contact_id: str
    text: str
    ssml: bool
    language: str
    voice: str
    flow: str
    action: str
    prompt_id: str | None = None
    expects_input: bool = False
    prompt_ids: tuple[str, ...] = ()  # every $.External.<Id> the text is made of, in order


@dataclass(frozen=True)
class CallbackRequest:
    number: str
    queue_arn: str | None
    initial_delay: float
    max_attempts: int
    retry_delay: float
    # ContactFlowId: the callback's creation flow ("Set creation flow"), run on the new callback
    # contact before it is queued; with it, InitialCallDelaySeconds is ignored (CreateCallbackContact,
    # Connect API reference, interactions-createcallbackcontact).
    creation_flow: str | None = None


@dataclass(frozen=True)
class TaskRequest:
    """CreateTask (Flow Language reference, createtask): a new TASK contact that runs `flow`."""

    name: str
    flow: str  # the ContactFlowId as resolved: a flow ARN or id the engine's library knows
    description: str | None = None
    attributes: Mapping[str, str] = field(default_factory=dict)
    references: Mapping[str, str] = field(default_factory=dict)  # reference name -> value
    start_at: float | None = None  # DelaySeconds / ScheduledTime: when its flow starts (None: now)


# The queue metrics the engine asks for (the ACD's `queue_metrics` keys, Connect's real-time names).
QUEUE_METRICS = (
    "CONTACTS_IN_QUEUE",
    "OLDEST_CONTACT_AGE",
    "AGENTS_ONLINE",
    "AGENTS_AVAILABLE",
    "AGENTS_STAFFED",
    "AGENTS_ON_CONTACT",
    "AGENTS_AFTER_CONTACT_WORK",
    "AGENTS_ERROR",
    "ESTIMATED_WAIT_TIME",
)


class ContactCenterServices(Protocol):
    """Everything a flow does to, or asks of, the contact center. Called under the runtime lock."""

    # ---- the contact
    def contact_data(self, contact_id: str) -> ContactData:
        """The contact's current data (attributes included)."""
        ...

    def update_attributes(self, contact_id: str, attributes: Mapping[str, str]) -> None:
        """UpdateContactAttributes: merge these user-defined attributes into the contact."""
        ...

    def update_contact_data(self, contact_id: str, values: Mapping[str, str]) -> None:
        """UpdateContactData: Name, Description, LanguageCode, ... as the flow set them."""
        ...

    def tag_contact(self, contact_id: str, tags: Mapping[str, str]) -> None:
        """TagContact: merge these user-defined tags into the contact (its record shows them)."""
        ...

    # ---- the caller's ear
    def say(self, prompt: Prompt) -> None:
        """A prompt for the caller (text or SSML in a language and voice). Must not block."""
        ...

    # ---- hours, queues, metrics
    def queue(self, queue_ref: str) -> QueueInfo:
        """A queue by ARN or id; ServiceError("NoMatchingError") if there is none."""
        ...

    def hours_open(self, hours_arn: str, at: float) -> bool:
        """Is the hours of operation open at `at` (epoch seconds)? ServiceError if unknown."""
        ...

    def queue_metrics(self, queue_arn: str) -> Mapping[str, float | int | None]:
        """Real-time metrics of a queue, keyed as QUEUE_METRICS."""
        ...

    def queue_position(self, contact_id: str) -> QueuePosition:
        """For a queued contact: its place in line and estimated wait (None when unknown)."""
        ...

    # ---- routing
    def set_routing(
        self,
        contact_id: str,
        *,
        queue_arn: str | None = None,
        priority: int | None = None,
        time_adjustment: float | None = None,
    ) -> None:
        """UpdateContactTargetQueue / UpdateContactRoutingBehavior (also while queued)."""
        ...

    def transfer_to_queue(self, contact_id: str, queue_arn: str) -> None:
        """TransferContactToQueue: put the contact in line. Raises ServiceError("QueueAtCapacity")."""
        ...

    def queue_to_queue(self, contact_id: str, queue_arn: str) -> str:
        """DequeueContactAndTransferToQueue: the waiting contact leaves its queue; a new TRANSFER
        contact (this one its previous contact) waits in `queue_arn`. Returns the new contact's id.
        ServiceError("QueueAtCapacity") when the queue is full, "NoMatchingError" when the contact is
        not waiting in a queue."""
        ...

    def transfer_to_agent(self, contact_id: str, agent: str) -> bool:
        """TransferContactToAgent: offer the voice contact to this agent (username) alone. True when
        offered; False when the agent is not free and the contact was disconnected. ServiceError
        ("NoMatchingError") for an unknown agent, a contact that is not voice or not in a flow/queue."""
        ...

    def create_task(self, contact_id: str, request: TaskRequest) -> str:
        """CreateTask: a new TASK contact (no customer endpoint) whose flow starts at
        `request.start_at` (now when None); returns its id. ServiceError("NoMatchingError") when it
        cannot be created."""
        ...

    def create_callback(self, contact_id: str, request: CallbackRequest) -> str:
        """CreateCallbackContact: a queued callback keeping the caller's place; returns its id."""
        ...

    # ---- the end of a flow
    def set_disconnect_flow(self, contact_id: str, flow_arn: str | None) -> None:
        """The flow to run when the agent hangs up first (CustomerRemaining hook); None clears it."""
        ...

    def end_flow(self, contact_id: str, *, disconnect: bool) -> None:
        """The flow is over for this contact: DisconnectParticipant (disconnect=True), or it ended
        while the contact stays where it is (queued, or EndFlowExecution)."""
        ...
