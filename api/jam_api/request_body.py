"""Reading a JSON request body with errors that name the offending field.

Limits, for every body on every route:

* size: MAX_BODY_BYTES, enforced on the bytes actually read (Flask's MAX_CONTENT_LENGTH, set in
  create_app, bounds every stream), so a chunked body without Content-Length is held to it too;
* nesting: MAX_JSON_DEPTH levels of objects/arrays, checked on the text before it is parsed, so a
  2 KB body nested a thousand deep answers 400 instead of reaching the parser's recursion limit.
  Our bodies are two levels deep (a body and its `attributes`); 32 leaves room for any future field.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import request

from jam_api.problems import Problem, bad_request

MAX_BODY_BYTES = 16 * 1024
MAX_JSON_DEPTH = 32

# A JSON string (escapes included): its brackets are text, not nesting.
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def body_too_large() -> Problem:
    return Problem(
        413, "body-too-large", "Request body too large", f"The body is limited to {MAX_BODY_BYTES} bytes."
    )


def nesting_depth(text: str) -> int:
    """The deepest nesting of objects and arrays in `text` (an estimate on invalid JSON, which the
    parser refuses anyway), computed without recursion."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub('""', text)):
        if match.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def json_object() -> dict[str, Any]:
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise body_too_large()
    if not request.is_json:
        raise bad_request("Send the body as application/json.")
    # Reads at most MAX_CONTENT_LENGTH = MAX_BODY_BYTES + 1 bytes, also from a chunked stream.
    raw = request.get_data(cache=True)
    if len(raw) > MAX_BODY_BYTES:
        raise body_too_large()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise bad_request("The body must be UTF-8 encoded JSON.") from None
    if nesting_depth(text) > MAX_JSON_DEPTH:
        raise bad_request(f"The body is nested deeper than {MAX_JSON_DEPTH} levels.")
    try:
        body = json.loads(text)
    except (ValueError, RecursionError):
        raise bad_request("The body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise bad_request("The body must be a JSON object.")
    return body


def reject_unknown_fields(body: dict[str, Any], known: frozenset[str]) -> None:
    """The OpenAPI document declares additionalProperties: false; so does the server."""
    unknown = sorted(set(body) - known)
    if unknown:
        raise bad_request(f"Unknown field '{unknown[0]}'.", field=unknown[0])


def required_string(body: dict[str, Any], name: str, *, max_length: int) -> str:
    if name not in body:
        raise bad_request(f"'{name}' is required.", field=name)
    value = body[name]
    if not isinstance(value, str) or not value.strip():
        raise bad_request(f"'{name}' must be a non-empty string.", field=name)
    if len(value) > max_length:
        raise bad_request(f"'{name}' is longer than {max_length} characters.", field=name)
    return value.strip()
