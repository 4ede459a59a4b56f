"""The local stack under load: `python -m local_connect serve` in a subprocess on a free port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from local_connect.definitions import REPO_ROOT

MONDAY_3PM_NEW_YORK = "1767643200"  # 2026-01-05 15:00 America/New_York: every department is open
START_TIMEOUT = 90.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Stack:
    base_url: str
    state_dir: Path
    process: subprocess.Popen[bytes]
    log_path: Path

    def rss_bytes(self) -> int:
        """The server process's resident memory (Linux /proc), 0 once it is gone."""
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return 0
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        return 0

    def threads(self) -> int:
        try:
            return len(os.listdir(f"/proc/{self.process.pid}/task"))
        except OSError:
            return 0

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_stack(state_dir: Path, *extra: str) -> Stack:
    """Start the stack on its own state (records, keys, Lambda data) and wait until it answers."""
    state_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log_path = state_dir / "stack.log"
    env = {**os.environ, "SQLITE_PATH": str(state_dir / "jam.sqlite3"), "PYTHONUNBUFFERED": "1"}
    command = [
        sys.executable,
        "-m",
        "local_connect",
        "serve",
        "--port",
        str(port),
        "--state-dir",
        str(state_dir),
        "--clock-start",
        MONDAY_3PM_NEW_YORK,
        *extra,
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    stack = Stack(f"http://127.0.0.1:{port}", state_dir, process, log_path)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            if requests.get(f"{stack.base_url}/local/health", timeout=2).ok:
                return stack
        except requests.RequestException:
            time.sleep(0.3)
    stack.stop()
    raise RuntimeError(f"the stack did not start:\n{log_path.read_text(errors='replace')[-4000:]}")
