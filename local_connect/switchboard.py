"""The local telephone network: test phones, calls, ringing, and the hand-offs between flow and ACD.

A phone is a number that someone (the browser phone, the terminal phone, a test) listens on. Calls
are contacts of the ACD; the switchboard moves each one between its phases:

    ringing  the network rings the customer (outbound API call, queued callback)
    ivr      a flow runs: prompts go to the phone as text, digits come back from it
    queued   waiting for an agent (the queue flow may still talk to the caller)
    agent    connected to an agent
    ended

Flows are run by a `FlowRunner` (the flow engine), which talks back through the switchboard's
`say` / `transfer_to_queue` / `end_flow` methods. Everything runs under the runtime lock.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from local_connect.acd import CenterEvent, ContactCenter, ContactState, DisconnectReason, InitiationMethod
from local_connect.channels import Channels, EventChannel, jsonable
from local_connect.clock import Scheduler, Timer
from local_connect.definitions import ContactFlowDef, Definitions

_log = logging.getLogger("local_connect.switchboard")


class FlowRunner(Protocol):
    """What the switchboard needs from the flow engine."""

    def start(self, contact_id: str, flow: ContactFlowDef | str, /) -> object:
        """Run `flow` for the contact, from its start action, until it waits for the caller or ends."""

    def digits(self, contact_id: str, digits: str, /) -> None:
        """The caller pressed keys."""

    def stop(self, contact_id: str, /) -> None:
        """The contact left the flow (caller hung up, an agent answered): forget its session."""


class TelephonyError(Exception):
    code = "InvalidState"


@dataclass
class Call:
    contact_id: str
    number: str  # the customer's number (the phone on this call)
    phase: str = "ringing"
    flow: ContactFlowDef | None = None
    ring_timer: Timer | None = None


@dataclass
class Phone:
    number: str
    channel: EventChannel
    contact_id: str | None = None  # the call this phone is on or ringing with
    ringing: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def public(self) -> dict[str, Any]:
        return {"number": self.number, "contactId": self.contact_id, "ringing": self.ringing}


class Switchboard:
    def __init__(
        self,
        definitions: Definitions,
        center: ContactCenter,
        scheduler: Scheduler,
        channels: Channels,
        inbound_numbers: Mapping[str, str],
        *,
        ring_timeout: float = 30.0,
    ) -> None:
        self.definitions = definitions
        self.center = center
        self.scheduler = scheduler
        self.channels = channels
        self.inbound_numbers = dict(inbound_numbers)  # our number -> flow logical id
        self.ring_timeout = ring_timeout
        self.flows: FlowRunner | None = None
        self.phones: dict[str, Phone] = {}
        self.calls: dict[str, Call] = {}
        center.listeners.append(self._on_center_event)

    # ------------------------------------------------------------------ phones
    def phone(self, number: str) -> Phone:
        """The phone at `number` (a phone exists once anyone listens on or dials from it)."""
        phone = self.phones.get(number)
        if phone is None:
            phone = self.phones[number] = Phone(number, self.channels.get(f"phone:{number}"))
        return phone

    def _tell(self, number: str, kind: str, **data: Any) -> None:
        self.phone(number).channel.publish(kind, **data)

    def _call_of(self, number: str) -> Call:
        phone = self.phone(number)
        call = self.calls.get(phone.contact_id or "")
        if call is None:
            raise TelephonyError(f"{number} is not on a call")
        return call

    def dial(self, from_number: str, to_number: str) -> str:
        """A test phone calls one of our numbers: a new inbound contact runs the number's flow."""
        phone = self.phone(from_number)
        if phone.contact_id is not None:
            raise TelephonyError(f"{from_number} is already on a call")
        flow_logical = self.inbound_numbers.get(to_number)
        if flow_logical is None:
            raise TelephonyError(f"{to_number} is not a number of this contact center")
        flow = self.definitions.flows[flow_logical]
        contact = self.center.new_contact(InitiationMethod.INBOUND, from_number, to_number, flow_id=flow.id)
        phone.contact_id = contact.id
        call = self.calls[contact.id] = Call(contact.id, from_number, phase="ivr", flow=flow)
        self._tell(from_number, "call_started", contactId=contact.id, direction="outgoing", to=to_number)
        self._run_flow(call, flow)
        return contact.id

    def answer(self, number: str) -> str:
        phone = self.phone(number)
        if not phone.ringing or phone.contact_id is None:
            raise TelephonyError(f"{number} is not ringing")
        call = self.calls[phone.contact_id]
        phone.ringing = False
        if call.ring_timer is not None:
            call.ring_timer.cancel()
        contact = self.center.contact(call.contact_id)
        self._tell(number, "answered", contactId=call.contact_id)
        if contact.state is ContactState.DIALING:  # a callback or outbound call: the agent is there
            call.phase = "agent"
            self.center.callback_answered(call.contact_id)
        elif call.flow is not None:
            call.phase = "ivr"
            self._run_flow(call, call.flow)
        return call.contact_id

    def send_digits(self, number: str, digits: str) -> None:
        if not digits or any(d not in "0123456789*#" for d in digits):
            raise TelephonyError("digits are 0-9, * and #")
        call = self._call_of(number)
        if self.flows is not None and call.phase in ("ivr", "queued"):
            self.flows.digits(call.contact_id, digits)

    def hang_up(self, number: str) -> None:
        """The customer hangs up (or declines a ringing call)."""
        call = self._call_of(number)
        phone = self.phone(number)
        if phone.ringing:
            self._not_answered(call.contact_id, declined=True)
            return
        self._stop_flow(call)
        contact = self.center.contact(call.contact_id)
        if contact.state is not ContactState.DISCONNECTED:
            self.center.customer_disconnected(call.contact_id)
        self._end_call(call, "customer hung up")

    def _ring(self, call: Call) -> None:
        phone = self.phone(call.number)
        if phone.contact_id is not None and phone.contact_id != call.contact_id:
            # Busy: the network says so at once instead of ringing.
            self.scheduler.call_later(0, lambda: self._not_answered(call.contact_id, declined=True))
            return
        phone.contact_id = call.contact_id
        phone.ringing = True
        call.phase = "ringing"
        contact = self.center.contact(call.contact_id)
        self._tell(
            call.number,
            "ringing",
            contactId=call.contact_id,
            method=str(contact.initiation_method),
            caller=contact.system_number,
        )
        call.ring_timer = self.scheduler.call_later(
            self.ring_timeout, lambda: self._not_answered(call.contact_id, declined=False)
        )

    def _not_answered(self, contact_id: str, *, declined: bool) -> None:
        call = self.calls.get(contact_id)
        if call is None or call.phase != "ringing":
            return
        phone = self.phone(call.number)
        if phone.contact_id == contact_id:
            phone.ringing = False
            phone.contact_id = None
        self._tell(call.number, "missed_call", contactId=contact_id, declined=declined)
        self.calls.pop(contact_id, None)
        contact = self.center.contact(contact_id)
        if contact.state is ContactState.DIALING:
            self.center.callback_not_answered(contact_id)  # retry later or give up: the ACD decides
        elif contact.state is not ContactState.DISCONNECTED:
            self.center.flow_disconnected(contact_id, DisconnectReason.CUSTOMER_NOT_ANSWERED)

    def _end_call(self, call: Call, why: str) -> None:
        call.phase = "ended"
        if call.ring_timer is not None:
            call.ring_timer.cancel()
        self.calls.pop(call.contact_id, None)
        phone = self.phone(call.number)
        if phone.contact_id == call.contact_id:
            phone.contact_id = None
            phone.ringing = False
        self._tell(call.number, "call_ended", contactId=call.contact_id, reason=why)

    # ------------------------------------------------------------------ the Connect API's telephony
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
        previous = None
        if related_contact_id:
            previous = self.center.contact(related_contact_id)
        contact = self.center.new_contact(
            InitiationMethod.API,
            destination,
            source,
            flow_id=flow.id,
            attributes=attributes,
            queue_id=queue_id,
            previous=previous,
            name=name,
            description=description,
        )
        call = self.calls[contact.id] = Call(contact.id, destination, flow=flow)
        self._ring(call)
        return contact.id

    def active_outbound_calls(self) -> int:
        return sum(
            1
            for call in self.calls.values()
            if self.center.contacts.get(call.contact_id) is not None
            and self.center.contacts[call.contact_id].initiation_method is not InitiationMethod.INBOUND
        )

    # ------------------------------------------------------------------ services for the flow engine
    def say(
        self,
        contact_id: str,
        text: str,
        *,
        language: str = "en-US",
        voice: str | None = None,
        ssml: bool = False,
        prompt_id: str | None = None,
        expects_input: bool = False,
    ) -> None:
        """A prompt played to the caller: the phone shows it and may speak it."""
        call = self.calls.get(contact_id)
        if call is not None:
            self._tell(
                call.number,
                "prompt",
                contactId=contact_id,
                text=text,
                ssml=ssml,
                language=language,
                voice=voice,
                promptId=prompt_id,
                expectsInput=expects_input,
            )

    def transfer_to_queue(self, contact_id: str, queue_id: str | None = None) -> None:
        """TransferContactToQueue (raises QueueAtCapacity, which the flow takes as its error branch)."""
        self.center.enqueue(contact_id, queue_id)
        call = self.calls.get(contact_id)
        if call is not None:
            call.phase = "queued"

    def set_disconnect_flow(self, contact_id: str, flow: ContactFlowDef | str | None) -> None:
        """Connect's "Set disconnect flow": run after the agent hangs up (the survey).

        An event hook of the contact (UpdateContactEventHooks CustomerRemaining), so it is kept on the
        contact: a queued callback is a new contact and carries only what a flow run on it set (its
        creation flow), whatever its phone call is (Connect admin guide, contact-initiation-methods:
        a CALLBACK contact runs the agent whisper and outbound whisper flows, nothing of the original).
        """
        ref = flow.id if isinstance(flow, ContactFlowDef) else flow
        self.center.set_disconnect_flow(contact_id, ref)

    def run_contact_flow(self, contact_id: str, flow: ContactFlowDef | str, *, delay: float = 0.0) -> None:
        """Run a flow on a contact nobody is on the line for (a callback's creation flow).

        Started from the timer loop, not inside the flow that created the contact; prompts go nowhere
        (there is no call), a TransferContactToQueue queues the contact.
        """

        def start() -> None:
            if self.flows is None:
                return
            try:
                self.flows.start(contact_id, flow)
            except Exception:
                _log.exception("flow %s failed for contact %s", flow, contact_id)
                contact = self.center.contact(contact_id)
                if contact.state is ContactState.IN_FLOW:
                    self.center.flow_disconnected(contact_id, DisconnectReason.TELECOM_PROBLEM)

        self.scheduler.call_later(delay, start)

    def end_flow(self, contact_id: str, *, disconnect: bool = True) -> None:
        """The flow reached its end (DisconnectParticipant, or fell off the end): the call is over."""
        call = self.calls.get(contact_id)
        if call is None:
            # A flow on a contact without a call (a callback's creation flow) that ends before
            # queueing it: the contact ends, as a flow that disconnects does.
            contact = self.center.contact(contact_id)
            if disconnect and contact.state is ContactState.IN_FLOW:
                if self.flows is not None:
                    self.flows.stop(contact_id)
                self.center.flow_disconnected(contact_id)
            return
        if self.flows is not None:
            self.flows.stop(contact_id)
        contact = self.center.contact(contact_id)
        if disconnect and contact.state is not ContactState.DISCONNECTED:
            self.center.flow_disconnected(contact_id)
        if disconnect:
            self._end_call(call, "the contact center ended the call")

    def _run_flow(self, call: Call, flow: ContactFlowDef | str) -> None:
        if self.flows is None:
            self._tell(call.number, "prompt", contactId=call.contact_id, text="(no flow engine loaded)")
            return
        try:
            self.flows.start(call.contact_id, flow)
        except Exception as exc:  # a flow that cannot run ends this call, never the runtime
            _log.exception("flow %s failed for contact %s", flow, call.contact_id)
            self._tell(call.number, "error", contactId=call.contact_id, detail=f"the flow failed: {exc}")
            contact = self.center.contact(call.contact_id)
            if contact.state is not ContactState.DISCONNECTED:
                self.center.flow_disconnected(call.contact_id, DisconnectReason.TELECOM_PROBLEM)
            self._end_call(call, "the flow failed")

    def _stop_flow(self, call: Call) -> None:
        if self.flows is not None:
            self.flows.stop(call.contact_id)

    # ------------------------------------------------------------------ what the ACD tells us
    def _on_center_event(self, event: CenterEvent) -> None:
        call = self.calls.get(event.contact_id or "")
        kind = event.kind
        if kind == "dial_customer" and event.contact_id:  # a queued callback or an agent's outbound call
            contact = self.center.contact(event.contact_id)
            call = self.calls[contact.id] = Call(contact.id, contact.customer_number)
            self._ring(call)
        elif call is None:
            return
        elif kind == "queued":
            self._tell(call.number, "queued", contactId=call.contact_id, **jsonable(event.data))
        elif kind == "connected":
            self._stop_flow(call)
            call.phase = "agent"
            agent = self.center.agents.get(event.agent or "")
            name = f"{agent.first_name} {agent.last_name}" if agent else event.agent
            self._tell(call.number, "connected", contactId=call.contact_id, agent=name)
        elif kind in ("hold", "resumed"):
            self._tell(call.number, kind, contactId=call.contact_id)
        elif kind == "transferred":
            new_id = str(event.data["new_contact"])
            self.calls.pop(call.contact_id, None)
            call.contact_id = new_id
            call.phase = "queued"
            self.calls[new_id] = call
            self.phone(call.number).contact_id = new_id
            self._tell(call.number, "transferred", contactId=new_id, queue=event.data.get("queue_name"))
        elif kind == "agent_hung_up":
            contact = self.center.contact(call.contact_id)
            if contact.disconnect_flow and self.flows is not None:
                flow = contact.disconnect_flow
                self.center.set_disconnect_flow(contact.id, None)  # runs once
                call.phase = "ivr"
                self._tell(call.number, "agent_left", contactId=call.contact_id)
                self._run_flow(call, flow)
            else:
                self._end_call(call, "the agent ended the call")
        elif kind == "stopped":
            self._stop_flow(call)
            self._end_call(call, "stopped by the API")
