"""Local contact center benchmarks: routing decisions at depth, and many simultaneous calls.

Everything runs in-process on a manual clock (no sleeps), with the real ACD, the real SQLite store
(WAL, in a temporary directory), the real switchboard and, for the call test, the real flow engine
running the template's flow files and Lambdas.
"""

from __future__ import annotations

import gc
import os
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from local_connect.acd import AcdSettings, InitiationMethod
from local_connect.clock import ManualClock
from local_connect.numbers import INBOUND_NUMBER
from local_connect.runtime import Runtime, RuntimeOptions

QUEUED = 1_000
DECISIONS = 2_000
CONCURRENT_CALLS = 500


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


MONDAY_3PM_NEW_YORK = 1_767_643_200.0  # every department is open


def _runtime(directory: Path, name: str) -> tuple[Runtime, ManualClock]:
    clock = ManualClock(MONDAY_3PM_NEW_YORK)
    # Capacity off: the template caps queues at 50, and the benchmark wants 1,000 waiting.
    acd = AcdSettings(offer_timeout=3600, enforce_capacity=False)
    options = RuntimeOptions(db_path=directory / f"{name}.sqlite3", clock=clock, acd=acd)
    return Runtime(options), clock


def routing_at_depth(directory: Path) -> dict[str, Any]:
    """p50/p99 of one routing decision with QUEUED contacts waiting in the agents' queues.

    A decision is `best_contact_for(agent)` (which contact, honouring queue priority, delay,
    contact priority and time adjustment). A full offer cycle adds the state changes and their
    SQLite writes: agent Available -> offer -> accept -> end -> after-contact work closed, with a
    new contact enqueued each cycle so the depth stays at QUEUED.
    """
    runtime, clock = _runtime(directory, "routing")
    center = runtime.center
    queues = [q.id for q in runtime.definitions.queues.values()]
    numbers = [f"+1202555{i:04d}" for i in range(10_000)]

    def enqueue(i: int) -> None:
        contact = center.new_contact(InitiationMethod.INBOUND, numbers[i % len(numbers)], INBOUND_NUMBER)
        center.set_routing(contact.id, queue_id=queues[i % len(queues)], priority=1 + i % 5)
        center.enqueue(contact.id)

    with runtime.lock:
        for i in range(QUEUED):
            enqueue(i)
            clock.advance(0.5)
        clock.advance(600)  # past every routing-profile delay: all queues compete
        agent = center.agent("agent.generalist")
        decisions: list[float] = []
        for _ in range(DECISIONS):
            started = time.perf_counter()
            center.best_contact_for(agent)
            decisions.append((time.perf_counter() - started) * 1000)
        cycles: list[float] = []
        for i in range(500):
            started = time.perf_counter()
            center.set_agent_state("agent.generalist", "Available")  # routes and offers at once
            contact_id = center.agent("agent.generalist").contact_id
            assert contact_id is not None
            center.accept("agent.generalist", contact_id)
            center.end("agent.generalist", contact_id)
            center.set_agent_state("agent.generalist", "Offline")
            cycles.append((time.perf_counter() - started) * 1000)
            enqueue(QUEUED + i)
            clock.advance(1)
        depth = sum(len(line) for line in center.lines.values())
    runtime.stop()
    return {
        "depth": depth,
        "decision_p50": statistics.median(decisions),
        "decision_p99": _percentile(decisions, 0.99),
        "cycle_p50": statistics.median(cycles),
        "cycle_p99": _percentile(cycles, 0.99),
    }


