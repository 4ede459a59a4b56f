"""/local over real HTTP: test phones and agent desktops on a runtime with a manual clock.

The flow engine belongs to the flows part; here a small scripted flow (it greets, reads a digit
and transfers) stands in for it, talking to the contact center only through `RuntimeFlowServices`,
the same interface the engine uses. The e2e suite runs the real engine and flow files.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from local_connect.clock import ManualClock
from local_connect.definitions import ContactFlowDef
from local_connect.flows.ports import CallbackRequest, Prompt
from local_connect.local_api import create_app
from local_connect.numbers import INBOUND_NUMBER
from local_connect.runtime import Runtime, RuntimeOptions
from local_connect.runtime_flows import RuntimeFlowServices
from tests.local_connect.servers import serving

CALLER = "+12025550100"


class ScriptedFlow:
    """Greets, waits for one digit: 1 → Support queue, 9 → callback then hang up, else disconnect."""

    def __init__(self, services: RuntimeFlowServices, support_arn: str) -> None:
        self.services = services
        self.support_arn = support_arn
        self.started: list[tuple[str, str]] = []
        self.stopped: list[str] = []

    def start(self, contact_id: str, flow: ContactFlowDef | str) -> None:
        assert isinstance(flow, ContactFlowDef)
        self.started.append((contact_id, flow.logical_id))
        self.services.update_attributes(
            contact_id, {"FirstName": "Maria", "VIP": "true", "issue": "internet"}
        )
        text = "Thanks for calling. Press 1 for support."
        self.services.say(Prompt(contact_id, text, False, "en-US", "Joanna", flow.name, "greet", None, True))

    def digits(self, contact_id: str, digits: str) -> None:
        if digits == "1":
            self.services.transfer_to_queue(contact_id, self.support_arn)
        elif digits == "9":
            number = self.services.contact_data(contact_id).customer_number
            self.services.create_callback(contact_id, CallbackRequest(number, None, 0, 2, 30))
            self.services.end_flow(contact_id, disconnect=True)
        else:
            self.services.end_flow(contact_id, disconnect=True)

    def stop(self, contact_id: str) -> None:
        self.stopped.append(contact_id)


class Local:
    def __init__(self, runtime: Runtime, base: str, clock: ManualClock, flow: ScriptedFlow) -> None:
        self.runtime = runtime
        self.base = base
        self.clock = clock
        self.flow = flow

    def get(self, path: str, **params: Any) -> Any:
        response = requests.get(self.base + path, params=params, timeout=10)
        assert response.ok, response.text
        return response.json()

    def post(self, path: str, body: dict[str, Any] | None = None, status: int = 200) -> Any:
        response = requests.post(self.base + path, json=body or {}, timeout=10)
        assert response.status_code == status, response.text
        return response.json()

    def phone_events(self, number: str = CALLER) -> list[dict[str, Any]]:
        return list(self.get(f"/phones/{number}/events")["events"])

    def agent_events(self, agent: str) -> list[dict[str, Any]]:
        return list(self.get(f"/agents/{agent}/events")["events"])

    def advance(self, seconds: float) -> None:
        with self.runtime.lock:
            self.clock.advance(seconds)
            self.runtime.scheduler.run_due()


@pytest.fixture
def local(tmp_path: Path) -> Iterator[Local]:
    clock = ManualClock()
    runtime = Runtime(RuntimeOptions(db_path=tmp_path / "local.sqlite3", clock=clock, ring_timeout=20))
    services = RuntimeFlowServices(runtime.definitions, runtime.center, runtime.switchboard)
    flow = ScriptedFlow(services, runtime.definitions.queues["SupportTechnicalQueue"].arn)
    runtime.switchboard.flows = flow
    with serving(create_app(runtime)) as base:
        yield Local(runtime, base, clock, flow)
    runtime.stop()
    assert not runtime.scheduler.errors, list(runtime.scheduler.errors)


def _types(events: list[dict[str, Any]]) -> list[str]:
    return [e["type"] for e in events]


def test_a_phone_dials_in_hears_the_prompt_and_hangs_up(local: Local) -> None:
    contact_id = local.post(f"/phones/{CALLER}/dial", {"to": INBOUND_NUMBER})["contactId"]
    assert local.flow.started == [(contact_id, "InboundFlow")]
    events = local.phone_events()
    assert _types(events) == ["call_started", "prompt"]
    assert events[1]["text"].startswith("Thanks for calling") and events[1]["expectsInput"] is True
    local.post(f"/phones/{CALLER}/hangup")
    record = local.get(f"/contacts/{contact_id}")
    assert record["DisconnectReason"] == "CUSTOMER_DISCONNECT"
    assert record["InitiationMethod"] == "INBOUND" and record["CustomerEndpoint"] == CALLER
    assert local.flow.stopped == [contact_id]
    assert local.get(f"/phones/{CALLER}")["contactId"] is None


def test_the_overview_lists_the_inbound_number_and_the_demo_customers_for_the_phone(local: Local) -> None:
    info = local.get("/")
    assert info["inboundNumber"] == INBOUND_NUMBER and info["flowEngine"] is True
    assert {"number": "+12025550100", "name": "Maria Garcia"} in info["demoCustomers"]
    assert {q["logicalId"] for q in info["queues"]} == set(local.runtime.definitions.queues)


def test_a_flow_that_cannot_run_ends_that_call_and_nothing_else(local: Local) -> None:
    class BrokenFlows(ScriptedFlow):
        def start(self, contact_id: str, flow: ContactFlowDef | str) -> None:
            raise KeyError("no flow InboundFlow in the library")

    local.runtime.switchboard.flows = BrokenFlows(local.flow.services, "")
    contact_id = local.post(f"/phones/{CALLER}/dial")["contactId"]
    assert _types(local.phone_events())[-2:] == ["error", "call_ended"]
    assert local.get(f"/contacts/{contact_id}")["DisconnectReason"] == "TELECOM_PROBLEM"
    assert local.get(f"/phones/{CALLER}")["contactId"] is None  # the phone can dial again
    local.runtime.switchboard.flows = local.flow
    local.post(f"/phones/{CALLER}/dial")


def test_phone_errors_are_plain_http_errors(local: Local) -> None:
    local.post(f"/phones/{CALLER}/digits", {"digits": "1"}, status=409)  # not on a call
    local.post(f"/phones/{CALLER}/dial", {"to": "+12025550199"}, status=409)  # not our number
    local.post("/phones/12345/dial", status=409)  # not E.164
    local.post("/agents/nobody/state", {"state": "Available"}, status=404)
    local.post("/agents/agent.support/state", {"state": "Busy"}, status=409)  # not a state
    for path in (
        f"/phones/{CALLER}/events?after=x",
        f"/phones/{CALLER}/events?timeout=soon",
        "/contacts?limit=all",
    ):
        assert requests.get(local.base + path, timeout=10).status_code == 400


def test_caller_reaches_an_agent_who_holds_ends_and_completes_after_contact_work(local: Local) -> None:
    agent = "agent.support"
    assert local.post(f"/agents/{agent}/state", {"state": "Available"})["state"] == "Available"
    contact_id = local.post(f"/phones/{CALLER}/dial")["contactId"]
    local.post(f"/phones/{CALLER}/digits", {"digits": "1"})
    offer = [e for e in local.agent_events(agent) if e["type"] == "offer"]
    assert len(offer) == 1
    pop = offer[0]["contact"]["screenPop"]
    assert (pop["firstName"], pop["vip"], pop["issue"], pop["phoneNumber"]) == (
        "Maria",
        "true",
        "internet",
        CALLER,
    )
    assert offer[0]["contact"]["queueName"] == "Support - Technical"

    view = local.post(f"/agents/{agent}/contacts/{contact_id}/accept")
    assert view["state"] == "On contact" and view["contact"]["state"] == "CONNECTED"
    assert _types(local.phone_events())[-1] == "connected"
    local.post(f"/agents/{agent}/contacts/{contact_id}/hold")
    local.post(f"/agents/{agent}/contacts/{contact_id}/resume")
    assert _types(local.phone_events())[-2:] == ["hold", "resumed"]
    local.advance(95)
    assert local.post(f"/agents/{agent}/contacts/{contact_id}/end")["state"] == "After contact work"
    assert _types(local.phone_events())[-1] == "call_ended"
    assert local.post(f"/agents/{agent}/after-contact-work/complete")["state"] == "Available"

    record = local.get(f"/contacts/{contact_id}")
    assert record["Agent"] == agent and record["DisconnectReason"] == "AGENT_DISCONNECT"
    assert record["DisconnectTimestamp"] - record["ConnectedToAgentTimestamp"] == 95
    assert record["Attributes"]["VIP"] == "true"


def test_an_offer_not_accepted_in_time_is_missed_and_the_next_agent_gets_it(local: Local) -> None:
    local.post("/agents/agent.support/state", {"state": "Available"})
    local.advance(1)
    local.post("/agents/agent.support2/state", {"state": "Available"})
    contact_id = local.post(f"/phones/{CALLER}/dial")["contactId"]
    local.post(f"/phones/{CALLER}/digits", {"digits": "1"})
    assert local.get("/agents/agent.support")["contact"]["contactId"] == contact_id  # idle longest
    local.advance(local.runtime.center.settings.offer_timeout + 1)
    assert local.get("/agents/agent.support")["state"] == "Missed"
    assert "missed" in _types(local.agent_events("agent.support"))
    assert local.get("/agents/agent.support2")["contact"]["contactId"] == contact_id


def test_transfer_moves_the_caller_to_another_queue_and_agent(local: Local) -> None:
    local.post("/agents/agent.support/state", {"state": "Available"})
    first = local.post(f"/phones/{CALLER}/dial")["contactId"]
    local.post(f"/phones/{CALLER}/digits", {"digits": "1"})
    local.post(f"/agents/agent.support/contacts/{first}/accept")
    billing = local.runtime.definitions.queues["AccountsBillingQueue"]
    local.post(f"/agents/agent.support/contacts/{first}/transfer", {"queueId": billing.arn})
    assert local.get(f"/contacts/{first}")["DisconnectReason"] == "TRANSFERRED"
    local.post("/agents/agent.accounts/state", {"state": "Available"})
    moved = local.get("/agents/agent.accounts")["contact"]
    assert moved["initiationMethod"] == "TRANSFER" and moved["queueName"] == "Accounts - Billing"
    local.post(f"/agents/agent.accounts/contacts/{moved['contactId']}/accept")
    events = local.phone_events()
    assert _types(events)[-3:] == ["transferred", "queued", "connected"]
    assert local.get(f"/contacts/{moved['contactId']}")["InitialContactId"] == first


def test_queued_callback_rings_the_phone_when_an_agent_takes_it(local: Local) -> None:
    original = local.post(f"/phones/{CALLER}/dial")["contactId"]
    local.post(f"/phones/{CALLER}/digits", {"digits": "1"})
    with local.runtime.lock:  # the queue flow's "press 1 for a callback", as the engine does it
        services = local.flow.services
        callback_id = services.create_callback(original, CallbackRequest(CALLER, None, 0, 2, 30))
    local.post(f"/phones/{CALLER}/hangup")
    assert local.get(f"/contacts/{callback_id}")["State"] == "QUEUED"

    local.post("/agents/agent.support/state", {"state": "Available"})
    local.post(f"/agents/agent.support/contacts/{callback_id}/accept")
    ringing = local.phone_events()[-1]
    assert ringing["type"] == "ringing" and ringing["method"] == "CALLBACK"
    local.post(f"/phones/{CALLER}/answer")
    assert _types(local.phone_events())[-1] == "connected"
    record = local.get(f"/contacts/{callback_id}")
    assert record["State"] == "CONNECTED" and record["PreviousContactId"] == original


def test_an_unanswered_callback_is_retried_then_recorded_as_failed(local: Local) -> None:
    original = local.post(f"/phones/{CALLER}/dial")["contactId"]
    local.post(f"/phones/{CALLER}/digits", {"digits": "1"})
    with local.runtime.lock:
        callback_id = local.flow.services.create_callback(original, CallbackRequest(CALLER, None, 0, 2, 30))
    local.post(f"/phones/{CALLER}/hangup")
    local.post("/agents/agent.support/state", {"state": "Available"})
    for attempt in (1, 2):
        local.post(f"/agents/agent.support/contacts/{callback_id}/accept")
        assert local.phone_events()[-1]["type"] == "ringing"
        local.advance(21)  # nobody answers within the ring timeout
        assert local.phone_events()[-1]["type"] == "missed_call"
        local.post("/agents/agent.support/after-contact-work/complete")
        if attempt == 1:
            assert local.get(f"/contacts/{callback_id}")["State"] == "SCHEDULED"
            local.advance(30)  # the callback's own retry delay
    record = local.get(f"/contacts/{callback_id}")
    assert record["DisconnectReason"] == "CALLBACK_ATTEMPTS_EXHAUSTED" and record["CallbackAttempts"] == 2


def test_contact_records_export_as_json_lines_and_csv(local: Local) -> None:
    for _ in range(2):
        local.post(f"/phones/{CALLER}/dial")
        local.post(f"/phones/{CALLER}/hangup")
    lines = requests.get(local.base + "/contacts", params={"format": "jsonl"}, timeout=10).text.splitlines()
    assert len(lines) == 2 and all(json.loads(line)["CustomerEndpoint"] == CALLER for line in lines)
    text = requests.get(local.base + "/contacts", params={"format": "csv"}, timeout=10).text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["DisconnectReason"] for r in rows] == ["CUSTOMER_DISCONNECT", "CUSTOMER_DISCONNECT"]


def test_phone_events_stream_as_server_sent_events(local: Local) -> None:
    local.post(f"/phones/{CALLER}/dial")
    with requests.get(
        local.base + f"/phones/{CALLER}/events",
        headers={"Accept": "text/event-stream"},
        stream=True,
        timeout=10,
    ) as stream:
        assert stream.headers["Content-Type"].startswith("text/event-stream")
        lines: list[str] = []
        for line in stream.iter_lines(decode_unicode=True):
            lines.append(line)
            if line.startswith("data:") and '"prompt"' in line:
                break
    assert "event: call_started" in lines and "event: prompt" in lines
    assert "id: 2" in lines  # resumable with Last-Event-ID


def test_queue_metrics_and_wait_estimates_for_the_website(local: Local) -> None:
    local.post("/agents/agent.support/state", {"state": "Available"})
    local.post("/agents/agent.support/state", {"state": "Offline"})
    local.post("/agents/agent.support2/state", {"state": "Available"})
    local.post(f"/phones/{CALLER}/dial")
    local.post(f"/phones/{CALLER}/digits", {"digits": "1"})  # offered to support2
    local.post("/phones/+12025550101/dial")
    local.post("/phones/+12025550101/digits", {"digits": "1"})  # waits
    queues = {q["name"]: q for q in local.get("/queues")["queues"]}
    support = queues["Support - Technical"]
    assert support["CONTACTS_IN_QUEUE"] == 2 and support["AGENTS_ON_CONTACT"] == 1
    # A new caller waits for the contact in service and the one waiting: two handle times, one agent.
    assert support["ESTIMATED_WAIT_TIME"] == 2 * local.runtime.center.settings.default_handle_time


def test_the_terminal_phone_runs_a_script_and_fails_on_an_unmet_expectation(local: Local) -> None:
    from local_connect.phone.cli import PhoneClient, run_script

    stack_url = local.base.removesuffix("/local") if local.base.endswith("/local") else local.base
    phone = PhoneClient(stack_url, CALLER)
    phone.base = local.base  # this test serves /local at the root
    out = io.StringIO()
    assert (
        run_script(phone, "dial; expect prompt; press 1; expect queued; hangup; expect call_ended", out) == 0
    )
    assert "Press 1 for support" in out.getvalue() and "in queue" in out.getvalue()
    assert run_script(phone, "expect connected 0.2", out) == 1
    assert "expected 'connected'" in out.getvalue()
    assert run_script(phone, "answer", out) == 1  # not ringing: the error is reported, not raised


def test_the_terminal_phone_prints_the_texts_sent_to_it(
    local: Local, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jam_core.tables.sms_outbox import SqliteSmsOutbox
    from local_connect.phone.cli import PhoneClient, run_script

    database = tmp_path / "jam.sqlite3"
    monkeypatch.setenv("SQLITE_PATH", str(database))  # where the Lambdas' outbox is
    outbox = SqliteSmsOutbox(str(database))
    outbox.send(CALLER, "an earlier text")
    phone = PhoneClient(local.base, CALLER)
    phone.base = local.base
    phone.catch_up()  # a session started now does not print earlier texts
    outbox.send(CALLER, "Your JAM code is 123456. It expires in 5 minutes.")
    outbox.send("+12025550102", "someone else's")
    out = io.StringIO()
    assert run_script(phone, "texts; texts", out) == 0
    assert out.getvalue() == "✉  SMS: Your JAM code is 123456. It expires in 5 minutes.\n"


def test_prompts_are_spoken_as_wav_in_the_callers_language(local: Local) -> None:
    spoken = requests.get(
        local.base + "/speech", params={"text": "Para español, oprima 2.", "language": "es-US"}, timeout=20
    )
    assert spoken.status_code == 200 and spoken.headers["Content-Type"] == "audio/wav"
    assert spoken.content[:4] == b"RIFF" and len(spoken.content) > 10_000
    ssml = requests.get(
        local.base + "/speech",
        params={"text": "<speak>Hello <break time='300ms'/> there</speak>"},
        timeout=20,
    )
    assert ssml.status_code == 200 and ssml.content[:4] == b"RIFF"


def test_without_espeak_the_phone_is_told_prompts_are_text_only(local: Local) -> None:
    from local_connect.speech import Speech

    with serving(create_app(local.runtime, speech=Speech(binary="no-such-espeak"))) as base:
        assert requests.get(base + "/", timeout=10).json()["speech"] is False
        answer = requests.get(base + "/speech", params={"text": "hello"}, timeout=10)
    assert answer.status_code == 503 and answer.json()["error"] == "SpeechUnavailable"


def test_the_local_api_reads_survey_results_from_the_lambdas_sqlite_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stack gives the API the Lambdas' SQLITE_PATH, so /surveys/summary sees what they write."""
    from jam_api.config import Settings
    from jam_api.supervisor.surveys import SurveySummaryService

    from jam_core.tables.surveys import Answer, SqliteSurveys, SurveyResult
    from local_connect.definitions import load_definitions
    from local_connect.server import api_environment

    database = tmp_path / "lambdas.sqlite3"
    monkeypatch.setenv("SQLITE_PATH", str(database))
    env = api_environment(load_definitions(), "http://127.0.0.1:8000")
    assert (env["DATA_BACKEND"], env["SQLITE_PATH"]) == ("sqlite", str(database))
    answers = (Answer.parse("4"), Answer.parse("5"), Answer.parse(""))
    SqliteSurveys(str(database)).record(
        SurveyResult(
            "c-local", "2026-11-24T10:00:00.000Z", "Support - Devices", "agent.support", "en-US", answers
        )
    )
    summary = SurveySummaryService(Settings.from_env(env)).summary()
    assert summary["count"] == 1 and summary["agents"]["agent.support"]["questions"]["Q2"]["average"] == 5.0
