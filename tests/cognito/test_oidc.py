"""Sign-in through the Hosted-UI pages and the token endpoint, verified the way the API verifies."""

from __future__ import annotations

import re
import time
from typing import Any

import jwt
import pytest
import requests
from jam_api.auth import TokenVerifier
from jam_api.config import Settings
from jam_api.problems import Problem

from local_connect.cognito import LOCAL_CLIENT_ID
from tests.cognito.helpers import Pool, authorization, code_from, exchange, query_of, sign_in, tokens_for


def verify(pool: Pool, token: str, **options: Any) -> dict[str, Any]:
    key = jwt.PyJWKClient(f"{pool.issuer}/.well-known/jwks.json").get_signing_key_from_jwt(token).key
    claims: dict[str, Any] = jwt.decode(token, key, algorithms=["RS256"], issuer=pool.issuer, **options)
    return claims


def test_discovery_points_at_the_pool_endpoints(pool: Pool) -> None:
    config = requests.get(f"{pool.issuer}/.well-known/openid-configuration", timeout=10).json()
    assert config["issuer"] == pool.issuer
    assert config["authorization_endpoint"] == f"{pool.issuer}/oauth2/authorize"
    assert config["token_endpoint"] == f"{pool.issuer}/oauth2/token"
    assert config["code_challenge_methods_supported"] == ["S256"]
    keys = requests.get(config["jwks_uri"], timeout=10).json()["keys"]
    assert [(k["kty"], k["alg"], k["use"]) for k in keys] == [("RSA", "RS256", "sig")]


def test_id_token_has_cognito_claims_and_verifies_with_pyjwt(pool: Pool) -> None:
    tokens = tokens_for(pool, "maria", "Maria-demo-1")
    claims = verify(pool, tokens["id_token"], audience=LOCAL_CLIENT_ID)
    assert claims["token_use"] == "id"
    assert claims["cognito:username"] == "maria"
    assert claims["phone_number"] == "+12025550100"
    assert claims["phone_number_verified"] is True
    assert claims["email"] == "maria@example.com"
    assert claims["cognito:groups"] == ["customer"]
    assert claims["given_name"] == "Maria"
    assert tokens["token_type"] == "Bearer" and tokens["expires_in"] == 3600
    assert tokens["refresh_token"]


def test_access_token_has_client_id_scope_and_groups(pool: Pool) -> None:
    tokens = tokens_for(pool, "supervisor", "Supervisor-demo-1")
    claims = verify(pool, tokens["access_token"], options={"verify_aud": False})
    assert claims["token_use"] == "access"
    assert claims["client_id"] == LOCAL_CLIENT_ID
    assert claims["username"] == "supervisor"
    assert "aud" not in claims
    assert set(claims["cognito:groups"]) == {"supervisor", "agent"}
    assert "openid" in str(claims["scope"]).split()


def test_a_verifier_that_checks_audience_refuses_another_client(pool: Pool) -> None:
    tokens = tokens_for(pool, "john", "John-demo-1")
    with pytest.raises(jwt.InvalidAudienceError):
        verify(pool, tokens["id_token"], audience="someone-else")


def test_the_api_accepts_the_id_token_and_refuses_the_access_token(pool: Pool) -> None:
    settings = Settings(
        cognito_issuer=pool.issuer,
        cognito_client_ids=(LOCAL_CLIENT_ID,),
        jwks_url=f"{pool.issuer}/.well-known/jwks.json",
    )
    verifier = TokenVerifier(settings)
    tokens = tokens_for(pool, "priya", "Priya-demo-1")
    assert verifier.verify(tokens["id_token"])["cognito:username"] == "priya"
    with pytest.raises(Problem) as refused:
        verifier.verify(tokens["access_token"])
    assert refused.value.status == 401


def test_wrong_password_shows_the_error_and_issues_no_code(pool: Pool) -> None:
    with requests.Session() as http:
        answer = sign_in(pool, http, "maria", "wrong-Password1", authorization(pool))
    assert answer.status_code == 400
    assert "Incorrect username or password." in answer.text
    assert "Location" not in answer.headers


def test_a_signed_in_browser_gets_a_code_without_the_form_until_logout(pool: Pool) -> None:
    with requests.Session() as http:
        auth = authorization(pool)
        code_from(pool, sign_in(pool, http, "john", "John-demo-1", auth), auth)
        again = authorization(pool)
        silent = http.get(f"{pool.issuer}/oauth2/authorize", params=again.params, allow_redirects=False)
        code = code_from(pool, silent, again)
        assert exchange(pool, code, again.verifier).status_code == 200

        out = http.get(
            f"{pool.issuer}/logout",
            params={"client_id": LOCAL_CLIENT_ID, "logout_uri": f"{pool.base_url}/"},
            allow_redirects=False,
        )
        assert out.status_code == 302 and out.headers["Location"] == f"{pool.base_url}/"
        after = http.get(
            f"{pool.issuer}/oauth2/authorize", params=authorization(pool).params, allow_redirects=False
        )
        assert after.headers["Location"].startswith("/cognito/login?")


