"""Open/closed arithmetic for an Amazon Connect hours of operation, in its own time zone.

Works on concrete local dates (not "weekday + time"), so DST changes and date-bound overrides are
handled by zoneinfo rather than by hand. A period ending at 00:00 ends at midnight; one whose end
is before its start runs past midnight into the next day (as Connect treats it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
# How far to look for the next opening: a week plus the longest holiday run we expect.
HORIZON_DAYS = 21


@dataclass(frozen=True)
class Slice:
    day: str
    start: time
    end: time

    @classmethod
    def from_connect(cls, item: Mapping[str, Any]) -> Slice:
        return cls(
            day=str(item["Day"]),
            start=time(int(item["StartTime"]["Hours"]), int(item["StartTime"]["Minutes"])),
            end=time(int(item["EndTime"]["Hours"]), int(item["EndTime"]["Minutes"])),
        )


@dataclass(frozen=True)
class Override:
    name: str
    kind: str  # STANDARD (replaces the day's hours), OPEN (adds), CLOSED (removes)
    effective_from: date
    effective_till: date
    slices: tuple[Slice, ...]

    @classmethod
    def from_connect(cls, item: Mapping[str, Any]) -> Override:
        return cls(
            name=str(item.get("Name", "")),
            kind=str(item.get("OverrideType") or "STANDARD"),
            effective_from=date.fromisoformat(item["EffectiveFrom"]),
            effective_till=date.fromisoformat(item["EffectiveTill"]),
            slices=tuple(Slice.from_connect(c) for c in item.get("Config", [])),
        )

    def covers(self, day: date) -> bool:
        return self.effective_from <= day <= self.effective_till


@dataclass(frozen=True)
class Status:
    is_open: bool
    current_period_ends: datetime | None
    next_open: datetime | None
    next_close: datetime | None


Interval = tuple[datetime, datetime]


def _interval(day: date, piece: Slice, zone: ZoneInfo) -> Interval:
    start = datetime.combine(day, piece.start, zone)
    end_day = day if piece.end > piece.start else day + timedelta(days=1)
    end = datetime.combine(end_day, piece.end, zone)
    return start, end


def _whole_day(piece: Slice) -> bool:
    return piece.start == piece.end


def _day_intervals(
    day: date, slices: Sequence[Slice], overrides: Sequence[Override], zone: ZoneInfo
) -> list[Interval]:
    weekday = DAYS[day.weekday()]
    standard = [s for s in slices if s.day == weekday]
    active = [o for o in overrides if o.covers(day)]
    replacing = [o for o in active if o.kind == "STANDARD"]
    if replacing:
        standard = [s for o in replacing for s in o.slices if s.day == weekday]
    # start == end is a 24-hour period (Connect: 12:00 AM to 12:00 AM is open all day).
    intervals = [_interval(day, s, zone) for s in standard]
    intervals += [
        _interval(day, s, zone) for o in active if o.kind == "OPEN" for s in o.slices if s.day == weekday
    ]
    for closed in (s for o in active if o.kind == "CLOSED" for s in o.slices if s.day == weekday):
        cut = (
            (datetime.combine(day, time(0), zone), datetime.combine(day + timedelta(days=1), time(0), zone))
            if _whole_day(closed)
            else _interval(day, closed, zone)
        )
        intervals = list(_subtract(intervals, cut))
    return intervals


def _subtract(intervals: Iterable[Interval], cut: Interval) -> Iterable[Interval]:
    for start, end in intervals:
        if end <= cut[0] or start >= cut[1]:
            yield start, end
            continue
        if start < cut[0]:
            yield start, cut[0]
        if end > cut[1]:
            yield cut[1], end


def _merge(intervals: list[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def open_intervals(
    slices: Sequence[Slice], overrides: Sequence[Override], zone: ZoneInfo, around: datetime
) -> list[Interval]:
    """Concrete open intervals from the day before `around` to HORIZON_DAYS after, merged."""
    today = around.astimezone(zone).date()
    intervals: list[Interval] = []
    for offset in range(-1, HORIZON_DAYS + 1):
        intervals += _day_intervals(today + timedelta(days=offset), slices, overrides, zone)
    return _merge(intervals)


def status_at(
    slices: Sequence[Slice], overrides: Sequence[Override], zone: ZoneInfo, now: datetime
) -> Status:
    intervals = open_intervals(slices, overrides, zone, now)
    for start, end in intervals:
        if start <= now < end:
            following = next((s for s, _ in intervals if s > end), None)
            return Status(
                True, end.astimezone(zone), following and following.astimezone(zone), end.astimezone(zone)
            )
        if start > now:
            return Status(False, None, start.astimezone(zone), end.astimezone(zone))
    return Status(False, None, None, None)
