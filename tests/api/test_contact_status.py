"""GET /connect/contact/<id>: the live call status, owner only, cached, with Connect stubbed by Stubber."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.stub import ANY, Stubber
from flask import Flask
from jam_api import create_app
from jam_api.config import Settings
from jam_api.contact.status import ContactStatusService

from tests.api.conftest import INSTANCE_ID, QUEUE_ID, CheckedClient, Clock, TokenFactory

CONTACT = "6f1d2c3b-0000-4000-8000-00000000c0de"
OWNER = "c0ffee00-0000-4000-8000-000000000001"  # make_token's default sub
STRANGER = "c0ffee00-0000-4000-8000-000000000002"
SUPPORT_QUEUE = "22222222-3333-4444-5555-666666666666"
INITIATED = datetime(2026, 1, 5, 20, 0, 0, tzinfo=UTC)
ENQUEUED = datetime(2026, 1, 5, 20, 0, 40, tzinfo=UTC)
CONNECTED = datetime(2026, 1, 5, 20, 3, 0, tzinfo=UTC)
DISCONNECTED = datetime(2026, 1, 5, 20, 9, 0, tzinfo=UTC)


@pytest.fixture
def app(settings: Settings, connect: tuple[Any, Stubber], clock: Clock) -> Flask:
    status = ContactStatusService(connect[0], INSTANCE_ID, clock=clock)
    return create_app(settings, connect_client=connect[0], contact_status=status)


def expect_owner(stubber: Stubber, owner: str | None = OWNER, contact_id: str = CONTACT) -> None:
    attributes = {"department": "support", "Verified": "true"}
    if owner is not None:
        attributes["CustomerId"] = owner
    stubber.add_response(
        "get_contact_attributes",
        {"Attributes": attributes},
        {"InstanceId": INSTANCE_ID, "InitialContactId": contact_id},
    )


def described(
    *, enqueued: bool = False, connected: bool = False, disconnected: bool = False
) -> dict[str, Any]:
    contact: dict[str, Any] = {
        "Id": CONTACT,
        "InitiationMethod": "API",
        "Channel": "VOICE",
        "InitiationTimestamp": INITIATED,
        # An outbound contact carries its outbound queue from the start; that is not "in queue".
        "QueueInfo": {"Id": QUEUE_ID},
    }
    if enqueued:
        contact["QueueInfo"] = {"Id": SUPPORT_QUEUE, "EnqueueTimestamp": ENQUEUED}
    if connected:
        contact["AgentInfo"] = {"Id": "agent-1", "ConnectedToAgentTimestamp": CONNECTED}
    if disconnected:
        contact["DisconnectTimestamp"] = DISCONNECTED
        contact["DisconnectReason"] = "CUSTOMER_DISCONNECT"
    return {"Contact": contact}


def expect_describe(stubber: Stubber, answer: dict[str, Any]) -> None:
    stubber.add_response("describe_contact", answer, {"InstanceId": INSTANCE_ID, "ContactId": CONTACT})


def expect_metrics(stubber: Stubber, position: float = 3, wait: float = 125.4) -> None:
    stubber.add_response(
        "get_contact_metrics",
        {
            "Id": CONTACT,
            "MetricResults": [
                {"Name": "POSITION_IN_QUEUE", "Value": {"Number": position}},
                {"Name": "ESTIMATED_WAIT_TIME", "Value": {"Number": wait}},
            ],
        },
        {
            "InstanceId": INSTANCE_ID,
            "ContactId": CONTACT,
            "Metrics": [{"Name": "POSITION_IN_QUEUE"}, {"Name": "ESTIMATED_WAIT_TIME"}],
        },
    )


def expect_queue_name(stubber: Stubber, name: str = "Support - Devices") -> None:
    stubber.add_response(
        "describe_queue",
        {"Queue": {"Name": name, "QueueId": SUPPORT_QUEUE}},
        {"InstanceId": INSTANCE_ID, "QueueId": SUPPORT_QUEUE},
    )


def get(client: CheckedClient, token: str | None, contact_id: str = CONTACT) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return client.get(f"/connect/contact/{contact_id}", headers=headers)


def test_owner_sees_the_call_in_queue_with_position_and_wait(
    client: CheckedClient, connect: Any, make_token: TokenFactory
) -> None:
    stubber = connect[1]
    expect_owner(stubber)
    expect_describe(stubber, described(enqueued=True))
    expect_metrics(stubber)
    expect_queue_name(stubber)
    response = get(client, make_token())
    assert response.status_code == 200
    body = response.get_json()
    assert {k: v for k, v in body.items() if k != "asOf"} == {
        "contactId": CONTACT,
        "state": "in-queue",
        "queueName": "Support - Devices",
        "initiatedAt": "2026-01-05T20:00:00+00:00",
        "enqueuedAt": "2026-01-05T20:00:40+00:00",
        "connectedToAgentAt": None,
        "disconnectedAt": None,
        "disconnectReason": None,
        "positionInQueue": 3,
        "estimatedWaitSeconds": 125.4,
    }
    assert response.headers["Cache-Control"] == "private, max-age=2"


def test_as_of_is_read_on_the_apps_clock(settings: Settings, connect: Any, make_token: TokenFactory) -> None:
    """Locally the contact's times are the runtime's (a clock demos move); asOf must be on it too."""
    runtime_now = datetime(2026, 1, 5, 20, 1, 0, tzinfo=UTC)
    app = create_app(settings, connect_client=connect[0], now=lambda: runtime_now)
    stubber = connect[1]
    expect_owner(stubber)
    expect_describe(stubber, described())
    body = get(CheckedClient(app.test_client()), make_token()).get_json()
    assert (body["initiatedAt"], body["asOf"]) == ("2026-01-05T20:00:00+00:00", "2026-01-05T20:01:00+00:00")


@pytest.mark.parametrize(
    ("flags", "state", "timestamps"),
    [
        ({}, "requested", {}),
        (
            {"enqueued": True, "connected": True},
            "with-agent",
            {"enqueuedAt": "2026-01-05T20:00:40+00:00", "connectedToAgentAt": "2026-01-05T20:03:00+00:00"},
        ),
        (
            {"enqueued": True, "connected": True, "disconnected": True},
            "ended",
            {
                "enqueuedAt": "2026-01-05T20:00:40+00:00",
                "connectedToAgentAt": "2026-01-05T20:03:00+00:00",
                "disconnectedAt": "2026-01-05T20:09:00+00:00",
            },
        ),
        # Hung up while waiting: ended, never with an agent.
        (
            {"enqueued": True, "disconnected": True},
            "ended",
            {"enqueuedAt": "2026-01-05T20:00:40+00:00", "disconnectedAt": "2026-01-05T20:09:00+00:00"},
        ),
    ],
)
def test_each_state_and_no_queue_metrics_outside_the_queue(
    client: CheckedClient,
    connect: Any,
    make_token: TokenFactory,
    flags: dict[str, bool],
    state: str,
    timestamps: dict[str, str],
) -> None:
    stubber = connect[1]
    expect_owner(stubber)
    expect_describe(stubber, described(**flags))
    if flags.get("enqueued"):
        expect_queue_name(stubber)
    # No get_contact_metrics expected: the Stubber fails on any call not queued up here.
    body = get(client, make_token()).get_json()
    assert body["state"] == state
    assert body["positionInQueue"] is None and body["estimatedWaitSeconds"] is None
    assert body["queueName"] == ("Support - Devices" if flags.get("enqueued") else None)
    for key in ("enqueuedAt", "connectedToAgentAt", "disconnectedAt"):
        assert body[key] == timestamps.get(key), key
    # How it ended is said once it has ended, never while it goes on.
    assert body["disconnectReason"] == ("CUSTOMER_DISCONNECT" if state == "ended" else None)


def test_another_customers_call_is_404_like_an_unknown_one(
    client: CheckedClient, connect: Any, make_token: TokenFactory
) -> None:
    stubber = connect[1]
    expect_owner(stubber)
    someone_else = get(client, make_token(sub=STRANGER))
    stubber.add_client_error("get_contact_attributes", "ResourceNotFoundException", http_status_code=404)
    unknown = get(client, make_token(), "7a7a7a7a-0000-4000-8000-000000000000")
    assert someone_else.status_code == unknown.status_code == 404
    assert someone_else.get_json() == unknown.get_json()
    assert someone_else.get_json()["field"] == "contactId"
    assert someone_else.mimetype == "application/problem+json"


def test_a_call_not_placed_through_the_api_is_nobodys(
    client: CheckedClient, connect: Any, make_token: TokenFactory
) -> None:
    expect_owner(connect[1], owner=None)  # an inbound call has no trusted CustomerId
    assert get(client, make_token()).status_code == 404


def test_malformed_id_is_404_without_asking_connect(client: CheckedClient, make_token: TokenFactory) -> None:
    response = get(client, make_token(), "not%20an%20id")
    assert response.status_code == 404
    assert response.get_json()["field"] == "contactId"


def test_token_is_required_and_verified(client: CheckedClient, make_token: TokenFactory) -> None:
    for token, reason in (
        (None, "missing-token"),
        (make_token(exp=1), "expired"),
        (make_token(aud="another-client"), "wrong-client"),
    ):
        response = get(client, token)
        assert (response.status_code, response.get_json()["reason"]) == (401, reason)


def test_polling_within_two_seconds_reads_connect_once(
    client: CheckedClient, connect: Any, make_token: TokenFactory, clock: Clock
) -> None:
    stubber = connect[1]
    expect_owner(stubber)
    expect_describe(stubber, described())
    token = make_token()
    first = get(client, token).get_json()
    clock.now += 1.5
    assert get(client, token).get_json() == first  # served from the cache: no Connect call queued
    clock.now += 1.0
    # Past the status TTL: DescribeContact again, but ownership is still known (no attributes call).
    expect_describe(stubber, described(enqueued=True))
    expect_metrics(stubber, position=1, wait=0)
    expect_queue_name(stubber)
    again = get(client, token).get_json()
    assert again["state"] == "in-queue" and again["positionInQueue"] == 1
    clock.now += 2.5
    expect_describe(stubber, described(enqueued=True))
    expect_metrics(stubber, position=1, wait=0)  # the queue's name stays cached: no describe_queue
    assert get(client, token).get_json()["queueName"] == "Support - Devices"


def test_a_queue_the_api_may_not_describe_is_asked_about_once(
    client: CheckedClient,
    connect: Any,
    make_token: TokenFactory,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An agent's own queue (after a transfer) is outside the role's grant: AccessDenied, once."""
    asked: list[dict[str, Any]] = []
    describe_queue = connect[0].describe_queue

    def counted(**kwargs: Any) -> Any:
        asked.append(kwargs)
        return describe_queue(**kwargs)

    monkeypatch.setattr(connect[0], "describe_queue", counted)
    stubber = connect[1]
    token = make_token()
    expect_owner(stubber)
    expect_describe(stubber, described(enqueued=True))
    expect_metrics(stubber)
    stubber.add_client_error("describe_queue", "AccessDeniedException", http_status_code=403)
    assert get(client, token).get_json()["queueName"] is None
    clock.now += 2.5
    expect_describe(stubber, described(enqueued=True))
    expect_metrics(stubber)
    assert get(client, token).get_json()["queueName"] is None
    assert len(asked) == 1


