"""Loading and validating flows: the JAM flows, flows exported from real instances, and bad flows."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from local_connect.definitions import load_definitions
from local_connect.flows.loader import FlowError, FlowLibrary, load_flow, load_flow_file
from local_connect.flows.references import external_prompt_ids
from local_connect.flows.testing import FlowHarness

SAMPLES = Path(__file__).parent / "samples"
JAM_FLOWS = {"InboundFlow", "CustomerQueueFlow", "SurveyFlow", "WebIngressFlow", "CallbackCreationFlow"}


def minimal() -> dict[str, Any]:
    return {
        "Version": "2019-10-30",
        "StartAction": "hello",
        "Actions": [
            {
                "Identifier": "hello",
                "Type": "MessageParticipant",
                "Parameters": {"Text": "Hello"},
                "Transitions": {"NextAction": "bye"},
            },
            {"Identifier": "bye", "Type": "DisconnectParticipant", "Parameters": {}, "Transitions": {}},
        ],
    }


def test_the_template_maps_every_jam_flow_file_and_all_load_clean() -> None:
    library = FlowLibrary.from_definitions(load_definitions())
    assert {flow.key for flow in library} == JAM_FLOWS
    for key in JAM_FLOWS:
        report = library.reports[key]
        assert report.problems == [], str(report)
        flow = library.get(key)
        definition = load_definitions().flows[key]
        assert (flow.arn, flow.flow_id, flow.name) == (definition.arn, definition.id, definition.name)
        assert library.get(definition) is flow and library.get(definition.arn) is flow


def test_placeholders_resolve_to_the_template_resources() -> None:
    definitions = load_definitions()
    flow = FlowLibrary.from_definitions(definitions).get("InboundFlow")
    queue = flow.actions["queue-sales-upgrades"].parameters["QueueId"]
    assert queue == definitions.queues["SalesUpgradesQueue"].arn
    hook = flow.actions["set-disconnect-flow"].parameters["EventHooks"]["CustomerRemaining"]
    assert hook == definitions.flows["SurveyFlow"].arn
    lambda_arn = flow.actions["lookup"].parameters["LambdaFunctionARN"]
    assert lambda_arn == definitions.functions["CustomerLookupFunction"].arn
    assert "${" not in json.dumps([a.raw for a in flow])


def test_flow_files_never_hard_code_what_the_caller_hears() -> None:
    """Prompt texts come from the Prompts Lambda: every spoken text is a $.External reference."""
    library = FlowLibrary.from_definitions(load_definitions())
    for flow in library:
        for action in flow:
            texts = [action.parameters.get(k) for k in ("Text", "SSML")]
            texts += [m.get("Text") for m in action.parameters.get("Messages", [])]
            for text in filter(None, texts):
                assert "$.External." in text, f"{flow.key}/{action.identifier}: {text!r}"


def test_every_prompt_id_the_flows_use_is_seeded_in_both_languages() -> None:
    seed = json.loads((Path(__file__).parents[2] / "data" / "seed" / "prompts.json").read_text())
    by_flow = {item["ContactFlowName"]: {p["Id"]: p["PromptText"] for p in item["Prompts"]} for item in seed}
    library = FlowLibrary.from_definitions(load_definitions())
    lambda_keys = {
        "PromptCount",
        "found",
        "FirstName",
        "LastName",
        "VIP",
        "AccountNumber",
        "PhoneNational",
        "verified",  # pin_verification and otp_verification
        "locked",
        "sent",  # otp_verification
        "nextOpenSpoken",  # hours_status
        "nextOpenKnown",
    }
    for flow in library:
        prompts = by_flow.get(flow.name, {})  # a flow that says nothing (callback creation) has none
        used = {
            prompt_id
            for action in flow
            for text in strings(action.parameters)
            for prompt_id in external_prompt_ids(text)
        }
        for prompt_id in used - lambda_keys:
            assert prompt_id in prompts, f"{flow.name} uses {prompt_id}, which is not seeded"
            assert prompts[prompt_id].get("en-US") and prompts[prompt_id].get("es-US")


def strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def test_an_exported_inbound_flow_loads_with_its_unsupported_blocks_named() -> None:
    result = load_flow_file(SAMPLES / "exported-inbound.json", key="Sample")
    assert result.report.ok, str(result.report)
    assert result.report.unsupported_types == set()  # ConnectParticipantWithLexBot and InvokeFlowModule run
    assert len(result.flow.actions) == 9


def test_an_exported_queue_flow_loads_clean() -> None:
    result = load_flow_file(SAMPLES / "exported-queue.json", key="SampleQueue")
    assert result.report.ok and not result.report.unsupported, str(result.report)


def test_a_broken_export_is_reported_not_raised() -> None:
    result = load_flow_file(SAMPLES / "broken-export.json", key="Broken")
    messages = [str(p) for p in result.report.problems]
    assert (
        "unsupported: action start: type GetCustomerProfile is a Connect action this engine does not run"
        in messages
    )
    assert "unsupported: action island: type FancyNewBlock is not in the action catalog" in messages
    assert "error: action compare: the Identifier is used by more than one action" in messages
    assert "error: action compare: Compare needs the parameter ComparisonValue" in messages
    assert any("condition operator 'Like'" in m for m in messages)
    assert "error: action start: transition to 'gone', which is not an action of the flow" in messages
    assert "error: action end: DisconnectParticipant ends the flow and takes no transitions" in messages
    assert "error: 1 entries of Actions are not objects" in messages
    assert "warning: action island: unreachable: no path from StartAction leads here" in messages
    with pytest.raises(FlowError, match="action compare: Compare needs the parameter ComparisonValue"):
        load_flow_file(SAMPLES / "broken-export.json", key="Broken", strict=True)


def test_an_exported_flow_runs_until_its_bot_which_has_no_bot_here(tmp_path: Path) -> None:
    result = load_flow_file(SAMPLES / "exported-inbound.json", key="Sample")
    harness = FlowHarness(tmp_path / "db.sqlite3", library=FlowLibrary({"Sample": result.flow}))
    call = harness.dial("+12025550101", "Sample")
    call.expect_prompt(text="Hello, thanks for calling")
    call.expect_prompt(text="Press 1")
    call.press("2")  # the Lex bot: the harness has no bot for its alias, so its error branch is taken
    call.expect_disconnected()
    assert any("no Lex V2 bot alias to talk to" in p for p in harness.engine.problems)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(Version="2017-01-01"), "Version is '2017-01-01', expected '2019-10-30'"),
        (lambda d: d.update(StartAction="nowhere"), "StartAction 'nowhere' is not an action of the flow"),
        (lambda d: d.pop("StartAction"), "StartAction is missing"),
        (
            lambda d: d["Actions"][0]["Transitions"].update(NextAction="gone"),
            "action hello: transition to 'gone'",
        ),
        (
            lambda d: d["Actions"][0]["Parameters"].update(SSML="<speak/>"),
            "action hello: MessageParticipant takes only one of Text, SSML",
        ),
        (
            lambda d: d["Actions"][0]["Transitions"].pop("NextAction"),
            "action hello: MessageParticipant needs a NextAction",
        ),
        (
            lambda d: d["Actions"][0]["Transitions"].update(
                Errors=[{"ErrorType": "QueueAtCapacity", "NextAction": "bye"}]
            ),
            "action hello: error type 'QueueAtCapacity' is not one MessageParticipant raises",
        ),
        (
            lambda d: d["Actions"][0]["Transitions"].update(
                Conditions=[{"NextAction": "bye", "Condition": {"Operator": "Equals", "Operands": ["1"]}}]
            ),
            "action hello: MessageParticipant takes no Conditions",
        ),
        (lambda d: d["Actions"][0].pop("Type"), "action hello: the action has no Type"),
        (lambda d: d["Actions"][1].pop("Identifier"), "action <action #1>: the action has no Identifier"),
        (
            lambda d: d["Actions"].append(dict(d["Actions"][1], Identifier="queue: sales")),
            "action queue: sales: an Identifier may not contain :",
        ),
        (
            lambda d: d["Actions"].append(dict(d["Actions"][1], Identifier="valueOf")),
            "action valueOf: valueOf is not allowed as an Identifier",
        ),
        (
            lambda d: d["Actions"].extend(dict(d["Actions"][1], Identifier=f"a{i}") for i in range(250)),
            "252 actions: a flow has at most 250",
        ),
        (
            lambda d: d["Actions"].insert(
                0, {"Identifier": "loop", "Type": "Loop", "Parameters": {"LoopCount": "x"}, "Transitions": {}}
            ),
            "action loop: Loop.LoopCount must be a whole number, got 'x'",
        ),
        (
            lambda d: d["Actions"].insert(
                0,
                {
                    "Identifier": "hooks",
                    "Type": "UpdateContactEventHooks",
                    "Parameters": {"EventHooks": {"CustomerQueue": "a", "CustomerRemaining": "b"}},
                    "Transitions": {"NextAction": "bye"},
                },
            ),
            "action hooks: UpdateContactEventHooks.EventHooks must hold exactly 1 entry",
        ),
        (
            lambda d: d["Actions"].insert(
                0,
                {
                    "Identifier": "pick",
                    "Type": "Compare",
                    "Parameters": {"ComparisonValue": "$.Attributes.a"},
                    "Transitions": {
                        "Conditions": [
                            {"NextAction": "bye", "Condition": {"Operator": "Equals", "Operands": ["1", "2"]}}
                        ],
                        "Errors": [{"ErrorType": "NoMatchingCondition", "NextAction": "bye"}],
                    },
                },
            ),
            "action pick: a condition takes exactly one operand, has 2",
        ),
        (
            lambda d: d["Actions"].insert(
                0,
                {
                    "Identifier": "staff",
                    "Type": "CheckMetricData",
                    "Parameters": {"MetricType": "NumberOfAgentsOnline"},
                    "Transitions": {
                        "Conditions": [
                            {
                                "NextAction": "bye",
                                "Condition": {"Operator": "NumberGreaterThan", "Operands": ["2"]},
                            }
                        ]
                    },
                },
            ),
            "action staff: a staffing metric only takes the condition NumberGreaterThan 0",
        ),
        (
            lambda d: d["Actions"].insert(
                0,
                {
                    "Identifier": "split",
                    "Type": "DistributeByPercentage",
                    "Parameters": {},
                    "Transitions": {
                        "Conditions": [
                            {
                                "NextAction": "bye",
                                "Condition": {"Operator": "NumberLessThan", "Operands": ["60"]},
                            },
                            {
                                "NextAction": "bye",
                                "Condition": {"Operator": "NumberLessThan", "Operands": ["40"]},
                            },
                        ],
                        "Errors": [{"ErrorType": "NoMatchingCondition", "NextAction": "bye"}],
                    },
                },
            ),
            "action split: percentages must be whole numbers from 1 to 100, in increasing order",
        ),
        (
            lambda d: d["Actions"].insert(
                0,
                {
                    "Identifier": "route",
                    "Type": "UpdateContactRoutingBehavior",
                    "Parameters": {"QueuePriority": "1", "QueueTimeAdjustmentSeconds": "30"},
                    "Transitions": {"NextAction": "bye"},
                },
            ),
            "action route: UpdateContactRoutingBehavior takes only one of QueuePriority, QueueTimeAdjustmentSeconds",
        ),
        (
            lambda d: d["Actions"].insert(
                0,
                {
                    "Identifier": "cb",
                    "Type": "CreateCallbackContact",
                    "Parameters": {"InitialCallDelaySeconds": "5"},
                    "Transitions": {"NextAction": "bye"},
                },
            ),
            "action cb: CreateCallbackContact needs the parameter MaximumConnectionAttempts",
        ),
    ],
)
def test_a_bad_flow_is_refused_naming_the_action_and_the_reason(change: Any, message: str) -> None:
    document = copy.deepcopy(minimal())
    change(document)
    with pytest.raises(FlowError) as raised:
        load_flow(document, key="Bad", strict=True)
    assert message in str(raised.value)


def test_lenient_loading_never_raises_on_garbage() -> None:
    for garbage in ("not json", "[]", '{"Actions": "x"}', '{"Actions": [1, null]}', b"\xff\xfe"):
        result = load_flow(garbage, key="Garbage")
        assert not result.report.ok


def test_missing_error_branches_and_unknown_parameters_are_warnings() -> None:
    document = minimal()
    document["Actions"].insert(
        0,
        {
            "Identifier": "lambda",
            "Type": "InvokeLambdaFunction",
            "Parameters": {"LambdaFunctionARN": "arn:x", "InvocationTimeLimitSeconds": "3", "Colour": "blue"},
            "Transitions": {"NextAction": "hello"},
        },
    )
    document["StartAction"] = "lambda"
    result = load_flow(document, key="Warn", strict=True)  # warnings do not refuse a flow
    assert [str(p) for p in result.report.warnings] == [
        "warning: action lambda: parameter Colour is not one InvokeLambdaFunction takes; it is ignored",
        "warning: action lambda: no NoMatchingError branch: that error would end the flow",
    ]
