"""Is the department a website call is for open? A call to a closed department is not placed.

The web ingress flow checks the department's hours too, but only after the customer has answered:
"Connecting you…", then "has just closed… Goodbye". So the API asks first, from the same hours the
site shows (HoursService: Connect's schedule and overrides, cached): a closed department answers
409 with `nextOpen`, or, when the customer asked `callWhenOpen`, the call waits for the opening.

A department the settings do not map (DEPARTMENT_HOURS), or hours Connect cannot give right now,
do not block the call: the flow's own hours check still stands behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from botocore.exceptions import BotoCoreError, ClientError

from jam_api.hours.service import HoursNotFound, HoursService


@dataclass(frozen=True)
class Opening:
    is_open: bool
    next_open: datetime | None  # None while open, or when no opening is scheduled at all


def department_opening(
    department: str | None, department_hours: dict[str, str], hours: HoursService
) -> Opening:
    hours_id = department_hours.get(department or "")
    if not hours_id:
        return Opening(True, None)
    try:
        view = hours.describe(hours_id)
    except (HoursNotFound, ClientError, BotoCoreError):
        return Opening(True, None)
    if view["isOpen"]:
        return Opening(True, None)
    return Opening(False, datetime.fromisoformat(view["nextOpen"]) if view["nextOpen"] else None)
