"""Secrets Manager access: one client per container, boto3 imported only when first needed.

Only the PIN Lambda reads a secret (jam_data.pepper, once per container). Timeouts are short
for the same reason as DynamoDB's (jam_data.dynamo): Connect waits at most 8 s for the reply.
The endpoint follows boto3's configuration (AWS_ENDPOINT_URL_SECRETS_MANAGER for a local one).
"""

from __future__ import annotations

import threading
from typing import Any

from jam_data import sdk

_lock = threading.Lock()
_client: Any = None

CONNECT_TIMEOUT_S = 1.0
READ_TIMEOUT_S = 1.5
TOTAL_ATTEMPTS = 2  # the first try and one retry


def client() -> Any:
    global _client
    if _client is None:
        with _lock:
            if _client is None:
                _client = sdk.client(
                    "secretsmanager",
                    connect_timeout=CONNECT_TIMEOUT_S,
                    read_timeout=READ_TIMEOUT_S,
                    total_attempts=TOTAL_ATTEMPTS,
                )
    return _client


def reset_client() -> None:
    """Forgets the cached client (tests switch between mocked AWS accounts)."""
    global _client
    with _lock:
        _client = None
