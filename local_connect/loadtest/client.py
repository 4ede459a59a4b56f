"""The load test's HTTP side: one aiohttp session, event channels read by long poll, and a tally."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any

import aiohttp


@dataclass
class Tally:
    """What the callers and agents saw, from the outside."""

    outcomes: Counter[str] = field(default_factory=Counter)  # one per call, by how it ended
    scenarios: Counter[str] = field(default_factory=Counter)  # calls started, by scenario
    queue_waits: list[float] = field(default_factory=list)  # queued -> connected (handled calls)
    abandoned_waits: list[float] = field(default_factory=list)  # queued -> hung up (abandoned)
    request_seconds: dict[str, list[float]] = field(default_factory=dict)  # answer time by request kind
    statuses: Counter[int] = field(default_factory=Counter)
    client_errors: Counter[str] = field(default_factory=Counter)  # timeouts, refused connections
    handled: int = 0  # calls an agent accepted
    surveys: int = 0  # surveys answered to the end
    callbacks_requested: int = 0
    live: int = 0  # callers on a call now
    peak_live: int = 0

    def call_started(self, scenario: str) -> None:
        self.scenarios[scenario] += 1
        self.live += 1
        self.peak_live = max(self.peak_live, self.live)

    def call_finished(self, outcome: str) -> None:
        self.outcomes[outcome] += 1
        self.live -= 1


class Http:
    """Requests to the stack; every answer and failure is tallied, none raises."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str, tally: Tally) -> None:
        self.session = session
        self.base_url = base_url
        self.tally = tally

    async def call(
        self,
        method: str,
        path: str,
        kind: str,
        body: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 60.0,
    ) -> tuple[int, Any]:
        started = time.perf_counter()
        try:
            async with self.session.request(
                method,
                self.base_url + path,
                json=body if method == "POST" else None,
                params=params,
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=timeout),
            ) as answer:
                data = await answer.json(content_type=None) if answer.content_length != 0 else None
                status = answer.status
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            self.tally.client_errors[f"{kind}: {type(error).__name__}"] += 1
            return 0, None
        if kind != "events":
            self.tally.request_seconds.setdefault(kind, []).append(time.perf_counter() - started)
        self.tally.statuses[status] += 1
        return status, data

    async def post(
        self, path: str, kind: str, body: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[int, Any]:
        return await self.call("POST", path, kind, body=body or {}, **kw)

    async def get(self, path: str, kind: str, **kw: Any) -> tuple[int, Any]:
        return await self.call("GET", path, kind, **kw)


@dataclass(frozen=True)
class PollCadence:
    """How a channel is read: one Server-Sent Events stream held open (`sse`, the lightest: no
    request per event), long polls of `timeout` s (the server holds them, up to 30), or, with
    timeout 0, a quick look every `interval` s."""

    timeout: float = 25.0
    interval: float = 1.0
    sse: bool = True


class Channel:
    """A phone's or an agent's event channel, read in order from where this reader started."""

    def __init__(self, http: Http, path: str, cadence: PollCadence) -> None:
        self.http = http
        self.path = path
        self.cadence = cadence
        self.seen = 0  # the last event received
        self.floor = 0  # events up to here belong to earlier calls
        self.pending: deque[dict[str, Any]] = deque()
        self._arrived = asyncio.Event()
        self._stream: asyncio.Task[None] | None = None

    async def open(self) -> None:
        """Start after what the channel already holds (a redial must not see its last call's events)."""
        status, data = await self.http.get(self.path, "channel")
        if status == 200 and isinstance(data, dict):
            self.floor = max(self.floor, int(data.get("last") or 0))
            self.seen = max(self.seen, self.floor)
        self.pending.clear()
        if self.cadence.sse and self._stream is None:
            self._stream = asyncio.create_task(self._read_stream())

    def close(self) -> None:
        if self._stream is not None:
            self._stream.cancel()
            self._stream = None

    def _receive(self, event: dict[str, Any]) -> None:
        seq = int(event["seq"])
        if seq > self.seen:
            self.seen = seq
            if seq > self.floor:
                self.pending.append(event)
                self._arrived.set()

    async def _read_stream(self) -> None:
        """The SSE stream (`Accept: text/event-stream`), resumed after `seen` if it drops."""
        while True:
            try:
                async with self.http.session.get(
                    f"{self.http.base_url}{self.path}/events",
                    params={"after": self.seen},
                    headers={"Accept": "text/event-stream"},
                    timeout=aiohttp.ClientTimeout(total=None, sock_connect=60, sock_read=60),
                ) as answer:
                    self.http.tally.statuses[answer.status] += 1
                    async for raw in answer.content:
                        line = raw.decode().rstrip("\r\n")
                        if line.startswith("data: "):
                            self._receive(json.loads(line[6:]))
            except (aiohttp.ClientError, TimeoutError, ValueError) as error:
                self.http.tally.client_errors[f"stream: {type(error).__name__}"] += 1
            await asyncio.sleep(1.0)

    async def next(self, deadline: float) -> dict[str, Any] | None:
        """The next event, or None when `deadline` (loop time) passes first."""
        loop = asyncio.get_running_loop()
        while not self.pending:
            remaining = deadline - loop.time()
            if remaining <= 0:
                return None
            if self.cadence.sse:
                self._arrived.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._arrived.wait(), remaining)
                continue
            wait = min(self.cadence.timeout, remaining)
            if self.cadence.timeout <= 0:
                await asyncio.sleep(min(self.cadence.interval, remaining))
                wait = 0
            status, data = await self.http.get(
                f"{self.path}/events",
                "events",
                params={"after": self.seen, "timeout": f"{wait:.1f}"},
                timeout=wait + 30,
            )
            if status != 200 or not isinstance(data, dict):
                await asyncio.sleep(1.0)  # the server is struggling: do not add a storm of retries
                continue
            for event in data.get("events", []):
                self._receive(event)
        return self.pending.popleft()

    async def wait(
        self, kinds: set[str], deadline: float, prompt: str | None = None
    ) -> dict[str, Any] | None:
        """The first event of one of `kinds` (a prompt only with that promptId); `call_ended` always
        ends the wait (the call is over), None when the deadline passes."""
        while True:
            event = await self.next(deadline)
            if event is None:
                return None
            kind = event["type"]
            if kind == "call_ended":
                return event
            if kind in kinds and (prompt is None or kind != "prompt" or event.get("promptId") == prompt):
                return event
