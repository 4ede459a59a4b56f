"""Contact records search for supervisors: one page of Connect's SearchContacts, newest first.

Connect's SearchContacts filters by time range, queue and agent (among others) but has no customer
number criterion, and its summaries carry no customer number: a search by phone number is refused
with a 400 that says so rather than answered wrongly. One request is one SearchContacts call (at
most 100 contacts, no pages followed), over at most MAX_WINDOW.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from flask import Request

from jam_api.problems import bad_request
from jam_api.timestamps import iso_utc

DEFAULT_WINDOW = timedelta(hours=24)
MAX_WINDOW = timedelta(days=31)
DEFAULT_LIMIT = 50
MAX_LIMIT = 100  # SearchContacts' MaxResults
QUEUE_ID = re.compile(r"^[A-Za-z0-9-]{1,100}$")
AGENT_ID = re.compile(r"^[A-Za-z0-9._@+-]{1,100}$")  # user ids on AWS; the twin uses usernames
# RFC 3339 date-time, as openapi.json's `format: date-time` (fromisoformat alone takes more forms).
DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")
LIMIT = re.compile(r"[0-9]{1,3}")
QUERY_PARAMETERS = frozenset({"from", "to", "queueId", "agentId", "limit"})


def _instant(request: Request, name: str) -> datetime | None:
    raw = request.args.get(name)
    if raw is None:
        return None
    try:
        if not DATE_TIME.fullmatch(raw):
            raise ValueError(raw)
        value = datetime.fromisoformat(raw.upper())
    except ValueError:
        raise bad_request(
            f"'{name}' must be an RFC 3339 date and time with an offset (e.g. 2026-11-25T09:00:00Z).",
            field=name,
        ) from None
    if value.tzinfo is None:
        raise bad_request(f"'{name}' needs a UTC offset (e.g. Z or -05:00).", field=name)
    return value


def search_arguments(request: Request, instance_id: str, now: datetime) -> dict[str, Any]:
    """SearchContacts' arguments from the query string, every value checked."""
    if "phone" in request.args:
        raise bad_request(
            "Amazon Connect's contact search cannot filter by customer number; search by time, queue or agent.",
            field="phone",
        )
    unknown = sorted(set(request.args) - QUERY_PARAMETERS)
    if unknown:
        # Not ignored: a misspelt filter would otherwise silently widen the search.
        raise bad_request(f"Unknown query parameter '{unknown[0]}'.", field=unknown[0])
    end = _instant(request, "to") or now
    start = _instant(request, "from") or end - DEFAULT_WINDOW
    if start >= end:
        raise bad_request("'from' must be before 'to'.", field="from")
    if end - start > MAX_WINDOW:
        raise bad_request(f"Search at most {MAX_WINDOW.days} days at a time.", field="from")
    try:
        raw_limit = request.args.get("limit", str(DEFAULT_LIMIT))
        if not LIMIT.fullmatch(raw_limit):
            raise ValueError(raw_limit)
        limit = int(raw_limit)
    except ValueError:
        raise bad_request("'limit' must be a whole number.", field="limit") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise bad_request(f"'limit' must be between 1 and {MAX_LIMIT}.", field="limit")
    criteria: dict[str, list[str]] = {}
    for name, key, pattern in (("queueId", "QueueIds", QUEUE_ID), ("agentId", "AgentIds", AGENT_ID)):
        value = request.args.get(name)
        if value is not None:
            if not pattern.fullmatch(value):
                raise bad_request(f"'{name}' is not a valid id.", field=name)
            criteria[key] = [value]
    arguments: dict[str, Any] = {
        "InstanceId": instance_id,
        "TimeRange": {"Type": "INITIATION_TIMESTAMP", "StartTime": start, "EndTime": end},
        "MaxResults": limit,
        "Sort": {"FieldName": "INITIATION_TIMESTAMP", "Order": "DESCENDING"},
    }
    if criteria:
        arguments["SearchCriteria"] = criteria
    return arguments


def contact_view(summary: dict[str, Any], queue_names: dict[str, str]) -> dict[str, Any]:
    queue = summary.get("QueueInfo") or {}
    agent = summary.get("AgentInfo") or {}
    queue_id = queue.get("Id")
    return {
        "contactId": summary["Id"],
        "initialContactId": summary.get("InitialContactId"),
        "previousContactId": summary.get("PreviousContactId"),
        "initiationMethod": summary.get("InitiationMethod"),
        "channel": summary.get("Channel"),
        "queueId": queue_id,
        "queueName": queue_names.get(queue_id) if queue_id else None,
        "agentId": agent.get("Id"),
        "initiatedAt": iso_utc(summary.get("InitiationTimestamp")),
        "enqueuedAt": iso_utc(queue.get("EnqueueTimestamp")),
        "connectedToAgentAt": iso_utc(agent.get("ConnectedToAgentTimestamp")),
        "disconnectedAt": iso_utc(summary.get("DisconnectTimestamp")),
    }
