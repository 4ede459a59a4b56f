"""POST /connect/contact: every click-to-call rule, with Connect stubbed by botocore's Stubber."""

from __future__ import annotations

import hashlib
import time
from typing import Any

import pytest
from botocore.stub import ANY, Stubber
from cryptography.hazmat.primitives.asymmetric import rsa
from jam_api import create_app
from jam_api.auth import LEEWAY_SECONDS
from jam_api.config import Settings
from jam_api.contact.rate_limit import CallRateLimiter

from tests.api.conftest import CUSTOMER_PHONE, FLOW_ID, INSTANCE_ID, QUEUE_ID, CheckedClient, TokenFactory

BODY: dict[str, Any] = {
    "destinationPhoneNumber": CUSTOMER_PHONE,
    "contactFlowId": FLOW_ID,
    "attributes": {"department": "support", "issue": "technical", "language": "es-US", "note": "router"},
}


def expect_start(stubber: Stubber, contact_id: str = "contact-1", **overrides: Any) -> None:
    expected = {
        "InstanceId": INSTANCE_ID,
        "ContactFlowId": FLOW_ID,
        "DestinationPhoneNumber": CUSTOMER_PHONE,
        "QueueId": QUEUE_ID,
        "Attributes": {
            "department": "support",
            "issue": "technical",
            "language": "es-US",
            "note": "router",
            "Verified": "true",
            "CustomerId": "c0ffee00-0000-4000-8000-000000000001",
            "CustomerName": "Maria Garcia",
        },
        **overrides,
    }
    stubber.add_response("start_outbound_voice_contact", {"ContactId": contact_id}, expected)


def post(
    client: CheckedClient,
    token: str | None,
    body: dict[str, Any] = BODY,
    headers: dict[str, str] | None = None,
) -> Any:
    headers = dict(headers or {})
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return client.post("/connect/contact", json=body, headers=headers)


def test_places_the_call_with_trusted_attributes_added(
    client: CheckedClient, connect: Any, make_token: TokenFactory
) -> None:
    expect_start(connect[1])
    response = post(client, make_token())
    assert response.status_code == 202
    assert response.get_json() == {"contactId": "contact-1"}


def test_number_is_normalised_to_e164_before_comparing(
    client: CheckedClient, connect: Any, make_token: TokenFactory
) -> None:
    expect_start(connect[1])
    response = post(client, make_token(), {**BODY, "destinationPhoneNumber": "(212) 555-0100"})
    assert response.status_code == 202


def refused_because(response: Any) -> str:
    """The reason of a 401, after checking it is one (with its WWW-Authenticate challenge)."""
    assert response.status_code == 401, response.get_json()
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    return str(response.get_json()["reason"])


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"exp": 1}, "expired"),
        # Expired by a few seconds more than the leeway: a leeway raised to minutes would accept it.
        ({"exp": int(time.time()) - LEEWAY_SECONDS - 5, "iat": int(time.time()) - 3600}, "expired"),
        ({"iss": "https://cognito-idp.us-east-1.amazonaws.com/other"}, "wrong-issuer"),
        ({"aud": "another-client"}, "wrong-client"),
        ({"token_use": "access", "client_id": "local-web-client", "aud": None}, "token-use"),
        ({"token_use": None}, "missing-claim"),
        ({"nbf": 4102444800}, "not-yet-valid"),
        ({"iat": 4102444800}, "not-yet-valid"),  # issued in the future
    ],
)
def test_tokens_are_fully_verified(
    client: CheckedClient, make_token: TokenFactory, claims: dict[str, Any], reason: str
) -> None:
    assert refused_because(post(client, make_token(**claims))) == reason


def test_a_token_inside_the_leeway_is_still_accepted(
    client: CheckedClient, connect: Any, make_token: TokenFactory
) -> None:
    # The other side of the leeway test above: a leeway of 0 would refuse this one.
    expect_start(connect[1])
    token = make_token(exp=int(time.time()) - LEEWAY_SECONDS + 2, iat=int(time.time()) - 3600)
    assert post(client, token).status_code == 202


@pytest.mark.parametrize(
    ("claim", "value"),
    [
        ("phone_number", 12125550100),
        ("phone_number", ["+12125550100"]),
        ("phone_number_verified", "yes"),
        ("phone_number_verified", 1),
        ("sub", 42),
        ("sub", ""),
        ("name", {"first": "Maria"}),
        ("email", False),
        ("cognito:username", 7),
        ("cognito:groups", "supervisor"),
        ("cognito:groups", [1, 2]),
        ("auth_time", "yesterday"),
        ("aud", ["local-web-client"]),
    ],
)
def test_a_claim_of_the_wrong_type_is_401_never_500(
    client: CheckedClient, make_token: TokenFactory, claim: str, value: Any
) -> None:
    response = post(client, make_token(**{claim: value}))
    assert refused_because(response) == "claim-type"
    detail = response.get_json()["detail"]
    assert repr(claim) in detail or "Subject must be a string" in detail  # PyJWT checks `sub` itself


