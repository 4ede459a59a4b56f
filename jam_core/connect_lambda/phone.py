"""Phone numbers: normalise to E.164 and mask for logs.

Connect already hands Lambdas E.164 numbers for telephone contacts, so this is a small, strict
normaliser for the other inputs (a PhoneNumber parameter, seed data, a caller typing digits),
not a numbering-plan library: it knows the North American plan, which is the default country,
and accepts any other number that arrives with its country code.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s().\-/]")
_DIGITS = re.compile(r"\d+")
_PHONE_IN_TEXT = re.compile(r"\+?\d(?:[\s().\-]{0,2}\d){6,}")  # "+1 (202) 555-0100" has ") " runs


def to_e164(raw: str, default_country_code: str = "1") -> str | None:
    """'+1 (202) 555-0101', '2025550101', '0012025550101', 'tel:+12025550101' -> '+12025550101'.

    Returns None when the text is not a plausible number (too short or long, letters, 'anonymous').
    """
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    if text.lower().startswith("tel:"):
        text = text[4:]
    text = _SEPARATORS.sub("", text)
    international = text.startswith("+")
    if international:
        text = text[1:]
    elif text.startswith("00"):
        international, text = True, text[2:]
    if not text or not _DIGITS.fullmatch(text) or not text.isascii():
        return None
    if international:
        # E.164: a country code never starts with 0, and the whole number has at most 15 digits.
        if text[0] == "0" or not 8 <= len(text) <= 15:
            return None
        if text[0] == "1" and not _valid_nanp(text[1:]):
            return None
        return "+" + text
    if default_country_code == "1":
        if len(text) == 11 and text[0] == "1":
            text = text[1:]
        return "+1" + text if _valid_nanp(text) else None
    national = text[1:] if text.startswith("0") else text
    candidate = default_country_code + national
    return "+" + candidate if 8 <= len(candidate) <= 15 else None


def national_format(e164: str) -> str:
    """How a caller reads their own number: '+12025550101' -> '202-555-0101'.

    North American numbers lose the +1 and are grouped NXX-NXX-XXXX (spoken by SSML's
    say-as telephone as "two oh two, five five five, ..."); any other number is returned unchanged,
    with its country code, since a national format needs that country's plan.
    """
    if isinstance(e164, str) and e164.startswith("+1") and _valid_nanp(e164[2:]) and e164[2:].isascii():
        national = e164[2:]
        return f"{national[:3]}-{national[3:6]}-{national[6:]}"
    return e164


def _valid_nanp(national: str) -> bool:
    # Area code and exchange both start with 2-9 in the North American Numbering Plan.
    return (
        len(national) == 10 and national.isdigit() and national[0] in "23456789" and national[3] in "23456789"
    )


def mask(number: str) -> str:
    """Every digit but the last four becomes '*': '+12025550101' -> '+*******0101'."""
    digits_seen = sum(ch.isdigit() for ch in number)
    keep_from = digits_seen - 4
    out: list[str] = []
    index = 0
    for ch in number:
        if ch.isdigit():
            out.append(ch if index >= keep_from else "*")
            index += 1
        else:
            out.append(ch)
    return "".join(out)


def mask_numbers_in(text: str) -> str:
    """Masks anything in free text that looks like a phone number (7+ digits)."""
    return _PHONE_IN_TEXT.sub(lambda match: mask(match.group(0)), text)
