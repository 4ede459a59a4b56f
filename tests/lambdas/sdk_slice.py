"""Regenerate lambdas/jam_data/sdk_data: the slice of botocore's data the Lambdas' clients read.

    python -m tests.lambdas.sdk_slice

Writes, per service of jam_data.sdk.SDK_OPERATIONS (DynamoDB, Connect), the model with only those
operations and the shapes they reach (documentation dropped), and those services' entries of
endpoints.json, exactly as the installed botocore defines them. tests/lambdas/test_sdk_slice.py fails when the committed
slice no longer matches the installed botocore. This module lives with the tests because the
Lambdas never need it: it is build tooling, not code to deploy.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from botocore.loaders import Loader

# Run as a module from the repository root, the Lambdas' import root is not on the path yet.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "lambdas"))
from jam_data.sdk import SDK_DATA, SDK_OPERATIONS


def without_documentation(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_documentation(v) for k, v in value.items() if k != "documentation"}
    if isinstance(value, list):
        return [without_documentation(v) for v in value]
    return value


def reachable_shapes(model: dict[str, Any], operations: tuple[str, ...]) -> set[str]:
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


def sliced_model(loader: Loader, service: str, operations: tuple[str, ...]) -> tuple[str, dict[str, Any]]:
    version = loader.determine_latest_version(service, "service-2")
    full = loader.load_service_model(service, "service-2", version)
    keep = reachable_shapes(full, operations)
    model = without_documentation(
        {
            "version": full.get("version", "2.0"),
            "metadata": full["metadata"],
            "operations": {name: full["operations"][name] for name in operations},
            "shapes": {name: full["shapes"][name] for name in sorted(keep)},
        }
    )
    return f"{service}/{version}/service-2.json", model


def build(loader: Loader | None = None) -> dict[str, dict[str, Any]]:
    """Path under sdk_data -> JSON document."""
    loader = loader or Loader()
    documents = dict(sliced_model(loader, service, ops) for service, ops in SDK_OPERATIONS.items())
    endpoints = loader.load_data("endpoints")
    partitions = [
        {**p, "services": {s: p["services"][s] for s in sorted(SDK_OPERATIONS) if s in p["services"]}}
        for p in endpoints["partitions"]
    ]
    documents["endpoints.json"] = {**endpoints, "partitions": partitions}
    return documents


def main() -> int:
    for relative, document in build().items():
        path = SDK_DATA / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(document, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
