"""Open/closed arithmetic: weekly periods, midnight, DST changes and overrides."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from jam_core.schedule.arithmetic import Override, Slice, status_at

NY = ZoneInfo("America/New_York")
WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")


def weekday_slices(start: int = 8, end: int = 20) -> list[Slice]:
    return [
        Slice.from_connect(
            {"Day": d, "StartTime": {"Hours": start, "Minutes": 0}, "EndTime": {"Hours": end, "Minutes": 0}}
        )
        for d in WEEKDAYS
    ]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=NY)


def test_open_during_a_period_reports_when_it_ends_and_reopens() -> None:
    status = status_at(weekday_slices(), [], NY, at("2026-11-24T10:00"))  # a Tuesday
    assert status.is_open
    assert status.current_period_ends == at("2026-11-24T20:00")
    assert status.next_open == at("2026-11-25T08:00")


def test_closed_on_friday_evening_next_open_is_monday() -> None:
    status = status_at(weekday_slices(), [], NY, at("2026-11-27T21:00"))
    assert not status.is_open
    assert status.current_period_ends is None
    assert status.next_open == at("2026-11-30T08:00")
    assert status.next_close == at("2026-11-30T20:00")


def test_period_end_is_exclusive() -> None:
    assert not status_at(weekday_slices(), [], NY, at("2026-11-24T20:00")).is_open
    assert status_at(weekday_slices(), [], NY, at("2026-11-24T08:00")).is_open


def test_period_running_past_midnight_belongs_to_the_day_it_starts() -> None:
    night = [
        Slice.from_connect(
            {"Day": "FRIDAY", "StartTime": {"Hours": 22, "Minutes": 0}, "EndTime": {"Hours": 2, "Minutes": 0}}
        )
    ]
    status = status_at(night, [], NY, at("2026-11-28T01:00"))  # early Saturday
    assert status.is_open
    assert status.current_period_ends == at("2026-11-28T02:00")


def test_dst_spring_forward_keeps_local_opening_time() -> None:
    # 2027-03-14 is the US spring-forward Sunday; Monday still opens at 08:00 local (UTC-4 now).
    status = status_at(weekday_slices(), [], NY, at("2027-03-13T12:00"))
    assert status.next_open is not None
    assert status.next_open.isoformat() == "2027-03-15T08:00:00-04:00"


def test_dst_fall_back_utc_offset_changes() -> None:
    status = status_at(weekday_slices(), [], NY, at("2026-10-31T12:00"))  # Saturday before fall back
    assert status.next_open is not None
    assert status.next_open.isoformat() == "2026-11-02T08:00:00-05:00"


def test_standard_override_replaces_the_day_and_closes_days_it_does_not_list() -> None:
    thanksgiving = Override.from_connect(
        {
            "Name": "Thanksgiving",
            "OverrideType": "STANDARD",
            "EffectiveFrom": "2026-11-26",
            "EffectiveTill": "2026-11-27",
            "Config": [
                {
                    "Day": "FRIDAY",
                    "StartTime": {"Hours": 10, "Minutes": 0},
                    "EndTime": {"Hours": 14, "Minutes": 0},
                }
            ],
        }
    )
    status = status_at(weekday_slices(), [thanksgiving], NY, at("2026-11-25T21:00"))
    assert status.next_open == at("2026-11-27T10:00")  # Thursday closed, Friday short
    assert status.next_close == at("2026-11-27T14:00")


def test_closed_override_with_whole_day_slice_closes_that_day() -> None:
    closed = Override.from_connect(
        {
            "Name": "Holiday",
            "OverrideType": "CLOSED",
            "EffectiveFrom": "2026-12-25",
            "EffectiveTill": "2026-12-25",
            "Config": [
                {
                    "Day": "FRIDAY",
                    "StartTime": {"Hours": 0, "Minutes": 0},
                    "EndTime": {"Hours": 0, "Minutes": 0},
                }
            ],
        }
    )
    status = status_at(weekday_slices(), [closed], NY, at("2026-12-25T12:00"))
    assert not status.is_open
    assert status.next_open == at("2026-12-28T08:00")


def test_open_override_adds_time() -> None:
    extra = Override.from_connect(
        {
            "Name": "Saturday sale",
            "OverrideType": "OPEN",
            "EffectiveFrom": "2026-11-28",
            "EffectiveTill": "2026-11-28",
            "Config": [
                {
                    "Day": "SATURDAY",
                    "StartTime": {"Hours": 9, "Minutes": 0},
                    "EndTime": {"Hours": 13, "Minutes": 0},
                }
            ],
        }
    )
    assert status_at(weekday_slices(), [extra], NY, at("2026-11-28T10:00")).is_open
    assert not status_at(weekday_slices(), [], NY, at("2026-11-28T10:00")).is_open


def test_never_open_has_no_next_opening() -> None:
    status = status_at([], [], NY, at("2026-11-24T10:00"))
    assert status == status.__class__(False, None, None, None)


def test_midnight_to_midnight_is_open_all_day() -> None:
    # Connect: 12:00 AM to 12:00 AM is a 24-hour day.
    all_day = [Slice("SUNDAY", time(0, 0), time(0, 0))]
    status = status_at(all_day, [], NY, at("2026-11-29T03:00"))  # Sunday, 3 AM
    assert status.is_open
    assert status.current_period_ends == at("2026-11-30T00:00")
    status = status_at(all_day, [], NY, at("2026-11-28T23:59"))  # Saturday night
    assert not status.is_open
    assert status.next_open == at("2026-11-29T00:00")
