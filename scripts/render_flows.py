"""Inline every flow and flow module file into the built template as `Content: {"Fn::Sub": ...}`.

    python -m scripts.render_flows                       # after `sam build` (make iac-validate / deploy)
    python -m scripts.render_flows --source sam/template.yaml --built .aws-sam/build/template.yaml

The flow files (flows/*.json, named by each AWS::Connect::ContactFlow's or ContactFlowModule's
Metadata.FlowFile) are the one source of the flows: the local runtime runs them and this step
deploys them; no copy is committed. Their references use Fn::Sub syntax (`${SurveyFlow.ContactFlowArn}`), so wrapping the
file's text in Fn::Sub makes CloudFormation resolve them on deploy, in dependency order. Why not a
custom resource: it would create flows outside CloudFormation's drift/rollback, need its own
Lambda and permissions, and could not be linted offline; the rendered template is an ordinary one
that `sam validate --lint` and checkov check like the source.

Every placeholder is checked before anything is written: it must name a resource of the template
with an attribute Fn::Sub can read (or a parameter / pseudo parameter), so a typo fails here, not
half-way through a deploy.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from local_connect.definitions import REPO_ROOT, TEMPLATE_PATH, load_template

BUILT_TEMPLATE = REPO_ROOT / ".aws-sam" / "build" / "template.yaml"
FLOW_TYPE = "AWS::Connect::ContactFlow"
MODULE_TYPE = "AWS::Connect::ContactFlowModule"  # a flow module: its Content is inlined the same way
# Amazon Connect's limit on a flow's content.
MAX_CONTENT_CHARS = 256_000
# Fn::Sub variables: `${Name}` or `${Logical.Attribute}`; `${!Literal}` is an escaped literal.
SUB_VARIABLE = re.compile(r"\$\{(?!!)([^}]*)\}")
PSEUDO_PARAMETERS = frozenset(
    {
        "AWS::AccountId",
        "AWS::NotificationARNs",
        "AWS::NoValue",
        "AWS::Partition",
        "AWS::Region",
        "AWS::StackId",
        "AWS::StackName",
        "AWS::URLSuffix",
    }
)
# The attributes a flow may reference, by resource type (what GetAtt returns for each).
ATTRIBUTES: Mapping[str, frozenset[str]] = {
    "AWS::Connect::Instance": frozenset({"Arn", "Id"}),
    "AWS::Connect::HoursOfOperation": frozenset({"HoursOfOperationArn"}),
    "AWS::Connect::Queue": frozenset({"QueueArn"}),
    "AWS::Connect::RoutingProfile": frozenset({"RoutingProfileArn"}),
    "AWS::Connect::ContactFlow": frozenset({"ContactFlowArn"}),
    "AWS::Connect::ContactFlowModule": frozenset({"ContactFlowModuleArn"}),
    "AWS::Connect::PhoneNumber": frozenset({"PhoneNumberArn", "Address"}),
    "AWS::Connect::Prompt": frozenset({"PromptArn"}),
    "AWS::Serverless::Function": frozenset({"Arn"}),
    "AWS::Lambda::Function": frozenset({"Arn"}),
}


class RenderError(ValueError):
    """A flow cannot be deployed as written; the message names the flow and the problem."""


def flow_file(source_template: Path, resource: Mapping[str, Any]) -> Path | None:
    name = (resource.get("Metadata") or {}).get("FlowFile")
    return (source_template.parent / name).resolve() if name else None


def sub_variables(text: str) -> list[str]:
    return SUB_VARIABLE.findall(text)


def check_variable(variable: str, template: Mapping[str, Any]) -> str | None:
    """Why `${variable}` cannot be resolved by Fn::Sub in `template`, or None when it can."""
    resources: Mapping[str, Any] = template.get("Resources", {})
    parameters: Mapping[str, Any] = template.get("Parameters", {}) or {}
    if variable in PSEUDO_PARAMETERS or variable in parameters:
        return None
    logical_id, _, attribute = variable.partition(".")
    if logical_id not in resources:
        return f"${{{variable}}} names no resource or parameter of the template"
    if not attribute:
        return None  # Ref: every resource has one.
    kind = resources[logical_id].get("Type", "")
    allowed = ATTRIBUTES.get(kind)
    if allowed is None or attribute not in allowed:
        return f"${{{variable}}}: {kind} has no attribute {attribute!r} a flow can use"
    return None


def flow_content(path: Path, template: Mapping[str, Any]) -> str:
    """The flow file as compact JSON, every placeholder checked against the template."""
    try:
        flow = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise RenderError(f"{path}: the flow file does not exist") from exc
    except json.JSONDecodeError as exc:
        raise RenderError(f"{path}: not JSON ({exc})") from exc
    if not isinstance(flow, dict) or "Actions" not in flow or "StartAction" not in flow:
        raise RenderError(f"{path}: not a Flow Language document (no Actions / StartAction)")
    content = json.dumps(flow, separators=(",", ":"), ensure_ascii=False)
    problems = [p for v in sub_variables(content) if (p := check_variable(v, template))]
    if problems:
        raise RenderError(f"{path}: " + "; ".join(problems))
    if len(content) > MAX_CONTENT_CHARS:
        raise RenderError(f"{path}: {len(content)} characters, over Connect's {MAX_CONTENT_CHARS}")
    return content


def render(template: dict[str, Any], source_template: Path) -> dict[str, Any]:
    """`template` with each flow's Content replaced by Fn::Sub of its flow file (a new dict)."""
    rendered = json.loads(json.dumps(template))
    for logical_id, resource in rendered.get("Resources", {}).items():
        if resource.get("Type") not in (FLOW_TYPE, MODULE_TYPE):
            continue
        path = flow_file(source_template, resource)
        if path is None:
            what = "a flow module" if resource["Type"] == MODULE_TYPE else "a contact flow"
            raise RenderError(f"{logical_id}: {what} needs Metadata.FlowFile (its flows/*.json)")
        try:
            content = flow_content(path, template)
        except RenderError as exc:
            raise RenderError(f"{logical_id}: {exc}") from exc
        resource["Properties"]["Content"] = {"Fn::Sub": content}
    return rendered


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.render_flows", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--source", type=Path, default=TEMPLATE_PATH, help="template the FlowFile paths are relative to"
    )
    parser.add_argument(
        "--built", type=Path, default=BUILT_TEMPLATE, help="template to render (sam build output)"
    )
    parser.add_argument("--output", type=Path, help="where to write (default: over --built)")
    args = parser.parse_args(argv)
    try:
        rendered = render(load_template(args.built), args.source)
    except (RenderError, OSError) as exc:
        print(f"render_flows: {exc}", file=sys.stderr)
        return 1
    output: Path = args.output or args.built
    # JSON is YAML too, so `sam deploy` reads it under its .yaml name; long strings stay exact.
    output.write_text(json.dumps(rendered, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    flows = [k for k, r in rendered["Resources"].items() if r.get("Type") == FLOW_TYPE]
    print(f"render_flows: {len(flows)} flows inlined into {output}: {', '.join(flows)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
