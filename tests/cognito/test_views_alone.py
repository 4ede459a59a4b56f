"""Each blueprint of the local pool works on its own: registered on a fresh Flask app with a small
CognitoState, served over real HTTP, without the rest of the pool's views."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
import requests
from flask import Blueprint, Flask

from local_connect.cognito.authorization import pkce_challenge
from local_connect.cognito.browser_policy import browser_policy_blueprint
from local_connect.cognito.client import AppClient
from local_connect.cognito.hosted_ui import hosted_ui_blueprint
from local_connect.cognito.idp_api import idp_blueprint
from local_connect.cognito.keys import load_or_create_signing_key
from local_connect.cognito.oauth2 import discovery, oauth2_blueprint
from local_connect.cognito.state import CognitoState, install
from local_connect.cognito.tokens import TokenMinter
from local_connect.cognito.users import UserPool
from tests.local_connect.servers import serving

ISSUER = "https://pool.example/cognito"
SITE = "https://site.example/"
CLIENT = AppClient("client-1", (SITE,), (SITE,))


@pytest.fixture
def state(tmp_path: Path) -> CognitoState:
    pool = UserPool(tmp_path / "users.sqlite3", None)
    return CognitoState(ISSUER, CLIENT, pool, TokenMinter(load_or_create_signing_key(tmp_path), ISSUER))


def _app_with(blueprint: Blueprint, state: CognitoState) -> Flask:
    app = Flask(__name__)
    app.secret_key = "test-only"
    install(app, state)
    app.register_blueprint(blueprint)
    return app


@pytest.fixture
def served(state: CognitoState) -> Iterator[dict[str, str]]:
    """Each blueprint alone on its own server."""
    blueprints = {
        "oauth2": oauth2_blueprint,
        "hosted_ui": hosted_ui_blueprint,
        "idp": idp_blueprint,
        "browser_policy": browser_policy_blueprint,
    }
    with ExitStack() as stack:
        yield {name: stack.enter_context(serving(_app_with(bp, state))) for name, bp in blueprints.items()}


def test_the_discovery_view_reads_the_issuer_from_the_app(state: CognitoState) -> None:
    with _app_with(oauth2_blueprint, state).test_request_context():
        document = discovery().get_json()
    assert document["issuer"] == ISSUER
    assert document["token_endpoint"] == f"{ISSUER}/oauth2/token"


def test_the_oauth2_blueprint_alone_serves_keys_and_refuses_other_clients(served: dict[str, str]) -> None:
    keys = requests.get(f"{served['oauth2']}/.well-known/jwks.json", timeout=10).json()
    assert [k["alg"] for k in keys["keys"]] == ["RS256"]
    token = requests.post(
        f"{served['oauth2']}/oauth2/token",
        data={"grant_type": "authorization_code", "client_id": "someone-else", "code": "x"},
        timeout=10,
    )
    assert token.status_code == 401 and token.json()["error"] == "invalid_client"
    # The Hosted UI is not part of this blueprint.
    assert requests.get(f"{served['oauth2']}/login", timeout=10).status_code == 404


def test_the_hosted_ui_blueprint_alone_checks_the_callback_and_shows_sign_in(served: dict[str, str]) -> None:
    params = {
        "client_id": CLIENT.client_id,
        "redirect_uri": SITE,
        "response_type": "code",
        "scope": "openid",
        "code_challenge": pkce_challenge("v" * 43),
        "code_challenge_method": "S256",
    }
    start = requests.get(
        f"{served['hosted_ui']}/oauth2/authorize", params=params, allow_redirects=False, timeout=10
    )
    assert start.status_code == 302 and start.headers["Location"].startswith("/login?")
    page = requests.get(served["hosted_ui"] + start.headers["Location"], timeout=10)
    assert page.status_code == 200 and 'name="password"' in page.text
    refused = requests.get(
        f"{served['hosted_ui']}/oauth2/authorize",
        params={**params, "redirect_uri": SITE + "x"},
        allow_redirects=False,
        timeout=10,
    )
    assert refused.status_code == 400 and "Location" not in refused.headers
    assert "redirect_uri is not a callback URL" in refused.text


def test_the_idp_blueprint_alone_answers_in_cognitos_error_shape(served: dict[str, str]) -> None:
    answer = requests.post(
        served["idp"],
        headers={"X-Amz-Target": "AWSCognitoIdentityProviderService.GetUser"},
        json={"AccessToken": "not-a-token"},
        timeout=10,
    )
    assert answer.status_code == 400
    assert answer.json()["__type"] == "NotAuthorizedException"


def test_the_browser_policy_alone_allows_only_the_clients_origin(served: dict[str, str]) -> None:
    ours = requests.options(
        f"{served['browser_policy']}/oauth2/token", headers={"Origin": "https://site.example"}, timeout=10
    )
    assert ours.status_code == 204
    assert ours.headers["Access-Control-Allow-Origin"] == "https://site.example"
    assert ours.headers["X-Frame-Options"] == "DENY"
    theirs = requests.options(
        f"{served['browser_policy']}/", headers={"Origin": "https://evil.example"}, timeout=10
    )
    assert theirs.status_code == 204 and "Access-Control-Allow-Origin" not in theirs.headers
