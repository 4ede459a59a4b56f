"""Click-to-call requests that must not place a call: a reused Idempotency-Key with another body,
numbers a contact center should not dial (premium rate, toll free... and our own), extra fields."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.stub import ANY
from jam_api import create_app
from jam_api.config import ConfigError, Settings
from jam_api.contact.idempotency import IdempotencyStore, client_token
from jam_api.problems import Problem

from tests.api.conftest import CheckedClient, TokenFactory
from tests.api.test_contact import BODY, expect_start, post

SUBJECT = "c0ffee00-0000-4000-8000-000000000001"
PREMIUM = "+19002345678"  # US 900: premium rate
TOLL_FREE = "+18002345678"  # US 800: toll free
UK_PREMIUM = "+448712345678"  # UK 0871: premium rate


def kind(response: Any) -> str:
    assert response.mimetype == "application/problem+json"
    return str(response.get_json()["type"].rsplit("/", 1)[-1])


def test_same_key_with_another_body_is_409_before_any_connect_call(
    client: CheckedClient, connect: Any, make_token: TokenFactory
) -> None:
    key = {"Idempotency-Key": "click-3f2a9c1e"}
    expect_start(connect[1], ClientToken=client_token(SUBJECT, key["Idempotency-Key"]))
    assert post(client, make_token(), headers=key).status_code == 202
    other = {**BODY, "attributes": {**BODY["attributes"], "issue": "billing"}}
    refused = post(client, make_token(), other, headers=key)  # the Stubber has no second answer
    assert refused.status_code == 409
    assert kind(refused) == "idempotency-key-reused"
    assert refused.get_json()["field"] == "Idempotency-Key"
    assert "different request" in refused.get_json()["detail"]
    assert "Retry-After" not in refused.headers  # retrying cannot succeed


def test_same_key_with_the_same_body_stays_idempotent(
    client: CheckedClient, connect: Any, make_token: TokenFactory
) -> None:
    key = {"Idempotency-Key": "click-3f2a9c1e"}
    expect_start(connect[1], ClientToken=client_token(SUBJECT, key["Idempotency-Key"]))
    expect_start(connect[1], ClientToken=client_token(SUBJECT, key["Idempotency-Key"]))
    # The same request, spelled differently (national format, attributes reordered): same fingerprint.
    respelled = {
        **BODY,
        "destinationPhoneNumber": "(212) 555-0100",
        "attributes": dict(reversed(list(BODY["attributes"].items()))),
    }
    assert post(client, make_token(), headers=key).get_json() == {"contactId": "contact-1"}
    assert post(client, make_token(), respelled, headers=key).get_json() == {"contactId": "contact-1"}


def test_another_customer_may_use_the_same_key(
    client: CheckedClient, connect: Any, make_token: TokenFactory
) -> None:
    key = {"Idempotency-Key": "click-3f2a9c1e"}
    expect_start(connect[1], ClientToken=ANY)
    assert post(client, make_token(), headers=key).status_code == 202
    other_sub = "c0ffee00-0000-4000-8000-000000000002"
    expect_start(
        connect[1],
        ClientToken=client_token(other_sub, key["Idempotency-Key"]),
        DestinationPhoneNumber="+12125550101",
        Attributes={
            **BODY["attributes"],
            "Verified": "true",
            "CustomerId": other_sub,
            "CustomerName": "Maria Garcia",
        },
    )
    other = make_token(sub=other_sub, phone_number="+12125550101")
    assert (
        post(client, other, {**BODY, "destinationPhoneNumber": "+12125550101"}, headers=key).status_code
        == 202
    )


def test_connects_idempotency_exception_is_409_not_502(
    client: CheckedClient, connect: Any, make_token: TokenFactory
) -> None:
    # Another container placed the first call: this one has no fingerprint, Connect has the token.
    connect[1].add_client_error("start_outbound_voice_contact", "IdempotencyException", http_status_code=409)
    response = post(client, make_token(), headers={"Idempotency-Key": "click-3f2a9c1e"})
    assert (response.status_code, kind(response)) == (409, "idempotency-key-reused")
    assert "Retry-After" not in response.headers


def test_the_per_container_store_forgets_old_keys_and_is_bounded() -> None:
    now = [0.0]
    store = IdempotencyStore(ttl=60, max_keys=2, clock=lambda: now[0])
    store.check("a", "key-00001", "f2")  # nothing accepted yet: any request may use the key
    store.remember("a", "key-00001", "f1")
    store.check("a", "key-00001", "f1")
    with pytest.raises(Problem, match="different request"):
        store.check("a", "key-00001", "f2")
    now[0] = 61.0
    store.check("a", "key-00001", "f2")  # expired here; Connect still guards it for 7 days
    store.remember("a", "key-00002", "f1")
    store.remember("a", "key-00003", "f1")
    store.remember("a", "key-00004", "f1")  # evicts the oldest
    store.check("a", "key-00002", "f3")


def test_a_refused_request_does_not_bind_the_key(
    client: CheckedClient, connect: Any, make_token: TokenFactory
) -> None:
    key = {"Idempotency-Key": "click-3f2a9c1e"}
    connect[1].add_client_error(
        "start_outbound_voice_contact", "InternalServiceException", http_status_code=500
    )
    assert (
        post(client, make_token(), {**BODY, "attributes": {"issue": "billing"}}, headers=key).status_code
        == 502
    )
    expect_start(connect[1], ClientToken=client_token(SUBJECT, key["Idempotency-Key"]))
    assert post(client, make_token(), headers=key).status_code == 202


@pytest.mark.parametrize(
    ("number", "type_name"),
    [(PREMIUM, "premium-rate"), (TOLL_FREE, "toll-free"), (UK_PREMIUM, "premium-rate")],
)
def test_a_verified_number_of_a_refused_type_is_422(
    settings: Settings, connect: Any, make_token: TokenFactory, number: str, type_name: str
) -> None:
    settings = Settings.from_env({**_env(settings), "ALLOWED_COUNTRIES": "US,GB"})
    client = CheckedClient(create_app(settings, connect_client=connect[0]).test_client())
    response = post(client, make_token(phone_number=number), {**BODY, "destinationPhoneNumber": number})
    assert response.status_code == 422
    assert response.get_json()["field"] == "destinationPhoneNumber"
    assert type_name in response.get_json()["detail"]


def test_staff_who_may_dial_any_number_still_cannot_dial_premium_rate(
    settings: Settings, connect: Any, make_token: TokenFactory
) -> None:
    settings = Settings.from_env({**_env(settings), "STAFF_MAY_DIAL_ANY_NUMBER": "true"})
    client = CheckedClient(create_app(settings, connect_client=connect[0]).test_client())
    staff = make_token(**{"cognito:groups": ["supervisor"]})
    response = post(client, staff, {**BODY, "destinationPhoneNumber": PREMIUM})
    assert (response.status_code, response.get_json()["field"]) == (422, "destinationPhoneNumber")


@pytest.mark.parametrize("setting", ["SOURCE_PHONE_NUMBER", "OWN_PHONE_NUMBERS"])
def test_our_own_numbers_are_refused(
    settings: Settings, connect: Any, make_token: TokenFactory, setting: str
) -> None:
    own = "+12125550100"  # the customer's verified number is also one of ours
    settings = Settings.from_env({**_env(settings), setting: own})
    client = CheckedClient(create_app(settings, connect_client=connect[0]).test_client())
    response = post(client, make_token())
    assert (response.status_code, response.get_json()["field"]) == (422, "destinationPhoneNumber")
    assert "own numbers" in response.get_json()["detail"]


def test_refused_number_types_are_configurable(
    settings: Settings, connect: Any, make_token: TokenFactory
) -> None:
    settings = Settings.from_env({**_env(settings), "REFUSED_NUMBER_TYPES": "premium_rate"})
    client = CheckedClient(create_app(settings, connect_client=connect[0]).test_client())
    expect_start(
        connect[1],
        DestinationPhoneNumber=TOLL_FREE,
        Attributes={
            **BODY["attributes"],
            "Verified": "true",
            "CustomerId": SUBJECT,
            "CustomerName": "Maria Garcia",
        },
    )
    tf = post(client, make_token(phone_number=TOLL_FREE), {**BODY, "destinationPhoneNumber": TOLL_FREE})
    assert tf.status_code == 202
    with pytest.raises(ConfigError, match="REFUSED_NUMBER_TYPES"):
        Settings.from_env({**_env(settings), "REFUSED_NUMBER_TYPES": "premium"})


def test_the_default_refuses_the_documented_types() -> None:
    assert set(Settings.from_env({}).refused_number_types) == {
        "PREMIUM_RATE",
        "TOLL_FREE",
        "SHARED_COST",
        "UAN",
        "VOICEMAIL",
        "PAGER",
        "PERSONAL_NUMBER",
    }


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**BODY, "extra": "x"}, "extra"),
        ({**BODY, "attributes": None}, "attributes"),
        ({**BODY, "destinationPhoneNumber": ""}, "destinationPhoneNumber"),
        ({**BODY, "contactFlowId": ""}, "contactFlowId"),
    ],
)
def test_bodies_the_schema_forbids_are_400(
    client: CheckedClient, make_token: TokenFactory, body: dict[str, Any], field: str
) -> None:
    response = post(client, make_token(), body)
    assert (response.status_code, response.get_json()["field"]) == (400, field)


def _env(settings: Settings) -> dict[str, str]:
    """The environment the conftest settings were read from."""
    return {
        "CONNECT_INSTANCE_ID": settings.connect_instance_id,
        "COGNITO_ISSUER": settings.cognito_issuer,
        "COGNITO_CLIENT_IDS": ",".join(settings.cognito_client_ids),
        "ALLOWED_CONTACT_FLOW_IDS": ",".join(settings.allowed_contact_flow_ids),
        "ALLOWED_ORIGINS": ",".join(settings.allowed_origins),
        "OUTBOUND_QUEUE_ID": settings.outbound_queue_id or "",
        "AWS_REGION": settings.region,
    }
