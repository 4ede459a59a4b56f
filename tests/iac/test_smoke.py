"""`make smoke` offline: CloudFormation and Connect stubbed (botocore's Stubber, checked against their
models), and the real Flask API served by werkzeug on loopback standing in for the API URL."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator, Mapping
from typing import Any

import boto3
import jwt
import pytest
from botocore.stub import ANY, Stubber
from jam_api import create_app
from jam_api.config import Settings
from jam_api.connect_client import make_connect_client
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from scripts import smoke
from tests.api.conftest import Keys

INSTANCE_ID = "11111111-2222-3333-4444-555555555555"
ACCOUNT = "123456789012"
STACK = "jam-smoke"
CLIENT_ID = "smoke-client"
CUSTOMER = "+12125550100"
FLOW_IDS = {
    "InboundFlowId": "f0000000-0000-4000-8000-000000000001",
    "CustomerQueueFlowId": "f0000000-0000-4000-8000-000000000002",
    "SurveyFlowId": "f0000000-0000-4000-8000-000000000003",
    "WebIngressFlowId": "f0000000-0000-4000-8000-000000000004",
    "CallbackCreationFlowId": "f0000000-0000-4000-8000-000000000005",
}
HOURS_IDS = {
    "SalesHoursId": "h0000000-0000-4000-8000-000000000001",
    "AccountsHoursId": "h0000000-0000-4000-8000-000000000002",
    "SupportHoursId": "h0000000-0000-4000-8000-000000000003",
}


def _serve(app: Any) -> tuple[Any, str]:
    server = make_server("127.0.0.1", 0, app, threaded=False)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


@pytest.fixture(scope="module")
def keys() -> Keys:
    return Keys()


@pytest.fixture(scope="module")
def issuer(keys: Keys) -> Iterator[str]:
    """A real JWKS endpoint, as Cognito publishes at {issuer}/.well-known/jwks.json."""

    @Request.application
    def jwks(request: Request) -> Response:
        return Response(json.dumps(keys.jwks()), mimetype="application/json")

    server, url = _serve(jwks)
    yield f"{url}/us-east-1_SMOKE"
    server.shutdown()


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)


class StagePrefix:
    """API Gateway strips the stage from the path before the function sees it; so does this."""

    def __init__(self, app: Any, prefix: str) -> None:
        self.app, self.prefix = app, prefix

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "")
        if path.startswith(self.prefix):
            environ["PATH_INFO"] = path[len(self.prefix) :]
        return self.app(environ, start_response)


def _api(issuer: str, staged: bool) -> Iterator[tuple[str, Stubber]]:
    """The API app with the template's shape of settings, served on loopback; Connect stubbed.
    `staged`: served under /dev as API Gateway does (ApiUrl ends with the stage)."""
    settings = Settings.from_env(
        {
            "CONNECT_INSTANCE_ID": INSTANCE_ID,
            "COGNITO_ISSUER": issuer,
            "COGNITO_CLIENT_IDS": CLIENT_ID,
            "ALLOWED_CONTACT_FLOW_IDS": FLOW_IDS["WebIngressFlowId"],
            "ALLOWED_ORIGINS": "https://d111.cloudfront.net",
            "SOURCE_PHONE_NUMBER": "+18005550199",
            "AWS_REGION": "us-east-1",
        }
    )
    connect = make_connect_client(settings)
    with Stubber(connect) as stubber:
        app = create_app(settings, connect_client=connect)
        server, url = _serve(StagePrefix(app, "/dev") if staged else app)
        yield f"{url}/dev", stubber
        server.shutdown()


@pytest.fixture
def staged_api(issuer: str, aws: None) -> Iterator[tuple[str, Stubber]]:
    yield from _api(issuer, staged=True)


@pytest.fixture
def api(issuer: str, aws: None) -> Iterator[tuple[str, Stubber]]:
    """Served without the stage: what a wrong ApiUrl (or a missing stage) looks like."""
    yield from _api(issuer, staged=False)


def outputs(api_url: str) -> dict[str, str]:
    return {"ApiUrl": api_url, "ConnectInstanceId": INSTANCE_ID, **FLOW_IDS, **HOURS_IDS}


def cloudformation_with(stack_outputs: Mapping[str, str]) -> tuple[Any, Stubber]:
    client = boto3.client("cloudformation", region_name="us-east-1")
    stubber = Stubber(client)
    stubber.add_response(
        "describe_stacks",
        {
            "Stacks": [
                {
                    "StackName": STACK,
                    "CreationTime": "2026-12-01T00:00:00Z",
                    "StackStatus": "CREATE_COMPLETE",
                    "Outputs": [{"OutputKey": k, "OutputValue": v} for k, v in stack_outputs.items()],
                }
            ]
        },
        {"StackName": STACK},
    )
    return client, stubber


def connect_with_flows(states: Mapping[str, tuple[str, str]] | None = None) -> tuple[Any, Stubber]:
    """DescribeContactFlow for each template flow, in the template's order; `states` overrides
    (state, status) per output name."""
    client = boto3.client("connect", region_name="us-east-1")
    stubber = Stubber(client)
    for output, flow_type in smoke.expected_flows().items():
        state, status = (states or {}).get(output, ("ACTIVE", "PUBLISHED"))
        flow_id = FLOW_IDS[output]
        stubber.add_response(
            "describe_contact_flow",
            {
                "ContactFlow": {
                    "Arn": f"arn:aws:connect:us-east-1:{ACCOUNT}:instance/{INSTANCE_ID}/contact-flow/{flow_id}",
                    "Id": flow_id,
                    "Name": output.removesuffix("FlowId"),
                    "Type": flow_type,
                    "State": state,
                    "Status": status,
                }
            },
            {"InstanceId": INSTANCE_ID, "ContactFlowId": flow_id},
        )
    return client, stubber


def stub_hours(stubber: Stubber) -> None:
    # The API lists the instance's hours ids once (unknown ids cost no Connect call).
    stubber.add_response(
        "list_hours_of_operations",
        {
            "HoursOfOperationSummaryList": [
                {
                    "Id": i,
                    "Arn": f"arn:aws:connect:us-east-1:{ACCOUNT}:instance/{INSTANCE_ID}/operating-hours/{i}",
                }
                for i in HOURS_IDS.values()
            ]
        },
        {"InstanceId": INSTANCE_ID, "MaxResults": 1000},
    )
    for output, hours_id in HOURS_IDS.items():
        expected = {"InstanceId": INSTANCE_ID, "HoursOfOperationId": hours_id}
        stubber.add_response(
            "describe_hours_of_operation",
            {
                "HoursOfOperation": {
                    "HoursOfOperationId": hours_id,
                    "HoursOfOperationArn": f"arn:aws:connect:us-east-1:{ACCOUNT}:instance/{INSTANCE_ID}/operating-hours/{hours_id}",
                    "Name": output.removesuffix("Id"),
                    "Description": "every day",
                    "TimeZone": "America/New_York",
                    "Config": [
                        {
                            "Day": day,
                            "StartTime": {"Hours": 0, "Minutes": 0},
                            "EndTime": {"Hours": 0, "Minutes": 0},
                        }
                        for day in (
                            "MONDAY",
                            "TUESDAY",
                            "WEDNESDAY",
                            "THURSDAY",
                            "FRIDAY",
                            "SATURDAY",
                            "SUNDAY",
                        )
                    ],
                }
            },
            expected,
        )
        stubber.add_response(
            "list_hours_of_operation_overrides", {"HoursOfOperationOverrideList": []}, expected
        )


def id_token(keys: Keys, issuer: str, phone: str = CUSTOMER) -> str:
    now = int(time.time())
    claims = {
        "sub": "c0ffee00-0000-4000-8000-000000000001",
        "iss": issuer,
        "aud": CLIENT_ID,
        "token_use": "id",
        "iat": now,
        "auth_time": now,
        "exp": now + 600,
        "cognito:username": "smoke",
        "phone_number": phone,
        "phone_number_verified": True,
        "cognito:groups": ["customer"],
    }
    return jwt.encode(claims, keys.private, algorithm="RS256", headers={"kid": keys.kid})


def run(
    api_url: str,
    number: str | None = None,
    token: str | None = None,
    flow_states: Mapping[str, tuple[str, str]] | None = None,
) -> list[smoke.Check]:
    import requests

    cloudformation, cfn_stub = cloudformation_with(outputs(api_url))
    connect, connect_stub = connect_with_flows(flow_states)
    with cfn_stub, connect_stub, requests.Session() as session:
        checks = smoke.run(cloudformation, connect, session, STACK, number, token)
        cfn_stub.assert_no_pending_responses()
        connect_stub.assert_no_pending_responses()
    return checks


def test_a_healthy_stack_passes_every_check(staged_api: tuple[str, Stubber]) -> None:
    url, api_connect = staged_api
    stub_hours(api_connect)
    checks = run(url)
    assert [c.name for c in checks] == [
        "stack outputs",
        "flow InboundFlow",
        "flow CustomerQueueFlow",
        "flow SurveyFlow",
        "flow WebIngressFlow",
        "flow CallbackCreationFlow",
        "hours sales",
        "hours accounts",
        "hours support",
    ]
    assert all(c.passed for c in checks), smoke.table(checks)
    assert "open now" in checks[-1].detail
    api_connect.assert_no_pending_responses()


def test_a_draft_or_archived_flow_fails_by_name(staged_api: tuple[str, Stubber]) -> None:
    url, api_connect = staged_api
    stub_hours(api_connect)
    checks = run(
        url, flow_states={"SurveyFlowId": ("ACTIVE", "SAVED"), "InboundFlowId": ("ARCHIVED", "PUBLISHED")}
    )
    failed = {c.name: c.detail for c in checks if not c.passed}
    assert set(failed) == {"flow SurveyFlow", "flow InboundFlow"}
    assert "status SAVED" in failed["flow SurveyFlow"]
    assert "state ARCHIVED" in failed["flow InboundFlow"]


def test_an_api_url_without_the_stage_fails_the_hours_checks(api: tuple[str, Stubber]) -> None:
    """The unprefixed server answers 404 under /dev: what a wrong ApiUrl output would look like."""
    url, _ = api
    checks = run(url)
    hours = [c for c in checks if c.name.startswith("hours")]
    assert len(hours) == 3 and not any(c.passed for c in hours)
    assert all("HTTP 404" in c.detail for c in hours)


def test_click_to_call_places_one_call_to_the_tokens_own_number(
    staged_api: tuple[str, Stubber], keys: Keys, issuer: str
) -> None:
    url, api_connect = staged_api
    stub_hours(api_connect)
    api_connect.add_response(
        "start_outbound_voice_contact",
        {"ContactId": "c-smoke-1"},
        {
            "InstanceId": INSTANCE_ID,
            "ContactFlowId": FLOW_IDS["WebIngressFlowId"],
            "DestinationPhoneNumber": CUSTOMER,
            "SourcePhoneNumber": "+18005550199",
            "Attributes": ANY,
            "ClientToken": ANY,
        },
    )
    checks = run(url, number=CUSTOMER, token=id_token(keys, issuer))
    assert checks[-1] == smoke.Check(
        f"click-to-call {CUSTOMER}", True, "contact c-smoke-1: the phone should ring"
    ), smoke.table(checks)
    api_connect.assert_no_pending_responses()


def test_click_to_call_without_a_token_or_to_another_number_fails_clearly(
    staged_api: tuple[str, Stubber], keys: Keys, issuer: str
) -> None:
    url, api_connect = staged_api
    stub_hours(api_connect)
    no_token = run(url, number=CUSTOMER)[-1]
    assert not no_token.passed and "TOKEN" in no_token.detail
    # Hours are cached by the API for 60 s: the second run asks Connect for nothing new.
    other = run(url, number="+12125550199", token=id_token(keys, issuer))[-1]
    assert not other.passed and other.detail.startswith("HTTP 403"), other.detail
    api_connect.assert_no_pending_responses()  # and no call was placed


def test_missing_outputs_stop_before_anything_else() -> None:
    cloudformation, stub = cloudformation_with({"ApiUrl": "http://127.0.0.1:9/dev"})
    import requests

    with stub, requests.Session() as session:
        checks = smoke.run(cloudformation, object(), session, STACK)
    (only,) = checks
    assert not only.passed and "ConnectInstanceId" in only.detail and "SupportHoursId" in only.detail


def test_every_output_the_smoke_reads_is_declared_by_the_template(template: Mapping[str, Any]) -> None:
    declared = set(template["Outputs"])
    assert {
        "ApiUrl",
        "ConnectInstanceId",
        *smoke.expected_flows(template),
        *smoke.hours_outputs().values(),
    } <= declared


def test_main_prints_the_table_and_exits_non_zero_on_failure(
    staged_api: tuple[str, Stubber], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, api_connect = staged_api
    stub_hours(api_connect)
    cloudformation, cfn_stub = cloudformation_with(outputs(url))
    connect, connect_stub = connect_with_flows({"WebIngressFlowId": ("ACTIVE", "SAVED")})
    monkeypatch.delenv("TOKEN", raising=False)
    with cfn_stub, connect_stub:
        code = smoke.main(
            ["--stack-name", STACK, "--region", "us-east-1"], clients=lambda _: (cloudformation, connect)
        )
    printed = capsys.readouterr().out
    assert code == 1
    assert "FAIL  flow WebIngressFlow" in printed
    assert "PASS  hours support" in printed
    assert "8 passed, 1 failed (jam-smoke)" in printed
