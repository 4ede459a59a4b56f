"""The local Cognito user pool as a WSGI app, mounted at /cognito by the local stack.

Endpoints (paths as Cognito has them; issuer = {base_url}/cognito):
    GET  /.well-known/openid-configuration, /.well-known/jwks.json
    GET  /oauth2/authorize      -> /login (Hosted UI) -> redirect_uri?code=…&state=…
    GET|POST /login, /signup, /confirm   the Hosted-UI-like pages
    POST /oauth2/token          authorization_code (PKCE S256 required) and refresh_token grants
    GET|POST /oauth2/userInfo   claims for an access token
    POST /oauth2/revoke         revoke a refresh token
    GET  /logout                clear the pool's session, back to logout_uri (Cognito's discovery
                                document has no end_session_endpoint, so neither does ours)
    POST /                      a subset of the Cognito user pools JSON API (idp_api.py)

The site is a public client, so PKCE with S256 is required (Cognito accepts it; we insist on it).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import Flask, Response, jsonify, redirect, request, session
from werkzeug.wrappers import Response as BaseResponse

from local_connect.cognito import LOCAL_CLIENT_ID, SEED_USERS, STATE_DIR, issuer_for
from local_connect.cognito.idp_api import handle_idp_request
from local_connect.cognito.keys import load_or_create_secret, load_or_create_signing_key
from local_connect.cognito.pages import confirm_page, error_page, sign_in_page, sign_up_page, text
from local_connect.cognito.tokens import DEFAULT_SCOPE, TOKEN_LIFETIME_SECONDS, TokenMinter
from local_connect.cognito.users import User, UserError, UserPool

CODE_LIFETIME_SECONDS = 300
# Cognito locks sign-in after repeated wrong passwords ("Password attempts exceeded").
MAX_FAILED_SIGN_INS = 5
LOCKOUT_SECONDS = 15 * 60
REFRESH_LIFETIME_SECONDS = 30 * 24 * 3600
SUPPORTED_SCOPES = ("openid", "email", "phone", "profile", "aws.cognito.signin.user.admin")
# The authorize parameters carried through the sign-in and sign-up forms.
REQUEST_FIELDS = (
    "client_id",
    "redirect_uri",
    "response_type",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "lang",
)


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


def pkce_challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def create_app(
    base_url: str,
    *,
    state_dir: Path = STATE_DIR,
    seed_path: Path | None = SEED_USERS,
    client_id: str = LOCAL_CLIENT_ID,
    extra_origins: tuple[str, ...] = (),
) -> Flask:
    """The pool for a stack served at `base_url` (e.g. http://127.0.0.1:8000), mounted at /cognito.

    Redirect and logout URIs are accepted on the stack's own origin and on `extra_origins` (a Vite
    dev server, say): the local equivalent of the app client's callback URL list.
    """
    issuer = issuer_for(base_url)
    origins = {_origin(base_url), *(_origin(o) for o in extra_origins)}
    pool = UserPool(state_dir / "users.sqlite3", seed_path)
    minter = TokenMinter(load_or_create_signing_key(state_dir), issuer)
    codes = CodeStore()
    throttle = SignInThrottle()

    app = Flask(__name__)
    app.secret_key = load_or_create_secret(state_dir, "session-secret")
    app.config.update(
        SESSION_COOKIE_NAME="cognito",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=3600 * 8,
    )
    app.extensions["cognito.pool"] = pool
    app.extensions["cognito.minter"] = minter

    def allowed_uri(uri: str) -> bool:
        return urlsplit(uri).scheme in ("http", "https") and _origin(uri) in origins

    def parse_authorize(args: Any) -> AuthorizationRequest:
        if args.get("client_id") != client_id:
            raise OAuthError("invalid_client", "Unknown client_id.")
        redirect_uri = args.get("redirect_uri", "")
        if not allowed_uri(redirect_uri):
            raise OAuthError("redirect_mismatch", "redirect_uri is not a callback URL of this app client.")
        if args.get("response_type") != "code":
            raise OAuthError("unsupported_response_type", "Only response_type=code is supported.")
        if not args.get("code_challenge") or args.get("code_challenge_method") != "S256":
            raise OAuthError("invalid_request", "PKCE is required: send code_challenge with method S256.")
        scopes = (args.get("scope") or "openid").split()
        unknown = [s for s in scopes if s not in SUPPORTED_SCOPES]
        if unknown or "openid" not in scopes:
            raise OAuthError("invalid_scope", f"Unsupported scope: {' '.join(unknown) or 'openid missing'}.")
        return AuthorizationRequest(
            client_id,
            redirect_uri,
            " ".join(scopes),
            args.get("state", ""),
            args.get("nonce", ""),
            args["code_challenge"],
            "es" if args.get("lang") == "es" else "en",
        )

    def url(path: str) -> str:
        return request.script_root + path

    def back_to_client(auth: AuthorizationRequest, username: str, auth_time: int) -> BaseResponse:
        code = codes.issue(auth, username, auth_time)
        query = {"code": code, **({"state": auth.state} if auth.state else {})}
        # A callback URL may have a query of its own: the code and state are added to it.
        separator = "&" if urlsplit(auth.redirect_uri).query else "?"
        return redirect(f"{auth.redirect_uri}{separator}{urlencode(query)}", code=302)

    def signed_in_user() -> tuple[User, int] | None:
        username, auth_time = session.get("username"), session.get("auth_time")
        if not username or not isinstance(auth_time, int):
            return None
        user = pool.get(username)
        return (user, auth_time) if user and user.confirmed else None

    def form_token() -> str:
        """The session's anti-forgery token, carried by the sign-in and sign-up forms. A cross-site
        POST arrives without the (SameSite=Lax) session cookie, so it cannot match: another site
        cannot sign this browser in to an account of its choosing (login CSRF)."""
        token = session.get("csrf")
        if not isinstance(token, str):
            token = session["csrf"] = secrets.token_urlsafe(24)
        return token

    def forged() -> bool:
        expected = session.get("csrf")
        sent = request.form.get("_csrf", "")
        return not isinstance(expected, str) or not hmac.compare_digest(sent.encode(), expected.encode())

    def start_session(user: User) -> int:
        auth_time = int(time.time())
        session.clear()
        session.permanent = True
        session["username"] = user.username
        session["auth_time"] = auth_time
        return auth_time

    @app.errorhandler(OAuthError)
    def oauth_error(exc: OAuthError) -> Response:
        # A bad client or redirect URI is never redirected to (that would be an open redirect).
        return Response(
            error_page("Sign-in request refused", exc.description), exc.status, mimetype="text/html"
        )

    @app.after_request
    def cors(response: Response) -> Response:
        origin = request.headers.get("Origin")
        if origin and _origin(origin) in origins:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Allow-Headers"] = (
                "Authorization, Content-Type, X-Amz-Target, X-Amz-User-Agent"
            )
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            response.headers["Vary"] = "Origin"
        # The pages must not be framed (clickjacking) nor cached with their one-time values.
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.route("/<path:_any>", methods=["OPTIONS"])
    @app.route("/", methods=["OPTIONS"])
    def preflight(_any: str = "") -> Response:
        return Response(status=204)

    # ------------------------------------------------------------------ discovery
    @app.get("/.well-known/openid-configuration")
    def discovery() -> Response:
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
                "token_endpoint_auth_methods_supported": [
                    "none",
                    "client_secret_basic",
                    "client_secret_post",
                ],
            }
        )

    @app.get("/.well-known/jwks.json")
    def jwks() -> Response:
        response = jsonify(minter.key.jwks())
        response.headers["Cache-Control"] = "public, max-age=3600"
        return response

    # ------------------------------------------------------------------ Hosted UI
    @app.get("/oauth2/authorize")
    def authorize() -> BaseResponse:
        auth = parse_authorize(request.args)
        current = signed_in_user()
        if current is not None:
            return back_to_client(auth, current[0].username, current[1])
        return redirect(url("/login") + "?" + urlencode(auth.fields()), code=302)

    @app.route("/login", methods=["GET", "POST"])
    def login() -> BaseResponse | str:
        source = request.form if request.method == "POST" else request.args
        auth = parse_authorize(source)
        fields = auth.fields()
        sign_up = url("/signup") + "?" + urlencode(fields)
        form = {**fields, "_csrf": form_token()}
        if request.method == "GET":
            return sign_in_page(url("/login"), sign_up, form)
        username = request.form.get("username", "").strip()
        if forged():
            return Response(
                sign_in_page(url("/login"), sign_up, form, text(auth.lang, "form_expired"), username), 400
            )
        if throttle.locked(username):
            return Response(
                sign_in_page(url("/login"), sign_up, form, "Password attempts exceeded", username), 400
            )
        try:
            user = pool.authenticate(username, request.form.get("password", ""))
        except UserError as exc:
            if exc.code == "NotAuthorizedException":
                throttle.failed(username)
            if exc.code == "UserNotConfirmedException":
                # The password was right: this browser may confirm the account (and only this one).
                session["pending"] = username
                return redirect(url("/confirm") + "?" + urlencode({**fields, "username": username}))
            return Response(sign_in_page(url("/login"), sign_up, form, exc.message, username), 400)
        throttle.succeeded(username)
        return back_to_client(auth, user.username, start_session(user))

    @app.route("/signup", methods=["GET", "POST"])
    def signup() -> BaseResponse | str:
        source = request.form if request.method == "POST" else request.args
        auth = parse_authorize(source)
        fields = auth.fields()
        sign_in = url("/login") + "?" + urlencode(fields)
        form = {**fields, "_csrf": form_token()}
        if request.method == "GET":
            return sign_up_page(url("/signup"), sign_in, form, {})
        values = {
            k: request.form.get(k, "")
            for k in ("username", "given_name", "family_name", "email", "phone_number")
        }
        if forged():
            page = sign_up_page(url("/signup"), sign_in, form, values, text(auth.lang, "form_expired"))
            return Response(page, 400)
        attributes = {k: v for k, v in values.items() if k != "username"}
        try:
            user = pool.sign_up(values["username"].strip(), request.form.get("password", ""), attributes)
        except UserError as exc:
            return Response(sign_up_page(url("/signup"), sign_in, form, values, exc.message), 400)
        session["pending"] = user.username
        code = pool.new_code(user.username, "email")
        return confirm_page(url("/confirm"), fields, user.username, str(user.attributes.get("email")), code)

    @app.route("/confirm", methods=["GET", "POST"])
    def confirm() -> BaseResponse | str:
        source = request.form if request.method == "POST" else request.args
        auth = parse_authorize(source)
        fields = auth.fields()
        username = source.get("username", "")
        # The code is shown on screen, and confirming signs in: only the browser that signed up
        # (or gave the right password) may do it, or anyone could take over an unconfirmed account.
        if not username or session.get("pending") != username:
            return Response(error_page("Confirm your account", "Sign up or sign in first."), 403)
        user = pool.get(username)
        if user is None:
            return Response(error_page("Confirm your account", "User does not exist."), 404)
        if request.method == "GET":
            # Reached by signing in before confirming: a fresh code, shown on screen.
            code = pool.new_code(username, "email")
            return confirm_page(url("/confirm"), fields, username, str(user.attributes.get("email")), code)
        try:
            pool.use_code(username, "email", request.form.get("code", ""))
        except UserError as exc:
            page = confirm_page(
                url("/confirm"), fields, username, str(user.attributes.get("email")), None, exc.message
            )
            return Response(page, 400)
        pool.confirm(username)
        pool.mark_verified(username, "email")
        confirmed = pool.get(username)
        assert confirmed is not None
        return back_to_client(auth, username, start_session(confirmed))

    @app.get("/logout")
    def logout() -> BaseResponse:
        """Cognito's logout: clear the session, then go to logout_uri (or back to sign-in)."""
        if request.args.get("client_id") != client_id:
            raise OAuthError("invalid_client", "Unknown client_id.")
        session.clear()
        target = request.args.get("logout_uri") or request.args.get("post_logout_redirect_uri")
        if target:
            if not allowed_uri(target):
                raise OAuthError("invalid_request", "logout_uri is not a sign-out URL of this app client.")
            return redirect(target, code=302)
        return redirect(url("/oauth2/authorize") + "?" + urlencode(request.args), code=302)

    # ------------------------------------------------------------------ token endpoint
    def token_error(exc: OAuthError) -> Response:
        response = jsonify({"error": exc.error, "error_description": exc.description})
        response.status_code = exc.status
        return response

    def requesting_client() -> str:
        basic = request.authorization
        if basic is not None and basic.type == "basic":
            return basic.username or ""
        return request.form.get("client_id", "")

    def grant_tokens(
        user: User, scope: str, auth_time: int, nonce: str | None, with_refresh: bool
    ) -> Response:
        id_token, access_token = minter.pair(user, client_id, scope, auth_time, nonce)
        body: dict[str, Any] = {
            "id_token": id_token,
            "access_token": access_token,
            "expires_in": minter.lifetime,
            "token_type": "Bearer",
        }
        if with_refresh:
            body["refresh_token"] = pool.new_refresh_token(
                user.username, client_id, scope, REFRESH_LIFETIME_SECONDS, auth_time
            )
        return jsonify(body)

    @app.post("/oauth2/token")
    def token() -> Response:
        try:
            if requesting_client() != client_id:
                raise OAuthError("invalid_client", "Unknown client.", 401)
            grant = request.form.get("grant_type")
            if grant == "authorization_code":
                return code_grant()
            if grant == "refresh_token":
                try:
                    user, scope, auth_time = pool.use_refresh_token(
                        request.form.get("refresh_token", ""), client_id
                    )
                except UserError as exc:
                    raise OAuthError("invalid_grant", exc.message) from exc
                return grant_tokens(user, scope, auth_time, None, with_refresh=False)
            raise OAuthError(
                "unsupported_grant_type", "grant_type must be authorization_code or refresh_token."
            )
        except OAuthError as exc:
            return token_error(exc)

    def code_grant() -> Response:
        issued = codes.redeem(request.form.get("code", ""))
        if issued is None:
            raise OAuthError("invalid_grant", "The authorization code is unknown, used or expired.")
        if request.form.get("redirect_uri") != issued.request.redirect_uri:
            raise OAuthError("invalid_grant", "redirect_uri does not match the authorization request.")
        verifier = request.form.get("code_verifier", "")
        if not verifier:
            raise OAuthError("invalid_request", "code_verifier is required (PKCE).")
        if not hmac.compare_digest(pkce_challenge(verifier), issued.request.code_challenge):
            raise OAuthError("invalid_grant", "code_verifier does not match the code_challenge.")
        user = pool.get(issued.username)
        if user is None:
            raise OAuthError("invalid_grant", "The user no longer exists.")
        return grant_tokens(user, issued.request.scope, issued.auth_time, issued.request.nonce or None, True)

    @app.post("/oauth2/revoke")
    def revoke() -> Response:
        if requesting_client() != client_id:
            return token_error(OAuthError("invalid_client", "Unknown client.", 401))
        pool.revoke_refresh_token(request.form.get("token", ""))
        return Response(status=200)

    @app.route("/oauth2/userInfo", methods=["GET", "POST"])
    def user_info() -> Response:
        scheme, _, token_value = request.headers.get("Authorization", "").partition(" ")
        try:
            if scheme.lower() != "bearer":
                raise ValueError("no bearer token")
            claims = minter.verify_access_token(token_value.strip())
        except Exception:
            response = jsonify({"error": "invalid_token", "error_description": "Access token is not valid."})
            response.status_code = 401
            response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
            return response
        user = pool.get_by_sub(str(claims["sub"]))
        if user is None:
            return Response(status=401)
        # Cognito's userInfo gives the *_verified attributes as strings.
        body: dict[str, Any] = {"sub": user.sub, "username": user.username}
        for key, value in user.attributes.items():
            body[key] = ("true" if value else "false") if isinstance(value, bool) else value
        return jsonify(body)

    # ------------------------------------------------------------------ user pools JSON API
    @app.post("/")
    def idp_api() -> Response:
        return handle_idp_request(request, pool, minter)

    return app


__all__ = ["DEFAULT_SCOPE", "TOKEN_LIFETIME_SECONDS", "create_app", "pkce_challenge"]
