"""The deployable template against the service limits it must stay under, and the render step's cost.

Limits (AWS documentation): a CloudFormation template body of at most 51,200 bytes inline and
1,000,000 bytes from S3 (samconfig.toml sets resolve_s3, so SAM uploads it), at most 500 resources
per stack; a contact flow's Content of at most 256,000 characters; a Lambda function with its
layers of at most 262,144,000 bytes unzipped.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from local_connect.definitions import REPO_ROOT, TEMPLATE_PATH, load_template
from scripts.render_flows import FLOW_TYPE, MAX_CONTENT_CHARS, render

TEMPLATE_INLINE_LIMIT = 51_200
TEMPLATE_S3_LIMIT = 1_000_000
RESOURCE_LIMIT = 500
LAMBDA_UNZIPPED_LIMIT = 262_144_000
LAYER_DIR = REPO_ROOT / ".aws-sam" / "build" / "ApiDependenciesLayer"
RUNS = 20


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def run() -> str:
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        rendered = render(load_template(TEMPLATE_PATH), TEMPLATE_PATH)
        timings.append((time.perf_counter() - started) * 1000)
    body = json.dumps(rendered, indent=1, ensure_ascii=False).encode("utf-8")
    flows = {
        logical_id: len(resource["Properties"]["Content"]["Fn::Sub"])
        for logical_id, resource in rendered["Resources"].items()
        if resource.get("Type") == FLOW_TYPE
    }
    lines = [
        "## iac: the rendered template against AWS limits",
        "",
        "Method: `scripts.render_flows.render` on `sam/template.yaml` with the real `flows/*.json`, "
        f"{RUNS} runs (template load included); sizes of what `make deploy` writes. The SAM transform "
        "adds resources on deploy (API stage/deployment, permissions), counted in CloudFormation's limit "
        "but not here.",
        "",
        "| measure | value | limit |",
        "| --- | --- | --- |",
        f"| render time, median / max | {statistics.median(timings):.1f} ms / {max(timings):.1f} ms | (goal < 1000 ms) |",
        f"| rendered template | {len(body):,} bytes | {TEMPLATE_S3_LIMIT:,} via S3 ({TEMPLATE_INLINE_LIMIT:,} inline) |",
        f"| resources before the SAM transform | {len(rendered['Resources'])} | {RESOURCE_LIMIT} |",
    ]
    lines += [
        f"| {name} Content | {chars:,} chars | {MAX_CONTENT_CHARS:,} |" for name, chars in flows.items()
    ]
    if LAYER_DIR.is_dir():
        lines.append(
            f"| API dependency layer, unzipped | {_size(LAYER_DIR):,} bytes | {LAMBDA_UNZIPPED_LIMIT:,} |"
        )
    else:
        lines.append("| API dependency layer, unzipped | not built (run `make iac-build`) | |")
    within = len(body) < TEMPLATE_S3_LIMIT and all(c < MAX_CONTENT_CHARS for c in flows.values())
    lines += ["", "Every measure is within its limit." if within else "**A limit is exceeded.**", ""]
    return "\n".join(lines)
