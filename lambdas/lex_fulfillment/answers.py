"""Self-service answers: a department's hours (Connect's own hours, jam_core.schedule arithmetic) and a
verified caller's account (CustomerData)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hours_status.handler import fetch_schedule, now_utc, target_of

from jam_core.connect_lambda.settings import Settings
from jam_core.schedule import spoken
from jam_core.schedule.arithmetic import DAYS, Override, Slice, open_intervals, status_at
from jam_core.tables import repositories
from lex_fulfillment.bot import Bot

_STATUS_ES = {
    "delivered": "entregado",
    "shipped": "enviado",
    "processing": "en proceso",
    "cancelled": "cancelado",
}


def hours_arn(department: str, env: Mapping[str, str]) -> str:
    """The department's hours ARN: HOURS_ARN_SALES, HOURS_ARN_ACCOUNTS, HOURS_ARN_SUPPORT."""
    return env.get(f"HOURS_ARN_{department.upper()}", "")


def _target_day(day: str, now: datetime) -> date:
    today = now.date()
    if day == "TOMORROW":
        return today + timedelta(days=1)
    if day in DAYS:
        return today + timedelta(days=(DAYS.index(day) - today.weekday()) % 7)
    return today


def hours_answer(bot: Bot, locale: str, department: str, day: str, env: Mapping[str, str]) -> str:
    """ "Support is open now, until 11:00 PM Eastern time." / "On Saturday, Sales is open from 9:00 AM
    to 5:00 PM." Raises when Connect cannot be read (the caller gets hours_unknown)."""
    language = "es-US" if locale == "es_US" else "en-US"
    said = bot.departments[department].get(locale, department)
    arn = hours_arn(department, env)
    target = target_of(arn, "")
    schedule = fetch_schedule(target, env.get("CONNECT_ENDPOINT_URL") or None)
    zone = ZoneInfo(str(schedule["TimeZone"]))
    slices = [Slice.from_connect(c) for c in schedule["Config"]]
    overrides = [Override.from_connect(o) for o in schedule["Overrides"]]
    now = now_utc(env).astimezone(zone)
    zone_said = spoken.zone_name(str(schedule["TimeZone"]), language)
    if day in ("", "TODAY"):  # "now" and "today" are answered with the status right now
        status = status_at(slices, overrides, zone, now)
        if status.is_open and status.current_period_ends is not None:
            closes = f"{spoken.clock_time(status.current_period_ends, language)} {zone_said}"
            return bot.prompt(locale, "hours_open_now", department=said, closes=closes)
        if status.next_open is not None:
            nxt = spoken.next_opening(status.next_open, now, str(schedule["TimeZone"]), language)
            return bot.prompt(locale, "hours_closed_now", department=said, next_open=nxt)
        return bot.prompt(locale, "hours_unknown")
    target_day = _target_day(day, now)
    noon = datetime.combine(target_day, time(12), zone)
    ranges = [
        (start, end)
        for start, end in open_intervals(slices, overrides, zone, noon)
        if start.astimezone(zone).date() == target_day
    ]
    day_said = spoken.day_phrase(datetime.combine(target_day, time(12), zone), now, language)
    day_said = day_said.removeprefix("el ")
    if not ranges:
        return bot.prompt(locale, "hours_day_closed", department=said, day=day_said)
    joiner = " and " if locale == "en_US" else " y "
    words = ("from", "to") if locale == "en_US" else ("de", "a")
    text = joiner.join(
        f"{words[0]} {spoken.clock_time(s.astimezone(zone), language)} {words[1]} "
        f"{spoken.clock_time(e.astimezone(zone), language)}"
        for s, e in ranges
    )
    return bot.prompt(locale, "hours_day", department=said, day=day_said, ranges=f"{text} {zone_said}")


def _spoken_date(value: str, locale: str) -> str:
    moment = date.fromisoformat(value)
    month_en = moment.strftime("%B")
    if locale == "en_US":
        return f"{month_en} {moment.day}"
    months = spoken._MONTHS["es-US"]
    return f"{moment.day} de {months[moment.month - 1]}"


def account_answer(bot: Bot, locale: str, phone: str, topic: str, env: Mapping[str, str]) -> str:
    """The verified caller's balance and due date and/or last order, from CustomerData."""
    item: dict[str, Any] | None = repositories.customers(Settings.from_env(env)).get(phone) if phone else None
    if not item:
        return bot.prompt(locale, "account_unknown")
    parts: list[str] = []
    if topic in ("", "Balance") and item.get("Balance") and item.get("NextDueDate"):
        parts.append(
            bot.prompt(
                locale,
                "account_balance",
                balance=str(item["Balance"]),
                due=_spoken_date(str(item["NextDueDate"]), locale),
            )
        )
    if topic in ("", "Order") and item.get("LastOrderId"):
        status = str(item.get("LastOrderStatus") or "")
        if locale == "es_US":
            status = _STATUS_ES.get(status, status)
        parts.append(bot.prompt(locale, "account_order", order=str(item["LastOrderId"]), status=status))
    return " ".join(parts) or bot.prompt(locale, "account_unknown")


def environment() -> Mapping[str, str]:
    return os.environ
