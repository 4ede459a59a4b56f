"""More of the language: UpdateFlowAttributes, TagContact, routing criteria and media streaming,
CheckOutboundCallStatus, ResumeContact, and action types for services the runtime does not model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from local_connect.acd.model import Contact, InitiationMethod
from local_connect.acd.store import ContactStore
from tests.flows.calls import STRANGER
from tests.flows.test_engine import BYE, action, cond, harness, say

NO_MATCH = "NoMatchingError"


def errors(target: str) -> list[dict[str, str]]:
    return [{"ErrorType": NO_MATCH, "NextAction": target}]


def flow_attributes(values: dict[str, Any], target: str, error: str = "failed") -> dict[str, Any]:
    return action(
        "set", "UpdateFlowAttributes", {"FlowAttributes": values}, NextAction=target, Errors=errors(error)
    )


FAILED = say("failed", "failed", "bye")


def test_flow_attributes_are_read_in_this_flow_and_gone_in_the_next(tmp_path: Path) -> None:
    first = [
        flow_attributes({"greeting": {"Value": "Hi $.Attributes.name"}, "plain": "x"}, "hello"),
        say("hello", "$.FlowAttributes.greeting/$.FlowAttributes.plain", "next"),
        action("next", "TransferToFlow", {"ContactFlowId": "arn:flow/Second"}, NextAction="bye"),
        FAILED,
        BYE,
    ]
    second = [say("there", "[$.FlowAttributes.greeting]", "bye"), BYE]
    tested = harness(tmp_path, ("First", first), ("Second", second))
    call = tested.dial(STRANGER, "First", attributes={"name": "Ana"})
    assert [p.text for p in call.prompts] == ["Hi Ana/x", "[]"]  # not carried to the next flow
    assert "greeting" not in tested.center.contacts[call.contact_id].attributes  # not a contact attribute


def test_flow_attributes_are_all_set_or_none(tmp_path: Path) -> None:
    flow = [
        action("keep", "UpdateFlowAttributes", {"FlowAttributes": {"a": {"Value": "1"}}}, NextAction="set"),
        flow_attributes({"a": {"Value": "2"}, "b": {"Nope": "x"}}, "said"),
        say("said", "ok", "bye"),
        say("failed", "a=$.FlowAttributes.a", "bye"),
        BYE,
    ]
    call = harness(tmp_path, ("F", flow)).dial(STRANGER, "F")
    assert [p.text for p in call.prompts] == ["a=1"]  # the error branch, and "a" kept its value


def test_tags_reach_the_contact_and_the_lambda_event(tmp_path: Path) -> None:
    flow = [
        action(
            "tag",
            "TagContact",
            {"Tags": {"Department": "$.Attributes.team", "Source": "ivr"}},
            NextAction="bye",
            Errors=errors("bye"),
        ),
        BYE,
    ]
    tested = harness(tmp_path, ("F", flow))
    call = tested.dial(STRANGER, "F", attributes={"team": "devices"})
    assert tested.center.contacts[call.contact_id].tags == {"Department": "devices", "Source": "ivr"}
    session = tested.engine.session(call.contact_id)
    assert session is not None
    event = tested.engine.lambda_event(session, {})
    assert event["Details"]["ContactData"]["Tags"] == {"Department": "devices", "Source": "ivr"}


def test_a_tag_that_cannot_be_set_takes_the_error_branch(tmp_path: Path) -> None:
    flow = [
        action("tag", "TagContact", {"Tags": {"a": "b"}}, NextAction="bye", Errors=errors("failed")),
        FAILED,
        BYE,
    ]
    tested = harness(tmp_path, ("F", flow))
    tested.center.fail("tag_contact")
    assert [p.text for p in tested.dial(STRANGER, "F").prompts] == ["failed"]


def test_the_contact_record_keeps_tags_across_a_restart(tmp_path: Path) -> None:
    store = ContactStore(tmp_path / "acd.sqlite3")
    contact = Contact("c-1", InitiationMethod.INBOUND, STRANGER, "+18005550100", 0.0)
    contact.tags = {"Department": "devices"}
    store.save(contact)
    reopened = ContactStore(tmp_path / "acd.sqlite3")
    saved = reopened.get("c-1")
    assert saved is not None and saved.record()["Tags"] == {"Department": "devices"}


def test_routing_criteria_and_media_streaming_are_recorded(tmp_path: Path) -> None:
    criteria = {
        "Steps": [
            {
                "Expression": {
                    "AttributeCondition": {
                        "Name": "Language",
                        "Value": "Spanish",
                        "ProficiencyLevel": 4,
                        "ComparisonOperator": "NumberGreaterOrEqualTo",
                    }
                },
                "Expiry": {"DurationInSeconds": 30},
            }
        ]
    }
    flow = [
        action(
            "criteria",
            "UpdateContactRoutingCriteria",
            {"RoutingCriteria": criteria},
            NextAction="stream",
            Errors=errors("failed"),
        ),
        action(
            "stream",
            "UpdateContactMediaStreamingBehavior",
            {
                "MediaStreamingState": "Enabled",
                "MediaStreamType": "Audio",
                "Participants": [{"ParticipantType": "Customer", "MediaDirections": ["From", "To"]}],
            },
            NextAction="done",
            Errors=errors("failed"),
        ),
        say("done", "done", "bye"),
        FAILED,
        BYE,
    ]
    tested = harness(tmp_path, ("F", flow))
    call = tested.dial(STRANGER, "F")
    assert [p.text for p in call.prompts] == ["done"]
    session = tested.engine.session(call.contact_id)
    assert session is not None
    assert session.routing_criteria == criteria
    assert session.media_streaming["MediaStreamingState"] == "Enabled"


def test_media_streaming_is_voice_only(tmp_path: Path) -> None:
    flow = [
        action(
            "stream",
            "UpdateContactMediaStreamingBehavior",
            {
                "MediaStreamingState": "Enabled",
                "MediaStreamType": "Audio",
                "Participants": [{"ParticipantType": "Customer", "MediaDirections": ["From"]}],
            },
            NextAction="bye",
            Errors=errors("failed"),
        ),
        action(
            "failed",
            "UpdateContactAttributes",
            {"Attributes": {"streaming": "error"}},
            NextAction="bye",
            Errors=errors("bye"),
        ),
        BYE,
    ]
    tested = harness(tmp_path, ("F", flow))
    contact = tested.center.new_contact(STRANGER, channel="TASK")
    tested.engine.start(contact.id, "F")
    assert contact.attributes == {"streaming": "error"}


def outbound_status_flow() -> list[dict[str, Any]]:
    return [
        action(
            "status",
            "CheckOutboundCallStatus",
            NextAction="error",
            Conditions=[
                cond("Equals", "CallAnswered", "answered"),
                cond("Equals", "VoicemailBeep", "voicemail"),
            ],
            Errors=errors("error"),
        ),
        say("answered", "answered", "bye"),
        say("voicemail", "voicemail", "bye"),
        say("error", "error", "bye"),
        BYE,
    ]


def test_check_outbound_call_status(tmp_path: Path) -> None:
    tested = harness(tmp_path, ("F", outbound_status_flow()))
    heard = {}
    for method in ("API", "OUTBOUND", "INBOUND", "CALLBACK"):
        contact = tested.center.new_contact(STRANGER, method=method)
        tested.engine.start(contact.id, "F")
        heard[method] = [p.text for p in contact.prompts]
    # A person answers the test phone the runtime dialled; an inbound call is not an outbound call.
    assert heard == {
        "API": ["answered"],
        "OUTBOUND": ["answered"],
        "INBOUND": ["error"],
        "CALLBACK": ["error"],
    }
    assert any("not an outbound call" in p for p in tested.engine.problems)


def test_resume_contact_takes_the_error_branch_when_nothing_is_paused(tmp_path: Path) -> None:
    flow = [
        action("resume", "ResumeContact", NextAction="resumed", Errors=errors("error")),
        say("resumed", "resumed", "bye"),
        say("error", "error", "bye"),
        BYE,
    ]
    tested = harness(tmp_path, ("F", flow))
    voice = tested.dial(STRANGER, "F")
    task = tested.center.new_contact(STRANGER, channel="TASK")
    tested.engine.start(task.id, "F")
    assert [p.text for p in voice.prompts] == ["error"]
    assert [p.text for p in task.prompts] == ["error"]
    assert any("not a task contact" in p for p in tested.engine.problems)
    assert any("the contact is not paused" in p for p in tested.engine.problems)


@pytest.mark.parametrize(
    ("action_type", "parameters", "service"),
    [
        (
            "GetCustomerProfile",
            {"ProfileRequestData": {"PhoneNumber": "$.CustomerEndpoint.Address"}},
            "Profiles",
        ),
        ("CreateCase", {"LinkContactToCase": "true", "CaseTemplateId": "t-1"}, "Cases"),
        ("CheckVoiceId", {"CheckVoiceIdOption": "voiceAuthentication"}, "Voice ID"),
        ("CreateWisdomSession", {"WisdomAssistantArn": "arn:aws:wisdom:assistant/a"}, "Q in Connect"),
    ],
)
def test_actions_of_services_the_runtime_does_not_model_take_their_error_branch(
    tmp_path: Path, action_type: str, parameters: dict[str, Any], service: str
) -> None:
    flow = [
        action(
            "service",
            action_type,
            parameters,
            NextAction="done",
            Errors=errors("error"),
        ),
        say("done", "done", "bye"),
        say("error", "error", "bye"),
        BYE,
    ]
    tested = harness(tmp_path, ("F", flow))
    call = tested.dial(STRANGER, "F")
    assert [p.text for p in call.prompts] == ["error"]
    [problem] = [p for p in tested.engine.problems if p.startswith(call.contact_id)]
    assert f"action type {action_type} is not supported locally" in problem
    assert service in problem


def queue_to_queue_flow(params: dict[str, str]) -> list[dict[str, Any]]:
    return [
        action(
            "move",
            "DequeueContactAndTransferToQueue",
            params,
            NextAction="moved",
            Errors=[
                {"ErrorType": "QueueAtCapacity", "NextAction": "full"},
                {"ErrorType": NO_MATCH, "NextAction": "error"},
            ],
        ),
        say("moved", "now waiting in $.Queue.Name as $.ContactId", "end"),
        say("full", "full", "end"),
        say("error", "error", "end"),
        action("end", "EndFlowExecution"),
    ]


def test_a_queue_to_queue_transfer_carries_the_flow_on_for_the_new_segment(tmp_path: Path) -> None:
    tested = harness(tmp_path, ("Q", queue_to_queue_flow({"QueueId": "$.Attributes.target"})))
    devices, technical = tested.queue_arn("Support - Devices"), tested.queue_arn("Support - Technical")
    caller = tested.center.new_contact(STRANGER, attributes={"target": technical})
    tested.center.transfer_to_queue(caller.id, devices)
    tested.engine.start(caller.id, "Q")  # the customer queue flow of the waiting caller
    [moved] = [c for c in tested.center.contacts.values() if c.previous_contact_id == caller.id]
    assert caller.state == "transferred" and moved.state == "queued" and moved.queue_arn == technical
    assert [p.text for p in moved.prompts] == [f"now waiting in Support - Technical as {moved.id}"]
    assert tested.engine.session(caller.id) is None  # the session follows the new segment


def test_a_queue_to_queue_transfer_takes_its_documented_errors(tmp_path: Path) -> None:
    tested = harness(
        tmp_path,
        ("Q", queue_to_queue_flow({"QueueId": "$.Attributes.target"})),
        ("A", queue_to_queue_flow({"AgentId": "agent-1"})),
    )
    devices, technical = tested.queue_arn("Support - Devices"), tested.queue_arn("Support - Technical")
    heard = []
    for flow, queue_first, full in (("Q", True, True), ("Q", False, False), ("A", True, False)):
        tested.center.capacity = {technical: 0} if full else {}
        caller = tested.center.new_contact(STRANGER, attributes={"target": technical})
        if queue_first:
            tested.center.transfer_to_queue(caller.id, devices)
        tested.engine.start(caller.id, flow)
        heard.append([p.text for p in caller.prompts])
    # Full target queue; a contact not waiting in a queue; an agent's queue (not modelled).
    assert heard == [["full"], ["error"], ["error"]]
    assert any("AgentId" in p for p in tested.engine.problems)


def transfer_to_agent_flow(agent: str) -> list[dict[str, Any]]:
    return [
        action(
            "target",
            "UpdateContactTargetQueue",
            {"AgentId": agent},
            NextAction="to-agent",
            Errors=errors("error"),
        ),
        action("to-agent", "TransferContactToAgent", {}),
        say("error", "error", "end"),
        action("end", "EndFlowExecution"),
    ]


def test_a_transfer_to_agent_rings_that_agent_or_disconnects_when_they_are_busy(tmp_path: Path) -> None:
    """TransferContactToAgent: the flow ends and the caller goes to the agent set by
    UpdateContactTargetQueue AgentId; "If the agent is already with someone else, the contact is
    disconnected"; an agent in after-contact work is taken out of it."""
    tested = harness(tmp_path, ("T", transfer_to_agent_flow("$.Attributes.agent")))
    tested.center.agent_states = {"ana": "Available", "bo": "Busy", "cy": "AfterContactWork"}
    outcomes = {}
    for agent in ("ana", "bo", "cy", "nobody"):
        caller = tested.center.new_contact(STRANGER, attributes={"agent": agent})
        tested.engine.start(caller.id, "T")
        outcomes[agent] = (caller.state, caller.agent_username, [p.text for p in caller.prompts])
        session = tested.engine.session(caller.id)
        assert session is None or session.action_id is None  # the flow is over either way
    assert outcomes == {
        "ana": ("offered", "ana", []),
        "bo": ("disconnected", None, []),
        "cy": ("offered", "cy", []),
        "nobody": ("disconnected", None, []),  # no error branch in the reference: named, disconnected
    }
    assert tested.center.agent_states["cy"] == "Incoming"
    assert any("nobody not found" in p for p in tested.engine.problems)


