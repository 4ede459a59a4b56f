"""Safe access to the event Amazon Connect sends a Lambda.

The shape: {"Name": "ContactFlowEvent", "Details": {"ContactData": {...}, "Parameters": {...}}}.
Every accessor accepts anything (a handler may be invoked with a malformed or hand-made event)
and answers with a string or an empty mapping instead of raising.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_EMPTY: Mapping[str, Any] = {}


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else _EMPTY


def _text(value: Any) -> str:
    # Connect sends strings; numbers can appear in hand-made events and are accepted as their text.
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    return ""


def details(event: Any) -> Mapping[str, Any]:
    return _mapping(_mapping(event).get("Details"))


def contact_data(event: Any) -> Mapping[str, Any]:
    return _mapping(details(event).get("ContactData"))


def parameters(event: Any) -> dict[str, str]:
    """Details.Parameters as str -> str; entries that are not text (nested values) are dropped."""
    result: dict[str, str] = {}
    for key, value in _mapping(details(event).get("Parameters")).items():
        if isinstance(key, str) and (isinstance(value, str) or _text(value)):
            result[key] = _text(value)
    return result


def contact_id(event: Any) -> str:
    return _text(contact_data(event).get("ContactId")).strip()


def instance_arn(event: Any) -> str:
    return _text(contact_data(event).get("InstanceARN")).strip()


def initiation_method(event: Any) -> str:
    return _text(contact_data(event).get("InitiationMethod")).strip().upper()


def customer_address(event: Any) -> str:
    """The customer's number. For inbound calls it is the caller; for outbound (API, CALLBACK)
    contacts Connect still puts the customer in CustomerEndpoint and our own number in
    SystemEndpoint, so the customer is CustomerEndpoint either way and SystemEndpoint is never
    taken for the customer."""
    return _text(_mapping(contact_data(event).get("CustomerEndpoint")).get("Address")).strip()


def queue_name(event: Any) -> str:
    return _text(_mapping(contact_data(event).get("Queue")).get("Name")).strip()


def language_code(event: Any, params: Mapping[str, str]) -> str:
    """Parameters.LanguageCode, else the contact's language (newer events carry it), else ''."""
    return (params.get("LanguageCode") or _text(contact_data(event).get("LanguageCode"))).strip()
