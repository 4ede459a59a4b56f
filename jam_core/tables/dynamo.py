"""DynamoDB access: one low-level client per container, boto3 imported only when first needed.

The low-level client is used (not the resource layer) because it is lighter to create and its
calls map one-to-one onto the DynamoDB API, which the "exactly one read" tests count. The
endpoint follows boto3's own configuration (AWS_ENDPOINT_URL_DYNAMODB for a local endpoint).
Items are converted with the small codec below, so numbers come back as int/float, not Decimal.

The client reads the Lambdas' slice of botocore's data (jam_core.aws_sdk.clients: DynamoDB's model reduced
to the operations below), which makes creating it several times cheaper.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from jam_core.aws_sdk import clients as sdk

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

SDK_OPERATIONS = sdk.SDK_OPERATIONS["dynamodb"]

_client = sdk.ContainerClient("dynamodb")
# The timeouts a handler's worst case is held to (tests/lambdas/test_flow_contract.py).
CONNECT_TIMEOUT_S = sdk.ContainerClient.CONNECT_TIMEOUT_S
READ_TIMEOUT_S = sdk.ContainerClient.READ_TIMEOUT_S
TOTAL_ATTEMPTS = sdk.ContainerClient.TOTAL_ATTEMPTS


def client() -> DynamoDBClient:
    created: DynamoDBClient = _client.get()
    return created


def reset_client() -> None:
    """Forgets the cached client (tests switch between mocked AWS accounts)."""
    _client.reset()


def to_attribute(value: Any) -> dict[str, Any]:
    """A plain value as a DynamoDB attribute value."""
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):  # no DynamoDB number for these
            raise ValueError(f"{value} cannot be stored in DynamoDB")
        return {"N": repr(value) if isinstance(value, float) else str(value)}
    if isinstance(value, Mapping):
        return {"M": {str(k): to_attribute(v) for k, v in value.items()}}
    if isinstance(value, list | tuple):
        return {"L": [to_attribute(v) for v in value]}
    raise TypeError(f"cannot store {type(value).__name__} in DynamoDB")


def from_attribute(attribute: Mapping[str, Any]) -> Any:
    """A DynamoDB attribute value as a plain value (numbers as int when integral)."""
    ((kind, value),) = attribute.items()
    if kind == "S":
        return value
    if kind == "N":
        return _number(value)
    if kind == "BOOL":
        return bool(value)
    if kind == "NULL":
        return None
    if kind == "M":
        return {k: from_attribute(v) for k, v in value.items()}
    if kind == "L":
        return [from_attribute(v) for v in value]
    if kind == "SS":
        return sorted(value)
    if kind == "NS":
        return sorted(_number(v) for v in value)
    raise TypeError(f"unsupported DynamoDB attribute type {kind}")


def _number(text: str) -> int | float:
    try:
        return int(text)
    except ValueError:
        number = float(text)
        return int(number) if number.is_integer() and "e" not in text.lower() else number


def to_item(values: Mapping[str, Any]) -> dict[str, Any]:
    return {key: to_attribute(value) for key, value in values.items()}


def from_item(item: Mapping[str, Any]) -> dict[str, Any]:
    return {key: from_attribute(value) for key, value in item.items()}
