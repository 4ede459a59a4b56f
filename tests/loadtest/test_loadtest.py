"""`make loadtest` works: a small run through the real stack counts calls and writes its report.

Functional only (the speed goals are measured by `make loadtest`, never asserted here): 20 callers
and the five demo agents for 20 s against `python -m local_connect serve` in a subprocess.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from local_connect.loadtest.__main__ import main
from local_connect.loadtest.report import KEPT_MARKER
from local_connect.loadtest.run import LoadSettings, run

pytestmark = pytest.mark.timeout(240)


def test_a_small_run_counts_calls_and_what_they_cost(tmp_path: Path) -> None:
    result = run(LoadSettings(callers=20, duration=20.0, ramp=4.0, seed=3), state_dir=tmp_path / "stack")

    assert result.calls >= 20  # every caller called at least once
    assert sum(result.tally.outcomes.values()) == result.calls  # every call ended with an outcome
    assert result.tally.handled > 0 and result.tally.queue_waits  # agents took calls from the queues
    assert not any(code >= 500 for code in result.tally.statuses)
    assert result.stack_log_tail == ""  # no Traceback in the server's log
    # The server counted the work the calls caused: the IVR's Lambdas and their tables, and routing.
    invocations = result.usage["lambdaInvocations"]
    assert invocations["CustomerLookupFunction"] > 0 and invocations["PromptsFunction"] > 0
    assert result.usage["tableReads"]["PromptsTable"] >= invocations["PromptsFunction"]
    assert result.routing["decisions"] > 0
    assert max(s.rss for s in result.samples) > 0
    resources = [need.resource for need in result.needs]
    assert any(r.startswith("Lambda PromptsFunction") for r in resources)
    assert "Connect concurrent active calls" in resources


def test_the_command_writes_the_capacity_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "CAPACITY.md"
    report.write_text(f"old numbers\n{KEPT_MARKER}\n## Scaling notes by hand\n", encoding="utf-8")
    args = [
        "--callers",
        "5",
        "--duration",
        "8",
        "--ramp",
        "2",
        "--calls-per-hour",
        "3600",
        "--report",
        str(report),
    ]

    assert main(args) == 0

    text = report.read_text(encoding="utf-8")
    assert "## What the deployed stack needs at that peak" in text
    assert "3,600 calls in the peak hour" in text
    assert "| Connect concurrent active calls |" in text
    assert "calls started" in capsys.readouterr().out
    assert "old numbers" not in text and text.endswith(f"{KEPT_MARKER}\n## Scaling notes by hand\n")
