"""Reading a JSON request body with errors that name the offending field."""

from __future__ import annotations

from typing import Any

from flask import request

from jam_api.problems import Problem, bad_request

MAX_BODY_BYTES = 16 * 1024


def json_object() -> dict[str, Any]:
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise Problem(
            413, "body-too-large", "Request body too large", f"The body is limited to {MAX_BODY_BYTES} bytes."
        )
    if not request.is_json:
        raise bad_request("Send the body as application/json.")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise bad_request("The body must be a JSON object.")
    return body


def required_string(body: dict[str, Any], name: str, *, max_length: int) -> str:
    if name not in body:
        raise bad_request(f"'{name}' is required.", field=name)
    value = body[name]
    if not isinstance(value, str) or not value.strip():
        raise bad_request(f"'{name}' must be a non-empty string.", field=name)
    if len(value) > max_length:
        raise bad_request(f"'{name}' is longer than {max_length} characters.", field=name)
    return value.strip()
