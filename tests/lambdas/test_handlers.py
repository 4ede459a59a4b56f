"""The four handlers on the sample Connect event, on both backends, through their Lambda entry points."""

from __future__ import annotations

import json
from typing import Any

import pytest
from customer_lookup.handler import lambda_handler as customer_lookup
from pin_verification.handler import lambda_handler as pin_verification
from prompts.handler import lambda_handler as prompts
from survey.handler import lambda_handler as survey

from jam_core.connect_lambda.responses import MAX_RESPONSE_BYTES
from jam_core.connect_lambda.settings import Settings
from jam_core.tables import pepper, repositories
from jam_core.tables.pin_hash import hash_pin
from tests.lambdas.conftest import SAMPLE_EVENT, connect_event

CALLER = SAMPLE_EVENT["Details"]["ContactData"]["CustomerEndpoint"]["Address"]  # +12025550100


def seed_customer(settings: Settings, **extra: Any) -> None:
    item = {"PhoneNumber": CALLER, "FirstName": "Maria", "LastName": "Garcia", "VIP": True, **extra}
    repositories.customers(settings).put(item)


def assert_flat_strings(reply: Any) -> None:
    assert isinstance(reply, dict)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in reply.items()), reply


# ---------------------------------------------------------------- customer lookup


@pytest.mark.parametrize(
    ("address", "national"),
    [
        ("+12025550101", "202-555-0101"),  # known caller
        ("+13125550109", "312-555-0109"),  # nobody on file
        ("+442079460958", "+442079460958"),  # another country's number: unchanged
        ("anonymous", ""),  # no number to read back
    ],
)
def test_every_caller_gets_the_number_as_they_read_it(
    sqlite_env: object, address: str, national: str
) -> None:
    repositories.customers(Settings.from_env()).put({"PhoneNumber": "+12025550101", "FirstName": "John"})
    reply = customer_lookup(connect_event(CustomerEndpoint={"Address": address, "Type": "TELEPHONE_NUMBER"}))
    assert_flat_strings(reply)
    assert reply["PhoneNational"] == national


def test_a_stored_phone_national_does_not_override_the_number_calling(sqlite_env: object) -> None:
    repositories.customers(Settings.from_env()).put({"PhoneNumber": CALLER, "PhoneNational": "555-0000"})
    assert customer_lookup(SAMPLE_EVENT)["PhoneNational"] == "202-555-0100"


def test_lookup_finds_the_caller_of_the_sample_event(backend: Settings) -> None:
    seed_customer(backend, Plan="Family Plus", Lines=3, Address={"City": "Washington"})
    reply = customer_lookup(SAMPLE_EVENT, None)
    assert_flat_strings(reply)
    assert reply == {
        "found": "true",
        "PhoneNumber": CALLER,
        "FirstName": "Maria",
        "LastName": "Garcia",
        "VIP": "true",
        "Plan": "Family Plus",
        "Lines": "3",
        "Address": '{"City":"Washington"}',
        "PhoneNational": "202-555-0100",
    }


def test_unknown_caller_is_not_found(backend: Settings) -> None:
    seed_customer(backend)
    reply = customer_lookup(
        connect_event(CustomerEndpoint={"Address": "+13125550109", "Type": "TELEPHONE_NUMBER"})
    )
    assert reply == {"found": "false", "PhoneNumber": "+13125550109", "PhoneNational": "312-555-0109"}


def test_explicit_phone_number_parameter_wins_and_is_normalised(sqlite_env: object) -> None:
    seed_customer(Settings.from_env())
    event = connect_event({"PhoneNumber": "(202) 555-0100"}, CustomerEndpoint={"Address": "+13125550109"})
    assert customer_lookup(event)["found"] == "true"


@pytest.mark.parametrize("method", ["API", "CALLBACK", "OUTBOUND"])
def test_outbound_contacts_look_up_the_customer_endpoint_not_ours(sqlite_env: object, method: str) -> None:
    seed_customer(Settings.from_env())
    # Our own number is SystemEndpoint: a customer record under it must never be returned.
    repositories.customers(Settings.from_env()).put({"PhoneNumber": "+18005550199", "FirstName": "Us"})
    reply = customer_lookup(connect_event(InitiationMethod=method))
    assert (reply["found"], reply["FirstName"]) == ("true", "Maria")


