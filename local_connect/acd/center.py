"""The ACD: queues, routing profiles, agents, offers, callbacks and contact records.

All methods run under the runtime's lock (one thread at a time); waiting is done with timers on the
scheduler, so a test drives hours of traffic with a manual clock. Every change of a contact is
written to the store before listeners hear of it, so a crash never announces what was not kept.

Routing, as Connect does it:
  - an agent gets work from the queues of their routing profile; a queue's `Priority` (lower first)
    beats age, and a queue with a `Delay` offers a contact to that agent only once it has waited
    that long;
  - within that, contacts go by contact priority (lower first), then by routing time (enqueue time
    minus the time adjustment);
  - among agents who could take a contact, the one idle longest gets the offer;
  - an offer not accepted within `offer_timeout` is Missed: the agent stops receiving work until
    they choose Available again and the contact goes back in its place.

Desk presence (local only): the CCP v2 sets an agent Offline when they log out, but not when they
only close the window ("CCPv1: Automatically log out agents when they close the CCP", Connect admin
guide, automatic-logout.html, which has a custom CCP do it on close). Our desk page does that: it
signs out on unload and sends heartbeats; a desk silent for `desk_timeout` seconds is taken as lost
and its agent set Offline, so a closed tab never leaves an Available agent that nobody answers for.
"""

from __future__ import annotations

import itertools
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from local_connect.acd.model import (
    Agent,
    AgentState,
    Contact,
    ContactState,
    DisconnectReason,
    InitiationMethod,
)
from local_connect.acd.queues import QueueKey, WaitingLine
from local_connect.acd.store import ContactStore
from local_connect.clock import Clock, Scheduler, Timer
from local_connect.counters import COUNTERS
from local_connect.definitions import Definitions, Queue


class AcdError(Exception):
    """A request the ACD refuses; `code` names the reason for HTTP and Connect API errors."""

    code = "InvalidRequest"


class UnknownContact(AcdError):
    code = "ContactNotFound"


class UnknownAgent(AcdError):
    code = "AgentNotFound"


class UnknownQueue(AcdError):
    code = "QueueNotFound"


class QueueAtCapacity(AcdError):
    code = "QueueAtCapacity"


class InvalidTransition(AcdError):
    code = "InvalidState"


@dataclass(frozen=True)
class CenterEvent:
    """What happened, for listeners: the telephony layer (phones, flows) and agent desktops."""

    kind: str
    contact_id: str | None = None
    agent: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ProfileQueue:
    queue_id: str
    priority: int
    delay: float
    channel: str = "VOICE"  # the routing profile takes this queue's contacts of this channel only


@dataclass
class AcdSettings:
    offer_timeout: float = 20.0
    callback_retry_delay: float = 60.0
    callback_max_attempts: int = 3
    default_handle_time: float = 180.0  # used for wait estimates before any contact is handled
    enforce_capacity: bool = True
    desk_timeout: float = 30.0  # seconds without a heartbeat before a watched desk counts as lost
    # Desk silence is real time (a browser's timers), not the contact center's clock, which tests and
    # demos may move forward; None measures it on the scheduler's clock (unit tests).
    presence_clock: Clock | None = None


Listener = Callable[[CenterEvent], None]


def agent_counts(agents: Iterable[Agent]) -> dict[str, int]:
    """Connect's agent metrics over these agents (each counted once)."""
    states = [a.state for a in agents]
    online = sum(1 for s in states if s is not AgentState.OFFLINE)
    return {
        "AGENTS_ONLINE": online,
        "AGENTS_AVAILABLE": sum(1 for s in states if s is AgentState.AVAILABLE),
        "AGENTS_ON_CONTACT": sum(1 for s in states if s in (AgentState.ON_CONTACT, AgentState.INCOMING)),
        "AGENTS_AFTER_CONTACT_WORK": sum(1 for s in states if s is AgentState.AFTER_CONTACT_WORK),
        "AGENTS_ERROR": sum(1 for s in states if s is AgentState.MISSED),
        "AGENTS_STAFFED": online,
    }


