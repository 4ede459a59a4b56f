"""The repository contract: every test runs against SQLite and against DynamoDB (moto)."""

from __future__ import annotations

import pytest

from jam_core.connect_lambda.settings import Settings
from jam_core.tables import repositories
from jam_core.tables.pin_hash import SCHEME_KEYED, SCHEME_PBKDF2, hash_pin, hash_pin_pbkdf2, matches
from jam_core.tables.pins import PinNotEnrolled
from jam_core.tables.surveys import INVALID, MISSING, VALID, Answer, SurveyResult

PEPPER = b"contract-test-pepper-0123456789abcdef"
MARIA = {
    "PhoneNumber": "+12025550100",
    "FirstName": "María",
    "LastName": "García",
    "VIP": True,
    "PreferredLanguage": "es-US",
    "Lines": 3,
    "Plan": "Family Plus",
}

INBOUND = {
    "ContactFlowName": "JAM Inbound",
    "Prompts": [
        {"Id": "Welcome", "PromptText": {"en-US": "Welcome to JAM.", "es-US": "Bienvenido a JAM."}},
        {
            "Id": "Menu",
            "PromptText": {
                "en-US": '<speak>Press 1 for sales. <break time="300ms"/></speak>',
                "es-US": "<speak>Oprima 1 para ventas.</speak>",
            },
        },
    ],
}


def survey(
    contact_id: str, recorded_at: str, *answers: str, queue: str = "Sales - New Orders"
) -> SurveyResult:
    a1, a2, a3 = (Answer.parse(a) for a in answers)
    return SurveyResult(contact_id, recorded_at, queue, "agent.sales", "en-US", (a1, a2, a3))


# ---------------------------------------------------------------- CustomerData


def test_unknown_customer_is_none(backend: Settings) -> None:
    assert repositories.customers(backend).get("+12025550109") is None


def test_customer_round_trips_with_extra_fields_and_types(backend: Settings) -> None:
    customers = repositories.customers(backend)
    customers.put(MARIA)
    assert customers.get("+12025550100") == MARIA
    assert customers.get("+12025550101") is None


def test_customer_put_replaces_the_whole_item(backend: Settings) -> None:
    customers = repositories.customers(backend)
    customers.put(MARIA)
    customers.put({"PhoneNumber": "+12025550100", "FirstName": "Maria", "VIP": False})
    assert customers.get("+12025550100") == {
        "PhoneNumber": "+12025550100",
        "FirstName": "Maria",
        "VIP": False,
    }


def test_customer_without_key_is_refused(backend: Settings) -> None:
    with pytest.raises(ValueError, match="PhoneNumber"):
        repositories.customers(backend).put({"FirstName": "Nobody"})


# ---------------------------------------------------------------- Prompts


def test_prompts_round_trip_untouched(backend: Settings) -> None:
    prompts = repositories.prompts(backend)
    assert prompts.get("JAM Inbound") is None
    prompts.put(INBOUND)
    assert prompts.get("JAM Inbound") == INBOUND
    assert prompts.get("JAM Survey") is None


@pytest.mark.parametrize(
    ("item", "complaint"),
    [
        ({"Prompts": []}, "ContactFlowName"),
        ({"ContactFlowName": "X", "Prompts": {}}, "must be a list"),
        ({"ContactFlowName": "X", "Prompts": [{"Id": "A", "PromptText": {"en-US": 1}}]}, "PromptText"),
        (
            {
                "ContactFlowName": "X",
                "Prompts": [{"Id": "A", "PromptText": {}}, {"Id": "A", "PromptText": {}}],
            },
            "twice",
        ),
        ({"ContactFlowName": "X", "Prompts": [{"Id": "PromptCount", "PromptText": {}}]}, "reserved"),
    ],
)
def test_malformed_prompts_item_is_refused(
    backend: Settings, item: dict[str, object], complaint: str
) -> None:
    with pytest.raises(ValueError, match=complaint):
        repositories.prompts(backend).put(item)
    assert repositories.prompts(backend).get("X") is None


# ---------------------------------------------------------------- SurveyResults


def test_survey_is_written_once_per_contact(backend: Settings) -> None:
    surveys = repositories.surveys(backend)
    first = survey("c-1", "2026-11-24T10:00:00.000Z", "5", "4", "3")
    assert surveys.record(first) is True
    retry = survey("c-1", "2026-11-24T10:00:05.000Z", "1", "1", "1")
    assert surveys.record(retry) is False
    assert surveys.get("c-1") == first


