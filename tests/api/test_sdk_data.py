"""The API's slice of botocore data must stay equal to the installed botocore, and be what the client uses."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ParamValidationError, UnknownServiceError
from botocore.stub import Stubber
from jam_api.config import Settings
from jam_api.connect_client import API_OPERATIONS, SDK_DATA, make_connect_client

from scripts.sdk_slice import build

BUILT = build({"connect": API_OPERATIONS})


@pytest.mark.parametrize("relative", sorted(BUILT))
def test_committed_slice_matches_installed_botocore(relative: str) -> None:
    committed = json.loads((SDK_DATA / relative).read_text())
    assert committed == BUILT[relative], f"stale {relative}: run `python -m scripts.sdk_slice`"


def test_client_knows_exactly_the_operations_the_api_calls() -> None:
    client = make_connect_client(Settings(connect_instance_id="i-1"))
    operations = set(client.meta.service_model.operation_names)
    assert operations == set(API_OPERATIONS)


def test_client_still_validates_parameters_against_the_model() -> None:
    client = make_connect_client(Settings(connect_instance_id="i-1"))
    with Stubber(client) as stubber:
        stubber.add_response(
            "start_outbound_voice_contact",
            {"ContactId": "c-1"},
            {"InstanceId": "i-1", "ContactFlowId": "f-1", "DestinationPhoneNumber": "+12025550100"},
        )
        answer = client.start_outbound_voice_contact(
            InstanceId="i-1", ContactFlowId="f-1", DestinationPhoneNumber="+12025550100"
        )
        assert answer["ContactId"] == "c-1"
    with pytest.raises(ParamValidationError, match="Missing required parameter"):
        client.start_outbound_voice_contact(InstanceId="i-1")


def test_aws_endpoint_is_resolved_as_botocore_would() -> None:
    client = make_connect_client(Settings(connect_instance_id="i-1", region="us-west-2"))
    assert client.meta.endpoint_url == "https://connect.us-west-2.amazonaws.com"


def test_unknown_services_are_refused_not_silently_created() -> None:
    client = make_connect_client(Settings(connect_instance_id="i-1"))
    with pytest.raises(UnknownServiceError):
        client._loader.load_service_model("s3", "service-2")
