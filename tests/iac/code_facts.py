"""What the code itself does, read from its source (AST): environment reads and AWS SDK calls.

Reading the source rather than a hand-kept list is the point: a new `env.get("X")` or a new
`client.some_operation(...)` in the code changes these answers, and the template tests then
demand the matching variable or IAM grant.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

import botocore.session
from botocore import xform_name

REPO = Path(__file__).resolve().parents[2]


def python_files(root: Path) -> Iterator[Path]:
    yield from (p for p in sorted(root.rglob("*.py")) if "__pycache__" not in p.parts)


def _trees(root: Path) -> Iterator[ast.AST]:
    for path in python_files(root):
        yield ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _string(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _is_environ(node: ast.AST) -> bool:
    # os.environ, or a mapping parameter conventionally called env / environ.
    if isinstance(node, ast.Attribute):
        return node.attr == "environ"
    return isinstance(node, ast.Name) and node.id in ("env", "environ")


def environment_reads(root: Path) -> set[str]:
    """Names read with env.get("X"), os.environ.get("X"), os.environ["X"] or os.getenv("X")."""
    names: set[str] = set()
    for tree in _trees(root):
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args:
                func = node.func
                name = _string(node.args[0])
                if (
                    name is not None
                    and isinstance(func, ast.Attribute)
                    and ((func.attr == "get" and _is_environ(func.value)) or func.attr == "getenv")
                ):
                    names.add(name)
            if isinstance(node, ast.Call) and len(node.args) >= 2 and _is_environ(node.args[0]):
                # A helper given the environment and a variable name: _positive_int(env, "X", 3).
                name = _string(node.args[1])
                if name is not None and name.isupper():
                    names.add(name)
            elif isinstance(node, ast.Subscript) and _is_environ(node.value):
                name = _string(node.slice)
                if name is not None:
                    names.add(name)
    return names


@cache
def operations(service: str) -> dict[str, str]:
    """python method name -> API operation name, from botocore's own model of the service."""
    model = botocore.session.get_session().get_service_model(service)
    return {xform_name(name): name for name in model.operation_names}


def sdk_calls(root: Path, service: str) -> set[str]:
    """IAM actions ("service:Operation") for every call of an operation of `service` in the code:
    client.<operation>(...) and client.get_paginator("<operation>")."""
    return _calls_in(python_files(root), service)


def _calls_in(paths: Iterable[Path], service: str) -> set[str]:
    ops = operations(service)
    found: set[str] = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            method = node.func.attr
            if method in ("get_paginator", "get_waiter") and node.args:
                method = _string(node.args[0]) or ""
            if method in ops:
                found.add(f"{service}:{ops[method]}")
    return found


# Import roots of our own packages, as a deployed function sees them (its CodeUri plus jam_core).
OWN_ROOTS = (REPO, REPO / "api", REPO / "lambdas")


def _module_file(name: str) -> Path | None:
    parts = name.split(".")
    for root in OWN_ROOTS:
        for candidate in (root.joinpath(*parts).with_suffix(".py"), root.joinpath(*parts, "__init__.py")):
            if candidate.is_file() and "local_connect" not in candidate.parts:
                return candidate
    return None


def import_closure(root: Path) -> set[Path]:
    """The files of `root` (a function's package) and every module of ours they import,
    transitively: the code a function can run, so the calls its role must allow."""
    todo = list(python_files(root))
    seen: set[Path] = set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            for name in names:
                found = _module_file(name)
                if found is not None and found not in seen:
                    todo.append(found)
    return seen


def sdk_calls_of(root: Path, service: str) -> set[str]:
    """sdk_calls over a function's import closure (its package and the shared modules it uses)."""
    return _calls_in(sorted(import_closure(root)), service)