def test_vip_flag_is_normalised_to_true_or_false(sqlite_env: object) -> None:
    seed_customer(Settings.from_env(), VIP="no")
    assert customer_lookup(SAMPLE_EVENT)["VIP"] == "false"


@pytest.mark.parametrize("address", ["anonymous", "", "+1555", "not a number"])
def test_unusable_caller_numbers_are_not_found(sqlite_env: object, address: str) -> None:
    reply = customer_lookup(connect_event(CustomerEndpoint={"Address": address, "Type": "TELEPHONE_NUMBER"}))
    assert reply["found"] == "false" and reply["error"] in {"no_phone_number", "invalid_phone_number"}


def test_table_down_means_not_found_and_the_call_goes_on(dynamodb_env: Any) -> None:
    dynamodb_env.delete_table(TableName="CustomerData")
    assert customer_lookup(SAMPLE_EVENT) == {
        "found": "false",
        "error": "lookup_failed",
        "PhoneNational": "202-555-0100",
    }


def test_bad_stored_item_means_lookup_failed(sqlite_env: Any) -> None:
    import sqlite3

    seed_customer(Settings.from_env())
    with sqlite3.connect(sqlite_env) as conn:
        conn.execute("UPDATE customers SET item = '[1, 2]'")
    assert customer_lookup(SAMPLE_EVENT) == {
        "found": "false",
        "error": "lookup_failed",
        "PhoneNational": "202-555-0100",
    }


def test_item_with_an_unreadable_attribute_means_lookup_failed(dynamodb_env: Any) -> None:
    dynamodb_env.put_item(
        TableName="CustomerData",
        Item={"PhoneNumber": {"S": CALLER}, "FirstName": {"S": "Maria"}, "Photo": {"B": b"\x89PNG"}},
    )
    assert customer_lookup(SAMPLE_EVENT) == {
        "found": "false",
        "error": "lookup_failed",
        "PhoneNational": "202-555-0100",
    }


# ---------------------------------------------------------------- prompts

INBOUND = {
    "ContactFlowName": "JAM Inbound",
    "Prompts": [
        {"Id": "Welcome", "PromptText": {"en-US": "Welcome to JAM.", "es-US": "Bienvenido a JAM."}},
        {
            "Id": "Menu",
            "PromptText": {
                "en-US": '<speak>Press 1. <break time="300ms"/></speak>',
                "es-US": "<speak>Oprima 1.</speak>",
            },
        },
        {"Id": "Goodbye", "PromptText": {"en-US": "Goodbye."}},
    ],
}


def test_prompts_in_english_by_default(backend: Settings) -> None:
    repositories.prompts(backend).put(INBOUND)
    reply = prompts(connect_event({"ContactFlowName": "JAM Inbound"}, LanguageCode=None))
    assert reply == {
        "Welcome": "Welcome to JAM.",
        "Menu": '<speak>Press 1. <break time="300ms"/></speak>',
        "Goodbye": "Goodbye.",
        "LanguageUsed": "en-US",
        "PromptCount": "3",
    }


