"""Per-customer sliding-window limit on click-to-call requests.

Kept in the process: on Lambda each warm container limits on its own, so the effective limit is
per container; API Gateway's throttling bounds the total. A retried request with the same
Idempotency-Key does not count twice (it places no new call).
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"retry after {retry_after}s")
        self.retry_after = retry_after


class CallRateLimiter:
    def __init__(self, limit: int, window_seconds: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._limit = limit
        self._window = window_seconds
        self._clock = clock
        self._calls: dict[str, deque[tuple[float, str | None]]] = defaultdict(deque)
        self._lock = threading.Lock()

    def acquire(self, customer: str, idempotency_key: str | None) -> bool:
        """Takes a slot (True), or none for a retry of a request already counted (False)."""
        now = self._clock()
        with self._lock:
            calls = self._calls[customer]
            while calls and now - calls[0][0] >= self._window:
                calls.popleft()
            if idempotency_key is not None and any(key == idempotency_key for _, key in calls):
                return False
            if len(calls) >= self._limit:
                raise RateLimited(max(1, math.ceil(self._window - (now - calls[0][0]))))
            calls.append((now, idempotency_key))
            return True

    def release(self, customer: str, idempotency_key: str | None) -> None:
        """Give the slot back when Connect placed no call (an error), so failures do not lock a user out.
        Only for a slot acquire() took: a failed retry must not free the slot of a call that was placed."""
        with self._lock:
            calls = self._calls.get(customer)
            if calls:
                for entry in reversed(calls):
                    if entry[1] == idempotency_key:
                        calls.remove(entry)
                        break
