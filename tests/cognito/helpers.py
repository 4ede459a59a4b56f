"""A real local pool served over HTTP (werkzeug on a free port, mounted at /cognito as in the stack)
and the steps a browser takes through it."""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Response

from local_connect.cognito import LOCAL_CLIENT_ID, SEED_USERS, issuer_for
from local_connect.cognito.app import create_app, pkce_challenge
from local_connect.cognito.tokens import DEFAULT_SCOPE

WSGI = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def not_found(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    return Response("site", 404)(environ, start_response)


@dataclass
class Pool:
    base_url: str
    state_dir: Path

    @property
    def issuer(self) -> str:
        return issuer_for(self.base_url)

    @property
    def redirect_uri(self) -> str:
        return f"{self.base_url}/callback"


class LateBound:
    """The server needs an app before it has a port; the app needs the port for its issuer."""

    app: WSGI = not_found

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        return self.app(environ, start_response)


def serve(state_dir: Path) -> tuple[BaseWSGIServer, Pool]:
    holder = LateBound()
    server = make_server("127.0.0.1", 0, holder, threaded=True)
    base_url = f"http://127.0.0.1:{server.server_port}"
    # The app client's callback URLs, matched exactly: the one the tests sign in with, and one with
    # a query of its own (test_a_callback_url_with_a_query_keeps_it).
    callbacks = (f"{base_url}/callback", f"{base_url}/callback?from=site")
    app = create_app(base_url, state_dir=state_dir, seed_path=SEED_USERS, callback_urls=callbacks)
    holder.app = DispatcherMiddleware(not_found, {"/cognito": app})
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, Pool(base_url, state_dir)


@dataclass
class Authorization:
    verifier: str
    params: dict[str, str]


def authorization(pool: Pool, **overrides: str) -> Authorization:
    verifier = secrets.token_urlsafe(48)
    params = {
        "client_id": LOCAL_CLIENT_ID,
        "redirect_uri": pool.redirect_uri,
        "response_type": "code",
        "scope": DEFAULT_SCOPE,
        "state": secrets.token_hex(8),
        "nonce": secrets.token_hex(8),
        "code_challenge": pkce_challenge(verifier),
        "code_challenge_method": "S256",
        **overrides,
    }
    return Authorization(verifier, params)


def query_of(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def sign_in(
    pool: Pool, http: requests.Session, username: str, password: str, auth: Authorization
) -> requests.Response:
    """Authorize → Hosted UI sign-in page → POST the form; returns the final (redirect) answer."""
    first = http.get(f"{pool.issuer}/oauth2/authorize", params=auth.params, allow_redirects=False)
    assert first.status_code == 302, first.text
    page = http.get(f"{pool.base_url}{first.headers['Location']}", allow_redirects=False)
    assert page.status_code == 200 and 'name="password"' in page.text
    form = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    form = {k: v.replace("&amp;", "&") for k, v in form.items()}
    return http.post(
        f"{pool.issuer}/login",
        data={**form, "username": username, "password": password},
        allow_redirects=False,
    )


def code_from(pool: Pool, answer: requests.Response, auth: Authorization) -> str:
    assert answer.status_code == 302, answer.text
    location = answer.headers["Location"]
    assert location.startswith(pool.redirect_uri + "?")
    query = query_of(location)
    assert query["state"] == auth.params["state"]
    return query["code"]


def exchange(
    pool: Pool, code: str, verifier: str | None, redirect_uri: str | None = None
) -> requests.Response:
    data = {
        "grant_type": "authorization_code",
        "client_id": LOCAL_CLIENT_ID,
        "code": code,
        "redirect_uri": redirect_uri or pool.redirect_uri,
    }
    if verifier is not None:
        data["code_verifier"] = verifier
    return requests.post(f"{pool.issuer}/oauth2/token", data=data, timeout=10)


def tokens_for(pool: Pool, username: str, password: str) -> dict[str, Any]:
    auth = authorization(pool)
    with requests.Session() as http:
        code = code_from(pool, sign_in(pool, http, username, password, auth), auth)
    answer = exchange(pool, code, auth.verifier)
    assert answer.status_code == 200, answer.text
    tokens: dict[str, Any] = answer.json()
    return tokens
