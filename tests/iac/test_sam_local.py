"""`sam local start-api` as docs/DEPLOY.md documents it, read by SAM CLI's own local API reader.

SAM CLI (its ApiProvider, SamConfig and LocalLambdaRunner, in .tools/sam, which `make pytest` installs
first) reads the template with samconfig.toml's `local_start_api` parameters and sam/local-env.json;
the test holds what it would serve: the Flask routes, CORS for a local origin (not the CloudFront
origin, which does not resolve locally), and an environment in which every variable the API reads
is set for the local runtime or has a default that is right there. Docker itself is not needed to
read this; running the container is (docs/DEPLOY.md).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from local_connect.cognito import LOCAL_CLIENT_ID, issuer_for
from local_connect.definitions import TEMPLATE_PATH, load_definitions
from tests.iac.code_facts import REPO, environment_reads

SAM_PYTHON = REPO / ".tools" / "sam" / "bin" / "python"
BUILT_TEMPLATE = REPO / ".aws-sam" / "build" / "template.yaml"
ENV_FILE = REPO / "sam" / "local-env.json"
READER = Path(__file__).with_name("sam_local_reader.py")
# The local runtime as `make run` serves it (tokens from `make token` carry this issuer), and the
# name the Lambda container reaches the host by (samconfig.toml maps it on Linux).
LOCAL_STACK = "http://127.0.0.1:8000"
FROM_CONTAINER = "http://host.docker.internal:8000"

# Variables the API reads that the local run leaves to the code's default, and why that is right.
LOCAL_DEFAULTS = {
    "SOURCE_PHONE_NUMBER": "empty: OUTBOUND_QUEUE_ID gives click-to-call its caller id locally",
    "ALLOWED_COUNTRIES": "the code's default (US, CA, MX, PR) is the policy",
    "ALLOWED_ATTRIBUTE_KEYS": "the code's default is the contract with the web ingress flow",
    "STAFF_GROUPS": "the code's default (supervisor) matches the local users' groups",
    "STAFF_MAY_DIAL_ANY_NUMBER": "off unless an operator decides otherwise",
    "HOURS_CACHE_TTL_SECONDS": "tuning knob with a sound default",
    "JWKS_CACHE_TTL_SECONDS": "tuning knob with a sound default",
    "CALL_RATE_LIMIT": "tuning knob with a sound default",
    "REFUSED_NUMBER_TYPES": "the code's default (premium rate, toll free, shared cost...) is the policy",
    "OWN_PHONE_NUMBERS": "empty: SOURCE_PHONE_NUMBER (none locally) is the only own number",
    "HOURS_RATE_LIMIT": "tuning knob with a sound default",
    "HOURS_IDS_TTL_SECONDS": "tuning knob with a sound default",
    "CALL_QUEUE_URL": "empty: no SQS locally; requests that wait stay in the container's SQLite file",
    "CALL_SCHEDULE_GROUP": "empty: no EventBridge Scheduler locally; a call for the opening waits in SQLite",
    "CALL_SCHEDULER_ROLE_ARN": "empty: as CALL_SCHEDULE_GROUP",
    "CALL_QUEUE_ARN": "empty: as CALL_SCHEDULE_GROUP",
}


def _template() -> Path:
    """The built template when it is as new as the source (what start-api reads by default), else
    the source template: SAM's reader translates it the same way (CodeUri is all that differs)."""
    if BUILT_TEMPLATE.is_file() and BUILT_TEMPLATE.stat().st_mtime >= TEMPLATE_PATH.stat().st_mtime:
        return BUILT_TEMPLATE
    return TEMPLATE_PATH


