"""Amazon Connect errors, mapped to answers a website can act on."""

from __future__ import annotations

from botocore.exceptions import BotoCoreError, ClientError

from jam_api.problems import Problem

THROTTLED = {"ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded"}


def problem_for(exc: ClientError | BotoCoreError, *, not_found_field: str | None = None) -> Problem:
    if isinstance(exc, BotoCoreError):
        return Problem(
            503,
            "connect-unreachable",
            "Contact center unavailable",
            "Amazon Connect could not be reached.",
            retry_after=5,
        )
    code = exc.response.get("Error", {}).get("Code", "")
    if code in THROTTLED:
        return Problem(
            429,
            "connect-throttled",
            "Too many requests",
            "The contact center is busy; retry shortly.",
            retry_after=2,
        )
    if code == "IdempotencyException":
        # The ClientToken (our Idempotency-Key) was used with other parameters: a retry cannot succeed.
        from jam_api.contact.idempotency import key_reused

        return key_reused()
    if code == "LimitExceededException":
        return Problem(
            503,
            "too-many-calls",
            "The contact center is at capacity",
            "Too many calls are in progress; retry in a little while.",
            retry_after=30,
        )
    if code in ("DestinationNotAllowedException", "OutboundContactNotPermittedException"):
        return Problem(
            403,
            "destination-not-allowed",
            "This number cannot be called",
            "The contact center may not call this number.",
            field="destinationPhoneNumber",
        )
    if code == "ResourceNotFoundException":
        return Problem(
            404, "not-found", "Not found", "The contact center has no such resource.", field=not_found_field
        )
    if code in ("InvalidParameterException", "InvalidRequestException"):
        return Problem(
            422,
            "rejected-by-connect",
            "Amazon Connect refused the request",
            exc.response.get("Error", {}).get("Message", code),
            field=not_found_field,
        )
    return Problem(
        502, "connect-error", "Contact center error", "Amazon Connect answered with an error.", retry_after=5
    )