def test_unknown_ids_are_remembered_so_guessing_costs_no_quota(
    client: CheckedClient, connect: Any, make_token: TokenFactory, clock: Clock
) -> None:
    connect[1].add_client_error("get_contact_attributes", "ResourceNotFoundException", http_status_code=404)
    token = make_token()
    for _ in range(3):
        assert get(client, token).status_code == 404
        clock.now += 10


@pytest.mark.parametrize(
    ("code", "status", "slug"),
    [
        ("ThrottlingException", 429, "connect-throttled"),
        ("InternalServiceException", 502, "connect-error"),
        ("AccessDeniedException", 502, "connect-error"),
        ("InvalidParameterException", 404, "contact-not-found"),
        ("ResourceNotFoundException", 404, "contact-not-found"),
    ],
)
def test_connect_errors_map_like_the_post_route(
    client: CheckedClient, connect: Any, make_token: TokenFactory, code: str, status: int, slug: str
) -> None:
    expect_owner(connect[1])
    connect[1].add_client_error("describe_contact", code, http_status_code=400)
    response = get(client, make_token())
    assert response.status_code == status
    assert response.get_json()["type"].endswith(slug)
    assert ("Retry-After" in response.headers) == (status in (429, 502))


def test_last_status_is_served_when_connect_throttles_a_refresh(
    client: CheckedClient, connect: Any, make_token: TokenFactory, clock: Clock
) -> None:
    stubber = connect[1]
    expect_owner(stubber)
    expect_describe(stubber, described())
    token = make_token()
    first = get(client, token).get_json()
    clock.now += 3
    stubber.add_client_error("describe_contact", "ThrottlingException", http_status_code=429)
    stale = get(client, token)
    assert stale.status_code == 200
    assert stale.get_json() == first  # asOf included: the page can tell it is not fresh


