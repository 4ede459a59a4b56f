"""`$.` references, as Connect resolves them in parameter values and inside prompt text.

A parameter value that is exactly one reference ("$.Attributes.issue") takes the referenced value;
text may also embed references ("Hello $.Attributes.FirstName, ..."). Names go by dots, or by
brackets for names with other characters: $.Attributes['first name']. A reference to nothing
resolves to "" (Connect's behaviour for a missing attribute).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

# A reference inside text: `$.` then dotted names or ['quoted'] parts. A trailing "." (end of a
# sentence) is not part of it because a name must follow every dot.
_INLINE = re.compile(
    r"\$\.(?:[A-Za-z_][A-Za-z0-9_-]*|\['[^']*'\]|\[\"[^\"]*\"\])(?:\.[A-Za-z_][A-Za-z0-9_-]*|\['[^']*'\]|\[\"[^\"]*\"\])*"
)
_PART = re.compile(r"\.?([A-Za-z_][A-Za-z0-9_-]*)|\['([^']*)'\]|\[\"([^\"]*)\"\]")


def is_reference(value: Any) -> bool:
    return isinstance(value, str) and bool(_INLINE.fullmatch(value.strip()))


def path_of(reference: str) -> list[str]:
    """'$.Attributes.a' -> ['Attributes', 'a']; "$.Attributes['a b']" -> ['Attributes', 'a b']."""
    body = reference.strip()[1:]  # drop '$', keep the first '.'
    parts: list[str] = []
    position = 0
    while position < len(body):
        match = _PART.match(body, position)
        if match is None:
            raise ValueError(f"not a reference: {reference!r}")
        parts.append(next(g for g in match.groups() if g is not None))
        position = match.end()
    return parts


def lookup(scope: Mapping[str, Any], reference: str) -> Any:
    """The value a reference points at, or None."""
    value: Any = scope
    for part in path_of(reference):
        if isinstance(value, Mapping):
            value = value.get(part)
        else:
            return None
    return value


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Mapping | list):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return str(value)


def resolve_value(scope: Mapping[str, Any], value: Any) -> str:
    """A parameter value: a whole reference takes its value; text has its references filled in."""
    if not isinstance(value, str):
        return as_text(value)
    if is_reference(value):
        return as_text(lookup(scope, value))
    return interpolate(scope, value)


def interpolate(scope: Mapping[str, Any], text: str) -> str:
    return _INLINE.sub(lambda m: as_text(lookup(scope, m.group(0))), text)


def references_in(text: str) -> list[str]:
    return [m.group(0) for m in _INLINE.finditer(text)]


def external_prompt_ids(text: Any) -> tuple[str, ...]:
    """The prompt Ids a text is made of when it comes from the Prompts Lambda ($.External.<Id>)."""
    if not isinstance(text, str):
        return ()
    found = []
    for reference in references_in(text):
        parts = path_of(reference)
        if len(parts) == 2 and parts[0] == "External":
            found.append(parts[1])
    return tuple(found)
