"""The after-deploy steps against stand-ins for AWS: moto (S3, DynamoDB) and botocore's Stubber."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import ANY, Stubber

from local_connect.definitions import load_definitions
from local_connect.site_config import site_config as local_site_config
from scripts import deploy_post
from tests.iac.template_facts import of_type

REGION = "us-east-1"
OUTPUTS = {
    "SiteUrl": "https://d111.cloudfront.net",
    "ApiUrl": "https://abc123.execute-api.us-east-1.amazonaws.com/dev",
    "UserPoolId": "us-east-1_Pool1",
    "UserPoolClientId": "client1",
    "CognitoDomain": "https://jam-dev-123.auth.us-east-1.amazoncognito.com",
    "ConnectInstanceId": "11111111-1111-1111-1111-111111111111",
    "InboundFlowId": "flow-inbound",
    "WebIngressFlowId": "flow-web",
    "SalesHoursId": "hours-sales",
    "AccountsHoursId": "hours-accounts",
    "SupportHoursId": "hours-support",
    "SiteBucketName": "jam-site-bucket",
    "SiteDistributionId": "E123",
    "CcpUrl": "https://jam-contact-center-dev.my.connect.aws/ccp-v2/",
    "PromptsTableName": "PromptsTable",
    "CustomerDataTableName": "CustomerDataTable",
    "SurveyResultsTableName": "SurveyResultsTable",
    "PinStateTableName": "PinStateTable",
}


def test_every_output_the_script_reads_is_declared_by_the_template(template: Mapping[str, Any]) -> None:
    declared = set(template["Outputs"])
    assert set(OUTPUTS) <= declared
    assert {"PhoneNumber", "PhoneNumberId"} <= declared


def test_stack_outputs_reads_describe_stacks() -> None:
    client = boto3.client("cloudformation", region_name=REGION)
    with Stubber(client) as stub:
        stub.add_response(
            "describe_stacks",
            {
                "Stacks": [
                    {
                        "StackName": "jam",
                        "CreationTime": "2026-01-01T00:00:00Z",
                        "StackStatus": "CREATE_COMPLETE",
                        "Outputs": [{"OutputKey": k, "OutputValue": v} for k, v in OUTPUTS.items()],
                    }
                ]
            },
            {"StackName": "jam"},
        )
        assert deploy_post.stack_outputs(client, "jam") == OUTPUTS


def test_site_config_has_the_local_shape_with_the_stacks_values() -> None:
    config = deploy_post.site_config(OUTPUTS, REGION)
    local = local_site_config(load_definitions(), "http://127.0.0.1:8000")
    # Local agents use the runtime's desk (localRuntime); on AWS they use the instance's CCP.
    assert set(config) - {"ccpUrl"} == set(local) - {"localRuntime"}
    assert "ccpUrl" not in local
    assert config["ccpUrl"] == "https://jam-contact-center-dev.my.connect.aws/ccp-v2/"
    assert set(config["auth"]) == set(local["auth"])
    assert config["apiBase"] == OUTPUTS["ApiUrl"]
    assert config["auth"]["authority"] == "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool1"
    assert config["auth"]["clientId"] == "client1"
    assert config["webIngressContactFlowId"] == "flow-web"
    hours = {d["id"]: d["hoursOfOperationId"] for d in config["departments"]}
    assert hours == {"sales": "hours-sales", "accounts": "hours-accounts", "support": "hours-support"}
    # Same departments and issues as locally; only the ids differ.
    strip = [{k: v for k, v in d.items() if k != "hoursOfOperationId"} for d in config["departments"]]
    assert strip == [{k: v for k, v in d.items() if k != "hoursOfOperationId"} for d in local["departments"]]


def test_ccp_url_output_is_the_instances_alias_domain(template: Mapping[str, Any]) -> None:
    """The CCP lives at https://<instance alias>.my.connect.aws/ccp-v2/: the created instance's
    alias is the parameter plus the stage; an existing instance's is the parameter itself."""
    value = template["Outputs"]["CcpUrl"]["Value"]
    assert value == {
        "Fn::If": [
            "CreateConnectInstance",
            {"Fn::Sub": "https://${ConnectInstanceAlias}-${Stage}.my.connect.aws/ccp-v2/"},
            {"Fn::Sub": "https://${ConnectInstanceAlias}.my.connect.aws/ccp-v2/"},
        ]
    }
    instance = template["Resources"]["ConnectInstance"]["Properties"]
    assert instance["InstanceAlias"] == {"Fn::Sub": "${ConnectInstanceAlias}-${Stage}"}


def test_site_config_scope_is_allowed_by_the_user_pool_client(
    resources: Mapping[str, Mapping[str, Any]],
) -> None:
    scopes = set(deploy_post.site_config(OUTPUTS, REGION)["auth"]["scope"].split())
    assert scopes <= set(resources["UserPoolClient"]["Properties"]["AllowedOAuthScopes"])


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from moto import mock_aws

    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        yield


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "dist"
    (site / "assets").mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html><div id=root></div>", encoding="utf-8")
    (site / "assets" / "index-abc123.js").write_text("console.log(1)", encoding="utf-8")
    (site / "config.json").write_text('{"mode": "local"}', encoding="utf-8")
    return site


