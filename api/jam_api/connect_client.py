"""The boto3 `connect` client: AWS by default, the local runtime when CONNECT_ENDPOINT_URL is set."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from botocore.config import Config
from jam_data.sdk import sliced_session

from jam_api.config import Settings

# botocore's standard retry mode already backs off on throttling; we map what is left to 429.
_RETRIES = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=3, read_timeout=8)

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
    "ListQueues",
    "SearchContacts",
    "StartOutboundVoiceContact",
)
SDK_DATA = Path(__file__).resolve().parent / "sdk_data"


def make_connect_client(settings: Settings) -> Any:
    return sliced_session(SDK_DATA).client(
        "connect", region_name=settings.region, endpoint_url=settings.connect_endpoint_url, config=_RETRIES
    )
