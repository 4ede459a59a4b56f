"""Fixtures for the API: a real JWKS server, a token factory, a Stubber-backed Connect client."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from botocore.stub import Stubber
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask
from flask.testing import FlaskClient
from jam_api import create_app
from jam_api.config import Settings
from jam_api.connect_client import make_connect_client
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from tests.api.openapi_check import assert_matches_openapi, documented_path

CLIENT_ID = "local-web-client"
INSTANCE_ID = "11111111-2222-3333-4444-555555555555"
FLOW_ID = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
QUEUE_ID = "99999999-8888-7777-6666-555555555555"
CUSTOMER_PHONE = "+12125550100"


class Keys:
    def __init__(self) -> None:
        self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "test-key-1"

    def jwks(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.private.public_key()))
        return {"keys": [{**public, "kid": self.kid, "alg": "RS256", "use": "sig"}]}


@pytest.fixture(scope="session")
def keys() -> Keys:
    return Keys()


@pytest.fixture(scope="session")
def issuer(keys: Keys) -> Iterator[str]:
    """A real HTTP server publishing the JWKS, as Cognito does at {issuer}/.well-known/jwks.json."""

    @Request.application
    def app(request: Request) -> Response:
        if request.path.endswith("/.well-known/jwks.json"):
            return Response(json.dumps(keys.jwks()), mimetype="application/json")
        return Response("not found", status=404)

    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/us-east-1_LOCAL"
    server.shutdown()


TokenFactory = Callable[..., str]


@pytest.fixture
def make_token(keys: Keys, issuer: str) -> TokenFactory:
    def factory(key: Any = None, kid: str | None = None, algorithm: str = "RS256", **overrides: Any) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "sub": "c0ffee00-0000-4000-8000-000000000001",
            "iss": issuer,
            "aud": CLIENT_ID,
            "token_use": "id",
            "iat": now,
            "auth_time": now,
            "exp": now + 3600,
            "cognito:username": "maria",
            "name": "Maria Garcia",
            "email": "maria@example.com",
            "phone_number": CUSTOMER_PHONE,
            "phone_number_verified": True,
            "cognito:groups": ["customer"],
        }
        claims.update(overrides)
        claims = {k: v for k, v in claims.items() if v is not None}
        return jwt.encode(claims, key or keys.private, algorithm=algorithm, headers={"kid": kid or keys.kid})

    return factory


@pytest.fixture
def settings(issuer: str, tmp_path: Path) -> Settings:
    return Settings.from_env(
        {
            "CONNECT_INSTANCE_ID": INSTANCE_ID,
            "COGNITO_ISSUER": issuer,
            "COGNITO_CLIENT_IDS": CLIENT_ID,
            "ALLOWED_CONTACT_FLOW_IDS": FLOW_ID,
            "ALLOWED_ORIGINS": "https://site.example.com",
            "OUTBOUND_QUEUE_ID": QUEUE_ID,
            "AWS_REGION": "us-east-1",
            # Click-to-calls that wait for Connect's quota are kept here (contact/intake.py).
            "SQLITE_PATH": str(tmp_path / "jam.sqlite3"),
        }
    )


@pytest.fixture
def connect(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, Stubber]]:
    # The production client (sliced botocore data), so the Stubber checks against what ships.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client = make_connect_client(settings)
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


@pytest.fixture
def app(settings: Settings, connect: tuple[Any, Stubber]) -> Flask:
    return create_app(settings, connect_client=connect[0])


class CheckedClient:
    """The Flask test client, checking every request and response against openapi.json."""

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def post(self, path: str, **kwargs: Any) -> Any:
        response = self._client.post(path, **kwargs)
        assert_matches_openapi("post", path, kwargs.get("json"), response)
        return response

    def options(self, path: str, **kwargs: Any) -> Any:
        return self._client.options(path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        response = self._client.get(path, **kwargs)
        if documented_path(path) is not None:
            assert_matches_openapi("get", path, None, response)
        return response


@pytest.fixture
def client(app: Flask) -> CheckedClient:
    return CheckedClient(app.test_client())


class Clock:
    """A monotonic clock the tests move by hand (cache TTLs, budgets)."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()
