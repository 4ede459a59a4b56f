"""The one-time code Lambda: a code by SMS to the number calling, checked once, briefly, thrice at most."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from botocore.stub import ANY, Stubber
from otp_verification import sms
from otp_verification.handler import lambda_handler as otp

from jam_core.connect_lambda.settings import Settings
from jam_core.tables import repositories
from jam_core.tables.sms_outbox import SqliteSmsOutbox
from tests.lambdas.conftest import SAMPLE_EVENT, connect_event

CALLER = SAMPLE_EVENT["Details"]["ContactData"]["CustomerEndpoint"]["Address"]  # +12025550100
SENDER = "arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-0123456789abcdef"
NOW = 1_800_000_000.0


def send(language: str = "en-US") -> dict[str, Any]:
    return dict(otp(connect_event({"Action": "send", "LanguageCode": language})))


def verify(code: str) -> dict[str, Any]:
    return dict(otp(connect_event({"Action": "verify", "Code": code})))


def texted(sqlite_path: Path) -> list[str]:
    return [m.body for m in SqliteSmsOutbox(str(sqlite_path)).messages(CALLER)]


def code_in(text: str) -> str:
    match = re.search(r"\b(\d{6})\b", text)
    assert match, text
    return match.group(1)


@pytest.fixture
def clock(sqlite_env: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The local runtime's clock (LOCAL_CONNECT_NOW), which the test moves."""

    def at(seconds: float) -> None:
        monkeypatch.setenv("LOCAL_CONNECT_NOW", repr(NOW + seconds))

    at(0)
    return at


def test_a_code_is_texted_to_the_caller_and_verifies_once(sqlite_env: Path, clock: Any) -> None:
    assert send() == {"sent": "true"}
    [text] = texted(sqlite_env)
    assert re.fullmatch(r"Your JAM code is \d{6}\. It expires in 5 minutes\.", text)
    record = repositories.otp_codes(Settings.from_env()).get(CALLER)
    assert record is not None and code_in(text) not in record.code.digest  # only the keyed hash
    assert verify(code_in(text)) == {
        "verified": "true",
        "expired": "false",
        "locked": "false",
        "attemptsRemaining": "3",
    }
    assert verify(code_in(text))["verified"] == "false"  # used: a code works once


def test_the_text_is_in_the_callers_language(sqlite_env: Path, clock: Any) -> None:
    send("es-US")
    [text] = texted(sqlite_env)
    assert text.startswith("Su código de JAM es ") and "5 minutos" in text


def test_wrong_codes_count_and_the_third_locks(sqlite_env: Path, clock: Any) -> None:
    send()
    code = code_in(texted(sqlite_env)[0])
    wrong = "000000" if code != "000000" else "111111"
    assert [verify(wrong)["attemptsRemaining"] for _ in range(2)] == ["2", "1"]
    assert verify("12ab") == {
        "verified": "false",
        "expired": "false",
        "locked": "true",
        "attemptsRemaining": "0",
    }
    assert verify(code)["locked"] == "true"  # even the right code, once locked
    send()  # a new code starts again
    assert verify(code_in(texted(sqlite_env)[-1]))["verified"] == "true"


def test_a_code_expires_after_five_minutes(sqlite_env: Path, clock: Any) -> None:
    send()
    code = code_in(texted(sqlite_env)[0])
    clock(300)
    assert verify(code) == {
        "verified": "false",
        "expired": "true",
        "locked": "false",
        "attemptsRemaining": "0",
    }


def test_no_code_sent_verifies_nothing(sqlite_env: Path, clock: Any) -> None:
    assert verify("123456") == {
        "verified": "false",
        "expired": "false",
        "locked": "false",
        "attemptsRemaining": "0",
        "error": "no_code",
    }


@pytest.mark.parametrize(
    ("parameters", "error"),
    [({"Action": "call"}, "unknown_action"), ({}, "unknown_action")],
)
def test_bad_requests_answer_the_fallback(sqlite_env: Path, parameters: dict[str, str], error: str) -> None:
    assert otp(connect_event(parameters)) == {"sent": "false", "verified": "false", "error": error}


def test_no_number_answers_the_fallback(sqlite_env: Path) -> None:
    event = connect_event(
        {"Action": "send"}, CustomerEndpoint={"Address": "anonymous", "Type": "TELEPHONE_NUMBER"}
    )
    assert otp(event) == {"sent": "false", "verified": "false", "error": "no_phone_number"}
    assert texted(sqlite_env) == []


def test_on_aws_the_code_goes_through_end_user_messaging(
    dynamodb_env: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMS_ORIGINATION_IDENTITY", SENDER)
    client = sms._client.get()
    bodies: list[str] = []
    client.meta.events.register(
        "before-parameter-build.pinpoint-sms-voice-v2",
        lambda params, **_: bodies.append(params["MessageBody"]),
    )
    expected = {
        "DestinationPhoneNumber": CALLER,
        "OriginationIdentity": SENDER,
        "MessageBody": ANY,
        "MessageType": "TRANSACTIONAL",
    }
    with Stubber(client) as stub:
        stub.add_response("send_text_message", {"MessageId": "m-1"}, expected)
        assert send() == {"sent": "true"}
        stub.add_client_error("send_text_message", "ValidationException", expected_params=expected)
        assert send() == {"sent": "false", "verified": "false", "error": "otp_failed"}
    assert verify(code_in(bodies[0]))["verified"] == "false"  # the second code replaced the first
    assert verify(code_in(bodies[1]))["verified"] == "true"  # stored before the text failed


def test_on_aws_without_a_sender_nothing_is_sent(dynamodb_env: Any) -> None:
    assert send() == {"sent": "false", "verified": "false", "error": "otp_failed"}
