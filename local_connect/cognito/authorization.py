"""The OAuth 2.0 authorization request and its code: parsing /oauth2/authorize, single-use codes,
PKCE and the wrong-password lockout. No Flask here: the views (hosted_ui.py, oauth2.py) use these."""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass

from local_connect.cognito.client import AppClient

CODE_LIFETIME_SECONDS = 300
# Cognito locks sign-in after repeated wrong passwords ("Password attempts exceeded").
MAX_FAILED_SIGN_INS = 5
LOCKOUT_SECONDS = 15 * 60
SUPPORTED_SCOPES = ("openid", "email", "phone", "profile", "aws.cognito.signin.user.admin")


class OAuthError(Exception):
    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status


@dataclass(frozen=True)
class AuthorizationRequest:
    client_id: str
    redirect_uri: str
    scope: str
    state: str
    nonce: str
    code_challenge: str
    lang: str = "en"  # the Hosted UI's page language (Cognito's `lang` parameter)

    def fields(self) -> dict[str, str]:
        """The authorize parameters carried through the sign-in and sign-up forms."""
        return {
            "lang": self.lang,
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "response_type": "code",
            "scope": self.scope,
            "state": self.state,
            "nonce": self.nonce,
            "code_challenge": self.code_challenge,
            "code_challenge_method": "S256",
        }


def parse_authorize(args: Mapping[str, str], client: AppClient) -> AuthorizationRequest:
    """An /oauth2/authorize request (or the same fields carried by a form), or OAuthError."""
    if args.get("client_id") != client.client_id:
        raise OAuthError("invalid_client", "Unknown client_id.")
    redirect_uri = args.get("redirect_uri", "")
    if not client.is_callback_url(redirect_uri):
        raise OAuthError("redirect_mismatch", "redirect_uri is not a callback URL of this app client.")
    if args.get("response_type") != "code":
        raise OAuthError("unsupported_response_type", "Only response_type=code is supported.")
    challenge = args.get("code_challenge", "")
    if not challenge or args.get("code_challenge_method") != "S256":
        raise OAuthError("invalid_request", "PKCE is required: send code_challenge with method S256.")
    scopes = (args.get("scope") or "openid").split()
    unknown = [s for s in scopes if s not in SUPPORTED_SCOPES]
    if unknown or "openid" not in scopes:
        raise OAuthError("invalid_scope", f"Unsupported scope: {' '.join(unknown) or 'openid missing'}.")
    return AuthorizationRequest(
        client.client_id,
        redirect_uri,
        " ".join(scopes),
        args.get("state", ""),
        args.get("nonce", ""),
        challenge,
        "es" if args.get("lang") == "es" else "en",
    )


def pkce_challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


@dataclass(frozen=True)
class IssuedCode:
    request: AuthorizationRequest
    username: str
    auth_time: int
    expires_at: float


class CodeStore:
    """Authorization codes: single use, short-lived, in memory (a restart simply signs in again)."""

    def __init__(self) -> None:
        self._codes: dict[str, IssuedCode] = {}
        self._lock = threading.Lock()

    def issue(self, request: AuthorizationRequest, username: str, auth_time: int) -> str:
        code = secrets.token_urlsafe(32)
        with self._lock:
            now = time.time()
            self._codes = {k: v for k, v in self._codes.items() if v.expires_at > now}
            self._codes[code] = IssuedCode(request, username, auth_time, now + CODE_LIFETIME_SECONDS)
        return code

    def redeem(self, code: str) -> IssuedCode | None:
        with self._lock:
            issued = self._codes.pop(code, None)
        if issued is None or issued.expires_at < time.time():
            return None
        return issued


class SignInThrottle:
    """Wrong passwords per username; after MAX_FAILED_SIGN_INS the user is locked for a while."""

    def __init__(self) -> None:
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def locked(self, username: str) -> bool:
        with self._lock:
            recent = [t for t in self._failures.get(username, []) if t > time.time() - LOCKOUT_SECONDS]
            if recent:
                self._failures[username] = recent
            else:  # no entry kept for names without recent failures (any name may be typed)
                self._failures.pop(username, None)
            return len(recent) >= MAX_FAILED_SIGN_INS

    def failed(self, username: str) -> None:
        with self._lock:
            self._failures.setdefault(username, []).append(time.time())

    def succeeded(self, username: str) -> None:
        with self._lock:
            self._failures.pop(username, None)