def test_logout_refuses_a_foreign_logout_uri(pool: Pool) -> None:
    answer = requests.get(
        f"{pool.issuer}/logout",
        params={"client_id": LOCAL_CLIENT_ID, "logout_uri": "https://evil.example/"},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 400 and "Location" not in answer.headers


def test_refresh_gives_new_tokens_until_revoked(pool: Pool) -> None:
    tokens = tokens_for(pool, "john", "John-demo-1")
    form = {
        "grant_type": "refresh_token",
        "client_id": LOCAL_CLIENT_ID,
        "refresh_token": tokens["refresh_token"],
    }
    original = verify(pool, tokens["id_token"], audience=LOCAL_CLIENT_ID)
    time.sleep(1.1)  # a later second: the refreshed token must still carry the sign-in's auth_time
    refreshed = requests.post(f"{pool.issuer}/oauth2/token", data=form, timeout=10)
    assert refreshed.status_code == 200
    claims = verify(pool, refreshed.json()["id_token"], audience=LOCAL_CLIENT_ID)
    assert claims["cognito:username"] == "john"
    assert claims["auth_time"] == original["auth_time"] and claims["iat"] > original["iat"]
    revoked = requests.post(
        f"{pool.issuer}/oauth2/revoke",
        data={"client_id": LOCAL_CLIENT_ID, "token": tokens["refresh_token"]},
        timeout=10,
    )
    assert revoked.status_code == 200
    again = requests.post(f"{pool.issuer}/oauth2/token", data=form, timeout=10)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def test_user_info_answers_for_an_access_token_only(pool: Pool) -> None:
    tokens = tokens_for(pool, "maria", "Maria-demo-1")
    info = requests.get(
        f"{pool.issuer}/oauth2/userInfo",
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
        timeout=10,
    )
    assert info.status_code == 200
    assert info.json()["username"] == "maria" and info.json()["phone_number_verified"] == "true"
    refused = requests.get(
        f"{pool.issuer}/oauth2/userInfo",
        headers={"Authorization": f"Bearer {tokens['id_token']}"},
        timeout=10,
    )
    assert refused.status_code == 401


def test_the_code_goes_back_with_the_state(pool: Pool) -> None:
    auth = authorization(pool, state="opaque-state-123")
    with requests.Session() as http:
        answer = sign_in(pool, http, "maria", "Maria-demo-1", auth)
    assert query_of(answer.headers["Location"])["state"] == "opaque-state-123"


def test_a_callback_url_with_a_query_keeps_it(pool: Pool) -> None:
    callback = f"{pool.redirect_uri}?from=site"
    auth = authorization(pool, redirect_uri=callback)
    with requests.Session() as http:
        answer = sign_in(pool, http, "maria", "Maria-demo-1", auth)
    location = answer.headers["Location"]
    assert location.startswith(callback + "&")
    query = query_of(location)
    assert query["from"] == "site" and query["state"] == auth.params["state"]
    assert exchange(pool, query["code"], auth.verifier, callback).status_code == 200


def test_the_hosted_ui_speaks_spanish_when_asked(pool: Pool) -> None:
    auth = authorization(pool, lang="es")
    with requests.Session() as http:
        first = http.get(f"{pool.issuer}/oauth2/authorize", params=auth.params, allow_redirects=False)
        page = http.get(f"{pool.base_url}{first.headers['Location']}")
        assert '<html lang="es">' in page.text
        assert ">Contraseña</label>" in page.text and "Iniciar sesión" in page.text
        form = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
        refused = http.post(
            f"{pool.issuer}/login",
            data={**auth.params, "_csrf": form["_csrf"], "username": "maria", "password": "wrong-Password1"},
            allow_redirects=False,
        )
        assert '<html lang="es">' in refused.text and refused.status_code == 400
        assert "Incorrect username or password." in refused.text


def test_a_sign_in_form_posted_from_another_site_is_refused(pool: Pool) -> None:
    """Login CSRF: a form on another site posts the attacker's credentials; the browser sends no
    (SameSite=Lax) session cookie with it, so the pool must neither sign in nor issue a code."""
    auth = authorization(pool)
    with requests.Session() as victim:
        forged = victim.post(
            f"{pool.issuer}/login",
            data={**auth.params, "username": "maria", "password": "Maria-demo-1"},
            allow_redirects=False,
        )
        assert forged.status_code == 400 and "This form has expired" in forged.text
        assert "code=" not in forged.headers.get("Location", "")
        again = victim.get(f"{pool.issuer}/oauth2/authorize", params=auth.params, allow_redirects=False)
        assert "/cognito/login?" in again.headers["Location"]  # not signed in
        # The same browser, posting the form the pool served it, signs in.
        assert code_from(pool, sign_in(pool, victim, "maria", "Maria-demo-1", auth), auth)


def test_repeated_wrong_passwords_lock_the_user(pool: Pool) -> None:
    with requests.Session() as http:
        for _ in range(5):
            assert (
                sign_in(pool, http, "agent.accounts", "Wrong-demo-1", authorization(pool)).status_code == 400
            )
        locked = sign_in(pool, http, "agent.accounts", "Agent-demo-1", authorization(pool))
    assert locked.status_code == 400 and "Password attempts exceeded" in locked.text
