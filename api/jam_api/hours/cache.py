"""Per-id TTL cache with stale-while-error and single flight.

Page traffic must never reach Connect's default quota (2 requests/s), so each hours id is fetched
at most once per TTL per process, concurrent misses wait for one fetch, a failed refresh serves the
last good answer, and "not found" is remembered too so unknown ids cannot be used to drain quota.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
STALE_RETRY_SECONDS = 5.0


@dataclass
class _Entry(Generic[T]):
    value: T | None
    error: Exception | None
    fetched_at: float


class TtlCache(Generic[T]):
    def __init__(self, ttl: float, max_entries: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._max = max_entries
        self._clock = clock
        self._entries: OrderedDict[str, _Entry[T]] = OrderedDict()
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, key: str, fetch: Callable[[], T], *, remember: type[Exception] | tuple[()] = ()) -> T:
        """The cached value; `remember` errors (e.g. not found) are cached like values. By default
        no error is: every failure is retried on the next request (after the stale answer, if any)."""
        entry = self._fresh(key)
        if entry is None:
            with self._lock_for(key):
                entry = self._fresh(key) or self._refresh(key, fetch, remember)
        if entry.error is not None:
            raise entry.error
        assert entry.value is not None
        return entry.value

    def _fresh(self, key: str) -> _Entry[T] | None:
        with self._guard:
            entry = self._entries.get(key)
            if entry is not None and self._clock() - entry.fetched_at < self._ttl:
                self._entries.move_to_end(key)
                return entry
        return None

    def _refresh(self, key: str, fetch: Callable[[], T], remember: type[Exception] | tuple[()]) -> _Entry[T]:
        try:
            entry: _Entry[T] = _Entry(fetch(), None, self._clock())
        except remember as exc:
            entry = _Entry(None, exc, self._clock())
        except Exception:
            with self._guard:
                stale = self._entries.get(key)
            if stale is None or stale.value is None:
                raise
            # Stale-while-error: the last good answer beats an error page. Retry Connect after a
            # short pause rather than on every request, so an outage does not become a retry storm.
            retry_in = min(self._ttl, STALE_RETRY_SECONDS)
            entry = _Entry(stale.value, None, self._clock() - self._ttl + retry_in)
        with self._guard:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                evicted, _ = self._entries.popitem(last=False)
                self._locks.pop(evicted, None)
        return entry

    def _lock_for(self, key: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())
