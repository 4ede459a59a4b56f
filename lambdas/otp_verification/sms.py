"""Sending a text message: AWS End User Messaging SMS on AWS, the local outbox on the local database.

Why End User Messaging (pinpoint-sms-voice-v2 SendTextMessage) and not SNS Publish: SNS's Publish to
a phone number has no resource to scope the permission to, so its policy needs Resource "*" (Step
Functions developer guide, sns-iam: "publish to ... PhoneNumber" -> "Resource": "*"), while
sms-voice:SendTextMessage is granted on the one origination identity (a phone number or pool ARN;
Service Authorization Reference, AWS End User Messaging SMS and Voice V2), so the function can send
from our number only. It is also the service SNS's own SMS now runs on.
"""

from __future__ import annotations

from typing import Any, Protocol

from jam_core.aws_sdk import clients as sdk
from jam_core.connect_lambda.settings import Settings
from jam_core.tables.sms_outbox import SqliteSmsOutbox

SERVICE = "pinpoint-sms-voice-v2"
_client = sdk.ContainerClient(SERVICE)


class SmsSender(Protocol):
    def send(self, phone_number: str, body: str) -> None: ...


class SmsNotConfigured(RuntimeError):
    """No origination identity: there is nothing to send from."""


class EndUserMessagingSms:
    def __init__(self, client: Any, origination_identity: str) -> None:
        if not origination_identity:
            raise SmsNotConfigured("SMS_ORIGINATION_IDENTITY is not set")
        self.client = client
        self.origination_identity = origination_identity

    def send(self, phone_number: str, body: str) -> None:
        self.client.send_text_message(
            DestinationPhoneNumber=phone_number,
            OriginationIdentity=self.origination_identity,
            MessageBody=body,
            MessageType="TRANSACTIONAL",  # a one-time code: delivery over cost
        )


class LocalOutbox:
    def __init__(self, sqlite_path: str) -> None:
        self.outbox = SqliteSmsOutbox(sqlite_path)

    def send(self, phone_number: str, body: str) -> None:
        self.outbox.send(phone_number, body)


def sender(settings: Settings) -> SmsSender:
    if settings.backend == "dynamodb":
        return EndUserMessagingSms(_client.get(), settings.sms_origination_identity)
    return LocalOutbox(settings.sqlite_path)


def reset_client() -> None:
    _client.reset()
