"""openapi.json and the server are one contract: schemathesis against the real app.

The app is the production Flask app, configured as the local stack configures it, with Amazon
Connect played by the local runtime's Connect twin over real HTTP (an unmodified boto3 client) and
tokens signed by the test JWKS server. For every documented operation schemathesis generates
requests the document allows (positive) and requests it forbids (negative); every response must
be documented (status, content type, headers, body schema), none may be a 5xx, and every negative
request must be refused with a 4xx. Bounded: MAX_EXAMPLES per operation and mode, no shrinking, a
fixed seed (derandomized), so the run takes a few seconds and is the same on every machine.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from jam_api import create_app
from jam_api.config import Settings
from jam_api.connect_client import make_connect_client
from jam_api.contact.rate_limit import CallRateLimiter
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from local_connect.clock import ManualClock
from local_connect.definitions import load_definitions
from local_connect.runtime import Runtime, RuntimeOptions
from tests.api.conftest import CLIENT_ID, CUSTOMER_PHONE, TokenFactory
from tests.api.openapi_check import OPENAPI
from tests.local_connect.servers import serving

MAX_EXAMPLES = 40
VALID_TEXT = re.compile(r"[A-Za-z0-9-]{1,32}")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture(scope="module")
def twin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Runtime, str]]:
    """The Connect twin, serving the template's instance on loopback."""
    runtime = Runtime(
        RuntimeOptions(db_path=tmp_path_factory.mktemp("twin") / "connect.sqlite3", clock=ManualClock()),
        load_definitions(),
    )
    with serving(runtime.connect_app()) as base:
        yield runtime, base
    runtime.stop()


@pytest.fixture
def contract_app(twin: tuple[Runtime, str], issuer: str, tmp_path: Path) -> Flask:
    runtime, base = twin
    definitions = runtime.definitions
    general = definitions.routing_profiles["GeneralistRoutingProfile"]
    app_settings = Settings.from_env(
        {
            "CONNECT_ENDPOINT_URL": base,
            "CONNECT_INSTANCE_ID": definitions.instance_id,
            "ALLOWED_CONTACT_FLOW_IDS": definitions.flows["WebIngressFlow"].id,
            "OUTBOUND_QUEUE_ID": definitions.queues[general.default_outbound_queue_logical_id].id,
            "ALLOWED_ORIGINS": "https://site.example.com",
            "COGNITO_ISSUER": issuer,
            "COGNITO_CLIENT_IDS": CLIENT_ID,
            "DATA_BACKEND": "sqlite",
            "SQLITE_PATH": str(tmp_path / "jam.sqlite3"),
            # Every generated request comes from one address: the per-address limit is tested
            # elsewhere (test_hours_quota.py) and would turn most of this run into 429s.
            "HOURS_RATE_LIMIT": "1000000/1",
        }
    )
    connect = make_connect_client(
        app_settings, credentials={"aws_access_key_id": "local", "aws_secret_access_key": "local"}
    )
    # Nor the per-customer call limit (test_contact.py): past it every request would be a 429.
    return create_app(app_settings, connect_client=connect, rate_limiter=CallRateLimiter(1_000_000, 1))


@pytest.fixture
def contract_schema(contract_app: Flask) -> Any:
    document = json.loads(OPENAPI.read_text(encoding="utf-8"))
    document.pop("servers")  # "/api" is where the local stack mounts the app; here it is at "/"
    schema = schemathesis.openapi.from_dict(document)
    schema.app = contract_app
    # Tokens are signed here (valid ones; every way a token is refused has its own test in
    # test_contact.py), so the generated variations go into the data.
    schema.config.generation.update(with_security_parameters=False)
    return schema


def with_real_ids(case: Any, real: dict[str, str]) -> Any:
    """Random ids and numbers are almost never the instance's, so a body would be refused for that
    alone and a schema violation elsewhere in it would go unnoticed. Where the generated value is a
    valid one (the field itself is not what makes a negative case negative), put a real one there:
    an extra key or a null `attributes` must then be refused for what it is."""
    body = case.body
    if isinstance(body, dict):
        for name, value in real.items():
            if isinstance(body.get(name), str) and VALID_TEXT.fullmatch(body[name]):
                body[name] = value
    return case


OPERATIONS = (
    "POST /connect/hours",
    "POST /connect/contact",
    "GET /connect/contact/{contactId}",
    "GET /connect/metrics/queues",
    "GET /surveys/summary",
    "GET /connect/contacts/search",
)


# Hypothesis drives schemathesis's strategies directly: its pytest plugin does not run on pytest 9
# (it reads the removed Function._nodeid).
# Operations without parameters or body have nothing to make negative.
RUNS = [
    (label, mode)
    for label in OPERATIONS
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if mode is GenerationMode.POSITIVE or label not in ("GET /connect/metrics/queues", "GET /surveys/summary")
]


@pytest.mark.parametrize(("label", "mode"), RUNS, ids=[f"{label}-{mode.value}" for label, mode in RUNS])
def test_the_server_keeps_the_documented_contract(
    contract_schema: Any,
    twin: tuple[Runtime, str],
    make_token: TokenFactory,
    label: str,
    mode: GenerationMode,
) -> None:
    operation = contract_schema.find_operation_by_label(label)
    assert operation is not None, label
    # A supervisor whose verified number is CUSTOMER_PHONE: every route is reachable, so the
    # generated data (not a missing sign-in) decides the answer.
    token = make_token(**{"cognito:groups": ["supervisor"]})

    runtime, _ = twin
    real = {
        "hoursOfOperationId": runtime.definitions.hours["SalesHours"].id,
        "destinationPhoneNumber": CUSTOMER_PHONE,
        "contactFlowId": runtime.definitions.flows["WebIngressFlow"].id,
    }

    @given(case=operation.as_strategy(generation_mode=mode).map(lambda case: with_real_ids(case, real)))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def keeps_the_contract(case: Any) -> None:
        negated = contract_schema.is_security_param_negated(case)
        headers = {} if negated else {"Authorization": f"Bearer {token}"}
        case.call_and_validate(headers=headers, checks=CHECKS)

    keeps_the_contract()


def test_the_run_covers_every_documented_operation(contract_schema: Any) -> None:
    operations = {result.ok().label for result in contract_schema.get_all_operations()}
    assert operations == set(OPERATIONS)
