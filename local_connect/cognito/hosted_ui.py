"""The Hosted UI: /oauth2/authorize, the /login, /signup and /confirm pages, and /logout.

A bad client or redirect URI gets an error page, never a redirect (that would be an open redirect).
"""

from __future__ import annotations

import hmac
import secrets
import time
from urllib.parse import urlencode, urlsplit

from flask import Blueprint, Response, redirect, request, session
from werkzeug.wrappers import Response as BaseResponse

from local_connect.cognito.authorization import AuthorizationRequest, OAuthError, parse_authorize
from local_connect.cognito.pages import confirm_page, error_page, sign_in_page, sign_up_page, text
from local_connect.cognito.state import cognito_state
from local_connect.cognito.users import User, UserError

hosted_ui_blueprint = Blueprint("cognito_hosted_ui", __name__)


@hosted_ui_blueprint.errorhandler(OAuthError)
def oauth_error(exc: OAuthError) -> Response:
    return Response(error_page("Sign-in request refused", exc.description), exc.status, mimetype="text/html")


def _url(path: str) -> str:
    """A path of the pool as the browser sees it (the pool is mounted at /cognito by the stack)."""
    return request.script_root + path


def _authorization() -> AuthorizationRequest:
    """The authorize parameters of this request: the query on GET, the form's hidden fields on POST."""
    source = request.form if request.method == "POST" else request.args
    return parse_authorize(source, cognito_state().client)


def _back_to_client(auth: AuthorizationRequest, username: str, auth_time: int) -> BaseResponse:
    code = cognito_state().codes.issue(auth, username, auth_time)
    query = {"code": code, **({"state": auth.state} if auth.state else {})}
    # A callback URL may have a query of its own: the code and state are added to it.
    separator = "&" if urlsplit(auth.redirect_uri).query else "?"
    return redirect(f"{auth.redirect_uri}{separator}{urlencode(query)}", code=302)


def _signed_in_user() -> tuple[User, int] | None:
    username, auth_time = session.get("username"), session.get("auth_time")
    if not username or not isinstance(auth_time, int):
        return None
    user = cognito_state().pool.get(username)
    return (user, auth_time) if user and user.confirmed else None


def _form_token() -> str:
    """The session's anti-forgery token, carried by the sign-in and sign-up forms. A cross-site
    POST arrives without the (SameSite=Lax) session cookie, so it cannot match: another site
    cannot sign this browser in to an account of its choosing (login CSRF)."""
    token = session.get("csrf")
    if not isinstance(token, str):
        token = session["csrf"] = secrets.token_urlsafe(24)
    return token


def _forged() -> bool:
    expected = session.get("csrf")
    sent = request.form.get("_csrf", "")
    return not isinstance(expected, str) or not hmac.compare_digest(sent.encode(), expected.encode())


def _start_session(user: User) -> int:
    auth_time = int(time.time())
    session.clear()
    session.permanent = True
    session["username"] = user.username
    session["auth_time"] = auth_time
    return auth_time


@hosted_ui_blueprint.get("/oauth2/authorize")
def authorize() -> BaseResponse:
    auth = parse_authorize(request.args, cognito_state().client)
    current = _signed_in_user()
    if current is not None:
        return _back_to_client(auth, current[0].username, current[1])
    return redirect(_url("/login") + "?" + urlencode(auth.fields()), code=302)


