"""POST /connect/contact past Connect's outbound quota: every request is accepted and waits its turn.

Connect is botocore's Stubber; the waiting requests are in a real SQLite file (the settings'
SQLITE_PATH), read back through the same repository the local placing loop uses.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from botocore.stub import ANY
from jam_api import create_app
from jam_api.config import Settings
from jam_api.contact.intake import CallIntake
from jam_api.contact.rate_limit import CallRateLimiter

from jam_core.calls.pacing import Pacer
from jam_core.calls.placing import Outcome, place
from jam_core.tables.call_requests import PLACED, SqliteCallRequests
from tests.api.conftest import CheckedClient, TokenFactory
from tests.api.test_contact import BODY, post

SUBJECT = "c0ffee00-0000-4000-8000-000000000001"


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def _app(
    settings: Settings, connect: Any, pacer: Pacer, wall: Clock
) -> tuple[CheckedClient, SqliteCallRequests]:
    requests = SqliteCallRequests(str(settings.sqlite_path))
    intake = CallIntake(connect[0], requests, pacer, wall_clock=wall)
    app = create_app(
        settings, connect_client=connect[0], call_intake=intake, rate_limiter=CallRateLimiter(100, 600)
    )
    return CheckedClient(app.test_client()), requests


def test_a_throttled_call_is_accepted_scheduled_and_placed_later_in_order(
    settings: Settings, connect: Any, make_token: TokenFactory
) -> None:
    clock, wall = Clock(), Clock()
    pacer = Pacer(clock, rate=2.0, burst=5)
    client, requests = _app(settings, connect, pacer, wall)
    connect[1].add_client_error("start_outbound_voice_contact", "ThrottlingException", http_status_code=400)

    first = post(client, make_token())
    assert first.status_code == 202
    body = first.get_json()
    assert body["state"] == "scheduled" and body["positionInQueue"] == 1
    assert body["contactId"].startswith("req-")
    # First in line, at the quota's 2 calls a second: about half a second from now.
    assert body["estimatedCallAt"] == "1970-01-01T00:16:40.500000+00:00"

    # With one request waiting, the next goes behind it without asking Connect (no stubbed call).
    second = post(client, make_token()).get_json()
    assert (second["state"], second["positionInQueue"]) == ("scheduled", 2)

    status = client.get(f"/connect/contact/{body['contactId']}", headers=_auth(make_token()))
    assert status.status_code == 200
    assert (status.get_json()["state"], status.get_json()["positionInQueue"]) == ("scheduled", 1)

    # The placing loop takes them in order, with the same code the Lambda uses.
    connect[1].add_response("start_outbound_voice_contact", {"ContactId": "contact-A"}, {**ANY_START})
    connect[1].add_response("start_outbound_voice_contact", {"ContactId": "contact-B"}, {**ANY_START})
    due = requests.due(wall.now, 10)
    assert [r.request_id for r in due] == [body["contactId"], second["contactId"]]
    assert [place(connect[0], requests, r, wall.now) for r in due] == [Outcome.PLACED, Outcome.PLACED]
    assert [requests.get(r.request_id).contact_id for r in due] == ["contact-A", "contact-B"]  # type: ignore[union-attr]
    assert requests.backlog(wall.now) == 0


ANY_START = {
    "InstanceId": ANY,
    "ContactFlowId": ANY,
    "DestinationPhoneNumber": ANY,
    "QueueId": ANY,
    "Attributes": ANY,
}


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_placed_request_reads_as_the_call_it_became(
    settings: Settings, connect: Any, make_token: TokenFactory
) -> None:
    wall = Clock()
    client, requests = _app(settings, connect, Pacer(Clock(), rate=2.0, burst=1), wall)
    connect[1].add_client_error(
        "start_outbound_voice_contact", "LimitExceededException", http_status_code=429
    )
    request_id = post(client, make_token()).get_json()["contactId"]
    request = requests.get(request_id)
    assert request is not None
    requests.finish(request_id, PLACED, contact_id="contact-9", at=wall.now)
    connect[1].add_response(
        "get_contact_attributes",
        {"Attributes": {"CustomerId": SUBJECT}},
        {"InstanceId": ANY, "InitialContactId": "contact-9"},
    )
    connect[1].add_response(
        "describe_contact",
        {"Contact": {"Id": "contact-9", "InitiationTimestamp": 1_000.0}},
        {"InstanceId": ANY, "ContactId": "contact-9"},
    )
    status = client.get(f"/connect/contact/{request_id}", headers=_auth(make_token()))
    assert status.status_code == 200
    # The customer keeps polling the id they were given; the state is now the call's.
    assert (status.get_json()["contactId"], status.get_json()["state"]) == (request_id, "requested")


def test_a_retry_with_the_same_key_is_the_same_request_and_others_cannot_read_it(
    settings: Settings, connect: Any, make_token: TokenFactory
) -> None:
    client, requests = _app(settings, connect, Pacer(Clock(), rate=2.0, burst=1), Clock())
    connect[1].add_client_error("start_outbound_voice_contact", "ThrottlingException", http_status_code=400)
    key = {"Idempotency-Key": "double-click-7"}
    first = post(client, make_token(), headers=key).get_json()
    again = post(client, make_token(), headers=key).get_json()
    assert again["contactId"] == first["contactId"] and requests.backlog(2_000.0) == 1
    stranger = make_token(sub="0ddba11-0000-4000-8000-000000000002")
    assert client.get(f"/connect/contact/{first['contactId']}", headers=_auth(stranger)).status_code == 404


def test_a_request_connect_refuses_for_good_ends_failed_with_the_reason_once(
    settings: Settings, connect: Any, make_token: TokenFactory
) -> None:
    wall = Clock()
    client, requests = _app(settings, connect, Pacer(Clock(), rate=2.0, burst=1), wall)
    connect[1].add_client_error("start_outbound_voice_contact", "ThrottlingException", http_status_code=400)
    request_id = post(client, make_token()).get_json()["contactId"]
    connect[1].add_client_error(
        "start_outbound_voice_contact",
        "DestinationNotAllowedException",
        service_message="number not allowed",
        http_status_code=403,
    )
    (request,) = requests.due(wall.now, 10)
    assert place(connect[0], requests, request, wall.now) is Outcome.FAILED
    assert requests.due(wall.now, 10) == []  # never tried again
    status = client.get(f"/connect/contact/{request_id}", headers=_auth(make_token())).get_json()
    assert status["state"] == "failed"
    assert status["failureReason"] == "DestinationNotAllowedException: number not allowed"


class _Hours:
    """The hours the API reads for the department (HoursService's view)."""

    def __init__(self, is_open: bool, next_open: str | None) -> None:
        self.view = {"isOpen": is_open, "nextOpen": next_open}

    def describe(self, hours_id: str) -> dict[str, Any]:
        assert hours_id == "hours-support"
        return self.view


def _closed_app(
    settings: Settings, connect: Any, hours: _Hours, wall: Clock
) -> tuple[CheckedClient, SqliteCallRequests]:
    settings = replace(settings, department_hours={"support": "hours-support"})
    requests = SqliteCallRequests(str(settings.sqlite_path))
    intake = CallIntake(connect[0], requests, Pacer(Clock(), rate=2.0, burst=5), wall_clock=wall)
    app = create_app(
        settings,
        connect_client=connect[0],
        call_intake=intake,
        hours_service=hours,  # type: ignore[arg-type]
        rate_limiter=CallRateLimiter(100, 600),
    )
    return CheckedClient(app.test_client()), requests


def test_a_call_to_a_closed_department_is_refused_with_when_it_opens(
    settings: Settings, connect: Any, make_token: TokenFactory
) -> None:
    client, requests = _closed_app(settings, connect, _Hours(False, "2026-01-12T08:00:00-05:00"), Clock())
    answer = post(client, make_token())  # nothing is stubbed: Connect must not be called
    assert answer.status_code == 409
    problem = answer.get_json()
    assert problem["type"].endswith("/department-closed") and problem["field"] == "attributes.department"
    assert problem["nextOpen"] == "2026-01-12T08:00:00-05:00"
    assert requests.backlog(10**10) == 0


def test_call_when_open_waits_for_the_opening_and_is_placed_then(
    settings: Settings, connect: Any, make_token: TokenFactory
) -> None:
    wall = Clock()
    opening = 1_768_222_800.0  # 2026-01-12T13:00:00Z, Monday 8:00 in New York
    client, requests = _closed_app(settings, connect, _Hours(False, "2026-01-12T08:00:00-05:00"), wall)
    body = {**BODY, "callWhenOpen": True}
    answer = client.post("/connect/contact", json=body, headers=_auth(make_token()))
    assert answer.status_code == 202
    accepted = answer.get_json()
    assert accepted["state"] == "scheduled" and accepted["estimatedCallAt"] == "2026-01-12T13:00:00+00:00"
    assert "positionInQueue" not in accepted  # not in today's line
    assert requests.due(wall.now, 10) == []  # not before the opening ...
    connect[1].add_response("start_outbound_voice_contact", {"ContactId": "contact-open"}, {**ANY_START})
    (due,) = requests.due(opening, 10)  # ... and then it is
    assert place(connect[0], requests, due, opening) is Outcome.PLACED
    bad = client.post("/connect/contact", json={**BODY, "callWhenOpen": "yes"}, headers=_auth(make_token()))
    assert (bad.status_code, bad.get_json()["field"]) == (400, "callWhenOpen")


def test_an_open_department_or_one_without_hours_is_called_at_once(
    settings: Settings, connect: Any, make_token: TokenFactory
) -> None:
    client, _ = _closed_app(settings, connect, _Hours(True, None), Clock())
    connect[1].add_response("start_outbound_voice_contact", {"ContactId": "contact-now"}, {**ANY_START})
    assert post(client, make_token()).get_json() == {"contactId": "contact-now"}


def test_a_waiting_requests_key_reused_with_another_body_is_409_in_any_container(
    settings: Settings, connect: Any, make_token: TokenFactory
) -> None:
    # The request waits with its fingerprint in the (shared) table: another container, which has
    # never seen the key, still refuses its reuse with another body, and answers a true retry.
    pacer = Pacer(Clock(), rate=2.0, burst=5)
    first_container, _ = _app(settings, connect, pacer, Clock())
    connect[1].add_client_error("start_outbound_voice_contact", "ThrottlingException", http_status_code=400)
    key = {"Idempotency-Key": "click-3f2a9c1e"}
    waiting = post(first_container, make_token(), headers=key).get_json()
    assert waiting["state"] == "scheduled"

    other_container, _ = _app(settings, connect, Pacer(Clock(), rate=2.0, burst=5), Clock())
    other_body = {**BODY, "attributes": {**BODY["attributes"], "issue": "billing"}}
    refused = post(other_container, make_token(), other_body, headers=key)  # no Connect call stubbed
    assert refused.status_code == 409
    assert refused.get_json()["type"].endswith("/idempotency-key-reused")
    retried = post(other_container, make_token(), headers=key).get_json()
    assert retried["contactId"] == waiting["contactId"]
