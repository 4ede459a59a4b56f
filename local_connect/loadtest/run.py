"""One load test run: start the stack, drive callers and agents for a duration, measure, report."""

from __future__ import annotations

import asyncio
import contextlib
import random
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from local_connect.cognito import issuer_for
from local_connect.cognito.keys import load_or_create_signing_key
from local_connect.cognito.tokens import TokenMinter
from local_connect.definitions import load_definitions
from local_connect.demo_agents import DEMO_AGENTS
from local_connect.loadtest.agents import AgentSettings, run_agent
from local_connect.loadtest.callers import Caller, CallerSettings, Context, test_numbers
from local_connect.loadtest.capacity import Need, Peak, needs
from local_connect.loadtest.client import Http, Tally
from local_connect.loadtest.stack import Stack, start_stack

SAMPLE_EVERY = 2.0
DRAIN_SECONDS = 20.0  # after the stop: callers hang up, in-flight requests finish


@dataclass(frozen=True)
class LoadSettings:
    callers: int = 1000
    duration: float = 120.0  # seconds of load, ramp included
    ramp: float = 30.0  # callers start evenly over this many seconds
    max_calls: int = 100_000  # calls in all, a bound besides time
    seed: int = 1
    callers_settings: CallerSettings = field(default_factory=CallerSettings)
    agents: AgentSettings = field(default_factory=AgentSettings)
    peak: Peak = field(default_factory=Peak)
    stack_args: tuple[str, ...] = ()


@dataclass
class Sample:
    at: float
    rss: int
    threads: int
    live_callers: int
    open_contacts: int


@dataclass
class Result:
    settings: LoadSettings
    tally: Tally
    samples: list[Sample]
    usage: dict[str, Any]
    routing: dict[str, float]
    baseline_rss: int
    elapsed: float
    calls: int
    needs: list[Need] = field(default_factory=list)
    stack_log_tail: str = ""


def difference(after: dict[str, Any], before: dict[str, Any]) -> dict[str, Any]:
    """What the load cost: counters after minus before, per group."""
    out: dict[str, Any] = {}
    for group in ("lambdaInvocations", "lambdaSeconds", "tableReads", "tableWrites", "connectApi"):
        now, then = after.get(group, {}), before.get(group, {})
        out[group] = {k: v - then.get(k, 0) for k, v in now.items() if v - then.get(k, 0)}
    return out


async def _stats(http: Http) -> dict[str, Any]:
    status, data = await http.get("/local/stats", "stats", timeout=120)
    return data if status == 200 and isinstance(data, dict) else {}


async def _sampler(
    stack: Stack, http: Http, tally: Tally, samples: list[Sample], stop: asyncio.Event
) -> None:
    while not stop.is_set():
        stats = await _stats(http)
        contacts = sum(stats.get("openContacts", {}).values())
        samples.append(Sample(time.monotonic(), stack.rss_bytes(), stack.threads(), tally.live, contacts))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), SAMPLE_EVERY)


async def drive(stack: Stack, settings: LoadSettings) -> Result:
    tally = Tally()
    rng = random.Random(settings.seed)
    numbers = test_numbers(settings.callers, settings.seed)
    minter = TokenMinter(load_or_create_signing_key(stack.state_dir / "cognito"), issuer_for(stack.base_url))
    web_flow_id = load_definitions().flows["WebIngressFlow"].id
    connector = aiohttp.TCPConnector(limit=0, limit_per_host=0, ttl_dns_cache=None)
    async with aiohttp.ClientSession(connector=connector) as session:
        http = Http(session, stack.base_url, tally)
        before = await _stats(http)
        baseline_rss = stack.rss_bytes()
        loop = asyncio.get_running_loop()
        started = loop.time()
        stop_at = started + settings.duration
        context = Context(
            http, tally, settings.callers_settings, minter, web_flow_id, stop_at, [settings.max_calls]
        )
        samples: list[Sample] = []
        stop_sampling = asyncio.Event()
        sampler = asyncio.create_task(_sampler(stack, http, tally, samples, stop_sampling))
        agents = [
            asyncio.create_task(
                run_agent(http, tally, a.username, settings.agents, stop_at, random.Random(rng.random()))
            )
            for a in DEMO_AGENTS
        ]
        callers = [
            asyncio.create_task(
                Caller(context, number, random.Random(rng.random())).run(
                    i * settings.ramp / max(1, settings.callers)
                )
            )
            for i, number in enumerate(numbers)
        ]
        await asyncio.wait(callers, timeout=settings.duration + DRAIN_SECONDS + 60)
        for task in callers:
            task.cancel()  # bounded: a caller stuck past the drain is cut
        await asyncio.gather(*callers, return_exceptions=True)
        await asyncio.gather(*agents, return_exceptions=True)
        elapsed = loop.time() - started
        stop_sampling.set()
        await sampler
        after = await _stats(http)
    calls = sum(tally.scenarios.values())
    usage = difference(after, before)
    result = Result(settings, tally, samples, usage, after.get("routing", {}), baseline_rss, elapsed, calls)
    result.needs = needs(usage, calls, settings.peak)
    return result


