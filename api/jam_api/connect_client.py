"""The boto3 `connect` client: AWS by default, the local runtime when CONNECT_ENDPOINT_URL is set."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.config import Config

from jam_api.config import Settings

# botocore's standard retry mode already backs off on throttling; we map what is left to 429.
_RETRIES = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=3, read_timeout=8)


def make_connect_client(settings: Settings) -> Any:
    return boto3.client(
        "connect", region_name=settings.region, endpoint_url=settings.connect_endpoint_url, config=_RETRIES
    )
