"""Scenario files (tests/flows/scenarios/*.yaml): each runs as a test, adding to the flow coverage.

The same files run with `make flowtest SCENARIOS=...` (python -m local_connect flowtest). A scenario
that reads a flow from the flow corpus is skipped, saying where the corpus is expected, when this
machine does not have it.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import yaml

from local_connect.flows import check, cli, flowtest
from local_connect.flows.coverage import Coverage
from local_connect.flows.loader import FlowLibrary
from local_connect.flows.scenarios import (
    CorpusMissing,
    ScenarioError,
    flow_corpus,
    load_scenario,
    parse_scenario,
    run_scenario,
)
from local_connect.flows.testing import FlowExpectationError, FlowHarness

pytestmark = pytest.mark.flow_scenario

SCENARIOS = sorted((Path(__file__).parent / "scenarios").glob("*.yaml"))
HERE = Path(__file__).parent
CORPUS_FLOW = "flow-27.json"  # aws-samples/amazon-connect-data-analytics-sample SimpleInboundFlow


def scenario_harness(database: Path, library: FlowLibrary, coverage: Coverage) -> FlowHarness:
    # The scenario's own flows join a copy of the template's library, not the session's.
    return FlowHarness(database, coverage=coverage, library=FlowLibrary({f.key: f for f in library}))


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario(path: Path, database: Path, library: FlowLibrary, coverage: Coverage) -> None:
    scenario = load_scenario(path)
    harness = scenario_harness(database, library, coverage)
    try:
        run_scenario(harness, scenario)
    except CorpusMissing as exc:
        pytest.skip(str(exc))
    finally:
        harness.close()


def test_there_are_scenarios_for_the_jam_flows_and_the_corpus() -> None:
    flows = {str(yaml.safe_load(p.read_text())["flow"]) for p in SCENARIOS}
    assert {"InboundFlow", "WebIngressFlow"} <= flows
    assert any(f.startswith("corpus:") for f in flows)


def run(database: Path, library: FlowLibrary, document: dict[str, Any]) -> Any:
    harness = scenario_harness(database, library, Coverage())
    try:
        return run_scenario(harness, parse_scenario(document, HERE / "inline.yaml"))
    finally:
        harness.close()


def test_a_wrong_expectation_names_the_step_and_shows_the_call(database: Path, library: FlowLibrary) -> None:
    with pytest.raises(FlowExpectationError) as failed:
        run(
            database,
            library,
            {"flow": "InboundFlow", "steps": [{"expect": "Welcome"}, {"expect": "MainMenu"}]},
        )
    message = str(failed.value)
    assert "step 2 (expect): expected prompt 'MainMenu', got [LanguageOffer]" in message
    assert "heard [en-US] Thank you for calling JAM." in message


def test_the_end_is_checked(database: Path, library: FlowLibrary) -> None:
    document = {"flow": "InboundFlow", "steps": ["silence", {"press": "3"}, {"press": "1"}]}
    assert run(database, library, {**document, "end": {"queue": "Support - Technical", "priority": 5}})
    with pytest.raises(FlowExpectationError, match="expected queue 'Sales - Upgrades'"):
        run(database, library, {**document, "end": {"queue": "Sales - Upgrades"}})


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"steps": []}, "flow is required"),
        ({"flow": "InboundFlow", "colour": "red"}, "unknown field(s) colour"),
        ({"flow": "InboundFlow", "steps": [{"press": "12a"}]}, "steps[0]: press takes keys 0-9 * #"),
        ({"flow": "InboundFlow", "steps": ["dance"]}, "steps[0]: unknown step 'dance'"),
        ({"flow": "InboundFlow", "steps": [{"wait": "soon"}]}, "steps[0]: wait takes seconds"),
        ({"flow": "InboundFlow", "steps": [{"expect": {"colour": 1}}]}, "expect takes id and/or text"),
        ({"flow": "InboundFlow", "hours": {"x": "sometimes"}}, "hours.x is open or closed"),
        ({"flow": "InboundFlow", "lambdas": {"f": "yes"}}, "lambdas.f must be a reply mapping"),
        ({"flow": "InboundFlow", "end": {"mood": "happy"}}, "end: unknown mood"),
    ],
)
def test_a_bad_scenario_is_refused_naming_the_field(document: dict[str, Any], message: str) -> None:
    with pytest.raises(ScenarioError) as refused:
        parse_scenario(document, HERE / "bad.yaml")
    assert message in str(refused.value) and "bad.yaml" in str(refused.value)


def test_a_flow_that_does_not_validate_is_refused_naming_the_action(
    database: Path, library: FlowLibrary, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text((HERE / "samples" / "broken-export.json").read_text())
    with pytest.raises(
        ScenarioError,
        match=r"(?s)does not validate.*action compare: Compare needs the parameter ComparisonValue",
    ):
        run(database, library, {"flow": str(broken)})


def test_speech_where_no_bot_listens_is_refused(database: Path, library: FlowLibrary) -> None:
    with pytest.raises(ScenarioError, match="say: nothing listens for speech here"):
        run(database, library, {"flow": "InboundFlow", "steps": [{"say": "billing"}]})


def test_a_stubbed_reply_and_a_stubbed_failure(database: Path, library: FlowLibrary) -> None:
    """Our own functions can be stubbed too, by template logical id: null makes the call fail."""
    ran = run(
        database,
        library,
        {
            "flow": "InboundFlow",
            "from": "+12025550199",
            "lambdas": {"CustomerLookupFunction": {"found": "true", "firstName": "Zed", "isVip": "true"}},
            "steps": ["silence", {"press": "3"}, {"press": "1"}],
            "end": {"queue": "Support - Technical"},
        },
    )
    assert ran.call.harness.stubs.calls  # the stub answered, not the real function
    with pytest.raises(FlowExpectationError, match="expected queue"):
        run(
            database,
            library,
            {
                "flow": "InboundFlow",
                "lambdas": {"PromptsFunction": None},
                "end": {"queue": "Sales - Upgrades"},
            },
        )


# ---------------------------------------------------------------- the corpus and the commands
corpus = pytest.mark.skipif(
    not (flow_corpus() / CORPUS_FLOW).is_file(),
    reason=f"the flow corpus is not at {flow_corpus()} (set FLOW_CORPUS to run these)",
)


@corpus
def test_a_corpus_flow_by_hand_with_a_file_path(database: Path) -> None:
    """`call --flow FILE`: an exported flow, its queue known by id (the export names it by ARN)."""
    screen = io.StringIO()
    code = cli.main(
        ["--db", str(database), "--flow", str(flow_corpus() / CORPUS_FLOW)],
        stdin=io.StringIO("3\n"),
        stdout=screen,
    )
    out = screen.getvalue()
    assert code == 0
    assert "says: Welcome to Amazon Connect Contact Centre." in out
    assert "queued in 1f56e765-4d77-4d45-ba47-88d974497393 (priority 5)" in out


@corpus
def test_check_takes_template_names_and_any_file(capsys: Any) -> None:
    assert check.main(["SurveyFlow", str(flow_corpus() / CORPUS_FLOW)]) == 0
    out = capsys.readouterr().out
    assert "SurveyFlow: ok" in out and f"{CORPUS_FLOW}: ok" in out


SAMPLE = HERE / "samples" / "exported-inbound.json"  # written for these tests, in an export's shape
SAMPLE_QUEUE = (
    "arn:aws:connect:us-east-1:111122223333:instance/11111111-2222-3333-4444-555555555555"
    "/queue/66666666-7777-8888-9999-000000000000"
)


def test_call_takes_a_flow_file_and_another_instances_queue(database: Path) -> None:
    screen = io.StringIO()
    args = ["--db", str(database), "--flow", str(SAMPLE), "--queue", f"{SAMPLE_QUEUE}=Agents"]
    assert cli.main(args, stdin=io.StringIO("1\n"), stdout=screen) == 0
    out = screen.getvalue()
    assert "calling exported-inbound from +12025550101 (INBOUND)" in out
    assert "says: Press 1 to be put in queue for an agent." in out
    assert "[queued in Agents (priority 5)] keys>" in out


def test_call_refuses_a_bad_stub(database: Path) -> None:
    args = ["--db", str(database), "--flow", str(SAMPLE), "--lambda", "lookup={not json"]
    assert cli.main(args, stdin=io.StringIO(""), stdout=io.StringIO()) == 2


def test_flowtest_runs_files_and_folders_and_reports_coverage(tmp_path: Path, capsys: Any) -> None:
    passing = tmp_path / "agent.yaml"
    passing.write_text(
        f"flow: {SAMPLE}\n"
        "steps:\n  - expect: thanks for calling\n  - expect: Press 1\n  - press: '1'\n"
        "end:\n  queue: 66666666-7777-8888-9999-000000000000\n"
    )
    assert flowtest.main([str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"PASS  {passing}" in out and "exported-inbound" in out and "1 passed, 0 failed" in out
    assert flowtest.main([str(passing), "--fail-under", "100"]) == 1  # one call covers a part
    assert "coverage below 100%: exported-inbound" in capsys.readouterr().out
    failing = tmp_path / "wrong.yaml"
    failing.write_text(f"flow: {SAMPLE}\nend:\n  disconnected: true\n")
    assert flowtest.main([str(failing)]) == 1
    assert f"FAIL  {failing}" in capsys.readouterr().out
    assert flowtest.main([str(tmp_path / "absent.yaml")]) == 2


def test_without_the_corpus_a_scenario_says_where_it_is_expected(
    monkeypatch: pytest.MonkeyPatch, database: Path, library: FlowLibrary, tmp_path: Path
) -> None:
    monkeypatch.setenv("FLOW_CORPUS", str(tmp_path / "nowhere"))
    with pytest.raises(CorpusMissing, match=r"the flow corpus is not at .*nowhere"):
        run(database, library, {"flow": "corpus:flow-01.json"})
