"""The boto3 `connect` client: AWS by default, the local runtime when CONNECT_ENDPOINT_URL is set."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jam_api.config import Settings
from jam_core.aws_sdk import clients as sdk

# A Connect call that fails must fail before the function's Timeout (15 s, sam/template.yaml): a
# Lambda that times out answers API Gateway's bare 502 instead of our problem+json, and hours never
# get to serve their last good answer. Worst case per call: 2 attempts x (1 s to connect + 5 s to
# read) + up to 1 s of standard-mode backoff = 13 s; Connect answers in well under a second.
# The standard retry mode backs off on throttling; we map what is left to 429.
CONNECT_TIMEOUT_S = 1.0
READ_TIMEOUT_S = 5.0
TOTAL_ATTEMPTS = 2

# Every Connect operation the API calls. The client reads a slice of botocore's data with only
# these (sdk_data/, written by `python -m scripts.sdk_slice`, held equal to the installed botocore
# by tests/api/test_sdk_data.py): decoding Connect's full 1.9 MB model and listing ~400 service
# folders was two thirds of the API's cold start.
API_OPERATIONS = (
    "DescribeContact",
    "DescribeHoursOfOperation",
    "DescribeQueue",
    "GetContactAttributes",
    "GetContactMetrics",
    "GetCurrentMetricData",
    "ListHoursOfOperationOverrides",
    "ListHoursOfOperations",
    "ListQueues",
    "SearchContacts",
    "StartOutboundVoiceContact",
)
SDK_DATA = Path(__file__).resolve().parent / "sdk_data"


def make_connect_client(settings: Settings, credentials: Mapping[str, str] | None = None) -> Any:
    """The client the API uses; `credentials` (aws_access_key_id, aws_secret_access_key) replace
    boto3's own lookup, for the local stack, whose Connect twin accepts any."""
    return sdk.client(
        "connect",
        connect_timeout=CONNECT_TIMEOUT_S,
        read_timeout=READ_TIMEOUT_S,
        total_attempts=TOTAL_ATTEMPTS,
        data_dir=SDK_DATA,
        region_name=settings.region,
        endpoint_url=settings.connect_endpoint_url,
        **(credentials or {}),
    )
