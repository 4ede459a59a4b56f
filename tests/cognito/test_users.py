"""Sign-up with an on-screen confirmation code, phone verification, keys that outlive restarts, the CLI."""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path

import jwt
import pytest
import requests

from local_connect.cognito import LOCAL_CLIENT_ID
from local_connect.cognito.cli import main as token_main
from tests.cognito.helpers import Pool, authorization, code_from, exchange, serve, tokens_for

IDP = "AWSCognitoIdentityProviderService."


def idp(pool: Pool, operation: str, body: dict[str, object]) -> requests.Response:
    return requests.post(
        f"{pool.issuer}/",
        data=json.dumps(body),
        headers={"X-Amz-Target": IDP + operation, "Content-Type": "application/x-amz-json-1.1"},
        timeout=10,
    )


def hidden_fields(page: str) -> dict[str, str]:
    return {
        k: v.replace("&amp;", "&")
        for k, v in re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', page)
    }


def test_sign_up_shows_the_code_on_screen_and_signs_in_after_confirming(pool: Pool) -> None:
    username = f"new.{secrets.token_hex(3)}"
    auth = authorization(pool)
    with requests.Session() as http:
        page = http.get(f"{pool.issuer}/signup", params=auth.params)
        assert page.status_code == 200 and 'for="email"' in page.text
        form = {
            **hidden_fields(page.text),
            "username": username,
            "email": f"{username}@example.com",
            "given_name": "Nina",
            "phone_number": "+1 (202) 555-0199",
            "password": "Nina-demo-1",
        }
        weak = http.post(f"{pool.issuer}/signup", data={**form, "password": "short"})
        assert weak.status_code == 400 and "at least 8 characters" in weak.text
        confirm = http.post(f"{pool.issuer}/signup", data=form)
        assert confirm.status_code == 200
        shown = re.search(r'class="code">(\d{6})<', confirm.text)
        assert shown is not None
        wrong = "000000" if shown.group(1) != "000000" else "111111"
        fields = hidden_fields(confirm.text)
        refused = http.post(f"{pool.issuer}/confirm", data={**fields, "code": wrong}, allow_redirects=False)
        assert refused.status_code == 400 and "Invalid verification code" in refused.text
        done = http.post(
            f"{pool.issuer}/confirm", data={**fields, "code": shown.group(1)}, allow_redirects=False
        )
        code = code_from(pool, done, auth)
    tokens = exchange(pool, code, auth.verifier).json()
    claims = jwt.decode(tokens["id_token"], options={"verify_signature": False})
    assert claims["cognito:username"] == username
    assert claims["phone_number"] == "+12025550199" and claims["phone_number_verified"] is False
    assert claims["email_verified"] is True


def test_phone_verification_with_the_code_shown_then_a_refresh_carries_it(pool: Pool) -> None:
    tokens = tokens_for(pool, "unverified", "Unverified-demo-1")
    before = jwt.decode(tokens["id_token"], options={"verify_signature": False})
    assert before["phone_number_verified"] is False

    sent = idp(
        pool,
        "GetUserAttributeVerificationCode",
        {"AccessToken": tokens["access_token"], "AttributeName": "phone_number"},
    )
    assert sent.status_code == 200
    details = sent.json()["CodeDeliveryDetails"]
    assert details["DeliveryMedium"] == "SMS" and details["Destination"].endswith("0103")
    code = details["LocalCode"]

    wrong = "000000" if code != "000000" else "111111"
    mismatch = idp(
        pool,
        "VerifyUserAttribute",
        {"AccessToken": tokens["access_token"], "AttributeName": "phone_number", "Code": wrong},
    )
    assert mismatch.status_code == 400 and mismatch.json()["__type"] == "CodeMismatchException"
    ok = idp(
        pool,
        "VerifyUserAttribute",
        {"AccessToken": tokens["access_token"], "AttributeName": "phone_number", "Code": code},
    )
    assert ok.status_code == 200

    refreshed = requests.post(
        f"{pool.issuer}/oauth2/token",
        data={
            "grant_type": "refresh_token",
            "client_id": LOCAL_CLIENT_ID,
            "refresh_token": tokens["refresh_token"],
        },
        timeout=10,
    ).json()
    after = jwt.decode(refreshed["id_token"], options={"verify_signature": False})
    assert after["phone_number_verified"] is True


def test_the_idp_api_refuses_an_id_token(pool: Pool) -> None:
    tokens = tokens_for(pool, "john", "John-demo-1")
    answer = idp(pool, "GetUser", {"AccessToken": tokens["id_token"]})
    assert answer.status_code == 400 and answer.json()["__type"] == "NotAuthorizedException"
    mine = idp(pool, "GetUser", {"AccessToken": tokens["access_token"]})
    assert mine.json()["Username"] == "john"


