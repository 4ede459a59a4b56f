"""CreateTask on the runtime: the task contact runs its flow (at once or after its delay) and waits in
the queue it is sent to for an agent whose routing profile takes tasks."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from local_connect.acd import ContactState
from local_connect.acd.center import ProfileQueue
from local_connect.clock import ManualClock
from local_connect.flows.engine import FlowEngine
from local_connect.flows.loader import FlowLibrary, load_flow
from local_connect.numbers import INBOUND_NUMBER
from local_connect.runtime import Runtime, RuntimeOptions
from local_connect.runtime_flows import RuntimeFlowServices

CALLER = "+12025550101"
AGENT = "agent.support"  # routing profile: SupportTechnicalQueue and SupportDevicesQueue, VOICE only


class NoLambdas:
    def invoke(self, function_arn: str, event: Mapping[str, Any], timeout: float) -> Any:
        raise AssertionError("no Lambda in these flows")


def _document(actions: list[dict[str, Any]]) -> dict[str, Any]:
    return {"Version": "2019-10-30", "StartAction": actions[0]["Identifier"], "Actions": actions}


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    runtime = Runtime(RuntimeOptions(db_path=tmp_path / "contacts.sqlite3", clock=ManualClock()))
    defs = runtime.definitions
    queue = defs.queues["SupportDevicesQueue"].arn
    end = {"Identifier": "end", "Type": "DisconnectParticipant", "Parameters": {}, "Transitions": {}}
    inbound = _document(
        [
            {
                "Identifier": "task",
                "Type": "CreateTask",
                "Parameters": {
                    "Name": "Call $.CustomerEndpoint.Address back",
                    "ContactFlowId": "TaskFlow",
                    "Attributes": {"caller": "$.CustomerEndpoint.Address"},
                    "DelaySeconds": "30",
                },
                "Transitions": {
                    "NextAction": "end",
                    "Errors": [{"ErrorType": "NoMatchingError", "NextAction": "end"}],
                },
            },
            end,
        ]
    )
    task_flow = _document(
        [
            {
                "Identifier": "target",
                "Type": "UpdateContactTargetQueue",
                "Parameters": {"QueueId": queue},
                "Transitions": {
                    "NextAction": "queue",
                    "Errors": [{"ErrorType": "NoMatchingError", "NextAction": "end"}],
                },
            },
            {
                "Identifier": "queue",
                "Type": "TransferContactToQueue",
                "Parameters": {},
                "Transitions": {
                    "NextAction": "end",
                    "Errors": [{"ErrorType": "QueueAtCapacity", "NextAction": "end"}],
                },
            },
            end,
        ]
    )
    library = FlowLibrary({})
    library.add(load_flow(inbound, key="InboundFlow", flow_type="CONTACT_FLOW").flow)
    library.add(load_flow(task_flow, key="TaskFlow", flow_type="CONTACT_FLOW").flow)
    services = RuntimeFlowServices(defs, runtime.center, runtime.switchboard)
    runtime.switchboard.flows = FlowEngine(services, runtime.scheduler, library, NoLambdas())
    with runtime.lock:
        yield runtime
    runtime.stop()
    assert not runtime.scheduler.errors, list(runtime.scheduler.errors)


def advance(runtime: Runtime, seconds: float) -> None:
    clock = runtime.scheduler.clock
    assert isinstance(clock, ManualClock)
    clock.advance(seconds)
    runtime.scheduler.run_due()


def the_task(runtime: Runtime) -> str:
    [task] = [c for c in runtime.center.open_contacts() if c.channel == "TASK"]
    return task.id


def test_a_task_runs_its_flow_after_its_delay_and_waits_for_an_agent_who_takes_tasks(
    runtime: Runtime,
) -> None:
    center = runtime.center
    center.set_agent_state(AGENT, "Available")
    call = runtime.switchboard.dial(CALLER, INBOUND_NUMBER)
    advance(runtime, 1)
    assert center.contact(call).state is ContactState.DISCONNECTED  # the caller's flow went on and ended
    task_id = the_task(runtime)
    task = center.contact(task_id)
    assert (task.name, task.attributes, task.state) == (
        f"Call {CALLER} back",
        {"caller": CALLER},
        ContactState.IN_FLOW,
    )
    advance(runtime, 30)  # DelaySeconds: the task's flow starts now and queues it
    task = center.contact(task_id)
    assert task.state is ContactState.QUEUED
    assert task.queue_id == runtime.definitions.queues["SupportDevicesQueue"].id
    # The template's routing profiles take VOICE only: the free agent is not offered the task ...
    assert center.agent(AGENT).state.value == "Available"
    assert center.contact(task_id).state is ContactState.QUEUED
    # ... and a profile that takes TASK from that queue gets it.
    profile = center.agent(AGENT).routing_profile_id
    center.profiles[profile] = [*center.profiles[profile], ProfileQueue(task.queue_id or "", 1, 0.0, "TASK")]
    center.set_agent_state(AGENT, "Offline")
    center.set_agent_state(AGENT, "Available")
    assert center.contact(task_id).state is ContactState.OFFERED
    assert center.contact(task_id).agent_username == AGENT
