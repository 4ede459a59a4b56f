"""Fixtures for the local runtime: a real SQLite file, a manual clock, the template's definitions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from local_connect.acd import AcdSettings, CenterEvent, ContactCenter, ContactStore
from local_connect.clock import ManualClock, Scheduler
from local_connect.definitions import Definitions, load_definitions
from local_connect.demo_agents import add_demo_agents


class Harness:
    """A contact center on a manual clock, recording every event it emits."""

    def __init__(self, db_path: Path, settings: AcdSettings | None = None) -> None:
        self.definitions: Definitions = load_definitions()
        self.clock = ManualClock()
        self.scheduler = Scheduler(self.clock)
        self.store = ContactStore(db_path)
        self.center = ContactCenter(self.definitions, self.store, self.scheduler, settings)
        add_demo_agents(self.center, self.definitions)
        self.events: list[CenterEvent] = []
        self.center.listeners.append(self.events.append)

    def queue_id(self, logical_id: str) -> str:
        return self.definitions.queues[logical_id].id

    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)
        self.scheduler.run_due()

    def inbound(
        self, number: str, queue: str, *, priority: int | None = None, adjust: float | None = None
    ) -> str:
        from local_connect.acd import InitiationMethod

        contact = self.center.new_contact(InitiationMethod.INBOUND, number, "+18005550100")
        self.center.set_routing(
            contact.id, queue_id=self.queue_id(queue), priority=priority, time_adjustment=adjust
        )
        self.center.enqueue(contact.id)
        return contact.id

    def offers(self, agent: str) -> list[str]:
        return [e.contact_id or "" for e in self.events if e.kind == "offered" and e.agent == agent]


@pytest.fixture
def harness(tmp_path: Path) -> Iterator[Harness]:
    h = Harness(tmp_path / "contacts.sqlite3")
    yield h
    h.store.close()
    assert not h.scheduler.errors, list(h.scheduler.errors)
