"""The hours blueprint. Public on purpose: opening hours are shown before anyone signs in."""

from __future__ import annotations

import re

from botocore.exceptions import BotoCoreError, ClientError
from flask import Blueprint, Response, current_app, jsonify

from jam_api.client_address import client_address
from jam_api.connect_errors import problem_for
from jam_api.hours.address_limit import AddressRateLimiter
from jam_api.hours.service import HoursNotFound, HoursService
from jam_api.problems import Problem, bad_request
from jam_api.request_body import json_object, reject_unknown_fields

hours_blueprint = Blueprint("hours", __name__)

# Connect ids are UUID-like; anything else is refused before it costs a Connect call. fullmatch, as
# JSON Schema reads the pattern: Python's "$" would also accept a trailing newline.
HOURS_ID = re.compile(r"^[A-Za-z0-9-]{1,100}$")


@hours_blueprint.post("/connect/hours")
def describe_hours() -> Response:
    limiter: AddressRateLimiter = current_app.extensions["jam.hours_limiter"]
    wait = limiter.retry_after(client_address())
    if wait is not None:
        raise Problem(
            429,
            "rate-limited",
            "Too many requests",
            "Too many opening-hours requests from your address; retry shortly.",
            retry_after=wait,
        )
    body = json_object()
    reject_unknown_fields(body, frozenset({"hoursOfOperationId"}))
    if "hoursOfOperationId" not in body:
        raise bad_request("'hoursOfOperationId' is required.", field="hoursOfOperationId")
    hours_id = body["hoursOfOperationId"]
    # Exactly the documented pattern (openapi.json), nothing trimmed or coerced.
    if not isinstance(hours_id, str) or not HOURS_ID.fullmatch(hours_id):
        raise bad_request(
            "'hoursOfOperationId' must be an hours of operation id (1-100 letters, digits or '-').",
            field="hoursOfOperationId",
        )
    service: HoursService = current_app.extensions["jam.hours"]
    try:
        view = service.describe(hours_id)
    except HoursNotFound as exc:
        raise Problem(
            404,
            "hours-not-found",
            "Unknown hours of operation",
            f"No hours of operation with id {hours_id!r}.",
            field="hoursOfOperationId",
        ) from exc
    except (ClientError, BotoCoreError) as exc:
        raise problem_for(exc, not_found_field="hoursOfOperationId") from exc
    response = jsonify(view)
    # The answer carries everything needed to tick locally; browsers may reuse it briefly.
    response.headers["Cache-Control"] = "private, max-age=30"
    return response
