"""The CallRequests repository: one contract, run against SQLite and (moto's) DynamoDB."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from jam_core.tables.call_requests import (
    FAILED,
    PLACED,
    CallRequest,
    CallRequestRepository,
    DynamoDbCallRequests,
    SqliteCallRequests,
)


@pytest.fixture(params=["sqlite", "dynamodb"])
def requests(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[CallRequestRepository]:
    if request.param == "sqlite":
        yield SqliteCallRequests(str(tmp_path / "jam.sqlite3"))
        return
    from moto import mock_aws

    for name, value in {
        "AWS_ACCESS_KEY_ID": "t",
        "AWS_SECRET_ACCESS_KEY": "t",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        import boto3

        client = boto3.client("dynamodb", region_name="us-east-1")
        client.create_table(
            TableName="CallRequests",
            KeySchema=[{"AttributeName": "RequestId", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "RequestId", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        yield DynamoDbCallRequests(client, "CallRequests")


NOW = 5_000.0  # after every request below was made


def _request(n: int) -> CallRequest:
    return CallRequest(f"req-{n}", "customer-1", {"ContactFlowId": "f", "ClientToken": f"t{n}"}, 1000.0 + n)


def test_requests_are_numbered_in_the_order_they_are_added_and_a_re_add_changes_nothing(
    requests: CallRequestRepository,
) -> None:
    first, second = requests.add(_request(1)), requests.add(_request(2))
    assert second.seq == first.seq + 1
    assert requests.add(_request(1)) == first
    assert requests.get("req-1") == first and requests.get("nope") is None
    assert dict(first.start_args) == {"ContactFlowId": "f", "ClientToken": "t1"}
    assert (requests.position(first, NOW), requests.position(second, NOW), requests.backlog(NOW)) == (1, 2, 2)


def test_a_request_finishes_once_and_positions_move_up(requests: CallRequestRepository) -> None:
    first, second, third = (requests.add(_request(n)) for n in (1, 2, 3))
    assert requests.finish("req-1", PLACED, contact_id="c-1", at=2000.0)
    assert not requests.finish("req-1", FAILED, reason="late", at=2001.0)  # once only
    done = requests.get("req-1")
    assert done is not None and (done.state, done.contact_id, done.finished_at) == (PLACED, "c-1", 2000.0)
    assert (requests.position(first, NOW), requests.position(second, NOW), requests.position(third, NOW)) == (
        0,
        1,
        2,
    )
    assert requests.finish("req-2", FAILED, reason="InvalidParameterException: bad number", at=2002.0)
    assert (requests.position(third, NOW), requests.backlog(NOW)) == (1, 1)
    requests.count_attempt("req-3")
    assert requests.get("req-3").attempts == 1  # type: ignore[union-attr]
    with pytest.raises(ValueError):
        requests.finish("req-3", "scheduled", at=0)


def test_a_call_for_later_waits_outside_the_line_until_its_time(requests: CallRequestRepository) -> None:
    later = requests.add(
        CallRequest("req-later", "customer-1", {"ClientToken": "tl"}, 1000.0, not_before=NOW + 3600)
    )
    now = requests.add(_request(1))
    # The call for the next opening neither waits in today's line nor holds it up.
    assert (requests.position(later, NOW), requests.position(now, NOW), requests.backlog(NOW)) == (0, 1, 1)
    assert requests.finish("req-later", PLACED, contact_id="c-later", at=NOW + 3601)
    assert (requests.position(now, NOW), requests.backlog(NOW)) == (1, 1)