class ContactCenter:
    def __init__(
        self,
        definitions: Definitions,
        store: ContactStore,
        scheduler: Scheduler,
        settings: AcdSettings | None = None,
    ) -> None:
        self.definitions = definitions
        self.store = store
        self.scheduler = scheduler
        self.settings = settings or AcdSettings()
        self.queues: dict[str, Queue] = {q.id: q for q in definitions.queues.values()}
        self.lines: dict[str, WaitingLine] = {qid: WaitingLine() for qid in self.queues}
        self.profiles: dict[str, list[ProfileQueue]] = {
            rp.id: [
                ProfileQueue(definitions.queues[c.queue_logical_id].id, c.priority, float(c.delay), c.channel)
                for c in rp.queue_configs
                # A queue config for a channel the profile's MediaConcurrencies do not list gives nothing.
                if c.channel in rp.channels
            ]
            for rp in definitions.routing_profiles.values()
        }
        self.agents: dict[str, Agent] = {}
        self.contacts: dict[str, Contact] = {}  # open contacts only; finished ones live in the store
        self.listeners: list[Listener] = []
        self._arrivals = itertools.count()
        self._keys: dict[str, QueueKey] = {}  # contact id -> its key, kept while offered/dialing
        self._offer_timers: dict[str, Timer] = {}
        self._desk_timers: dict[str, Timer] = {}
        # Contacts sent to one agent (TransferContactToAgent): offered to that agent only, never
        # put back in a queue line. In memory: a restart finds them offered and recovers them as any.
        self._agent_transfers: set[str] = set()
        self.presence_clock: Clock = self.settings.presence_clock or scheduler.clock
        self._waits: dict[str, deque[float]] = {qid: deque(maxlen=50) for qid in self.queues}
        self._handle_times: dict[str, deque[float]] = {qid: deque(maxlen=50) for qid in self.queues}

    # ------------------------------------------------------------------ plumbing
    @property
    def now(self) -> float:
        return self.scheduler.clock.now()

    def emit(self, kind: str, contact_id: str | None = None, agent: str | None = None, **data: Any) -> None:
        event = CenterEvent(kind, contact_id, agent, data)
        for listener in list(self.listeners):
            listener(event)

    def _save(self, contact: Contact) -> None:
        self.store.save(contact)
        if contact.state is ContactState.DISCONNECTED:
            self.contacts.pop(contact.id, None)
        else:
            self.contacts[contact.id] = contact

    def contact(self, contact_id: str) -> Contact:
        contact = self.contacts.get(contact_id) or self.store.get(contact_id)
        if contact is None:
            raise UnknownContact(f"contact {contact_id} not found")
        return contact

    def queue(self, queue_ref: str) -> Queue:
        """A queue by id or ARN."""
        queue = self.queues.get(queue_ref) or self.definitions.queue_by_arn(queue_ref)
        if queue is None:
            raise UnknownQueue(f"queue {queue_ref} not found")
        return queue

    def agent(self, username: str) -> Agent:
        agent = self.agents.get(username)
        if agent is None:
            raise UnknownAgent(f"agent {username} not found")
        return agent

    # ------------------------------------------------------------------ contacts
    def new_contact(
        self,
        method: InitiationMethod,
        customer_number: str,
        system_number: str,
        *,
        flow_id: str | None = None,
        attributes: dict[str, str] | None = None,
        queue_id: str | None = None,
        previous: Contact | None = None,
        name: str | None = None,
        description: str | None = None,
        channel: str = "VOICE",
    ) -> Contact:
        contact_id = str(uuid.uuid4())
        contact = Contact(
            id=contact_id,
            initiation_method=method,
            customer_number=customer_number,
            system_number=system_number,
            initiated_at=self.now,
            initial_contact_id=previous.initial_contact_id if previous else contact_id,
            previous_contact_id=previous.id if previous else None,
            flow_id=flow_id,
            queue_id=queue_id,
            attributes=dict(attributes or {}),
            callback_max_attempts=self.settings.callback_max_attempts,
            name=name,
            description=description,
            channel=channel,
        )
        if previous is not None:
            contact.priority = previous.priority
            contact.time_adjustment = previous.time_adjustment
        self._save(contact)
        self.emit("contact_created", contact.id, method=str(method), customer=customer_number)
        return contact

    def update_attributes(self, contact_id: str, attributes: dict[str, str]) -> Contact:
        contact = self.contact(contact_id)
        contact.attributes.update({str(k): str(v) for k, v in attributes.items()})
        self.store.save(contact)
        return contact

    def set_routing(
        self,
        contact_id: str,
        *,
        queue_id: str | None = None,
        priority: int | None = None,
        time_adjustment: float | None = None,
    ) -> Contact:
        """The flow's UpdateContactTargetQueue / UpdateContactRoutingBehavior (also while queued)."""
        contact = self.contact(contact_id)
        queued = contact.state is ContactState.QUEUED
        if queued:
            self._line_remove(contact)  # from the line it is in, before its queue may change
        if queue_id is not None:
            contact.queue_id = self.queue(queue_id).id
        if priority is not None:
            contact.priority = priority
        if time_adjustment is not None:
            contact.time_adjustment = time_adjustment
        if queued and contact.queue_id:
            self._line_add(contact, keep_arrival=True)
            self._dispatch()
        self.store.save(contact)
        return contact

    def set_disconnect_flow(self, contact_id: str, flow_ref: str | None) -> None:
        """The contact's CustomerRemaining hook (kept on the contact record's row, not shown in it)."""
        contact = self.contact(contact_id)
        contact.disconnect_flow = flow_ref
        self.store.save(contact)

    def record_survey(self, contact_id: str, answers: dict[str, str]) -> None:
        contact = self.contact(contact_id)
        contact.survey.update(answers)
        self.store.save(contact)

    def enqueue(self, contact_id: str, queue_id: str | None = None) -> Contact:
        """TransferContactToQueue: put the contact in its target queue (QueueAtCapacity if full)."""
        contact = self.contact(contact_id)
        target = self.queue(queue_id or contact.queue_id or "")
        if contact.state is not ContactState.IN_FLOW:
            raise InvalidTransition(f"contact {contact_id} is {contact.state}, not in a flow")
        self._check_capacity(target)
        contact.queue_id = target.id
        contact.state = ContactState.QUEUED
        if contact.enqueued_at is None:
            contact.enqueued_at = self.now
        self._line_add(contact, keep_arrival=False)
        self._save(contact)
        self.emit("queued", contact.id, queue=target.id, queue_name=target.name, **self.wait_info(contact.id))
        self._schedule_delay_checks(target.id, contact)
        self._dispatch()
        return contact

    def _check_capacity(self, target: Queue) -> None:
        limit = target.max_contacts
        if self.settings.enforce_capacity and limit is not None and len(self.lines[target.id]) >= limit:
            raise QueueAtCapacity(f"queue {target.name} is at capacity ({limit})")

    def create_callback(
        self,
        contact_id: str,
        callback_number: str,
        queue_id: str | None = None,
        *,
        initial_delay: float = 0.0,
        max_attempts: int | None = None,
        retry_delay: float | None = None,
        creation_flow: bool = False,
    ) -> Contact:
        """A queued callback that keeps the caller's place (same enqueue time and priority).

        With an initial delay it waits (SCHEDULED) before it joins the queue, still in its place.
        With a creation flow (CreateCallbackContact's ContactFlowId) it stays IN_FLOW: that flow runs
        on the callback contact and queues it (TransferContactToQueue); the initial delay is ignored,
        as the API reference says.
        """
        original = self.contact(contact_id)
        target = self.queue(queue_id or original.queue_id or "")
        callback = self.new_contact(
            InitiationMethod.CALLBACK,
            callback_number,
            original.system_number,
            attributes=original.attributes,
            queue_id=target.id,
            previous=original,
        )
        callback.enqueued_at = original.enqueued_at or self.now
        callback.language = original.language
        if max_attempts is not None:
            callback.callback_max_attempts = max(1, max_attempts)
        callback.callback_retry_delay = retry_delay
        if creation_flow:
            self._save(callback)
            self.emit("callback_created", callback.id, queue=target.id, previous=original.id)
            return callback
        if initial_delay > 0:
            callback.state = ContactState.SCHEDULED
            callback.next_attempt_at = self.now + initial_delay
            self._save(callback)
            self.scheduler.call_at(callback.next_attempt_at, partial(self._retry_callback, callback.id))
            self.emit(
                "callback_scheduled",
                callback.id,
                queue=target.id,
                previous=original.id,
                at=callback.next_attempt_at,
            )
            return callback
        callback.state = ContactState.QUEUED
        self._line_add(callback, keep_arrival=False)
        self._save(callback)
        self.emit(
            "callback_queued", callback.id, queue=target.id, previous=original.id, number=callback_number
        )
        self._schedule_delay_checks(target.id, callback)
        self._dispatch()
        return callback

    def customer_disconnected(self, contact_id: str) -> None:
        """The customer hung up, wherever the contact was."""
        contact = self.contact(contact_id)
        if contact.state is ContactState.DISCONNECTED:
            return
        agent = self.agents.get(contact.agent_username or "")
        if contact.state is ContactState.OFFERED and agent is not None:
            self._cancel_offer(contact.id)
            self._set_agent(agent, AgentState.AVAILABLE, contact_id=None, keep_idle=True)
        self._line_remove(contact)
        self._keys.pop(contact.id, None)
        if contact.state in (ContactState.CONNECTED, ContactState.DIALING) and agent is not None:
            self._to_after_contact_work(agent, contact)
        self._finish(contact, DisconnectReason.CUSTOMER_DISCONNECT)
        self._dispatch()

    def flow_disconnected(
        self, contact_id: str, reason: str = DisconnectReason.CONTACT_FLOW_DISCONNECT
    ) -> None:
        contact = self.contact(contact_id)
        if contact.state is not ContactState.DISCONNECTED:
            self.customer_disconnected(contact_id)
            contact.disconnect_reason = str(reason)
            self.store.save(contact)

    def stop_contact(self, contact_id: str, reason: str = DisconnectReason.API) -> None:
        """StopContact: ends the contact wherever it is, like the customer hanging up."""
        contact = self.contact(contact_id)
        if contact.state is ContactState.DISCONNECTED:
            raise UnknownContact(f"contact {contact_id} has already ended")
        self.customer_disconnected(contact_id)
        contact.disconnect_reason = str(reason)
        self.store.save(contact)
        self.emit("stopped", contact.id, reason=str(reason))

    def _finish(self, contact: Contact, reason: str, detail: str | None = None) -> None:
        self._agent_transfers.discard(contact.id)
        contact.state = ContactState.DISCONNECTED
        contact.disconnected_at = self.now
        contact.disconnect_reason = str(reason)
        contact.disconnect_detail = detail
        contact.on_hold = False
        self._save(contact)
        self.emit("disconnected", contact.id, contact.agent_username, reason=str(reason))

    # ------------------------------------------------------------------ queue bookkeeping
    def _line_add(self, contact: Contact, *, keep_arrival: bool) -> None:
        assert contact.queue_id is not None
        old = self._keys.get(contact.id)
        arrival = old[2] if (old and keep_arrival) else next(self._arrivals)
        key = (contact.priority, contact.routing_time, arrival, contact.id)
        self._keys[contact.id] = key
        self.lines[contact.queue_id].add(key)

    def _line_remove(self, contact: Contact) -> None:
        if contact.queue_id in self.lines:
            self.lines[contact.queue_id].remove(contact.id)

    def _requeue_in_place(self, contact: Contact) -> None:
        """Back in the queue with the key it had (a missed offer, a callback retry)."""
        contact.state = ContactState.QUEUED
        contact.agent_username = None
        key = self._keys.get(contact.id)
        if key is None:
            self._line_add(contact, keep_arrival=False)
        else:
            assert contact.queue_id is not None
            self.lines[contact.queue_id].add(key)
        self._save(contact)

    def position(self, contact_id: str) -> int | None:
        contact = self.contacts.get(contact_id)
        if contact is None or contact.queue_id is None:
            return None
        return self.lines[contact.queue_id].position(contact_id)

    def _schedule_delay_checks(self, queue_id: str, contact: Contact) -> None:
        """Routing-profile delays: look again when the contact becomes eligible for delayed agents."""
        delays = {pq.delay for queues in self.profiles.values() for pq in queues if pq.queue_id == queue_id}
        for delay in sorted(d for d in delays if d > 0):
            self.scheduler.call_at(contact.routing_time + delay, self._dispatch)

    # ------------------------------------------------------------------ routing
    def best_contact_for(self, agent: Agent) -> Contact | None:
        """The contact this agent should be offered next, or None (the routing decision)."""
        best: Contact | None = None
        best_rank: tuple[int, int, float, int] | None = None
        now = self.now
        for pq in self.profiles.get(agent.routing_profile_id, ()):
            line = self.lines[pq.queue_id]
            for key in line.in_order():
                # Only contacts of a channel the profile takes from this queue (a TASK waits for an
                # agent whose routing profile takes tasks; the queue config's Channel, the
                # profile's MediaConcurrencies: AWS::Connect::RoutingProfile).
                if self.contacts[key[3]].channel != pq.channel:
                    continue
                if pq.delay > 0 and now - key[1] < pq.delay:
                    continue
                rank = (pq.priority, key[0], key[1], key[2])
                if best_rank is None or rank < best_rank:
                    best_rank, best = rank, self.contacts[key[3]]
                break
        return best

    def _dispatch(self) -> None:
        """Offer waiting work to free agents, the longest idle first."""
        started, started_cpu = time.perf_counter(), time.thread_time()
        free = sorted(
            (a for a in self.agents.values() if a.state is AgentState.AVAILABLE), key=lambda a: a.idle_since
        )
        for agent in free:
            contact = self.best_contact_for(agent)
            if contact is not None:
                self._offer(agent, contact)
        if free:  # a decision was made (with nobody free there is nothing to decide)
            COUNTERS.routed(time.perf_counter() - started, time.thread_time() - started_cpu)

    def _offer(self, agent: Agent, contact: Contact) -> None:
        if contact.queue_id in self.lines:
            self.lines[contact.queue_id].remove(contact.id)
        contact.state = ContactState.OFFERED
        contact.agent_username = agent.username
        self._save(contact)
        self._set_agent(agent, AgentState.INCOMING, contact_id=contact.id)
        self._offer_timers[contact.id] = self.scheduler.call_later(
            self.settings.offer_timeout, lambda: self._offer_expired(agent.username, contact.id)
        )
        self.emit(
            "offered",
            contact.id,
            agent.username,
            queue=contact.queue_id,
            method=str(contact.initiation_method),
        )

    def _cancel_offer(self, contact_id: str) -> None:
        timer = self._offer_timers.pop(contact_id, None)
        if timer is not None:
            timer.cancel()

    def _offer_expired(self, username: str, contact_id: str) -> None:
        self._offer_timers.pop(contact_id, None)
        self._unoffer(username, contact_id, reason="missed")

    def _unoffer(self, username: str, contact_id: str, reason: str) -> None:
        agent = self.agent(username)
        contact = self.contacts.get(contact_id)
        if contact is None or contact.state is not ContactState.OFFERED or agent.contact_id != contact_id:
            return
        queue = self.queues.get(contact.queue_id or "")
        source = f"a call from {queue.name}" if queue else "a call"
        if reason == "missed":
            why = f"Missed {source}: it was not accepted within {self.settings.offer_timeout:g} s"
        else:
            why = f"You rejected {source}"
        if contact_id in self._agent_transfers:
            # Sent to this agent alone (TransferContactToAgent): there is no queue to go back to.
            # What Connect does with a missed agent transfer is not in the reference; not settled.
            detail = f"{why} and it was disconnected. Choose Available to take calls again."
            self._set_agent(agent, AgentState.MISSED, contact_id=None, reason=reason, detail=detail)
            self._agent_transfers.discard(contact_id)
            contact.agent_username = None
            self._finish(contact, DisconnectReason.CONTACT_FLOW_DISCONNECT, f"agent {username} {reason} it")
            self.emit(reason, contact_id, username, detail=detail)
            self._dispatch()
            return
        detail = f"{why} and it went back to the queue. Choose Available to take calls again."
        self._set_agent(agent, AgentState.MISSED, contact_id=None, reason=reason, detail=detail)
        self._requeue_in_place(contact)
        self.emit(reason, contact_id, username, detail=detail)
        self._dispatch()

    # ------------------------------------------------------------------ agents
    def add_agent(self, username: str, first_name: str, last_name: str, routing_profile_id: str) -> Agent:
        if routing_profile_id not in self.profiles:
            raise AcdError(f"routing profile {routing_profile_id} not found")
        agent = Agent(username, first_name, last_name, routing_profile_id, state_since=self.now)
        self.agents[username] = agent
        return agent

    def _set_agent(
        self,
        agent: Agent,
        state: AgentState,
        *,
        contact_id: str | None,
        keep_idle: bool = False,
        reason: str | None = None,
        detail: str | None = None,
    ) -> None:
        agent.state = state
        agent.state_since = self.now
        agent.contact_id = contact_id
        agent.state_reason, agent.state_detail = reason, detail
        if state is AgentState.AVAILABLE and not keep_idle:
            agent.idle_since = self.now
        self.emit("agent_state", contact_id, agent.username, state=str(state), reason=reason, detail=detail)

    # ------------------------------------------------------------------ desk presence
    def desk_heartbeat(self, username: str) -> Agent:
        """A desk page showing this agent is alive: watch it, and take it as lost when it falls silent."""
        agent = self.agent(username)
        agent.desk_seen = self.presence_clock.now()
        if username not in self._desk_timers:
            self._watch_desk(username, self.settings.desk_timeout)
        return agent

    def _watch_desk(self, username: str, delay: float) -> None:
        self._desk_timers[username] = self.scheduler.call_later(delay, partial(self._check_desk, username))

    def _check_desk(self, username: str) -> None:
        self._desk_timers.pop(username, None)
        agent = self.agents.get(username)
        if agent is None or agent.desk_seen is None:
            return
        silence = self.presence_clock.now() - agent.desk_seen
        if silence < self.settings.desk_timeout:
            self._watch_desk(username, self.settings.desk_timeout - silence)
            return
        self.desk_lost(
            username,
            "desk_lost",
            f"Set to Offline: your desk stopped answering for {self.settings.desk_timeout:g} s "
            "(tab closed, computer asleep or connection lost). Choose Available to take calls again.",
        )

    def sign_out(self, username: str) -> Agent:
        """The agent signed out of the desk (or closed it): Offline, as the CCP does on logout."""
        return self.desk_lost(
            username,
            "signed_out",
            "Set to Offline when you signed out. Choose Available to take calls again.",
        )

    def desk_lost(self, username: str, reason: str, detail: str) -> Agent:
        """Nobody is at this agent's desk: stop routing to them.

        An offer being rung goes back to its place in the queue (the next agent gets it); after-contact
        work is closed. A live call is left alone (the customer is still talking to someone who may
        reopen the desk); the agent goes Offline once it ends, if the desk has not come back.
        """
        agent = self.agent(username)
        timer = self._desk_timers.pop(username, None)
        if timer is not None:
            timer.cancel()
        if agent.state is AgentState.ON_CONTACT:
            agent.desk_seen = self.presence_clock.now() - self.settings.desk_timeout
            self._watch_desk(username, self.settings.desk_timeout)
            return agent
        agent.desk_seen = None
        contact = self.contacts.get(agent.contact_id or "")
        if agent.state is AgentState.INCOMING and contact is not None:
            self._cancel_offer(contact.id)
            self._requeue_in_place(contact)
            self.emit("offer_withdrawn", contact.id, username, detail=detail)
        if agent.state is not AgentState.OFFLINE:
            self._set_agent(agent, AgentState.OFFLINE, contact_id=None, reason=reason, detail=detail)
        self._dispatch()
        return agent

    def set_agent_state(self, username: str, state: str) -> Agent:
        """What the agent chooses: Available or Offline (the rest are system states)."""
        agent = self.agent(username)
        try:
            wanted = AgentState(state)
        except ValueError:
            raise InvalidTransition(f"{state!r} is not an agent state") from None
        if wanted not in (AgentState.AVAILABLE, AgentState.OFFLINE):
            raise InvalidTransition(f"an agent cannot choose {wanted}")
        if agent.state in (AgentState.INCOMING, AgentState.ON_CONTACT):
            raise InvalidTransition(f"{username} is {agent.state}: finish the contact first")
        if agent.state is AgentState.AFTER_CONTACT_WORK and agent.contact_id:
            self._close_after_contact_work(agent)
        if agent.state is not wanted:
            self._set_agent(agent, wanted, contact_id=None)
        if wanted is AgentState.AVAILABLE:
            self._dispatch()
        return agent

    def _agent_contact(self, username: str, contact_id: str, *states: ContactState) -> tuple[Agent, Contact]:
        agent = self.agent(username)
        contact = self.contact(contact_id)
        if contact.agent_username != username or agent.contact_id != contact_id:
            raise InvalidTransition(f"contact {contact_id} is not with {username}")
        if states and contact.state not in states:
            raise InvalidTransition(f"contact {contact_id} is {contact.state}")
        return agent, contact

    def accept(self, username: str, contact_id: str) -> Contact:
        agent, contact = self._agent_contact(username, contact_id, ContactState.OFFERED)
        self._cancel_offer(contact_id)
        self._set_agent(agent, AgentState.ON_CONTACT, contact_id=contact_id)
        if contact.initiation_method is InitiationMethod.CALLBACK:
            # Connect's queued callback: the agent is connected first, then the customer is dialled.
            contact.state = ContactState.DIALING
            contact.callback_attempts += 1
            self._save(contact)
            self.emit(
                "dial_customer",
                contact.id,
                username,
                number=contact.customer_number,
                attempt=contact.callback_attempts,
            )
        else:
            self._connect(agent, contact)
        return contact

    def _connect(self, agent: Agent, contact: Contact) -> None:
        self._agent_transfers.discard(contact.id)
        contact.state = ContactState.CONNECTED
        contact.connected_at = self.now
        self._keys.pop(contact.id, None)
        if contact.queue_id and contact.enqueued_at is not None:
            self._waits[contact.queue_id].append(contact.connected_at - contact.enqueued_at)
        self._save(contact)
        self.emit("connected", contact.id, agent.username, customer=contact.customer_number)

    def reject(self, username: str, contact_id: str) -> None:
        self._agent_contact(username, contact_id, ContactState.OFFERED)
        self._cancel_offer(contact_id)
        self._unoffer(username, contact_id, reason="rejected")

    def start_outbound(self, username: str, number: str, caller_id: str) -> Contact:
        """The agent dials a number from the desk: an OUTBOUND contact, the agent On contact at once.

        As the CCP does (Connect admin guide, contact-initiation-methods, "Outbound": an agent-initiated
        call to an external number): the contact is in the routing profile's default outbound queue
        (its metrics and caller id) and the customer's phone rings; on answer they are connected. An
        agent may dial when not busy with a contact; in after-contact work that work is closed first.
        """
        agent = self.agent(username)
        if agent.state in (AgentState.INCOMING, AgentState.ON_CONTACT):
            raise InvalidTransition(f"{username} is {agent.state}: finish the contact first")
        if agent.state is AgentState.AFTER_CONTACT_WORK:
            self._close_after_contact_work(agent)
        profile = next(
            (rp for rp in self.definitions.routing_profiles.values() if rp.id == agent.routing_profile_id),
            None,
        )
        outbound_queue = (
            self.definitions.queues[profile.default_outbound_queue_logical_id].id if profile else None
        )
        contact = self.new_contact(InitiationMethod.OUTBOUND, number, caller_id, queue_id=outbound_queue)
        contact.agent_username = username
        contact.state = ContactState.DIALING
        self._save(contact)
        self._set_agent(agent, AgentState.ON_CONTACT, contact_id=contact.id)
        self.emit("dial_customer", contact.id, username, number=number, attempt=1)
        return contact

    def callback_answered(self, contact_id: str) -> None:
        """The customer answered the call an agent is waiting on (a queued callback, an outbound call)."""
        contact = self.contact(contact_id)
        if contact.state is not ContactState.DIALING:
            raise InvalidTransition(f"contact {contact_id} is {contact.state}, not dialling")
        self._connect(self.agent(contact.agent_username or ""), contact)

    def callback_not_answered(self, contact_id: str) -> None:
        """No answer: the agent moves on; retry after a delay, or record the callback as failed.

        An agent's outbound call is not retried: it ends (CUSTOMER_NOT_ANSWERED) and the agent goes to
        after-contact work, as when they hang up.
        """
        contact = self.contact(contact_id)
        if contact.state is not ContactState.DIALING:
            return
        agent = self.agents.get(contact.agent_username or "")
        if contact.initiation_method is InitiationMethod.OUTBOUND:
            if agent is not None:
                self._set_agent(agent, AgentState.AFTER_CONTACT_WORK, contact_id=contact.id)
            self._keys.pop(contact.id, None)
            self._finish(contact, DisconnectReason.CUSTOMER_NOT_ANSWERED, "the customer did not answer")
            return
        if agent is not None:
            self._set_agent(agent, AgentState.AFTER_CONTACT_WORK, contact_id=None)
        contact.agent_username = None
        if contact.callback_attempts >= contact.callback_max_attempts:
            self._keys.pop(contact.id, None)
            self._finish(
                contact,
                DisconnectReason.CALLBACK_ATTEMPTS_EXHAUSTED,
                f"no answer after {contact.callback_attempts} attempts",
            )
            return
        contact.state = ContactState.SCHEDULED
        delay = contact.callback_retry_delay
        contact.next_attempt_at = self.now + (self.settings.callback_retry_delay if delay is None else delay)
        self._save(contact)
        self.emit(
            "callback_retry_scheduled",
            contact.id,
            at=contact.next_attempt_at,
            attempts=contact.callback_attempts,
        )
        self.scheduler.call_at(contact.next_attempt_at, lambda: self._retry_callback(contact.id))

    def _retry_callback(self, contact_id: str) -> None:
        contact = self.contacts.get(contact_id)
        if contact is None or contact.state is not ContactState.SCHEDULED:
            return
        contact.next_attempt_at = None
        self._requeue_in_place(contact)
        assert contact.queue_id is not None
        self._schedule_delay_checks(contact.queue_id, contact)
        self.emit("callback_queued", contact.id, queue=contact.queue_id, retry=True)
        self._dispatch()

    def hold(self, username: str, contact_id: str, on_hold: bool) -> Contact:
        _, contact = self._agent_contact(username, contact_id, ContactState.CONNECTED)
        contact.on_hold = on_hold
        self.store.save(contact)
        self.emit("hold" if on_hold else "resumed", contact_id, username)
        return contact

    def end(self, username: str, contact_id: str) -> Contact:
        """The agent hangs up: the contact ends for the agent, who goes to after-contact work."""
        agent, contact = self._agent_contact(
            username, contact_id, ContactState.CONNECTED, ContactState.DIALING
        )
        self._to_after_contact_work(agent, contact)
        if contact.state is ContactState.DIALING:
            self._finish(contact, DisconnectReason.AGENT_DISCONNECT, "ended while dialling the customer")
        else:
            self._finish(contact, DisconnectReason.AGENT_DISCONNECT)
        self.emit("agent_hung_up", contact_id, username)
        return contact

    def _to_after_contact_work(self, agent: Agent, contact: Contact) -> None:
        if contact.connected_at is not None and contact.queue_id:
            self._handle_times[contact.queue_id].append(self.now - contact.connected_at)
        self._set_agent(agent, AgentState.AFTER_CONTACT_WORK, contact_id=contact.id)

    def _close_after_contact_work(self, agent: Agent) -> None:
        agent.contact_id = None

    def complete_after_contact_work(self, username: str) -> Agent:
        agent = self.agent(username)
        if agent.state is not AgentState.AFTER_CONTACT_WORK:
            raise InvalidTransition(f"{username} is {agent.state}, not in after-contact work")
        return self.set_agent_state(username, AgentState.AVAILABLE)

    def transfer(self, username: str, contact_id: str, queue_ref: str) -> Contact:
        """Transfer to a queue: a new TRANSFER contact (same initial contact) waits in the target queue."""
        agent, contact = self._agent_contact(username, contact_id, ContactState.CONNECTED)
        target = self.queue(queue_ref)
        self._check_capacity(target)  # refused before the agent's contact ends, which stays connected
        self._to_after_contact_work(agent, contact)
        self._finish(contact, DisconnectReason.TRANSFERRED, f"to {target.name}")
        moved = self.new_contact(
            InitiationMethod.TRANSFER,
            contact.customer_number,
            contact.system_number,
            attributes=contact.attributes,
            queue_id=target.id,
            previous=contact,
        )
        self.emit(
            "transferred", contact.id, username, new_contact=moved.id, queue=target.id, queue_name=target.name
        )
        self.enqueue(moved.id, target.id)
        return moved

    def transfer_to_agent(self, contact_id: str, username: str) -> bool:
        """TransferContactToAgent: "Ends the current flow and transfers the customer to an agent. If
        the agent is already with someone else, the contact is disconnected"; "If the agent is in After
        Contact Work, they are automatically removed from ACW"; voice only (Flow Language reference,
        contact-actions-transfercontacttoagent; admin guide, transfer-to-agent-block). The contact is
        offered to that agent alone. Returns True when offered, False when disconnected. An agent
        who is Offline or has Missed an offer is not "with someone else"; the reference does not say
        what happens then, so the contact is disconnected too (not settled)."""
        contact = self.contact(contact_id)
        if contact.state not in (ContactState.IN_FLOW, ContactState.QUEUED):
            raise InvalidTransition(f"contact {contact_id} is {contact.state}, not in a flow or a queue")
        if contact.channel != "VOICE":
            raise InvalidTransition(
                f"contact {contact_id} is {contact.channel}: transfer to agent is voice only"
            )
        agent = self.agent(username)
        self._line_remove(contact)
        if agent.state is AgentState.AFTER_CONTACT_WORK:
            self._close_after_contact_work(agent)
            self._set_agent(agent, AgentState.AVAILABLE, contact_id=None)
        if agent.state is not AgentState.AVAILABLE:
            self._finish(
                contact, DisconnectReason.CONTACT_FLOW_DISCONNECT, f"agent {username} is {agent.state}"
            )
            return False
        self._agent_transfers.add(contact.id)
        self._offer(agent, contact)
        return True

    def create_task(
        self,
        name: str,
        *,
        description: str | None,
        attributes: dict[str, str],
        references: dict[str, str],
        flow_id: str | None,
        scheduled_at: float | None = None,
    ) -> Contact:
        """CreateTask: a new TASK contact that runs its flow (the runtime starts it, at scheduled_at
        when DelaySeconds/ScheduledTime set one). InitiationMethod API, as a task started by
        StartTaskContact; what Connect records for a flow-created task is not settled. There is no
        customer endpoint. Flow Language reference, createtask."""
        task = self.new_contact(
            InitiationMethod.API,
            "",
            "",
            flow_id=flow_id,
            attributes=attributes,
            name=name,
            description=description,
            channel="TASK",
        )
        task.task_references, task.scheduled_at = dict(references), scheduled_at
        self._save(task)
        return task

    def queue_to_queue(self, contact_id: str, queue_ref: str) -> Contact:
        """DequeueContactAndTransferToQueue (a customer queue flow): the waiting contact leaves its
        queue and "a new contact segment is created with the existing contact as its previous
        contact, and the new contact is placed into the specified queue"; it fails when the contact
        is not waiting in a queue (offered to or connected to an agent). Flow Language reference,
        contact-actions-dequeuecontactandtransfertoqueue."""
        contact = self.contact(contact_id)
        if contact.state is not ContactState.QUEUED:
            raise InvalidTransition(f"contact {contact_id} is {contact.state}, not waiting in a queue")
        target = self.queue(queue_ref)
        self._check_capacity(target)  # refused before the contact leaves its queue
        self._line_remove(contact)
        self._finish(contact, DisconnectReason.TRANSFERRED, f"to {target.name}")
        moved = self.new_contact(
            InitiationMethod.TRANSFER,
            contact.customer_number,
            contact.system_number,
            attributes=contact.attributes,
            queue_id=target.id,
            previous=contact,
        )
        moved.language, moved.tags = contact.language, dict(contact.tags)
        self.emit(
            "transferred", contact.id, None, new_contact=moved.id, queue=target.id, queue_name=target.name
        )
        self.enqueue(moved.id, target.id)
        return moved

    # ------------------------------------------------------------------ metrics and estimates
    def agents_for_queue(self, queue_id: str) -> list[Agent]:
        return [
            a
            for a in self.agents.values()
            if any(pq.queue_id == queue_id for pq in self.profiles.get(a.routing_profile_id, ()))
        ]

    def estimated_wait(self, queue_id: str, ahead: int | None = None) -> float | None:
        """Seconds a contact with `ahead` contacts before it can expect to wait (None: nobody staffed).

        Handle time is the mean of the queue's recent contacts (a default before any); the queue is
        served by its staffed agents in parallel, and free agents take the first contacts at once.
        """
        staff = [a for a in self.agents_for_queue(queue_id) if a.state is not AgentState.OFFLINE]
        if not staff:
            return None
        waiting = len(self.lines[queue_id]) if ahead is None else ahead
        free = sum(1 for a in staff if a.state is AgentState.AVAILABLE)
        if waiting < free:
            return 0.0
        times = self._handle_times[queue_id]
        handle = sum(times) / len(times) if times else self.settings.default_handle_time
        return round(((waiting - free) // len(staff) + 1) * handle, 1)

    def wait_info(self, contact_id: str) -> dict[str, Any]:
        contact = self.contacts.get(contact_id)
        if contact is None or contact.queue_id is None:
            return {}
        ahead = self.position(contact_id)
        return {"position": ahead, "estimated_wait": self.estimated_wait(contact.queue_id, ahead)}

    def queue_metrics(self, queue_id: str) -> dict[str, float | int | None]:
        waiting = [
            c
            for c in self.contacts.values()
            if c.queue_id == queue_id and c.state in (ContactState.QUEUED, ContactState.OFFERED)
        ]
        oldest = min((c.enqueued_at or c.initiated_at for c in waiting), default=None)
        return {
            "CONTACTS_IN_QUEUE": len(waiting),
            "OLDEST_CONTACT_AGE": round(self.now - oldest, 3) if oldest is not None else 0,
            **agent_counts(self.agents_for_queue(queue_id)),
            "CONTACTS_SCHEDULED": sum(
                1
                for c in self.contacts.values()
                if c.queue_id == queue_id and c.state is ContactState.SCHEDULED
            ),
            "ESTIMATED_WAIT_TIME": self.estimated_wait(queue_id),
        }

    # ------------------------------------------------------------------ restart
    def recover(self) -> tuple[list[Contact], list[Contact]]:
        """After a restart: queued callbacks resume in place; calls cut off mid-flight are closed."""
        resumed: list[Contact] = []
        closed: list[Contact] = []
        for contact in self.store.open_contacts():
            is_callback = contact.initiation_method is InitiationMethod.CALLBACK
            if is_callback and contact.queue_id in self.lines and contact.state is not ContactState.CONNECTED:
                contact.agent_username = None
                self.contacts[contact.id] = contact
                if contact.state is ContactState.SCHEDULED and contact.next_attempt_at:
                    self.scheduler.call_at(contact.next_attempt_at, partial(self._retry_callback, contact.id))
                    self._save(contact)
                else:
                    contact.state = ContactState.QUEUED
                    self._line_add(contact, keep_arrival=False)
                    self._save(contact)
                    self._schedule_delay_checks(contact.queue_id, contact)  # the old timers died
                resumed.append(contact)
            else:
                contact.state = ContactState.DISCONNECTED
                contact.disconnected_at = self.now
                contact.disconnect_reason = str(DisconnectReason.TELECOM_PROBLEM)
                contact.disconnect_detail = "the local runtime stopped while this call was in progress"
                self.store.save(contact)
                closed.append(contact)
        return resumed, closed

    def open_contacts(self) -> Iterable[Contact]:
        return self.contacts.values()
