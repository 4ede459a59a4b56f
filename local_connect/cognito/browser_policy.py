"""What every answer of the pool carries for browsers: CORS for the app client's own origins only,
no framing (clickjacking) and no caching of pages with one-time values; CORS preflights."""

from __future__ import annotations

from flask import Blueprint, Response, request

from local_connect.cognito.client import origin_of
from local_connect.cognito.state import cognito_state

browser_policy_blueprint = Blueprint("cognito_browser_policy", __name__)


@browser_policy_blueprint.after_app_request
def browser_headers(response: Response) -> Response:
    origin = request.headers.get("Origin")
    if origin and origin_of(origin) in cognito_state().client.origins:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Headers"] = (
            "Authorization, Content-Type, X-Amz-Target, X-Amz-User-Agent"
        )
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Vary"] = "Origin"
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Cache-Control", "no-store")
    return response


@browser_policy_blueprint.route("/<path:_any>", methods=["OPTIONS"])
@browser_policy_blueprint.route("/", methods=["OPTIONS"])
def preflight(_any: str = "") -> Response:
    return Response(status=204)
