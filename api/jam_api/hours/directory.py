"""Which hours of operation the instance has: ListHoursOfOperations, listed once and refreshed rarely.

An id the instance does not have is "not found" without any other Connect call and without a place
in the hours cache, so made-up ids can neither spend Connect's quota nor evict real departments
(and their stale-while-error answers) from the cache. One listing (a page per 1,000 hours) per
`ttl` per process; concurrent refreshes wait for one. When a refresh fails, the last listing is
kept and Connect is asked again after STALE_RETRY_SECONDS; with no listing yet, the error is given
to the caller, and remembered for STALE_RETRY_SECONDS so an outage does not become a retry storm.
An hours of operation created after the listing is known after the next refresh (at most `ttl`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from jam_api.hours.cache import STALE_RETRY_SECONDS


class HoursDirectory:
    def __init__(
        self, connect: Any, instance_id: str, ttl: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._connect = connect
        self._instance_id = instance_id
        self._ttl = ttl
        self._clock = clock
        self._ids: frozenset[str] | None = None
        self._next_refresh = float("-inf")
        self._error: Exception | None = None
        self._lock = threading.Lock()

    def knows(self, hours_id: str) -> bool:
        if self._clock() >= self._next_refresh:
            with self._lock:
                if self._clock() >= self._next_refresh:
                    self._refresh()
        if self._ids is None:
            assert self._error is not None
            raise self._error
        return hours_id in self._ids

    def _refresh(self) -> None:
        try:
            self._ids = self._list()
            self._error = None
            self._next_refresh = self._clock() + self._ttl
        except Exception as exc:  # botocore's errors; kept for the callers until the next try
            self._error = exc
            self._next_refresh = self._clock() + min(self._ttl, STALE_RETRY_SECONDS)
            if self._ids is None:
                raise

    def _list(self) -> frozenset[str]:
        ids: set[str] = set()
        pages = self._connect.get_paginator("list_hours_of_operations").paginate(
            InstanceId=self._instance_id, PaginationConfig={"PageSize": 1000}
        )
        for page in pages:
            ids.update(summary["Id"] for summary in page.get("HoursOfOperationSummaryList", []))
        return frozenset(ids)
