"""Hours status: is a department open, and if not, when does it open next, said for the caller.

Amazon Connect's Check hours of operation block only answers open or closed; this tells the flow
the next opening so the closed message can say it. Parameters: HoursOfOperationArn (or
HoursOfOperationId, with the contact's instance), LanguageCode (else the contact's language; en-US
or es-US). Reply, a flat string map:
  {"isOpen": "false", "nextOpen": "2026-01-12T08:00:00-05:00", "nextOpenKnown": "true",
   "nextOpenSpoken": "Monday at 8:00 AM Eastern time", "timeZone": "America/New_York", ...}
  {"isOpen": "true", "nextOpen": "", "nextOpenSpoken": "", "nextOpenKnown": "false", "closesAt": "..."}
  {"isOpen": "unknown", "nextOpenKnown": "false", ..., "error": "..."}   Connect failed
The schedule comes from Connect itself (DescribeHoursOfOperation + ListHoursOfOperationOverrides),
so the spoken time can never disagree with the hours the flow checked; the arithmetic is
jam_core.schedule.arithmetic, the one the website's hours use.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from jam_core.aws_sdk import connect
from jam_core.connect_lambda import events
from jam_core.connect_lambda.jsonlog import InvocationLog
from jam_core.connect_lambda.responses import connect_handler
from jam_core.schedule import spoken
from jam_core.schedule.arithmetic import Override, Slice, status_at
from jam_core.schedule.connect_read import read_schedule

FUNCTION = "hours_status"
PARAMETERS = frozenset({"HoursOfOperationArn", "HoursOfOperationId", "LanguageCode"})
# nextOpenKnown lets a flow branch with Compare/Equals (Connect has no "is not empty" condition).
FAILED = {
    "isOpen": "unknown",
    "nextOpen": "",
    "nextOpenSpoken": "",
    "nextOpenKnown": "false",
    "timeZone": "",
    "error": "hours_failed",
}
# Connect's default quota for these calls is 2 per second per account: a warm container keeps a
# schedule this long, so a burst of after-hours callers costs Connect one pair of calls a minute.
CACHE_SECONDS = 60.0


class BadParameters(ValueError):
    pass


@dataclass(frozen=True)
class Target:
    region: str | None
    instance_id: str
    hours_id: str


def target_of(reference: str, instance_arn: str) -> Target:
    """Region, instance and hours id from an hours ARN
    (arn:aws:connect:<region>:<account>:instance/<instance>/operating-hours/<hours>), or from a bare
    hours id and the contact's instance ARN."""
    reference = reference.strip()
    if reference.startswith("arn:"):
        parts = reference.split(":", 5)
        path = parts[5].split("/") if len(parts) == 6 else []
        if (
            parts[2:3] != ["connect"]
            or len(path) != 4
            or path[0] != "instance"
            or path[2] != "operating-hours"
        ):
            raise BadParameters("HoursOfOperationArn is not an hours of operation ARN")
        if not path[1] or not path[3]:
            raise BadParameters("HoursOfOperationArn lacks an id")
        return Target(parts[3] or None, path[1], path[3])
    if not reference or "/" in reference:
        raise BadParameters("HoursOfOperationArn or HoursOfOperationId is required")
    parts = instance_arn.split(":", 5)
    path = parts[5].split("/") if len(parts) == 6 else []
    if len(path) < 2 or path[0] != "instance" or not path[1]:
        raise BadParameters("an HoursOfOperationId needs the contact's InstanceARN")
    return Target(parts[3] or None, path[1], reference)


_cache_lock = threading.Lock()
_cache: dict[tuple[Target, str | None], tuple[float, dict[str, Any]]] = {}


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


def fetch_schedule(target: Target, endpoint_url: str | None) -> dict[str, Any]:
    """The hours (TimeZone, Config) with their overrides, from Connect or this container's cache."""
    key = (target, endpoint_url)
    with _cache_lock:
        cached = _cache.get(key)
    if cached is not None and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]
    client = connect.client(target.region or os.environ.get("AWS_REGION"), endpoint_url)
    hours = read_schedule(client, target.instance_id, target.hours_id)
    schedule = {
        "TimeZone": hours["TimeZone"],
        "Config": hours.get("Config", []),
        "Overrides": hours["Overrides"],
    }
    with _cache_lock:
        _cache[key] = (time.monotonic(), schedule)
    return schedule


def now_utc(env: Mapping[str, str]) -> datetime:
    # Only the local runtime sets LOCAL_CONNECT_NOW: its clock (which tests and demos move) is the
    # instant to judge. Spelled out here so tests/iac reads it from the source.
    local = env.get("LOCAL_CONNECT_NOW", "").strip()
    return datetime.fromtimestamp(float(local), UTC) if local else datetime.now(UTC)


def describe(schedule: Mapping[str, Any], now: datetime, language: str) -> dict[str, str]:
    """The reply for a schedule at `now`: open or closed, and the next opening said in `language`."""
    zone_key = str(schedule["TimeZone"])
    zone = ZoneInfo(zone_key)
    slices = [Slice.from_connect(c) for c in schedule["Config"]]
    overrides = [Override.from_connect(o) for o in schedule["Overrides"]]
    status = status_at(slices, overrides, zone, now)
    reply = {
        "isOpen": "true" if status.is_open else "false",
        "nextOpen": "",
        "nextOpenSpoken": "",
        "nextOpenKnown": "false",
        "closesAt": "",
        "timeZone": zone_key,
        "languageUsed": spoken.language_of(language),
    }
    if status.is_open and status.current_period_ends is not None:
        reply["closesAt"] = status.current_period_ends.isoformat(timespec="seconds")
    elif not status.is_open and status.next_open is not None:
        reply["nextOpen"] = status.next_open.isoformat(timespec="seconds")
        reply["nextOpenSpoken"] = spoken.next_opening(status.next_open, now, zone_key, language)
        reply["nextOpenKnown"] = "true"
    return reply


def hours_status(event: Any, log: InvocationLog, env: Mapping[str, str]) -> dict[str, str]:
    params = events.parameters(event)
    language = events.language_code(event, params) or "en-US"
    reference = params.get("HoursOfOperationArn") or params.get("HoursOfOperationId") or ""
    instance_arn = events.instance_arn(event)
    try:
        target = target_of(reference, instance_arn)
    except BadParameters as exc:
        log.warning("bad_parameters", detail=str(exc))
        return {**FAILED, "error": "bad_parameters"}
    try:
        schedule = fetch_schedule(target, env.get("CONNECT_ENDPOINT_URL") or None)
        reply = describe(schedule, now_utc(env), language)
    except Exception as exc:  # Connect down, throttled, unknown hours, odd data: the call goes on
        response = getattr(exc, "response", None)  # botocore's ClientError carries Connect's code
        error = response.get("Error") if isinstance(response, Mapping) else None
        code = (error.get("Code") if isinstance(error, Mapping) else None) or type(exc).__name__
        log.error("hours_unavailable", hoursId=target.hours_id, error=code, detail=str(exc)[:300])
        return {**FAILED, "error": "hours_unavailable"}
    log.info("hours_status", hoursId=target.hours_id, isOpen=reply["isOpen"], nextOpen=reply["nextOpen"])
    return reply


@connect_handler(FUNCTION, FAILED)
def lambda_handler(event: Any, log: InvocationLog) -> Mapping[str, Any]:
    return hours_status(event, log, os.environ)
