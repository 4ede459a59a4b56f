"""The authorization code is bound to the PKCE verifier, the redirect URI and a single use."""

from __future__ import annotations

import requests

from local_connect.cognito import LOCAL_CLIENT_ID
from tests.cognito.helpers import Authorization, Pool, authorization, code_from, exchange, sign_in


def fresh_code(pool: Pool) -> tuple[str, Authorization]:
    auth = authorization(pool)
    with requests.Session() as http:
        return code_from(pool, sign_in(pool, http, "john", "John-demo-1", auth), auth), auth


def test_a_wrong_verifier_is_refused(pool: Pool) -> None:
    code, _ = fresh_code(pool)
    answer = exchange(pool, code, "a-different-verifier-that-is-long-enough-0123456789")
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"


def test_a_missing_verifier_is_refused(pool: Pool) -> None:
    code, _ = fresh_code(pool)
    answer = exchange(pool, code, None)
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_request"


def test_a_code_works_once(pool: Pool) -> None:
    code, auth = fresh_code(pool)
    assert exchange(pool, code, auth.verifier).status_code == 200
    replay = exchange(pool, code, auth.verifier)
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"


def test_the_redirect_uri_must_match_the_authorization_request(pool: Pool) -> None:
    code, auth = fresh_code(pool)
    answer = exchange(pool, code, auth.verifier, redirect_uri=f"{pool.base_url}/elsewhere")
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"


def test_authorize_without_pkce_or_with_plain_is_refused(pool: Pool) -> None:
    for overrides in ({"code_challenge": ""}, {"code_challenge_method": "plain"}):
        answer = requests.get(
            f"{pool.issuer}/oauth2/authorize",
            params=authorization(pool, **overrides).params,
            allow_redirects=False,
            timeout=10,
        )
        assert answer.status_code == 400 and "PKCE is required" in answer.text


def test_authorize_never_redirects_to_a_foreign_uri(pool: Pool) -> None:
    auth = authorization(pool, redirect_uri="https://evil.example/callback")
    answer = requests.get(
        f"{pool.issuer}/oauth2/authorize", params=auth.params, allow_redirects=False, timeout=10
    )
    assert answer.status_code == 400 and "Location" not in answer.headers


def test_an_unknown_client_gets_no_tokens(pool: Pool) -> None:
    code, auth = fresh_code(pool)
    answer = requests.post(
        f"{pool.issuer}/oauth2/token",
        data={
            "grant_type": "authorization_code",
            "client_id": "not-" + LOCAL_CLIENT_ID,
            "code": code,
            "redirect_uri": pool.redirect_uri,
            "code_verifier": auth.verifier,
        },
        timeout=10,
    )
    assert answer.status_code == 401 and answer.json()["error"] == "invalid_client"
