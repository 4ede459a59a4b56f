"""The Lex twin on the local stack (`/lex`): the bot of data/lex/bot.yaml, its code hook the
template's LexFulfillmentFunction run in-process like the flows' Lambdas (its environment from the
template, overlaid with the local data backend, the Connect twin and the runtime's clock)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from lex_fulfillment.bot import load

from local_connect.definitions import Definitions
from local_connect.flows.lambdas import InProcessLambdas, local_lambda_env
from local_connect.lex.models import LexBackend
from local_connect.lex.responses import Recogniser, create_app

FUNCTION = "LexFulfillmentFunction"
# Lex waits this long for a code hook (the Lambda's own timeout in the template is 8 s).
CODE_HOOK_SECONDS = 8.0


def lambda_environment(
    definitions: Definitions, sqlite_path: str, connect_endpoint_url: str | None
) -> dict[str, str]:
    """What the template gives the function on AWS, locally: the hours ARNs (CloudFormation's
    GetAtt on AWS) and the local data backend and Connect twin."""
    env = local_lambda_env(sqlite_path, connect_endpoint_url)
    for logical_id, hours in definitions.hours.items():
        env[f"HOURS_ARN_{logical_id.removesuffix('Hours').upper()}"] = hours.arn
    return env


def create_backend(
    definitions: Definitions,
    sqlite_path: str,
    connect_endpoint_url: str | None = None,
    clock: Callable[[], float] | None = None,
    extra_env: Mapping[str, str] | None = None,
) -> LexBackend:
    env = {**lambda_environment(definitions, sqlite_path, connect_endpoint_url), **(extra_env or {})}
    lambdas = InProcessLambdas(definitions, env, clock=clock)
    function_arn = definitions.functions[FUNCTION].arn

    def code_hook(event: dict[str, Any]) -> Any:
        return lambdas.invoke(function_arn, event, CODE_HOOK_SECONDS)

    return LexBackend(load(), code_hook)


def create_lex_app(backend: LexBackend, recogniser: Recogniser | None = None) -> Callable[..., Any]:
    return create_app(backend, recogniser)


def mount(runtime: Any, base_url: str, sqlite_path: str) -> Callable[..., Any]:
    """`/lex` on the stack: the twin over the runtime's data file, Connect twin and clock."""
    backend = create_backend(
        runtime.definitions, sqlite_path, f"{base_url}/connect-api", clock=runtime.clock.now
    )
    return create_lex_app(backend)
