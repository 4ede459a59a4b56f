"""Cognito JWT verification (defence in depth behind API Gateway's Cognito authorizer).

Checked: RS256 signature against the issuer's JWKS (cached), `iss`, `exp`/`nbf`/`iat`, `token_use`,
and the app client (`aud` for ID tokens, `client_id` for access tokens). The same code verifies
tokens from the local Cognito stand-in, which publishes the same endpoints and claims.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask import request

from jam_api.config import Settings
from jam_api.problems import Problem

if TYPE_CHECKING:
    import jwt

LEEWAY_SECONDS = 5
# PyJWT waits 30 s for the JWKS by default, longer than the function's 15 s Timeout: a hung fetch
# would end in API Gateway's bare 502 instead of our 503 "auth-unavailable".
JWKS_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class Customer:
    subject: str
    username: str
    name: str
    email: str | None
    phone_number: str | None
    phone_verified: bool
    groups: tuple[str, ...]

    @classmethod
    def from_claims(cls, claims: Mapping[str, Any]) -> Customer:
        username = str(claims.get("cognito:username") or claims.get("username") or claims["sub"])
        given = " ".join(str(claims[k]) for k in ("given_name", "family_name") if claims.get(k))
        verified = claims.get("phone_number_verified")
        return cls(
            subject=str(claims["sub"]),
            username=username,
            name=str(claims.get("name") or given or username),
            email=claims.get("email"),
            phone_number=claims.get("phone_number"),
            # Cognito puts a JSON boolean in ID tokens; accept the string form some tools emit.
            phone_verified=verified is True or str(verified).lower() == "true",
            groups=tuple(str(g) for g in claims.get("cognito:groups", []) or []),
        )


def unauthorized(detail: str) -> Problem:
    return Problem(
        401,
        "unauthorized",
        "Sign-in required",
        detail,
        headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
    )


class TokenVerifier:
    def __init__(self, settings: Settings, jwks_client: jwt.PyJWKClient | None = None) -> None:
        self._settings = settings
        self._jwks = jwks_client

    def _jwks_client(self) -> jwt.PyJWKClient:
        # pyjwt + cryptography are imported on the first verification, not at start-up: public
        # routes (hours) should not pay for them in a Lambda cold start.
        import jwt

        if self._jwks is None:
            lifespan = int(self._settings.jwks_cache_ttl_seconds)
            self._jwks = jwt.PyJWKClient(
                self._settings.jwks_url, cache_keys=True, lifespan=lifespan, timeout=JWKS_TIMEOUT_SECONDS
            )
        return self._jwks

    def verify(self, token: str) -> dict[str, Any]:
        import jwt

        settings = self._settings
        if not settings.jwks_url or not settings.cognito_issuer or not settings.cognito_client_ids:
            raise Problem(
                503, "auth-not-configured", "Sign-in unavailable", "The API has no identity provider set."
            )
        try:
            key = self._jwks_client().get_signing_key_from_jwt(token).key
            claims: dict[str, Any] = jwt.decode(
                token,
                key=key,
                algorithms=["RS256"],
                issuer=settings.cognito_issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "iss", "sub", "token_use"], "verify_aud": False},
            )
        except jwt.PyJWKClientConnectionError as exc:
            raise Problem(
                503,
                "auth-unavailable",
                "Sign-in unavailable",
                "Cannot reach the identity provider.",
                retry_after=5,
            ) from exc
        except jwt.PyJWTError as exc:
            raise unauthorized(f"The token was refused: {exc}.") from exc
        token_use = claims.get("token_use")
        if token_use not in settings.accepted_token_uses:
            raise unauthorized(
                f"A token with token_use {token_use!r} is not accepted here; send the ID token."
            )
        client = claims.get("aud") if token_use == "id" else claims.get("client_id")
        if client not in settings.cognito_client_ids:
            raise unauthorized("The token was issued to another app client.")
        return claims


def bearer_token() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthorized("Send 'Authorization: Bearer <token>' from the signed-in session.")
    return token.strip()
