"""Live queue metrics for supervisors: Connect's GetCurrentMetricData per queue, named by ListQueues.

Only the queues the deployment names (METRICS_QUEUE_IDS: the template's six) are asked about.
Connect authorizes GetCurrentMetricData on the instance *and on every queue in the filter*, and the
API's role names only the template's queues; an existing instance also lists BasicQueue and any
queue made by hand, and asking about one of those made the whole page fail with AccessDenied.
ListQueues (authorized on the instance) still names every queue, so contact search can show the
name of a queue outside the template. An empty METRICS_QUEUE_IDS means every STANDARD queue: the
local twin, whose queues are exactly the template's.

Every supervisor's page polls every 2 s. Connect's default quotas are low (GetCurrentMetricData
5 requests/s, ListQueues 2/s per account), so one snapshot per process is shared by every caller for
SNAPSHOT_TTL_SECONDS (concurrent misses wait for one fetch), and the queue list, which changes only
on deployment, is kept for QUEUE_LIST_TTL_SECONDS. A failed refresh serves the last snapshot
briefly (TtlCache's stale-while-error); `dataSnapshotTime` tells the page how old it is.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from jam_api.hours.cache import TtlCache

SNAPSHOT_TTL_SECONDS = 2.0
QUEUE_LIST_TTL_SECONDS = 300.0
MAX_QUEUES_PER_REQUEST = 100  # Connect's limit on Filters.Queues

# Connect metric name -> our field. OLDEST_CONTACT_AGE is in seconds because we group by QUEUE
# (without groupings Connect answers it in milliseconds while still saying SECONDS).
COUNTS = {
    "CONTACTS_IN_QUEUE": "contactsInQueue",
    "AGENTS_ONLINE": "agentsOnline",
    "AGENTS_AVAILABLE": "agentsAvailable",
    "AGENTS_ON_CONTACT": "agentsOnContact",
    "AGENTS_AFTER_CONTACT_WORK": "agentsAfterContactWork",
}
SECONDS = {"OLDEST_CONTACT_AGE": "oldestContactAgeSeconds"}
CURRENT_METRICS = [{"Name": n, "Unit": "COUNT"} for n in COUNTS] + [
    {"Name": n, "Unit": "SECONDS"} for n in SECONDS
]


class QueueMetricsService:
    def __init__(
        self,
        connect: Any,
        instance_id: str,
        queue_ids: Sequence[str] = (),
        *,
        ttl: float = SNAPSHOT_TTL_SECONDS,
        queue_list_ttl: float = QUEUE_LIST_TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._connect = connect
        self._instance_id = instance_id
        self._queue_ids = frozenset(queue_ids)
        self._snapshots: TtlCache[dict[str, Any]] = TtlCache(ttl, 1, clock)
        self._queue_lists: TtlCache[list[dict[str, str]]] = TtlCache(queue_list_ttl, 1, clock)

    def snapshot(self) -> dict[str, Any]:
        """{"queues": [...by name], "dataSnapshotTime": ISO 8601 or null}, at most `ttl` old."""
        return self._snapshots.get("queues", self._fetch)

    def queue_names(self) -> dict[str, str]:
        """Queue id -> name, from the same cached ListQueues the metrics use."""
        return {q["id"]: q["name"] for q in self._queues()}

    def _queues(self) -> list[dict[str, str]]:
        return self._queue_lists.get("queues", self._list_queues)

    def _list_queues(self) -> list[dict[str, str]]:
        queues: list[dict[str, str]] = []
        token: str | None = None
        while True:
            args: dict[str, Any] = {"InstanceId": self._instance_id, "QueueTypes": ["STANDARD"]}
            if token:
                args["NextToken"] = token
            page = self._connect.list_queues(**args)
            queues += [
                {"id": q["Id"], "name": q.get("Name", q["Id"])} for q in page.get("QueueSummaryList", [])
            ]
            token = page.get("NextToken")
            if not token:
                return sorted(queues, key=lambda q: q["name"])

    def _metric_queues(self) -> list[dict[str, str]]:
        """The queues the page shows: the configured ones that exist (all when none is configured)."""
        queues = self._queues()
        if not self._queue_ids:
            return queues
        return [q for q in queues if q["id"] in self._queue_ids]

    def _fetch(self) -> dict[str, Any]:
        queues = self._metric_queues()
        values: dict[str, dict[str, float]] = {}
        snapshot_time: datetime | None = None
        for start in range(0, len(queues), MAX_QUEUES_PER_REQUEST):
            ids = [q["id"] for q in queues[start : start + MAX_QUEUES_PER_REQUEST]]
            token: str | None = None
            while True:
                args: dict[str, Any] = {
                    "InstanceId": self._instance_id,
                    "Filters": {"Queues": ids},
                    "Groupings": ["QUEUE"],
                    "CurrentMetrics": CURRENT_METRICS,
                }
                if token:
                    args["NextToken"] = token
                page = self._connect.get_current_metric_data(**args)
                snapshot_time = page.get("DataSnapshotTime") or snapshot_time
                for result in page.get("MetricResults", []):
                    queue_id = ((result.get("Dimensions") or {}).get("Queue") or {}).get("Id")
                    if queue_id:
                        values[queue_id] = {
                            c["Metric"]["Name"]: float(c.get("Value") or 0)
                            for c in result.get("Collections", [])
                        }
                token = page.get("NextToken")
                if not token:
                    break
        return {
            # Connect leaves out queues it has no data for: those have nothing waiting and no one on.
            "queues": [_queue_view(q, values.get(q["id"], {})) for q in queues],
            "dataSnapshotTime": snapshot_time.isoformat() if snapshot_time else None,
        }


def _queue_view(queue: dict[str, str], values: dict[str, float]) -> dict[str, Any]:
    view: dict[str, Any] = {"queueId": queue["id"], "name": queue["name"]}
    for metric, field in {**COUNTS, **SECONDS}.items():
        view[field] = round(values.get(metric, 0.0))
    return view
