"""Choosing a flow's prompt texts for a language, falling back to en-US prompt by prompt."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

DEFAULT_LANGUAGE = "en-US"


@dataclass
class Selection:
    language: str
    matched: bool = True  # False: the requested language is not offered, DEFAULT_LANGUAGE is used
    texts: dict[str, str] = field(default_factory=dict)
    fallbacks: list[str] = field(default_factory=list)  # prompt Ids answered in DEFAULT_LANGUAGE
    missing: list[str] = field(default_factory=list)  # prompt Ids with no usable text at all


def languages_of(item: Mapping[str, Any]) -> set[str]:
    return {lang for prompt in item["Prompts"] for lang in prompt["PromptText"]}


def resolve_language(requested: str, available: Iterable[str]) -> str | None:
    """'es-us', 'es_US' -> 'es-US'; 'es' -> the first 'es-*' offered; None when nothing matches."""
    wanted = requested.strip().replace("_", "-").lower()
    if not wanted:
        return None
    offered = sorted(available)
    for language in offered:
        if language.lower() == wanted:
            return language
    primary = wanted.split("-", 1)[0]
    for language in offered:
        if language.lower().split("-", 1)[0] == primary:
            return language
    return None


def select(item: Mapping[str, Any], requested: str) -> Selection:
    """`item` is a validated Prompts item. SSML and all other text pass through untouched."""
    resolved = resolve_language(requested or DEFAULT_LANGUAGE, languages_of(item))
    language = resolved or DEFAULT_LANGUAGE
    selection = Selection(language, matched=resolved is not None)
    for prompt in item["Prompts"]:
        texts: Mapping[str, str] = prompt["PromptText"]
        text = texts.get(language)
        if not text:
            text = texts.get(DEFAULT_LANGUAGE)
            if not text:
                selection.missing.append(prompt["Id"])
                continue
            if language != DEFAULT_LANGUAGE:
                selection.fallbacks.append(prompt["Id"])
        selection.texts[prompt["Id"]] = text
    return selection
