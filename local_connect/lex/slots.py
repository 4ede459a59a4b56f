"""Slot resolution: which value of a custom slot type an utterance names.

Every value and synonym of the type (in the locale) is looked for in the utterance with rapidfuzz's
partial_ratio (the best-aligned part of the utterance), so "tech support" in a longer sentence and
small typos ("suport") resolve. Short phrases (3 letters or fewer, "now") must appear as a word.
The longest, best-matching phrase wins; its value is the slot's interpretedValue and the first of
resolvedValues, as with Lex's TOP_RESOLUTION value selection.
"""

from __future__ import annotations

from dataclasses import dataclass

from lex_fulfillment.bot import SlotType
from rapidfuzz import fuzz

from local_connect.lex.text import normalise, words

MATCH = 88  # 0-100


@dataclass(frozen=True)
class SlotMatch:
    original: str
    value: str


def resolve(slot_type: SlotType, locale: str, text: str) -> SlotMatch | None:
    said = normalise(text)
    said_words = set(words(text))
    best: tuple[float, int, SlotMatch] | None = None
    for value in slot_type.values:
        for phrase in (value.value, *value.synonyms.get(locale, ())):
            wanted = normalise(phrase)
            if len(wanted) <= 3:
                score = 100.0 if wanted in said_words else 0.0
            else:
                score = fuzz.partial_ratio(wanted, said)
            if score < MATCH:
                continue
            candidate = (score, len(wanted), SlotMatch(phrase, value.value))
            if best is None or candidate[:2] > best[:2]:
                best = candidate
    return best[2] if best else None
