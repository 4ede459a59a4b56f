"""Conformance against real flows exported from Amazon Connect (../shared/flow-corpus).

Connect accepted these documents, so the strict validator must accept each one (a refusal is our bug)
unless the document is an unfinished template, named in corpus.UNFINISHED with the reason. Every one
loads, and a scripted caller runs it from StartAction to an end in under 10 s, with Lambdas, queues
and the other flows it names absent: their actions take their error branches, and action types the
engine does not run take NoMatchingError and are reported by name.
"""

from __future__ import annotations

import json
import re

import pytest

from local_connect.flows.catalog import CATALOG
from local_connect.flows.corpus import (
    CORPUS_DIR,
    CORPUS_VARIABLE,
    UNFINISHED,
    corpus_files,
    manifest,
    run_document,
    strict_report,
)
from local_connect.flows.loader import FlowError, load_flow_file

pytestmark = pytest.mark.skipif(
    not (CORPUS_DIR / "MANIFEST.tsv").is_file(),
    reason=f"the flow corpus is expected at {CORPUS_DIR} (or set ${CORPUS_VARIABLE}); CI has it",
)

DOCUMENTS = [p.name for p in corpus_files()] if CORPUS_DIR.is_dir() else []
ENDS = {"disconnected", "ended", "queued", "agent answered"}


def test_the_corpus_is_the_thirty_documents_of_its_manifest() -> None:
    listed = manifest()
    assert sorted(listed) == DOCUMENTS
    assert len(DOCUMENTS) == 30
    for name, row in listed.items():
        document = json.loads((CORPUS_DIR / name).read_text(encoding="utf-8"))
        assert len(document["Actions"]) == int(row["actions"]), name
    assert set(UNFINISHED) <= set(DOCUMENTS)


@pytest.mark.parametrize("name", [n for n in DOCUMENTS if n not in UNFINISHED])
def test_the_strict_validator_accepts_what_connect_accepted(name: str) -> None:
    report = strict_report(CORPUS_DIR / name)
    assert report.ok, str(report)
    load_flow_file(CORPUS_DIR / name, key=name, strict=True)  # does not raise


@pytest.mark.parametrize("name", sorted(UNFINISHED))
def test_unfinished_templates_are_refused_only_for_what_is_missing(name: str) -> None:
    report = strict_report(CORPUS_DIR / name)
    with pytest.raises(FlowError):
        load_flow_file(CORPUS_DIR / name, key=name, strict=True)
    # Everything refused is a blank to fill in: a missing StartAction, NextAction or parameter.
    for problem in report.errors:
        message = problem.message
        assert (
            message == "StartAction is missing"
            or message.endswith("needs a NextAction")
            or message.endswith("has no NextAction")
            or "needs the parameter" in message
            or message == "transition to '$end', which is not an action of the flow"
        ), f"{name}: {problem}"


def test_every_action_type_of_the_corpus_is_in_the_catalog() -> None:
    used = {
        action["Type"]
        for name in DOCUMENTS
        for action in json.loads((CORPUS_DIR / name).read_text(encoding="utf-8"))["Actions"]
    }
    assert used - set(CATALOG.actions) == set()


def test_the_real_operator_names_are_accepted_and_used() -> None:
    operators = {
        condition["Condition"]["Operator"]
        for name in DOCUMENTS
        for action in json.loads((CORPUS_DIR / name).read_text(encoding="utf-8"))["Actions"]
        for condition in (action.get("Transitions") or {}).get("Conditions") or []
    }
    assert {"TextContains", "TextStartsWith"} <= operators <= set(CATALOG.operators)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_a_scripted_caller_runs_each_document_to_an_end(name: str) -> None:
    run = run_document(CORPUS_DIR / name)
    if run.outcome == "no StartAction":
        assert name in UNFINISHED  # only a template can lack one
        return
    assert run.outcome in ENDS, f"{name}: {run.outcome} after {run.steps} turns; {run.problems[-3:]}"
    assert run.seconds < 10.0
    assert run.actions >= 1
    # No handler raised on the document's parameters (the engine reports such a failure by type).
    crashes = [p for p in run.problems if re.search(r"failed: (Type|Value|Attribute|Key|Index)Error", p)]
    assert crashes == []
    # Action types the engine does not run were reported by name and took NoMatchingError.
    for action_type in run.unsupported:
        assert not CATALOG.actions[action_type].implemented


def test_unsupported_action_types_are_reported_by_name() -> None:
    # Customer Profiles is not modelled: its blocks take the error branch and are named.
    run = run_document(CORPUS_DIR / "flow-05.json")
    assert "GetCustomerProfile" in run.unsupported
    assert any(
        "GetCustomerProfile is not supported locally" in p and "Customer Profiles" in p for p in run.problems
    )
    # ConnectParticipantWithLexBot runs (no bot alias here: its error branch, not "unsupported").
    assert "ConnectParticipantWithLexBot" not in run_document(CORPUS_DIR / "flow-23.json").unsupported
    # UpdateContactMediaStreamingBehavior runs now: flow-26 no longer reports it.
    assert "UpdateContactMediaStreamingBehavior" not in run_document(CORPUS_DIR / "flow-26.json").unsupported
    report = strict_report(CORPUS_DIR / "flow-03.json")
    # The engine runs these now.
    assert not {"UpdateFlowAttributes", "InvokeFlowModule"} & report.unsupported_types
