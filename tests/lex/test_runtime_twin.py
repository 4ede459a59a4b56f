"""The Lex V2 runtime twin, through an unmodified boto3 `lexv2-runtime` client against a real
local HTTP server: classification, slots, nluConfidence, session state, dialog actions, and the
fulfillment Lambda run as the code hook with the Lex V2 event."""

from __future__ import annotations

import base64
import gzip
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from werkzeug.serving import make_server

from local_connect.lex.app import create_backend, create_lex_app
from local_connect.lex.models import TEST_ALIAS_ID, LexBackend
from tests.lex.conftest import DEFINITIONS, at

NOW = "2026-01-07 10:00"  # a Wednesday morning: every department open


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, connect_twin: Any) -> Iterator[tuple[LexBackend, str]]:
    from scripts.seed import main as seed

    database = Path(tmp_path_factory.mktemp("lex")) / "jam.sqlite3"
    seed(["sqlite", "--sqlite-path", str(database)])
    clock = float(at(NOW))
    backend = create_backend(DEFINITIONS, str(database), connect_twin.url, clock=lambda: clock)
    server = make_server("127.0.0.1", 0, create_lex_app(backend), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield backend, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def lex(served: tuple[LexBackend, str]) -> Any:
    return boto3.client(
        "lexv2-runtime",
        endpoint_url=served[1],
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
        config=Config(retries={"max_attempts": 1}),
    )


@pytest.fixture
def ids(served: tuple[LexBackend, str]) -> dict[str, str]:
    return {"botId": served[0].bot_id, "botAliasId": TEST_ALIAS_ID}


def say(lex: Any, ids: dict[str, str], text: str, session: str, locale: str = "en_US", **extra: Any) -> Any:
    return lex.recognize_text(**ids, localeId=locale, sessionId=session, text=text, **extra)


def test_a_routing_request_closes_with_the_intent_and_its_queue(lex: Any, ids: dict[str, str]) -> None:
    reply = say(lex, ids, "my modem keeps blinking red and won't connect", "route-1")
    state = reply["sessionState"]
    assert state["dialogAction"]["type"] == "Close"
    assert state["intent"]["name"] == "SupportDevices" and state["intent"]["state"] == "Fulfilled"
    assert state["sessionAttributes"]["Queue"] == "SupportDevicesQueue"
    top = reply["interpretations"][0]
    assert top["intent"]["name"] == "SupportDevices" and 0.4 <= top["nluConfidence"]["score"] <= 1.0
    assert [i["nluConfidence"]["score"] for i in reply["interpretations"][1:]] == sorted(
        (i["nluConfidence"]["score"] for i in reply["interpretations"][1:]), reverse=True
    )


def test_spanish(lex: Any, ids: dict[str, str]) -> None:
    reply = say(lex, ids, "me llegó un cobro que no entiendo en la factura", "es-1", "es_US")
    assert reply["sessionState"]["intent"]["name"] == "AccountsBilling"
    assert reply["messages"][0]["content"] == "Gracias. Le comunico con Cuentas, facturación."


def test_a_missing_required_slot_is_elicited_then_filled(lex: Any, ids: dict[str, str]) -> None:
    first = say(lex, ids, "what are your hours", "slot-1")
    assert first["sessionState"]["dialogAction"] == {"type": "ElicitSlot", "slotToElicit": "Department"}
    assert first["messages"][0]["content"] == "Which department: Sales, Accounts or Support?"
    assert first["sessionState"]["intent"]["name"] == "OpeningHours"
    second = say(lex, ids, "tech suport please", "slot-1")  # a typo still resolves
    assert second["sessionState"]["dialogAction"]["type"] == "ElicitIntent"
    assert second["messages"][0]["content"] == "Support is open now, until 11:00 PM Eastern time."
    assert second["messages"][1]["content"] == "Is there anything else I can help you with?"


def test_slots_are_resolved_from_the_utterance(lex: Any, ids: dict[str, str]) -> None:
    reply = say(lex, ids, "is the billing department open on saturday", "slot-2")
    assert reply["messages"][0]["content"] == "Accounts is closed on Saturday."
    slots = reply["interpretations"][0]["intent"]["slots"]
    assert set(slots) == {"Department", "Day"}


def test_the_session_carries_the_conversation(lex: Any, ids: dict[str, str]) -> None:
    answer = say(lex, ids, "how do I restart my router", "kb-1")
    assert answer["messages"][0]["content"].startswith("To restart your router")
    assert answer["sessionState"]["dialogAction"]["type"] == "ElicitIntent"
    session = lex.get_session(**ids, localeId="en_US", sessionId="kb-1")
    assert session["sessionState"]["sessionAttributes"]["Awaiting"] == "offer_agent"
    agent = say(lex, ids, "yes please", "kb-1")
    assert agent["sessionState"]["intent"]["name"] == "SpeakToAgent"
    assert agent["sessionState"]["sessionAttributes"]["Queue"] == "SupportTechnicalQueue"


def test_off_topic_asks_once_then_falls_back(lex: Any, ids: dict[str, str]) -> None:
    first = say(lex, ids, "what's a good recipe for lasagna", "fb-1")
    assert first["interpretations"][0]["intent"]["name"] == "FallbackIntent"
    assert "nluConfidence" not in first["interpretations"][0]
    assert first["sessionState"]["dialogAction"]["type"] == "ElicitIntent"
    second = say(lex, ids, "sing me something", "fb-1")
    assert second["sessionState"]["dialogAction"]["type"] == "Close"
    assert second["sessionState"]["intent"] == {
        "name": "FallbackIntent",
        "slots": {},
        "state": "Failed",
        "confirmationState": "None",
    }


def test_account_status_uses_the_session_attributes_the_caller_cannot_skip(
    lex: Any, ids: dict[str, str]
) -> None:
    unverified = say(
        lex,
        ids,
        "what is my balance",
        "acct-1",
        sessionState={"sessionAttributes": {"PhoneNumber": "+12025550100"}},
    )
    assert unverified["sessionState"]["intent"]["state"] == "Failed"
    assert "42.50" not in json.dumps(unverified)
    verified = say(
        lex, ids, "what is my balance", "acct-2",
        sessionState={"sessionAttributes": {"PhoneNumber": "+12025550100", "Verified": "true"}},
    )  # fmt: skip
    assert verified["messages"][0]["content"].startswith("Your balance is 42.50 dollars, due on December 15.")


def test_put_and_delete_session(lex: Any, ids: dict[str, str]) -> None:
    lex.put_session(
        **ids, localeId="en_US", sessionId="put-1", sessionState={"sessionAttributes": {"Verified": "true"}}
    )
    assert lex.get_session(**ids, localeId="en_US", sessionId="put-1")["sessionState"][
        "sessionAttributes"
    ] == {"Verified": "true"}
    lex.delete_session(**ids, localeId="en_US", sessionId="put-1")
    with pytest.raises(lex.exceptions.ResourceNotFoundException):
        lex.get_session(**ids, localeId="en_US", sessionId="put-1")


def test_errors_are_lexs(lex: Any, ids: dict[str, str]) -> None:
    with pytest.raises(lex.exceptions.ResourceNotFoundException):
        lex.recognize_text(
            botId="NOSUCHBOT0", botAliasId=TEST_ALIAS_ID, localeId="en_US", sessionId="e-1", text="hi"
        )
    with pytest.raises(lex.exceptions.ResourceNotFoundException):
        say(lex, ids, "hello", "e-2", "fr_FR")
    with pytest.raises(lex.exceptions.ValidationException):
        say(lex, ids, "x" * 1025, "e-3")


def test_a_failing_code_hook_is_dependency_failed(
    served: tuple[LexBackend, str], lex: Any, ids: dict[str, str]
) -> None:
    backend = served[0]
    real = backend.code_hook

    def broken(event: dict[str, Any]) -> Any:
        return {"sessionState": {}}  # not a Lex V2 response

    backend.code_hook = broken
    try:
        with pytest.raises(lex.exceptions.DependencyFailedException):
            say(lex, ids, "I want to upgrade my plan", "dep-1")
    finally:
        backend.code_hook = real


def test_recognize_utterance_with_typed_text(lex: Any, ids: dict[str, str]) -> None:
    state = base64.b64encode(
        gzip.compress(json.dumps({"sessionAttributes": {"Channel": "VOICE"}}).encode())
    ).decode()
    reply = lex.recognize_utterance(
        **ids, localeId="en_US", sessionId="utt-1", requestContentType="text/plain; charset=utf-8",
        inputStream=b"I need to change my mailing address", sessionState=state,
    )  # fmt: skip
    decode = lambda value: json.loads(gzip.decompress(base64.b64decode(value)))  # noqa: E731
    assert decode(reply["sessionState"])["intent"]["name"] == "AccountsProfile"
    assert decode(reply["sessionState"])["sessionAttributes"]["Channel"] == "VOICE"
    assert decode(reply["inputTranscript"]) == "I need to change my mailing address"
    assert decode(reply["interpretations"])[0]["nluConfidence"]["score"] > 0.4
    assert reply["inputMode"] == "Text"


def test_the_code_hook_gets_the_lex_v2_event(
    served: tuple[LexBackend, str], lex: Any, ids: dict[str, str]
) -> None:
    backend = served[0]
    real = backend.code_hook
    seen: list[dict[str, Any]] = []

    def spy(event: dict[str, Any]) -> Any:
        seen.append(event)
        return real(event)

    backend.code_hook = spy
    try:
        say(
            lex,
            ids,
            "I'd like to sign up for internet",
            "ev-1",
            requestAttributes={"x-amz-lex:channels:platform": "Connect"},
        )
    finally:
        backend.code_hook = real
    assert [e["invocationSource"] for e in seen] == ["DialogCodeHook", "FulfillmentCodeHook"]
    event = seen[0]
    assert event["messageVersion"] == "1.0" and event["inputMode"] == "Text"
    assert event["inputTranscript"] == "I'd like to sign up for internet"
    assert event["bot"]["localeId"] == "en_US" and event["bot"]["aliasId"] == TEST_ALIAS_ID
    assert event["sessionState"]["intent"]["name"] == "SalesNewOrders"
    assert isinstance(event["interpretations"][0]["nluConfidence"], float)
    assert event["requestAttributes"] == {"x-amz-lex:channels:platform": "Connect"}