def test_phone_number_verified_as_the_string_false_is_not_verified(
    client: CheckedClient, make_token: TokenFactory
) -> None:
    # A mutation reading any non-empty string as true would place this call.
    response = post(client, make_token(phone_number_verified="false"))
    assert response.status_code == 403
    assert response.get_json()["type"].endswith("/phone-not-verified")


def test_phone_number_verified_as_the_string_true_is_verified(
    client: CheckedClient, connect: Any, make_token: TokenFactory
) -> None:
    expect_start(connect[1])
    assert post(client, make_token(phone_number_verified="true")).status_code == 202


def test_token_signed_by_another_key_is_refused(client: CheckedClient, make_token: TokenFactory) -> None:
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert refused_because(post(client, make_token(key=stranger))) == "bad-signature"


def test_token_with_an_unknown_key_id_is_refused(client: CheckedClient, make_token: TokenFactory) -> None:
    assert refused_because(post(client, make_token(kid="not-a-published-key"))) == "unknown-key"


def test_hs256_token_is_refused(client: CheckedClient, make_token: TokenFactory) -> None:
    token = make_token(key="a-shared-secret-that-is-long-enough-32b", algorithm="HS256")
    assert refused_because(post(client, token)) == "wrong-algorithm"


def test_garbage_token_is_refused(client: CheckedClient) -> None:
    assert refused_because(post(client, "not.a.jwt")) == "malformed"


def test_missing_token_is_401(client: CheckedClient) -> None:
    assert refused_because(post(client, None)) == "missing-token"


def test_someone_elses_number_is_refused(client: CheckedClient, make_token: TokenFactory) -> None:
    response = post(client, make_token(), {**BODY, "destinationPhoneNumber": "+12125550199"})
    assert response.status_code == 403
    assert response.get_json()["field"] == "destinationPhoneNumber"


def test_unverified_number_is_refused(client: CheckedClient, make_token: TokenFactory) -> None:
    response = post(client, make_token(phone_number_verified=False))
    assert response.status_code == 403
    assert response.get_json()["type"].endswith("phone-not-verified")


def test_country_outside_allowlist_is_refused(client: CheckedClient, make_token: TokenFactory) -> None:
    response = post(
        client, make_token(phone_number="+442079460000"), {**BODY, "destinationPhoneNumber": "+442079460000"}
    )
    assert response.status_code == 403
    assert response.get_json()["type"].endswith("country-not-allowed")


def test_invalid_number_is_422(client: CheckedClient, make_token: TokenFactory) -> None:
    response = post(client, make_token(), {**BODY, "destinationPhoneNumber": "call me maybe"})
    assert response.status_code == 422
    assert response.get_json()["field"] == "destinationPhoneNumber"


def test_staff_may_dial_any_number_only_when_switched_on(
    settings: Settings, connect: Any, make_token: TokenFactory
) -> None:
    supervisor = make_token(**{"cognito:groups": ["supervisor"]})
    other = {**BODY, "destinationPhoneNumber": "+12125550199"}
    off = CheckedClient(create_app(settings, connect_client=connect[0]).test_client())
    assert post(off, supervisor, other).status_code == 403
    on_settings = Settings(**{**settings.__dict__, "staff_may_dial_any_number": True})
    on = CheckedClient(create_app(on_settings, connect_client=connect[0]).test_client())
    expect_start(connect[1], DestinationPhoneNumber="+12125550199")
    assert post(on, supervisor, other).status_code == 202


def test_flow_outside_allowlist_is_refused(client: CheckedClient, make_token: TokenFactory) -> None:
    response = post(client, make_token(), {**BODY, "contactFlowId": "inbound-flow-id"})
    assert response.status_code == 422
    assert response.get_json()["field"] == "contactFlowId"


@pytest.mark.parametrize("key", ["Verified", "VIP", "customerId", "CustomerName"])
def test_client_cannot_set_trusted_attributes(
    client: CheckedClient, make_token: TokenFactory, key: str
) -> None:
    response = post(client, make_token(), {**BODY, "attributes": {**BODY["attributes"], key: "true"}})
    assert response.status_code == 403
    assert response.get_json()["field"] == f"attributes.{key}"


@pytest.mark.parametrize(
    ("attributes", "status", "field"),
    [
        ({"priority": "1"}, 422, "attributes.priority"),
        ({"note": "x" * 501}, 422, "attributes.note"),
        ({"issue": 7}, 400, "attributes.issue"),
        ({"language": "fr-FR"}, 422, "attributes.language"),
        ("department=sales", 400, "attributes"),
    ],
)
def test_attribute_rules(
    client: CheckedClient, make_token: TokenFactory, attributes: Any, status: int, field: str
) -> None:
    response = post(client, make_token(), {**BODY, "attributes": attributes})
    assert response.status_code == status
    assert response.get_json()["field"] == field


