"""The terminal caller and the flow checker, driven with scripted keyboard input."""

from __future__ import annotations

import io
from pathlib import Path

from local_connect.flows import check, cli

SAMPLES = Path(__file__).parent / "samples"


def run_call(database: Path, keys: str, *args: str) -> str:
    screen = io.StringIO()
    code = cli.main(["--db", str(database), *args], stdin=io.StringIO(keys), stdout=screen)
    assert code == 0
    return screen.getvalue()


def test_a_call_by_hand_prints_prompts_and_takes_keys(database: Path) -> None:
    # silence at the language offer, 3 (support), 2 (devices), then an agent answers and hangs up:
    # the survey runs with the keys 5, 4 and 3.
    screen = run_call(database, "\n3\n2\nagent\n5\n4\n3\n", "--from", "+12025550101")
    assert "says: Thank you for calling JAM.   (Welcome)" in screen
    assert "says: Welcome back.   (WelcomeBack)" in screen
    assert "[queued in Support - Devices (priority 5)] keys>" in screen
    assert "(ThankYou)" in screen and screen.rstrip().endswith("the call has ended")


def test_the_web_ingress_flow_by_hand(database: Path) -> None:
    screen = run_call(
        database,
        "q\n",
        "--flow",
        "WebIngressFlow",
        "--method",
        "API",
        "--attr",
        "Verified=true",
        "--attr",
        "CustomerName=Ana Diaz",
        "--attr",
        "issue=billing",
        "--attr",
        "language=es-US",
        "--time",
        "2026-01-06 11:00",
    )
    assert "[es-US Lupe] says: Hola Ana Diaz. Usted preguntó por facturas" in screen
    assert "queued in Accounts - Billing" in screen


def test_unknown_flow_and_bad_attribute_are_refused(database: Path) -> None:
    assert (
        cli.main(["--db", str(database), "--flow", "Nope"], stdin=io.StringIO(""), stdout=io.StringIO()) == 2
    )
    assert (
        cli.main(["--db", str(database), "--attr", "oops"], stdin=io.StringIO(""), stdout=io.StringIO()) == 2
    )


def test_the_checker_passes_the_jam_flows_and_reports_exports(capsys: object) -> None:
    assert check.main([]) == 0
    assert check.main([str(SAMPLES / "exported-inbound.json")]) == 0
    assert check.main([str(SAMPLES / "broken-export.json")]) == 1
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert "InboundFlow: ok" in out
    # Every block of the sample export runs now (InvokeFlowModule and the Lex block included).
    assert "exported-inbound.json: ok" in out
    # The broken export's Customer Profiles block is named as one this engine does not run.
    assert "unsupported: action start: type GetCustomerProfile" in out
    assert "error: action compare: Compare needs the parameter ComparisonValue" in out
