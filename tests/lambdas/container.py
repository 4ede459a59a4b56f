"""What a warm Lambda container keeps between invocations, forgotten at once (tests that swap the
mocked AWS account, the database file or the pepper start as a new container would)."""

from __future__ import annotations

from otp_verification import sms

from jam_core.aws_sdk import secretsmanager
from jam_core.tables import dynamo, pepper, repositories


def forget_container_state() -> None:
    """The cached repositories, the DynamoDB, Secrets Manager and SMS clients and the PIN pepper."""
    repositories.clear()
    dynamo.reset_client()
    secretsmanager.reset_client()
    pepper.reset()
    sms.reset_client()
