"""Pacing to Connect's quota: a token bucket, and the back-off after Connect says "throttled".

StartOutboundVoiceContact's default quota is 2 requests per second per account with a burst of 5
(Amazon Connect service quotas). The placer spends at most `rate` tokens a second; when Connect
throttles anyway (another client of the account used the quota), it waits, doubling up to
`max_backoff` seconds, and starts again at the quota's pace after a call goes through.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

DEFAULT_RATE = 2.0
DEFAULT_BURST = 5


class Pacer:
    def __init__(
        self,
        clock: Callable[[], float],
        rate: float = DEFAULT_RATE,
        burst: int = DEFAULT_BURST,
        max_backoff: float = 30.0,
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("the pace needs a positive rate and a burst of at least 1")
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._tokens = float(burst)
        self._stamp = clock()
        self._backoff = 0.0
        self._resume_at = 0.0
        self._max_backoff = max_backoff
        self._lock = threading.Lock()

    def _refill(self, now: float) -> None:
        self._tokens = min(float(self.burst), self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now

    def try_take(self) -> bool:
        """A token now, if one is there (and no back-off is running)."""
        with self._lock:
            now = self._clock()
            self._refill(now)
            if now < self._resume_at or self._tokens < 1:
                return False
            self._tokens -= 1
            return True

    def wait_seconds(self) -> float:
        """How long until try_take() can succeed."""
        with self._lock:
            now = self._clock()
            self._refill(now)
            waiting = max(0.0, self._resume_at - now)
            if self._tokens < 1:
                waiting = max(waiting, (1 - self._tokens) / self.rate)
            return waiting

    def throttled(self) -> None:
        """Connect said no: back off (1/rate, doubling up to max_backoff) and drop the burst."""
        with self._lock:
            self._backoff = min(self._max_backoff, max(1.0 / self.rate, self._backoff * 2))
            self._resume_at = self._clock() + self._backoff
            self._tokens = 0.0

    def succeeded(self) -> None:
        with self._lock:
            self._backoff = 0.0
