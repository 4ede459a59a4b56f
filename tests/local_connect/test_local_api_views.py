"""Each /local blueprint works on its own: registered on a fresh Flask app with a LocalApiState over
a runtime on a manual clock, served over real HTTP (or a view called directly in a request context)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from flask import Blueprint, Flask

from local_connect.clock import ManualClock
from local_connect.local_api.agents import agents_blueprint
from local_connect.local_api.center import center_blueprint, health
from local_connect.local_api.http_io import errors_blueprint
from local_connect.local_api.phones import phones_blueprint
from local_connect.local_api.state import LocalApiState, install
from local_connect.runtime import Runtime, RuntimeOptions
from local_connect.speech import Speech
from tests.local_connect.servers import serving


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    clock = ManualClock()
    running = Runtime(RuntimeOptions(db_path=tmp_path / "local.sqlite3", clock=clock, clock_control=True))
    yield running
    running.stop()


def _app_with(runtime: Runtime, *blueprints: Blueprint) -> Flask:
    app = Flask(__name__)
    install(app, LocalApiState(runtime, "http://stack.example", Speech(binary="no-such-espeak")))
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    return app


def test_the_health_view_reads_the_runtimes_clock(runtime: Runtime) -> None:
    with _app_with(runtime).test_request_context():
        answer = health().get_json()
    assert answer["ok"] is True and answer["now"] == runtime.clock.now()


def test_the_center_blueprint_alone_moves_the_clock_and_lists_queues(runtime: Runtime) -> None:
    with serving(_app_with(runtime, center_blueprint)) as base:
        before = runtime.clock.now()
        moved = requests.post(f"{base}/clock", json={"advance": 90}, timeout=10)
        assert moved.status_code == 200 and moved.json()["now"] == pytest.approx(before + 90)
        too_far = requests.post(f"{base}/clock", json={"advance": 90_000}, timeout=10)
        assert too_far.status_code == 400 and too_far.json()["error"] == "InvalidRequest"
        overview = requests.get(f"{base}/", timeout=10).json()
        assert overview["connectApi"] == "http://stack.example/connect-api"
        names = {q["name"] for q in requests.get(f"{base}/queues", timeout=10).json()["queues"]}
        assert names == {q.name for q in runtime.definitions.queues.values()}


def test_the_phones_blueprint_alone_refuses_a_bad_number_with_the_error_blueprint(runtime: Runtime) -> None:
    with serving(_app_with(runtime, errors_blueprint, phones_blueprint)) as base:
        bad = requests.get(f"{base}/phones/12345", timeout=10)
        assert bad.status_code == 409 and "E.164" in bad.json()["detail"]
        speech = requests.get(f"{base}/speech", params={"text": "hello"}, timeout=10)
        assert speech.status_code == 503 and speech.json()["error"] == "SpeechUnavailable"
        # The agents' routes are another blueprint's.
        assert requests.get(f"{base}/agents", timeout=10).status_code == 404


def test_the_agents_blueprint_alone_answers_unknown_agents_with_404(runtime: Runtime) -> None:
    with serving(_app_with(runtime, errors_blueprint, agents_blueprint)) as base:
        listed = requests.get(f"{base}/agents", timeout=10).json()["agents"]
        assert {a["username"] for a in listed} == set(runtime.center.agents)
        missing = requests.get(f"{base}/agents/nobody-here", timeout=10)
        assert missing.status_code == 404 and missing.json()["error"].endswith("NotFound")
