"""Is an hours-of-operation open at an instant (the template's config), for CheckHoursOfOperation.

When it opens next is the hours_status Lambda's question, answered by jam_hours.schedule from
Connect's (here the twin's) hours and overrides, like the API's.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from local_connect.definitions import HoursOfOperation

_DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")


def _minutes(hours: int, minutes: int) -> int:
    return hours * 60 + minutes


def is_open(hours: HoursOfOperation, instant: float) -> bool:
    local = datetime.fromtimestamp(instant, ZoneInfo(hours.time_zone))
    day = _DAYS[local.weekday()]
    now = _minutes(local.hour, local.minute)
    for config in hours.config:
        if config.day != day:
            continue
        start = _minutes(config.start.hours, config.start.minutes)
        end = _minutes(config.end.hours, config.end.minutes)
        # Connect treats 00:00-00:00 as the whole day; an end before the start runs past midnight.
        if start == end == 0 or (start <= now < end if start < end else now >= start or now < end):
            return True
    return False
