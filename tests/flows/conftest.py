"""Flow-test fixtures: a seeded SQLite file per test, a scripted-caller harness, and flow coverage.

Coverage: every flow scenario records the actions and branches it takes. When the whole flow suite
runs (no -k/-m selection, nothing deselected, every scenario passed), the session fails if a gated
flow is below 100% overall or in any language it speaks (of the steps a session in that language can
reach: `local_connect.flows.coverage.required_languages`), and the per-flow report is printed either
way. The gated flows are every flow the template deploys: the template is their one list.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from jam_core.connect_lambda.settings import PIN_PEPPER_FILE_NAME
from jam_core.tables import sqlite_db
from local_connect.definitions import load_definitions
from local_connect.flows.coverage import Coverage, FlowCoverage, flow_languages, render, report
from local_connect.flows.loader import FlowLibrary
from local_connect.flows.testing import FlowHarness, seed_database

HERE = Path(__file__).parent
SCENARIO_MARK = "flow_scenario"

COVERAGE = Coverage()
_state = {"deselected": False, "failed": False}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{SCENARIO_MARK}: a scripted call through the JAM flows")


def pytest_deselected(items: list[pytest.Item]) -> None:
    if any(Path(str(item.fspath)).parent == HERE for item in items):
        _state["deselected"] = True


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.failed and Path(report.fspath).parent == HERE:
        _state["failed"] = True


def _whole_suite(config: pytest.Config) -> bool:
    if _state["deselected"] or config.getoption("keyword") or config.getoption("markexpr"):
        return False
    # Only when the flow scenario modules were all collected (not a single file or test id).
    args = [str(a) for a in config.args]
    return not any("::" in a or a.endswith(".py") for a in args)


def coverage_results() -> list[FlowCoverage]:
    """The gate: every flow of the template, overall and in each language the flows speak."""
    library = FlowLibrary.from_definitions(load_definitions())
    flows = list(library)
    return report(COVERAGE, flows, languages=flow_languages(flows), find=library.find)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    if not COVERAGE.actions:
        return
    results = coverage_results()
    terminalreporter.write_line("")
    terminalreporter.write_line(render(results, details=_whole_suite(config)))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if not COVERAGE.actions or not _whole_suite(session.config) or _state["failed"]:
        return
    below = [shortfall for result in coverage_results() for shortfall in result.shortfalls()]
    if below:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        print("\nflow coverage below 100%: " + ", ".join(below))


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """data/seed loaded once through the Lambdas' repositories; each test gets a copy."""
    path = tmp_path_factory.mktemp("seed") / "jam.sqlite3"
    seed_database(str(path))
    sqlite_db.close_all()  # checkpoint the WAL into the file so a plain copy is complete
    return path


@pytest.fixture
def database(seeded_template: Path, tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "jam.sqlite3"
    shutil.copy(seeded_template, path)
    # The PINs were keyed with the pepper file beside the seeded database: it travels with it.
    shutil.copy(seeded_template.parent / PIN_PEPPER_FILE_NAME, tmp_path / PIN_PEPPER_FILE_NAME)
    yield path
    sqlite_db.close_all()


@pytest.fixture(scope="session")
def library() -> FlowLibrary:
    return FlowLibrary.from_definitions(load_definitions())


@pytest.fixture
def coverage() -> Coverage:
    """The session's flow coverage (every scenario adds to it)."""
    return COVERAGE


@pytest.fixture
def center(database: Path, library: FlowLibrary) -> Iterator[FlowHarness]:
    """The JAM flows on an in-memory center, Monday 10:00 in New York (every team open)."""
    harness = FlowHarness(database, coverage=COVERAGE, library=library)
    harness.set_local_time("2026-01-05 10:00")
    yield harness
    harness.close()


@pytest.fixture(params=["en-US", "es-US"])
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)