def concurrent_calls(directory: Path, trace_memory: bool = False) -> dict[str, Any]:
    """CONCURRENT_CALLS callers dial in and stay on the line: IVR, then waiting in queue, no agents.

    Each caller answers the inbound flow as a person would (English, Support, technical), so every
    call runs the real flow, its Lambdas (prompts, customer lookup) and the transfer to a queue,
    and then the customer-queue flow (position, wait estimate, hold music loop with a callback
    offer) for a simulated minute, all calls at once. Queue capacity is off here (the template caps
    each queue at 50). Measured: time per call through the IVR, calls alive at the end; with
    trace_memory (a separate run, as tracing slows every allocation), the memory the live calls
    hold, as tracemalloc sees it (the process's RSS barely moves: freed arenas are reused).
    """
    from local_connect.runtime_flows import attach
    from scripts.seed import main as seed

    directory.mkdir(parents=True, exist_ok=True)
    runtime, clock = _runtime(directory, "calls")
    sqlite_path = directory / "jam.sqlite3"
    seed(["sqlite", "--sqlite-path", str(sqlite_path)])
    os.environ["LOG_LEVEL"] = "WARNING"  # the Lambdas log each call; 1,500 lines would drown the report
    attach(runtime, str(sqlite_path), {"LOG_LEVEL": "WARNING"})
    switchboard = runtime.switchboard
    callers = [f"+1312555{i:04d}" for i in range(CONCURRENT_CALLS)]
    with runtime.lock:  # warm up: imports, prompt cache, first SQLite pages
        switchboard.dial("+13125559999", INBOUND_NUMBER)
        switchboard.hang_up("+13125559999")
    gc.collect()
    if trace_memory:
        tracemalloc.start()
    per_call: list[float] = []
    started_all = time.perf_counter()
    with runtime.lock:
        for number in callers:
            started = time.perf_counter()
            switchboard.dial(number, INBOUND_NUMBER)
            for keys in ("1", "3", "1"):  # language: English; main menu: support; technical
                switchboard.send_digits(number, keys)
            per_call.append((time.perf_counter() - started) * 1000)
        for _ in range(30):  # a minute of queue-flow time for everyone at once
            clock.advance(2)
            runtime.scheduler.run_due()
    elapsed = time.perf_counter() - started_all
    gc.collect()
    held = tracemalloc.get_traced_memory()[0] if trace_memory else 0
    tracemalloc.stop()
    with runtime.lock:
        alive = len(switchboard.calls)
        queued = sum(len(line) for line in runtime.center.lines.values())
    runtime.stop()
    return {
        "calls": CONCURRENT_CALLS,
        "alive": alive,
        "queued": queued,
        "elapsed": elapsed,
        "ivr_p50": statistics.median(per_call),
        "ivr_p99": _percentile(per_call, 0.99),
        "memory_per_call_kb": held / max(1, alive) / 1024,
    }


def run() -> str:
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        routing = routing_at_depth(directory)
        try:
            calls: dict[str, Any] | str = concurrent_calls(directory / "timed")
            if isinstance(calls, dict):
                traced = concurrent_calls(directory / "traced", trace_memory=True)
                calls["memory_per_call_kb"] = traced["memory_per_call_kb"]
        except ImportError as exc:
            calls = f"not run: the flow engine is not available ({exc})"
    lines = [
        "## Local contact center (local_connect)",
        "",
        f"Method: `bench/local_connect.py`, in-process on a manual clock with the real ACD and SQLite store. "
        f"Routing: {QUEUED} contacts across all queues (priorities 1-5), the generalist agent (every queue, "
        f"with delays) asks for work {DECISIONS} times; then 500 full offer cycles at the same depth. "
        "Goal: p99 routing decision < 5 ms at 1,000 queued.",
        "",
        "| Measure | p50 | p99 |",
        "|---|---|---|",
        f"| routing decision at {routing['depth']} queued | {routing['decision_p50']:.3f} ms | "
        f"{routing['decision_p99']:.3f} ms |",
        f"| offer cycle (route, offer, accept, end, SQLite writes) | {routing['cycle_p50']:.3f} ms | "
        f"{routing['cycle_p99']:.3f} ms |",
        "",
    ]
    if isinstance(calls, str):
        lines.append(f"Concurrent calls: {calls}")
    else:
        lines += [
            f"Concurrent calls (goal ≥ 500): {calls['calls']} callers dial in one after another and nobody "
            "hangs up; each runs the real inbound flow (Lambdas in-process on SQLite) into Support with no "
            "agent available, then all of them hear a simulated minute of the customer-queue flow. "
            "Queue capacity is off for this run (the template caps each queue at 50).",
            "",
            "| Measure | Value |",
            "|---|---|",
            f"| calls alive at the end | {calls['alive']} ({calls['queued']} waiting in queues) |",
            f"| time per call through the IVR, p50 / p99 | {calls['ivr_p50']:.2f} ms / {calls['ivr_p99']:.2f} ms |",
            f"| total wall time | {calls['elapsed']:.1f} s |",
            f"| memory held per live call (tracemalloc, separate run) | {calls['memory_per_call_kb']:.1f} KiB |",
        ]
    return "\n".join(lines) + "\n"