def run(settings: LoadSettings, state_dir: Path | None = None) -> Result:
    with tempfile.TemporaryDirectory(prefix="loadtest-") as tmp:
        state = state_dir or Path(tmp)
        stack = start_stack(state, *settings.stack_args)
        try:
            result = asyncio.run(drive(stack, settings))
        finally:
            stack.stop()
        log = stack.log_path.read_text(errors="replace")
        result.stack_log_tail = log[-3000:] if "Traceback" in log else ""
        return result


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def summary(result: Result) -> list[tuple[str, str]]:
    """The measured rows of the report (label, value)."""
    t = result.tally
    s = result.settings
    handled = t.outcomes["handled"] + t.outcomes["handled_with_survey"]
    queued = handled + t.outcomes["abandoned"] + t.outcomes["cut_at_end"] + t.outcomes["ended_in_queue"]
    peak = max(result.samples, key=lambda x: x.open_contacts, default=None)
    rss_peak = max((x.rss for x in result.samples), default=0)
    per_call = (
        f"{peak.rss / peak.open_contacts / 1024:.0f} KiB (RSS {peak.rss / 2**20:.0f} MiB / {peak.open_contacts} open contacts); "
        f"{(peak.rss - result.baseline_rss) / peak.open_contacts / 1024:.0f} KiB above the idle {result.baseline_rss / 2**20:.0f} MiB"
        if peak and peak.open_contacts
        else "n/a"
    )
    server_errors = sum(n for code, n in t.statuses.items() if code >= 500)
    requests = sum(t.statuses.values())
    dial = t.request_seconds.get("dial", [])
    r = result.routing
    return [
        (
            "callers / duration",
            f"{s.callers} concurrent callers for {s.duration:.0f} s (ramp {s.ramp:.0f} s), 5 agents",
        ),
        (
            "peak callers on a call (client) / open contacts (server)",
            f"{t.peak_live} / {max((x.open_contacts for x in result.samples), default=0)}",
        ),
        (
            "calls started",
            f"{result.calls} ({', '.join(f'{k} {v}' for k, v in sorted(t.scenarios.items()))})",
        ),
        ("calls started per second", f"{result.calls / result.elapsed:.1f}"),
        (
            "calls handled by an agent per second",
            f"{handled / result.elapsed:.2f} ({handled} handled, {t.surveys} surveys answered, {t.callbacks_requested} callbacks requested)",
        ),
        ("outcomes", ", ".join(f"{k} {v}" for k, v in t.outcomes.most_common())),
        (
            "routing decision p50 / p99 / max (wall)",
            f"{r.get('p50Ms', 0):.3f} / {r.get('p99Ms', 0):.3f} / {r.get('maxMs', 0):.3f} ms over {r.get('decisions', 0):.0f} decisions",
        ),
        (
            "routing decision p50 / p99 (CPU of the deciding thread)",
            f"{r.get('cpuP50Ms', 0):.3f} / {r.get('cpuP99Ms', 0):.3f} ms",
        ),
        (
            "queue wait of handled calls p50 / p90 / max",
            f"{percentile(t.queue_waits, 0.5):.1f} / {percentile(t.queue_waits, 0.9):.1f} / {max(t.queue_waits, default=0):.1f} s",
        ),
        (
            "abandoned in queue",
            f"{t.outcomes['abandoned']} of {queued} queued ({100 * t.outcomes['abandoned'] / max(1, queued):.0f} %), after a median {statistics.median(t.abandoned_waits or [0]):.0f} s",
        ),
        ("memory per live call", per_call),
        (
            "server peak RSS / threads",
            f"{rss_peak / 2**20:.0f} MiB / {max((x.threads for x in result.samples), default=0)} threads",
        ),
        (
            "HTTP requests answered",
            f"{requests} ({requests / result.elapsed:.0f}/s), {server_errors} x 5xx, client errors {sum(t.client_errors.values())} {dict(t.client_errors.most_common(4)) or ''}",
        ),
        (
            "dial answered in p50 / p99",
            f"{percentile(dial, 0.5) * 1000:.0f} / {percentile(dial, 0.99) * 1000:.0f} ms",
        ),
    ]
