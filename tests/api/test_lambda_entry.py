"""The Lambda entry: REST API (v1) proxy events through aws-wsgi into the same Flask app."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from botocore.stub import Stubber
from jam_api import create_app, lambda_entry
from jam_api.config import Settings

from tests.api.conftest import CUSTOMER_PHONE, FLOW_ID, TokenFactory
from tests.api.test_hours import stub_fetch, stub_listing

EVENT = json.loads((Path(__file__).parent / "events" / "apigateway-aws-proxy.json").read_text())


@pytest.fixture
def entry(settings: Settings, connect: tuple[Any, Stubber], monkeypatch: pytest.MonkeyPatch) -> Stubber:
    monkeypatch.setattr(lambda_entry, "_app", create_app(settings, connect_client=connect[0]))
    return connect[1]


def test_rest_event_reaches_the_hours_route(entry: Stubber) -> None:
    stub_listing(entry)
    stub_fetch(entry)
    response = lambda_entry.handler(copy.deepcopy(EVENT), None)
    assert response["statusCode"] == "200"
    assert json.loads(response["body"])["name"] == "Sales Hours"


def test_cors_header_for_the_site_origin(entry: Stubber) -> None:
    stub_listing(entry)
    stub_fetch(entry)
    response = lambda_entry.handler(copy.deepcopy(EVENT), None)
    assert response["headers"]["Access-Control-Allow-Origin"] == "https://site.example.com"


def test_authorizer_claims_alone_do_not_authenticate(entry: Stubber) -> None:
    """API Gateway's claims are not trusted on their own: the app verifies the token itself."""
    event = copy.deepcopy(EVENT)
    event.update(
        path="/connect/contact",
        body=json.dumps({"destinationPhoneNumber": CUSTOMER_PHONE, "contactFlowId": FLOW_ID}),
    )
    response = lambda_entry.handler(event, None)
    assert response["statusCode"] == "401"
    assert response["headers"]["Content-Type"] == "application/problem+json"
    assert json.loads(response["body"])["reason"] == "missing-token"


def test_contact_through_the_entry_with_a_verified_token(entry: Stubber, make_token: TokenFactory) -> None:
    event = copy.deepcopy(EVENT)
    event.update(
        path="/connect/contact",
        body=json.dumps({"destinationPhoneNumber": CUSTOMER_PHONE, "contactFlowId": FLOW_ID}),
    )
    event["headers"]["Authorization"] = f"Bearer {make_token()}"
    entry.add_response("start_outbound_voice_contact", {"ContactId": "c-42"})
    response = lambda_entry.handler(event, None)
    assert response["statusCode"] == "202"
    assert json.loads(response["body"]) == {"contactId": "c-42"}


def test_source_ip_comes_from_request_context_not_x_forwarded_for() -> None:
    assert lambda_entry.source_ip(EVENT) == "198.51.100.77"


def test_non_rest_event_is_refused_cleanly() -> None:
    response = lambda_entry.handler({"version": "2.0", "rawPath": "/connect/hours"}, None)
    assert response["statusCode"] == "400"
