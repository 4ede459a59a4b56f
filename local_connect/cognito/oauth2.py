"""The pool's machine endpoints: OIDC discovery, JWKS, /oauth2/token, /oauth2/revoke, /oauth2/userInfo.

The site is a public client, so PKCE with S256 is required (Cognito accepts it; we insist on it).
"""

from __future__ import annotations

import hmac
from typing import Any

from flask import Blueprint, Response, jsonify, request

from local_connect.cognito.authorization import SUPPORTED_SCOPES, OAuthError, pkce_challenge
from local_connect.cognito.state import cognito_state
from local_connect.cognito.users import User, UserError

REFRESH_LIFETIME_SECONDS = 30 * 24 * 3600

oauth2_blueprint = Blueprint("cognito_oauth2", __name__)


@oauth2_blueprint.get("/.well-known/openid-configuration")
def discovery() -> Response:
    issuer = cognito_state().issuer
    return jsonify(
        {
            "issuer": issuer,
            "authorization_endpoint": f"{issuer}/oauth2/authorize",
            "token_endpoint": f"{issuer}/oauth2/token",
            "userinfo_endpoint": f"{issuer}/oauth2/userInfo",
            "revocation_endpoint": f"{issuer}/oauth2/revoke",
            "jwks_uri": f"{issuer}/.well-known/jwks.json",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code", "refresh_token"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": list(SUPPORTED_SCOPES),
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["none", "client_secret_basic", "client_secret_post"],
        }
    )


@oauth2_blueprint.get("/.well-known/jwks.json")
def jwks() -> Response:
    response = jsonify(cognito_state().minter.key.jwks())
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


def _token_error(exc: OAuthError) -> Response:
    response = jsonify({"error": exc.error, "error_description": exc.description})
    response.status_code = exc.status
    return response


def _requesting_client() -> str:
    basic = request.authorization
    if basic is not None and basic.type == "basic":
        return basic.username or ""
    return request.form.get("client_id", "")


def _grant_tokens(user: User, scope: str, auth_time: int, nonce: str | None, with_refresh: bool) -> Response:
    state = cognito_state()
    client_id = state.client.client_id
    id_token, access_token = state.minter.pair(user, client_id, scope, auth_time, nonce)
    body: dict[str, Any] = {
        "id_token": id_token,
        "access_token": access_token,
        "expires_in": state.minter.lifetime,
        "token_type": "Bearer",
    }
    if with_refresh:
        body["refresh_token"] = state.pool.new_refresh_token(
            user.username, client_id, scope, REFRESH_LIFETIME_SECONDS, auth_time
        )
    return jsonify(body)


def _code_grant() -> Response:
    state = cognito_state()
    issued = state.codes.redeem(request.form.get("code", ""))
    if issued is None:
        raise OAuthError("invalid_grant", "The authorization code is unknown, used or expired.")
    if request.form.get("redirect_uri") != issued.request.redirect_uri:
        raise OAuthError("invalid_grant", "redirect_uri does not match the authorization request.")
    verifier = request.form.get("code_verifier", "")
    if not verifier:
        raise OAuthError("invalid_request", "code_verifier is required (PKCE).")
    if not hmac.compare_digest(pkce_challenge(verifier), issued.request.code_challenge):
        raise OAuthError("invalid_grant", "code_verifier does not match the code_challenge.")
    user = state.pool.get(issued.username)
    if user is None:
        raise OAuthError("invalid_grant", "The user no longer exists.")
    return _grant_tokens(user, issued.request.scope, issued.auth_time, issued.request.nonce or None, True)


def _refresh_grant() -> Response:
    state = cognito_state()
    try:
        user, scope, auth_time = state.pool.use_refresh_token(
            request.form.get("refresh_token", ""), state.client.client_id
        )
    except UserError as exc:
        raise OAuthError("invalid_grant", exc.message) from exc
    return _grant_tokens(user, scope, auth_time, None, with_refresh=False)


@oauth2_blueprint.post("/oauth2/token")
def token() -> Response:
    try:
        if _requesting_client() != cognito_state().client.client_id:
            raise OAuthError("invalid_client", "Unknown client.", 401)
        grant = request.form.get("grant_type")
        if grant == "authorization_code":
            return _code_grant()
        if grant == "refresh_token":
            return _refresh_grant()
        raise OAuthError("unsupported_grant_type", "grant_type must be authorization_code or refresh_token.")
    except OAuthError as exc:
        return _token_error(exc)


@oauth2_blueprint.post("/oauth2/revoke")
def revoke() -> Response:
    state = cognito_state()
    if _requesting_client() != state.client.client_id:
        return _token_error(OAuthError("invalid_client", "Unknown client.", 401))
    state.pool.revoke_refresh_token(request.form.get("token", ""))
    return Response(status=200)


@oauth2_blueprint.route("/oauth2/userInfo", methods=["GET", "POST"])
def user_info() -> Response:
    state = cognito_state()
    scheme, _, token_value = request.headers.get("Authorization", "").partition(" ")
    try:
        if scheme.lower() != "bearer":
            raise ValueError("no bearer token")
        claims = state.minter.verify_access_token(token_value.strip())
    except Exception:
        response = jsonify({"error": "invalid_token", "error_description": "Access token is not valid."})
        response.status_code = 401
        response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        return response
    user = state.pool.get_by_sub(str(claims["sub"]))
    if user is None:
        return Response(status=401)
    # Cognito's userInfo gives the *_verified attributes as strings.
    body: dict[str, Any] = {"sub": user.sub, "username": user.username}
    for key, value in user.attributes.items():
        body[key] = ("true" if value else "false") if isinstance(value, bool) else value
    return jsonify(body)
