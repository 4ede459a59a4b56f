"""The local stand-in for the SQS queue and its Lambda: places waiting click-to-calls in order.

On AWS a request that waits for Connect's outbound quota is a message on an SQS FIFO queue that the
call placer Lambda (lambdas/call_placer) drains. Locally there is no SQS: this loop reads the due
requests from the same CallRequests table (the stack's SQLite file, so a request survives a
restart and kill -9), and places each with the same code (jam_core.calls.placing) through a real
boto3 client against the Connect twin, at the quota's pace (jam_core.calls.pacing).

Why not moto's SQS server: it keeps messages in memory, so a kill -9 would lose queued calls; the
SQLite table already holds every request durably and in order, which is all the queue adds on AWS.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from jam_core.calls.pacing import Pacer
from jam_core.calls.placing import Outcome, place
from jam_core.tables.call_requests import CallRequestRepository

log = logging.getLogger(__name__)
IDLE_POLL_SECONDS = 0.2
BATCH = 20


class LocalCallPlacer:
    def __init__(
        self,
        requests: CallRequestRepository,
        connect: Any,
        pacer: Pacer,
        *,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self._requests = requests
        self._connect = connect
        self._pacer = pacer
        self._wall_clock = wall_clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.placed = 0
        self.failed = 0

    def run_once(self, *, wait: Callable[[float], object] | None = None) -> int:
        """Place what is due now, pacing as the quota allows; how many requests were settled."""
        wait = wait or self._stop.wait
        settled = 0
        for request in self._requests.due(self._wall_clock(), BATCH):
            while not self._pacer.try_take():
                if wait(self._pacer.wait_seconds() or 0.01) is True:
                    return settled  # stopping
            outcome = place(self._connect, self._requests, request, self._wall_clock())
            if outcome is Outcome.RETRY:
                # Throttled (or Connect could not answer): keep the order, try this one again first.
                self._pacer.throttled()
                return settled
            self._pacer.succeeded()
            settled += 1
            if outcome is Outcome.PLACED:
                self.placed += 1
            else:
                self.failed += 1
        return settled

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                if self.run_once() == 0:
                    self._stop.wait(IDLE_POLL_SECONDS)
            except Exception:  # a broken database or client must not end the loop silently
                log.exception("placing waiting click-to-calls failed; retrying")
                self._stop.wait(1.0)

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="call-placer", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
