"""Is an hours-of-operation open at an instant, and when does it next open (the template's config)."""

from __future__ import annotations

from datetime import datetime, timedelta
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


def next_opening(hours: HoursOfOperation, instant: float) -> float | None:
    """The next instant (epoch seconds) at which the hours open, within a week; None if never."""
    zone = ZoneInfo(hours.time_zone)
    local = datetime.fromtimestamp(instant, zone).replace(second=0, microsecond=0)
    for day_offset in range(8):
        date = (local + timedelta(days=day_offset)).date()
        day = _DAYS[date.weekday()]
        for config in sorted(hours.config, key=lambda c: _minutes(c.start.hours, c.start.minutes)):
            if config.day != day:
                continue
            opening = datetime(
                date.year, date.month, date.day, config.start.hours, config.start.minutes, tzinfo=zone
            )
            if opening.timestamp() > instant:
                return opening.timestamp()
    return None
