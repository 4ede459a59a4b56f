"""The call placer Lambda's drain: in order, paced, partial batch failures on throttling."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import ANY, Stubber
from call_placer.handler import drain

from jam_core.calls.pacing import Pacer
from jam_core.tables.call_requests import FAILED, PLACED, SCHEDULED, CallRequest, SqliteCallRequests


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def requests(tmp_path: Path) -> SqliteCallRequests:
    return SqliteCallRequests(str(tmp_path / "jam.sqlite3"))


@pytest.fixture
def connect() -> Any:
    return boto3.client("connect", region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t")


def _event(*request_ids: str) -> dict[str, Any]:
    return {
        "Records": [
            {"messageId": f"m-{rid}", "body": json.dumps({"requestId": rid}), "attributes": {}}
            for rid in request_ids
        ]
    }


def _add(requests: SqliteCallRequests, n: int) -> str:
    request = CallRequest(
        f"req-{n}",
        "c",
        {
            "InstanceId": "i",
            "ContactFlowId": "f",
            "DestinationPhoneNumber": "+12025550100",
            "ClientToken": f"t{n}",
        },
        1.0,
    )
    return requests.add(request).request_id


def test_places_in_order_at_the_pace_and_hands_back_the_rest_when_throttled(
    requests: SqliteCallRequests, connect: Any
) -> None:
    ids = [_add(requests, n) for n in (1, 2, 3)]
    clock = Clock()
    with Stubber(connect) as stub:
        stub.add_response(
            "start_outbound_voice_contact", {"ContactId": "c-1"}, {**_ARGS, "ClientToken": "t1"}
        )
        stub.add_client_error("start_outbound_voice_contact", "ThrottlingException", http_status_code=429)
        reply = drain(
            _event(*ids),
            requests,
            connect,
            Pacer(clock, rate=2.0, burst=1),
            remaining_ms=lambda: 60_000,
            sleep=clock.sleep,
        )
    assert reply == {"batchItemFailures": [{"itemIdentifier": "m-req-2"}, {"itemIdentifier": "m-req-3"}]}
    assert clock.now == pytest.approx(0.5)  # the second try waited for the 2/s pace
    assert requests.get("req-1").state == PLACED  # type: ignore[union-attr]
    second = requests.get("req-2")
    assert second is not None and (second.state, second.attempts) == (SCHEDULED, 1)


_ARGS = {
    "InstanceId": "i",
    "ContactFlowId": "f",
    "DestinationPhoneNumber": "+12025550100",
    "ClientToken": ANY,
}


def test_a_redelivered_message_of_a_settled_request_is_consumed_without_a_call(
    requests: SqliteCallRequests, connect: Any
) -> None:
    request_id = _add(requests, 1)
    requests.finish(request_id, PLACED, contact_id="c-1", at=1.0)
    with Stubber(connect):  # any call would fail: nothing is stubbed
        reply = drain(
            _event(request_id, "req-unknown"),
            requests,
            connect,
            Pacer(Clock(), burst=1),
            remaining_ms=lambda: 60_000,
        )
    assert reply == {"batchItemFailures": []}


def test_a_refusal_for_good_fails_the_request_once_and_consumes_its_message(
    requests: SqliteCallRequests, connect: Any
) -> None:
    request_id = _add(requests, 1)
    with Stubber(connect) as stub:
        stub.add_client_error("start_outbound_voice_contact", "InvalidParameterException", "bad number", 400)
        reply = drain(
            _event(request_id), requests, connect, Pacer(Clock(), burst=1), remaining_ms=lambda: 60_000
        )
    assert reply == {"batchItemFailures": []}
    failed = requests.get(request_id)
    assert (
        failed is not None
        and failed.state == FAILED
        and failed.reason == "InvalidParameterException: bad number"
    )


def test_near_the_time_limit_the_rest_is_handed_back_untried(
    requests: SqliteCallRequests, connect: Any
) -> None:
    ids = [_add(requests, n) for n in (1, 2)]
    with Stubber(connect):
        reply = drain(_event(*ids), requests, connect, Pacer(Clock(), burst=1), remaining_ms=lambda: 1_000)
    assert [f["itemIdentifier"] for f in reply["batchItemFailures"]] == ["m-req-1", "m-req-2"]
    assert requests.backlog(10.0) == 2
