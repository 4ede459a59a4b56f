"""End to end: a caller reaching a closed department hears when it opens next.

Through the real stack only (`python -m local_connect serve` as a subprocess): the inbound flow
invokes the hours_status Lambda in-process, the Lambda calls the stack's own /connect-api with an
unmodified boto3 client over HTTP while the flow holds the runtime lock (the twin answers hours
reads without that lock; otherwise the call would wait out the Lambda's timeouts and the caller
would hear the message without a time), and it judges the runtime's clock, moved by POST /local/clock.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from local_connect.numbers import INBOUND_NUMBER
from tests.e2e.conftest import StackProcess, start_stack
from tests.e2e.test_local_connect_calls import Phone

pytestmark = pytest.mark.e2e

SATURDAY_NOON_NEW_YORK = "1768064400"  # 2026-01-10 12:00 America/New_York: Sales open until 17:00
CALLER = "+12025550103"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackProcess]:
    running = start_stack(
        tmp_path_factory.mktemp("hours"), "--clock-start", SATURDAY_NOON_NEW_YORK, "--clock-control"
    )
    yield running
    running.stop()
    assert "Traceback" not in running.log(), running.log()[-4000:]


def call_sales(phone: Phone) -> None:
    """Dial in and choose Sales: its hours are checked at once, before its sub-menu."""
    phone.do("dial", {"to": INBOUND_NUMBER})
    phone.answer_prompt("LanguageOffer", "1")  # not 2: stay in English
    phone.answer_prompt("MainMenu", "1")


def test_after_closing_time_the_caller_hears_monday_morning(stack: StackProcess) -> None:
    phone = Phone(stack, CALLER)
    # Saturday 18:00: Sales closed at 17:00 and has no Sunday hours.
    now = stack.post("/local/clock", {"advance": 6 * 3600})["now"]  # the clock also runs in real time
    assert 0 <= now - (float(SATURDAY_NOON_NEW_YORK) + 6 * 3600) < 60
    started = time.monotonic()
    call_sales(phone)
    closed = phone.wait("prompt", promptId="ClosedSales")
    assert closed["text"] == "Our sales team is closed now and opens again Monday at 8:00 AM Eastern time."
    assert time.monotonic() - started < 5  # no lock wait: the Lambda's timeouts alone would be ~3 s
    offer = phone.wait("prompt", promptId="CallbackOffer")
    assert offer["expectsInput"]
    phone.do("digits", {"digits": "2"})
    phone.wait("prompt", promptId="Goodbye")
    phone.wait("call_ended")
