"""The part of the Cognito user pools JSON API a signed-in user calls with their access token.

POST / with `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>` and an
application/x-amz-json-1.1 body, as on https://cognito-idp.<region>.amazonaws.com/. Supported:
GetUser, UpdateUserAttributes, GetUserAttributeVerificationCode, VerifyUserAttribute.

Cognito would send the verification code by SMS or email; the local pool returns it in a
`LocalCode` field of CodeDeliveryDetails so the site can show it on screen. Nothing else differs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Request, Response, request

from local_connect.cognito.state import cognito_state
from local_connect.cognito.tokens import TokenMinter
from local_connect.cognito.users import User, UserError, UserPool

TARGET_PREFIX = "AWSCognitoIdentityProviderService."
ADMIN_SCOPE = "aws.cognito.signin.user.admin"
VERIFIABLE = ("email", "phone_number")


def _answer(body: dict[str, Any], status: int = 200) -> Response:
    return Response(json.dumps(body), status, mimetype="application/x-amz-json-1.1")


def _error(code: str, message: str, status: int = 400) -> Response:
    return _answer({"__type": code, "message": message}, status)


def _masked(value: str) -> str:
    return (
        "*" * max(len(value) - 4, 0) + value[-4:]
        if "@" not in value
        else value[0] + "***@" + value.split("@")[1]
    )


def _delivery(user: User, attribute: str, code: str) -> dict[str, str]:
    destination = str(user.attributes.get(attribute, ""))
    return {
        "Destination": _masked(destination),
        "DeliveryMedium": "SMS" if attribute == "phone_number" else "EMAIL",
        "AttributeName": attribute,
        "LocalCode": code,
    }


def _attributes(user: User) -> list[dict[str, str]]:
    listed = [{"Name": "sub", "Value": user.sub}]
    for key, value in user.attributes.items():
        listed.append(
            {"Name": key, "Value": ("true" if value else "false") if isinstance(value, bool) else str(value)}
        )
    return listed


def handle_idp_request(request: Request, pool: UserPool, minter: TokenMinter) -> Response:
    target = request.headers.get("X-Amz-Target", "")
    operation = (
        OPERATIONS.get(target.removeprefix(TARGET_PREFIX)) if target.startswith(TARGET_PREFIX) else None
    )
    if operation is None:
        return _error("UnknownOperationException", f"Unknown operation {target!r}.")
    try:
        body = json.loads(request.get_data(as_text=True) or "{}")
    except json.JSONDecodeError:
        return _error("SerializationException", "The body is not JSON.")
    if not isinstance(body, dict):
        return _error("SerializationException", "The body must be a JSON object.")
    try:
        claims = minter.verify_access_token(str(body.get("AccessToken", "")))
    except Exception:
        return _error("NotAuthorizedException", "Invalid Access Token")
    if ADMIN_SCOPE not in str(claims.get("scope", "")).split():
        return _error("NotAuthorizedException", "Access Token does not have required scopes")
    user = pool.get_by_sub(str(claims["sub"]))
    if user is None:
        return _error("UserNotFoundException", "User does not exist.")
    try:
        return operation(pool, user, body)
    except UserError as exc:
        return _error(exc.code, exc.message)


def _get_user(pool: UserPool, user: User, body: dict[str, Any]) -> Response:
    return _answer({"Username": user.username, "UserAttributes": _attributes(user)})


def _update_user_attributes(pool: UserPool, user: User, body: dict[str, Any]) -> Response:
    listed = body.get("UserAttributes") or []
    if not isinstance(listed, list) or not all(isinstance(a, dict) for a in listed):
        raise UserError("InvalidParameterException", "UserAttributes must be a list of {Name, Value}.")
    changes = {str(a.get("Name")): str(a.get("Value", "")) for a in listed}
    updated = pool.update_attributes(user.username, changes)
    # Like Cognito, a changed email or phone number gets a code to verify it straight away.
    details = [
        _delivery(updated, attribute, pool.new_code(updated.username, attribute))
        for attribute in VERIFIABLE
        if attribute in changes and not updated.attributes.get(f"{attribute}_verified")
    ]
    return _answer({"CodeDeliveryDetailsList": details})


def _verifiable(user: User, body: dict[str, Any]) -> str:
    attribute = str(body.get("AttributeName", ""))
    if attribute not in VERIFIABLE or not user.attributes.get(attribute):
        raise UserError("InvalidParameterException", f"The user has no {attribute or 'attribute'} to verify.")
    return attribute


def _get_verification_code(pool: UserPool, user: User, body: dict[str, Any]) -> Response:
    attribute = _verifiable(user, body)
    return _answer(
        {"CodeDeliveryDetails": _delivery(user, attribute, pool.new_code(user.username, attribute))}
    )


def _verify_user_attribute(pool: UserPool, user: User, body: dict[str, Any]) -> Response:
    attribute = _verifiable(user, body)
    pool.use_code(user.username, attribute, str(body.get("Code", "")))
    pool.mark_verified(user.username, attribute)
    return _answer({})


OPERATIONS: dict[str, Callable[[UserPool, User, dict[str, Any]], Response]] = {
    "GetUser": _get_user,
    "UpdateUserAttributes": _update_user_attributes,
    "GetUserAttributeVerificationCode": _get_verification_code,
    "VerifyUserAttribute": _verify_user_attribute,
}


idp_blueprint = Blueprint("cognito_idp", __name__)


@idp_blueprint.post("/")
def idp_api() -> Response:
    """The user pools JSON API (X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>)."""
    state = cognito_state()
    return handle_idp_request(request, state.pool, state.minter)
