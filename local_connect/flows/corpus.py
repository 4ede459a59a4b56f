"""Real flows exported from Amazon Connect, validated strictly and run by a scripted caller.

The corpus lives beside the project, in ../shared/flow-corpus (MANIFEST.tsv names each document's
repository, path and commit); it is public data read in place, never copied into the project.
Connect accepted these documents, so the strict validator must accept them too, except documents that
are unfinished templates (named in UNFINISHED with the reason). Each one then runs from its
StartAction with a caller who presses keys and stays silent in turn; Lambdas, queues and other flows
the document names do not exist here, so those actions take their error branches, and action types
the engine does not run take NoMatchingError and are reported by name.
"""

from __future__ import annotations

import csv
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from local_connect.flows.loader import FlowLibrary, load_flow_file
from local_connect.flows.model import Flow
from local_connect.flows.testing import FlowHarness
from local_connect.flows.validate import Report

REPO_ROOT = Path(__file__).resolve().parents[2]
CORPUS_VARIABLE = "FLOW_CORPUS"  # set it to read the corpus from elsewhere


def _main_checkout(root: Path) -> Path:
    """The main checkout a git worktree belongs to (.git is then a file naming its gitdir)."""
    marker = root / ".git"
    if marker.is_file():
        text = marker.read_text(encoding="utf-8").strip()
        if text.startswith("gitdir:"):
            gitdir = Path(text.split(":", 1)[1].strip())
            if gitdir.parent.name == "worktrees":  # <main>/.git/worktrees/<name>
                return gitdir.parents[2]
    return root


def corpus_dir() -> Path:
    """$FLOW_CORPUS, else ../shared/flow-corpus beside the checkout (or beside the main checkout of
    a git worktree). The path returned may not exist: callers skip with it in the message."""
    override = os.environ.get(CORPUS_VARIABLE)
    if override:
        return Path(override)
    candidates = [root.parent / "shared" / "flow-corpus" for root in (REPO_ROOT, _main_checkout(REPO_ROOT))]
    return next((c for c in candidates if c.is_dir()), candidates[0])


CORPUS_DIR = corpus_dir()

# Documents Connect stored without validating them (status SAVED: CreateContactFlow's reference says a
# SAVED flow's content is not validated) that are visibly unfinished. The strict validator refuses
# them, and the conformance test checks it refuses them for these reasons only.
UNFINISHED: dict[str, str] = {
    "flow-20.json": "templater sample (SAVED): no StartAction, blank NextActions and parameters to fill in",
    "flow-21.json": "templater sample (SAVED): no StartAction, blank NextActions and parameters to fill in",
    "flow-22.json": "templater sample (SAVED): no StartAction, blank NextActions and parameters to fill in",
    "flow-28.json": "sample flow (saved) whose LambdaFunctionARN is left empty for the user to choose",
}

# What the scripted caller presses, in turn, whenever the flow collects input.
KEYS = ("1", "2", "#", "3", "0", "*")
MAX_CALLER_STEPS = 200
# Flows that play to a waiting or held contact until an agent takes it (a hold loop is their normal
# life): when the caller's turns run out there, the agent answers, which ends the flow.
HOLD_FLOW_TYPES = frozenset({"CUSTOMER_QUEUE", "CUSTOMER_HOLD", "AGENT_HOLD"})


def corpus_files(directory: Path = CORPUS_DIR) -> list[Path]:
    return sorted(directory.glob("flow-*.json"))


def manifest(directory: Path = CORPUS_DIR) -> dict[str, dict[str, str]]:
    with (directory / "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
        return {row["file"]: row for row in csv.DictReader(handle, delimiter="\t")}


def strict_report(path: Path) -> Report:
    return load_flow_file(path, key=path.name).report


@dataclass
class CorpusRun:
    """One scripted call through one document."""

    document: str
    # disconnected | ended | queued | agent answered (a hold loop, ended by the agent) | no StartAction;
    # holding (turns ran out in a flow that is not a hold flow) and stuck are faults.
    outcome: str
    steps: int  # caller turns (a key press or a silence)
    actions: int  # actions the engine ran
    seconds: float  # wall time
    unsupported: list[str] = field(default_factory=list)  # action types reached that are not run here
    problems: list[str] = field(default_factory=list)


def run_document(path: Path, harness: FlowHarness | None = None) -> CorpusRun:
    """Load `path` leniently and call it once, to an end or MAX_CALLER_STEPS caller turns.

    A harness (an in-memory center; see corpus_harness) may be shared by many documents."""
    started = time.perf_counter()
    flow = load_flow_file(path, key=path.name).flow
    if flow.start_action is None or flow.start_action not in flow.actions:
        return CorpusRun(path.name, "no StartAction", 0, 0, time.perf_counter() - started)
    if harness is not None:
        harness.library.add(flow)
        return _call(harness, flow, started)
    with tempfile.TemporaryDirectory() as directory:
        own = corpus_harness(Path(directory))
        try:
            own.library.add(flow)
            return _call(own, flow, started)
        finally:
            own.close()


def corpus_harness(directory: Path) -> FlowHarness:
    """An in-memory center with the template's definitions and no flows of its own: the documents'
    Lambdas, queues and flows are not there, so those actions take their error branches."""
    harness = FlowHarness(directory / "corpus.sqlite3", library=FlowLibrary({}))
    harness.set_local_time("2026-01-05 10:00")
    return harness


def _call(harness: FlowHarness, flow: Flow, started: float) -> CorpusRun:
    caller = harness.dial("+12025550101", flow.key)
    steps = 0
    outcome = "holding"
    while steps < MAX_CALLER_STEPS:
        state = _state(harness, caller.contact_id)
        if state is not None:
            outcome = state
            break
        session = harness.engine.session(caller.contact_id)
        waiting = session.waiting if session is not None else None
        if waiting is not None and waiting.kind == "input" and steps % 4 != 3:
            caller.press(KEYS[steps % len(KEYS)])
        elif harness.scheduler.next_due() is not None:
            caller.silence()
        else:
            outcome = "stuck"  # running, not waiting for time or keys: an engine fault
            break
        steps += 1
    if outcome == "holding" and flow.flow_type in HOLD_FLOW_TYPES:
        harness.engine.stop(caller.contact_id)
        outcome = "agent answered"
    session = harness.engine.session(caller.contact_id)
    problems = [p for p in harness.engine.problems if p.startswith(f"{caller.contact_id} ")]
    trace = session.trace if session is not None else []
    unsupported = sorted(
        {
            problem.split("action type ", 1)[1].split(" ", 1)[0]
            for problem in problems
            if "is not supported locally" in problem
        }
    )
    return CorpusRun(
        flow.key,
        outcome,
        steps,
        len(trace),
        time.perf_counter() - started,
        unsupported,
        problems,
    )


def _state(harness: FlowHarness, contact_id: str) -> str | None:
    """How the call ended, or None while the flow still runs."""
    contact = harness.center.contacts[contact_id]
    if contact.state == "disconnected":
        return "disconnected"
    if contact.state == "queued":
        return "queued"
    session = harness.engine.session(contact_id)
    if session is None or not session.active or session.action_id is None:
        return "ended"
    return None
