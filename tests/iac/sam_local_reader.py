"""What `sam local start-api` would serve, read by SAM CLI's own code (runs in .tools/sam's Python).

    .tools/sam/bin/python tests/iac/sam_local_reader.py TEMPLATE PROJECT_DIR

Reads the `local_start_api` section of PROJECT_DIR/samconfig.toml the way the command does
(SamConfig), loads TEMPLATE with those parameter overrides (SamLocalStackProvider: SAM's own
translation and intrinsic resolution), and prints JSON: the API's routes and CORS (ApiProvider, the
reader behind start-api) and the environment the API function's container would get
(LocalLambdaRunner's env-vars merge of the template and the env file). Run with an empty shell
environment: SAM gives a shell variable priority over the template, and the test wants the files'
answer. Only the standard library and samcli are importable here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from samcli.cli.types import CfnParameterOverridesType
from samcli.commands.local.lib.local_lambda import LocalLambdaRunner
from samcli.lib.config.samconfig import SamConfig
from samcli.lib.providers.api_provider import ApiProvider
from samcli.lib.providers.sam_function_provider import SamFunctionProvider
from samcli.lib.providers.sam_stack_provider import SamLocalStackProvider

FUNCTION = "ApiFunction"


def read(template: Path, project: Path) -> dict[str, Any]:
    config = SamConfig(str(project)).get_all(["local", "start-api"], "parameters")
    overrides = CfnParameterOverridesType().convert(config.get("parameter_overrides", ""), None, None)
    env_file = project / config["env_vars"]
    stacks, _ = SamLocalStackProvider.get_stacks(str(template), parameter_overrides=overrides)
    api = ApiProvider(stacks, cwd=str(project)).api
    functions = SamFunctionProvider(stacks)
    runner = LocalLambdaRunner(
        local_runtime=None,
        function_provider=functions,
        cwd=str(project),
        real_path=str(project),
        env_vars_values=json.loads(env_file.read_text(encoding="utf-8")),
    )
    function = functions.get(FUNCTION)
    environment = runner._make_env_vars(function).resolve()
    cors = api.cors
    return {
        "config": {k: v for k, v in config.items() if isinstance(v, str | int | list)},
        "routes": sorted([route.function_name, route.path, sorted(route.methods)] for route in api.routes),
        "cors": None
        if cors is None
        else {
            "allow_origin": cors.allow_origin,
            "allow_methods": cors.allow_methods,
            "allow_headers": cors.allow_headers,
        },
        "environment": environment,
        "handler": function.handler,
    }


if __name__ == "__main__":
    print(json.dumps(read(Path(sys.argv[1]), Path(sys.argv[2]))))
