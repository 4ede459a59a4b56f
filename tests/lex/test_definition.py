"""The bot definition is checked when it loads: a broken file fails here, not in a call."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from lex_fulfillment.bot import expand, load, parse

RAW: dict[str, Any] = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "data/lex/bot.yaml").read_text("utf-8")
)


def broken(change: Any) -> dict[str, Any]:
    raw = copy.deepcopy(RAW)
    change(raw)
    return raw


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r["intents"][0].update(kind="teleport"), "unknown kind"),
        (lambda r: r["intents"][0].pop("queue"), "needs a queue"),
        (lambda r: r["intents"][0]["utterances"]["en_US"].append("talk to {Nobody}"), "not a slot"),
        (lambda r: r["intents"][0]["utterances"]["es_US"].append(True), "non-empty strings"),
        (lambda r: r["prompts"]["es_US"].pop("goodbye"), "both locales"),
        (lambda r: r["queue_names"].pop("SalesUpgradesQueue"), "name in both locales"),
        (lambda r: r["intents"].append({**r["intents"][0]}), "unique"),
    ],
)
def test_a_broken_definition_is_refused_naming_the_problem(change: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse(broken(change))


def test_slot_references_expand_to_every_value_and_synonym() -> None:
    bot = load()
    hours = bot.intent("OpeningHours")
    assert hours is not None
    filled = list(expand(bot, hours, "es_US", "a qué hora cierra {Department}"))
    assert "a qué hora cierra soporte técnico" in filled and "a qué hora cierra ventas" in filled
    assert all("{" not in text for text in filled)