def test_a_transfer_to_agent_without_an_agent_set_disconnects(tmp_path: Path) -> None:
    flow = [action("to-agent", "TransferContactToAgent", {})]
    tested = harness(tmp_path, ("T", flow), ("E", transfer_to_agent_flow("$.Attributes.missing")))
    caller = tested.center.new_contact(STRANGER)
    tested.engine.start(caller.id, "T")
    assert caller.state == "disconnected"
    assert any("no agent set" in p for p in tested.engine.problems)
    empty = tested.center.new_contact(STRANGER)
    tested.engine.start(empty.id, "E")  # an AgentId that resolves to nothing: the error branch
    assert [p.text for p in empty.prompts] == ["error"]


def create_task_flow(params: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        action("task", "CreateTask", params, NextAction="done", Errors=errors("error")),
        say("done", "task created", "end"),
        say("error", "error", "end"),
        action("end", "EndFlowExecution"),
    ]


def test_create_task_makes_a_task_contact_and_the_flow_carries_on(tmp_path: Path) -> None:
    """CreateTask (Flow Language reference, createtask): a new TASK contact with its name, description,
    attributes and references, to run ContactFlowId; DelaySeconds schedules it."""
    params = {
        "ContactFlowId": "arn:flow/W",
        "Name": "Call back $.Attributes.who",
        "Description": "about $.Attributes.issue",
        "Attributes": {"issue": "$.Attributes.issue", "source": "ivr"},
        "References": {"ticket": {"Value": "T-$.Attributes.who", "Type": "STRING"}, "plain": "x"},
        "DelaySeconds": "$.Attributes.delay",
    }
    tested = harness(tmp_path, ("C", create_task_flow(params)), ("W", [action("end", "EndFlowExecution")]))
    caller = tested.center.new_contact(STRANGER, attributes={"who": "Ana", "issue": "billing", "delay": "60"})
    started = tested.clock.now()
    tested.engine.start(caller.id, "C")
    assert [p.text for p in caller.prompts] == ["task created"]
    [(source, request, task_id)] = tested.center.tasks
    assert (source, request.flow, request.start_at) == (caller.id, "arn:flow/W", started + 60)
    assert (request.name, request.description) == ("Call back Ana", "about billing")
    assert dict(request.references) == {"ticket": "T-Ana", "plain": "x"}
    task = tested.center.contact_data(task_id)
    assert (task.channel, task.initiation_method, task.name) == ("TASK", "API", "Call back Ana")
    assert task.attributes == {"issue": "billing", "source": "ivr"}


