"""Time for the runtime: a wall clock for `make run`, a manual clock tests drive, and timers on either.

Everything in the contact center that waits (offer timeouts, callback retries, routing-profile
delays) is a timer on a `Scheduler`, never a sleep, so a test can run a whole day in milliseconds by
advancing a `ManualClock`, and one real-time driver thread serves every call in `make run`.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

_log = logging.getLogger("local_connect.timers")
YIELD_SECONDS = 0.0002  # the real-time driver's pause between two timers, when other threads may wait


class Clock(Protocol):
    def now(self) -> float:
        """Seconds since the epoch (float)."""
        ...


class WallClock:
    def now(self) -> float:
        return time.time()


class AdjustableClock:
    """Real time, shifted: starts at a chosen instant and can jump ahead (demos and e2e tests).

    `make run --clock-start` pretends it is, say, Monday 15:00 in New York so hours of operation are
    predictable; `advance` skips a wait (a 60 s hold message) without waiting for it.
    """

    def __init__(self, start: float | None = None) -> None:
        self._offset = 0.0 if start is None else start - time.time()

    def now(self) -> float:
        return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        self._offset += max(0.0, seconds)


class ManualClock:
    """A clock that only moves when told to; starts at a fixed, realistic instant."""

    def __init__(self, start: float = 1_767_600_000.0) -> None:  # 2026-01-05 08:00 UTC, a Monday
        self._now = start

    def now(self) -> float:
        return self._now

    def set(self, instant: float) -> None:
        self._now = instant

    def advance(self, seconds: float) -> None:
        self._now += seconds


@dataclass(order=True)
class Timer:
    due: float
    seq: int
    callback: Callable[[], None] = field(compare=False)
    cancelled: bool = field(default=False, compare=False)

    def cancel(self) -> None:
        self.cancelled = True


class Scheduler:
    """A heap of timers on a clock. Not thread-safe by itself: callers hold the runtime lock."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._heap: list[Timer] = []
        self._seq = itertools.count()
        self.changed = threading.Event()  # wakes the real-time driver when an earlier timer appears
        self.errors: deque[str] = deque(maxlen=100)  # timers that raised (kept for tests and /local)

    def call_at(self, due: float, callback: Callable[[], None]) -> Timer:
        timer = Timer(due, next(self._seq), callback)
        heapq.heappush(self._heap, timer)
        self.changed.set()
        return timer

    def call_later(self, delay: float, callback: Callable[[], None]) -> Timer:
        return self.call_at(self.clock.now() + max(0.0, delay), callback)

    def next_due(self) -> float | None:
        while self._heap and self._heap[0].cancelled:
            heapq.heappop(self._heap)
        return self._heap[0].due if self._heap else None

    def run_next(self) -> bool:
        """Run the earliest timer if it is due now; False when none is."""
        due = self.next_due()
        if due is None or due > self.clock.now():
            return False
        timer = heapq.heappop(self._heap)
        try:
            timer.callback()
        except Exception as exc:  # one broken call must not stop every other call's timers
            _log.exception("timer %s failed", getattr(timer.callback, "__qualname__", timer.callback))
            self.errors.append(f"{type(exc).__name__}: {exc}")
        return True

    def run_due(self) -> int:
        """Run every timer that is due now (including ones that due timers add); returns how many."""
        ran = 0
        while self.run_next():
            ran += 1
        return ran

    def pending(self) -> int:
        return sum(1 for t in self._heap if not t.cancelled)


class RealTimeDriver:
    """A daemon thread that runs due timers under the runtime lock, sleeping until the next one.

    The lock is taken for one timer at a time and given up in between, so a flow whose timers keep
    falling due at once (a Wait of 0 s in a loop, until the engine's step budget ends it) or a burst
    of many calls' timers never keeps HTTP handlers and the switchboard waiting for the whole burst.
    """

    def __init__(self, scheduler: Scheduler, lock: threading.RLock, max_sleep: float = 0.5) -> None:
        self._scheduler = scheduler
        self._lock = lock
        self._max_sleep = max_sleep
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="local-connect-timers", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._scheduler.changed.set()
        self._thread.join(timeout=2)

    def _loop(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                self._scheduler.changed.clear()
                ran = self._scheduler.run_next()
                due = self._scheduler.next_due()
            if ran:
                # Python's locks are not fair: without a pause this thread takes the lock straight
                # back, and a thread waiting for it may wait for the whole burst.
                time.sleep(YIELD_SECONDS)
                continue
            wait = (
                self._max_sleep
                if due is None
                else min(self._max_sleep, max(0.0, due - self._scheduler.clock.now()))
            )
            self._scheduler.changed.wait(wait)
