"""The running local contact center: one lock, one clock, the ACD, the switchboard and the Connect twin.

Every entry point (HTTP handlers, the timer thread, the Connect API) takes `runtime.lock` before it
touches the contact center, so the ACD itself stays single-threaded and simple.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from local_connect.acd import AcdSettings, ContactCenter, ContactStore
from local_connect.channels import Channels
from local_connect.clock import Clock, RealTimeDriver, Scheduler, WallClock
from local_connect.connect_api import ConnectBackend, Throttle, create_app
from local_connect.definitions import REPO_ROOT, Definitions, load_definitions
from local_connect.demo_agents import add_demo_agents
from local_connect.desk import DeskNotifier
from local_connect.numbers import CLAIMED_NUMBERS, INBOUND_NUMBERS
from local_connect.switchboard import Switchboard

DEFAULT_DB = REPO_ROOT / "var" / "local_connect.sqlite3"


@dataclass
class RuntimeOptions:
    db_path: Path = DEFAULT_DB
    clock: Clock = field(default_factory=WallClock)
    acd: AcdSettings = field(default_factory=AcdSettings)
    ring_timeout: float = 30.0
    throttle: bool = False  # Connect's default quota on the API twin (2 req/s, burst 5)
    clock_control: bool = False  # POST /local/clock may move time forward (e2e tests, demos)


class Runtime:
    def __init__(self, options: RuntimeOptions | None = None, definitions: Definitions | None = None) -> None:
        self.options = options or RuntimeOptions()
        self.definitions = definitions or load_definitions()
        self.lock = threading.RLock()
        self.clock = self.options.clock
        self.scheduler = Scheduler(self.clock)
        self.store = ContactStore(self.options.db_path)
        self.center = ContactCenter(self.definitions, self.store, self.scheduler, self.options.acd)
        add_demo_agents(self.center, self.definitions)
        self.channels = Channels()
        self.desk = DeskNotifier(self.center, self.channels)
        self.switchboard = Switchboard(
            self.definitions,
            self.center,
            self.scheduler,
            self.channels,
            INBOUND_NUMBERS,
            ring_timeout=self.options.ring_timeout,
        )
        self.connect = ConnectBackend(self.definitions, self.center, self.switchboard, CLAIMED_NUMBERS)
        self.throttle = Throttle(self.clock.now) if self.options.throttle else None
        with self.lock:
            self.resumed, self.closed = self.center.recover()
        self._driver: RealTimeDriver | None = None

    def connect_app(self) -> Callable[..., Any]:
        return create_app(self.connect, self.lock, self.throttle)

    def start(self) -> None:
        """Run timers in real time (offer timeouts, ringing, callback retries)."""
        if self._driver is None:
            self._driver = RealTimeDriver(self.scheduler, self.lock)
            self._driver.start()

    def advance_clock(self, seconds: float) -> float:
        """Jump time ahead and run every timer that fell due (only clocks that can jump)."""
        advance = getattr(self.clock, "advance", None)
        if advance is None:
            raise TypeError("this runtime's clock cannot be moved")
        with self.lock:
            advance(seconds)
            self.scheduler.run_due()
            self.scheduler.changed.set()
            return self.clock.now()

    def stop(self) -> None:
        if self._driver is not None:
            self._driver.stop()
            self._driver = None
        self.store.close()
