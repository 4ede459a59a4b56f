"""The local Cognito user pool as a WSGI app, mounted at /cognito by the local stack.

Endpoints (paths as Cognito has them; issuer = {base_url}/cognito), one blueprint per concern:
    oauth2.py       GET  /.well-known/openid-configuration, /.well-known/jwks.json
                    POST /oauth2/token (authorization_code with PKCE S256, refresh_token)
                    GET|POST /oauth2/userInfo, POST /oauth2/revoke
    hosted_ui.py    GET  /oauth2/authorize -> /login (Hosted UI) -> redirect_uri?code=…&state=…
                    GET|POST /login, /signup, /confirm   the Hosted-UI-like pages
                    GET  /logout  clear the pool's session, back to logout_uri (Cognito's discovery
                                  document has no end_session_endpoint, so neither does ours)
    idp_api.py      POST /   a subset of the Cognito user pools JSON API
    browser_policy.py  CORS for the app client's origins, frame and cache headers, preflights
The views share a CognitoState on the app (state.py).
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from local_connect.cognito import LOCAL_CLIENT_ID, SEED_USERS, STATE_DIR, issuer_for
from local_connect.cognito.authorization import pkce_challenge
from local_connect.cognito.browser_policy import browser_policy_blueprint
from local_connect.cognito.client import AppClient, site_url
from local_connect.cognito.hosted_ui import hosted_ui_blueprint
from local_connect.cognito.idp_api import idp_blueprint
from local_connect.cognito.keys import load_or_create_secret, load_or_create_signing_key
from local_connect.cognito.oauth2 import oauth2_blueprint
from local_connect.cognito.state import CognitoState, install
from local_connect.cognito.tokens import DEFAULT_SCOPE, TOKEN_LIFETIME_SECONDS, TokenMinter
from local_connect.cognito.users import UserPool

BLUEPRINTS = (browser_policy_blueprint, oauth2_blueprint, hosted_ui_blueprint, idp_blueprint)


def create_app(
    base_url: str,
    *,
    state_dir: Path = STATE_DIR,
    seed_path: Path | None = SEED_USERS,
    client_id: str = LOCAL_CLIENT_ID,
    extra_origins: tuple[str, ...] = (),
    callback_urls: tuple[str, ...] | None = None,
    logout_urls: tuple[str, ...] | None = None,
) -> Flask:
    """The pool for a stack served at `base_url` (e.g. http://127.0.0.1:8000), mounted at /cognito.

    The app client's callback and sign-out URLs are, as in the template's UserPoolClient, the
    site's root (`{base_url}/`), plus the root of each of `extra_origins` (a Vite dev server, say),
    unless given explicitly. Redirects go only to these, matched exactly (client.py).
    """
    site_urls = tuple(site_url(o) for o in (base_url, *extra_origins))
    client = AppClient(
        client_id,
        callback_urls if callback_urls is not None else site_urls,
        logout_urls if logout_urls is not None else site_urls,
    )
    issuer = issuer_for(base_url)
    app = Flask(__name__)
    app.secret_key = load_or_create_secret(state_dir, "session-secret")
    app.config.update(
        SESSION_COOKIE_NAME="cognito",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=3600 * 8,
    )
    pool = UserPool(state_dir / "users.sqlite3", seed_path)
    install(
        app, CognitoState(issuer, client, pool, TokenMinter(load_or_create_signing_key(state_dir), issuer))
    )
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    return app


__all__ = ["DEFAULT_SCOPE", "TOKEN_LIFETIME_SECONDS", "create_app", "pkce_challenge"]
