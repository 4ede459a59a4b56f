"""The catalog section of docs/FLOW-LANGUAGE.md, rendered from catalog.json.

    python -m local_connect.flows.catalog_doc           # exit 1 when the page's section is stale
    python -m local_connect.flows.catalog_doc --write   # rewrite the section in place

The section sits between BEGIN and END markers; tests/flows/test_catalog_doc.py holds it to the catalog.
"""

from __future__ import annotations

import sys
from pathlib import Path

from local_connect.flows.catalog import (
    CATALOG,
    DYNAMIC_FORBIDDEN,
    DYNAMIC_REQUIRED,
    NEXT_FORBIDDEN,
    NEXT_REQUIRED,
    ActionSpec,
    Catalog,
    ParameterSpec,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "FLOW-LANGUAGE.md"
BEGIN = "<!-- catalog:begin (generated from local_connect/flows/catalog.json: python -m local_connect.flows.catalog_doc --write) -->"
END = "<!-- catalog:end -->"


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value.is_integer() else str(value)


def _parameter(spec: ParameterSpec) -> str:
    text = spec.name if spec.required else f"*{spec.name}*"
    marks = []
    if spec.dynamic == DYNAMIC_FORBIDDEN:
        marks.append("static")
    elif spec.dynamic == DYNAMIC_REQUIRED:
        marks.append("$. only")
    if spec.values:
        marks.append(" / ".join(spec.values))
    if spec.range is not None and spec.range != (None, None):
        low, high = spec.range
        marks.append(f"{_number(low)}-{_number(high)}" if high is not None else f"≥ {_number(low)}")
    if spec.kind != "string":
        marks.append(spec.kind)
    return f"{text} ({'; '.join(marks)})" if marks else text


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _row(spec: ActionSpec, links: dict[str, int]) -> str:
    parameters = ", ".join(_parameter(p) for p in spec.parameters.values()) or "-"
    for group in spec.exclusive:
        if group.max == 1:
            parameters += f"; {'one' if group.min else 'at most one'} of {' / '.join(group.names)}"
    conditions = ", ".join(spec.operators) or "-"
    if spec.operands is not None:
        conditions += f" on {' / '.join(spec.operands)}"
    errors = ", ".join(spec.errors) or "none"
    flow_types = "any (not settled)" if spec.flow_types is None else ", ".join(spec.flow_types)
    if spec.flow_types is not None and set(CATALOG.flow_types) - {"FLOW_MODULE"} <= set(spec.flow_types):
        flow_types = "all"
    ends = "ends the flow" if spec.next_action == NEXT_FORBIDDEN else spec.next_action
    if spec.next_action == NEXT_REQUIRED:
        ends = "required"
    sources = " ".join(f"[{links[url]}]" for url in spec.reference)
    if spec.exports:
        sources += (
            (" " if sources else "") + "exports " + ", ".join(e.removesuffix(".json") for e in spec.exports)
        )
    return (
        "| "
        + " | ".join(
            _cell(c)
            for c in (
                spec.type,
                "yes" if spec.implemented else "no",
                parameters,
                conditions,
                errors,
                flow_types,
                ends,
                sources,
            )
        )
        + " |"
    )


def render(catalog: Catalog = CATALOG) -> str:
    links: dict[str, int] = {}
    for url in (*catalog.sources, *(u for s in catalog.actions.values() for u in s.reference)):
        links.setdefault(url, len(links) + 1)
    lines = [
        BEGIN,
        "",
        f"Version `{catalog.version}`. Condition operators: {', '.join(f'`{o}`' for o in catalog.operators)}"
        " (one string operand each; Number operators are false when a side is not a number).",
        f"A flow has at most {catalog.max_actions} actions and {catalog.max_content_characters} characters;"
        f" an Identifier is unique, at most {catalog.identifier_max_length} characters, without"
        f" `{' '.join(sorted(catalog.identifier_forbidden))}`, and not one of"
        f" {', '.join(sorted(catalog.identifier_reserved))}. Flow types: {', '.join(catalog.flow_types)}.",
        "",
        "Parameters in *italics* are optional; `static`: a `$.` reference is refused; `$. only`: only a"
        " reference is accepted. NextAction: `required` (refused without it), `optional`, or the action"
        " ends the flow (its Transitions must be `{}`). Runs: whether the local engine runs the type;"
        " otherwise the action takes its NoMatchingError branch and is reported by name.",
        "",
        "| type | runs | parameters | conditions | errors | flow types | NextAction | sources |",
        "|---|---|---|---|---|---|---|---|",
        *(_row(spec, links) for spec in sorted(catalog.actions.values(), key=lambda s: s.type)),
        "",
        "Notes, where the exports and the reference differ or the evidence is thin (export wins):",
        "",
    ]
    for spec in sorted(catalog.actions.values(), key=lambda s: s.type):
        for note in (*spec.rules, *spec.notes):
            lines.append(f"- {spec.type}: {_cell(note)}")
    lines += ["", "Sources:", ""]
    lines += [f"{number}. <{url}>" for url, number in links.items()]
    lines += ["", END]
    return "\n".join(lines)


def current_section(text: str) -> str | None:
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < 0:
        return None
    return text[start : end + len(END)]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    text = DOC.read_text(encoding="utf-8")
    section = current_section(text)
    if section is None:
        print(f"{DOC}: no catalog section ({BEGIN} ... {END})")
        return 1
    fresh = render()
    if section == fresh:
        return 0
    if "--write" in args:
        DOC.write_text(text.replace(section, fresh), encoding="utf-8")
        return 0
    print(f"{DOC}: the catalog section is stale; run python -m local_connect.flows.catalog_doc --write")
    return 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
