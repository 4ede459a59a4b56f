"""What an agent desktop sees: its agent's state, offers with a screen pop, and the contact's course.

The ACD announces events; this turns the ones that concern an agent into messages on the agent's
channel ("agent:<username>"), with the screen pop built from the contact's attributes (set by the
flows: customer lookup, language, verification) and the customer's previous contacts.
"""

from __future__ import annotations

from typing import Any

from local_connect.acd import CenterEvent, Contact, ContactCenter
from local_connect.channels import Channels, jsonable

# Attribute names the flows and the API set, as the desk shows them (first match wins).
_POP_FIELDS = {
    "firstName": ("FirstName", "firstName"),
    "lastName": ("LastName", "lastName"),
    "vip": ("VIP", "vip"),
    "verified": ("Verified", "verified"),
    "issue": ("issue", "Issue"),
    "language": ("LanguageCode", "language", "Language"),
    "customerId": ("CustomerId",),
}


def verified_by(attributes: dict[str, str]) -> str | None:
    """How the caller proved who they are: "website" (the API sets `Verified` from the Cognito token of
    the signed-in customer), "pin" (flows/inbound.json's `pin-save` action stores the PIN Lambda's
    `verified` as `PinVerified`), "code" (its `code-save` stores the one-time code Lambda's `verified`
    as `CodeVerified`), or None. None can be set by a client: the API refuses `Verified` and only
    takes its listed keys."""
    if attributes.get("Verified") == "true":
        return "website"
    if attributes.get("PinVerified") == "true":
        return "pin"
    if attributes.get("CodeVerified") == "true":
        return "code"
    return None


def screen_pop(center: ContactCenter, contact: Contact) -> dict[str, Any]:
    attributes = contact.attributes
    pop: dict[str, Any] = {
        name: next((attributes[k] for k in keys if attributes.get(k)), None)
        for name, keys in _POP_FIELDS.items()
    }
    pop["verifiedBy"] = verified_by(attributes)
    pop["verified"] = "true" if pop["verifiedBy"] else pop["verified"]
    pop["language"] = pop["language"] or contact.language
    pop["phoneNumber"] = contact.customer_number
    pop["previousContacts"] = [
        {
            "contactId": c.id,
            "initiationMethod": str(c.initiation_method),
            "initiatedAt": c.initiated_at,
            "queueId": c.queue_id,
            "agent": c.agent_username,
            "disconnectReason": c.disconnect_reason,
        }
        for c in center.store.previous_contacts(contact.customer_number, contact.initiated_at)
        if c.initial_contact_id != contact.initial_contact_id
    ]
    return pop


def contact_view(center: ContactCenter, contact: Contact) -> dict[str, Any]:
    queue = center.queues.get(contact.queue_id or "")
    return {
        "contactId": contact.id,
        "initialContactId": contact.initial_contact_id,
        "initiationMethod": str(contact.initiation_method),
        "state": str(contact.state),
        "customerNumber": contact.customer_number,
        "queueId": contact.queue_id,
        "queueName": queue.name if queue else None,
        "enqueuedAt": contact.enqueued_at,
        "connectedAt": contact.connected_at,
        "onHold": contact.on_hold,
        "attributes": dict(contact.attributes),
        "screenPop": screen_pop(center, contact),
    }


class DeskNotifier:
    """A center listener that publishes agent-facing events to each agent's channel."""

    def __init__(self, center: ContactCenter, channels: Channels) -> None:
        self.center = center
        self.channels = channels
        center.listeners.append(self)

    def __call__(self, event: CenterEvent) -> None:
        if not event.agent:
            return
        channel = self.channels.get(f"agent:{event.agent}")
        if event.kind == "agent_state":
            channel.publish(
                "state",
                state=event.data["state"],
                contactId=event.contact_id,
                reason=event.data.get("reason"),
                detail=event.data.get("detail"),
            )
        elif event.kind == "offered" and event.contact_id:
            contact = self.center.contact(event.contact_id)
            channel.publish(
                "offer",
                contact=contact_view(self.center, contact),
                timeout=self.center.settings.offer_timeout,
            )
        elif event.kind in (
            "connected",
            "missed",
            "rejected",
            "offer_withdrawn",
            "hold",
            "resumed",
            "dial_customer",
            "transferred",
            "agent_hung_up",
            "disconnected",
        ):
            channel.publish(event.kind, contactId=event.contact_id, **jsonable(event.data))
