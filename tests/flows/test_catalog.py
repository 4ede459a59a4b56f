"""The action catalog (local_connect/flows/catalog.json): its integrity, the JAM flows held to it
action by action, and one accepted and one refused case for each rule the validator takes from it."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from local_connect.definitions import load_definitions
from local_connect.flows.catalog import (
    CATALOG,
    CHECK_METRICS,
    EVENT_HOOKS,
    NEXT_FORBIDDEN,
    NEXT_REQUIRED,
    SPECS,
)
from local_connect.flows.loader import FlowError, FlowLibrary, load_flow
from local_connect.flows.testing import FlowHarness

REPO = Path(__file__).parents[2]
OPERATORS = (
    "Equals",
    "TextStartsWith",
    "TextEndsWith",
    "TextContains",
    "NumberGreaterThan",
    "NumberGreaterOrEqualTo",
    "NumberLessThan",
    "NumberLessOrEqualTo",
)


# ---------------------------------------------------------------- the catalog itself
def test_the_operators_are_connects_eight() -> None:
    assert CATALOG.operators == OPERATORS
    for spec in CATALOG.actions.values():
        assert set(spec.operators) <= set(OPERATORS), spec.type


def test_every_entry_names_its_evidence() -> None:
    for spec in CATALOG.actions.values():
        assert spec.reference or spec.exports, spec.type
        if not spec.reference:  # built from exports only: the entry says so
            assert any(
                "not settled" in n or "reference page not read" in n for n in (*spec.notes, spec.category)
            )
        for url in spec.reference:
            assert url.startswith("https://"), (spec.type, url)
        if spec.flow_types is not None:
            assert set(spec.flow_types) <= set(CATALOG.flow_types), spec.type
        if spec.next_action == NEXT_FORBIDDEN:
            assert spec.terminal and not spec.errors, spec.type


def test_the_engine_runs_exactly_the_implemented_types(tmp_path: Path) -> None:
    engine = FlowHarness(tmp_path / "db.sqlite3", library=FlowLibrary({})).engine
    assert set(engine._handlers) == set(SPECS)
    assert {t for t, s in CATALOG.actions.items() if s.implemented} == set(SPECS)


def test_metric_and_hook_names_come_from_the_catalog() -> None:
    metric = CATALOG.actions["CheckMetricData"].parameters["MetricType"]
    assert set(CHECK_METRICS) == set(metric.values)
    assert "CustomerRemaining" in EVENT_HOOKS and "DisconnectFlow" not in EVENT_HOOKS


def jam_flows() -> list[tuple[str, str, dict[str, Any]]]:
    definitions = load_definitions()
    found = []
    for key, definition in definitions.flows.items():
        assert definition.flow_file is not None
        document = json.loads(definition.flow_file.read_text(encoding="utf-8"))
        found.append((key, definition.type, document))
    return found


def test_every_type_the_jam_flows_use_is_catalogued_and_run() -> None:
    for key, _, document in jam_flows():
        for action in document["Actions"]:
            assert action["Type"] in SPECS, (key, action["Identifier"])


# ---------------------------------------------------------------- the JAM flows, action by action
@pytest.mark.parametrize(
    ("key", "flow_type", "document"), jam_flows(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_each_jam_action_conforms_to_the_catalog(key: str, flow_type: str, document: dict[str, Any]) -> None:
    for action in document["Actions"]:
        where = f"{key}/{action['Identifier']}"
        spec = CATALOG.actions[action["Type"]]
        params = action.get("Parameters") or {}
        transitions = action["Transitions"]
        assert spec.flow_types is None or flow_type in spec.flow_types, where
        assert set(spec.required) <= set(params), where
        assert set(params) <= set(spec.parameters), where
        for name, value in params.items():
            parameter = spec.parameters[name]
            if parameter.values and not str(value).startswith("$."):
                assert value in parameter.values, where
        for branch in transitions.get("Conditions") or []:
            assert branch["Condition"]["Operator"] in spec.operators, where
            assert len(branch["Condition"]["Operands"]) == 1, where
        for error in transitions.get("Errors") or []:
            assert error["ErrorType"] in spec.errors, where
        if spec.next_action == NEXT_FORBIDDEN:
            assert transitions == {}, where
        if spec.next_action == NEXT_REQUIRED:
            assert transitions.get("NextAction"), where
        if action["Type"] in ("Compare",) or (
            action["Type"] == "GetParticipantInput" and params.get("StoreInput") == "False"
        ):
            # As in every export: NextAction is the NoMatchingCondition target.
            no_match = next(e for e in transitions["Errors"] if e["ErrorType"] == "NoMatchingCondition")
            assert transitions["NextAction"] == no_match["NextAction"], where


def test_the_queue_flow_reads_only_documented_metrics() -> None:
    document = json.loads((REPO / "flows" / "customer-queue.json").read_text(encoding="utf-8"))
    documented = set(CATALOG.actions["GetMetricData"].sets)
    text = json.dumps(document)
    used = {word.rstrip('".,') for word in text.replace("\\", " ").split() if word.startswith("$.Metrics.")}
    assert used and used <= documented
    metrics = next(a for a in document["Actions"] if a["Type"] == "GetMetricData")
    assert metrics["Parameters"]["QueueChannel"] == "Voice"  # the queue's EWT needs one channel


# ---------------------------------------------------------------- each rule, accepted and refused
def bye() -> dict[str, Any]:
    return {"Identifier": "bye", "Type": "DisconnectParticipant", "Parameters": {}, "Transitions": {}}


def act(identifier: str, type_: str, params: dict[str, Any], **transitions: Any) -> dict[str, Any]:
    return {"Identifier": identifier, "Type": type_, "Parameters": params, "Transitions": transitions}


def cond(operator: str, operand: Any, target: str = "bye") -> dict[str, Any]:
    return {"NextAction": target, "Condition": {"Operator": operator, "Operands": [operand]}}


def err(error_type: str, target: str = "bye") -> dict[str, Any]:
    return {"ErrorType": error_type, "NextAction": target}


def doc(*actions: dict[str, Any], metadata: dict[str, Any] | None = None) -> dict[str, Any]:
    document: dict[str, Any] = {
        "Version": "2019-10-30",
        "StartAction": actions[0]["Identifier"],
        "Actions": [*actions, bye()],
    }
    if metadata is not None:
        document["Metadata"] = metadata
    return document


def compare(operator: str = "Equals", **extra: Any) -> dict[str, Any]:
    transitions: dict[str, Any] = {
        "NextAction": "bye",
        "Conditions": [cond(operator, "Sales")],
        "Errors": [err("NoMatchingCondition")],
    }
    transitions.update(extra)
    return act("pick", "Compare", {"ComparisonValue": "$.Attributes.team"}, **transitions)


def loop(*operands: str) -> dict[str, Any]:
    return act(
        "loop", "Loop", {"LoopCount": "3"}, NextAction="bye", Conditions=[cond("Equals", o) for o in operands]
    )


def lam(limit: str = "8", **params: Any) -> dict[str, Any]:
    return act(
        "lambda",
        "InvokeLambdaFunction",
        {
            "LambdaFunctionARN": "arn:aws:lambda:us-east-1:1:function:f",
            "InvocationTimeLimitSeconds": limit,
            **params,
        },
        NextAction="bye",
        Errors=[err("NoMatchingError")],
    )


def callback_number(value: str, *errors: str) -> dict[str, Any]:
    return act(
        "number",
        "UpdateContactCallbackNumber",
        {"CallbackNumber": value},
        NextAction="bye",
        Errors=[err(e) for e in errors],
    )


def staffing(*conditions: dict[str, Any], errors: tuple[str, ...] = ("NoMatchingError",)) -> dict[str, Any]:
    return act(
        "staff",
        "CheckMetricData",
        {"MetricType": "NumberOfAgentsAvailable"},
        NextAction="bye",
        Conditions=list(conditions),
        Errors=[err(e) for e in errors],
    )


def get_input(store: str, *, validation: bool, conditions: bool) -> dict[str, Any]:
    params: dict[str, Any] = {"Text": "Enter", "InputTimeLimitSeconds": "5", "StoreInput": store}
    if validation:
        params["InputValidation"] = {"CustomValidation": {"MaximumLength": "4"}}
    transitions: dict[str, Any] = {"NextAction": "bye", "Errors": [err("NoMatchingError")]}
    if conditions:
        transitions["Conditions"] = [cond("Equals", "1")]
        transitions["Errors"].append(err("NoMatchingCondition"))
    return act("ask", "GetParticipantInput", params, **transitions)


def hold(**params: Any) -> dict[str, Any]:
    return act(
        "hold",
        "MessageParticipantIteratively",
        {"Messages": [{"Text": "Please hold"}], **params},
        Conditions=[cond("Equals", "MessagesInterrupted")],
        Errors=[err("NoMatchingError")],
    )


def say(**params: Any) -> dict[str, Any]:
    return act("say", "MessageParticipant", params, NextAction="bye")


def simple(type_: str, params: dict[str, Any], **transitions: Any) -> dict[str, Any]:
    transitions.setdefault("NextAction", "bye")
    return act("it", type_, params, **transitions)


Case = tuple[str, Callable[[], dict[str, Any]], str | None, str | None]
# (rule, document, flow type or None, the refusal it must give; None: accepted)
CASES: list[Case] = [
    ("real operator TextStartsWith", lambda: doc(compare("TextStartsWith")), None, None),
    ("real operator TextEndsWith", lambda: doc(compare("TextEndsWith")), None, None),
    ("real operator TextContains", lambda: doc(compare("TextContains")), None, None),
    (
        "invented operator",
        lambda: doc(compare("StartsWith")),
        None,
        "action pick: condition operator 'StartsWith' is not a Flow Language operator",
    ),
    (
        "operator the action does not take",
        lambda: doc(
            act(
                "loop", "Loop", {"LoopCount": "2"}, NextAction="bye", Conditions=[cond("NumberLessThan", "2")]
            )
        ),
        None,
        "action loop: Loop does not take the operator NumberLessThan (only Equals)",
    ),
    ("Loop results", lambda: doc(loop("ContinueLooping", "DoneLooping")), None, None),
    (
        "Loop result that is not one",
        lambda: doc(loop("ContinueLooping", "Done")),
        None,
        "Loop has no result 'Done'",
    ),
    (
        "Loop needs both results",
        lambda: doc(loop("ContinueLooping")),
        None,
        "Loop needs exactly an Equals ContinueLooping and an Equals DoneLooping condition",
    ),
    (
        "Compare needs NextAction",
        lambda: doc(compare(NextAction=None)),
        None,
        "action pick: Compare needs a NextAction",
    ),
    (
        "a terminal action takes no transitions",
        lambda: (
            doc(say(Text="Hi"), metadata=None)
            | {"Actions": [say(Text="Hi"), dict(bye(), Transitions={"NextAction": "say"})]}
        ),
        None,
        "action bye: DisconnectParticipant ends the flow and takes no transitions",
    ),
    (
        "declared errors of UpdateContactCallbackNumber",
        lambda: doc(
            callback_number("$.StoredCustomerInput", "InvalidCallbackNumber", "CallbackNumberNotDialable")
        ),
        None,
        None,
    ),
    (
        "undeclared error",
        lambda: doc(callback_number("$.StoredCustomerInput", "NoMatchingError")),
        None,
        "error type 'NoMatchingError' is not one UpdateContactCallbackNumber raises",
    ),
    (
        "UpdateContactRoutingBehavior declares no error",
        lambda: doc(simple("UpdateContactRoutingBehavior", {"QueuePriority": "1"}, Errors=[])),
        None,
        None,
    ),
    (
        "UpdateContactRoutingBehavior with NoMatchingError",
        lambda: doc(
            simple("UpdateContactRoutingBehavior", {"QueuePriority": "1"}, Errors=[err("NoMatchingError")])
        ),
        None,
        "error type 'NoMatchingError' is not one UpdateContactRoutingBehavior raises (it declares: none)",
    ),
    ("required parameter given", lambda: doc(lam()), None, None),
    (
        "required parameter missing",
        lambda: doc(lam(LambdaFunctionARN="")),
        None,
        "action lambda: InvokeLambdaFunction needs the parameter LambdaFunctionARN",
    ),
    (
        "static-only parameter given a reference",
        lambda: doc(
            simple("CheckMetricData", {"MetricType": "$.Attributes.m"}, Errors=[err("NoMatchingError")])
        ),
        None,
        "CheckMetricData.MetricType must be a static value, not a reference",
    ),
    (
        "reference-only parameter given a reference",
        lambda: doc(callback_number("$.CustomerEndpoint.Address")),
        None,
        None,
    ),
    (
        "reference-only parameter given a value",
        lambda: doc(callback_number("+12025550101")),
        None,
        "UpdateContactCallbackNumber.CallbackNumber must be a single $. reference",
    ),
    (
        "value outside the allowed ones",
        lambda: doc(simple("UpdateFlowLoggingBehavior", {"FlowLoggingBehavior": "On"})),
        None,
        "UpdateFlowLoggingBehavior.FlowLoggingBehavior is 'On', not one of Enabled, Disabled",
    ),
    (
        "number out of range",
        lambda: doc(lam("9")),
        None,
        "InvokeLambdaFunction.InvocationTimeLimitSeconds must be from 1 to 8, got '9'",
    ),
    (
        "number a reference may stand for",
        lambda: doc(
            simple(
                "Loop",
                {"LoopCount": "$.Attributes.n"},
                NextAction="bye",
                Conditions=[cond("Equals", "ContinueLooping"), cond("Equals", "DoneLooping")],
            )
        ),
        None,
        None,
    ),
    ("deploy placeholder where a number goes", lambda: doc(lam("${var.timeout}")), None, None),
    (
        "object expected",
        lambda: doc(
            simple("UpdateContactAttributes", {"Attributes": ["a"]}, Errors=[err("NoMatchingError")])
        ),
        None,
        "UpdateContactAttributes.Attributes must be an object",
    ),
    (
        "string expected",
        lambda: doc(
            simple(
                "Compare",
                {"ComparisonValue": 5},
                Conditions=[cond("Equals", "5")],
                Errors=[err("NoMatchingCondition")],
            )
        ),
        None,
        "Compare.ComparisonValue must be a string, got 5",
    ),
    ("one prompt source", lambda: doc(say(Text="Hi")), None, None),
    (
        "two prompt sources",
        lambda: doc(say(Text="Hi", SSML="<speak/>")),
        None,
        "MessageParticipant takes only one of Text, SSML",
    ),
    (
        "no prompt source",
        lambda: doc(say()),
        None,
        "MessageParticipant needs one of PromptId, Text, SSML, Media",
    ),
    ("flow type allowed", lambda: doc(hold(InterruptFrequencySeconds="60")), "CUSTOMER_QUEUE", None),
    (
        "flow type not allowed",
        lambda: doc(hold(InterruptFrequencySeconds="60")),
        "CONTACT_FLOW",
        "MessageParticipantIteratively is not allowed in a CONTACT_FLOW flow",
    ),
    (
        "flow type recorded by an export",
        lambda: doc(hold(InterruptFrequencySeconds="60"), metadata={"type": "contactFlow"}),
        None,
        "MessageParticipantIteratively is not allowed in a CONTACT_FLOW flow",
    ),
    ("flow type not recorded: not restricted", lambda: doc(hold(InterruptFrequencySeconds="60")), None, None),
    (
        "unknown flow type",
        lambda: doc(say(Text="Hi")),
        "CALL_CENTER",
        "flow type 'CALL_CENTER' is not one of",
    ),
    (
        "InterruptFrequencySeconds goes with MessagesInterrupted",
        lambda: doc(hold()),
        "CUSTOMER_QUEUE",
        "a MessagesInterrupted condition needs InterruptFrequencySeconds",
    ),
    (
        "staffing metric with a NoMatchingCondition branch (as exports have it)",
        lambda: doc(
            staffing(cond("NumberGreaterThan", "0"), errors=("NoMatchingError", "NoMatchingCondition"))
        ),
        None,
        None,
    ),
    (
        "staffing metric with another condition",
        lambda: doc(staffing(cond("NumberGreaterThan", "2"))),
        None,
        "a staffing metric only takes the condition NumberGreaterThan 0",
    ),
    (
        "UpdateContactData without TargetContact",
        lambda: doc(simple("UpdateContactData", {"LanguageCode": "es-US"}, Errors=[err("NoMatchingError")])),
        None,
        None,
    ),
    ("key choice", lambda: doc(get_input("False", validation=False, conditions=True)), None, None),
    ("stored input", lambda: doc(get_input("True", validation=True, conditions=False)), None, None),
    (
        "stored input takes no conditions",
        lambda: doc(get_input("True", validation=True, conditions=True)),
        None,
        "GetParticipantInput with StoreInput takes no Conditions",
    ),
    (
        "stored input needs validation",
        lambda: doc(get_input("True", validation=False, conditions=False)),
        None,
        "StoreInput needs InputValidation with PhoneNumberValidation or CustomValidation",
    ),
    (
        "StoreInput is required (every export sets it)",
        lambda: doc(
            act(
                "ask",
                "GetParticipantInput",
                {"Text": "1 or 2", "InputTimeLimitSeconds": "5"},
                NextAction="bye",
            )
        ),
        None,
        "GetParticipantInput needs the parameter StoreInput",
    ),
    (
        "percentages in increasing order",
        lambda: doc(
            simple(
                "DistributeByPercentage",
                {},
                Conditions=[cond("NumberLessThan", "60"), cond("NumberLessThan", "40")],
                Errors=[err("NoMatchingCondition")],
            )
        ),
        None,
        "percentages must be whole numbers from 1 to 100, in increasing order",
    ),
    ("identifier with spaces", lambda: doc(dict(say(Text="Hi"), Identifier="Say hello")), None, None),
    (
        "identifier with a colon",
        lambda: doc(dict(say(Text="Hi"), Identifier="say:hi")),
        None,
        "an Identifier may not contain :",
    ),
    (
        "reserved identifier",
        lambda: doc(dict(say(Text="Hi"), Identifier="toString")),
        None,
        "toString is not allowed as an Identifier",
    ),
    (
        "long identifier",
        lambda: doc(dict(say(Text="Hi"), Identifier="x" * 51)),
        None,
        "an Identifier is at most 50 characters",
    ),
    (
        "a type this engine does not run is still checked",
        lambda: doc(simple("CreateTask", {"ContactFlowId": "arn:flow"}, Errors=[err("NoMatchingError")])),
        None,
        "CreateTask needs the parameter Name",
    ),
]


@pytest.mark.parametrize(("rule", "build", "flow_type", "refusal"), CASES, ids=[c[0] for c in CASES])
def test_each_rule(
    rule: str, build: Callable[[], dict[str, Any]], flow_type: str | None, refusal: str | None
) -> None:
    document = copy.deepcopy(build())
    for action in document["Actions"]:  # None stands for "left out"
        action["Transitions"] = {k: v for k, v in action["Transitions"].items() if v is not None}
    if refusal is None:
        result = load_flow(document, key="Case", flow_type=flow_type, strict=True)
        assert result.report.ok
    else:
        with pytest.raises(FlowError) as raised:
            load_flow(document, key="Case", flow_type=flow_type, strict=True)
        assert refusal in str(raised.value)


def test_a_type_outside_the_catalog_loads_and_is_reported() -> None:
    document = doc(simple("SummonDragon", {}))
    result = load_flow(document, key="Case", strict=True)
    assert result.report.unsupported_types == {"SummonDragon"}


def test_a_flow_longer_than_connect_stores_is_refused() -> None:
    document = doc(say(Text="x" * CATALOG.max_content_characters))
    with pytest.raises(FlowError, match="more than 256000 characters"):
        load_flow(json.dumps(document), key="Case", strict=True)