def test_invalid_and_missing_answers_are_kept_with_their_status(backend: Settings) -> None:
    surveys = repositories.surveys(backend)
    assert surveys.record(survey("c-2", "2026-11-24T10:00:00.000Z", "9", "", "2"))
    stored = surveys.get("c-2")
    assert stored is not None
    assert [(a.raw, a.status, a.score) for a in stored.answers] == [
        ("9", INVALID, None),
        ("", MISSING, None),
        ("2", VALID, 2),
    ]


def test_survey_reports_list_newest_first(backend: Settings) -> None:
    surveys = repositories.surveys(backend)
    for contact, at in [
        ("a", "2026-11-24T09:00:00.000Z"),
        ("b", "2026-11-24T11:00:00.000Z"),
        ("c", "2026-11-24T10:00:00.000Z"),
    ]:
        surveys.record(survey(contact, at, "5", "5", "5"))
    assert [r.contact_id for r in surveys.list_recent()] == ["b", "c", "a"]
    assert [r.contact_id for r in surveys.list_recent(limit=2)] == ["b", "c"]
    assert surveys.get("missing") is None


@pytest.mark.parametrize("stored", [0, 3, 4, 5, 9])
def test_report_reads_are_bounded_and_say_whether_they_hold_everything(
    backend: Settings, stored: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jam_core.tables import surveys as survey_tables

    monkeypatch.setattr(survey_tables, "SCAN_PAGE_ITEMS", 2)  # several Scan pages on DynamoDB
    surveys = repositories.surveys(backend)
    for n in range(stored):
        surveys.record(survey(f"c-{n}", f"2026-11-24T10:00:0{n}.000Z", "5", "4", "3"))
    results, complete = surveys.read_for_report(4)
    assert len(results) == min(stored, 4)
    assert complete is (stored <= 4)
    recorded = [r.recorded_at for r in results]
    assert recorded == sorted(recorded, reverse=True)  # newest first among what was read
    if backend.backend == "sqlite" or complete:
        assert {r.contact_id for r in results} == {f"c-{n}" for n in range(stored)[-4:]}


# ---------------------------------------------------------------- PinState


def test_pin_enrolment_and_failure_counting(backend: Settings) -> None:
    pins = repositories.pins(backend)
    assert pins.get("+12025550100") is None
    pins.enroll("+12025550100", hash_pin("1234", PEPPER))
    record = pins.get("+12025550100")
    assert record is not None and record.failed_attempts == 0
    assert matches("1234", record.pin, PEPPER) and not matches("4321", record.pin, PEPPER)
    assert [pins.record_failure("+12025550100") for _ in range(3)] == [1, 2, 3]
    assert pins.get("+12025550100").failed_attempts == 3  # type: ignore[union-attr]
    pins.reset_failures("+12025550100")
    assert pins.get("+12025550100").failed_attempts == 0  # type: ignore[union-attr]


def test_both_hash_schemes_are_stored_and_read_back_as_enrolled(backend: Settings) -> None:
    pins = repositories.pins(backend)
    pins.enroll("+12025550103", hash_pin_pbkdf2("5678", iterations=1000))
    pins.enroll("+12025550104", hash_pin("5678", PEPPER))
    legacy, keyed = pins.get("+12025550103"), pins.get("+12025550104")
    assert legacy is not None and keyed is not None
    assert (legacy.pin.scheme, legacy.pin.iterations) == (SCHEME_PBKDF2, 1000)
    assert (keyed.pin.scheme, keyed.pin.iterations) == (SCHEME_KEYED, 0)
    assert matches("5678", legacy.pin) and matches("5678", keyed.pin, PEPPER)


def test_re_enrolment_replaces_the_pin_and_clears_failures(backend: Settings) -> None:
    pins = repositories.pins(backend)
    pins.enroll("+12025550101", hash_pin("1111", PEPPER))
    pins.record_failure("+12025550101")
    pins.enroll("+12025550101", hash_pin("2222", PEPPER))
    record = pins.get("+12025550101")
    assert record is not None and record.failed_attempts == 0
    assert matches("2222", record.pin, PEPPER) and not matches("1111", record.pin, PEPPER)


def test_failure_for_unenrolled_number_creates_nothing(backend: Settings) -> None:
    pins = repositories.pins(backend)
    with pytest.raises(PinNotEnrolled):
        pins.record_failure("+12025550102")
    pins.reset_failures("+12025550102")  # nothing to reset is not an error
    assert pins.get("+12025550102") is None