def test_position_is_left_out_when_connect_cannot_give_it(
    client: CheckedClient, connect: Any, make_token: TokenFactory
) -> None:
    stubber = connect[1]
    expect_owner(stubber)
    expect_describe(stubber, described(enqueued=True))
    stubber.add_client_error("get_contact_metrics", "AccessDeniedException", http_status_code=403)
    stubber.add_client_error("describe_queue", "AccessDeniedException", http_status_code=403)
    response = get(client, make_token())
    assert response.status_code == 200
    body = response.get_json()
    assert body["state"] == "in-queue"
    assert body["positionInQueue"] is None and body["queueName"] is None


def test_process_budget_bounds_connect_calls_across_many_customers(
    settings: Settings, connect: Any, make_token: TokenFactory, clock: Clock
) -> None:
    """Each operation gets at most `burst` calls at once then `rate` a second, whoever polls."""
    stubber = connect[1]
    status = ContactStatusService(connect[0], INSTANCE_ID, clock=clock, budget_rate=1.0, budget_burst=2)
    client = CheckedClient(
        create_app(settings, connect_client=connect[0], contact_status=status).test_client()
    )
    contacts = [f"6f1d2c3b-0000-4000-8000-00000000000{i}" for i in range(3)]
    for contact_id in contacts[:2]:
        expect_owner(stubber, contact_id=contact_id)
        stubber.add_response(
            "describe_contact", described(), {"InstanceId": INSTANCE_ID, "ContactId": contact_id}
        )
    token = make_token()
    for contact_id in contacts[:2]:
        assert get(client, token, contact_id).status_code == 200
    over = get(client, token, contacts[2])  # the third call this instant would exceed the budget
    assert over.status_code == 429
    assert over.headers["Retry-After"] == "2"
    clock.now += 1.0
    expect_owner(stubber, contact_id=contacts[2])
    stubber.add_response(
        "describe_contact", described(), {"InstanceId": INSTANCE_ID, "ContactId": contacts[2]}
    )
    assert get(client, token, contacts[2]).status_code == 200


