"""The Lambdas' small E.164 normaliser and the log mask (phonenumbers stays out of the Lambdas)."""

from __future__ import annotations

import re

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jam_core.connect_lambda.phone import mask, mask_numbers_in, national_format, to_e164

E164 = re.compile(r"\+[1-9]\d{7,14}")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+12025550100", "+12025550100"),
        ("+1 (202) 555-0100", "+12025550100"),
        ("202.555.0100", "+12025550100"),
        ("2025550100", "+12025550100"),
        ("12025550100", "+12025550100"),
        ("0012025550100", "+12025550100"),
        ("tel:+12025550100", "+12025550100"),
        (" +44 20 7946 0958 ", "+442079460958"),
        ("+525512345678", "+525512345678"),
        ("anonymous", None),
        ("", None),
        ("+1555", None),
        ("+11025550100", None),  # area codes never start with 0 or 1
        ("+12021550100", None),  # nor do exchanges
        ("555-0100", None),
        ("+0123456789", None),
        ("+1234567890123456", None),  # longer than E.164 allows
        ("+1202555010\u0660", None),  # ARABIC-INDIC DIGIT ZERO: not an ASCII digit
        ("2025550100 ext 5", None),
    ],
)
def test_to_e164(raw: str, expected: str | None) -> None:
    assert to_e164(raw) == expected


def test_demo_customer_numbers_are_valid_for_phonenumbers_too() -> None:
    import json
    from pathlib import Path

    seed = Path(__file__).resolve().parents[2] / "data" / "seed" / "customers.json"
    for item in json.loads(seed.read_text(encoding="utf-8")):
        number = item["PhoneNumber"]
        assert to_e164(number) == number
        assert phonenumbers.is_valid_number(phonenumbers.parse(number)), number


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.text(alphabet="+0123456789 ()-.tel:", max_size=22) | st.text(max_size=22))
def test_to_e164_answers_e164_or_none_and_is_idempotent(raw: str) -> None:
    result = to_e164(raw)
    if result is not None:
        assert E164.fullmatch(result), result
        assert to_e164(result) == result


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.from_regex(r"\+1[2-9][0-9]{2}[2-9][0-9]{6}", fullmatch=True))
def test_every_nanp_shaped_number_survives_formatting(number: str) -> None:
    national = number[2:]
    formatted = f"({national[:3]}) {national[3:6]}-{national[6:]}"
    assert to_e164(formatted) == number


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("+12025550100", "+*******0100"),
        ("0100", "0100"),
        ("12", "12"),
        ("", ""),
        ("+1 (202) 555-0100", "+* (***) ***-0100"),
    ],
)
def test_mask_keeps_the_last_four_digits(raw: str, masked: str) -> None:
    assert mask(raw) == masked


def test_mask_numbers_in_free_text_leaves_short_numbers() -> None:
    assert mask_numbers_in("retry 3 of +12025550100 after 250 ms") == "retry 3 of +*******0100 after 250 ms"


@pytest.mark.parametrize(
    ("e164", "national"),
    [
        ("+12025550101", "202-555-0101"),
        ("+14165550123", "416-555-0123"),  # Canada shares the plan
        ("+442079460958", "+442079460958"),  # other countries: unchanged
        ("+11235550101", "+11235550101"),  # not a valid NANP number: left as it came
        ("", ""),
    ],
)
def test_national_format(e164: str, national: str) -> None:
    assert national_format(e164) == national


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"[2-9][0-9]{2}[2-9][0-9]{6}", fullmatch=True))
def test_national_format_keeps_phonenumbers_national_digits(national: str) -> None:
    parsed = phonenumbers.parse("+1" + national)
    spoken = national_format("+1" + national)
    assert spoken.replace("-", "") == phonenumbers.national_significant_number(parsed)
    assert re.fullmatch(r"\d{3}-\d{3}-\d{4}", spoken)
