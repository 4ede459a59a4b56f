"""Typed reads of a Connect request's JSON body and query, refusing what Connect's model refuses.

Every refusal is a Connect exception botocore knows: a missing or mistyped parameter is
InvalidParameterException (the operations' documented error for "One or more of the specified
parameters are not valid"), a body that is not a JSON object is InvalidRequestException.
"""

from __future__ import annotations

import json
from typing import Any

import phonenumbers
from werkzeug.wrappers import Request

from local_connect.connect_api.errors import InvalidParameterException, InvalidRequestException


def json_body(request: Request) -> dict[str, Any]:
    if not request.data:
        return {}
    try:
        body = json.loads(request.data)
    except (ValueError, RecursionError):
        raise InvalidRequestException("The request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise InvalidRequestException("The request body must be a JSON object")
    return body


class Params:
    """One JSON object of a request (the body, or an object inside it), read field by field.

    `prefix` names nested fields in messages ("TimeRange.StartTime")."""

    def __init__(self, data: dict[str, Any], prefix: str = "") -> None:
        self.data = data
        self.prefix = prefix

    def _name(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def required_str(self, key: str) -> str:
        value = self.optional_str(key)
        if value is None:
            raise InvalidParameterException(f"{self._name(key)} is required")
        return value

    def optional_str(self, key: str) -> str | None:
        """A string, or None when absent, null or empty (Connect treats "" as not given)."""
        value = self.data.get(key)
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            raise InvalidParameterException(f"{self._name(key)} must be a string")
        return value

    def optional_object(self, key: str) -> Params:
        value = self.data.get(key)
        if value is None:
            return Params({}, f"{self._name(key)}.")
        if not isinstance(value, dict):
            raise InvalidParameterException(f"{self._name(key)} must be an object")
        return Params(value, f"{self._name(key)}.")

    def string_map(self, key: str, message: str | None = None) -> dict[str, str]:
        value = self.data.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise InvalidParameterException(message or f"{self._name(key)} must map strings to strings")
        return dict(value)

    def string_list(self, key: str) -> list[str]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InvalidParameterException(f"{self._name(key)} must be a list of strings")
        return list(value)

    def object_list(self, key: str) -> list[Params]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise InvalidParameterException(f"{self._name(key)} must be a list of objects")
        return [Params(v, f"{self._name(key)}[].") for v in value]

    def optional_number(self, key: str) -> float | None:
        """A JSON number (botocore sends timestamps as epoch seconds); booleans are not numbers."""
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidParameterException(f"{self._name(key)} must be a number")
        return float(value)

    def int_in_range(self, key: str, default: int, low: int, high: int) -> int:
        value = self.data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise InvalidParameterException(f"{self._name(key)} must be between {low} and {high}")
        return value


def offset_token(token: str | None, name: str = "NextToken") -> int:
    """The twin's NextToken is an opaque offset into the full answer."""
    if not token:
        return 0
    try:
        offset = int(token)
    except ValueError:
        raise InvalidParameterException(f"{name} is not valid") from None
    if offset < 0:
        raise InvalidParameterException(f"{name} is not valid")
    return offset


def e164(number: str, field: str) -> str:
    """A valid phone number, normalised to E.164 (Connect's parameters are E.164)."""
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        raise InvalidParameterException(f"{field} must be an E.164 phone number") from None
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidParameterException(f"{field} {number} is not a valid phone number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