def test_the_site_origin_may_read_the_status(client: CheckedClient) -> None:
    response = client.options(
        f"/connect/contact/{CONTACT}",
        headers={
            "Origin": "https://site.example.com",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "Authorization",
        },
    )
    assert response.headers["Access-Control-Allow-Origin"] == "https://site.example.com"
    assert "GET" in response.headers["Access-Control-Allow-Methods"]


def test_after_a_transfer_the_status_follows_the_customer_to_the_new_contact(
    client: CheckedClient, connect: Any, make_token: TokenFactory, clock: Clock
) -> None:
    """An agent's transfer ends the placed contact and names the new one in NextContacts."""
    stubber = connect[1]
    moved = "6f1d2c3b-0000-4000-8000-0000000000ff"
    transferred = described(enqueued=True, connected=True, disconnected=True)
    transferred["Contact"]["NextContacts"] = [
        {
            "Type": "QUICK_CONNECT",
            "NextContactMetadata": {
                "QuickConnectContactData": {"ContactId": moved, "QuickConnectType": "QUEUE"}
            },
        }
    ]
    waiting_again = {
        "Contact": {
            "Id": moved,
            "InitiationMethod": "TRANSFER",
            "InitiationTimestamp": DISCONNECTED,
            "QueueInfo": {"Id": SUPPORT_QUEUE, "EnqueueTimestamp": DISCONNECTED},
        }
    }
    expect_owner(stubber)
    expect_describe(stubber, transferred)
    stubber.add_response("describe_contact", waiting_again, {"InstanceId": INSTANCE_ID, "ContactId": moved})
    stubber.add_response(
        "get_contact_metrics",
        {"MetricResults": [{"Name": "POSITION_IN_QUEUE", "Value": {"Number": 2}}]},
        {"InstanceId": INSTANCE_ID, "ContactId": moved, "Metrics": ANY},
    )
    expect_queue_name(stubber)
    token = make_token()
    body = get(client, token).get_json()
    assert (body["contactId"], body["state"], body["positionInQueue"]) == (CONTACT, "in-queue", 2)
    assert body["disconnectedAt"] is None and body["estimatedWaitSeconds"] is None
    # Later refreshes describe the new contact only: the ended one is not read again.
    clock.now += 3
    with_agent = {
        "Contact": {**waiting_again["Contact"], "AgentInfo": {"ConnectedToAgentTimestamp": DISCONNECTED}}
    }
    stubber.add_response("describe_contact", with_agent, {"InstanceId": INSTANCE_ID, "ContactId": moved})
    assert get(client, token).get_json()["state"] == "with-agent"