@cache
def _sam_local() -> dict[str, Any]:
    if not SAM_PYTHON.is_file():
        pytest.fail(f"SAM CLI is not installed at {SAM_PYTHON}: `make pytest` installs it (mk/iac.mk)")
    # An empty shell environment: SAM prefers a shell variable over the template's value.
    clean = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "SAM_CLI_TELEMETRY": "0",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }
    done = subprocess.run(
        [str(SAM_PYTHON), str(READER), str(_template()), str(REPO)],
        capture_output=True,
        text=True,
        env=clean,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    answer: dict[str, Any] = json.loads(done.stdout)
    return answer


@pytest.fixture(scope="module")
def sam_local() -> dict[str, Any]:
    return _sam_local()


def test_start_api_is_configured_with_the_documented_env_file_and_a_local_origin(
    sam_local: dict[str, Any],
) -> None:
    config = sam_local["config"]
    assert config["env_vars"] == "sam/local-env.json"
    assert config["parameter_overrides"] == "ApiCorsOrigin=http://localhost:5173"
    assert "host.docker.internal:host-gateway" in config["add_host"]


def test_start_api_serves_exactly_the_flask_routes(sam_local: dict[str, Any]) -> None:
    from jam_api import create_app
    from jam_api.config import Settings

    app = create_app(Settings(), connect_client=object())
    flask_routes = {
        (re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule), method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
    served = set()
    for function, path, methods in sam_local["routes"]:
        assert function == "ApiFunction", path
        assert "OPTIONS" in methods, f"{path}: the preflight is answered (CORS)"
        served |= {(path, m) for m in methods if m != "OPTIONS"}
    assert served == flask_routes
    assert sam_local["handler"] == "jam_api.lambda_entry.handler"


def test_cors_answers_the_local_origin_the_api_also_allows(sam_local: dict[str, Any]) -> None:
    from jam_api.config import Settings

    cors = sam_local["cors"]
    origin = cors["allow_origin"]
    assert origin == "http://localhost:5173", "not the unresolved https://${SiteDistribution.DomainName}"
    assert "*" not in origin and "$" not in origin
    assert set(cors["allow_headers"].split(",")) >= {"Authorization", "Content-Type"}
    assert set(cors["allow_methods"].split(",")) >= {"GET", "POST", "OPTIONS"}
    assert Settings.from_env(sam_local["environment"]).allowed_origins == (origin,)


def test_the_env_file_sets_only_variables_the_template_declares(
    resources: dict[str, Any], sam_local: dict[str, Any]
) -> None:
    """SAM CLI silently ignores an env-file variable the function does not declare."""
    declared = set(resources["ApiFunction"]["Properties"]["Environment"]["Variables"])
    overrides = json.loads(ENV_FILE.read_text(encoding="utf-8"))
    assert set(overrides) == {"ApiFunction"}
    assert set(overrides["ApiFunction"]) <= declared
    environment = sam_local["environment"]
    for name, value in overrides["ApiFunction"].items():
        assert environment[name] == value, name


def test_every_variable_the_api_reads_is_set_for_the_local_runtime_or_defaults_rightly(
    sam_local: dict[str, Any],
) -> None:
    environment = sam_local["environment"]
    reads = environment_reads(REPO / "api" / "jam_api")
    assert "DATA_BACKEND" in reads and "SURVEY_TABLE" in reads  # the scan sees the code
    set_values = {name for name, value in environment.items() if value}
    assert reads - set_values <= set(LOCAL_DEFAULTS), f"unset: {reads - set_values - set(LOCAL_DEFAULTS)}"
    # Nothing is left as an unresolved reference (SAM passes those as empty strings).
    assert not [n for n, v in environment.items() if "${" in v or "Fn::" in v]


def test_the_environment_points_the_api_at_the_local_runtime() -> None:
    from jam_api.config import Settings

    definitions = load_definitions()
    settings = Settings.from_env(_sam_local()["environment"])
    assert settings.connect_endpoint_url == f"{FROM_CONTAINER}/connect-api"
    assert settings.connect_instance_id == definitions.instance_id
    assert settings.allowed_contact_flow_ids == (definitions.flows["WebIngressFlow"].id,)
    assert settings.outbound_queue_id in {q.id for q in definitions.queues.values()}
    assert set(settings.metrics_queue_ids) == {q.id for q in definitions.queues.values()}
    # Tokens are the local Cognito stand-in's; their keys are fetched from where the container can.
    assert settings.cognito_issuer == issuer_for(LOCAL_STACK)
    assert settings.cognito_client_ids == (LOCAL_CLIENT_ID,)
    assert settings.jwks_url == f"{FROM_CONTAINER}/cognito/.well-known/jwks.json"
    # The survey summary reads a SQLite file inside the container (the local runtime's is not mounted).
    assert (settings.data_backend, settings.sqlite_path) == ("sqlite", "/tmp/jam-local.sqlite3")


def test_the_api_starts_with_that_environment_and_answers_the_local_origins_preflight() -> None:
    from jam_api import create_app
    from jam_api.config import Settings

    app = create_app(Settings.from_env(_sam_local()["environment"]), connect_client=object())
    response = app.test_client().options(
        "/connect/hours",
        headers={"Origin": "http://localhost:5173", "Access-Control-Request-Method": "POST"},
    )
    assert response.headers.get("Access-Control-Allow-Origin") == "http://localhost:5173"
    stranger = app.test_client().options(
        "/connect/hours",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "Access-Control-Allow-Origin" not in stranger.headers
