"""The Lambdas' slice of botocore data: equal to the installed botocore, and sufficient."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ParamValidationError, UnknownServiceError
from botocore.stub import Stubber

from jam_core.aws_sdk import clients as sdk
from jam_core.aws_sdk import connect
from jam_core.tables import dynamo
from scripts.sdk_slice import build

BUILT = build(sdk.SDK_OPERATIONS)


@pytest.mark.parametrize("relative", sorted(BUILT))
def test_committed_slice_matches_installed_botocore(relative: str) -> None:
    committed = json.loads((sdk.SDK_DATA / relative).read_text(encoding="utf-8"))
    assert committed == BUILT[relative], f"stale {relative}: run `python -m scripts.sdk_slice`"


def test_client_knows_exactly_the_sliced_operations(aws_account: Any) -> None:
    operations = set(dynamo.client().meta.service_model.operation_names)
    assert operations == set(dynamo.SDK_OPERATIONS)


def test_client_still_validates_parameters(aws_account: Any) -> None:
    client = dynamo.client()
    with Stubber(client) as stubber:
        stubber.add_response("get_item", {}, {"TableName": "T", "Key": {"K": {"S": "v"}}})
        assert "Item" not in client.get_item(TableName="T", Key={"K": {"S": "v"}})
    with pytest.raises(ParamValidationError, match="Missing required parameter"):
        client.get_item(TableName="T")  # type: ignore[call-arg]


def test_aws_endpoint_is_resolved_as_botocore_would(
    aws_account: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    dynamo.reset_client()
    assert dynamo.client().meta.endpoint_url == "https://dynamodb.eu-west-1.amazonaws.com"


def test_local_endpoint_variable_is_honoured(aws_account: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8001")
    dynamo.reset_client()
    assert dynamo.client().meta.endpoint_url == "http://127.0.0.1:8001"


def test_other_services_are_refused(aws_account: Any) -> None:
    dynamo.client()  # the loader is the client's; build one to reach it
    loader = dynamo.client()._loader  # type: ignore[attr-defined]
    with pytest.raises(UnknownServiceError):
        loader.load_service_model("s3", "service-2")


def test_connect_client_knows_exactly_the_sliced_operations_and_the_instances_region() -> None:
    connect.reset_clients()
    client = connect.client("eu-west-2", None)
    assert set(client.meta.service_model.operation_names) == set(sdk.SDK_OPERATIONS["connect"])
    assert client.meta.endpoint_url == "https://connect.eu-west-2.amazonaws.com"
    assert connect.client("us-east-1", "http://127.0.0.1:9/connect-api").meta.endpoint_url == (
        "http://127.0.0.1:9/connect-api"
    )
    connect.reset_clients()
