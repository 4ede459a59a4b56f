"""A token bucket per client address for the public hours route (it needs no sign-in).

Per process: on Lambda each warm container limits on its own, API Gateway's throttling bounds the
total. At most MAX_ADDRESSES buckets are kept (least recently seen forgotten first), so a flood of
addresses costs bounded memory; a forgotten address starts again with a full bucket.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

MAX_ADDRESSES = 10_000


class AddressRateLimiter:
    def __init__(
        self,
        count: int,
        seconds: int,
        clock: Callable[[], float] = time.monotonic,
        max_addresses: int = MAX_ADDRESSES,
    ) -> None:
        self._capacity = float(count)
        self._rate = count / seconds  # tokens per second
        self._clock = clock
        self._max = max_addresses
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # address -> (tokens, at)
        self._lock = threading.Lock()

    def retry_after(self, address: str) -> int | None:
        """Takes one request from the address's bucket: None if allowed, else seconds to wait."""
        now = self._clock()
        with self._lock:
            tokens, at = self._buckets.get(address, (self._capacity, now))
            tokens = min(self._capacity, tokens + (now - at) * self._rate)
            allowed = tokens >= 1.0
            if allowed:
                tokens -= 1.0
            self._buckets[address] = (tokens, now)
            self._buckets.move_to_end(address)
            while len(self._buckets) > self._max:
                self._buckets.popitem(last=False)
        return None if allowed else max(1, math.ceil((1.0 - tokens) / self._rate))
