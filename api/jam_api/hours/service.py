"""Fetch an hours of operation (and its overrides) from Connect and describe it for the site."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from botocore.exceptions import ClientError

from jam_api.hours.cache import TtlCache
from jam_api.hours.directory import HoursDirectory
from jam_core.schedule.arithmetic import DAYS, Override, Slice, status_at
from jam_core.schedule.connect_read import read_schedule

NOT_FOUND = frozenset({"ResourceNotFoundException", "AccessDeniedException"})


class HoursNotFound(Exception):
    pass


class HoursService:
    def __init__(
        self,
        connect: Any,
        instance_id: str,
        cache: TtlCache[dict[str, Any]],
        now: Callable[[], datetime] | None = None,
        directory: HoursDirectory | None = None,
    ) -> None:
        """`directory` lists the instance's hours ids (the default refreshes every 15 minutes)."""
        self._connect = connect
        self._directory = directory or HoursDirectory(connect, instance_id, 900.0)
        self._instance_id = instance_id
        self._cache = cache
        self._now = now or (lambda: datetime.now(UTC))

    def describe(self, hours_id: str) -> dict[str, Any]:
        """The site's view: schedule + state computed now (the schedule part is cached)."""
        if not self._directory.knows(hours_id):
            # Not the instance's: no Connect call, no cache entry (see jam_api.hours.directory).
            raise HoursNotFound(hours_id)
        raw = self._cache.get(hours_id, lambda: self._fetch(hours_id), remember=HoursNotFound)
        zone = ZoneInfo(raw["TimeZone"])
        slices = [Slice.from_connect(c) for c in raw["Config"]]
        overrides = [Override.from_connect(o) for o in raw["Overrides"]]
        now = self._now()
        status = status_at(slices, overrides, zone, now)
        return {
            "hoursOfOperationId": raw["HoursOfOperationId"],
            "name": raw["Name"],
            "description": raw.get("Description", ""),
            "timeZone": raw["TimeZone"],
            "config": [_slice_view(s) for s in sorted(slices, key=lambda s: (DAYS.index(s.day), s.start))],
            "overrides": [_override_view(o) for o in overrides],
            "isOpen": status.is_open,
            "currentPeriodEnds": _iso(status.current_period_ends),
            "nextOpen": _iso(status.next_open),
            "nextClose": _iso(status.next_close),
            "generatedAt": _iso(now.astimezone(zone)),
        }

    def _fetch(self, hours_id: str) -> dict[str, Any]:
        try:
            return read_schedule(self._connect, self._instance_id, hours_id)
        except ClientError as exc:
            # On AWS the API's role may read the template's hours only (sam/template.yaml), so any
            # other id is refused before Connect looks it up: to the site that is "not found" too,
            # and remembered like it, so made-up ids cannot spend Connect's quota.
            if exc.response.get("Error", {}).get("Code") in NOT_FOUND:
                raise HoursNotFound(hours_id) from exc
            raise


def _hhmm(value: Any) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def _slice_view(piece: Slice) -> dict[str, str]:
    return {"day": piece.day, "start": _hhmm(piece.start), "end": _hhmm(piece.end)}


def _override_view(override: Override) -> dict[str, Any]:
    return {
        "name": override.name,
        "type": override.kind,
        "effectiveFrom": override.effective_from.isoformat(),
        "effectiveTill": override.effective_till.isoformat(),
        "config": [_slice_view(s) for s in override.slices],
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None
