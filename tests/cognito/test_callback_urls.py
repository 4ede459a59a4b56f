"""Redirects go only to the app client's registered URLs, compared exactly as Cognito does: a URL on
the site's origin that differs by path, query, prefix, port or a trailing slash is refused, with an
error page and no Location (local_connect/cognito/client.py cites the pages)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests

from local_connect.cognito import LOCAL_CLIENT_ID
from tests.cognito.helpers import Pool, authorization


def _other_port(url: str) -> str:
    parts = urlsplit(url)
    port = (parts.port or 80) + 1
    return parts._replace(netloc=f"{parts.hostname}:{port}").geturl()


# Registered by tests/cognito/helpers.py: {base}/callback and {base}/callback?from=site as callback
# URLs, {base}/ as the sign-out URL (the site's root, as the template's UserPoolClient has it).
NEAR_MISSES = {
    "different path": lambda base: f"{base}/elsewhere",
    "different query": lambda base: f"{base}/callback?from=evil",
    "added query": lambda base: f"{base}/callback?next=/admin",
    "prefix": lambda base: f"{base}/callbackx",
    "sub-path": lambda base: f"{base}/callback/more",
    "different port": lambda base: _other_port(f"{base}/callback"),
    "trailing slash": lambda base: f"{base}/callback/",
    "fragment": lambda base: f"{base}/callback#x",
}
LOGOUT_NEAR_MISSES = {
    "different path": lambda base: f"{base}/elsewhere",
    "a query": lambda base: f"{base}/?next=/admin",
    "prefix of a longer path": lambda base: f"{base}/signed-out",
    "different port": lambda base: _other_port(f"{base}/"),
    "no trailing slash": lambda base: base,
    "a callback URL": lambda base: f"{base}/callback",
}


@pytest.mark.parametrize("case", NEAR_MISSES)
def test_authorize_refuses_a_near_miss_of_a_callback_url(pool: Pool, case: str) -> None:
    uri = NEAR_MISSES[case](pool.base_url)
    auth = authorization(pool, redirect_uri=uri)
    answer = requests.get(
        f"{pool.issuer}/oauth2/authorize", params=auth.params, allow_redirects=False, timeout=10
    )
    assert answer.status_code == 400, (case, uri)
    assert "Location" not in answer.headers
    assert "redirect_uri is not a callback URL of this app client" in answer.text


@pytest.mark.parametrize("uri", ["/callback", "/callback?from=site"])
def test_authorize_accepts_each_registered_callback_url(pool: Pool, uri: str) -> None:
    auth = authorization(pool, redirect_uri=pool.base_url + uri)
    answer = requests.get(
        f"{pool.issuer}/oauth2/authorize", params=auth.params, allow_redirects=False, timeout=10
    )
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/cognito/login?")


def test_the_sign_in_form_cannot_swap_in_another_callback(pool: Pool) -> None:
    """The form's hidden fields are checked again on POST, not only at /oauth2/authorize."""
    auth = authorization(pool, redirect_uri=f"{pool.base_url}/callback/")
    answer = requests.post(f"{pool.issuer}/login", data=auth.params, allow_redirects=False, timeout=10)
    assert answer.status_code == 400 and "Location" not in answer.headers


@pytest.mark.parametrize("case", LOGOUT_NEAR_MISSES)
def test_logout_refuses_a_near_miss_of_the_sign_out_url(pool: Pool, case: str) -> None:
    uri = LOGOUT_NEAR_MISSES[case](pool.base_url)
    for name in ("logout_uri", "post_logout_redirect_uri"):
        answer = requests.get(
            f"{pool.issuer}/logout",
            params={"client_id": LOCAL_CLIENT_ID, name: uri},
            allow_redirects=False,
            timeout=10,
        )
        assert answer.status_code == 400, (case, name, uri)
        assert "Location" not in answer.headers
        assert "logout_uri is not a sign-out URL of this app client" in answer.text


def test_logout_goes_to_the_registered_sign_out_url(pool: Pool) -> None:
    answer = requests.get(
        f"{pool.issuer}/logout",
        params={"client_id": LOCAL_CLIENT_ID, "post_logout_redirect_uri": f"{pool.base_url}/"},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302 and answer.headers["Location"] == f"{pool.base_url}/"
