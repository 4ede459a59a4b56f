"""A website call to a closed department, through the real local stack: refused with when it
opens, or placed at the opening when the customer asks "call me when you open"."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import requests

from local_connect.definitions import load_definitions
from tests.e2e.conftest import DETERMINISTIC_ARGS, StackProcess, start_stack

pytestmark = pytest.mark.e2e

JOHN = "+12025550101"
MONDAY_2330 = 8.5 * 3600  # from the stack's start, Monday 15:00 in New York: Support closes at 23:00
UNTIL_TUESDAY_0700 = 7.5 * 3600


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackProcess]:
    running = start_stack(tmp_path_factory.mktemp("call-when-open"), *DETERMINISTIC_ARGS)
    yield running
    running.stop()
    assert "Traceback" not in running.log(), running.log()[-4000:]


def _ask(stack: StackProcess, token: str, **extra: object) -> requests.Response:
    return requests.post(
        stack.base_url + "/api/connect/contact",
        json={
            "destinationPhoneNumber": JOHN,
            "contactFlowId": load_definitions().flows["WebIngressFlow"].id,
            "attributes": {"department": "support", "issue": "devices", "language": "en-US"},
            **extra,
        },
        headers={"Authorization": f"Bearer {token}"},
        timeout=20,
    )


def test_a_closed_department_is_refused_then_called_at_its_opening(stack: StackProcess) -> None:
    token = stack.token("john")
    stack.post("/local/clock", {"advance": MONDAY_2330})

    refused = _ask(stack, token)
    assert refused.status_code == 409, refused.text
    assert refused.json()["nextOpen"] == "2026-01-06T07:00:00-05:00"
    assert stack.get(f"/local/phones/{JOHN}")["ringing"] is False

    accepted = _ask(stack, token, callWhenOpen=True)
    assert accepted.status_code == 202, accepted.text
    request = accepted.json()
    assert request["state"] == "scheduled" and request["estimatedCallAt"] == "2026-01-06T12:00:00+00:00"
    time.sleep(1.0)  # the placing loop polls; nothing may go out before the opening
    assert stack.get(f"/local/phones/{JOHN}")["ringing"] is False

    stack.post("/local/clock", {"advance": UNTIL_TUESDAY_0700 + 1})
    deadline = time.monotonic() + 15
    while not stack.get(f"/local/phones/{JOHN}")["ringing"]:
        assert time.monotonic() < deadline, "the call for the opening was not placed"
        time.sleep(0.2)
    status = requests.get(
        f"{stack.base_url}/api/connect/contact/{request['contactId']}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=20,
    ).json()
    assert status["contactId"] == request["contactId"] and status["state"] == "requested"
