"""Bodies the API refuses before reading them as requests: too deep, too large (also when chunked).

The chunked case runs against a real werkzeug server on loopback with a real chunked request
(http.client, no Content-Length), because the Flask test client always knows the body's length.
"""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.stub import Stubber
from flask import Flask
from jam_api.request_body import MAX_BODY_BYTES, MAX_JSON_DEPTH, nesting_depth
from werkzeug.serving import make_server

from tests.api.conftest import FLOW_ID, TokenFactory


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def problem(response: Any) -> dict[str, Any]:
    assert response.mimetype == "application/problem+json"
    assert "Traceback" not in response.get_data(as_text=True)
    return dict(response.get_json())


@pytest.mark.parametrize("path", ["/connect/hours", "/connect/contact"])
def test_a_body_nested_1100_deep_is_400_not_500(app: Flask, make_token: TokenFactory, path: str) -> None:
    body = '{"hoursOfOperationId": ' + nested(1100) + "}"
    assert len(body) < MAX_BODY_BYTES  # ~2 KB: under the size limit, so only the depth refuses it
    response = app.test_client().post(
        path,
        data=body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {make_token()}"},
    )
    assert response.status_code == 400
    assert f"deeper than {MAX_JSON_DEPTH}" in problem(response)["detail"]


def test_the_depth_limit_is_exact_and_brackets_inside_strings_do_not_count() -> None:
    assert nesting_depth(nested(MAX_JSON_DEPTH)) == MAX_JSON_DEPTH
    assert nesting_depth('{"a": "[[[[{{{{", "b": [1, {"c": "]\\"[["}]}') == 3
    assert nesting_depth('{"a": 1}') == 1


def test_a_body_one_level_too_deep_is_refused_and_one_within_is_read(app: Flask) -> None:
    within = json.dumps({"hoursOfOperationId": json.loads(nested(MAX_JSON_DEPTH - 1))})
    response = app.test_client().post("/connect/hours", data=within, content_type="application/json")
    assert response.status_code == 400
    assert problem(response)["field"] == "hoursOfOperationId"  # parsed, then refused as a field
    too_deep = json.dumps({"hoursOfOperationId": json.loads(nested(MAX_JSON_DEPTH))})
    response = app.test_client().post("/connect/hours", data=too_deep, content_type="application/json")
    assert response.status_code == 400
    assert "field" not in problem(response)


def test_invalid_utf8_and_invalid_json_are_400(app: Flask) -> None:
    for data in (b'{"hoursOfOperationId": "\xff"}', b'{"hoursOfOperationId": '):
        response = app.test_client().post("/connect/hours", data=data, content_type="application/json")
        assert response.status_code == 400, data
        problem(response)


@pytest.fixture
def served(app: Flask, connect: tuple[Any, Stubber]) -> Iterator[int]:
    """The app behind a real werkzeug server on loopback; yields its port."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        thread.join(timeout=5)


def post_chunked(port: int, path: str, body: bytes, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        pieces = (body[i : i + 1024] for i in range(0, len(body), 1024))
        connection.request(
            "POST",
            path,
            body=pieces,
            headers={"Content-Type": "application/json", **(headers or {})},
            encode_chunked=True,
        )
        response = connection.getresponse()
        return response.status, (response.getheader("Content-Type"), json.loads(response.read()))
    finally:
        connection.close()


def test_a_chunked_body_over_the_limit_is_413(served: int, make_token: TokenFactory) -> None:
    padding = " " * (MAX_BODY_BYTES + 1024)  # valid JSON whitespace: only the size can refuse it
    body = (
        '{"destinationPhoneNumber": "+12125550100",' + padding + f'"contactFlowId": "{FLOW_ID}"}}'
    ).encode()
    for path, headers in (
        ("/connect/hours", {}),
        ("/connect/contact", {"Authorization": f"Bearer {make_token()}"}),
    ):
        status, (content_type, answer) = post_chunked(served, path, body, headers)
        assert status == 413, (path, answer)
        assert content_type == "application/problem+json"
        assert answer["type"].endswith("/body-too-large")


@pytest.mark.parametrize("size", [30, MAX_BODY_BYTES])
def test_a_chunked_body_up_to_the_limit_is_read(served: int, size: int) -> None:
    # Not refused for being chunked: it reaches the route (a malformed id is refused by name).
    body = b'{"hoursOfOperationId": " x"}'
    body = body[:-1] + b" " * (size - len(body)) + b"}"
    assert len(body) == size
    status, (_, answer) = post_chunked(served, "/connect/hours", body)
    assert (status, answer["field"]) == (400, "hoursOfOperationId")
