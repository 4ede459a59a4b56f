"""PIN verification: the caller's number and the digits they entered -> verified or not.

Parameters: Pin (digits), PhoneNumber (optional; otherwise the contact's CustomerEndpoint). Reply:
  {"verified": "true"|"false", "locked": "true"|"false", "attemptsRemaining": "N", "enrolled": "true"|"false"}
A wrong PIN counts one failed attempt; after PIN_MAX_ATTEMPTS (default 3) the PIN is locked and
no further PIN is even checked. A right PIN clears the count. No input is not counted.
Keyed PIN hashes need the pepper (jam_core.tables.pepper: one GetSecretValue per container, on the first
check); if it cannot be read, the reply is the fallback (verified false, error), nothing counted.
Every invocation answers within its deadline (deadline.py): past it, the fallback with error
`deadline_exceeded`, before Connect's 8 s invocation limit.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from jam_core.connect_lambda import events
from jam_core.connect_lambda.jsonlog import InvocationLog
from jam_core.connect_lambda.phone import to_e164
from jam_core.connect_lambda.responses import connect_handler
from jam_core.connect_lambda.settings import Settings
from jam_core.tables import pepper, repositories
from jam_core.tables.pin_hash import matches
from jam_core.tables.pins import PinRepository
from pin_verification import deadline

FUNCTION = "pin_verification"
PARAMETERS = frozenset({"Pin", "PhoneNumber"})  # the Details.Parameters this handler reads
MAX_PIN_LENGTH = 12  # longer input is a wrong PIN, counted without hashing it


def reply(verified: bool, locked: bool, remaining: int, enrolled: bool, error: str = "") -> dict[str, str]:
    result = {
        "verified": "true" if verified else "false",
        "locked": "true" if locked else "false",
        "attemptsRemaining": str(max(0, remaining)),
        "enrolled": "true" if enrolled else "false",
    }
    if error:
        result["error"] = error
    return result


def verify(event: Any, log: InvocationLog, pins: PinRepository, settings: Settings) -> dict[str, str]:
    params = events.parameters(event)
    raw = params.get("PhoneNumber", "").strip() or events.customer_address(event)
    number = to_e164(raw, settings.default_country_code) if raw else None
    if number is None:
        log.warning("no_phone_number", phone=raw)
        return reply(False, False, 0, False, "no_phone_number")
    limit = settings.pin_max_attempts
    try:
        record = pins.get(number)
        if record is None:
            log.info("pin_not_enrolled", phone=number)
            return reply(False, False, 0, False)
        if record.failed_attempts >= limit:
            log.warning("pin_locked", phone=number, failedAttempts=record.failed_attempts)
            return reply(False, True, 0, True)
        entered = params.get("Pin", "").strip()
        if not entered:
            log.info("pin_no_input", phone=number)
            return reply(False, False, limit - record.failed_attempts, True, "no_pin_entered")
        plausible = entered.isdigit() and entered.isascii() and len(entered) <= MAX_PIN_LENGTH
        # The pepper only for keyed records: a legacy PBKDF2 record verifies without it.
        key = pepper.get(settings) if plausible and record.pin.keyed else None
        if plausible and matches(entered, record.pin, key):
            if record.failed_attempts:
                pins.reset_failures(number)
            log.info("pin_verified", phone=number)
            return reply(True, False, limit, True)
        failures = pins.record_failure(number)
    except pepper.PepperUnavailable as exc:
        # Not the caller's fault: no failure is counted, and the flow takes its fallback branch.
        log.error("pin_pepper_unavailable", phone=number, detail=str(exc)[:300])
        return reply(False, False, 0, False, "verification_failed")
    except Exception as exc:
        log.error("verification_failed", phone=number, error=type(exc).__name__, detail=str(exc)[:300])
        return reply(False, False, 0, False, "verification_failed")
    locked = failures >= limit
    log.warning("pin_rejected", phone=number, failedAttempts=failures, locked=locked)
    return reply(False, locked, limit - failures, True)


FALLBACK = reply(False, False, 0, False, "verification_failed")


@connect_handler(FUNCTION, FALLBACK)
def check_pin(event: Any, log: InvocationLog) -> Mapping[str, Any]:
    settings = Settings.from_env()
    return verify(event, log, repositories.pins(settings), settings)


def lambda_handler(event: Any, context: Any = None) -> dict[str, str]:
    """check_pin, answered within the invocation's deadline (the fallback past it)."""
    if os.environ.get("DATA_BACKEND", "sqlite").strip().lower() != "dynamodb":
        # The local file: no network to wait on, and SQLite connections are per thread. (A broken
        # setting is check_pin's to answer with the fallback.)
        return check_pin(event, context)
    budget = deadline.budget_seconds(context)
    try:
        return deadline.run_within(lambda: check_pin(event, context), budget)
    except deadline.DeadlineExceeded:
        log = InvocationLog(FUNCTION, _contact_id(event))
        log.error("deadline_exceeded", budgetMs=round(budget * 1000))
        return {**FALLBACK, "error": "deadline_exceeded"}


def _contact_id(event: Any) -> str:
    try:
        return events.contact_id(event)
    except Exception:
        return ""
