"""The engine never crashes or hangs: wrong parameter types take the action's error branch, wrong
shapes are named by the strict load, zero-time cycles are ended by the step budget without keeping
the runtime lock, and the check command answers bad files with one line, not a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from local_connect.clock import WallClock
from local_connect.flows import engine as engine_module
from local_connect.flows.loader import FlowError, FlowLibrary, load_flow, load_flow_file
from local_connect.flows.testing import FlowHarness
from local_connect.numbers import INBOUND_NUMBER
from local_connect.runtime import Runtime, RuntimeOptions
from local_connect.runtime_flows import attach
from tests.flows.calls import STRANGER
from tests.flows.test_engine import BYE, action, cond, say

REPO = Path(__file__).resolve().parents[2]


def document(*actions: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2019-10-30", "StartAction": actions[0]["Identifier"], "Actions": list(actions)}


def lenient(tmp_path: Path, *actions: dict[str, Any]) -> FlowHarness:
    flow = load_flow(document(*actions), key="F", arn="arn:flow/F").flow
    return FlowHarness(tmp_path / "db.sqlite3", library=FlowLibrary({"F": flow}))


def problems(tested: FlowHarness) -> list[str]:
    return [p.split(": ", 1)[1] for p in tested.engine.problems]


# ---------------------------------------------------------------- zero-time cycles
WAIT_ZERO_AND_SAY = (
    action(
        "wait",
        "Wait",
        {"TimeoutSeconds": "0"},
        NextAction="hi",
        Conditions=[cond("Equals", "WaitCompleted", "hi")],
    ),
    say("hi", "still here", "wait"),
)
LOOP_TO_ITSELF = (
    action(
        "loop",
        "Loop",
        {"LoopCount": "0"},
        Conditions=[cond("Equals", "ContinueLooping", "loop"), cond("Equals", "DoneLooping", "loop")],
    ),
)
COMPARE_UPDATE_COMPARE = (
    action(
        "compare",
        "Compare",
        {"ComparisonValue": "$.Attributes.n"},
        NextAction="update",
        Conditions=[cond("Equals", "never", "bye")],
        Errors=[{"ErrorType": "NoMatchingCondition", "NextAction": "update"}],
    ),
    action("update", "UpdateContactAttributes", {"Attributes": {"n": "again"}}, NextAction="compare"),
    BYE,
)
SHORT_INPUT_AGAIN = (  # a 0 s input time limit: the silent caller times out at once, and again
    action(
        "ask",
        "GetParticipantInput",
        {"Text": "press 1", "InputTimeLimitSeconds": "0"},
        Conditions=[cond("Equals", "1", "bye")],
        Errors=[
            {"ErrorType": "InputTimeLimitExceeded", "NextAction": "ask"},
            {"ErrorType": "NoMatchingCondition", "NextAction": "ask"},
            {"ErrorType": "NoMatchingError", "NextAction": "ask"},
        ],
    ),
    BYE,
)


@pytest.mark.parametrize(
    "actions",
    [WAIT_ZERO_AND_SAY, LOOP_TO_ITSELF, COMPARE_UPDATE_COMPARE, SHORT_INPUT_AGAIN],
    ids=["wait-0-and-message", "loop-to-itself", "compare-update-compare", "input-limit-0"],
)
def test_a_cycle_of_zero_time_actions_with_a_silent_caller_is_ended(
    tmp_path: Path, actions: tuple[dict[str, Any], ...]
) -> None:
    tested = lenient(tmp_path, *actions)
    call = tested.dial(STRANGER, "F")
    tested.run_timers()  # a Wait 0 / input limit 0 fall due without the clock moving
    call.expect_disconnected()
    assert tested.scheduler.pending() == 0 and not tested.scheduler.errors
    reported = [p for p in problems(tested) if "loops without waiting" in p]
    assert len(reported) == 1
    assert f"{engine_module.STEP_BUDGET} actions within" in reported[0]
    # The budget counts actions: the contact ran exactly one budget's worth (the next one is refused).
    assert call.session.burst_steps == engine_module.STEP_BUDGET + 1


def test_a_loop_that_lets_time_pass_is_not_a_spin(tmp_path: Path) -> None:
    """A hold loop (a 1 s Wait and a message) is what queue flows do; it runs as long as the caller stays."""
    actions = (
        action(
            "wait",
            "Wait",
            {"TimeoutSeconds": "1"},
            NextAction="hi",
            Conditions=[cond("Equals", "WaitCompleted", "hi")],
        ),
        say("hi", "still here", "wait"),
    )
    tested = lenient(tmp_path, *actions)
    call = tested.dial(STRANGER, "F")
    call.wait(3 * engine_module.STEP_BUDGET)  # more actions in all than one budget, spread over time
    assert len(call.prompts) == 3 * engine_module.STEP_BUDGET
    assert call.contact.state != "disconnected" and not tested.engine.problems
    call.hang_up()
    assert tested.scheduler.pending() == 0


def test_keys_the_caller_presses_start_the_budget_again(tmp_path: Path) -> None:
    """Each key runs a few actions at the same instant; a caller keying fast is not a spinning flow."""
    actions = (
        action(
            "ask",
            "GetParticipantInput",
            {"Text": "press"},
            Conditions=[cond("Equals", "1", "set")],
            Errors=[{"ErrorType": "NoMatchingCondition", "NextAction": "ask"}],
        ),
        action("set", "UpdateContactAttributes", {"Attributes": {"k": "1"}}, NextAction="ask"),
    )
    tested = lenient(tmp_path, *actions)
    call = tested.dial(STRANGER, "F")
    call.press("1" * engine_module.STEP_BUDGET)  # 2 actions per key, all at one instant
    assert call.contact.state != "disconnected" and not tested.engine.problems


# ---------------------------------------------------------------- wrong types at run time
def ask_digits(**params: Any) -> dict[str, Any]:
    return action(
        "ask",
        "GetParticipantInput",
        {"Text": "your number", "StoreInput": "True", **params},
        NextAction="thanks",
        Errors=[
            {"ErrorType": "NoMatchingError", "NextAction": "failed"},
            {"ErrorType": "InvalidPhoneNumber", "NextAction": "invalid"},
        ],
    )


OUTCOMES = (
    say("thanks", "thanks", "bye"),
    say("failed", "failed", "bye"),
    say("invalid", "invalid", "bye"),
    BYE,
)
PHONE = {"PhoneNumberValidation": {"NumberFormat": "Local", "CountryCode": "US"}}


@pytest.mark.parametrize(
    ("params", "keys", "reason"),
    [
        (
            {"InputValidation": PHONE, "DTMFConfiguration": {"InterdigitTimeLimitSeconds": "soon"}},
            "2",
            "InterdigitTimeLimitSeconds must be a number, got 'soon'",
        ),
        (
            {"InputValidation": PHONE, "InputTimeLimitSeconds": "ten"},
            "",
            "InputTimeLimitSeconds must be a number",
        ),
        ({"InputValidation": PHONE, "InputTimeLimitSeconds": "-3"}, "", "must be a non-negative number"),
        ({"InputValidation": PHONE, "InputTimeLimitSeconds": "1e999"}, "", "must be a non-negative number"),
        (
            {"InputValidation": {"CustomValidation": {"MaximumLength": "four"}}},
            "",
            "MaximumLength must be a number, got 'four'",
        ),
        (
            {"InputValidation": {"PhoneNumberValidation": "yes"}},
            "2025550143#",
            "PhoneNumberValidation must be",
        ),
        ({"InputValidation": "phone"}, "", "InputValidation must be an object"),
        ({"InputValidation": PHONE, "DTMFConfiguration": ["#"]}, "", "DTMFConfiguration must be an object"),
    ],
)
def test_a_text_where_a_number_or_object_belongs_takes_the_error_branch(
    tmp_path: Path, params: dict[str, Any], keys: str, reason: str
) -> None:
    tested = lenient(tmp_path, ask_digits(**params), *OUTCOMES)
    call = tested.dial(STRANGER, "F")
    call.press(keys)
    tested.run_timers()
    assert [p.text for p in call.prompts][-1] == "failed"
    assert any(reason in p for p in problems(tested)), problems(tested)
    assert not tested.scheduler.errors


@pytest.mark.parametrize(
    ("validation", "keys", "heard"),
    [
        ({"NumberFormat": "Local", "CountryCode": "not a country"}, "2025550143#", "invalid"),
        ({"NumberFormat": 7, "CountryCode": ["US"]}, "2025550143#", "invalid"),
        ({"NumberFormat": "E164"}, "1*202#", "invalid"),
        ({"NumberFormat": "Local", "CountryCode": "US"}, "2025550143#", "thanks"),
    ],
)
def test_phone_number_validation_with_text_parameters(
    tmp_path: Path, validation: dict[str, Any], keys: str, heard: str
) -> None:
    tested = lenient(tmp_path, ask_digits(InputValidation={"PhoneNumberValidation": validation}), *OUTCOMES)
    call = tested.dial(STRANGER, "F")
    call.press(keys)
    assert [p.text for p in call.prompts][-1] == heard


@pytest.mark.parametrize(
    "broken",
    [
        action("x", "Loop", {"LoopCount": "1e999"}, NextAction="bye"),
        action("x", "Loop", {"LoopCount": "101"}, NextAction="bye"),
        action("x", "Wait", {"TimeoutSeconds": ["5"]}, NextAction="bye"),
        action("x", "MessageParticipantIteratively", {"Messages": []}, NextAction="bye"),
        action("x", "MessageParticipantIteratively", {"Messages": ["just text"]}, NextAction="bye"),
        action(
            "x",
            "MessageParticipantIteratively",
            {"Messages": [{"Text": "a"}], "InterruptFrequencySeconds": "x"},
        ),
        action("x", "UpdateContactRoutingBehavior", {"QueuePriority": 1e308}, NextAction="bye"),
        action("x", "InvokeLambdaFunction", {"LambdaFunctionARN": "arn", "ResponseValidation": "JSON"}),
        action("x", "UpdateContactAttributes", {"Attributes": ["a", "b"]}, NextAction="bye"),
        action("x", "CreateCallbackContact", {"InitialCallDelaySeconds": "later"}, NextAction="bye"),
    ],
    ids=lambda a: f"{a['Type']}-{json.dumps(a['Parameters'])[:30]}",
)
def test_a_nonsense_parameter_fails_its_action_not_the_engine(tmp_path: Path, broken: dict[str, Any]) -> None:
    broken = {
        **broken,
        "Transitions": {
            **broken["Transitions"],
            "Errors": [{"ErrorType": "NoMatchingError", "NextAction": "failed"}],
        },
    }
    tested = lenient(tmp_path, broken, say("failed", "failed", "bye"), BYE)
    call = tested.dial(STRANGER, "F")
    call.wait(60)
    assert "failed" in [p.text for p in call.prompts]
    assert not any(engine_module.INTERNAL_ERROR in p for p in tested.engine.problems)
    assert not tested.scheduler.errors


# ---------------------------------------------------------------- wrong shapes at load time
@pytest.mark.parametrize(
    ("transitions", "parameters", "named"),
    [
        (
            {"NextAction": "bye", "Conditions": True},
            {"ComparisonValue": "1"},
            "Transitions.Conditions must be a list, got bool",
        ),
        (
            {"NextAction": "bye", "Errors": {"ErrorType": "NoMatchingCondition"}},
            {"ComparisonValue": "1"},
            "Transitions.Errors must be a list",
        ),
        ("bye", {"ComparisonValue": "1"}, "Transitions must be an object, got str"),
        (
            {"NextAction": "bye", "Conditions": [{"NextAction": "bye", "Condition": {"Operator": "Equals"}}]},
            {"ComparisonValue": "1"},
            "Transitions.Conditions[0].Condition has no Operands list",
        ),
        (
            {"NextAction": "bye", "Conditions": ["Equals 1"]},
            {"ComparisonValue": "1"},
            "Transitions.Conditions[0] must be an object",
        ),
        ({"NextAction": "bye"}, ["ComparisonValue", "1"], "Parameters must be an object, got list"),
    ],
)
def test_wrong_shapes_are_named_by_the_strict_load_and_run_leniently(
    tmp_path: Path, transitions: Any, parameters: Any, named: str
) -> None:
    compare = {"Identifier": "x", "Type": "Compare", "Parameters": parameters, "Transitions": transitions}
    with pytest.raises(FlowError) as refused:
        load_flow(document(compare, BYE), key="F", strict=True)
    assert f"action x: {named}" in str(refused.value)
    tested = lenient(tmp_path, compare, BYE)
    tested.dial(STRANGER, "F").expect_disconnected()  # no branch to take: the call ends, nothing raises
    assert not tested.scheduler.errors


# ---------------------------------------------------------------- the runtime lock
@pytest.fixture
def live_runtime(tmp_path: Path, database: Path) -> Any:
    runtime = Runtime(RuntimeOptions(db_path=tmp_path / "acd.sqlite3", clock=WallClock()))
    engine = attach(runtime, str(database), lambda_env={"LOG_LEVEL": "ERROR"})
    spin = load_flow(
        document(
            action(
                "wait",
                "Wait",
                {"TimeoutSeconds": "0"},
                NextAction="set",
                Conditions=[cond("Equals", "WaitCompleted", "set")],
            ),
            action("set", "UpdateContactAttributes", {"Attributes": {"spun": "yes"}}, NextAction="wait"),
        ),
        key="Spin",
        strict=True,
    ).flow
    engine.library.add(spin)
    engine.library.add(load_flow(document(*COMPARE_UPDATE_COMPARE), key="SpinInOneRun", strict=True).flow)
    with runtime.lock:
        contact_id = runtime.switchboard.dial(STRANGER, INBOUND_NUMBER)
    runtime.start()
    yield runtime, engine, contact_id
    runtime.stop()


def wait_for(condition: Any, seconds: float = 5.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.005)
    return False


@pytest.mark.parametrize("flow", ["Spin", "SpinInOneRun"])  # a timer chain; one long run of actions
def test_another_thread_takes_the_runtime_lock_while_a_flow_spins(
    live_runtime: Any, monkeypatch: pytest.MonkeyPatch, flow: str
) -> None:
    runtime, engine, contact_id = live_runtime
    monkeypatch.setattr(engine_module, "STEP_BUDGET", 10**9)  # a spin the budget has not caught yet
    with runtime.lock:
        session = engine.start(contact_id, flow)
    assert wait_for(lambda: len(session.trace) > 500)  # the driver thread runs it, timer by timer
    waits = []
    for _ in range(20):
        started = time.monotonic()
        assert runtime.lock.acquire(timeout=2), "the spinning flow kept the runtime lock"
        try:
            waits.append(time.monotonic() - started)
            steps = len(session.trace)
        finally:
            runtime.lock.release()
        assert wait_for(lambda steps=steps: len(session.trace) > steps)  # and it spins on
    assert max(waits) < 1.0, waits
    with runtime.lock:
        engine.stop(contact_id)


def test_the_runtime_ends_a_spinning_flow_and_the_call(live_runtime: Any) -> None:
    runtime, engine, contact_id = live_runtime
    with runtime.lock:
        session = engine.start(contact_id, "Spin")
    assert wait_for(lambda: not session.active)
    assert session.disconnected and len(session.trace) <= engine_module.STEP_BUDGET
    assert any("loops without waiting" in p for p in engine.problems)
    assert wait_for(lambda: runtime.center.contact(contact_id).state.value == "DISCONNECTED")


# ---------------------------------------------------------------- the check command
def run_check(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bad-flows")
    files = {
        "latin1": b'{"Version": "2019-10-30", "Name": "caf\xe9"}',
        "deep": b"[" * 100_000 + b"]" * 100_000,
        "truncated": b'{"Version": "2019-10-30", "Actions": [',
        "empty-start": json.dumps(document(BYE) | {"StartAction": ""}).encode(),
        "no-start": json.dumps({k: v for k, v in document(BYE).items() if k != "StartAction"}).encode(),
    }
    paths = {}
    for name, content in files.items():
        paths[name] = folder / f"{name}.json"
        paths[name].write_bytes(content)
    return paths


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("latin1", "error: not UTF-8 text: 'utf-8' codec can't decode byte 0xe9"),
        ("deep", "error: not JSON: nested more deeply than the JSON parser allows"),
        ("truncated", "error: not JSON: Expecting value: line 1 column 39 (char 38)"),
        ("empty-start", "error: StartAction is missing"),
        ("no-start", "error: StartAction is missing"),
    ],
)
@pytest.mark.parametrize("command", [("local_connect.flows.check",), ("local_connect", "check")])
def test_the_check_command_answers_a_bad_file_with_one_clear_line(
    bad_files: dict[str, Path], name: str, line: str, command: tuple[str, ...]
) -> None:
    result = run_check(*command, str(bad_files[name]))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    header, problem = result.stdout.splitlines()
    assert header == f"{name}.json:" and problem.startswith(f"  {line}")


def test_the_lenient_load_keeps_only_the_real_parse_error(bad_files: dict[str, Path]) -> None:
    for name in ("latin1", "deep", "truncated"):
        report = load_flow_file(bad_files[name]).report
        assert len(report.problems) == 1 and report.problems[0].message.startswith(("not JSON", "not UTF-8"))
    with pytest.raises(FlowError, match="not JSON: Expecting value"):
        load_flow(bad_files["truncated"].read_text(), key="F", strict=True)
    report = load_flow("[1, 2]", key="F").report
    assert [str(p) for p in report.problems] == ["error: a flow must be a JSON object, not list"]


def test_a_missing_file_is_one_line_too(tmp_path: Path) -> None:
    result = run_check("local_connect", "check", str(tmp_path / "nowhere.json"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stdout.strip() == f"{tmp_path / 'nowhere.json'}: cannot read: No such file or directory"


@pytest.mark.parametrize(
    ("type_", "parameters", "named"),
    [
        ("CheckMetricData", {"MetricType": []}, "CheckMetricData.MetricType"),
        (
            "UpdateContactRoutingBehavior",
            {"QueuePriority": 1e400},
            "UpdateContactRoutingBehavior.QueuePriority",
        ),
        (
            "UpdateContactRoutingBehavior",
            {"QueueTimeAdjustmentSeconds": -1e400},
            "UpdateContactRoutingBehavior.QueueTimeAdjustmentSeconds",
        ),
        (
            "MessageParticipantIteratively",
            {"Messages": [{"Text": "a"}], "InterruptFrequencySeconds": "²"},
            "InterruptFrequencySeconds must be a whole number, got '²'",
        ),
    ],
)
def test_values_that_once_crashed_the_validator_are_named(
    type_: str, parameters: dict[str, Any], named: str
) -> None:
    """Each of these raised TypeError, OverflowError or ValueError out of the strict load."""
    broken = action("x", type_, parameters, NextAction="bye")
    with pytest.raises(FlowError) as refused:
        load_flow(document(broken, BYE), key="F", strict=True)
    assert named in str(refused.value)


def test_a_dynamic_lambda_time_limit_is_named_not_a_crash() -> None:
    """It raised ValueError (float("$.Attributes.t")); the catalog (InvokeLambdaFunction's page) wants
    the time limit static, so it is refused by name."""
    lambda_call = action(
        "x",
        "InvokeLambdaFunction",
        {
            "LambdaFunctionARN": "arn:aws:lambda:us-east-1:1:function:f",
            "InvocationTimeLimitSeconds": "$.Attributes.t",
        },
        NextAction="bye",
        Errors=[{"ErrorType": "NoMatchingError", "NextAction": "bye"}],
    )
    report = str(load_flow(document(lambda_call, BYE), key="F").report)
    assert "InvocationTimeLimitSeconds must be a static value" in report
