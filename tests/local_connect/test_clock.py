"""Timers on the scheduler: order, cancellation, and a failing timer that must not stop the others."""

from __future__ import annotations

import threading
import time

from local_connect.clock import AdjustableClock, ManualClock, RealTimeDriver, Scheduler, WallClock


def test_timers_run_in_due_order_and_cancelled_ones_never_run() -> None:
    clock = ManualClock()
    scheduler = Scheduler(clock)
    ran: list[str] = []
    scheduler.call_later(5, lambda: ran.append("b"))
    scheduler.call_later(1, lambda: ran.append("a"))
    scheduler.call_later(3, lambda: ran.append("never")).cancel()
    clock.advance(4)
    assert scheduler.run_due() == 1 and ran == ["a"]
    clock.advance(1)
    scheduler.run_due()
    assert ran == ["a", "b"] and scheduler.pending() == 0


def test_a_failing_timer_is_recorded_and_the_next_timers_still_run() -> None:
    clock = ManualClock()
    scheduler = Scheduler(clock)
    ran: list[int] = []

    def broken() -> None:
        raise ValueError("a flow bug")

    scheduler.call_later(1, broken)
    scheduler.call_later(2, lambda: ran.append(2))
    clock.advance(2)
    assert scheduler.run_due() == 2
    assert ran == [2] and list(scheduler.errors) == ["ValueError: a flow bug"]


def test_the_adjustable_clock_starts_where_told_and_jumps_ahead() -> None:
    clock = AdjustableClock(start=1_767_643_200.0)
    assert abs(clock.now() - 1_767_643_200.0) < 1
    clock.advance(60)
    assert abs(clock.now() - 1_767_643_260.0) < 1
    assert abs(AdjustableClock().now() - WallClock().now()) < 1


def test_the_real_time_driver_runs_timers_when_they_fall_due() -> None:
    scheduler = Scheduler(WallClock())
    lock = threading.RLock()
    fired = threading.Event()
    driver = RealTimeDriver(scheduler, lock, max_sleep=0.05)
    driver.start()
    try:
        with lock:
            scheduler.call_later(0.05, fired.set)
        started = time.monotonic()
        assert fired.wait(2)
        assert time.monotonic() - started >= 0.04
    finally:
        driver.stop()
