"""The stack as `make run` starts it: every mount answers, and the API reaches the Connect twin."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import boto3
import pytest
import requests

from local_connect.definitions import load_definitions
from tests.e2e.conftest import StackProcess, start_stack

pytestmark = pytest.mark.e2e


def test_every_mount_answers_on_one_port(local_stack: StackProcess) -> None:
    defs = load_definitions()
    info = local_stack.get("/local/")
    assert info["instanceId"] == defs.instance_id
    banner = local_stack.log()
    assert "instance id    " + defs.instance_id in banner
    assert "agent.support / Agent-demo-1" in banner and "maria / Maria-demo-1 (+12025550100)" in banner
    assert local_stack.get("/config.json")["webIngressContactFlowId"] == defs.flows["WebIngressFlow"].id
    assert (
        local_stack.get("/cognito/.well-known/openid-configuration")["issuer"]
        == local_stack.base_url + "/cognito"
    )
    assert "openapi" in local_stack.get("/api/openapi.json")
    page = requests.get(local_stack.base_url + "/local/phone", timeout=10)
    assert page.ok and "JAM test phone" in page.text


def test_the_api_reads_hours_from_the_connect_twin(local_stack: StackProcess) -> None:
    support = load_definitions().hours["SupportHours"]
    hours = local_stack.post("/api/connect/hours", {"hoursOfOperationId": support.id})
    assert hours["name"] == support.name
    assert hours["timeZone"] == "America/New_York"
    assert isinstance(hours["isOpen"], bool)


def test_boto3_reaches_the_twin_through_the_stack(local_stack: StackProcess) -> None:
    client = boto3.client(
        "connect",
        endpoint_url=local_stack.base_url + "/connect-api",
        region_name="us-west-2",
        aws_access_key_id="x",
        aws_secret_access_key="x",
    )
    queues = client.list_queues(InstanceId=load_definitions().instance_id)["QueueSummaryList"]
    assert {q["Name"] for q in queues} >= {"Support - Technical", "Sales - New Orders"}


def test_a_stack_on_its_own_state_starts_and_stops(tmp_path: Path) -> None:
    stack = start_stack(tmp_path / "own")
    try:
        assert stack.get("/local/health")["ok"] is True
        assert (tmp_path / "own" / "local_connect.sqlite3").exists()
    finally:
        stack.stop()
    assert stack.process.returncode == 0


def test_the_api_computes_hours_at_the_runtimes_clock(local_stack: StackProcess) -> None:
    # The stack runs on a moved clock (Monday 15:00 New York): the website's open/closed must agree
    # with the IVR's hours checks, whatever the wall clock says when the tests run.
    runtime_now = local_stack.get("/local/health")["now"]
    support = load_definitions().hours["SupportHours"]
    hours = local_stack.post("/api/connect/hours", {"hoursOfOperationId": support.id})
    generated = datetime.fromisoformat(hours["generatedAt"])
    assert abs(generated.timestamp() - runtime_now) < 5
    assert generated.astimezone(ZoneInfo("America/New_York")).strftime("%A %H") == "Monday 15"
    assert hours["isOpen"] is True
