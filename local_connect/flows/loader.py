"""Loading flows: one document (strictly or leniently), or the template's flows as a library.

The template maps each flow file to a logical id (AWS::Connect::ContactFlow with Metadata.FlowFile);
references in the files are Fn::Sub placeholders that `Definitions.resolve` replaces exactly as the
deploy does, so the same file runs on AWS and here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from local_connect.definitions import ContactFlowDef, Definitions
from local_connect.flows.catalog import CATALOG
from local_connect.flows.model import Flow, parse_flow
from local_connect.flows.validate import Report, validate


class FlowError(ValueError):
    """A flow that cannot be loaded; the message names the flow, the action and the reason."""

    def __init__(self, report: Report) -> None:
        super().__init__(str(report))
        self.report = report


@dataclass(frozen=True)
class LoadResult:
    flow: Flow
    report: Report


def load_flow(
    document: Any,
    *,
    key: str,
    name: str | None = None,
    flow_type: str | None = None,
    arn: str | None = None,
    flow_id: str | None = None,
    source: str | None = None,
    strict: bool = False,
) -> LoadResult:
    """Parse and validate a decoded Flow Language document (or its JSON text).

    flow_type is the CreateContactFlow Type (the template's); without it, an export's Metadata.type
    (contactFlow, customerQueue...) names it, and a document with neither is checked for every type.
    strict=True raises FlowError when the report has errors; otherwise problems are only reported.
    Never raises on a malformed document in lenient mode.
    """
    too_long = isinstance(document, str | bytes) and len(document) > CATALOG.max_content_characters
    if isinstance(document, str | bytes):
        try:
            document = json.loads(document)
        except RecursionError:  # json's C parser recurses once per nested array or object
            return _unreadable(key, "not JSON: nested more deeply than the JSON parser allows", strict)
        except ValueError as exc:  # JSONDecodeError, or bytes that are not UTF-8/16/32
            return _unreadable(key, f"not JSON: {exc}", strict)
    if not isinstance(document, Mapping):
        return _unreadable(key, f"a flow must be a JSON object, not {type(document).__name__}", strict)
    if flow_type is None:
        flow_type = _export_flow_type(document)
    parsed = parse_flow(
        document, key=key, name=name, flow_type=flow_type, arn=arn, flow_id=flow_id, source=source
    )
    report = validate(parsed)
    if too_long:
        report.add("error", None, f"the flow has more than {CATALOG.max_content_characters} characters")
    if strict and not report.ok:
        raise FlowError(report)
    return LoadResult(parsed.flow, report)


def _export_flow_type(document: Mapping[str, Any]) -> str:
    """The flow type an export records in Metadata.type, as CreateContactFlow names it ("" if none)."""
    metadata = document.get("Metadata")
    recorded = metadata.get("type") if isinstance(metadata, Mapping) else None
    return CATALOG.export_flow_types.get(recorded, "") if isinstance(recorded, str) else ""


def _unreadable(key: str, message: str, strict: bool) -> LoadResult:
    """A document that is not a flow at all: only that is reported (not the follow-on problems of
    an empty flow), and a lenient load gets an empty flow."""
    report = Report(key)
    report.add("error", None, message)
    if strict:
        raise FlowError(report)
    return LoadResult(parse_flow({}, key=key).flow, report)


def load_flow_file(path: Path, definitions: Definitions | None = None, **kwargs: Any) -> LoadResult:
    """A flow file, placeholders resolved with `definitions` when given."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        return _unreadable(
            kwargs.get("key", path.stem), f"not UTF-8 text: {exc}", kwargs.get("strict", False)
        )
    if definitions is not None:
        try:
            text = definitions.resolve(text)
        except KeyError as exc:
            report = Report(kwargs.get("key", path.stem))
            report.add("error", None, f"{path.name}: {exc.args[0]}")
            raise FlowError(report) from exc
    kwargs.setdefault("key", path.stem)
    kwargs.setdefault("source", str(path))
    return load_flow(text, **kwargs)


class FlowLibrary:
    """The flows a contact center runs, by logical id, flow id and ARN."""

    def __init__(self, flows: Mapping[str, Flow], reports: Mapping[str, Report] | None = None) -> None:
        self._flows: dict[str, Flow] = {}
        self.reports = dict(reports or {})
        self._aliases: dict[str, str] = {}
        for key, flow in flows.items():
            self._register(key, flow)

    @classmethod
    def from_definitions(cls, definitions: Definitions, *, strict: bool = True) -> FlowLibrary:
        flows: dict[str, Flow] = {}
        reports: dict[str, Report] = {}
        for logical_id, definition in definitions.flows.items():
            if definition.flow_file is None or not definition.flow_file.exists():
                continue
            result = load_flow_file(
                definition.flow_file,
                definitions,
                key=logical_id,
                name=definition.name,
                flow_type=definition.type,
                arn=definition.arn,
                flow_id=definition.id,
                strict=strict,
            )
            flows[logical_id] = result.flow
            reports[logical_id] = result.report
        return cls(flows, reports)

    def add(self, flow: Flow) -> None:
        self._register(flow.key, flow)

    def _register(self, key: str, flow: Flow) -> None:
        self._flows[key] = flow
        for alias in (key, flow.arn, flow.flow_id):
            if alias:
                self._aliases[alias] = key

    def find(self, ref: str | ContactFlowDef | Flow) -> Flow | None:
        if isinstance(ref, Flow):
            return ref
        if isinstance(ref, ContactFlowDef):
            ref = ref.logical_id
        key = self._aliases.get(ref)
        return self._flows[key] if key is not None else None

    def get(self, ref: str | ContactFlowDef | Flow) -> Flow:
        flow = self.find(ref)
        if flow is None:
            raise KeyError(f"no flow {ref!r} in the library")
        return flow

    def __iter__(self) -> Iterator[Flow]:
        return iter(self._flows.values())

    def __len__(self) -> int:
        return len(self._flows)
