"""/local/ (what is here), /local/queues, /local/contacts, /local/clock and /local/health."""

from __future__ import annotations

import time
from typing import Any

from flask import Blueprint, Response, jsonify, request

from local_connect.acd import ContactState
from local_connect.acd.store import export_csv, export_jsonl
from local_connect.local_api.http_io import body, numeric, problem
from local_connect.local_api.state import local_state
from local_connect.numbers import INBOUND_NUMBER

center_blueprint = Blueprint("local_center", __name__)


@center_blueprint.get("/")
def index() -> Response:
    state = local_state()
    runtime = state.runtime
    return jsonify(
        {
            "instanceId": runtime.definitions.instance_id,
            "inboundNumber": INBOUND_NUMBER,
            "connectApi": f"{state.base_url}/connect-api",
            "phone": f"{state.base_url}/local/phone",
            "speech": state.speech.available,
            "flowEngine": runtime.switchboard.flows is not None,
            "demoCustomers": state.demo_customers,
            "agents": state.locked(lambda: [a.public() for a in runtime.center.agents.values()]),
            "queues": [
                {"id": q.id, "arn": q.arn, "name": q.name, "logicalId": q.logical_id}
                for q in runtime.definitions.queues.values()
            ],
        }
    )


@center_blueprint.get("/queues")
def queues() -> Response:
    state = local_state()
    runtime = state.runtime

    def metrics() -> list[dict[str, Any]]:
        return [
            {"id": q.id, "name": q.name, **runtime.center.queue_metrics(q.id)}
            for q in runtime.definitions.queues.values()
        ]

    return jsonify({"queues": state.locked(metrics), "at": runtime.center.now})


@center_blueprint.get("/contacts")
def contacts() -> Response:
    limit = min(numeric(request.args.get("limit") or 1000, int, "limit"), 100_000)
    since = numeric(request.args["since"], float, "since") if request.args.get("since") else None
    records = local_state().runtime.store.contacts(limit=limit, since=since)
    wanted = request.args.get("format", "json")
    if wanted == "jsonl":
        return Response("".join(export_jsonl(records)), mimetype="application/x-ndjson")
    if wanted == "csv":
        return Response(export_csv(records), mimetype="text/csv")
    return jsonify({"contacts": [c.record() for c in records]})


@center_blueprint.get("/contacts/<contact_id>")
def contact(contact_id: str) -> Response:
    state = local_state()
    center = state.runtime.center

    def read() -> dict[str, Any]:
        # A live contact changes under the runtime lock: its record is copied under it too.
        found = center.contact(contact_id)
        record = found.record()
        if found.state is not ContactState.DISCONNECTED:
            record["Position"] = center.position(contact_id)
        return record

    return jsonify(state.locked(read))


@center_blueprint.post("/clock")
def clock() -> Response:
    """Move time forward (only with `serve --clock-control`): skip a hold message, a delay."""
    runtime = local_state().runtime
    if not runtime.options.clock_control:
        return problem(403, "ClockControlDisabled", "start the stack with --clock-control to move time")
    seconds = numeric(body().get("advance") or 0, float, "advance")
    if not 0 <= seconds <= 86_400:
        return problem(400, "InvalidRequest", "advance is 0 to 86400 seconds")
    return jsonify({"now": runtime.advance_clock(seconds)})


@center_blueprint.get("/health")
def health() -> Response:
    return jsonify({"ok": True, "time": time.time(), "now": local_state().runtime.clock.now()})
