"""Run scenario files (YAML calls through any flow) and report branch coverage per flow.

    python -m local_connect flowtest tests/flows/scenarios/*.yaml
    python -m local_connect flowtest my-scenarios/ --fail-under 100     (make flowtest SCENARIOS=...)

Each scenario gets a fresh in-memory contact center on a manual clock, with the real Lambdas on a
freshly seeded SQLite file (stubbed replies for the functions a scenario names). The coverage
report counts the actions run and branches taken in every flow the scenarios reached, overall and
in each language the flows speak (see local_connect.flows.coverage.required_languages).
Exit status: 1 when a scenario fails (or coverage is below --fail-under), 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import glob
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from jam_core.connect_lambda.settings import PIN_PEPPER_FILE_NAME
from jam_core.tables import sqlite_db
from local_connect.definitions import Definitions, load_definitions
from local_connect.flows.coverage import Coverage, flow_languages, render, report
from local_connect.flows.loader import FlowLibrary
from local_connect.flows.model import Flow
from local_connect.flows.scenarios import CorpusMissing, ScenarioError, load_scenario, run_scenario
from local_connect.flows.testing import FlowExpectationError, FlowHarness, seed_database


def scenario_files(patterns: list[str]) -> list[Path]:
    """Files, folders (their *.yaml and *.yml) and globs, in order, each once."""
    found: list[Path] = []
    for pattern in patterns:
        path = Path(pattern)
        if path.is_dir():
            matches = sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
        else:
            matches = sorted(Path(p) for p in glob.glob(pattern)) or [path]
        found.extend(m for m in matches if m not in found)
    return found


class Databases:
    """The Lambdas' SQLite data, seeded once from data/seed; each scenario gets a fresh copy."""

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="flowtest-")
        self.root = Path(self._dir.name)
        self.seeded = self.root / "seed" / "jam.sqlite3"
        self.seeded.parent.mkdir()
        seed_database(str(self.seeded))
        sqlite_db.close_all()  # checkpoint the WAL into the file so a plain copy is complete
        self._count = 0

    def fresh(self) -> Path:
        self._count += 1
        folder = self.root / f"run-{self._count}"
        folder.mkdir()
        shutil.copy(self.seeded, folder / "jam.sqlite3")
        # The PINs were keyed with the pepper file beside the seeded database: it travels with it.
        shutil.copy(self.seeded.parent / PIN_PEPPER_FILE_NAME, folder / PIN_PEPPER_FILE_NAME)
        return folder / "jam.sqlite3"

    def close(self) -> None:
        sqlite_db.close_all()
        self._dir.cleanup()


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m local_connect flowtest", description=__doc__.split("\n")[0]
    )
    parser.add_argument("scenarios", nargs="+", help="scenario files, folders or globs")
    parser.add_argument(
        "--fail-under",
        type=float,
        default=None,
        metavar="PCT",
        help="fail when a flow's coverage (overall or in a language) is below PCT",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="print each call's transcript and what no scenario ran"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _parse(sys.argv[1:] if argv is None else argv)
    files = scenario_files(args.scenarios)
    missing = [f for f in files if not f.is_file()]
    if missing:
        print(f"no scenario file {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    definitions = load_definitions()
    template = FlowLibrary.from_definitions(definitions)
    coverage = Coverage()
    flows: dict[str, Flow] = {}
    failed = skipped = 0
    databases = Databases()
    try:
        for path, outcome, detail, reached in _run_all(
            files, definitions, template, coverage, databases, args.verbose
        ):
            print(f"{outcome:<5} {path}" + (f": {detail}" if detail and outcome != "PASS" else ""))
            if outcome == "PASS" and detail and args.verbose:
                print(detail)
            failed += outcome == "FAIL"
            skipped += outcome == "SKIP"
            flows.update(reached)
    finally:
        databases.close()
    ran = [flow for key, flow in flows.items() if any(k == key for k, _ in coverage.actions)]
    results = report(coverage, ran, languages=flow_languages(ran), find=lambda ref: _find(flows, ref))
    print()
    print(render(results, details=args.verbose))
    print(f"\n{len(files) - failed - skipped} passed, {failed} failed, {skipped} skipped")
    below = []
    if args.fail_under is not None:
        for result in results:
            shares = {"": result.percent, **{f" in {k}": v for k, v in result.by_language.items()}}
            below += [
                f"{result.flow}{where} {pct}%" for where, pct in shares.items() if pct < args.fail_under
            ]
    if below:
        print(f"coverage below {args.fail_under:g}%: {', '.join(below)}")
    return 1 if failed or below else 0


def _find(flows: dict[str, Flow], ref: str) -> Flow | None:
    return next((f for f in flows.values() if ref in (f.key, f.arn, f.flow_id)), None)


def _run_all(
    files: list[Path],
    definitions: Definitions,
    template: FlowLibrary,
    coverage: Coverage,
    databases: Databases,
    verbose: bool,
) -> Iterator[tuple[Path, str, str, dict[str, Flow]]]:
    for path in files:
        library = FlowLibrary({flow.key: flow for flow in template})  # the scenario's flows join a copy
        harness = FlowHarness(
            databases.fresh(),
            definitions=definitions,
            coverage=coverage,
            library=library,
            lambda_env={"LOG_LEVEL": "ERROR"},
        )
        try:
            scenario = load_scenario(path)
            run = run_scenario(harness, scenario)
            yield path, "PASS", "\n".join(run.transcript) if verbose else "", {f.key: f for f in library}
        except CorpusMissing as exc:
            yield path, "SKIP", str(exc), {}
        except (ScenarioError, FlowExpectationError) as exc:
            yield path, "FAIL", str(exc), {f.key: f for f in library}
        finally:
            harness.close()


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
