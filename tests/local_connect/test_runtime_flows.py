"""The real flow engine on the runtime: RuntimeFlowServices under small Flow Language documents.

The flows here are written inline so these tests pin the contract between the engine and the
contact center (queue hooks, callbacks, disconnect flow, survey Lambda, input timeouts), whatever
the template's own flows say; the e2e suite runs those.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from local_connect.clock import ManualClock
from local_connect.flows.engine import FlowEngine
from local_connect.flows.lambdas import InProcessLambdas, local_lambda_env
from local_connect.flows.loader import FlowLibrary, load_flow
from local_connect.numbers import INBOUND_NUMBER
from local_connect.runtime import Runtime, RuntimeOptions
from local_connect.runtime_flows import RuntimeFlowServices, SurveyRecordingLambdas

CALLER = "+12025550101"


def _go(target: str) -> dict[str, Any]:
    return {"NextAction": target}


def _on_digit(digit: str, target: str) -> dict[str, Any]:
    return {"NextAction": target, "Condition": {"Operator": "Equals", "Operands": [digit]}}


def _errors(target: str, *kinds: str) -> list[dict[str, str]]:
    return [{"NextAction": target, "ErrorType": kind} for kind in kinds]


def _flows(support_arn: str, survey_arn: str) -> dict[str, dict[str, Any]]:
    menu_errors = _errors("bye", "InputTimeLimitExceeded", "NoMatchingCondition", "NoMatchingError")
    inbound = {
        "Version": "2019-10-30",
        "StartAction": "hooks",
        "Actions": [
            {
                "Identifier": "hooks",
                "Type": "UpdateContactEventHooks",
                "Parameters": {"EventHooks": {"CustomerQueue": "TestQueue"}},
                "Transitions": {**_go("survey-hook"), "Errors": _errors("menu", "NoMatchingError")},
            },
            {
                "Identifier": "survey-hook",
                "Type": "UpdateContactEventHooks",
                "Parameters": {"EventHooks": {"CustomerRemaining": "TestSurvey"}},
                "Transitions": {**_go("menu"), "Errors": _errors("menu", "NoMatchingError")},
            },
            {
                "Identifier": "menu",
                "Type": "GetParticipantInput",
                "Parameters": {
                    "Text": "Press 1 for support.",
                    "StoreInput": "False",
                    "InputTimeLimitSeconds": "5",
                },
                "Transitions": {
                    **_go("bye"),
                    "Conditions": [_on_digit("1", "target")],
                    "Errors": menu_errors,
                },
            },
            {
                "Identifier": "target",
                "Type": "UpdateContactTargetQueue",
                "Parameters": {"QueueId": support_arn},
                "Transitions": {**_go("transfer"), "Errors": _errors("bye", "NoMatchingError")},
            },
            {
                "Identifier": "transfer",
                "Type": "TransferContactToQueue",
                "Parameters": {},
                "Transitions": {**_go("bye"), "Errors": _errors("bye", "QueueAtCapacity", "NoMatchingError")},
            },
            {"Identifier": "bye", "Type": "DisconnectParticipant", "Parameters": {}, "Transitions": {}},
        ],
    }
    queue = {
        "Version": "2019-10-30",
        "StartAction": "offer",
        "Actions": [
            {
                "Identifier": "offer",
                "Type": "GetParticipantInput",
                "Parameters": {
                    "Text": "Press 1 for a callback.",
                    "StoreInput": "False",
                    "InputTimeLimitSeconds": "10",
                },
                "Transitions": {
                    **_go("offer"),
                    "Conditions": [_on_digit("1", "callback"), _on_digit("2", "callback-with-survey")],
                    "Errors": _errors(
                        "offer", "InputTimeLimitExceeded", "NoMatchingCondition", "NoMatchingError"
                    ),
                },
            },
            {
                "Identifier": "callback",
                "Type": "CreateCallbackContact",
                "Parameters": {
                    "InitialCallDelaySeconds": "5",
                    "MaximumConnectionAttempts": "2",
                    "RetryDelaySeconds": "30",
                },
                "Transitions": {**_go("thanks"), "Errors": _errors("offer", "NoMatchingError")},
            },
            {
                # "Set creation flow": the callback contact runs TestCallbackCreation before it is
                # queued, and that flow gives it the survey as its disconnect flow.
                "Identifier": "callback-with-survey",
                "Type": "CreateCallbackContact",
                "Parameters": {
                    "InitialCallDelaySeconds": "5",
                    "MaximumConnectionAttempts": "2",
                    "RetryDelaySeconds": "30",
                    "ContactFlowId": "TestCallbackCreation",
                },
                "Transitions": {**_go("thanks"), "Errors": _errors("offer", "NoMatchingError")},
            },
            {
                "Identifier": "thanks",
                "Type": "MessageParticipant",
                "Parameters": {"Text": "We will call you back."},
                "Transitions": {**_go("bye"), "Errors": _errors("bye", "NoMatchingError")},
            },
            {"Identifier": "bye", "Type": "DisconnectParticipant", "Parameters": {}, "Transitions": {}},
        ],
    }
    survey = {
        "Version": "2019-10-30",
        "StartAction": "q1",
        "Actions": [
            {
                "Identifier": "q1",
                "Type": "GetParticipantInput",
                "Parameters": {
                    "Text": "Rate us from 1 to 5.",
                    "StoreInput": "True",
                    "InputTimeLimitSeconds": "5",
                    "InputValidation": {"CustomValidation": {"MaximumLength": "1"}},
                },
                "Transitions": {
                    **_go("keep"),
                    "Errors": _errors("bye", "InputTimeLimitExceeded", "NoMatchingError"),
                },
            },
            {
                "Identifier": "keep",
                "Type": "UpdateContactAttributes",
                "Parameters": {"Attributes": {"Q1": "$.StoredCustomerInput"}},
                "Transitions": {**_go("store"), "Errors": _errors("bye", "NoMatchingError")},
            },
            {
                "Identifier": "store",
                "Type": "InvokeLambdaFunction",
                "Parameters": {
                    "LambdaFunctionARN": survey_arn,
                    "InvocationTimeLimitSeconds": "3",
                    "LambdaInvocationAttributes": {"Q1": "$.Attributes.Q1", "Q2": "", "Q3": ""},
                },
                "Transitions": {**_go("bye"), "Errors": _errors("bye", "NoMatchingError")},
            },
            {"Identifier": "bye", "Type": "DisconnectParticipant", "Parameters": {}, "Transitions": {}},
        ],
    }
    creation = {
        "Version": "2019-10-30",
        "StartAction": "survey-hook",
        "Actions": [
            {
                "Identifier": "survey-hook",
                "Type": "UpdateContactEventHooks",
                "Parameters": {"EventHooks": {"CustomerRemaining": "TestSurvey"}},
                "Transitions": {**_go("queue"), "Errors": _errors("queue", "NoMatchingError")},
            },
            {
                "Identifier": "queue",
                "Type": "TransferContactToQueue",
                "Parameters": {},
                "Transitions": {**_go("bye"), "Errors": _errors("bye", "QueueAtCapacity", "NoMatchingError")},
            },
            {"Identifier": "bye", "Type": "DisconnectParticipant", "Parameters": {}, "Transitions": {}},
        ],
    }
    return {
        "TestInbound": inbound,
        "TestQueue": queue,
        "TestSurvey": survey,
        "TestCallbackCreation": creation,
    }


class World:
    def __init__(self, runtime: Runtime, clock: ManualClock, engine: FlowEngine) -> None:
        self.runtime = runtime
        self.clock = clock
        self.engine = engine
        self.board = runtime.switchboard
        self.center = runtime.center

    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)
        self.runtime.scheduler.run_due()

    def heard(self, number: str = CALLER) -> list[tuple[str, Any]]:
        return [(e.type, e.data.get("text")) for e in self.board.phone(number).channel.since(0)]


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    from scripts.seed import main as seed

    sqlite_path = tmp_path / "jam.sqlite3"
    assert seed(["sqlite", "--sqlite-path", str(sqlite_path)]) == 0
    clock = ManualClock()
    runtime = Runtime(RuntimeOptions(db_path=tmp_path / "contacts.sqlite3", clock=clock))
    defs = runtime.definitions
    services = RuntimeFlowServices(defs, runtime.center, runtime.switchboard)
    documents = _flows(defs.queues["SupportTechnicalQueue"].arn, defs.functions["SurveyFunction"].arn)
    library = FlowLibrary({})
    for key, document in documents.items():
        result = load_flow(document, key=key, flow_type="CONTACT_FLOW")
        assert result.report.ok, result.report
        library.add(result.flow)
    # The inbound number's flow (InboundFlow) is this test's inbound document.
    library.add(load_flow(documents["TestInbound"], key="InboundFlow").flow)
    lambdas = SurveyRecordingLambdas(InProcessLambdas(defs, local_lambda_env(str(sqlite_path))), services)
    engine = FlowEngine(services, runtime.scheduler, library, lambdas, instance_arn=defs.instance_arn)
    runtime.switchboard.flows = engine
    with runtime.lock:
        yield World(runtime, clock, engine)
    runtime.stop()
    assert not runtime.scheduler.errors, list(runtime.scheduler.errors)


def test_press_1_puts_the_caller_in_queue_where_the_queue_flow_talks_to_them(world: World) -> None:
    contact_id = world.board.dial(CALLER, INBOUND_NUMBER)
    world.board.send_digits(CALLER, "1")
    contact = world.center.contact(contact_id)
    assert contact.state.value == "QUEUED"
    assert contact.queue_id == world.runtime.definitions.queues["SupportTechnicalQueue"].id
    assert ("prompt", "Press 1 for a callback.") in world.heard()
    assert world.engine.problems == []


def test_silence_in_the_menu_ends_the_call_from_the_flow(world: World) -> None:
    contact_id = world.board.dial(CALLER, INBOUND_NUMBER)
    world.advance(6)
    assert world.heard()[-1][0] == "call_ended"
    record = world.runtime.store.get(contact_id)
    assert record is not None and record.disconnect_reason == "CONTACT_FLOW_DISCONNECT"


def test_a_callback_from_the_queue_flow_keeps_the_place_and_rings_back(world: World) -> None:
    original = world.board.dial(CALLER, INBOUND_NUMBER)
    world.board.send_digits(CALLER, "1")
    enqueued_at = world.center.contact(original).enqueued_at
    world.advance(40)
    world.board.dial("+12025550102", INBOUND_NUMBER)  # a later caller, who stays on the line
    world.board.send_digits("+12025550102", "1")
    world.board.send_digits(CALLER, "1")  # callback, please
    assert [t for t, _ in world.heard()][-2:] == ["prompt", "call_ended"]
    [callback] = [c for c in world.center.open_contacts() if c.initiation_method.value == "CALLBACK"]
    assert callback.enqueued_at == enqueued_at and callback.previous_contact_id == original
    assert callback.callback_max_attempts == 2 and callback.callback_retry_delay == 30
    assert callback.state.value == "SCHEDULED"  # the initial call delay
    world.advance(5)
    assert world.center.position(callback.id) == 0  # then in line, ahead of the later caller

    world.center.set_agent_state("agent.support", "Available")
    world.center.accept("agent.support", callback.id)
    assert world.heard()[-1][0] == "ringing"
    world.board.answer(CALLER)
    assert world.center.contact(callback.id).state.value == "CONNECTED"
    # Event hooks belong to the contact: the callback did not inherit the caller's survey.
    world.center.end("agent.support", callback.id)
    assert world.heard()[-1] == ("call_ended", None)
    assert "Rate us from 1 to 5." not in [text for _, text in world.heard()[-3:]]


def test_a_callback_whose_creation_flow_sets_the_survey_gets_it_after_the_agent_hangs_up(
    world: World,
) -> None:
    original = world.board.dial(CALLER, INBOUND_NUMBER)
    world.board.send_digits(CALLER, "1")
    enqueued_at = world.center.contact(original).enqueued_at
    world.advance(20)
    world.board.send_digits(CALLER, "2")  # callback, with the creation flow
    assert world.heard()[-1][0] == "call_ended"
    world.advance(0)  # the creation flow runs from the timer loop, on the callback contact
    [callback] = [c for c in world.center.open_contacts() if c.initiation_method.value == "CALLBACK"]
    assert callback.state.value == "QUEUED"  # queued by its creation flow: no initial delay
    assert callback.enqueued_at == enqueued_at and callback.disconnect_flow == "TestSurvey"

    world.center.set_agent_state("agent.support", "Available")
    world.center.accept("agent.support", callback.id)
    world.board.answer(CALLER)
    world.center.end("agent.support", callback.id)
    assert world.heard()[-1] == ("prompt", "Rate us from 1 to 5.")
    world.board.send_digits(CALLER, "5")
    assert world.heard()[-1][0] == "call_ended"
    record = world.runtime.store.get(callback.id)
    assert record is not None and record.survey == {"Q1": "5", "Q2": "", "Q3": ""}
    assert record.initiation_method.value == "CALLBACK" and record.agent_username == "agent.support"
    assert world.engine.problems == []


def test_the_survey_runs_when_the_agent_hangs_up_and_lands_on_the_record(world: World) -> None:
    contact_id = world.board.dial(CALLER, INBOUND_NUMBER)
    world.board.send_digits(CALLER, "1")
    world.center.set_agent_state("agent.support", "Available")
    world.center.accept("agent.support", contact_id)
    world.center.end("agent.support", contact_id)
    assert ("prompt", "Rate us from 1 to 5.") in world.heard()
    world.board.send_digits(CALLER, "4")
    assert world.heard()[-1][0] == "call_ended"
    record = world.runtime.store.get(contact_id)
    assert record is not None and record.survey == {"Q1": "4", "Q2": "", "Q3": ""}
    assert record.disconnect_reason == "AGENT_DISCONNECT"
    assert world.engine.problems == []


def test_in_process_lambdas_keep_only_the_latest_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    """A long `make run` must not keep every event the Lambdas were sent."""
    from local_connect.definitions import load_definitions
    from local_connect.flows import lambdas as lambdas_module

    defs = load_definitions()
    invoker = InProcessLambdas(defs)
    survey = defs.functions["SurveyFunction"]
    loaded = lambdas_module._Loaded(handler=lambda event, context: {}, environment={})
    monkeypatch.setattr(invoker, "_load", lambda arn: (survey, loaded))
    for n in range(lambdas_module.KEPT_CALLS + 5):
        invoker.invoke(survey.arn, {"n": n}, 3)
    assert len(invoker.calls) == lambdas_module.KEPT_CALLS
    assert invoker.calls[-1][1] == {"n": lambdas_module.KEPT_CALLS + 4}
