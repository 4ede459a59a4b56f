"""The bot definition (data/lex/bot.yaml) as typed values: intents, slot types, prompts, departments.

One file feeds the AWS bot (scripts/render_lex.py), the local Lex twin (local_connect/lex) and this
Lambda. In the repository it is data/lex/bot.yaml; the function's build copies it (and data/kb)
into `lex_fulfillment/bundle/`, which is looked at first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

_HERE = Path(__file__).resolve().parent
BUNDLE = _HERE / "bundle"
REPO_DATA = _HERE.parent.parent / "data"
LOCALES = ("en_US", "es_US")
FALLBACK = "FallbackIntent"
KINDS = frozenset({"route", "hours", "account", "knowledge", "agent", "affirm", "deny"})
_SLOT_REFERENCE = re.compile(r"\{([A-Za-z][A-Za-z0-9_]*)\}")


def data_dir() -> Path:
    """Where bot.yaml and the articles are: the function's bundle when built, else data/."""
    return BUNDLE if (BUNDLE / "bot.yaml").exists() else REPO_DATA / "lex"


def kb_dir() -> Path:
    return BUNDLE / "kb" if (BUNDLE / "bot.yaml").exists() else REPO_DATA / "kb"


@dataclass(frozen=True)
class SlotValue:
    value: str
    synonyms: Mapping[str, tuple[str, ...]]  # locale -> synonyms


@dataclass(frozen=True)
class SlotType:
    name: str
    description: str
    values: tuple[SlotValue, ...]


@dataclass(frozen=True)
class Slot:
    name: str
    type: str
    prompts: Mapping[str, str]  # locale -> what Lex says to elicit it
    required: bool = False


@dataclass(frozen=True)
class Intent:
    name: str
    kind: str
    description: str
    utterances: Mapping[str, tuple[str, ...]]
    slots: tuple[Slot, ...] = ()
    queue: str = ""  # route intents: the queue's template logical id
    department: str = ""


@dataclass(frozen=True)
class Bot:
    name: str
    description: str
    idle_session_ttl_seconds: int
    nlu_confidence_threshold: float
    locales: Mapping[str, Mapping[str, str]]
    default_queue: str
    slot_types: Mapping[str, SlotType]
    intents: tuple[Intent, ...]
    prompts: Mapping[str, Mapping[str, str]]
    departments: Mapping[str, Mapping[str, str]]
    queue_names: Mapping[str, Mapping[str, str]]
    out_of_domain: Mapping[str, tuple[str, ...]]
    _by_name: dict[str, Intent] = field(default_factory=dict, repr=False, compare=False)

    def intent(self, name: str) -> Intent | None:
        if not self._by_name:
            self._by_name.update({i.name: i for i in self.intents})
        return self._by_name.get(name)

    def prompt(self, locale: str, key: str, **values: str) -> str:
        text = self.prompts.get(locale, self.prompts["en_US"]).get(key) or self.prompts["en_US"][key]
        return text.format(**values) if values else text

    def slot_type_of(self, intent: Intent, slot_name: str) -> SlotType | None:
        slot = next((s for s in intent.slots if s.name == slot_name), None)
        return self.slot_types.get(slot.type) if slot else None


def locale_of(code: str) -> str:
    """en_US / es_US for a Lex locale id or a Connect language code (es-US, es_US, es...)."""
    return "es_US" if str(code).strip().lower().startswith("es") else "en_US"


def slot_references(utterance: str) -> list[str]:
    return _SLOT_REFERENCE.findall(utterance)


def expand(bot: Bot, intent: Intent, locale: str, utterance: str) -> Iterator[str]:
    """The utterance with each {Slot} replaced by every value and synonym of its type (the text a
    caller would say); an utterance without slot references is itself."""
    names = slot_references(utterance)
    if not names:
        yield utterance
        return
    name = names[0]
    slot_type = bot.slot_type_of(intent, name)
    phrases = (
        [p for v in slot_type.values for p in (v.value.lower(), *v.synonyms.get(locale, ()))]
        if slot_type
        else [name.lower()]
    )
    for phrase in dict.fromkeys(phrases):
        yield from expand(bot, intent, locale, utterance.replace("{" + name + "}", phrase, 1))


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"{where}: expected a list of non-empty strings")
    return tuple(value)