@hosted_ui_blueprint.route("/login", methods=["GET", "POST"])
def login() -> BaseResponse | str:
    auth = _authorization()
    fields = auth.fields()
    sign_up = _url("/signup") + "?" + urlencode(fields)
    form = {**fields, "_csrf": _form_token()}
    if request.method == "GET":
        return sign_in_page(_url("/login"), sign_up, form)
    state = cognito_state()
    username = request.form.get("username", "").strip()
    if _forged():
        page = sign_in_page(_url("/login"), sign_up, form, text(auth.lang, "form_expired"), username)
        return Response(page, 400)
    if state.throttle.locked(username):
        return Response(
            sign_in_page(_url("/login"), sign_up, form, "Password attempts exceeded", username), 400
        )
    try:
        user = state.pool.authenticate(username, request.form.get("password", ""))
    except UserError as exc:
        if exc.code == "NotAuthorizedException":
            state.throttle.failed(username)
        if exc.code == "UserNotConfirmedException":
            # The password was right: this browser may confirm the account (and only this one).
            session["pending"] = username
            return redirect(_url("/confirm") + "?" + urlencode({**fields, "username": username}))
        return Response(sign_in_page(_url("/login"), sign_up, form, exc.message, username), 400)
    state.throttle.succeeded(username)
    return _back_to_client(auth, user.username, _start_session(user))


@hosted_ui_blueprint.route("/signup", methods=["GET", "POST"])
def signup() -> BaseResponse | str:
    auth = _authorization()
    fields = auth.fields()
    sign_in = _url("/login") + "?" + urlencode(fields)
    form = {**fields, "_csrf": _form_token()}
    if request.method == "GET":
        return sign_up_page(_url("/signup"), sign_in, form, {})
    values = {
        k: request.form.get(k, "") for k in ("username", "given_name", "family_name", "email", "phone_number")
    }
    if _forged():
        page = sign_up_page(_url("/signup"), sign_in, form, values, text(auth.lang, "form_expired"))
        return Response(page, 400)
    pool = cognito_state().pool
    attributes = {k: v for k, v in values.items() if k != "username"}
    try:
        user = pool.sign_up(values["username"].strip(), request.form.get("password", ""), attributes)
    except UserError as exc:
        return Response(sign_up_page(_url("/signup"), sign_in, form, values, exc.message), 400)
    session["pending"] = user.username
    code = pool.new_code(user.username, "email")
    return confirm_page(_url("/confirm"), fields, user.username, str(user.attributes.get("email")), code)


@hosted_ui_blueprint.route("/confirm", methods=["GET", "POST"])
def confirm() -> BaseResponse | str:
    auth = _authorization()
    fields = auth.fields()
    source = request.form if request.method == "POST" else request.args
    username = source.get("username", "")
    # The code is shown on screen, and confirming signs in: only the browser that signed up
    # (or gave the right password) may do it, or anyone could take over an unconfirmed account.
    if not username or session.get("pending") != username:
        return Response(error_page("Confirm your account", "Sign up or sign in first."), 403)
    pool = cognito_state().pool
    user = pool.get(username)
    if user is None:
        return Response(error_page("Confirm your account", "User does not exist."), 404)
    email = str(user.attributes.get("email"))
    if request.method == "GET":
        # Reached by signing in before confirming: a fresh code, shown on screen.
        code = pool.new_code(username, "email")
        return confirm_page(_url("/confirm"), fields, username, email, code)
    try:
        pool.use_code(username, "email", request.form.get("code", ""))
    except UserError as exc:
        return Response(confirm_page(_url("/confirm"), fields, username, email, None, exc.message), 400)
    pool.confirm(username)
    pool.mark_verified(username, "email")
    confirmed = pool.get(username)
    assert confirmed is not None
    return _back_to_client(auth, username, _start_session(confirmed))


@hosted_ui_blueprint.get("/logout")
def logout() -> BaseResponse:
    """Cognito's logout: clear the session, then go to logout_uri (or back to sign-in)."""
    client = cognito_state().client
    if request.args.get("client_id") != client.client_id:
        raise OAuthError("invalid_client", "Unknown client_id.")
    session.clear()
    target = request.args.get("logout_uri") or request.args.get("post_logout_redirect_uri")
    if target:
        if not client.is_logout_url(target):
            raise OAuthError("invalid_request", "logout_uri is not a sign-out URL of this app client.")
        return redirect(target, code=302)
    return redirect(_url("/oauth2/authorize") + "?" + urlencode(request.args), code=302)
