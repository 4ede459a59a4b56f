"""ID and access tokens with the claims Cognito puts in them, signed RS256 with the pool's key."""

from __future__ import annotations

import base64
import hashlib
import time
import uuid
from typing import Any

import jwt

from local_connect.cognito.keys import SigningKey
from local_connect.cognito.users import User

TOKEN_LIFETIME_SECONDS = 3600
DEFAULT_SCOPE = "openid email phone profile aws.cognito.signin.user.admin"


def _at_hash(access_token: str) -> str:
    """OIDC at_hash: the left half of SHA-256 of the access token, base64url (Cognito sets it)."""
    digest = hashlib.sha256(access_token.encode()).digest()
    return base64.urlsafe_b64encode(digest[: len(digest) // 2]).rstrip(b"=").decode()


class TokenMinter:
    def __init__(self, key: SigningKey, issuer: str, lifetime: int = TOKEN_LIFETIME_SECONDS) -> None:
        self.key = key
        self.issuer = issuer
        self.lifetime = lifetime

    def _sign(self, claims: dict[str, Any]) -> str:
        return jwt.encode(claims, self.key.private, algorithm="RS256", headers={"kid": self.key.kid})

    def access_token(
        self, user: User, client_id: str, scope: str, auth_time: int, origin_jti: str, now: int | None = None
    ) -> str:
        now = int(time.time()) if now is None else now
        claims: dict[str, Any] = {
            "sub": user.sub,
            "iss": self.issuer,
            "version": 2,
            "client_id": client_id,
            "origin_jti": origin_jti,
            "event_id": str(uuid.uuid4()),
            "token_use": "access",
            "scope": scope,
            "auth_time": auth_time,
            "iat": now,
            "exp": now + self.lifetime,
            "jti": str(uuid.uuid4()),
            "username": user.username,
        }
        if user.groups:
            claims["cognito:groups"] = list(user.groups)
        return self._sign(claims)

    def id_token(
        self,
        user: User,
        client_id: str,
        auth_time: int,
        origin_jti: str,
        access_token: str,
        nonce: str | None = None,
        now: int | None = None,
    ) -> str:
        now = int(time.time()) if now is None else now
        claims: dict[str, Any] = {
            "sub": user.sub,
            "iss": self.issuer,
            "aud": client_id,
            "cognito:username": user.username,
            "origin_jti": origin_jti,
            "event_id": str(uuid.uuid4()),
            "token_use": "id",
            "auth_time": auth_time,
            "iat": now,
            "exp": now + self.lifetime,
            "jti": str(uuid.uuid4()),
            "at_hash": _at_hash(access_token),
        }
        # Cognito puts JSON booleans for the *_verified attributes in ID tokens.
        claims.update({k: v for k, v in user.attributes.items() if v not in (None, "")})
        if user.groups:
            claims["cognito:groups"] = list(user.groups)
        if nonce:
            claims["nonce"] = nonce
        return self._sign(claims)

    def pair(
        self, user: User, client_id: str, scope: str, auth_time: int, nonce: str | None = None
    ) -> tuple[str, str]:
        """(id_token, access_token) from one sign-in event, tied together as Cognito does."""
        origin_jti = str(uuid.uuid4())
        access = self.access_token(user, client_id, scope, auth_time, origin_jti)
        return self.id_token(user, client_id, auth_time, origin_jti, access, nonce), access

    def verify_access_token(self, token: str) -> dict[str, Any]:
        claims: dict[str, Any] = jwt.decode(
            token,
            self.key.private.public_key(),
            algorithms=["RS256"],
            issuer=self.issuer,
            options={"require": ["exp", "iat", "sub", "token_use"], "verify_aud": False},
        )
        if claims.get("token_use") != "access":
            raise jwt.InvalidTokenError("Access Token required")
        return claims
