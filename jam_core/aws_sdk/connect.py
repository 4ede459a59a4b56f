"""Amazon Connect access for the Lambdas: one low-level `connect` client per region and endpoint.

The endpoint is Amazon Connect unless CONNECT_ENDPOINT_URL names another (the local runtime's
Connect twin, `/connect-api`); the region is the instance's, taken from its ARN. The client reads
the Lambdas' slice of botocore's data (jam_core.aws_sdk.clients), so creating it costs little more than
`import boto3`.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from jam_core.aws_sdk import clients as sdk

if TYPE_CHECKING:
    from mypy_boto3_connect.client import ConnectClient

# Connect waits at most 8 s for a Lambda and the hours Lambda makes two calls. Per call the worst
# case is 2 attempts x (0.5 s to connect + 0.8 s to read) + up to 1 s of retry backoff = 3.6 s, so
# both end in 7.2 s and the handler still answers its own fallback before the flow gives up.
# Connect answers these reads in about 0.1 s.
CONNECT_TIMEOUT_S = 0.5
READ_TIMEOUT_S = 0.8
TOTAL_ATTEMPTS = 2
CALLS_PER_INVOCATION = 2  # hours_status: DescribeHoursOfOperation + ListHoursOfOperationOverrides

_lock = threading.Lock()
_clients: dict[tuple[str | None, str | None], ConnectClient] = {}


def client(region: str | None, endpoint_url: str | None) -> ConnectClient:
    key = (region, endpoint_url)
    found = _clients.get(key)
    if found is None:
        with _lock:
            found = _clients.get(key)
            if found is None:
                found = _clients[key] = _create_client(region, endpoint_url)
    return found


def _create_client(region: str | None, endpoint_url: str | None) -> ConnectClient:
    created: ConnectClient = sdk.client(
        "connect",
        connect_timeout=CONNECT_TIMEOUT_S,
        read_timeout=READ_TIMEOUT_S,
        total_attempts=TOTAL_ATTEMPTS,
        region_name=region,
        endpoint_url=endpoint_url or None,
    )
    return created


def reset_clients() -> None:
    """Forgets the cached clients (tests switch endpoints)."""
    with _lock:
        _clients.clear()
