"""What the /local views share, kept on the Flask app (`app.extensions["local_api"]`) as jam_api keeps
its services: a view reads it with `local_state()`, so any view can be tested on a fresh app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from flask import Flask, current_app

from local_connect.runtime import Runtime
from local_connect.speech import Speech

T = TypeVar("T")
EXTENSION_KEY = "local_api"


@dataclass
class LocalApiState:
    runtime: Runtime
    base_url: str = ""
    speech: Speech = field(default_factory=Speech)
    demo_customers: list[dict[str, str]] = field(default_factory=list)

    def locked(self, work: Callable[[], T]) -> T:
        """Run `work` under the runtime lock: every touch of the contact center takes it briefly."""
        with self.runtime.lock:
            return work()


def install(app: Flask, state: LocalApiState) -> None:
    app.extensions[EXTENSION_KEY] = state


def local_state() -> LocalApiState:
    state: LocalApiState = current_app.extensions[EXTENSION_KEY]
    return state