def test_spanish_prompts_fall_back_to_english_prompt_by_prompt(
    backend: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    repositories.prompts(backend).put(INBOUND)
    reply = prompts(connect_event({"ContactFlowName": "JAM Inbound", "LanguageCode": "es-US"}))
    assert reply == {
        "Welcome": "Bienvenido a JAM.",
        "Menu": "<speak>Oprima 1.</speak>",
        "Goodbye": "Goodbye.",
        "LanguageUsed": "es-US",
        "PromptCount": "3",
    }
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    fallback = [line for line in lines if line["event"] == "prompt_language_fallback"]
    assert len(fallback) == 1 and fallback[0]["prompts"] == ["Goodbye"]


@pytest.mark.parametrize(("requested", "used"), [("es_us", "es-US"), ("es", "es-US"), ("fr-FR", "en-US")])
def test_language_codes_are_matched_leniently(sqlite_env: object, requested: str, used: str) -> None:
    repositories.prompts(Settings.from_env()).put(INBOUND)
    reply = prompts(connect_event({"ContactFlowName": "JAM Inbound", "LanguageCode": requested}))
    assert reply["LanguageUsed"] == used and reply["PromptCount"] == "3"


def test_contact_language_is_used_when_no_parameter(sqlite_env: object) -> None:
    repositories.prompts(Settings.from_env()).put(INBOUND)
    reply = prompts(connect_event({"ContactFlowName": "JAM Inbound"}, LanguageCode="es-US"))
    assert reply["Welcome"] == "Bienvenido a JAM."


def test_unknown_flow_answers_no_prompts(backend: Settings) -> None:
    reply = prompts(connect_event({"ContactFlowName": "Nope", "LanguageCode": "es-US"}))
    assert reply == {"LanguageUsed": "es-US", "PromptCount": "0", "error": "unknown_flow"}


def test_missing_flow_name_answers_no_prompts(sqlite_env: object) -> None:
    assert prompts(connect_event({}))["error"] == "no_contact_flow_name"


def test_prompts_table_down_answers_no_prompts(dynamodb_env: Any) -> None:
    dynamodb_env.delete_table(TableName="Prompts")
    reply = prompts(connect_event({"ContactFlowName": "JAM Inbound"}))
    assert reply == {"LanguageUsed": "en-US", "PromptCount": "0", "error": "prompts_unavailable"}


def test_reply_over_connects_32_kb_limit_falls_back(sqlite_env: object) -> None:
    huge = {
        "ContactFlowName": "Huge",
        "Prompts": [{"Id": f"P{i}", "PromptText": {"en-US": "x" * 1000}} for i in range(40)],
    }
    repositories.prompts(Settings.from_env()).put(huge)
    reply = prompts(connect_event({"ContactFlowName": "Huge"}))
    assert reply["PromptCount"] == "0" and reply["error"] == "prompts_unavailable"
    assert len(json.dumps(reply)) < MAX_RESPONSE_BYTES


# ---------------------------------------------------------------- survey


def test_survey_is_stored_once_and_a_retry_is_a_duplicate(backend: Settings) -> None:
    event = connect_event(
        {
            "Q1": "5",
            "Q2": "3",
            "Q3": "1",
            "QueueName": "Support - Devices",
            "AgentUserName": "sam",
            "LanguageCode": "es-US",
        }
    )
    assert survey(event) == {"stored": "true", "duplicate": "false"}
    assert survey(event) == {"stored": "true", "duplicate": "true"}
    stored = repositories.surveys(backend).get(SAMPLE_EVENT["Details"]["ContactData"]["ContactId"])
    assert stored is not None
    assert (stored.queue_name, stored.agent_user_name, stored.language_code) == (
        "Support - Devices",
        "sam",
        "es-US",
    )
    assert [a.score for a in stored.answers] == [5, 3, 1]
    assert stored.recorded_at.endswith("Z") and stored.recorded_at[:2] == "20"


def test_survey_keeps_invalid_and_missing_answers(sqlite_env: object) -> None:
    assert survey(connect_event({"Q1": "7", "Q2": "", "Q3": "#"}))["stored"] == "true"
    stored = repositories.surveys(Settings.from_env()).list_recent()
    assert [(a.raw, a.status) for a in stored[0].answers] == [
        ("7", "invalid"),
        ("", "missing"),
        ("#", "invalid"),
    ]
    # No QueueName parameter: the contact's queue is recorded.
    assert stored[0].queue_name == "Sales - New Orders"


def test_survey_without_contact_id_is_not_stored(sqlite_env: object) -> None:
    assert survey(connect_event({"Q1": "5"}, ContactId="")) == {
        "stored": "false",
        "duplicate": "false",
        "error": "no_contact_id",
    }
    assert repositories.surveys(Settings.from_env()).list_recent() == []


def test_survey_table_down_is_reported_not_raised(dynamodb_env: Any) -> None:
    dynamodb_env.delete_table(TableName="SurveyResults")
    assert survey(connect_event({"Q1": "5"}))["error"] == "store_failed"


# ---------------------------------------------------------------- PIN verification


def enroll(settings: Settings, pin: str = "1234", number: str = CALLER) -> None:
    repositories.pins(settings).enroll(number, hash_pin(pin, pepper.get(settings)))


def pin_event(pin: str, **params: str) -> dict[str, Any]:
    return connect_event({"Pin": pin, **params})


def test_right_pin_verifies(backend: Settings) -> None:
    enroll(backend)
    assert pin_verification(pin_event("1234")) == {
        "verified": "true",
        "locked": "false",
        "attemptsRemaining": "3",
        "enrolled": "true",
    }


def test_three_wrong_pins_lock_even_the_right_one_out(backend: Settings) -> None:
    enroll(backend)
    replies = [pin_verification(pin_event("0000")) for _ in range(3)]
    assert [(r["verified"], r["locked"], r["attemptsRemaining"]) for r in replies] == [
        ("false", "false", "2"),
        ("false", "false", "1"),
        ("false", "true", "0"),
    ]
    assert pin_verification(pin_event("1234")) == {
        "verified": "false",
        "locked": "true",
        "attemptsRemaining": "0",
        "enrolled": "true",
    }
    # The count is persisted: a new container (fresh repositories) still sees the lock.
    repositories.clear()
    assert pin_verification(pin_event("1234"))["locked"] == "true"


def test_right_pin_clears_earlier_failures(sqlite_env: object) -> None:
    enroll(Settings.from_env())
    pin_verification(pin_event("9999"))
    assert pin_verification(pin_event("1234"))["verified"] == "true"
    assert pin_verification(pin_event("9999"))["attemptsRemaining"] == "2"


def test_max_attempts_is_configurable(sqlite_env: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIN_MAX_ATTEMPTS", "5")
    enroll(Settings.from_env())
    replies = [pin_verification(pin_event("0000")) for _ in range(5)]
    assert [r["locked"] for r in replies] == ["false"] * 4 + ["true"]


def test_no_input_is_not_counted(sqlite_env: object) -> None:
    enroll(Settings.from_env())
    reply = pin_verification(pin_event(""))
    assert (reply["verified"], reply["attemptsRemaining"], reply["error"]) == ("false", "3", "no_pin_entered")
    assert repositories.pins(Settings.from_env()).get(CALLER).failed_attempts == 0  # type: ignore[union-attr]


def test_overlong_or_non_digit_input_is_a_wrong_pin(sqlite_env: object) -> None:
    enroll(Settings.from_env())
    assert pin_verification(pin_event("1" * 500))["attemptsRemaining"] == "2"
    assert pin_verification(pin_event("12a4"))["attemptsRemaining"] == "1"


def test_caller_without_pin_is_not_enrolled(backend: Settings) -> None:
    assert pin_verification(pin_event("1234")) == {
        "verified": "false",
        "locked": "false",
        "attemptsRemaining": "0",
        "enrolled": "false",
    }


def test_pin_for_an_explicit_number(sqlite_env: object) -> None:
    enroll(Settings.from_env(), "8642", "+13055550105")
    assert pin_verification(pin_event("8642", PhoneNumber="+1 305 555 0105"))["verified"] == "true"


def test_only_salted_hashes_are_stored(sqlite_env: Any) -> None:
    settings = Settings.from_env()
    enroll(settings, "1234", CALLER)
    enroll(settings, "1234", "+12025550101")
    first = repositories.pins(settings).get(CALLER)
    second = repositories.pins(settings).get("+12025550101")
    assert first is not None and second is not None
    assert first.pin.salt != second.pin.salt and first.pin.digest != second.pin.digest
    import sqlite3

    with sqlite3.connect(sqlite_env) as conn:
        rows = conn.execute("SELECT * FROM pin_state").fetchall()
    assert rows and not any(value == "1234" for row in rows for value in row)


def test_pin_table_down_is_reported_not_raised(dynamodb_env: Any) -> None:
    dynamodb_env.delete_table(TableName="PinState")
    reply = pin_verification(pin_event("1234"))
    assert (reply["verified"], reply["error"]) == ("false", "verification_failed")