def parse(raw: Mapping[str, Any]) -> Bot:
    """The definition, checked: every intent has a known kind and utterances in every locale, route
    intents name a queue, every slot reference names a slot of its intent with a defined type."""
    locales = dict(raw["locales"])
    if set(locales) != set(LOCALES):
        raise ValueError(f"locales must be {LOCALES}")
    slot_types: dict[str, SlotType] = {}
    for name, body in raw["slot_types"].items():
        values = tuple(
            SlotValue(
                str(v["value"]),
                {loc: _strings(v["synonyms"][loc], f"slot type {name}") for loc in LOCALES},
            )
            for v in body["values"]
        )
        slot_types[name] = SlotType(name, str(body.get("description", "")), values)
    intents: list[Intent] = []
    for body in raw["intents"]:
        name = str(body["name"])
        kind = str(body["kind"])
        if kind not in KINDS:
            raise ValueError(f"intent {name}: unknown kind {kind!r}")
        if kind == "route" and not body.get("queue"):
            raise ValueError(f"intent {name}: a route intent needs a queue")
        slots = tuple(
            Slot(
                str(s["name"]),
                str(s["type"]),
                {loc: str(s["prompt"][loc]) for loc in LOCALES},
                bool(s.get("required", False)),
            )
            for s in body.get("slots", [])
        )
        for slot in slots:
            if slot.type not in slot_types:
                raise ValueError(f"intent {name}: slot {slot.name} has unknown type {slot.type}")
        utterances = {loc: _strings(body["utterances"][loc], f"intent {name} {loc}") for loc in LOCALES}
        for loc, lines in utterances.items():
            for line in lines:
                for ref in slot_references(line):
                    if ref not in {s.name for s in slots}:
                        raise ValueError(f"intent {name} {loc}: {{{ref}}} is not a slot of the intent")
        intents.append(
            Intent(
                name,
                kind,
                str(body.get("description", "")),
                utterances,
                slots,
                str(body.get("queue", "")),
                str(body.get("department", "")),
            )
        )
    if len({i.name for i in intents}) != len(intents) or FALLBACK in {i.name for i in intents}:
        raise ValueError("intent names must be unique and FallbackIntent is built in")
    prompts = {loc: {str(k): str(v) for k, v in raw["prompts"][loc].items()} for loc in LOCALES}
    if set(prompts["en_US"]) != set(prompts["es_US"]):
        raise ValueError("every prompt needs both locales")
    queue_names = {str(k): dict(v) for k, v in raw["queue_names"].items()}
    departments = {str(k): dict(v) for k, v in raw["departments"].items()}
    for intent in intents:
        if intent.kind == "route" and (
            set(queue_names.get(intent.queue, {})) != set(LOCALES) or intent.department not in departments
        ):
            raise ValueError(f"intent {intent.name}: its queue needs a name in both locales and a department")
    return Bot(
        name=str(raw["name"]),
        description=str(raw.get("description", "")),
        idle_session_ttl_seconds=int(raw["idle_session_ttl_seconds"]),
        nlu_confidence_threshold=float(raw["nlu_confidence_threshold"]),
        locales=locales,
        default_queue=str(raw["default_queue"]),
        slot_types=slot_types,
        intents=tuple(intents),
        prompts=prompts,
        departments=departments,
        queue_names=queue_names,
        out_of_domain={loc: _strings(raw["out_of_domain"][loc], f"out_of_domain {loc}") for loc in LOCALES},
    )


@lru_cache(maxsize=4)
def load(path: Path | None = None) -> Bot:
    source = path or data_dir() / "bot.yaml"
    return parse(yaml.safe_load(source.read_text("utf-8")))
