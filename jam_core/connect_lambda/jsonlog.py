"""Structured logs: one JSON object per line, the contact id on every line, numbers masked.

Lambda sends each stdout line to CloudWatch Logs as one event, where Logs Insights reads JSON
fields directly. A handler logs one summary line per invocation (outcome, duration) plus a line
for anything that went wrong or fell back. Phone numbers never reach the log in full: fields
named like a phone or an address are masked to their last four digits, PINs are never shown,
and any other text is scanned for number-like runs.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

from jam_core.connect_lambda.phone import mask, mask_numbers_in

LEVELS = {"DEBUG": 10, "INFO": 20, "WARNING": 30, "ERROR": 40}
# Identifiers we write ourselves: safe as they are. Connect's ids are UUIDs, whose digit groups
# ("1234-5678") the free-text scan would mask as a phone number.
_TRUSTED_KEYS = frozenset({"level", "function", "contactId", "hoursId", "event", "durationMs", "time"})
_PHONE_KEYS = ("phone", "address", "number", "ani", "dnis")
_SECRET_KEYS = ("pin", "password", "secret", "salt", "hash")


def redact(key: str, value: Any) -> Any:
    lowered = key.lower()
    if any(part in lowered for part in _SECRET_KEYS):
        return "***"
    if isinstance(value, str):
        if any(part in lowered for part in _PHONE_KEYS):
            return mask(value)
        return mask_numbers_in(value)
    if isinstance(value, dict):
        return {str(k): redact(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact(key, item) for item in value]
    return value


class InvocationLog:
    """The log of one invocation; every line it writes carries the function and contact id."""

    def __init__(self, function: str, contact_id: str, stream: TextIO | None = None) -> None:
        self.function = function
        self.contact_id = contact_id
        self._stream = stream
        self._threshold = LEVELS.get(os.environ.get("LOG_LEVEL", "INFO").upper(), 20)
        self._started = time.perf_counter()

    def debug(self, event: str, **fields: Any) -> None:
        self._write("DEBUG", event, fields)

    def info(self, event: str, **fields: Any) -> None:
        self._write("INFO", event, fields)

    def warning(self, event: str, **fields: Any) -> None:
        self._write("WARNING", event, fields)

    def error(self, event: str, **fields: Any) -> None:
        self._write("ERROR", event, fields)

    def elapsed_ms(self) -> float:
        return round((time.perf_counter() - self._started) * 1000, 3)

    def _write(self, level: str, event: str, fields: dict[str, Any]) -> None:
        if LEVELS[level] < self._threshold:
            return
        record: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "level": level,
            "function": self.function,
            "contactId": self.contact_id,
            "event": event,
        }
        for key, value in fields.items():
            record[key] = value if key in _TRUSTED_KEYS else redact(key, value)
        try:
            line = json.dumps(record, default=str, separators=(",", ":"), ensure_ascii=False)
            (self._stream or sys.stdout).write(line + "\n")
        except (OSError, ValueError, TypeError, RecursionError):
            pass  # a log line is never worth failing a call for


LogFactory = Callable[[str, str], InvocationLog]
