"""Click-to-call past Connect's outbound quota, through the real local stack: every request is
accepted, waits its turn in the stack's SQLite file, survives kill -9, and is placed once, in order.

The stack runs with the Connect twin throttled (--throttle: 2 req/s, burst 5, Connect's default
quota) and a slow placer (--connect-call-rate 0.5), so requests are still waiting when it is killed.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import requests

from local_connect.definitions import load_definitions
from tests.e2e.conftest import StackProcess, start_stack

pytestmark = pytest.mark.e2e

CUSTOMERS = {"maria": "+12025550100", "john": "+12025550101", "priya": "+12025550102"}
STACK_ARGS = ("--throttle", "--connect-call-rate", "0.5", "--clock-start", "1767643200")


def _ask(stack: StackProcess, token: str, number: str, key: str) -> requests.Response:
    return requests.post(
        stack.base_url + "/api/connect/contact",
        json={
            "destinationPhoneNumber": number,
            "contactFlowId": load_definitions().flows["WebIngressFlow"].id,
            "attributes": {"department": "support", "issue": "technical", "language": "en-US"},
        },
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key},
        timeout=20,
    )


def _status(stack: StackProcess, token: str, contact_id: str) -> dict[str, Any]:
    answer = requests.get(
        f"{stack.base_url}/api/connect/contact/{contact_id}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=20,
    )
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def test_a_burst_of_click_to_calls_is_all_accepted_and_placed_once_in_order_across_kill_9(
    tmp_path: Path,
) -> None:
    state = tmp_path / "stack"
    stack = start_stack(state, *STACK_ARGS)
    try:
        tokens = {name: stack.token(name) for name in CUSTOMERS}
        accepted: list[tuple[str, str]] = []  # (customer, contactId) in the order accepted
        for round_number in range(3):  # 9 requests: the per-customer limit is 3 in 10 minutes
            for name, number in CUSTOMERS.items():
                answer = _ask(stack, tokens[name], number, f"burst-request-{round_number}")
                assert answer.status_code == 202, answer.text  # never a 429 for the quota
                accepted.append((name, answer.json()["contactId"]))
        waiting = [(n, c) for n, c in accepted if c.startswith("req-")]
        assert len(waiting) >= 3, accepted  # past the burst, requests wait instead of failing
        first_wait = _status(stack, tokens[waiting[0][0]], waiting[0][1])
        assert first_wait["state"] == "scheduled" and first_wait["positionInQueue"] >= 1
        port = stack.port
    finally:
        stack.kill()  # kill -9 with requests still waiting

    stack = start_stack(state, *STACK_ARGS, port=port)
    try:
        deadline = time.monotonic() + 60
        statuses: dict[str, dict[str, Any]] = {}
        while time.monotonic() < deadline:
            statuses = {c: _status(stack, tokens[n], c) for n, c in waiting}
            if all(s["state"] not in ("scheduled",) for s in statuses.values()):
                break
            time.sleep(0.5)
        assert all(s["state"] != "scheduled" for s in statuses.values()), statuses
        assert all(s["state"] != "failed" for s in statuses.values()), statuses
        # Placed in the order accepted: each call was initiated no earlier than the one before it.
        initiated = [statuses[c]["initiatedAt"] for _, c in waiting]
        assert initiated == sorted(initiated)
        # Once each: the twin holds exactly one API contact per request (inline ones included).
        records = stack.get("/local/contacts", params={"limit": 100})["contacts"]
        placed = [r for r in records if r["InitiationMethod"] == "API"]
        assert len(placed) == len(accepted)
    finally:
        stack.stop()
