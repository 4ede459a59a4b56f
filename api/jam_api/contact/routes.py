"""The click-to-call blueprint: a signed-in customer asks the contact center to call them."""

from __future__ import annotations

import re
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from flask import Blueprint, Response, current_app, jsonify, request

from jam_api.auth import Customer, TokenVerifier, bearer_token
from jam_api.config import Settings
from jam_api.connect_errors import problem_for
from jam_api.contact.idempotency import IdempotencyStore, client_token, fingerprint
from jam_api.contact.intake import CallIntake, RequestGone, is_request_id
from jam_api.contact.opening import Opening, department_opening
from jam_api.contact.rate_limit import CallRateLimiter, RateLimited
from jam_api.contact.status import ContactGone, ContactStatusService, OverBudget
from jam_api.problems import Problem, bad_request
from jam_api.request_body import json_object, reject_unknown_fields, required_string

contact_blueprint = Blueprint("contact", __name__)
CONTACT_FIELDS = frozenset({"destinationPhoneNumber", "contactFlowId", "attributes", "callWhenOpen"})


@contact_blueprint.post("/connect/contact")
def start_contact() -> tuple[Response, int]:
    # Deferred: phonenumbers costs ~10 ms of cold start that public hours requests should not pay.
    from jam_api.contact.rules import (
        check_attributes,
        check_destination,
        check_flow,
        check_idempotency_key,
        trusted_attributes,
    )

    settings: Settings = current_app.extensions["jam.settings"]
    verifier: TokenVerifier = current_app.extensions["jam.verifier"]
    customer = Customer.from_claims(verifier.verify(bearer_token()))
    body = json_object()
    reject_unknown_fields(body, CONTACT_FIELDS)
    destination = check_destination(
        required_string(body, "destinationPhoneNumber", max_length=32), customer, settings
    )
    flow_id = check_flow(required_string(body, "contactFlowId", max_length=100), settings)
    chosen = check_attributes(body["attributes"], settings) if "attributes" in body else {}
    attributes = {**chosen, **trusted_attributes(customer)}
    idempotency_key = check_idempotency_key(request.headers.get("Idempotency-Key"))
    request_fingerprint = fingerprint(customer.subject, destination, flow_id, chosen)
    keys: IdempotencyStore = current_app.extensions["jam.idempotency"]
    if idempotency_key:
        # Before any quota is spent: the same key must come with the same request.
        keys.check(customer.subject, idempotency_key, request_fingerprint)
    call_when_open = body.get("callWhenOpen", False)
    if not isinstance(call_when_open, bool):
        raise bad_request("'callWhenOpen' must be true or false.", field="callWhenOpen")
    opening = department_opening(
        attributes.get("department"), dict(settings.department_hours), current_app.extensions["jam.hours"]
    )
    if not opening.is_open and not (call_when_open and opening.next_open):
        raise _department_closed(opening)

    limiter: CallRateLimiter = current_app.extensions["jam.rate_limiter"]
    try:
        counted = limiter.acquire(customer.subject, idempotency_key)
    except RateLimited as exc:
        raise Problem(
            429,
            "rate-limited",
            "Too many call requests",
            "You have asked for several calls recently; please wait before asking again.",
            retry_after=exc.retry_after,
        ) from exc

    request_args: dict[str, Any] = {
        "InstanceId": settings.connect_instance_id,
        "ContactFlowId": flow_id,
        "DestinationPhoneNumber": destination,
        "Attributes": attributes,
    }
    if settings.outbound_queue_id:
        request_args["QueueId"] = settings.outbound_queue_id
    if settings.source_phone_number:
        request_args["SourcePhoneNumber"] = settings.source_phone_number
    if idempotency_key:
        # From the customer and the key only: the same key with another body reaches Connect under
        # the same token, and Connect's IdempotencyException becomes our 409 (another container).
        request_args["ClientToken"] = client_token(customer.subject, idempotency_key)
    intake: CallIntake = current_app.extensions["jam.call_intake"]()
    try:
        # Placed now when Connect's quota allows, else queued in order (contact/intake.py).
        # A request that waited is stored with its fingerprint: a reuse of its key is a 409 too.
        answer = intake.submit(
            customer.subject,
            request_args,
            idempotency_key,
            request_fingerprint,
            not_before=opening.next_open.timestamp() if opening.next_open else 0.0,
        )
    except (ClientError, BotoCoreError) as exc:
        if counted:
            limiter.release(customer.subject, idempotency_key)
        current_app.logger.warning("StartOutboundVoiceContact failed: %s", exc)
        raise problem_for(exc, not_found_field="contactFlowId") from exc
    except Problem:
        if counted:
            limiter.release(customer.subject, idempotency_key)
        raise
    if idempotency_key:
        keys.remember(customer.subject, idempotency_key, request_fingerprint)
    return jsonify(answer), 202


def _department_closed(opening: Opening) -> Problem:
    next_open = opening.next_open.isoformat() if opening.next_open else None
    detail = (
        "This department is closed; ask again with callWhenOpen to be called when it opens."
        if next_open
        else "This department is closed and has no opening scheduled."
    )
    return Problem(
        409,
        "department-closed",
        "The department is closed",
        detail,
        field="attributes.department",
        extra={"nextOpen": next_open},
    )


# Connect contact ids are UUIDs; anything else cannot exist, so it is "not found" without a Connect call.
CONTACT_ID = re.compile(r"^[A-Za-z0-9-]{1,256}$")  # fullmatch: "$" would accept a final newline


def _contact_not_found(contact_id: str) -> Problem:
    return Problem(
        404,
        "contact-not-found",
        "Unknown call",
        "No call with this id was placed by the signed-in customer.",
        field="contactId",
    )


@contact_blueprint.get("/connect/contact/<contactId>")
def contact_status(contactId: str) -> Response:
    """The live status of a call the signed-in customer asked for (polled by the site)."""
    contact_id = contactId  # the path parameter keeps the OpenAPI document's and API Gateway's name
    verifier: TokenVerifier = current_app.extensions["jam.verifier"]
    customer = Customer.from_claims(verifier.verify(bearer_token()))
    if not CONTACT_ID.fullmatch(contact_id):
        raise _contact_not_found(contact_id)
    service: ContactStatusService = current_app.extensions["jam.contact_status"]
    placed_id = contact_id
    if is_request_id(contact_id):
        intake: CallIntake = current_app.extensions["jam.call_intake"]()
        try:
            waiting = intake.status(contact_id, customer.subject)
        except RequestGone as exc:
            raise _contact_not_found(contact_id) from exc
        if not waiting.contact_id:  # scheduled, or failed before Connect took it
            return _no_store(jsonify(intake.waiting_view(waiting)))
        placed_id = waiting.contact_id
    try:
        status = {**service.status(placed_id, customer.subject), "contactId": contact_id}
    except ContactGone as exc:
        # Someone else's call answers exactly like an unknown one: existence is not revealed.
        raise _contact_not_found(contact_id) from exc
    except OverBudget as exc:
        raise Problem(
            429,
            "connect-throttled",
            "Too many requests",
            "The contact center is busy; the status will refresh shortly.",
            retry_after=exc.retry_after,
        ) from exc
    except (ClientError, BotoCoreError) as exc:
        current_app.logger.warning("Reading contact %s failed: %s", contact_id, exc)
        raise problem_for(exc, not_found_field="contactId") from exc
    return _no_store(jsonify(status))


def _no_store(response: Response) -> Response:
    # Per customer, and the server already caches for STATUS_TTL_SECONDS: browsers need not re-ask.
    response.headers["Cache-Control"] = "private, max-age=2"
    return response