def test_upload_site_sets_types_and_caching_writes_config_and_drops_stale_files(
    aws: None, tmp_path: Path
) -> None:
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="jam-site-bucket")
    s3.put_object(Bucket="jam-site-bucket", Key="assets/index-old999.js", Body=b"old")
    config = deploy_post.site_config(OUTPUTS, REGION)

    keys = deploy_post.upload_site(s3, "jam-site-bucket", _site(tmp_path), config)

    assert sorted(keys) == ["assets/index-abc123.js", "config.json", "index.html"]
    listed = sorted(o["Key"] for o in s3.list_objects_v2(Bucket="jam-site-bucket")["Contents"])
    assert listed == sorted(keys)
    index = s3.get_object(Bucket="jam-site-bucket", Key="index.html")
    assert (index["ContentType"], index["CacheControl"]) == ("text/html", "no-cache")
    asset = s3.get_object(Bucket="jam-site-bucket", Key="assets/index-abc123.js")
    assert asset["CacheControl"] == deploy_post.IMMUTABLE
    assert asset["ContentType"] in ("text/javascript", "application/javascript")
    uploaded = s3.get_object(Bucket="jam-site-bucket", Key="config.json")
    assert json.loads(uploaded["Body"].read()) == config  # the generated one, not the local build's
    assert uploaded["CacheControl"] == "no-cache"


def test_upload_site_refuses_an_unbuilt_site(aws: None, tmp_path: Path) -> None:
    s3 = boto3.client("s3", region_name=REGION)
    with pytest.raises(FileNotFoundError, match="make site"):
        deploy_post.upload_site(s3, "jam-site-bucket", tmp_path, {})


def test_load_data_fills_the_stacks_tables_from_the_seed(
    aws: None, resources: Mapping[str, Mapping[str, Any]]
) -> None:
    from jam_core.tables import dynamo
    from jam_core.tables.pin_hash import PinHash, matches
    from tests.lambdas.container import forget_container_state

    forget_container_state()
    client = dynamo.client()
    for logical_id, table in of_type(resources, "AWS::DynamoDB::Table").items():
        props = table["Properties"]
        client.create_table(
            TableName=logical_id,
            KeySchema=props["KeySchema"],
            AttributeDefinitions=props["AttributeDefinitions"],
            BillingMode=props["BillingMode"],
        )
    pepper_arn = boto3.client("secretsmanager", region_name=REGION).create_secret(
        Name="jam-pin-pepper", SecretString="q" * 64
    )["ARN"]
    try:
        counts = deploy_post.load_data({**OUTPUTS, "PinPepperSecretArn": pepper_arn})
        customers = json.loads(
            (deploy_post.REPO_ROOT / "data" / "seed" / "customers.json").read_text("utf-8")
        )
        assert (
            counts["CustomerDataTable"]
            == len(customers)
            == client.scan(TableName="CustomerDataTable")["Count"]
        )
        pin = client.get_item(TableName="PinStateTable", Key={"PhoneNumber": {"S": "+12025550100"}})["Item"]
        assert "Pin" not in pin  # only the salted hash is stored
        stored = PinHash(
            pin["PinSalt"]["S"], pin["PinHash"]["S"], int(pin["PinIterations"]["N"]), pin["PinScheme"]["S"]
        )
        # Keyed with the stack's pepper (read with the deployer's credentials), no other.
        assert stored.keyed and matches("1234", stored, b"q" * 64)
        assert not matches("1234", stored, b"r" * 64)
    finally:
        forget_container_state()


def test_the_claimed_number_is_pointed_at_the_inbound_flow() -> None:
    connect = boto3.client("connect", region_name=REGION)
    outputs = {**OUTPUTS, "PhoneNumberId": "pn-1", "PhoneNumber": "+12025550111"}
    with Stubber(connect) as stub:
        stub.add_response(
            "associate_phone_number_contact_flow",
            {},
            {
                "PhoneNumberId": "pn-1",
                "InstanceId": OUTPUTS["ConnectInstanceId"],
                "ContactFlowId": "flow-inbound",
            },
        )
        assert deploy_post.point_number_at_inbound(connect, outputs) == "+12025550111"
        stub.assert_no_pending_responses()
    with Stubber(connect):  # no number claimed: no call at all (the stub would refuse one)
        assert deploy_post.point_number_at_inbound(connect, OUTPUTS) is None


def test_invalidation_covers_the_whole_site() -> None:
    cloudfront = boto3.client("cloudfront", region_name=REGION)
    with Stubber(cloudfront) as stub:
        stub.add_response(
            "create_invalidation",
            {
                "Location": "https://cloudfront.amazonaws.com/x",
                "Invalidation": {
                    "Id": "I1",
                    "Status": "InProgress",
                    "CreateTime": "2026-01-01T00:00:00Z",
                    "InvalidationBatch": {"Paths": {"Quantity": 1, "Items": ["/*"]}, "CallerReference": "r"},
                },
            },
            {
                "DistributionId": "E123",
                "InvalidationBatch": {"Paths": {"Quantity": 1, "Items": ["/*"]}, "CallerReference": ANY},
            },
        )
        assert deploy_post.invalidate(cloudfront, "E123") == "I1"


def test_samconfig_names_the_stack_and_region() -> None:
    defaults = deploy_post.samconfig_defaults()
    assert defaults["stack_name"] and defaults["region"]