@pytest.mark.parametrize(
    "params",
    [
        {"ContactFlowId": "arn:flow/nope", "Name": "t"},  # no such flow
        {"ContactFlowId": "arn:flow/W", "Name": "$.Attributes.missing"},  # an empty name
        {"ContactFlowId": "arn:flow/W", "Name": "t", "DelaySeconds": "$.Attributes.zero"},  # out of range
        {"ContactFlowId": "arn:flow/W", "Name": "t", "ScheduledTime": "$.Attributes.when"},  # no zone
    ],
)
def test_create_task_takes_no_matching_error(tmp_path: Path, params: dict[str, Any]) -> None:
    tested = harness(tmp_path, ("C", create_task_flow(params)), ("W", [action("end", "EndFlowExecution")]))
    caller = tested.center.new_contact(STRANGER, attributes={"zero": "0", "when": "2026-01-05T10:00:00"})
    tested.engine.start(caller.id, "C")
    assert [p.text for p in caller.prompts] == ["error"]
    assert tested.center.tasks == []


def test_create_task_at_a_scheduled_time(tmp_path: Path) -> None:
    params = {"ContactFlowId": "arn:flow/W", "Name": "t", "ScheduledTime": "2030-01-01T00:00:00Z"}
    tested = harness(tmp_path, ("C", create_task_flow(params)), ("W", [action("end", "EndFlowExecution")]))
    caller = tested.center.new_contact(STRANGER)
    tested.engine.start(caller.id, "C")
    assert tested.center.tasks[0][1].start_at == 1_893_456_000.0
