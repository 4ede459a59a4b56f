"""docs/FLOW-LANGUAGE.md is held to the catalog: its catalog section is exactly what catalog.json
renders, and its local-behaviour table covers exactly the action types the engine runs."""

from __future__ import annotations

import dataclasses

from local_connect.flows import catalog_doc
from local_connect.flows.catalog import CATALOG, SPECS


def test_the_catalog_section_is_current() -> None:
    section = catalog_doc.current_section(catalog_doc.DOC.read_text(encoding="utf-8"))
    assert section == catalog_doc.render(), "run: python -m local_connect.flows.catalog_doc --write"
    assert catalog_doc.main([]) == 0


def test_the_section_lists_every_catalogued_type_with_its_sources() -> None:
    section = catalog_doc.render()
    for spec in CATALOG.actions.values():
        row = next(line for line in section.splitlines() if line.startswith(f"| {spec.type} |"))
        assert ("| yes |" in row) == spec.implemented
        for url in spec.reference:
            assert f"<{url}>" in section


def test_a_changed_catalog_makes_the_section_stale() -> None:
    changed = dataclasses.replace(CATALOG, operators=(*CATALOG.operators[:-1],))
    assert catalog_doc.render(changed) != catalog_doc.render()


def test_the_local_behaviour_table_covers_exactly_the_types_the_engine_runs() -> None:
    text = catalog_doc.DOC.read_text(encoding="utf-8")
    table = text.split("## What the engine does with each action it runs", 1)[1].split("###", 1)[0]
    rows = {line.split("|")[1].strip() for line in table.splitlines() if line.startswith("| ")}
    assert rows - {"type", "---"} == set(SPECS)
