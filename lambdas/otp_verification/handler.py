"""One-time codes by SMS: for callers who have no PIN or forgot it.

Parameters: Action ("send" | "verify"), Code (digits, for verify), LanguageCode (the message's
language, for send).
  send   -> {"sent": "true"|"false"}          a new 6-digit code by SMS to the number on file
  verify -> {"verified": "true"|"false", "expired": "...", "locked": "...", "attemptsRemaining": "N"}
The code goes to the number calling (the contact's CustomerEndpoint; no parameter can name another),
and the flow offers it only to callers on file (found by that number in CustomerData): so it goes to
the number on file. A caller who spoofs that number gets nothing, the text reaches the phone's owner.
The code's hash is stored (keyed with
the PIN pepper, jam_core.tables.otp_codes), valid OTP_TTL_SECONDS (300) for OTP_MAX_ATTEMPTS (3)
wrong tries; a right code works once. Any failure answers the fallback: nothing sent, nothing
verified, the call goes on.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Mapping
from typing import Any

from pin_verification import deadline

from jam_core.connect_lambda import events
from jam_core.connect_lambda.jsonlog import InvocationLog
from jam_core.connect_lambda.phone import to_e164
from jam_core.connect_lambda.responses import connect_handler
from jam_core.connect_lambda.settings import Settings
from jam_core.tables import pepper, repositories
from jam_core.tables.otp_codes import OtpRepository
from jam_core.tables.pin_hash import hash_pin, matches
from otp_verification import sms

FUNCTION = "otp_verification"
PARAMETERS = frozenset({"Action", "Code", "LanguageCode"})  # the Details.Parameters this handler reads
CODE_DIGITS = 6
MESSAGES = {
    "en-US": "Your JAM code is {code}. It expires in {minutes} minutes.",
    "es-US": "Su código de JAM es {code}. Vence en {minutes} minutos.",
}
FALLBACK = {"sent": "false", "verified": "false", "error": "otp_failed"}


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def now(env: Mapping[str, str] | None = None) -> float:
    # Only the local runtime sets LOCAL_CONNECT_NOW: its clock (which tests and demos move).
    local = (os.environ if env is None else env).get("LOCAL_CONNECT_NOW", "").strip()
    return float(local) if local else time.time()


def verdict(verified: bool, expired: bool, locked: bool, remaining: int, error: str = "") -> dict[str, str]:
    reply = {
        "verified": "true" if verified else "false",
        "expired": "true" if expired else "false",
        "locked": "true" if locked else "false",
        "attemptsRemaining": str(max(0, remaining)),
    }
    if error:
        reply["error"] = error
    return reply


def send(
    number: str,
    language: str,
    log: InvocationLog,
    settings: Settings,
    codes: OtpRepository,
    sender: sms.SmsSender,
) -> dict[str, str]:
    code = new_code()
    codes.issue(number, hash_pin(code, pepper.get(settings)), now() + settings.otp_ttl_seconds)
    template = MESSAGES.get(language, MESSAGES["en-US"])
    sender.send(number, template.format(code=code, minutes=settings.otp_ttl_seconds // 60))
    log.info("otp_sent", phone=number)
    return {"sent": "true"}


def verify(
    number: str, entered: str, log: InvocationLog, settings: Settings, codes: OtpRepository
) -> dict[str, str]:
    limit = settings.otp_max_attempts
    record = codes.get(number)
    if record is None or record.used:
        log.info("otp_none", phone=number)
        return verdict(False, False, False, 0, "no_code")
    if record.failed_attempts >= limit:
        log.warning("otp_locked", phone=number)
        return verdict(False, False, True, 0)
    if now() >= record.expires_at:
        log.info("otp_expired", phone=number)
        return verdict(False, True, False, 0)
    plausible = entered.isdigit() and entered.isascii() and len(entered) == CODE_DIGITS
    if plausible and matches(entered, record.code, pepper.get(settings)):
        codes.mark_used(number)
        log.info("otp_verified", phone=number)
        return verdict(True, False, False, limit)
    failures = codes.record_failure(number)
    log.warning("otp_rejected", phone=number, failedAttempts=failures)
    return verdict(False, False, failures >= limit, limit - failures)


def handle(event: Any, log: InvocationLog, settings: Settings) -> dict[str, str]:
    params = events.parameters(event)
    raw = events.customer_address(event)
    number = to_e164(raw, settings.default_country_code) if raw else None
    action = params.get("Action", "").strip().lower()
    if number is None:
        log.warning("no_phone_number", phone=raw)
        return {**FALLBACK, "error": "no_phone_number"}
    try:
        if action == "send":
            return send(
                number,
                params.get("LanguageCode", "").strip(),
                log,
                settings,
                repositories.otp_codes(settings),
                sms.sender(settings),
            )
        if action == "verify":
            return verify(
                number, params.get("Code", "").strip(), log, settings, repositories.otp_codes(settings)
            )
    except pepper.PepperUnavailable as exc:
        log.error("otp_pepper_unavailable", phone=number, detail=str(exc)[:300])
        return dict(FALLBACK)
    except Exception as exc:
        log.error("otp_failed", phone=number, action=action, error=type(exc).__name__, detail=str(exc)[:300])
        return dict(FALLBACK)
    log.warning("unknown_action", action=action[:20])
    return {**FALLBACK, "error": "unknown_action"}


@connect_handler(FUNCTION, FALLBACK)
def check_or_send(event: Any, log: InvocationLog) -> Mapping[str, Any]:
    return handle(event, log, Settings.from_env())


def lambda_handler(event: Any, context: Any = None) -> Mapping[str, Any]:
    """check_or_send, answered within the invocation's deadline (the fallback past it).

    A send makes up to three AWS calls (GetSecretValue, PutItem, SendTextMessage), each allowed two
    attempts by the clients' timeouts: more than Connect's 8 s at worst. The PIN Lambda's deadline
    (lambdas/pin_verification/deadline.py, shipped in the same CodeUri) bounds it the same way.
    """
    if os.environ.get("DATA_BACKEND", "sqlite").strip().lower() != "dynamodb":
        return check_or_send(event, context)  # the local file: no network to wait on
    budget = deadline.budget_seconds(context)
    try:
        return deadline.run_within(lambda: check_or_send(event, context), budget)
    except deadline.DeadlineExceeded:
        InvocationLog(FUNCTION, "").error("deadline_exceeded", budgetMs=round(budget * 1000))
        return {**FALLBACK, "error": "deadline_exceeded"}
