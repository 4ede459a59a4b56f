"""The click-to-call rules, one function each, each with its own clear error."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import phonenumbers

from jam_api.auth import Customer
from jam_api.config import Settings
from jam_api.problems import Problem, bad_request, forbidden, unprocessable

# Set by the server from the verified token; a client that sends them is refused, not ignored,
# so a tampering attempt is visible instead of silently "working".
TRUSTED_ATTRIBUTES = frozenset({"verified", "vip", "customerid", "customername", "customerphonenumber"})
MAX_ATTRIBUTE_LENGTHS = {"note": 500}
DEFAULT_MAX_ATTRIBUTE_LENGTH = 64
LANGUAGES = ("en-US", "es-US")
IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{8,128}$")
# phonenumbers' PhoneNumberType values by name (FIXED_LINE, PREMIUM_RATE...), as settings spell them.
_TYPE_NAMES = {
    value: name
    for name, value in vars(phonenumbers.PhoneNumberType).items()
    if name.isupper() and isinstance(value, int)
}


def normalise_number(raw: str, field: str = "destinationPhoneNumber") -> phonenumbers.PhoneNumber:
    try:
        number = phonenumbers.parse(raw, None if raw.startswith("+") else "US")
    except phonenumbers.NumberParseException as exc:
        raise unprocessable(f"'{raw}' is not a phone number.", field) from exc
    if not phonenumbers.is_valid_number(number):
        raise unprocessable(f"'{raw}' is not a valid phone number.", field)
    return number


def e164(number: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def check_destination(raw: str, customer: Customer, settings: Settings) -> str:
    """The number to call: the customer's own verified number (staff may dial any, if enabled)."""
    number = normalise_number(raw)
    region = phonenumbers.region_code_for_number(number)
    if region not in settings.allowed_countries:
        raise forbidden(
            "country-not-allowed",
            f"Calls to {region or 'this country'} are not offered.",
            "destinationPhoneNumber",
        )
    destination = e164(number)
    check_callable(number, destination, settings)
    is_staff = bool(set(customer.groups) & set(settings.staff_groups))
    if is_staff and settings.staff_may_dial_any_number:
        return destination
    if not customer.phone_number or not customer.phone_verified:
        raise forbidden(
            "phone-not-verified",
            "Verify your phone number in your profile before asking for a call.",
            "destinationPhoneNumber",
        )
    own = e164(normalise_number(customer.phone_number, "phone_number"))
    if destination != own:
        raise forbidden(
            "not-your-number",
            "We can only call the verified number on your profile.",
            "destinationPhoneNumber",
        )
    return destination


def check_callable(number: phonenumbers.PhoneNumber, destination: str, settings: Settings) -> None:
    """Refuse, for everyone (staff too), numbers a contact center should not call: the configured
    number types (premium rate, toll free...) and our own numbers (a call to ourselves loops)."""
    kind = _TYPE_NAMES.get(phonenumbers.number_type(number), "UNKNOWN")
    if kind in settings.refused_number_types:
        raise unprocessable(
            f"We do not call {kind.lower().replace('_', '-')} numbers.", "destinationPhoneNumber"
        )
    own = {
        *settings.own_phone_numbers,
        *([settings.source_phone_number] if settings.source_phone_number else []),
    }
    if destination in own:
        raise unprocessable("This is one of the contact center's own numbers.", "destinationPhoneNumber")


def check_flow(flow_id: str, settings: Settings) -> str:
    if flow_id not in settings.allowed_contact_flow_ids:
        raise unprocessable("This contact flow cannot be started from the website.", "contactFlowId")
    return flow_id


def check_attributes(raw: Any, settings: Settings) -> dict[str, str]:
    """`raw` is the body's `attributes` when present: null is refused like any non-object."""
    if not isinstance(raw, Mapping):
        raise bad_request("'attributes' must be an object of strings.", field="attributes")
    clean: dict[str, str] = {}
    for key, value in raw.items():
        field = f"attributes.{key}"
        if str(key).lower() in TRUSTED_ATTRIBUTES:
            raise forbidden(
                "trusted-attribute", f"'{key}' is set by the contact center, not by the client.", field
            )
        if key not in settings.allowed_attribute_keys:
            allowed = ", ".join(settings.allowed_attribute_keys)
            raise unprocessable(f"Unknown attribute '{key}'; allowed: {allowed}.", field)
        if not isinstance(value, str):
            raise bad_request(f"'{key}' must be a string.", field=field)
        limit = MAX_ATTRIBUTE_LENGTHS.get(key, DEFAULT_MAX_ATTRIBUTE_LENGTH)
        if len(value) > limit:
            raise unprocessable(f"'{key}' is longer than {limit} characters.", field)
        if key == "language" and value not in LANGUAGES:
            raise unprocessable(f"'language' must be one of {', '.join(LANGUAGES)}.", field)
        clean[key] = value
    return clean


def trusted_attributes(customer: Customer) -> dict[str, str]:
    return {"Verified": "true", "CustomerId": customer.subject, "CustomerName": customer.name}


def check_idempotency_key(value: str | None) -> str | None:
    if value is None:
        return None
    if not IDEMPOTENCY_KEY.fullmatch(value):
        raise Problem(
            400,
            "invalid-idempotency-key",
            "The request is not valid",
            "Idempotency-Key must be 8-128 printable ASCII characters.",
            field="Idempotency-Key",
        )
    return value
