"""The runtime's CheckHoursOfOperation answers with the same arithmetic as the API and the Lambda."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from local_connect.definitions import HoursConfig, HoursOfOperation, TimeOfDay, load_definitions
from local_connect.template_hours import is_open

NY = ZoneInfo("America/New_York")


def hours(config: list[tuple[str, int, int]], overrides: tuple[dict, ...] = ()) -> HoursOfOperation:
    return HoursOfOperation(
        logical_id="TestHours",
        id="h-1",
        arn="arn:aws:connect:us-east-1:000000000000:instance/i/operating-hours/h-1",
        name="Test",
        description="",
        time_zone="America/New_York",
        config=tuple(HoursConfig(day, TimeOfDay(start, 0), TimeOfDay(end, 0)) for day, start, end in config),
        overrides=overrides,
    )


def at(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=NY).timestamp()


def test_an_overnight_period_is_still_open_after_midnight_on_the_next_day() -> None:
    night = hours([("MONDAY", 22, 2)])
    assert is_open(night, at("2026-11-23T23:00"))
    assert is_open(night, at("2026-11-24T01:30"))  # Tuesday, inside Monday's period
    assert not is_open(night, at("2026-11-24T02:30"))


def test_midnight_to_midnight_is_the_whole_day() -> None:
    sunday = hours([("SUNDAY", 0, 0)])
    assert is_open(sunday, at("2026-11-29T00:00")) and is_open(sunday, at("2026-11-29T23:59"))
    assert not is_open(sunday, at("2026-11-30T00:00"))


def test_a_closed_override_from_the_template_closes_the_day() -> None:
    christmas = {
        "OverrideName": "Christmas",
        "OverrideType": "CLOSED",
        "EffectiveFrom": "2026-12-25",
        "EffectiveTill": "2026-12-25",
        "OverrideConfig": [
            {"Day": "FRIDAY", "StartTime": {"Hours": 0, "Minutes": 0}, "EndTime": {"Hours": 0, "Minutes": 0}}
        ],
    }
    weekdays = hours([("FRIDAY", 8, 20)], (christmas,))
    assert not is_open(weekdays, at("2026-12-25T12:00"))
    assert is_open(weekdays, at("2027-01-01T12:00"))


def test_the_template_hours_answer_like_the_api_would() -> None:
    sales = load_definitions().hours["SalesHours"]
    assert is_open(sales, at("2026-11-23T15:00"))  # Monday afternoon
    assert not is_open(sales, at("2026-11-23T21:00"))  # Monday after 20:00
