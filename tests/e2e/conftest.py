"""The real local stack as a subprocess on a free port, for end-to-end tests (shared by every e2e suite).

`local_stack` (session-scoped) is one stack for the whole run; `start_stack(state_dir)` starts another
one, e.g. to kill it with SIGKILL and start it again on the same state. Each stack keeps its state
(contact records, Cognito keys and users, the Lambdas' SQLite data) in its own temporary directory.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Browser, sync_playwright

from local_connect.loadtest.stack import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0
MONDAY_3PM_NEW_YORK = "1767643200"  # 2026-01-05 15:00 America/New_York
DETERMINISTIC_ARGS = (
    "--clock-start",
    MONDAY_3PM_NEW_YORK,
    "--clock-control",
    "--offer-timeout",
    "30",
    "--ring-timeout",
    "20",
)


@dataclass
class StackProcess:
    base_url: str
    port: int
    state_dir: Path
    process: subprocess.Popen[str]
    log_path: Path
    args: list[str] = field(default_factory=list)

    @property
    def local(self) -> str:
        return f"{self.base_url}/local"

    def get(self, path: str, **kwargs: Any) -> Any:
        response = requests.get(self.base_url + path, timeout=10, **kwargs)
        response.raise_for_status()
        return response.json()

    def post(self, path: str, body: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        response = requests.post(self.base_url + path, json=body or {}, timeout=10, **kwargs)
        response.raise_for_status()
        return response.json()

    def token(self, username: str) -> str:
        """An ID token of the stack's local Cognito for a demo user (what the website sends the API)."""
        answer = subprocess.run(
            [
                sys.executable,
                "-m",
                "local_connect",
                "token",
                username,
                "--base-url",
                self.base_url,
                "--state-dir",
                str(self.state_dir / "cognito"),
            ],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        return answer.stdout.strip()

    def events(self, path: str, after: int = 0, timeout: float = 0) -> list[dict[str, Any]]:
        """A channel's events after `after` (a long poll when timeout > 0)."""
        answer = self.get(f"{path}/events", params={"after": after, "timeout": timeout})
        return list(answer["events"])

    def wait_for(
        self, path: str, kind: str, after: int = 0, timeout: float = 20.0, **match: Any
    ) -> dict[str, Any]:
        """The first event of `kind` (with the given fields) on a channel, waiting up to `timeout` s."""
        deadline = time.monotonic() + timeout
        seen: list[str] = []
        while True:
            for event in self.events(path, after, timeout=min(5.0, max(0.1, deadline - time.monotonic()))):
                after = event["seq"]
                seen.append(event["type"])
                if event["type"] == kind and all(event.get(k) == v for k, v in match.items()):
                    return event
            if time.monotonic() >= deadline:
                raise AssertionError(f"no {kind} {match or ''} on {path} within {timeout} s; saw {seen}")

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=15)

    def stop(self) -> None:
        self.kill(signal.SIGTERM)


def start_stack(state_dir: Path, *args: str, port: int | None = None) -> StackProcess:
    """Start `python -m local_connect serve` and wait until it answers; raises with its log if not."""
    state_dir.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    log_path = state_dir / f"stack-{port}-{time.time_ns()}.log"
    env = {
        **os.environ,
        "PORT": str(port),
        "SQLITE_PATH": str(state_dir / "jam.sqlite3"),  # the Lambdas' data, per stack
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        sys.executable,
        "-m",
        "local_connect",
        "serve",
        "--port",
        str(port),
        "--state-dir",
        str(state_dir),
    ]
    log = log_path.open("w", encoding="utf-8")
    process = subprocess.Popen(
        [*command, *args], cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True
    )
    stack = StackProcess(f"http://127.0.0.1:{port}", port, state_dir, process, log_path, list(args))
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the local stack exited with {process.returncode}:\n{stack.log()}")
        try:
            if requests.get(f"{stack.local}/health", timeout=1).ok:
                return stack
        except requests.RequestException:
            pass
        time.sleep(0.1)
    stack.kill()
    raise RuntimeError(f"the local stack did not answer within {START_TIMEOUT} s:\n{stack.log()}")


@pytest.fixture(scope="session")
def local_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackProcess]:
    """One running stack for the session.

    Its clock starts on a Monday at 15:00 in New York (every department open, whenever the tests
    run) and tests may move it forward with POST /local/clock. Offers wait 30 s, phones ring 20 s.
    """
    stack = start_stack(tmp_path_factory.mktemp("stack"), *DETERMINISTIC_ARGS)
    yield stack
    stack.stop()


# Debian's chromium (the Makefile installs it): Playwright never downloads a browser here.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--autoplay-policy=no-user-gesture-required",  # the test phone speaks prompts unprompted
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def site_is_built() -> None:
    """The browser tests of the site need web/dist (`make site`; `make test` builds it first)."""
    if not (REPO_ROOT / "web" / "dist" / "index.html").is_file():
        raise RuntimeError("the site is not built: run `make site` (make test does)")
