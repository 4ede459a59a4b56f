"""What a Connect Lambda returns: a flat map of string keys to string values, always.

Amazon Connect rejects nested values and fails the block on an exception or a malformed reply,
which would take the caller down the flow's error branch. `connect_handler` turns any handler
into one that always answers a flat string map, falling back to a defined reply on failure.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from jam_core.connect_lambda import events
from jam_core.connect_lambda.jsonlog import InvocationLog

# Connect's limit on a Lambda response; the prompts reply is checked against it.
MAX_RESPONSE_BYTES = 32 * 1024

ConnectReply = dict[str, str]
Body = Callable[[Any, InvocationLog], Mapping[str, Any]]


def as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else str(value)
    if isinstance(value, int | float):
        return str(value)
    # Nested values are not allowed in a Connect reply: they travel as compact JSON text.
    return json.dumps(value, default=str, separators=(",", ":"), ensure_ascii=False, sort_keys=True)


def flat_strings(values: Mapping[Any, Any]) -> ConnectReply:
    return {as_text(key): as_text(value) for key, value in values.items()}


def response_size(reply: Mapping[str, str]) -> int:
    return len(json.dumps(reply, ensure_ascii=False).encode("utf-8"))


def connect_handler(
    function: str, fallback: Mapping[str, str]
) -> Callable[[Body], Callable[..., ConnectReply]]:
    """Wraps `body(event, log)` as a Lambda handler that never raises and always answers strings."""
    safe_fallback = dict(fallback)

    def decorate(body: Body) -> Callable[..., ConnectReply]:
        def lambda_handler(event: Any, context: Any = None) -> ConnectReply:
            contact = _contact_id_or_blank(event)
            log = InvocationLog(function, contact)
            try:
                reply = flat_strings(body(event, log))
                outcome = "ok"
                if response_size(reply) > MAX_RESPONSE_BYTES:
                    raise ValueError(f"reply of {response_size(reply)} bytes exceeds Connect's 32 KB")
            except Exception as exc:  # the call must go on: log it and answer the fallback
                log.error("handler_failed", error=type(exc).__name__, detail=str(exc)[:500])
                reply = {**safe_fallback, "error": safe_fallback.get("error", "internal_error")}
                outcome = "fallback"
            log.info("invocation", outcome=outcome, durationMs=log.elapsed_ms(), reply_keys=len(reply))
            return reply

        lambda_handler.__name__ = "lambda_handler"
        lambda_handler.__doc__ = body.__doc__
        return lambda_handler

    return decorate


def _contact_id_or_blank(event: Any) -> str:
    try:
        return events.contact_id(event)
    except Exception:
        return ""
