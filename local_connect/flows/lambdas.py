"""InvokeLambdaFunction, locally: the real handler, imported from the template's CodeUri + Handler.

The event is what Amazon Connect sends ({"Name": "ContactFlowEvent", "Details": {"ContactData":
..., "Parameters": ...}}). The handler runs in-process with its function's environment from the
template, overlaid with local settings (DATA_BACKEND=sqlite, SQLITE_PATH=...): values the template
leaves to CloudFormation (!Ref of a table) are dropped, as they mean nothing offline. Functions
that call Amazon Connect (hours_status) are pointed at the Connect twin (CONNECT_ENDPOINT_URL), and
each call is told the runtime's clock (LOCAL_CONNECT_NOW), which tests and demos move: on AWS the
function reads the real time, locally "now" is the contact center's now.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.machinery import PathFinder
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol

from local_connect.counters import COUNTERS
from local_connect.definitions import Definitions, Function


def import_handler_module(module_name: str, code_dir: Path) -> ModuleType:
    """The Handler's module, as Lambda finds it in the function's CodeUri.

    The project's own functions are installed with it (pyproject maps lambdas/ and api/), so they
    import by name. Any other function (a flow brought from elsewhere) is loaded from its code
    folder with a path-bound finder, which leaves sys.path alone: its package and the package's
    own submodules resolve; a top-level sibling module it imports by bare name does not (Lambda
    would find it in /var/task) — put such code in the package.
    """
    top = module_name.split(".")[0]
    if top not in sys.modules and importlib.util.find_spec(top) is None:
        spec = PathFinder.find_spec(top, [str(code_dir)])
        if spec is None or spec.loader is None:
            raise LambdaFailure(f"no module {top!r} in {code_dir}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[top] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[top]
            raise
    return importlib.import_module(module_name)


KEPT_CALLS = 1_000


class LambdaInvoker(Protocol):
    def invoke(self, function_arn: str, event: Mapping[str, Any], timeout: float) -> Any:
        """The handler's return value. Raises LambdaFailure (or anything) when the call fails."""
        ...


class LambdaFailure(Exception):
    """The invocation failed as Connect would see it: unknown function, error, timeout."""


@dataclass
class _Loaded:
    handler: Callable[..., Any]
    environment: dict[str, str]


class InProcessLambdas:
    """Imports each function's handler once and calls it with Connect's event."""

    def __init__(
        self,
        definitions: Definitions,
        env: Mapping[str, str] | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.definitions = definitions
        self.env = dict(env or {})
        self.clock = clock
        self._loaded: dict[str, _Loaded] = {}
        # (function logical id, event) of the latest calls, for tests; bounded, as `make run` lives long.
        self.calls: deque[tuple[str, Mapping[str, Any]]] = deque(maxlen=KEPT_CALLS)
        self.invocations = 0  # every call since start (`calls` keeps only the latest)

    def _load(self, function_arn: str) -> tuple[Function, _Loaded]:
        function = self.definitions.function_by_arn(function_arn)
        if function is None:
            raise LambdaFailure(f"no function {function_arn} in the template")
        loaded = self._loaded.get(function.logical_id)
        if loaded is None:
            module_name, _, attribute = function.handler.rpartition(".")
            handler = getattr(import_handler_module(module_name, function.code_dir), attribute)
            environment = {
                k: str(v) for k, v in function.environment.items() if isinstance(v, str | int | float)
            }
            # The template's Refs (table names) are gone; locally the functions read SQLite.
            environment.update(self.env)
            loaded = self._loaded[function.logical_id] = _Loaded(handler, environment)
        return function, loaded

    def invoke(self, function_arn: str, event: Mapping[str, Any], timeout: float) -> Any:
        function, loaded = self._load(function_arn)
        self.calls.append((function.logical_id, event))
        self.invocations += 1
        environment = loaded.environment
        if self.clock is not None:
            environment = {**environment, LOCAL_CLOCK_VARIABLE: repr(self.clock())}
        started = time.perf_counter()
        with _environment(environment):
            result = loaded.handler(dict(event), None)
        elapsed = time.perf_counter() - started
        COUNTERS.lambda_invoked(function.logical_id, elapsed)
        if elapsed > timeout:
            raise LambdaFailure(f"{function.logical_id} took {elapsed:.2f}s, over its {timeout:g}s limit")
        return result


@contextmanager
def _environment(values: Mapping[str, str]) -> Iterator[None]:
    """The function's environment for the length of one call (one thread runs flows)."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, old in saved.items():
            if old is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = old


# The instant the hours_status Lambda judges (hours_status.handler reads it; only set locally).
LOCAL_CLOCK_VARIABLE = "LOCAL_CONNECT_NOW"


def local_lambda_env(sqlite_path: str, connect_endpoint_url: str | None = None) -> dict[str, str]:
    """The overrides that make the template's functions run on the local SQLite database and, given
    the twin's URL (`.../connect-api`), call the Connect twin instead of Amazon Connect."""
    # No secret ARN: the PIN pepper is the file beside the database, which the seed wrote with.
    env = {"DATA_BACKEND": "sqlite", "SQLITE_PATH": sqlite_path, "PIN_PEPPER_SECRET_ARN": ""}
    if connect_endpoint_url:
        # boto3 signs every request; the twin accepts any credentials, so none real are needed.
        env.update(
            CONNECT_ENDPOINT_URL=connect_endpoint_url,
            AWS_ACCESS_KEY_ID="local",
            AWS_SECRET_ACCESS_KEY="local",
        )
    return env
