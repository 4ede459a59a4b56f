"""Placing one call request: StartOutboundVoiceContact, then the request's outcome, once.

Connect's answers sort into three: the call is placed (the request records its ContactId); a
refusal no retry can fix (a number Connect will not dial, a flow or queue that is gone, a bad
parameter): the request fails with Connect's reason, once; anything else (throttling, a quota
reached, Connect or the network failing) leaves the request scheduled for a later try. The
ClientToken in the stored arguments makes a retry after a crash idempotent in Connect: a request
placed just before a kill -9, and tried again on restart, is still one call.
"""

from __future__ import annotations

import enum
from typing import Any

from jam_core.tables.call_requests import FAILED, PLACED, CallRequest, CallRequestRepository

# StartOutboundVoiceContact's documented errors (Connect API reference) that a retry cannot fix.
PERMANENT = frozenset(
    {
        "InvalidRequestException",
        "InvalidParameterException",
        "ResourceNotFoundException",
        "DestinationNotAllowedException",
        "OutboundContactNotPermittedException",
        "AccessDeniedException",
        "IdempotencyException",
    }
)


class Outcome(enum.Enum):
    PLACED = "placed"
    FAILED = "failed"
    RETRY = "retry"  # throttled, over a limit, or Connect could not answer: try again later


def error_code(exc: BaseException) -> str:
    response = getattr(exc, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))


def place(connect: Any, requests: CallRequestRepository, request: CallRequest, now: float) -> Outcome:
    """Ask Connect for the call and record the outcome; never raises for a Connect answer."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        answer = connect.start_outbound_voice_contact(**dict(request.start_args))
    except ClientError as exc:
        code = error_code(exc)
        if code in PERMANENT:
            message = str(exc.response.get("Error", {}).get("Message", "")) or code
            requests.finish(request.request_id, FAILED, reason=f"{code}: {message}", at=now)
            return Outcome.FAILED
        requests.count_attempt(request.request_id)
        return Outcome.RETRY
    except BotoCoreError:
        requests.count_attempt(request.request_id)
        return Outcome.RETRY
    requests.finish(request.request_id, PLACED, contact_id=str(answer["ContactId"]), at=now)
    return Outcome.PLACED
