"""The website computes open/closed in the browser (so it can tick every second); the API computes
it on the server. Both must agree, DST and holidays included. This test holds the shared fixture
(web/src/time/fixtures/api-status.json, which vitest replays against the site's code) equal to
what the API's schedule module answers today. Regenerate after a deliberate rule change with
`python -m tests.e2e.test_site_schedule_parity`.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from jam_core.schedule.arithmetic import Override, Slice, status_at
from local_connect.definitions import REPO_ROOT

FIXTURE = REPO_ROOT / "web" / "src" / "time" / "fixtures" / "api-status.json"
DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")


def _slice(day: str, start: str, end: str) -> dict[str, str]:
    return {"day": day, "start": start, "end": end}


def _connect_slice(view: dict[str, str]) -> dict[str, Any]:
    def hm(text: str) -> dict[str, int]:
        hours, minutes = text.split(":")
        return {"Hours": int(hours), "Minutes": int(minutes)}

    return {"Day": view["day"], "StartTime": hm(view["start"]), "EndTime": hm(view["end"])}


HOLIDAYS = [
    {
        "name": "Christmas Day",
        "type": "CLOSED",
        "effectiveFrom": "2026-12-25",
        "effectiveTill": "2026-12-25",
        "config": [_slice("FRIDAY", "00:00", "00:00")],
    },
    {
        "name": "Christmas Eve",
        "type": "STANDARD",
        "effectiveFrom": "2026-12-24",
        "effectiveTill": "2026-12-24",
        "config": [_slice("THURSDAY", "08:00", "13:00")],
    },
    {
        "name": "Boxing week",
        "type": "OPEN",
        "effectiveFrom": "2026-12-27",
        "effectiveTill": "2026-12-27",
        "config": [_slice("SUNDAY", "10:00", "14:00")],
    },
    {
        "name": "Staff lunch",
        "type": "CLOSED",
        "effectiveFrom": "2026-12-28",
        "effectiveTill": "2026-12-30",
        "config": [_slice(d, "12:00", "13:30") for d in DAYS],
    },
]

SCHEDULES: dict[str, dict[str, Any]] = {
    "sales-new-york": {
        "timeZone": "America/New_York",
        "config": [_slice(d, "08:00", "20:00") for d in DAYS[:5]] + [_slice("SATURDAY", "09:00", "17:00")],
        "overrides": HOLIDAYS,
    },
    "overnight-new-york": {
        "timeZone": "America/New_York",
        "config": [_slice(d, "22:00", "06:00") for d in DAYS] + [_slice("SUNDAY", "01:30", "03:00")],
        "overrides": [],
    },
    "evenings-to-midnight-madrid": {
        "timeZone": "Europe/Madrid",
        "config": [_slice(d, "18:00", "00:00") for d in DAYS] + [_slice("SUNDAY", "02:00", "04:00")],
        "overrides": [],
    },
    # Connect's 24-hour day (00:00 to 00:00) on weekends, across both DST changes.
    "weekends-all-day-new-york": {
        "timeZone": "America/New_York",
        "config": [_slice(d, "00:00", "00:00") for d in DAYS[5:]] + [_slice("MONDAY", "09:00", "12:00")],
        "overrides": [],
    },
}

# Hourly (and on the half hour) through both 2026 DST changes in New York and Madrid and Christmas.
WINDOWS = [
    datetime(2026, 3, 7, tzinfo=UTC),
    datetime(2026, 3, 28, tzinfo=UTC),
    datetime(2026, 10, 24, tzinfo=UTC),
    datetime(2026, 10, 31, tzinfo=UTC),
    datetime(2026, 12, 23, tzinfo=UTC),
]


def instants() -> list[datetime]:
    return [start + timedelta(minutes=30 * i) for start in WINDOWS for i in range(4 * 48)]


def _ms(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp() * 1000)


def expected() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, schedule in SCHEDULES.items():
        slices = [Slice.from_connect(_connect_slice(s)) for s in schedule["config"]]
        overrides = [
            Override.from_connect(
                {
                    "Name": o["name"],
                    "OverrideType": o["type"],
                    "EffectiveFrom": o["effectiveFrom"],
                    "EffectiveTill": o["effectiveTill"],
                    "Config": [_connect_slice(s) for s in o["config"]],
                }
            )
            for o in schedule["overrides"]
        ]
        zone = ZoneInfo(schedule["timeZone"])
        samples = []
        for now in instants():
            status = status_at(slices, overrides, zone, now)
            samples.append([_ms(now), status.is_open, _ms(status.next_open), _ms(status.next_close)])
        out[name] = {"hours": schedule, "samples": samples}
    return out


def render() -> str:
    return json.dumps(expected(), separators=(",", ":")) + "\n"


def test_the_sites_fixture_is_what_the_api_answers() -> None:
    assert FIXTURE.read_text(encoding="utf-8") == render(), (
        "the API's hours rules changed: regenerate with `python -m tests.e2e.test_site_schedule_parity`"
        " and make the site's time/schedule.ts agree (npm test replays the fixture)"
    )


if __name__ == "__main__":
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    FIXTURE.write_text(render(), encoding="utf-8")
    print(f"wrote {FIXTURE} ({sum(len(s['samples']) for s in expected().values())} samples)", file=sys.stderr)
