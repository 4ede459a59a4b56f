"""Executor semantics on small flows: loops, comparisons, references, Lambda events, flow control."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from local_connect.definitions import Function, load_definitions
from local_connect.flows.conditions import matches
from local_connect.flows.loader import FlowLibrary, load_flow
from local_connect.flows.references import interpolate, lookup, resolve_value
from local_connect.flows.testing import FlowHarness
from tests.flows.calls import JOHN, STRANGER, to_main_menu


def action(
    identifier: str, type_: str, params: dict[str, Any] | None = None, **transitions: Any
) -> dict[str, Any]:
    return {"Identifier": identifier, "Type": type_, "Parameters": params or {}, "Transitions": transitions}


def cond(operator: str, operand: str, target: str) -> dict[str, Any]:
    return {"NextAction": target, "Condition": {"Operator": operator, "Operands": [operand]}}


def say(identifier: str, text: str, target: str) -> dict[str, Any]:
    return action(identifier, "MessageParticipant", {"Text": text}, NextAction=target)


BYE = action("bye", "DisconnectParticipant")


def harness(tmp_path: Path, *flows: tuple[str, list[dict[str, Any]]], **kwargs: Any) -> FlowHarness:
    library = FlowLibrary({})
    for key, actions in flows:
        document = {"Version": "2019-10-30", "StartAction": actions[0]["Identifier"], "Actions": actions}
        library.add(load_flow(document, key=key, arn=f"arn:flow/{key}", strict=True).flow)
    return FlowHarness(tmp_path / "db.sqlite3", library=library, **kwargs)


def test_loop_counts_then_starts_again(tmp_path: Path) -> None:
    flow = [
        action(
            "loop",
            "Loop",
            {"LoopCount": "2"},
            NextAction="done",
            Conditions=[cond("Equals", "ContinueLooping", "again"), cond("Equals", "DoneLooping", "done")],
        ),
        say("again", "again", "loop"),
        say("done", "done", "ask"),
        action(
            "ask",
            "GetParticipantInput",
            {"Text": "once more?", "InputTimeLimitSeconds": "5", "StoreInput": "False"},
            NextAction="bye",
            Conditions=[cond("Equals", "1", "loop")],
            Errors=[{"ErrorType": "NoMatchingCondition", "NextAction": "bye"}],
        ),
        BYE,
    ]
    call = harness(tmp_path, ("F", flow)).dial(STRANGER, "F")
    assert [p.text for p in call.prompts] == ["again", "again", "done", "once more?"]
    call.press("1")
    assert [p.text for p in call.prompts][4:] == ["again", "again", "done", "once more?"]


@pytest.mark.parametrize(
    ("operator", "value", "operand", "expected"),
    [
        ("Equals", "abc", "abc", True),
        ("Equals", "abc", "ABC", False),
        ("NumberLessThan", "119.5", "120", True),
        ("NumberLessThan", "", "120", False),
        ("NumberLessOrEqualTo", "120", "120", True),
        ("NumberGreaterThan", "0", "0", False),
        ("NumberGreaterOrEqualTo", "3", "2.5", True),
        ("TextStartsWith", "Sales - Upgrades", "Sales", True),
        ("TextStartsWith", "Sales - Upgrades", "Upgrades", False),
        ("TextEndsWith", "Sales - Upgrades", "Upgrades", True),
        ("TextEndsWith", "Sales - Upgrades", "Sales", False),
        ("TextContains", "Support - Devices", "Devices", True),
        ("TextContains", "Support", "x", False),
        ("StartsWith", "Sales - Upgrades", "Sales", False),  # not a Flow Language operator
    ],
)
def test_condition_operators(operator: str, value: str, operand: str, expected: bool) -> None:
    assert matches(operator, value, [operand]) is expected


def test_references() -> None:
    scope = {
        "Attributes": {"first name": "Ana", "issue": "billing"},
        "External": {"nested": {"a": "1"}},
        "CustomerEndpoint": {"Address": "+12025550100"},
    }
    assert resolve_value(scope, "$.Attributes.issue") == "billing"
    assert resolve_value(scope, "$.Attributes['first name']") == "Ana"
    assert resolve_value(scope, "$.Attributes.missing") == ""
    assert lookup(scope, "$.External.nested.a") == "1"
    assert resolve_value(scope, "$.External.nested") == '{"a":"1"}'
    assert interpolate(scope, "Hi $.Attributes['first name'], at $.CustomerEndpoint.Address.") == (
        "Hi Ana, at +12025550100."
    )
    assert interpolate(scope, "costs $5.") == "costs $5."


def test_the_lambda_event_is_what_connect_sends(center: FlowHarness) -> None:
    call = to_main_menu(center, JOHN, "en-US")
    name, event = center.lambdas.inner.calls[1]
    assert name == "CustomerLookupFunction"
    assert set(event) == {"Name", "Details"} and event["Name"] == "ContactFlowEvent"
    data = event["Details"]["ContactData"]
    assert data["ContactId"] == call.contact_id and data["InitialContactId"] == call.contact_id
    assert data["CustomerEndpoint"] == {"Address": JOHN, "Type": "TELEPHONE_NUMBER"}
    assert data["SystemEndpoint"] == {"Address": "+18005550100", "Type": "TELEPHONE_NUMBER"}
    assert (data["Channel"], data["InitiationMethod"], data["LanguageCode"]) == ("VOICE", "INBOUND", "en-US")
    assert data["InstanceARN"] == load_definitions().instance_arn
    assert event["Details"]["Parameters"] == {}
    # Every field of the Connect event the Lambdas' own tests are written against is there.
    fixture = json.loads(
        (Path(__file__).parents[1] / "lambdas" / "fixtures" / "connect-contact-flow.json").read_text()
    )
    assert set(fixture["Details"]["ContactData"]) <= set(data)
    _, prompts_event = center.lambdas.inner.calls[0]
    assert prompts_event["Details"]["Parameters"] == {
        "ContactFlowName": "JAM Inbound",
        "LanguageCode": "en-US",
    }


def test_a_lambda_reply_that_is_not_a_string_map_takes_the_error_branch(tmp_path: Path) -> None:
    code = tmp_path / "code"
    (code / "nested_reply").mkdir(parents=True)
    (code / "nested_reply" / "__init__.py").write_text("")
    (code / "nested_reply" / "handler.py").write_text(
        "def lambda_handler(event, context):\n    return {'customer': {'name': 'Ana'}}\n"
    )
    definitions = copy.deepcopy(load_definitions())
    arn = "arn:aws:lambda:us-east-1:123456789012:function:NestedFunction"
    definitions.functions["NestedFunction"] = Function(
        "NestedFunction", arn, code, "nested_reply.handler.lambda_handler", {}
    )

    def invoke(identifier: str, response_type: str, target: str) -> dict[str, Any]:
        params = {
            "LambdaFunctionARN": arn,
            "InvocationTimeLimitSeconds": "8",
            "ResponseValidation": {"ResponseType": response_type},
        }
        return action(
            identifier,
            "InvokeLambdaFunction",
            params,
            NextAction=target,
            Errors=[{"ErrorType": "NoMatchingError", "NextAction": f"{identifier}-failed"}],
        )

    flow = [
        invoke("strict", "STRING_MAP", "json"),
        say("strict-failed", "string map refused", "json"),
        invoke("json", "JSON", "ok"),
        say("json-failed", "json refused", "bye"),
        say("ok", "hello $.External.customer.name", "bye"),
        BYE,
    ]
    call = harness(tmp_path, ("F", flow), definitions=definitions).dial(STRANGER, "F")
    assert [p.text for p in call.prompts] == ["string map refused", "hello Ana"]


def test_transfer_to_flow_and_hours_and_metrics(tmp_path: Path) -> None:
    definitions = load_definitions()
    queue = definitions.queues["SupportDevicesQueue"].arn
    first = [
        action("queue", "UpdateContactTargetQueue", {"QueueId": queue}, NextAction="to-second"),
        action("to-second", "TransferToFlow", {"ContactFlowId": "arn:flow/Second"}, NextAction="to-second"),
    ]
    second = [
        action(
            "open",
            "CheckHoursOfOperation",
            {},
            NextAction="closed",
            Conditions=[cond("Equals", "True", "agents"), cond("Equals", "False", "closed")],
        ),
        action(
            "agents",
            "CheckMetricData",
            {"MetricType": "NumberOfAgentsAvailable"},
            NextAction="nobody",  # a staffing metric: NextAction when "NumberGreaterThan 0" does not hold
            Conditions=[cond("NumberGreaterThan", "0", "staffed")],
        ),
        say("staffed", "someone is free in $.Queue.Name", "bye"),
        say("nobody", "nobody is free", "bye"),
        say("closed", "closed", "bye"),
        BYE,
    ]
    tested = harness(tmp_path, ("First", first), ("Second", second))
    tested.set_local_time("2026-01-05 10:00")
    assert tested.dial(STRANGER, "First").prompts[0].text == "someone is free in Support - Devices"
    tested.center.staff(queue, staffed=2, available=0)
    assert tested.dial(STRANGER, "First").prompts[0].text == "nobody is free"
    tested.set_local_time("2026-01-05 06:00")
    assert tested.dial(STRANGER, "First").prompts[0].text == "closed"


def test_distribute_by_percentage_is_roughly_fair_and_reproducible(tmp_path: Path) -> None:
    flow = [
        action(
            "split",
            "DistributeByPercentage",
            NextAction="b",
            Conditions=[cond("NumberLessThan", "31", "a")],
            Errors=[{"ErrorType": "NoMatchingCondition", "NextAction": "b"}],
        ),
        say("a", "A", "bye"),
        say("b", "B", "bye"),
        BYE,
    ]

    def run() -> list[str]:
        tested = harness(tmp_path, ("F", flow))
        return [tested.dial(STRANGER, "F").prompts[0].text for _ in range(1000)]

    first = run()
    assert first == run()  # seeded: a test run is reproducible
    assert 250 < first.count("A") < 350


def test_wait_and_contact_data(tmp_path: Path) -> None:
    flow = [
        action(
            "data",
            "UpdateContactData",
            {"Name": "Ana's call", "Description": "$.Attributes.issue", "TargetContact": "Current"},
            NextAction="wait",
        ),
        action(
            "wait",
            "Wait",
            {"TimeoutSeconds": "30"},
            NextAction="done",
            Conditions=[cond("Equals", "WaitCompleted", "done")],
        ),
        say("done", "$.Name: $.Description", "bye"),
        BYE,
    ]
    tested = harness(tmp_path, ("F", flow))
    call = tested.dial(STRANGER, "F", attributes={"issue": "billing"})
    call.expect_silence()
    call.wait(29.9)
    call.expect_silence()
    call.wait(0.1)
    call.expect_prompt(text="Ana's call: billing")
    assert tested.center.contacts[call.contact_id].contact_values["Name"] == "Ana's call"


def test_a_flow_that_never_waits_is_stopped(tmp_path: Path) -> None:
    flow = [
        action(
            "spin",
            "Compare",
            {"ComparisonValue": "x"},
            NextAction="bye",
            Conditions=[cond("Equals", "x", "spin")],
            Errors=[{"ErrorType": "NoMatchingCondition", "NextAction": "bye"}],
        ),
        BYE,
    ]
    tested = harness(tmp_path, ("F", flow))
    call = tested.dial(STRANGER, "F")
    assert call.session.waiting is not None and call.session.waiting.kind == "continue"  # a slice ran
    tested.run_timers()  # the rest of the run, slice by slice, until the step budget ends it
    call.expect_disconnected()
    assert any("loops without waiting" in p for p in tested.engine.problems)


def test_hundreds_of_calls_run_interleaved_on_one_thread(center: FlowHarness) -> None:
    calls = [center.dial(f"+1202555{1000 + i:04d}") for i in range(300)]
    for i, call in enumerate(calls):
        if i % 2:
            call.press("2")
    center.clock.advance(3)
    center.run_timers()  # every English caller's language offer times out at once
    for call in calls:
        call.press("3")
    for i, call in enumerate(calls):
        call.press("1" if i % 3 else "2")
    for i, call in enumerate(calls):
        call.expect_queue("Support - Technical" if i % 3 else "Support - Devices")
        call.expect_language("es-US" if i % 2 else "en-US")
    assert len(center.engine.sessions) == 300


def test_nonsense_parameters_of_a_leniently_loaded_flow_fail_the_action_not_the_engine(
    tmp_path: Path,
) -> None:
    document = {
        "Version": "2019-10-30",
        "StartAction": "loop",
        "Actions": [
            action(
                "loop",
                "Loop",
                {"LoopCount": "many"},
                Conditions=[cond("Equals", "ContinueLooping", "bye"), cond("Equals", "DoneLooping", "bye")],
                Errors=[{"ErrorType": "NoMatchingError", "NextAction": "sorry"}],
            ),
            action("sorry", "Wait", {"TimeoutSeconds": "soon"}, NextAction="bye"),
            BYE,
        ],
    }
    result = load_flow(document, key="Odd")
    assert "Loop.LoopCount must be a whole number, got 'many'" in str(result.report)
    tested = FlowHarness(tmp_path / "db.sqlite3", library=FlowLibrary({"Odd": result.flow}))
    call = tested.dial(STRANGER, "Odd")
    call.expect_disconnected()  # Loop failed -> "sorry"; Wait failed with no error branch -> ended
    assert [p.split(": ", 1)[1] for p in tested.engine.problems][:3] == [
        "Loop failed: LoopCount must be a number, got 'many'",
        "TimeoutSeconds must be a number, got 'soon'",
        "error NoMatchingError has no branch; ending the flow",
    ]


def test_a_staffing_check_takes_its_no_matching_condition_branch_as_exports_declare_it(
    tmp_path: Path,
) -> None:
    queue = load_definitions().queues["SupportDevicesQueue"].arn
    flow = [
        action("queue", "UpdateContactTargetQueue", {"QueueId": queue}, NextAction="agents"),
        action(
            "agents",
            "CheckMetricData",
            {"MetricType": "NumberOfAgentsStaffed"},
            NextAction="error",
            Conditions=[cond("NumberGreaterThan", "0", "staffed")],
            Errors=[
                {"ErrorType": "NoMatchingError", "NextAction": "error"},
                {"ErrorType": "NoMatchingCondition", "NextAction": "nobody"},
            ],
        ),
        say("staffed", "staffed", "bye"),
        say("nobody", "nobody staffed", "bye"),
        say("error", "error", "bye"),
        BYE,
    ]
    tested = harness(tmp_path, ("F", flow))
    assert tested.dial(STRANGER, "F").prompts[0].text == "staffed"
    tested.center.staff(queue, staffed=0, available=0)
    assert tested.dial(STRANGER, "F").prompts[0].text == "nobody staffed"
