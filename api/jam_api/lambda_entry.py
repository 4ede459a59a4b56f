"""Lambda entry: the same Flask app, behind API Gateway (REST API, v1 events) through aws-wsgi.

aws-wsgi sets REMOTE_ADDR from the client-controlled X-Forwarded-For, so nothing here trusts it:
the caller's address for logs comes from requestContext.identity.sourceIp, which API Gateway sets.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import awsgi
from flask import Flask

from jam_api import create_app
from jam_api.client_address import source_ip

__all__ = ["handler", "source_ip"]

logger = logging.getLogger("jam_api")
logger.setLevel(logging.INFO)
_app: Flask | None = None


def _application() -> Flask:
    # Built on the first invocation, then reused by the warm container.
    global _app
    if _app is None:
        _app = create_app()
    return _app


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    if "httpMethod" not in event:
        # aws-wsgi understands REST API (v1) proxy events only.
        return {
            "statusCode": "400",
            "headers": {"Content-Type": "application/problem+json"},
            "body": json.dumps(
                {
                    "type": "about:blank",
                    "title": "Unsupported event",
                    "status": 400,
                    "detail": "Expected an API Gateway REST API proxy event.",
                }
            ),
        }
    request_id = ((event.get("requestContext") or {}).get("requestId")) or ""
    logger.info(
        json.dumps(
            {
                "requestId": request_id,
                "method": event["httpMethod"],
                "path": event.get("path"),
                "sourceIp": source_ip(event),
            }
        )
    )
    response: dict[str, Any] = awsgi.response(_application(), event, context)
    return response
