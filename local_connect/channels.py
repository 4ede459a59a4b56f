"""Event channels: what a test phone or an agent desktop is told, in order, for as long as it listens.

Each channel keeps a numbered log so a client can resume after a reconnect (`after=<seq>`), which is
how Server-Sent Events' Last-Event-ID works, and a long poll is the same call with a timeout.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Event:
    seq: int
    type: str
    data: dict[str, Any]
    at: float

    def public(self) -> dict[str, Any]:
        return {"seq": self.seq, "type": self.type, "at": self.at, **self.data}


class EventChannel:
    def __init__(self, keep: int = 500) -> None:
        self._events: deque[Event] = deque(maxlen=keep)
        self._seq = 0
        self._cond = threading.Condition()

    @property
    def last_seq(self) -> int:
        return self._seq

    def publish(self, kind: str, **data: Any) -> Event:
        with self._cond:
            self._seq += 1
            event = Event(self._seq, kind, data, time.time())
            self._events.append(event)
            self._cond.notify_all()
            return event

    def since(self, after: int) -> list[Event]:
        with self._cond:
            return [e for e in self._events if e.seq > after]

    def wait(self, after: int, timeout: float) -> list[Event]:
        """Events after `after`, waiting up to `timeout` seconds for the first one."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._seq <= after:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return []
                self._cond.wait(remaining)
            return [e for e in self._events if e.seq > after]


def jsonable(data: Mapping[str, Any]) -> dict[str, Any]:
    """The plain values of an event's data, the part a channel's listeners can be sent."""
    return {k: v for k, v in data.items() if isinstance(v, str | int | float | bool) or v is None}


class Channels:
    """Channels by name ("phone:+12025550100", "agent:agent.support"), created on first use."""

    def __init__(self) -> None:
        self._channels: dict[str, EventChannel] = {}
        self._lock = threading.Lock()

    def get(self, name: str) -> EventChannel:
        with self._lock:
            channel = self._channels.get(name)
            if channel is None:
                channel = self._channels[name] = EventChannel()
            return channel
