"""Customer lookup: who is calling? Connect calls this at the start of the inbound flow.

Parameters: PhoneNumber (optional; otherwise the contact's CustomerEndpoint.Address, which holds
the customer for inbound and outbound contacts alike). Reply:
  {"found": "true", "PhoneNumber": "+1...", "FirstName", "LastName", "VIP": "true"|"false", ...extras}
  {"found": "false", "PhoneNumber": "+1..."}                 unknown number
  {"found": "false", "error": "lookup_failed"}              table down or bad item: the call goes on
Every reply has PhoneNational: the number as its owner reads it ("202-555-0101"; other countries'
numbers unchanged), or "" when there is no valid number. Flows cannot reformat a number, and the
callback confirmation reads it back to the caller.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jam_core.connect_lambda import events
from jam_core.connect_lambda.jsonlog import InvocationLog
from jam_core.connect_lambda.phone import national_format, to_e164
from jam_core.connect_lambda.responses import connect_handler
from jam_core.connect_lambda.settings import Settings
from jam_core.tables import repositories
from jam_core.tables.customers import CustomerRepository

FUNCTION = "customer_lookup"
PARAMETERS = frozenset({"PhoneNumber"})  # the Details.Parameters this handler reads
FAILED = {"found": "false", "error": "lookup_failed", "PhoneNational": ""}
_TRUE_WORDS = frozenset({"true", "yes", "y", "1"})


def is_truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value == 1
    return isinstance(value, str) and value.strip().lower() in _TRUE_WORDS


def customer_reply(item: Mapping[str, Any], number: str) -> dict[str, Any]:
    """The stored item as Connect attributes; the contract's own keys win over stored ones."""
    if not isinstance(item, Mapping):
        raise TypeError("customer item is not a mapping")
    reply: dict[str, Any] = {str(key): value for key, value in item.items()}
    reply.update(
        found="true",
        PhoneNumber=number,
        FirstName=item.get("FirstName") or "",
        LastName=item.get("LastName") or "",
        VIP="true" if is_truthy(item.get("VIP")) else "false",
    )
    reply.pop("error", None)
    return reply


def lookup(
    event: Any, log: InvocationLog, customers: CustomerRepository, settings: Settings
) -> dict[str, Any]:
    params = events.parameters(event)
    raw = params.get("PhoneNumber", "").strip() or events.customer_address(event)
    if not raw:
        log.warning("no_phone_number", initiation=events.initiation_method(event))
        return {"found": "false", "error": "no_phone_number", "PhoneNational": ""}
    number = to_e164(raw, settings.default_country_code)
    if number is None:
        log.warning("invalid_phone_number", phone=raw)
        return {"found": "false", "error": "invalid_phone_number", "PhoneNational": ""}
    national = national_format(number)
    try:
        item = customers.get(number)
        if item is None:
            log.info("customer_unknown", phone=number)
            return {"found": "false", "PhoneNumber": number, "PhoneNational": national}
        reply = customer_reply(item, number)
    except Exception as exc:
        log.error("lookup_failed", phone=number, error=type(exc).__name__, detail=str(exc)[:300])
        return {**FAILED, "PhoneNational": national}
    log.info("customer_found", phone=number, vip=reply["VIP"])
    return {**reply, "PhoneNational": national}


@connect_handler(FUNCTION, FAILED)
def lambda_handler(event: Any, log: InvocationLog) -> Mapping[str, Any]:
    settings = Settings.from_env()
    return lookup(event, log, repositories.customers(settings), settings)
