"""Click-to-call past Connect's quota: a burst of "call me" clicks against the real local stack.

Method: `python -m local_connect serve --throttle` (the Connect twin answers ThrottlingException past
2 StartOutboundVoiceContact requests a second, bursts of 5: Connect's default quota) in a
subprocess. CALL_BURST customers (each with an ID token signed by the stack's local Cognito, for
their own verified number) each press "call me" once, spread evenly over BURST_SECONDS, through the
real API over HTTP (8 client threads). Each answer's time, state and estimatedCallAt are kept;
then the stack's CallRequests table (its SQLite file, what the status route reads) is watched
until every request is placed or failed. Goals ([scale]): 0 x 5xx, 0 lost, all placed in the
order accepted within about CALL_BURST / 2 seconds, each estimate within 20 % of the real wait
(with a 1 s floor for calls placed at once).

CALL_BURST (default 1000) and BURST_SECONDS (default 10) can be set in the environment; the
default run takes about 9 minutes because the quota is the point.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

import phonenumbers
import requests

from local_connect.cognito import LOCAL_CLIENT_ID, issuer_for
from local_connect.cognito.keys import load_or_create_signing_key
from local_connect.cognito.tokens import DEFAULT_SCOPE, TokenMinter
from local_connect.cognito.users import User
from local_connect.definitions import load_definitions
from local_connect.loadtest.stack import start_stack

CALL_BURST = int(os.environ.get("CALL_BURST", "1000"))
BURST_SECONDS = float(os.environ.get("BURST_SECONDS", "10"))
AREA_CODES = ("202", "305", "415", "617", "713", "312", "212", "213", "214", "215", "216", "303", "404")


def _numbers(count: int) -> list[str]:
    found: list[str] = []
    for area in AREA_CODES:
        for line in range(100, 200):
            number = f"+1{area}555{line:04d}"
            if phonenumbers.is_valid_number(phonenumbers.parse(number)):
                found.append(number)
            if len(found) == count:
                return found
    raise RuntimeError(f"only {len(found)} valid test numbers for {count} customers")


def _epoch(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


def run() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        # The stack the load test runs too (Monday 15:00 in New York: every department is open).
        stack = start_stack(Path(tmp), "--throttle")
        try:
            return _measure(stack.state_dir, stack.base_url)
        finally:
            stack.stop()


def _measure(state: Path, base: str) -> str:
    minter = TokenMinter(load_or_create_signing_key(state / "cognito"), issuer_for(base))
    numbers = _numbers(CALL_BURST)
    flow_id = load_definitions().flows["WebIngressFlow"].id
    tokens = [
        minter.pair(
            User(f"bench{i}", str(uuid.uuid4()), {"phone_number": n, "phone_number_verified": True}),
            LOCAL_CLIENT_ID,
            DEFAULT_SCOPE,
            int(time.time()),
        )[0]
        for i, n in enumerate(numbers)
    ]
    session = requests.Session()
    started = time.time()

    def ask(i: int) -> tuple[float, int, dict[str, Any]]:
        time.sleep(max(0.0, started + i * BURST_SECONDS / CALL_BURST - time.time()))
        answer = session.post(
            f"{base}/api/connect/contact",
            json={
                "destinationPhoneNumber": numbers[i],
                "contactFlowId": flow_id,
                "attributes": {"department": "support", "issue": "technical", "language": "en-US"},
            },
            headers={"Authorization": f"Bearer {tokens[i]}", "Idempotency-Key": f"bench-request-{i:05d}"},
            timeout=30,
        )
        body = answer.json() if answer.headers.get("Content-Type", "").endswith("json") else {}
        return time.time(), answer.status_code, body

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(ask, range(CALL_BURST)))
    accepted_in = max(t for t, _, _ in answers) - started
    statuses = [code for _, code, _ in answers]
    queued = {body["contactId"]: (t, body) for t, code, body in answers if body.get("state") == "scheduled"}

    database = sqlite3.connect(state / "jam.sqlite3")
    deadline = time.time() + CALL_BURST / 2 * 2 + 120
    rows: list[tuple[str, str, float | None, int]] = []
    while time.time() < deadline:
        rows = [
            (rid, st, _finished(item), seq)
            for rid, st, item, seq in database.execute(
                "SELECT request_id, state, item, seq FROM call_requests ORDER BY seq"
            )
        ]
        if rows and all(st != "scheduled" for _, st, _, _ in rows):
            break
        time.sleep(2)
    finished_all = time.time() - started
    placed = [r for r in rows if r[1] == "placed"]
    failed = [r for r in rows if r[1] == "failed"]
    lost = CALL_BURST - (statuses.count(202) - len(queued)) - len(placed) - len(failed)
    finish_times = [r[2] or 0.0 for r in placed]
    in_order = finish_times == sorted(finish_times)
    errors: list[float] = []
    for request_id, _, finished_at, _ in placed:
        accepted_at, body = queued[request_id]
        wait = max(1.0, (finished_at or 0.0) - accepted_at)
        errors.append(abs(_epoch(body["estimatedCallAt"]) - (finished_at or 0.0)) / wait)
    within = sum(e <= 0.2 for e in errors)
    return f"""## calls

Click-to-call past Connect's outbound quota ([scale]). {__doc__.split("Method: ", 1)[1].split("CALL_BURST (", 1)[0].strip()}

| measure | result | goal |
| --- | --- | --- |
| requests | {CALL_BURST} from {CALL_BURST} customers, accepted in {accepted_in:.1f} s | 1,000 in 10 s |
| answers | {statuses.count(202)} x 202 ({CALL_BURST - len(queued)} placed at once, {len(queued)} scheduled), {sum(s >= 500 for s in statuses)} x 5xx, {sum(400 <= s < 500 for s in statuses)} x 4xx | 0 x 5xx |
| lost | {lost} | 0 |
| placed / failed | {len(placed)} / {len(failed)} | all placed |
| placed in the order accepted | {"yes" if in_order else "no"} | yes |
| last call placed after | {finished_all:.0f} s | about {CALL_BURST / 2:.0f} s |
| estimates within 20 % of the real wait | {within} of {len(errors)} (median error {100 * statistics.median(errors or [0]):.1f} %, worst {100 * max(errors or [0]):.1f} %) | every one |
"""


def _finished(item: str) -> float | None:
    import json

    value = json.loads(item).get("FinishedAt")
    return float(value) if value is not None else None
