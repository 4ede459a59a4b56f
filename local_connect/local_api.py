"""`/local`: the runtime's own HTTP API for test phones, agent desktops and contact records.

Documented in docs/LOCAL-API.md. Every handler takes the runtime lock for the few microseconds it
touches the contact center; event streams (Server-Sent Events) and long polls wait outside it.
Local only: the stack listens on 127.0.0.1 and these endpoints take no credentials.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask, Response, jsonify, request
from flask_cors import CORS

from local_connect.acd import AcdError, ContactState
from local_connect.acd.store import export_csv, export_jsonl
from local_connect.channels import EventChannel
from local_connect.definitions import REPO_ROOT
from local_connect.desk import contact_view
from local_connect.numbers import INBOUND_NUMBER
from local_connect.phone.page import PHONE_PAGE
from local_connect.runtime import Runtime
from local_connect.speech import Speech
from local_connect.switchboard import TelephonyError

T = TypeVar("T")
DEMO_CUSTOMERS = REPO_ROOT / "data" / "seed" / "customers.json"
HEARTBEAT_SECONDS = 15.0


def _problem(status: int, code: str, detail: str) -> Response:
    response = jsonify({"error": code, "detail": detail})
    response.status_code = status
    return response


def _body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else {}


class BadRequest(Exception):
    """A query or body value that is not what the endpoint takes (HTTP 400)."""


def _numeric(raw: Any, kind: type[int] | type[float], name: str) -> Any:
    """A query or body number, or BadRequest (not a 500) when it is not one."""
    try:
        return kind(raw)
    except (TypeError, ValueError):
        raise BadRequest(f"{name} must be a number, not {raw!r}") from None


def _number(raw: str) -> str:
    """Phone numbers in paths are E.164; "+" may arrive as a space from a form-encoded URL."""
    number = raw.strip().replace(" ", "+")
    if not number.startswith("+") or not number[1:].isdigit() or not 8 <= len(number) <= 16:
        raise TelephonyError(f"{raw!r} is not an E.164 number")
    return number


def _events_response(channel: EventChannel) -> Response:
    """A long poll (JSON) unless the client asks for an event stream (SSE)."""
    after = _numeric(request.args.get("after") or request.headers.get("Last-Event-ID") or 0, int, "after")
    if "text/event-stream" in request.headers.get("Accept", "") or request.args.get("stream"):
        return Response(
            _sse(channel, after), mimetype="text/event-stream", headers={"Cache-Control": "no-cache"}
        )
    timeout = min(_numeric(request.args.get("timeout") or 0, float, "timeout"), 30.0)
    events = channel.wait(after, timeout) if timeout > 0 else channel.since(after)
    return jsonify({"events": [e.public() for e in events], "last": channel.last_seq})


def _sse(channel: EventChannel, after: int) -> Iterator[str]:
    yield "retry: 1000\n\n"
    while True:
        events = channel.wait(after, HEARTBEAT_SECONDS)
        if not events:
            yield ": keep-alive\n\n"  # lets the server notice a closed connection
            continue
        for event in events:
            after = event.seq
            yield f"id: {event.seq}\nevent: {event.type}\ndata: {json.dumps(event.public())}\n\n"


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
    speech = speech or Speech()
    customers = demo_customers()
    center = runtime.center
    switchboard = runtime.switchboard

    def locked(work: Callable[[], T]) -> T:
        with runtime.lock:
            return work()

    @app.errorhandler(AcdError)
    def acd_error(error: AcdError) -> Response:
        status = 404 if error.code.endswith("NotFound") else 409
        return _problem(status, error.code, str(error))

    @app.errorhandler(BadRequest)
    def bad_request(error: BadRequest) -> Response:
        return _problem(400, "InvalidRequest", str(error))

    @app.errorhandler(TelephonyError)
    def telephony_error(error: TelephonyError) -> Response:
        return _problem(409, error.code, str(error))

    # ------------------------------------------------------------------ what is here
    @app.get("/")
    def index() -> Response:
        return jsonify(
            {
                "instanceId": runtime.definitions.instance_id,
                "inboundNumber": INBOUND_NUMBER,
                "connectApi": f"{base_url}/connect-api",
                "phone": f"{base_url}/local/phone",
                "speech": speech.available,
                "flowEngine": switchboard.flows is not None,
                "demoCustomers": customers,
                "agents": locked(lambda: [a.public() for a in center.agents.values()]),
                "queues": [
                    {"id": q.id, "arn": q.arn, "name": q.name, "logicalId": q.logical_id}
                    for q in runtime.definitions.queues.values()
                ],
            }
        )

    @app.get("/queues")
    def queues() -> Response:
        def metrics() -> list[dict[str, Any]]:
            return [
                {"id": q.id, "name": q.name, **center.queue_metrics(q.id)}
                for q in runtime.definitions.queues.values()
            ]

        return jsonify({"queues": locked(metrics), "at": center.now})

    # ------------------------------------------------------------------ test phones
    @app.get("/phone")
    def phone_page() -> Response:
        return Response(PHONE_PAGE, mimetype="text/html")

    @app.get("/speech")
    def speak() -> Response:
        text = (request.args.get("text") or "")[:2000]
        language = request.args.get("language") or "en-US"
        if not speech.available:
            return _problem(503, "SpeechUnavailable", "espeak-ng is not installed: prompts are shown as text")
        return Response(
            speech.wav(text, language), mimetype="audio/wav", headers={"Cache-Control": "max-age=3600"}
        )

    @app.get("/phones/<raw>")
    def phone_status(raw: str) -> Response:
        number = _number(raw)
        return jsonify(
            locked(
                lambda: {
                    **switchboard.phone(number).public(),
                    "last": switchboard.phone(number).channel.last_seq,
                }
            )
        )

    @app.post("/phones/<raw>/dial")
    def dial(raw: str) -> Response:
        number = _number(raw)
        to = _number(str(_body().get("to") or INBOUND_NUMBER))
        return jsonify({"contactId": locked(lambda: switchboard.dial(number, to))})

    @app.post("/phones/<raw>/answer")
    def answer(raw: str) -> Response:
        number = _number(raw)
        return jsonify({"contactId": locked(lambda: switchboard.answer(number))})

    @app.post("/phones/<raw>/digits")
    def digits(raw: str) -> Response:
        number = _number(raw)
        pressed = str(_body().get("digits") or "")
        locked(lambda: switchboard.send_digits(number, pressed))
        return jsonify({"ok": True})

    @app.post("/phones/<raw>/hangup")
    def hang_up(raw: str) -> Response:
        number = _number(raw)
        locked(lambda: switchboard.hang_up(number))
        return jsonify({"ok": True})

    @app.get("/phones/<raw>/events")
    def phone_events(raw: str) -> Response:
        number = _number(raw)
        return _events_response(locked(lambda: switchboard.phone(number).channel))

    # ------------------------------------------------------------------ agents
    @app.get("/agents")
    def agents() -> Response:
        return jsonify({"agents": locked(lambda: [a.public() for a in center.agents.values()])})

    def agent_view(username: str) -> dict[str, Any]:
        agent = center.agent(username)
        view = agent.public()
        view["last"] = runtime.channels.get(f"agent:{username}").last_seq
        view["contact"] = contact_view(center, center.contact(agent.contact_id)) if agent.contact_id else None
        view["queues"] = [
            {
                "id": pq.queue_id,
                "name": center.queues[pq.queue_id].name,
                "priority": pq.priority,
                "delay": pq.delay,
            }
            for pq in center.profiles[agent.routing_profile_id]
        ]
        return view

    @app.get("/agents/<username>")
    def agent(username: str) -> Response:
        return jsonify(locked(lambda: agent_view(username)))

    @app.post("/agents/<username>/state")
    def agent_state(username: str) -> Response:
        state = str(_body().get("state") or "")

        def change() -> dict[str, Any]:
            center.set_agent_state(username, state)
            return agent_view(username)

        return jsonify(locked(change))

    @app.post("/agents/<username>/contacts/<contact_id>/<action>")
    def agent_action(username: str, contact_id: str, action: str) -> Response:
        body = _body()

        def act() -> dict[str, Any]:
            if action == "accept":
                center.accept(username, contact_id)
            elif action == "reject":
                center.reject(username, contact_id)
            elif action in ("hold", "resume"):
                center.hold(username, contact_id, action == "hold")
            elif action == "end":
                center.end(username, contact_id)
            elif action == "transfer":
                center.transfer(username, contact_id, str(body.get("queueId") or ""))
            else:
                raise AcdError(f"unknown action {action}")
            return agent_view(username)

        return jsonify(locked(act))

    @app.post("/agents/<username>/after-contact-work/complete")
    def complete_acw(username: str) -> Response:
        def complete() -> dict[str, Any]:
            center.complete_after_contact_work(username)
            return agent_view(username)

        return jsonify(locked(complete))

    @app.get("/agents/<username>/events")
    def agent_events(username: str) -> Response:
        locked(lambda: center.agent(username))
        return _events_response(runtime.channels.get(f"agent:{username}"))

    # ------------------------------------------------------------------ contact records
    @app.get("/contacts")
    def contacts() -> Response:
        limit = min(_numeric(request.args.get("limit") or 1000, int, "limit"), 100_000)
        since = _numeric(request.args["since"], float, "since") if request.args.get("since") else None
        records = runtime.store.contacts(limit=limit, since=since)
        wanted = request.args.get("format", "json")
        if wanted == "jsonl":
            return Response("".join(export_jsonl(records)), mimetype="application/x-ndjson")
        if wanted == "csv":
            return Response(export_csv(records), mimetype="text/csv")
        return jsonify({"contacts": [c.record() for c in records]})

    @app.get("/contacts/<contact_id>")
    def contact(contact_id: str) -> Response:
        def read() -> dict[str, Any]:
            # A live contact changes under the runtime lock: its record is copied under it too.
            found = center.contact(contact_id)
            record = found.record()
            if found.state is not ContactState.DISCONNECTED:
                record["Position"] = center.position(contact_id)
            return record

        return jsonify(locked(read))

    @app.post("/clock")
    def clock() -> Response:
        """Move time forward (only with `serve --clock-control`): skip a hold message, a delay."""
        if not runtime.options.clock_control:
            return _problem(403, "ClockControlDisabled", "start the stack with --clock-control to move time")
        seconds = _numeric(_body().get("advance") or 0, float, "advance")
        if not 0 <= seconds <= 86_400:
            return _problem(400, "InvalidRequest", "advance is 0 to 86400 seconds")
        return jsonify({"now": runtime.advance_clock(seconds)})

    @app.get("/health")
    def health() -> Response:
        return jsonify({"ok": True, "time": time.time(), "now": runtime.clock.now()})

    return app
