"""`/local`: the runtime's own HTTP API for test phones, agent desktops and contact records.

Documented in docs/LOCAL-API.md. One blueprint per concern (phones.py, agents.py, center.py; the
error answers in http.py); the views share a LocalApiState on the app (state.py). Every handler takes
the runtime lock for the few microseconds it touches the contact center; event streams
(Server-Sent Events) and long polls wait outside it. Local only: the stack listens on 127.0.0.1 and
these endpoints take no credentials.
"""

from __future__ import annotations

import json
from pathlib import Path

from flask import Flask
from flask_cors import CORS

from local_connect.definitions import REPO_ROOT
from local_connect.local_api.agents import agents_blueprint
from local_connect.local_api.center import center_blueprint
from local_connect.local_api.http_io import errors_blueprint
from local_connect.local_api.phones import phones_blueprint
from local_connect.local_api.state import LocalApiState, install
from local_connect.runtime import Runtime
from local_connect.speech import Speech

DEMO_CUSTOMERS = REPO_ROOT / "data" / "seed" / "customers.json"
BLUEPRINTS = (errors_blueprint, center_blueprint, phones_blueprint, agents_blueprint)


def demo_customers(path: Path = DEMO_CUSTOMERS) -> list[dict[str, str]]:
    """The seeded customers' numbers and names, for the test phone's number picker."""
    try:
        items = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [
        {"number": str(c["PhoneNumber"]), "name": f"{c.get('FirstName', '')} {c.get('LastName', '')}".strip()}
        for c in items
        if isinstance(c, dict) and c.get("PhoneNumber")
    ]


def create_app(runtime: Runtime, base_url: str = "", speech: Speech | None = None) -> Flask:
    app = Flask(__name__, static_folder=None)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    # The site is served from the same origin; a Vite dev server (npm run dev) is the other one.
    dev_origins = ["http://127.0.0.1:5173", "http://localhost:5173"]
    CORS(app, origins=[o for o in (base_url, *dev_origins) if o], max_age=600)
    install(app, LocalApiState(runtime, base_url, speech or Speech(), demo_customers()))
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    return app
