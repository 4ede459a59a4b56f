"""Secrets Manager access: one client per container, boto3 imported only when first needed.

Only the PIN Lambda reads a secret (jam_core.tables.pepper, once per container). Timeouts are short
for the same reason as DynamoDB's (jam_core.tables.dynamo): Connect waits at most 8 s for the reply.
The endpoint follows boto3's configuration (AWS_ENDPOINT_URL_SECRETS_MANAGER for a local one).
"""

from __future__ import annotations

from typing import Any

from jam_core.aws_sdk import clients as sdk

_client = sdk.ContainerClient("secretsmanager")


def client() -> Any:
    return _client.get()


def reset_client() -> None:
    """Forgets the cached client (tests switch between mocked AWS accounts)."""
    _client.reset()
