"""Flow engine benchmark: loading the JAM flows, and many concurrent calls on one thread.

Method: the four template flows are loaded and validated (placeholders resolved) repeatedly. Then
N callers dial the inbound flow at once on an in-memory center with a manual clock and the real
Lambdas (in-process, on a seeded SQLite file): all pick Spanish, Support, Devices, and wait in the
queue with the customer-queue flow's hold loop running. Wall time covers every action, Lambda call
and prompt; memory is what tracemalloc sees allocated while the N sessions are alive (a separate
run, as tracemalloc slows everything down). Then one minute of holding passes for every caller.
"""

from __future__ import annotations

import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

from local_connect.definitions import load_definitions
from local_connect.flows.loader import FlowLibrary
from local_connect.flows.testing import FlowHarness, ScriptedCaller, seed_database

CALLERS = 1000
LOAD_ROUNDS = 20


def _load_times() -> list[float]:
    definitions = load_definitions()
    times = []
    for _ in range(LOAD_ROUNDS):
        started = time.perf_counter()
        FlowLibrary.from_definitions(definitions)
        times.append((time.perf_counter() - started) * 1000)
    return times


def _dial_to_queue(harness: FlowHarness) -> list[ScriptedCaller]:
    calls = [harness.dial(f"+1202555{2000 + i:04d}") for i in range(CALLERS)]
    for keys in ("2", "3", "2"):  # Spanish, Support, Devices
        for call in calls:
            call.press(keys)
    queued = sum(1 for c in calls if c.contact.state == "queued")
    assert queued == CALLERS, f"only {queued} of {CALLERS} callers reached the queue"
    return calls


def _harness(database: Path) -> FlowHarness:
    harness = FlowHarness(database, lambda_env={"LOG_LEVEL": "ERROR"})
    harness.set_local_time("2026-01-05 10:00")
    return harness


def _concurrent_calls(database: Path) -> tuple[float, float, int, int]:
    """(seconds to queue every caller, seconds for a minute of holding, actions, Lambda calls)."""
    harness = _harness(database)
    started = time.perf_counter()
    calls = _dial_to_queue(harness)
    elapsed = time.perf_counter() - started
    actions = sum(len(c.session.trace) for c in calls)
    lambdas = harness.lambdas.inner.invocations
    # A minute of holding for every caller: the hold loop and the callback offer are timers.
    started_hold = time.perf_counter()
    calls[0].wait(60)
    return elapsed, time.perf_counter() - started_hold, actions, lambdas


def _memory(database: Path) -> int:
    """Bytes held by the live sessions (measured apart: tracemalloc slows everything down)."""
    harness = _harness(database)
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    calls = _dial_to_queue(harness)
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    assert len(calls) == CALLERS
    return held


def run() -> str:
    loads = _load_times()
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "jam.sqlite3"
        seed_database(str(database))
        elapsed, hold, actions, lambdas = _concurrent_calls(database)
        held = _memory(database)
    return "\n".join(
        [
            "## Flow engine (local_connect.flows)",
            "",
            __doc__.split("\n\n", 1)[1].strip(),
            "",
            "| measure | value |",
            "|---|---|",
            f"| load + validate the 4 JAM flows (median of {LOAD_ROUNDS}) | {statistics.median(loads):.1f} ms |",
            f"| {CALLERS} concurrent callers from dial to queued, one thread | {elapsed:.2f} s |",
            f"| per caller | {elapsed / CALLERS * 1000:.2f} ms ({actions / CALLERS:.0f} actions, "
            f"{lambdas / CALLERS:.0f} Lambda calls) |",
            f"| per action, Lambda calls included | {elapsed / actions * 1e6:.0f} µs |",
            f"| memory held by {CALLERS} live sessions (tracemalloc) | {held / 1024 / 1024:.1f} MiB "
            f"({held / CALLERS / 1024:.1f} KiB per call) |",
            f"| one minute of hold loops for all {CALLERS} callers | {hold:.2f} s |",
        ]
    )


if __name__ == "__main__":  # pragma: no cover
    print(run())
