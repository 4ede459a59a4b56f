"""Connect's errors, by the names and HTTP codes in botocore's model, so boto3 raises the same classes."""

from __future__ import annotations


class ConnectError(Exception):
    code = "InternalServiceException"
    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ResourceNotFoundException(ConnectError):
    code, status = "ResourceNotFoundException", 404


class InvalidRequestException(ConnectError):
    code, status = "InvalidRequestException", 400


class InvalidParameterException(ConnectError):
    code, status = "InvalidParameterException", 400


class ThrottlingException(ConnectError):
    code, status = "ThrottlingException", 429


class LimitExceededException(ConnectError):
    code, status = "LimitExceededException", 429


class DestinationNotAllowedException(ConnectError):
    code, status = "DestinationNotAllowedException", 403


class ContactNotFoundException(ConnectError):
    code, status = "ContactNotFoundException", 410


class IdempotencyException(ConnectError):
    code, status = "IdempotencyException", 409


class MissingAuthenticationTokenException(ConnectError):
    code, status = "MissingAuthenticationTokenException", 403


class UnknownOperationException(ConnectError):
    """What an AWS REST endpoint answers for a path and method it does not serve."""

    code, status = "UnknownOperationException", 404


class InternalServiceException(ConnectError):
    pass
