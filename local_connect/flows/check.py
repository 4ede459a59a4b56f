"""Check flows: the template's flows strictly, or any flow files (e.g. exported from an instance).

    python -m local_connect.flows.check                   # every flow the template maps (make flows-check)
    python -m local_connect.flows.check export.json ...   # any files: problems and unsupported blocks
    python -m local_connect check InboundFlow export.json  # a template flow by name, or files

Exit status 1 when a flow has errors (a file that is not UTF-8 JSON is one: one line says why, never a
traceback); unsupported action types and warnings are reported only.
"""

from __future__ import annotations

import sys
from pathlib import Path

from local_connect.definitions import load_definitions
from local_connect.flows.loader import FlowError, FlowLibrary, load_flow_file
from local_connect.flows.validate import Report


def main(argv: list[str] | None = None) -> int:
    paths = [Path(p) for p in (sys.argv[1:] if argv is None else argv)]
    reports: list[Report] = []
    if not paths:
        try:
            library = FlowLibrary.from_definitions(load_definitions(), strict=True)
        except FlowError as exc:
            print(exc.report)
            return 1
        reports = [library.reports[flow.key] for flow in library]
    else:
        for path in paths:
            if not path.exists() and str(path) in load_definitions().flows:
                reports.append(_template_report(str(path)))
                continue
            try:
                reports.append(load_flow_file(path, key=path.name).report)
            except OSError as exc:  # missing, a directory, unreadable
                print(f"{path}: cannot read: {exc.strerror or exc}")
                return 1
    for report in reports:
        print(report)
    return 1 if any(not report.ok for report in reports) else 0


def _template_report(logical_id: str) -> Report:
    """One template flow, strictly, with the template's placeholders resolved (as the deploy does)."""
    definitions = load_definitions()
    flow = definitions.flows[logical_id]
    if flow.flow_file is None:
        report = Report(logical_id)
        report.add("error", None, "the template gives this flow no Metadata.FlowFile")
        return report
    try:
        return load_flow_file(flow.flow_file, definitions, key=logical_id, flow_type=flow.type).report
    except FlowError as exc:
        return exc.report


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
