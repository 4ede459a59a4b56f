"""Regenerate api/jam_api/sdk_data: the slice of botocore's data the API's Connect client needs.

botocore spends most of a cold start decoding Connect's full model (1.9 MB, ~900 operations) and
listing every service directory; the API calls a handful of operations. This writes those operations and
the shapes they reach, exactly as the installed botocore defines them (documentation dropped), and
the Connect entries of endpoints.json. tests/api/test_sdk_data.py fails when the slice no longer
matches the installed botocore: run `python -m scripts.trim_sdk_data` then.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from botocore.loaders import Loader

API_OPERATIONS = (
    "DescribeContact",
    "DescribeHoursOfOperation",
    "DescribeQueue",
    "GetContactAttributes",
    "GetContactMetrics",
    "GetCurrentMetricData",
    "ListHoursOfOperationOverrides",
    "ListQueues",
    "SearchContacts",
    "StartOutboundVoiceContact",
)
SERVICE = "connect"
TARGET = Path(__file__).resolve().parent.parent / "api" / "jam_api" / "sdk_data"


def _without_documentation(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_documentation(v) for k, v in value.items() if k != "documentation"}
    if isinstance(value, list):
        return [_without_documentation(v) for v in value]
    return value


def _reachable_shapes(model: dict[str, Any], operations: tuple[str, ...]) -> set[str]:
    shapes = model["shapes"]
    seen: set[str] = set()
    pending = []
    for name in operations:
        operation = model["operations"][name]
        pending += [operation[k]["shape"] for k in ("input", "output") if k in operation]
        pending += [error["shape"] for error in operation.get("errors", [])]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        shape = shapes[name]
        pending += [shape[k]["shape"] for k in ("member", "key", "value") if k in shape]
        pending += [member["shape"] for member in shape.get("members", {}).values()]
    return seen


def sliced_service_model(loader: Loader, api_version: str) -> dict[str, Any]:
    full = loader.load_service_model(SERVICE, "service-2", api_version)
    keep = _reachable_shapes(full, API_OPERATIONS)
    return _without_documentation(
        {
            "version": full.get("version", "2.0"),
            "metadata": full["metadata"],
            "operations": {name: full["operations"][name] for name in API_OPERATIONS},
            "shapes": {name: full["shapes"][name] for name in sorted(keep)},
        }
    )


def sliced_endpoints(loader: Loader) -> dict[str, Any]:
    endpoints = loader.load_data("endpoints")
    partitions = [
        {**p, "services": {SERVICE: p["services"][SERVICE]} if SERVICE in p["services"] else {}}
        for p in endpoints["partitions"]
    ]
    return {**endpoints, "partitions": partitions}


def build(loader: Loader | None = None) -> dict[str, dict[str, Any]]:
    """Relative path under sdk_data → JSON document."""
    loader = loader or Loader()
    api_version = loader.determine_latest_version(SERVICE, "service-2")
    return {
        f"{SERVICE}/{api_version}/service-2.json": sliced_service_model(loader, api_version),
        "endpoints.json": sliced_endpoints(loader),
    }


def main() -> int:
    for relative, document in build().items():
        path = TARGET / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(document, separators=(",", ":"), sort_keys=True) + "\n")
        print(f"wrote {path.relative_to(TARGET.parent.parent.parent)} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
