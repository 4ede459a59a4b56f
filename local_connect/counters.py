"""Read-only load counters of the running stack, for `make loadtest` (GET /local/stats).

What the deployed stack would be billed and throttled on, counted where the local stack does the
same work: Lambda invocations by function (flows/lambdas.py), reads and writes by table (every
statement the SQLite repositories of jam_core.tables run, the DynamoDB tables' stand-ins), Connect
API requests by operation (the twin's /connect-api), and how long each routing decision takes
(ContactCenter._dispatch). One process-wide instance: the counters only ever go up, so a reader
takes two snapshots and subtracts. Counting costs a lock and a dict update per event.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections import Counter, defaultdict, deque
from typing import Any

from jam_core.tables import sqlite_db

# jam_core.tables' SQLite table -> the DynamoDB table it stands in for (sam/template.yaml logical ids).
SQLITE_TABLES = {
    "customers": "CustomerDataTable",
    "prompts": "PromptsTable",
    "survey_results": "SurveyResultsTable",
    "call_requests": "CallRequestsTable",
    "pin_state": "PinStateTable",
}
PLACER_THREAD = "call-placer"  # local_connect/call_placer.py's thread
ROUTING_SAMPLES = 200_000  # the latest decisions kept for percentiles (a few MB at most)
_STATEMENT = re.compile(
    r"^\s*(?:(SELECT)\b.*?\bFROM\s+(\w+)|(INSERT)\b.*?\bINTO\s+(\w+)|(UPDATE)\s+(\w+)|(DELETE)\s+FROM\s+(\w+))",
    re.IGNORECASE | re.DOTALL,
)


class LoadCounters:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.lambda_invocations: Counter[str] = Counter()
        self.lambda_seconds: defaultdict[str, float] = defaultdict(float)
        self.table_reads: Counter[str] = Counter()
        self.table_writes: Counter[str] = Counter()
        self.connect_operations: Counter[str] = Counter()
        self.routing_decisions = 0
        self.placer_statements = 0
        self.routing_seconds: deque[float] = deque(maxlen=ROUTING_SAMPLES)  # wall clock
        self.routing_cpu_seconds: deque[float] = deque(maxlen=ROUTING_SAMPLES)  # the thread's own CPU

    def lambda_invoked(self, function: str, seconds: float) -> None:
        with self._lock:
            self.lambda_invocations[function] += 1
            self.lambda_seconds[function] += seconds

    def connect_called(self, operation: str) -> None:
        with self._lock:
            self.connect_operations[operation] += 1

    def routed(self, seconds: float, cpu_seconds: float) -> None:
        """One routing decision: its wall time (with whatever the GIL and other threads add) and
        the CPU the deciding thread spent (the decision's own cost)."""
        with self._lock:
            self.routing_decisions += 1
            self.routing_seconds.append(seconds)
            self.routing_cpu_seconds.append(cpu_seconds)

    def statement(self, sql: str) -> None:
        """sqlite3's trace callback: one read or write of a table per SELECT / INSERT / UPDATE / DELETE."""
        found = _STATEMENT.match(sql)
        if found is None:
            return  # BEGIN, COMMIT, PRAGMA, CREATE ...
        if threading.current_thread().name == PLACER_THREAD:
            # The local placer polls its table in a loop; on AWS SQS delivers the requests to the
            # placer Lambda instead, so its statements are kept apart from the tables' traffic.
            with self._lock:
                self.placer_statements += 1
            return
        groups = found.groups()
        read_table, write_table = groups[1], groups[3] or groups[5] or groups[7]
        table = SQLITE_TABLES.get((read_table or write_table or "").lower())
        if table is None:
            return
        with self._lock:
            (self.table_reads if read_table else self.table_writes)[table] += 1

    def watch(self, conn: sqlite3.Connection) -> None:
        conn.set_trace_callback(self.statement)

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            samples = sorted(self.routing_seconds)
            cpu = sorted(self.routing_cpu_seconds)
            return {
                "lambdaInvocations": dict(self.lambda_invocations),
                "lambdaSeconds": dict(self.lambda_seconds),
                "tableReads": dict(self.table_reads),
                "tableWrites": dict(self.table_writes),
                "connectApi": dict(self.connect_operations),
                "routing": {
                    "decisions": self.routing_decisions,
                    "sampled": len(samples),
                    "p50Ms": _percentile(samples, 0.50) * 1000,
                    "p99Ms": _percentile(samples, 0.99) * 1000,
                    "maxMs": (samples[-1] if samples else 0.0) * 1000,
                    "cpuP50Ms": _percentile(cpu, 0.50) * 1000,
                    "cpuP99Ms": _percentile(cpu, 0.99) * 1000,
                },
                "localPlacerStatements": self.placer_statements,
            }


def _percentile(ordered: list[float], share: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


COUNTERS = LoadCounters()
# Every connection the repositories open from now on (they open lazily, per thread) is watched.
sqlite_db.OPEN_HOOKS.append(COUNTERS.watch)
