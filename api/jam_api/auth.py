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


# Every claim we read, with the JSON types Cognito gives it; a token carrying another type is refused
# (401) before any of it is used, so no claim can reach code that assumes its type.
STRING_CLAIMS = (
    "sub",
    "iss",
    "token_use",
    "aud",
    "client_id",
    "cognito:username",
    "username",
    "name",
    "given_name",
    "family_name",
    "email",
    "phone_number",
)
BOOLEAN_CLAIMS = ("phone_number_verified", "email_verified")
NUMBER_CLAIMS = ("exp", "iat", "nbf", "auth_time")
# PyJWT's refusals, as the `reason` member of the 401 (most specific class first).
_JWT_REASONS = (
    ("ExpiredSignatureError", "expired"),
    ("ImmatureSignatureError", "not-yet-valid"),
    ("InvalidIssuerError", "wrong-issuer"),
    ("InvalidIssuedAtError", "bad-issued-at"),
    ("MissingRequiredClaimError", "missing-claim"),
    ("InvalidSubjectError", "claim-type"),
    ("InvalidAlgorithmError", "wrong-algorithm"),
    ("InvalidSignatureError", "bad-signature"),
    ("PyJWKClientError", "unknown-key"),
    ("DecodeError", "malformed"),
)


def _boolean(value: Any) -> bool:
    # Cognito puts a JSON boolean in ID tokens; the string form some tools emit is read exactly.
    if isinstance(value, bool):
        return value
    return str(value).lower() == "true"


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
        """From claims TokenVerifier.verify checked (check_claim_types): every type is known here."""
        username = str(claims.get("cognito:username") or claims.get("username") or claims["sub"])
        given = " ".join(str(claims[k]) for k in ("given_name", "family_name") if claims.get(k))
        return cls(
            subject=str(claims["sub"]),
            username=username,
            name=str(claims.get("name") or given or username),
            email=claims.get("email"),
            phone_number=claims.get("phone_number"),
            phone_verified=_boolean(claims.get("phone_number_verified", False)),
            groups=tuple(claims.get("cognito:groups", []) or []),
        )


def unauthorized(detail: str, reason: str) -> Problem:
    return Problem(
        401,
        "unauthorized",
        "Sign-in required",
        detail,
        headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        extra={"reason": reason},
    )


def check_claim_types(claims: Mapping[str, Any]) -> None:
    """401 `claim-type` naming the first claim whose JSON type is not the one Cognito issues."""

    def refuse(name: str, expected: str) -> Problem:
        return unauthorized(f"The token's {name!r} claim must be {expected}.", "claim-type")

    for name in STRING_CLAIMS:
        if name in claims and not isinstance(claims[name], str):
            raise refuse(name, "a string")
    if not claims.get("sub", "").strip():
        raise refuse("sub", "a non-empty string")
    for name in BOOLEAN_CLAIMS:
        value = claims.get(name)
        if name in claims and not (
            isinstance(value, bool) or (isinstance(value, str) and value.lower() in ("true", "false"))
        ):
            raise refuse(name, "true or false")
    for name in NUMBER_CLAIMS:
        value = claims.get(name)
        if name in claims and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise refuse(name, "a number")
    groups = claims.get("cognito:groups")
    if "cognito:groups" in claims and not (
        isinstance(groups, list) and all(isinstance(g, str) for g in groups)
    ):
        raise refuse("cognito:groups", "a list of strings")


def _reason(exc: Exception) -> str:
    names = {cls.__name__ for cls in type(exc).__mro__}
    return next((reason for name, reason in _JWT_REASONS if name in names), "invalid")


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
            raise unauthorized(f"The token was refused: {exc}.", _reason(exc)) from exc
        check_claim_types(claims)
        token_use = claims.get("token_use")
        if token_use not in settings.accepted_token_uses:
            raise unauthorized(
                f"A token with token_use {token_use!r} is not accepted here; send the ID token.", "token-use"
            )
        client = claims.get("aud") if token_use == "id" else claims.get("client_id")
        if client not in settings.cognito_client_ids:
            raise unauthorized("The token was issued to another app client.", "wrong-client")
        return claims


def bearer_token() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthorized(
            "Send 'Authorization: Bearer <token>' from the signed-in session.", "missing-token"
        )
    return token.strip()
