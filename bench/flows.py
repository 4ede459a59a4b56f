"""Flow engine benchmark: loading the JAM flows, strict validation, the real-flow corpus, and many
concurrent calls on one thread.

Method: the four template flows are loaded and validated (placeholders resolved) repeatedly; each
one is also loaded strictly on its own (parse, resolve, validate against the action catalog) and the
median time per flow is reported. The corpus (../shared/flow-corpus, 30 real exports) is validated
strictly (documents and actions per second), then each document is called once by the conformance
suite's scripted caller on one shared in-memory center (documents and actions per second). Then
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
from local_connect.flows.corpus import CORPUS_DIR, corpus_files, corpus_harness, run_document, strict_report
from local_connect.flows.loader import FlowLibrary, load_flow_file
from local_connect.flows.testing import FlowHarness, ScriptedCaller, seed_database

CALLERS = 1000
LOAD_ROUNDS = 20
CORPUS_ROUNDS = 5


def _load_times() -> list[float]:
    definitions = load_definitions()
    times = []
    for _ in range(LOAD_ROUNDS):
        started = time.perf_counter()
        FlowLibrary.from_definitions(definitions)
        times.append((time.perf_counter() - started) * 1000)
    return times


def _strict_times() -> dict[str, float]:
    """Median milliseconds to load each JAM flow strictly (parse, resolve placeholders, validate)."""
    definitions = load_definitions()
    medians = {}
    for key, definition in definitions.flows.items():
        assert definition.flow_file is not None
        times = []
        for _ in range(LOAD_ROUNDS):
            started = time.perf_counter()
            load_flow_file(definition.flow_file, definitions, key=key, flow_type=definition.type, strict=True)
            times.append((time.perf_counter() - started) * 1000)
        medians[key] = statistics.median(times)
    return medians


def _corpus() -> list[str]:
    """Rows for the corpus: strict validation and the scripted calls, per second."""
    files = corpus_files()
    if not files:
        return [f"| the flow corpus | not found at {CORPUS_DIR} |"]
    started = time.perf_counter()
    validated_actions = 0
    for _ in range(CORPUS_ROUNDS):
        for path in files:
            strict_report(path)
    validation = time.perf_counter() - started
    for path in files:
        validated_actions += len(load_flow_file(path, key=path.name).flow.actions)
    with tempfile.TemporaryDirectory() as folder:
        harness = corpus_harness(Path(folder))
        try:
            started = time.perf_counter()
            runs = [run_document(path, harness) for _ in range(CORPUS_ROUNDS) for path in files]
            calling = time.perf_counter() - started
        finally:
            harness.close()
    documents = len(files) * CORPUS_ROUNDS
    ran = sum(run.actions for run in runs)
    return [
        f"| strict validation of the {len(files)} corpus documents ({CORPUS_ROUNDS} rounds) | "
        f"{documents / validation:.0f} documents/s, {validated_actions * CORPUS_ROUNDS / validation:.0f} actions/s |",
        f"| scripted call through each corpus document ({CORPUS_ROUNDS} rounds, one center) | "
        f"{documents / calling:.0f} documents/s, {ran / calling:.0f} actions/s ({ran / documents:.1f} actions each) |",
    ]


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
    strict = _strict_times()
    corpus = _corpus()
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
            *(
                f"| strict validation of {key} (median of {LOAD_ROUNDS}) | {ms:.2f} ms |"
                for key, ms in strict.items()
            ),
            *corpus,
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