def test_missing_fields_are_400_naming_them(client: CheckedClient, make_token: TokenFactory) -> None:
    for field in ("destinationPhoneNumber", "contactFlowId"):
        body = {k: v for k, v in BODY.items() if k != field}
        response = post(client, make_token(), body)
        assert response.status_code == 400
        assert response.get_json()["field"] == field


def test_idempotency_key_becomes_a_customer_scoped_client_token(
    client: CheckedClient, connect: Any, make_token: TokenFactory
) -> None:
    key = "click-3f2a9c1e"
    token = hashlib.sha256(f"c0ffee00-0000-4000-8000-000000000001:{key}".encode()).hexdigest()
    expect_start(connect[1], ClientToken=token)
    expect_start(connect[1], ClientToken=token)  # Connect answers a repeat with the same contact
    for _ in range(2):
        assert post(client, make_token(), headers={"Idempotency-Key": key}).get_json() == {
            "contactId": "contact-1"
        }


def test_bad_idempotency_key_is_400(client: CheckedClient, make_token: TokenFactory) -> None:
    response = post(client, make_token(), headers={"Idempotency-Key": "short"})
    assert response.status_code == 400
    assert response.get_json()["field"] == "Idempotency-Key"


def test_rate_limit_per_customer(settings: Settings, connect: Any, make_token: TokenFactory) -> None:
    now = [0.0]
    app = create_app(
        settings, connect_client=connect[0], rate_limiter=CallRateLimiter(3, 600, clock=lambda: now[0])
    )
    client = CheckedClient(app.test_client())
    for _ in range(3):
        expect_start(connect[1])
        assert post(client, make_token()).status_code == 202
    limited = post(client, make_token())
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) == 600
    # Another customer is not affected.
    other = make_token(sub="c0ffee00-0000-4000-8000-000000000002", phone_number="+12125550101")
    expect_start(
        connect[1],
        DestinationPhoneNumber="+12125550101",
        Attributes={
            **BODY["attributes"],
            "Verified": "true",
            "CustomerId": "c0ffee00-0000-4000-8000-000000000002",
            "CustomerName": "Maria Garcia",
        },
    )
    assert post(client, other, {**BODY, "destinationPhoneNumber": "+12125550101"}).status_code == 202
    now[0] = 601.0
    expect_start(connect[1])
    assert post(client, make_token()).status_code == 202


def test_repeated_idempotency_key_does_not_use_up_the_rate_limit(
    settings: Settings, connect: Any, make_token: TokenFactory
) -> None:
    app = create_app(settings, connect_client=connect[0], rate_limiter=CallRateLimiter(1, 600))
    client = CheckedClient(app.test_client())
    for _ in range(3):
        expect_start(connect[1], ClientToken=ANY)
        assert post(client, make_token(), headers={"Idempotency-Key": "double-click-1"}).status_code == 202


@pytest.mark.parametrize(
    ("code", "status", "retry_after"),
    [
        # ThrottlingException and LimitExceededException queue the request (test_call_queue.py).
        ("DestinationNotAllowedException", 403, False),
        ("OutboundContactNotPermittedException", 403, False),
        ("ResourceNotFoundException", 404, False),
        ("InternalServiceException", 502, True),
    ],
)
def test_connect_errors_map_to_actionable_answers(
    client: CheckedClient, connect: Any, make_token: TokenFactory, code: str, status: int, retry_after: bool
) -> None:
    connect[1].add_client_error("start_outbound_voice_contact", code, http_status_code=400)
    response = post(client, make_token())
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert ("Retry-After" in response.headers) == retry_after
    assert "Traceback" not in response.get_data(as_text=True)


def test_failed_call_gives_the_rate_limit_slot_back(
    settings: Settings, connect: Any, make_token: TokenFactory
) -> None:
    app = create_app(settings, connect_client=connect[0], rate_limiter=CallRateLimiter(1, 600))
    client = CheckedClient(app.test_client())
    connect[1].add_client_error(
        "start_outbound_voice_contact", "InternalServiceException", http_status_code=500
    )
    assert post(client, make_token()).status_code == 502
    expect_start(connect[1])
    assert post(client, make_token()).status_code == 202


def test_a_failed_retry_does_not_free_the_slot_of_the_call_it_retried(
    settings: Settings, connect: Any, make_token: TokenFactory
) -> None:
    app = create_app(settings, connect_client=connect[0], rate_limiter=CallRateLimiter(1, 600))
    client = CheckedClient(app.test_client())
    retry = {"Idempotency-Key": "double-click-1"}
    expect_start(connect[1], ClientToken=ANY)
    assert post(client, make_token(), headers=retry).status_code == 202  # the call is placed
    connect[1].add_client_error(
        "start_outbound_voice_contact", "InternalServiceException", http_status_code=500
    )
    assert post(client, make_token(), headers=retry).status_code == 502  # its retry fails
    refused = post(client, make_token())  # the placed call still counts
    assert (refused.status_code, refused.get_json()["type"].rsplit("/", 1)[-1]) == (429, "rate-limited")
