"""API benchmarks: cold start through the Lambda entry, warm throughput, Connect calls per traffic."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

from bench._startup import REPO, fresh_interpreter_ms

EVENT_FILE = REPO / "tests" / "api" / "events" / "apigateway-aws-proxy.json"
HOURS_ID = "0a1b2c3d-0000-4000-8000-000000000001"
DESCRIBE = {
    "HoursOfOperation": {
        "HoursOfOperationId": HOURS_ID,
        "Name": "Sales Hours",
        "TimeZone": "America/New_York",
        "Config": [
            {"Day": d, "StartTime": {"Hours": 8, "Minutes": 0}, "EndTime": {"Hours": 20, "Minutes": 0}}
            for d in ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")
        ],
    }
}

# The instance's hours ids, listed once before an id is looked up (jam_api.hours.directory).
LISTING = {
    "HoursOfOperationSummaryList": [{"Id": HOURS_ID[:-1] + str(i)} for i in range(3)] + [{"Id": HOURS_ID}]
}

# A fresh Lambda container: import the entry, then serve the first hours request. Connect is a
# botocore Stubber on a real client so the code path (client creation, serialization) is the real one.
COLD = f"""
import json, os
os.environ.update(CONNECT_INSTANCE_ID="11111111-2222-3333-4444-555555555555", AWS_REGION="us-east-1",
                  AWS_ACCESS_KEY_ID="x", AWS_SECRET_ACCESS_KEY="x", ALLOWED_ORIGINS="https://site.example.com")
from jam_api import lambda_entry
from botocore.stub import Stubber
app = lambda_entry._application()
stub = Stubber(app.extensions["jam.connect"]); stub.activate()
stub.add_response("list_hours_of_operations", {json.dumps(LISTING)!s})
stub.add_response("describe_hours_of_operation", {json.dumps(DESCRIBE)!s})
stub.add_response("list_hours_of_operation_overrides", {{"HoursOfOperationOverrideList": []}})
event = json.loads(open({str(EVENT_FILE)!r}).read())
assert lambda_entry.handler(event, None)["statusCode"] == "200"
"""
FLOOR = "import flask, boto3"


def _warm_app() -> tuple[Any, Any]:
    import os

    os.environ.setdefault("AWS_ACCESS_KEY_ID", "x")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "x")
    from botocore.stub import Stubber
    from jam_api import create_app
    from jam_api.config import Settings

    # The public route's per-address limit is lifted: the benchmark is one address on purpose.
    settings = Settings(
        connect_instance_id="i-1", allowed_origins=("https://site.example.com",), hours_rate_limit=(10**9, 60)
    )
    app = create_app(settings)
    stubber = Stubber(app.extensions["jam.connect"])
    stubber.activate()
    stubber.add_response("list_hours_of_operations", LISTING)
    return app, stubber


def warm_requests_per_second(seconds: float = 3.0) -> tuple[float, float]:
    from jam_api import lambda_entry

    app, stubber = _warm_app()
    stubber.add_response("describe_hours_of_operation", DESCRIBE)
    stubber.add_response("list_hours_of_operation_overrides", {"HoursOfOperationOverrideList": []})
    lambda_entry._app = app
    event = json.loads(EVENT_FILE.read_text())
    latencies = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        assert lambda_entry.handler(dict(event), None)["statusCode"] == "200"
        latencies.append(time.perf_counter() - started)
    latencies.sort()
    return len(latencies) / sum(latencies), latencies[int(len(latencies) * 0.99)] * 1000


def connect_calls_for_hours_requests(requests: int = 10_000, ids: int = 3, threads: int = 8) -> int:
    """A burst of page traffic over a few hours ids from several threads: how many Connect calls?"""
    app, stubber = _warm_app()
    calls = []
    app.extensions["jam.connect"].meta.events.register(
        "before-parameter-build.connect.*", lambda **kw: calls.append(1)
    )
    hours_ids = [f"{HOURS_ID[:-1]}{i}" for i in range(ids)]
    for hours_id in hours_ids:
        stubber.add_response(
            "describe_hours_of_operation",
            {"HoursOfOperation": {**DESCRIBE["HoursOfOperation"], "HoursOfOperationId": hours_id}},
        )
        stubber.add_response("list_hours_of_operation_overrides", {"HoursOfOperationOverrideList": []})
    # Single flight: the first request per id must finish before others for the same id are served,
    # and the Stubber answers in order, so warm each id once, then run the concurrent burst.
    client = app.test_client()
    for hours_id in hours_ids:
        assert client.post("/connect/hours", json={"hoursOfOperationId": hours_id}).status_code == 200

    def worker(count: int) -> None:
        local = app.test_client()
        for n in range(count):
            assert (
                local.post("/connect/hours", json={"hoursOfOperationId": hours_ids[n % ids]}).status_code
                == 200
            )

    per_thread = (requests - ids) // threads
    pool = [threading.Thread(target=worker, args=(per_thread,)) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return len(calls)


def run() -> str:
    # lambdas/ for jam_core.schedule, which the build copies next to jam_api (sam/build/Makefile).
    cold = fresh_interpreter_ms(COLD, extra_path=(str(REPO / "api"), str(REPO / "lambdas")))
    floor = fresh_interpreter_ms(FLOOR)
    rps, p99 = warm_requests_per_second()
    calls = connect_calls_for_hours_requests()
    ratio = cold / floor
    return f"""## API ([spine])

Method: cold start = median of 7 fresh interpreters (`python -c`), each importing the Lambda entry
(`jam_api.lambda_entry`) and serving one POST /connect/hours REST event through aws-wsgi, Connect
answered by botocore's Stubber on the production client (botocore data sliced to the operations
the API calls: `api/jam_api/connect_client.py`, `scripts/sdk_slice.py`); floor = `import flask, boto3` the same way. Warm =
the same event through `lambda_entry.handler` in a loop for 3 s (hours cached). Connect calls =
10,000 POST /connect/hours over 3 hours ids from 8 threads, counted with botocore's before-call event.

| measure | result | goal |
| --- | --- | --- |
| cold start (import + first request) | {cold:.0f} ms | |
| floor (`import flask, boto3`) | {floor:.0f} ms | |
| cold / floor | {ratio:.2f} | ≤ 1.3 {"✅" if ratio <= 1.3 else "❌"} |
| warm requests per second (one thread) | {rps:,.0f} | |
| warm p99 per request | {p99:.2f} ms | |
| Connect calls for 10,000 hours requests | {calls} | ≤ 10 {"✅" if calls <= 10 else "❌"} |
"""
