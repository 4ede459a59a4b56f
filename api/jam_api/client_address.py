"""The caller's address, from what the caller cannot forge.

On Lambda, aws-wsgi sets REMOTE_ADDR from the client-controlled X-Forwarded-For, so the address is
API Gateway's requestContext.identity.sourceIp (the event is in the WSGI environ as `awsgi.event`).
Locally, the socket's peer address (werkzeug's REMOTE_ADDR) is the caller.
"""

from __future__ import annotations

from typing import Any

from flask import request


def source_ip(event: dict[str, Any]) -> str | None:
    identity = (event.get("requestContext") or {}).get("identity") or {}
    value = identity.get("sourceIp")
    return str(value) if value else None


def client_address() -> str:
    wsgi_environ = request.environ  # the WSGI environ, not the process environment
    event = wsgi_environ.get("awsgi.event")
    if isinstance(event, dict):
        return source_ip(event) or "unknown"
    return request.remote_addr or "unknown"
