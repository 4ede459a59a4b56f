"""Request parsing and error answers shared by the /local views."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from flask import Blueprint, Response, jsonify, request

from local_connect.acd import AcdError
from local_connect.channels import EventChannel
from local_connect.switchboard import TelephonyError

HEARTBEAT_SECONDS = 15.0


class BadRequest(Exception):
    """A query or body value that is not what the endpoint takes (HTTP 400)."""


def problem(status: int, code: str, detail: str) -> Response:
    response = jsonify({"error": code, "detail": detail})
    response.status_code = status
    return response


def body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else {}


def numeric(raw: Any, kind: type[int] | type[float], name: str) -> Any:
    """A query or body number, or BadRequest (not a 500) when it is not one."""
    try:
        return kind(raw)
    except (TypeError, ValueError):
        raise BadRequest(f"{name} must be a number, not {raw!r}") from None


def e164(raw: str) -> str:
    """Phone numbers in paths are E.164; "+" may arrive as a space from a form-encoded URL."""
    number = raw.strip().replace(" ", "+")
    if not number.startswith("+") or not number[1:].isdigit() or not 8 <= len(number) <= 16:
        raise TelephonyError(f"{raw!r} is not an E.164 number")
    return number


def events_response(channel: EventChannel) -> Response:
    """A long poll (JSON) unless the client asks for an event stream (SSE)."""
    after = numeric(request.args.get("after") or request.headers.get("Last-Event-ID") or 0, int, "after")
    if "text/event-stream" in request.headers.get("Accept", "") or request.args.get("stream"):
        return Response(
            _sse(channel, after), mimetype="text/event-stream", headers={"Cache-Control": "no-cache"}
        )
    timeout = min(numeric(request.args.get("timeout") or 0, float, "timeout"), 30.0)
    events = channel.wait(after, timeout) if timeout > 0 else channel.since(after)
    return jsonify({"events": [e.public() for e in events], "last": channel.last_seq})


def _sse(channel: EventChannel, after: int) -> Iterator[str]:
    yield "retry: 1000\n\n"
    while True:
        events = channel.wait(after, HEARTBEAT_SECONDS)
        if not events:
            yield ": keep-alive\n\n"  # lets the server notice a closed connection
            continue
        for event in events:
            after = event.seq
            yield f"id: {event.seq}\nevent: {event.type}\ndata: {json.dumps(event.public())}\n\n"


# The error answers of every /local view, as a blueprint of its own (app-wide handlers).
errors_blueprint = Blueprint("local_errors", __name__)


@errors_blueprint.app_errorhandler(AcdError)
def acd_error(error: AcdError) -> Response:
    status = 404 if error.code.endswith("NotFound") else 409
    return problem(status, error.code, str(error))


@errors_blueprint.app_errorhandler(BadRequest)
def bad_request(error: BadRequest) -> Response:
    return problem(400, "InvalidRequest", str(error))


@errors_blueprint.app_errorhandler(TelephonyError)
def telephony_error(error: TelephonyError) -> Response:
    return problem(409, error.code, str(error))
