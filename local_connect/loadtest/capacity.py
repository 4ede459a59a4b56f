"""From what one call costs (measured) to what the deployed stack needs at a peak (arithmetic).

Per call, the load test measured: Lambda invocations by function and their mean in-process time,
reads and writes by table, Connect API requests by operation. At a peak of P calls an hour,
arrivals are lambda = P / 3600 calls a second, and Little's law gives what is in flight:
  Lambda concurrency    = lambda x invocations per call x seconds per invocation
  DynamoDB request units = lambda x reads (writes) per call  (1 RRU per strongly consistent read
                           of an item up to 4 KB, 1 WRU per write up to 1 KB: every item here is small)
  Connect API rate      = lambda x requests per call, against the account's per-operation quota
  concurrent calls      = lambda x the seconds a call lasts (IVR + queue wait + talk + survey)
Default quotas: Amazon Connect service quotas
(https://docs.aws.amazon.com/connect/latest/adminguide/amazon-connect-service-limits.html): the
Connect API 2 requests/s (burst 5) per operation and account, GetMetricData and
GetCurrentMetricData 5/s (burst 8).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

LAMBDA_FLOOR_SECONDS = (
    0.1  # a warm Connect-invoked Lambda with one DynamoDB round trip; cold starts not included
)
HEADROOM = 2.0  # what we recommend above the computed peak
CONNECT_DEFAULT_RATE = 2.0
CONNECT_RATES = {"GetMetricData": 5.0, "GetCurrentMetricData": 5.0}


@dataclass(frozen=True)
class Peak:
    """The peak to plan for. The seed (README of the original project) gives no call volumes; these
    defaults are assumptions, stated in docs/CAPACITY.md: a mid-sized three-department center."""

    calls_per_hour: float = 1200.0
    ivr_seconds: float = 45.0
    queue_seconds: float = 120.0
    talk_seconds: float = 300.0
    survey_seconds: float = 30.0

    @property
    def arrivals(self) -> float:
        return self.calls_per_hour / 3600.0

    @property
    def call_seconds(self) -> float:
        return self.ivr_seconds + self.queue_seconds + self.talk_seconds + self.survey_seconds


@dataclass(frozen=True)
class Need:
    resource: str
    per_1000_calls: float
    at_peak: str
    provision: str


def per_thousand(count: float, calls: int) -> float:
    return 1000.0 * count / calls if calls else 0.0


def needs(usage: dict[str, Any], calls: int, peak: Peak) -> list[Need]:
    """The table of what the deployed stack needs; `usage` is the difference of two /local/stats."""
    rows: list[Need] = []
    rate = peak.arrivals
    invocations: dict[str, float] = usage.get("lambdaInvocations", {})
    seconds: dict[str, float] = usage.get("lambdaSeconds", {})
    for function, count in sorted(invocations.items()):
        mean = seconds.get(function, 0.0) / count if count else 0.0
        duration = max(mean, LAMBDA_FLOOR_SECONDS)
        concurrency = rate * count / calls * duration if calls else 0.0
        rows.append(
            Need(
                f"Lambda {function} (mean {mean * 1000:.1f} ms locally)",
                per_thousand(count, calls),
                f"{rate * count / calls:.2f} invocations/s, concurrency {concurrency:.2f}",
                f"reserved concurrency {max(1, math.ceil(HEADROOM * concurrency))}",
            )
        )
    reads: dict[str, float] = usage.get("tableReads", {})
    writes: dict[str, float] = usage.get("tableWrites", {})
    for table in sorted(set(reads) | set(writes)):
        r, w = reads.get(table, 0), writes.get(table, 0)
        rps, wps = rate * r / calls if calls else 0.0, rate * w / calls if calls else 0.0
        rows.append(
            Need(
                f"DynamoDB {table} reads / writes",
                per_thousand(r + w, calls),
                f"{rps:.2f} RRU/s, {wps:.2f} WRU/s ({per_thousand(r, calls):.0f} reads + {per_thousand(w, calls):.0f} writes per 1,000)",
                f"on-demand; {math.ceil(HEADROOM * rps)} RCU / {math.ceil(HEADROOM * wps)} WCU if provisioned",
            )
        )
    operations: dict[str, float] = usage.get("connectApi", {})
    for operation, count in sorted(operations.items()):
        ops = rate * count / calls if calls else 0.0
        quota = CONNECT_RATES.get(operation, CONNECT_DEFAULT_RATE)
        verdict = "within" if HEADROOM * ops <= quota else "RAISE"
        rows.append(
            Need(
                f"Connect API {operation}",
                per_thousand(count, calls),
                f"{ops:.2f} requests/s",
                f"{verdict} the default {quota:g}/s (x{HEADROOM:g} headroom: {HEADROOM * ops:.2f}/s)",
            )
        )
    concurrent = rate * peak.call_seconds
    rows.append(
        Need(
            "Connect concurrent active calls",
            1000.0,
            f"{concurrent:.0f} calls ({rate:.2f}/s x {peak.call_seconds:.0f} s a call)",
            f"quota >= {math.ceil(HEADROOM * concurrent)} (request it: new instances start low)",
        )
    )
    return rows


def table_markdown(rows: list[Need]) -> str:
    lines = ["| resource | per 1,000 calls | at the peak | provision |", "| --- | ---: | --- | --- |"]
    lines += [f"| {r.resource} | {r.per_1000_calls:,.0f} | {r.at_peak} | {r.provision} |" for r in rows]
    return "\n".join(lines)


def table_text(rows: list[Need]) -> str:
    width = max(len(r.resource) for r in rows) if rows else 10
    lines = [f"{'resource':<{width}}  {'per 1,000':>10}  at the peak / provision"]
    lines += [f"{r.resource:<{width}}  {r.per_1000_calls:>10,.0f}  {r.at_peak}; {r.provision}" for r in rows]
    return "\n".join(lines)
