"""Connect's default API quota as a token bucket per operation: 2 requests a second, bursts of 5."""

from __future__ import annotations

import threading
from collections.abc import Callable


class TokenBucket:
    def __init__(self, rate: float, burst: int, now: Callable[[], float]) -> None:
        self.rate = rate
        self.burst = burst
        self._now = now
        self._tokens = float(burst)
        self._stamp = now()

    def take(self) -> bool:
        now = self._now()
        self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now
        if self._tokens >= 1:
            self._tokens -= 1
            return True
        return False


class Throttle:
    """One bucket per operation, as Connect's quotas are per API action."""

    def __init__(self, now: Callable[[], float], rate: float = 2.0, burst: int = 5) -> None:
        self._now = now
        self.rate = rate
        self.burst = burst
        self._buckets: dict[str, TokenBucket] = {}
        self._lock = threading.Lock()

    def allow(self, operation: str) -> bool:
        with self._lock:
            bucket = self._buckets.get(operation)
            if bucket is None:
                bucket = self._buckets[operation] = TokenBucket(self.rate, self.burst, self._now)
            return bucket.take()
