"""Hold requests and responses to api/jam_api/openapi.json (the document we publish)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

OPENAPI = Path(__file__).resolve().parents[2] / "api" / "jam_api" / "openapi.json"
BASE = "urn:jam:openapi"


@cache
def document() -> dict[str, Any]:
    return dict(json.loads(OPENAPI.read_text()))


@cache
def _registry() -> Registry[Any]:
    return Registry().with_resource(BASE, DRAFT202012.create_resource({"$id": BASE, **document()}))


def _validate(pointer: str, instance: Any) -> None:
    # Validate against a $ref into the whole document, so nested "#/components/..." refs resolve.
    validator = Draft202012Validator(
        {"$ref": f"{BASE}#{pointer}"},
        registry=_registry(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    validator.validate(instance)


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def documented_path(path: str) -> str | None:
    """The documented path template a concrete path matches ("/a/{id}" matches "/a/42"), if any."""
    parts = path.split("/")
    for template in document()["paths"]:
        pieces = template.split("/")
        if len(pieces) == len(parts) and all(
            p == q or (p.startswith("{") and p.endswith("}") and q)
            for p, q in zip(pieces, parts, strict=True)
        ):
            return str(template)
    return None


def assert_matches_openapi(method: str, path: str, body: Any, response: Any) -> None:
    template = documented_path(path)
    assert template is not None, f"{path} is not documented"
    path = template
    operation = document()["paths"][path][method]
    status = str(response.status_code)
    assert status in operation["responses"], f"{method} {path} answered {status}, not documented"
    declared = operation["responses"][status]
    pointer = f"/paths/{_escape(path)}/{method}/responses/{status}"
    if "$ref" in declared:
        name = declared["$ref"].rsplit("/", 1)[1]
        declared = document()["components"]["responses"][name]
        pointer = f"/components/responses/{name}"
    media = response.mimetype
    assert media in declared["content"], f"{status} answered {media}, documented {list(declared['content'])}"
    _validate(f"{pointer}/content/{_escape(media)}/schema", response.get_json(force=True))
    if isinstance(body, dict) and response.status_code < 400:
        request_pointer = f"/paths/{_escape(path)}/{method}/requestBody/content/application~1json/schema"
        _validate(request_pointer, body)
