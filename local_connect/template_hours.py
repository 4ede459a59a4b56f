"""Is an hours-of-operation open at an instant, for CheckHoursOfOperation in the local runtime.

The arithmetic is jam_core.schedule.arithmetic, the one the API and the hours_status Lambda use (DST,
overrides, periods past midnight, Connect's 00:00-00:00 day), fed with the template's hours in
the Connect API's shape, the same documents the Connect twin answers DescribeHoursOfOperation and
ListHoursOfOperationOverrides with.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from jam_core.schedule.arithmetic import Override, Slice, status_at
from local_connect.definitions import HoursOfOperation, stable_id


def connect_config(hours: HoursOfOperation) -> list[dict[str, Any]]:
    """The weekly schedule as DescribeHoursOfOperation's Config."""
    return [
        {
            "Day": c.day,
            "StartTime": {"Hours": c.start.hours, "Minutes": c.start.minutes},
            "EndTime": {"Hours": c.end.hours, "Minutes": c.end.minutes},
        }
        for c in hours.config
    ]


def connect_overrides(hours: HoursOfOperation) -> list[dict[str, Any]]:
    """The template's HoursOfOperationOverrides in the API's shape (CloudFormation names differ)."""
    return [
        {
            "HoursOfOperationOverrideId": stable_id("hours-override", f"{hours.logical_id}/{index}"),
            "HoursOfOperationId": hours.id,
            "HoursOfOperationArn": hours.arn,
            "Name": str(o.get("OverrideName", "")),
            "Description": str(o.get("OverrideDescription", "")),
            "Config": [
                {"Day": c["Day"], "StartTime": c["StartTime"], "EndTime": c["EndTime"]}
                for c in o.get("OverrideConfig", [])
            ],
            "EffectiveFrom": str(o.get("EffectiveFrom", "")),
            "EffectiveTill": str(o.get("EffectiveTill", "")),
            "OverrideType": str(o.get("OverrideType", "STANDARD")),
        }
        for index, o in enumerate(hours.overrides)
    ]


def is_open(hours: HoursOfOperation, instant: float) -> bool:
    slices = [Slice.from_connect(c) for c in connect_config(hours)]
    overrides = [Override.from_connect(o) for o in connect_overrides(hours)]
    now = datetime.fromtimestamp(instant, UTC)
    return status_at(slices, overrides, ZoneInfo(hours.time_zone), now).is_open
