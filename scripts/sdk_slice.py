"""Regenerate the slices of botocore's data our clients read (after upgrading boto3):

    python -m scripts.sdk_slice

- api/jam_api/sdk_data: Connect, the operations in jam_api.connect_client.API_OPERATIONS;
- jam_core/aws_sdk/sdk_data: per service, the operations in jam_core.aws_sdk.clients.SDK_OPERATIONS.

Each slice holds, per service, the model with only those operations and the shapes they reach
(documentation dropped) and those services' entries of endpoints.json, exactly as the installed
botocore defines them. tests/api/test_sdk_data.py and tests/lambdas/test_sdk_slice.py fail when a
committed slice no longer matches the installed botocore. Build tooling: never deployed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from botocore.loaders import Loader

REPO_ROOT = Path(__file__).resolve().parent.parent


def _without_documentation(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_documentation(v) for k, v in value.items() if k != "documentation"}
    if isinstance(value, list):
        return [_without_documentation(v) for v in value]
    return value


def _reachable_shapes(model: dict[str, Any], operations: Sequence[str]) -> set[str]:
    shapes = model["shapes"]
    pending: list[str] = []
    for name in operations:
        operation = model["operations"][name]
        pending += [operation[k]["shape"] for k in ("input", "output") if k in operation]
        pending += [error["shape"] for error in operation.get("errors", [])]
    seen: set[str] = set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        shape = shapes[name]
        pending += [shape[k]["shape"] for k in ("member", "key", "value") if k in shape]
        pending += [member["shape"] for member in shape.get("members", {}).values()]
    return seen


def _sliced_model(loader: Loader, service: str, operations: Sequence[str]) -> tuple[str, dict[str, Any]]:
    version = loader.determine_latest_version(service, "service-2")
    full = loader.load_service_model(service, "service-2", version)
    keep = _reachable_shapes(full, operations)
    model = _without_documentation(
        {
            "version": full.get("version", "2.0"),
            "metadata": full["metadata"],
            "operations": {name: full["operations"][name] for name in operations},
            "shapes": {name: full["shapes"][name] for name in sorted(keep)},
        }
    )
    return f"{service}/{version}/service-2.json", model


def build(operations: Mapping[str, Sequence[str]], loader: Loader | None = None) -> dict[str, dict[str, Any]]:
    """Path under the slice's folder -> JSON document, for these services and operations."""
    loader = loader or Loader()
    documents = dict(_sliced_model(loader, service, ops) for service, ops in operations.items())
    endpoints = loader.load_data("endpoints")
    partitions = [
        {**p, "services": {s: p["services"][s] for s in sorted(operations) if s in p["services"]}}
        for p in endpoints["partitions"]
    ]
    documents["endpoints.json"] = {**endpoints, "partitions": partitions}
    return documents


def slices() -> dict[Path, Mapping[str, Sequence[str]]]:
    """Each slice's folder -> the operations it carries per service."""
    from jam_api.connect_client import API_OPERATIONS
    from jam_api.connect_client import SDK_DATA as API_SDK_DATA

    from jam_core.aws_sdk.clients import SDK_DATA as LAMBDA_SDK_DATA
    from jam_core.aws_sdk.clients import SDK_OPERATIONS

    return {API_SDK_DATA: {"connect": API_OPERATIONS}, LAMBDA_SDK_DATA: SDK_OPERATIONS}


def main() -> int:
    for folder, operations in slices().items():
        for relative, document in build(operations).items():
            path = folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            text = json.dumps(document, separators=(",", ":"), sort_keys=True) + "\n"
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(REPO_ROOT)} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