def test_malformed_user_attributes_are_a_cognito_error_not_a_crash(pool: Pool) -> None:
    access = tokens_for(pool, "john", "John-demo-1")["access_token"]
    for listed in (["phone_number"], {"Name": "phone_number"}):
        answer = idp(pool, "UpdateUserAttributes", {"AccessToken": access, "UserAttributes": listed})
        assert answer.status_code == 400 and answer.json()["__type"] == "InvalidParameterException"


def test_the_signing_key_survives_a_restart(tmp_path: Path) -> None:
    first, first_pool = serve(tmp_path)
    try:
        token = tokens_for(first_pool, "maria", "Maria-demo-1")["id_token"]
        kid = jwt.get_unverified_header(token)["kid"]
    finally:
        first.shutdown()
    second, second_pool = serve(tmp_path)
    try:
        keys = requests.get(f"{second_pool.issuer}/.well-known/jwks.json", timeout=10).json()["keys"]
        assert [k["kid"] for k in keys] == [kid]
    finally:
        second.shutdown()


def test_make_token_prints_an_id_token_the_running_pool_signed(
    pool: Pool, capsys: pytest.CaptureFixture[str]
) -> None:
    assert token_main(["priya", "--base-url", pool.base_url, "--state-dir", str(pool.state_dir)]) == 0
    token = capsys.readouterr().out.strip()
    key = jwt.PyJWKClient(f"{pool.issuer}/.well-known/jwks.json").get_signing_key_from_jwt(token).key
    claims = jwt.decode(token, key, algorithms=["RS256"], issuer=pool.issuer, audience=LOCAL_CLIENT_ID)
    assert claims["token_use"] == "id" and claims["phone_number"] == "+12025550102"

    assert (
        token_main(["priya", "--access", "--base-url", pool.base_url, "--state-dir", str(pool.state_dir)])
        == 0
    )
    access = jwt.decode(capsys.readouterr().out.strip(), options={"verify_signature": False})
    assert access["token_use"] == "access" and access["client_id"] == LOCAL_CLIENT_ID


def test_make_token_refuses_an_unknown_user(pool: Pool, capsys: pytest.CaptureFixture[str]) -> None:
    assert token_main(["nobody", "--base-url", pool.base_url, "--state-dir", str(pool.state_dir)]) == 1
    assert "no confirmed user" in capsys.readouterr().err


def test_only_the_browser_that_signed_up_can_confirm(pool: Pool) -> None:
    username = f"new.{secrets.token_hex(3)}"
    auth = authorization(pool)
    with requests.Session() as owner:
        page = owner.get(f"{pool.issuer}/signup", params=auth.params)
        form = {
            **hidden_fields(page.text),
            "username": username,
            "email": f"{username}@example.com",
            "password": "Nina-demo-1",
        }
        assert owner.post(f"{pool.issuer}/signup", data=form).status_code == 200
    with requests.Session() as stranger:
        peek = stranger.get(f"{pool.issuer}/confirm", params={**auth.params, "username": username})
        assert peek.status_code == 403 and 'class="code"' not in peek.text
        guess = stranger.post(
            f"{pool.issuer}/confirm", data={**auth.params, "username": username, "code": "123456"}
        )
        assert guess.status_code == 403


def test_signing_in_unconfirmed_with_the_right_password_leads_to_confirm(pool: Pool) -> None:
    username = f"new.{secrets.token_hex(3)}"
    auth = authorization(pool)
    with requests.Session() as first:
        page = first.get(f"{pool.issuer}/signup", params=auth.params)
        form = {
            **hidden_fields(page.text),
            "username": username,
            "email": f"{username}@example.com",
            "password": "Nina-demo-1",
        }
        first.post(f"{pool.issuer}/signup", data=form)
    with requests.Session() as later:
        login = hidden_fields(later.get(f"{pool.issuer}/login", params=auth.params).text)
        wrong = later.post(
            f"{pool.issuer}/login",
            data={**login, "username": username, "password": "Nope-demo-1"},
            allow_redirects=False,
        )
        assert wrong.status_code == 400
        right = later.post(
            f"{pool.issuer}/login",
            data={**login, "username": username, "password": "Nina-demo-1"},
            allow_redirects=False,
        )
        assert right.status_code == 302 and "/confirm?" in right.headers["Location"]
        confirm = later.get(f"{pool.base_url}{right.headers['Location']}")
        shown = re.search(r'class="code">(\d{6})<', confirm.text)
        assert confirm.status_code == 200 and shown is not None
        done = later.post(
            f"{pool.issuer}/confirm",
            data={**hidden_fields(confirm.text), "code": shown.group(1)},
            allow_redirects=False,
        )
        assert code_from(pool, done, auth)
