"""Connect's timestamps (datetimes from botocore, or epoch seconds) as the API's ISO 8601 in UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def iso_utc(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return datetime.fromtimestamp(float(value), UTC).isoformat()
