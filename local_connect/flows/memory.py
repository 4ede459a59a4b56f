"""A small contact center in memory that implements ContactCenterServices for tests and the CLI.

Queues and hours come from the template (the same definitions the runtime uses); hours are checked
against the scheduler's clock with the real hours-of-operation rules. What an ACD would decide
(agents staffed, capacity, wait estimates) is set by the test: `staff(...)`, `capacity`.
A flow brought from another instance names queues and hours that are not in the template: a
scenario declares them (`add_queue`, `set_hours`), as they exist on that instance.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from local_connect.clock import Clock
from local_connect.definitions import Definitions
from local_connect.flows.ports import (
    CallbackRequest,
    ContactData,
    Prompt,
    QueueInfo,
    QueuePosition,
    ServiceError,
    TaskRequest,
    contact_data_of,
)
from local_connect.numbers import INBOUND_NUMBER
from local_connect.template_hours import is_open


@dataclass
class MemoryContact:
    id: str
    customer_number: str
    system_number: str
    initiation_method: str
    attributes: dict[str, str] = field(default_factory=dict)
    contact_values: dict[str, str] = field(default_factory=dict)
    queue_arn: str | None = None
    priority: int = 5
    time_adjustment: float = 0.0
    # flow | queued | agent | ended (flow over, contact stays) | disconnected | transferred (a new
    # segment took over: DequeueContactAndTransferToQueue) | offered (ringing one agent:
    # TransferContactToAgent)
    state: str = "flow"
    enqueued_at: float | None = None
    agent_username: str | None = None
    disconnect_flow: str | None = None
    prompts: list[Prompt] = field(default_factory=list)
    callbacks: list[CallbackRequest] = field(default_factory=list)
    previous_contact_id: str | None = None
    channel: str = "VOICE"
    initial_contact_id: str = ""
    tags: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.initial_contact_id:
            self.initial_contact_id = self.id

    # UpdateContactData's values, read as the ACD's Contact keeps them (see ports.ContactFields).
    @property
    def name(self) -> str | None:
        return self.contact_values.get("Name")

    @property
    def description(self) -> str | None:
        return self.contact_values.get("Description")

    @property
    def language(self) -> str | None:
        return self.contact_values.get("LanguageCode")


@dataclass
class Staffing:
    staffed: int = 1
    available: int = 1
    handle_time: float = 180.0


class InMemoryCenter:
    def __init__(self, definitions: Definitions, clock: Clock) -> None:
        self.definitions = definitions
        self.clock = clock
        self.contacts: dict[str, MemoryContact] = {}
        self.capacity: dict[str, int] = {}  # queue ARN -> max contacts (QueueAtCapacity beyond)
        self.staffing: dict[str, Staffing] = {}  # queue ARN -> agents (default: Staffing())
        self.listeners: list[Callable[[Prompt], None]] = []
        self.callbacks: list[tuple[str, CallbackRequest, str]] = []  # (from contact, request, new id)
        # Runs a flow on a contact nobody is on the line for (a callback's creation flow), as the
        # switchboard's run_contact_flow does; the harness wires it to its engine.
        self.run_flow: Callable[[str, str], None] | None = None
        # CreateTask: (from contact, request, task id). Memory does not run the task's flow: the
        # runtime does (RuntimeFlowServices.create_task); a scenario sees the task created.
        self.tasks: list[tuple[str, TaskRequest, str]] = []
        self._ids = itertools.count(1)
        self._failing: dict[str, int] = {}  # method name -> how many of its next calls fail
        self.failing_prompts: set[str] = set()  # prompt Ids that cannot be played (a TTS failure)
        self._queues = {q.arn: q for q in definitions.queues.values()}
        self._hours = {h.arn: h for h in definitions.hours.values()}
        self._foreign_queues: dict[str, QueueInfo] = {}  # by ARN and by id: another instance's queues
        self._foreign_hours: dict[str, bool] = {}  # hours ARN or id -> open (another instance's hours)
        # username -> the ACD's agent state ("Available", "Busy", "AfterContactWork", "Offline"), set by
        # the test: who TransferContactToAgent can reach.
        self.agent_states: dict[str, str] = {}

    # ------------------------------------------------------------------ test-side controls
    def new_contact(
        self,
        customer_number: str,
        system_number: str = INBOUND_NUMBER,
        *,
        method: str = "INBOUND",
        attributes: Mapping[str, str] | None = None,
        queue_arn: str | None = None,
        channel: str = "VOICE",
    ) -> MemoryContact:
        contact_id = f"contact-{next(self._ids):04d}"
        contact = MemoryContact(
            contact_id,
            customer_number,
            system_number,
            method,
            dict(attributes or {}),
            queue_arn=queue_arn,
            channel=channel,
        )
        self.contacts[contact_id] = contact
        return contact

    def fail(self, method: str, times: int = 1) -> None:
        """Make the next `times` calls of a service method fail, as a Connect outage would."""
        if not callable(getattr(self, method, None)):
            raise AttributeError(method)
        self._failing[method] = times

    def _check(self, method: str) -> None:
        left = self._failing.get(method, 0)
        if left > 0:
            self._failing[method] = left - 1
            raise ServiceError("NoMatchingError", f"{method} failed (injected)")

    def staff(self, queue_arn: str, *, staffed: int, available: int, handle_time: float = 180.0) -> None:
        self.staffing[queue_arn] = Staffing(staffed, available, handle_time)

    def queue_by_name(self, name: str) -> QueueInfo:
        for queue in self._queues.values():
            if queue.name == name:
                return self.queue(queue.arn)
        for info in self._foreign_queues.values():
            if info.name == name:
                return info
        raise KeyError(name)

    def add_queue(self, arn: str, name: str, hours_arn: str | None = None) -> QueueInfo:
        """A queue of another instance (a brought flow names it by ARN): known by ARN and by id."""
        info = QueueInfo(arn, arn.rsplit("/", 1)[-1], name, hours_arn)
        self._foreign_queues[info.arn] = self._foreign_queues[info.id] = info
        return info

    def set_hours(self, hours_ref: str, is_open: bool) -> None:
        """Another instance's hours of operation (by ARN or id), open or closed for this scenario."""
        self._foreign_hours[hours_ref] = is_open
        self._foreign_hours[hours_ref.rsplit("/", 1)[-1]] = is_open

    def waiting_in(self, queue_arn: str) -> list[MemoryContact]:
        waiting = [c for c in self.contacts.values() if c.state == "queued" and c.queue_arn == queue_arn]
        return sorted(waiting, key=lambda c: (c.priority, (c.enqueued_at or 0) - c.time_adjustment))

    # ------------------------------------------------------------------ ContactCenterServices
    def _contact(self, contact_id: str) -> MemoryContact:
        contact = self.contacts.get(contact_id)
        if contact is None:
            raise ServiceError("NoMatchingError", f"no contact {contact_id}")
        return contact

    def contact_data(self, contact_id: str) -> ContactData:
        contact = self._contact(contact_id)
        return contact_data_of(contact, queue_arn=contact.queue_arn)

    def update_attributes(self, contact_id: str, attributes: Mapping[str, str]) -> None:
        self._check("update_attributes")
        self._contact(contact_id).attributes.update(attributes)

    def update_contact_data(self, contact_id: str, values: Mapping[str, str]) -> None:
        self._check("update_contact_data")
        self._contact(contact_id).contact_values.update(values)

    def tag_contact(self, contact_id: str, tags: Mapping[str, str]) -> None:
        self._check("tag_contact")
        self._contact(contact_id).tags.update(tags)

    def say(self, prompt: Prompt) -> None:
        self._check("say")
        if self.failing_prompts.intersection(prompt.prompt_ids):
            raise ServiceError("NoMatchingError", f"prompt {prompt.prompt_id} could not be played")
        self._contact(prompt.contact_id).prompts.append(prompt)
        for listener in self.listeners:
            listener(prompt)

    def queue(self, queue_ref: str) -> QueueInfo:
        self._check("queue")
        queue = self._queues.get(queue_ref) or self.definitions.queue_by_arn(queue_ref)
        if queue is None and queue_ref in self._foreign_queues:
            return self._foreign_queues[queue_ref]
        if queue is None:
            raise ServiceError("NoMatchingError", f"no queue {queue_ref}")
        hours = self.definitions.hours.get(queue.hours_logical_id)
        return QueueInfo(queue.arn, queue.id, queue.name, hours.arn if hours else None)

    def hours_open(self, hours_arn: str, at: float) -> bool:
        self._check("hours_open")
        if hours_arn in self._foreign_hours:
            return self._foreign_hours[hours_arn]
        hours = self._hours.get(hours_arn)
        if hours is None:
            raise ServiceError("NoMatchingError", f"no hours of operation {hours_arn}")
        return is_open(hours, at)

    def queue_metrics(self, queue_arn: str) -> Mapping[str, float | int | None]:
        self._check("queue_metrics")
        staffing = self.staffing.get(queue_arn, Staffing())
        waiting = self.waiting_in(queue_arn)
        now = self.clock.now()
        oldest = min((c.enqueued_at or now for c in waiting), default=now)
        return {
            "CONTACTS_IN_QUEUE": len(waiting),
            "OLDEST_CONTACT_AGE": round(now - oldest, 3),
            "AGENTS_ONLINE": staffing.staffed,
            "AGENTS_AVAILABLE": staffing.available,
            "AGENTS_STAFFED": staffing.staffed,
            "AGENTS_ON_CONTACT": staffing.staffed - staffing.available,
            "AGENTS_AFTER_CONTACT_WORK": 0,
            "AGENTS_ERROR": 0,
            "ESTIMATED_WAIT_TIME": self._estimate(queue_arn, len(waiting)),
        }

    def _estimate(self, queue_arn: str, ahead: int) -> float | None:
        staffing = self.staffing.get(queue_arn, Staffing())
        if staffing.staffed <= 0:
            return None
        if ahead < staffing.available:
            return 0.0
        return float(((ahead - staffing.available) // staffing.staffed + 1) * staffing.handle_time)

    def queue_position(self, contact_id: str) -> QueuePosition:
        self._check("queue_position")
        contact = self._contact(contact_id)
        if contact.state != "queued" or contact.queue_arn is None:
            return QueuePosition(None, None)
        line = self.waiting_in(contact.queue_arn)
        ahead = next(i for i, c in enumerate(line) if c.id == contact_id)
        return QueuePosition(ahead + 1, self._estimate(contact.queue_arn, ahead))

    def set_routing(
        self,
        contact_id: str,
        *,
        queue_arn: str | None = None,
        priority: int | None = None,
        time_adjustment: float | None = None,
    ) -> None:
        self._check("set_routing")
        contact = self._contact(contact_id)
        if queue_arn is not None:
            contact.queue_arn = self.queue(queue_arn).arn
        if priority is not None:
            contact.priority = priority
        if time_adjustment is not None:
            contact.time_adjustment = time_adjustment

    def transfer_to_queue(self, contact_id: str, queue_arn: str) -> None:
        self._check("transfer_to_queue")
        contact = self._contact(contact_id)
        queue = self.queue(queue_arn)
        limit = self.capacity.get(queue.arn)
        if limit is not None and len(self.waiting_in(queue.arn)) >= limit:
            raise ServiceError("QueueAtCapacity", f"{queue.name} is at capacity ({limit})")
        contact.queue_arn = queue.arn
        contact.state = "queued"
        # A contact that already has a place (a callback queued by its creation flow) keeps it, as in the ACD.
        contact.enqueued_at = contact.enqueued_at or self.clock.now()

    def queue_to_queue(self, contact_id: str, queue_arn: str) -> str:
        self._check("queue_to_queue")
        contact = self._contact(contact_id)
        if contact.state != "queued":
            raise ServiceError(
                "NoMatchingError", f"contact {contact_id} is {contact.state}, not waiting in a queue"
            )
        queue = self.queue(queue_arn)
        limit = self.capacity.get(queue.arn)
        if limit is not None and len(self.waiting_in(queue.arn)) >= limit:
            raise ServiceError("QueueAtCapacity", f"{queue.name} is at capacity ({limit})")
        moved = self.new_contact(
            contact.customer_number,
            contact.system_number,
            method="TRANSFER",
            attributes=contact.attributes,
            queue_arn=queue.arn,
        )
        moved.previous_contact_id, moved.initial_contact_id = contact.id, contact.initial_contact_id
        moved.contact_values = dict(contact.contact_values)
        moved.tags = dict(contact.tags)
        moved.priority, moved.time_adjustment = contact.priority, contact.time_adjustment
        moved.state, moved.enqueued_at = "queued", self.clock.now()
        contact.state = "transferred"  # the segment is over (the ACD's TRANSFERRED disconnect)
        return moved.id

    def transfer_to_agent(self, contact_id: str, agent: str) -> bool:
        self._check("transfer_to_agent")
        contact = self._contact(contact_id)
        if contact.state not in ("flow", "queued"):
            raise ServiceError(
                "NoMatchingError", f"contact {contact_id} is {contact.state}, not in a flow or a queue"
            )
        if contact.channel != "VOICE":
            raise ServiceError("NoMatchingError", f"contact {contact_id} is {contact.channel}: voice only")
        state = self.agent_states.get(agent)
        if state is None:
            raise ServiceError("NoMatchingError", f"agent {agent} not found")
        if state in ("Available", "AfterContactWork"):  # ACW: removed from it (the ACD's rule)
            self.agent_states[agent] = "Incoming"
            contact.state, contact.agent_username = "offered", agent
            return True
        contact.state = "disconnected"  # the agent is with someone else (or away): see the ACD
        return False

    def create_task(self, contact_id: str, request: TaskRequest) -> str:
        self._check("create_task")
        self._contact(contact_id)
        task = self.new_contact("", "", method="API", attributes=dict(request.attributes), channel="TASK")
        task.contact_values["Name"] = request.name
        if request.description:
            task.contact_values["Description"] = request.description
        self.tasks.append((contact_id, request, task.id))
        return task.id

    def create_callback(self, contact_id: str, request: CallbackRequest) -> str:
        self._check("create_callback")
        original = self._contact(contact_id)
        callback = self.new_contact(
            request.number,
            original.system_number,
            method="CALLBACK",
            attributes=original.attributes,
            queue_arn=request.queue_arn,
        )
        callback.previous_contact_id = original.id
        callback.initial_contact_id = original.initial_contact_id
        if original.language is not None:  # the caller's language carries to the callback, as in the ACD
            callback.contact_values["LanguageCode"] = original.language
        callback.priority, callback.time_adjustment = original.priority, original.time_adjustment
        callback.enqueued_at = original.enqueued_at or self.clock.now()  # keeps the caller's place
        original.callbacks.append(request)
        self.callbacks.append((contact_id, request, callback.id))
        if request.creation_flow is not None and self.run_flow is not None:
            # With a creation flow the callback stays in a flow until that flow queues it
            # (TransferContactToQueue), as in the ACD; the initial delay is ignored.
            callback.state = "flow"
            self.run_flow(callback.id, request.creation_flow)
        else:
            callback.state = "queued"
        return callback.id

    def set_disconnect_flow(self, contact_id: str, flow_arn: str | None) -> None:
        self._check("set_disconnect_flow")
        self._contact(contact_id).disconnect_flow = flow_arn

    def end_flow(self, contact_id: str, *, disconnect: bool) -> None:
        contact = self._contact(contact_id)
        if disconnect:
            contact.state = "disconnected"
        elif contact.state == "flow":
            contact.state = "ended"

    # ------------------------------------------------------------------ the agent side
    def agent_answers(self, contact_id: str, agent: str) -> None:
        contact = self._contact(contact_id)
        if contact.state != "queued":
            raise ServiceError("NoMatchingError", f"contact {contact_id} is {contact.state}, not queued")
        contact.state, contact.agent_username = "agent", agent
