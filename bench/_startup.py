"""Cold-start measurement shared by the API and Lambda benchmarks: fresh interpreters, medians."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def fresh_interpreter_ms(code: str, runs: int = 7, extra_path: tuple[str, ...] = ()) -> float:
    """Median wall time of `python -c code` in a fresh interpreter (no bytecode writes, warm disk cache)."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO), *extra_path]),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    samples = []
    subprocess.run(
        [sys.executable, "-c", code], env=env, check=True, capture_output=True
    )  # warm the disk cache
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)
