"""Each PIN check answers before Amazon Connect stops waiting for it.

The flow's Invoke AWS Lambda function block waits InvocationTimeLimitSeconds (8 s, the most Connect
allows; flows/inbound.json) and otherwise takes its Error branch, with none of our reply. A check
can make three AWS calls (GetItem, GetSecretValue on the first keyed check of a container, then
UpdateItem), each allowed two attempts of up to 2.5 s by the clients' timeouts: 15 s at worst. So
the check runs in a worker thread and the handler waits for it at most the invocation's budget:

* DEFAULT_BUDGET_S, 6 s: below the block's 8 s, leaving Connect's own round trip and a cold start;
* less when the function has less time left (context.get_remaining_time_in_millis(), minus
  SAFETY_MARGIN_S to write the reply), so the Lambda Timeout never cuts the answer off either.

On AWS (DATA_BACKEND=dynamodb) only: the local SQLite file has no network to wait on (and its
connections are per thread). Past the budget the caller gets the defined fallback (error `deadline_exceeded`). The worker is
not abandoned half-way on purpose: a wrong PIN it has already judged is still counted when its
UpdateItem returns (in this invocation or, as Lambda freezes the container between invocations,
at the start of the next), so slowing AWS down never buys a caller uncounted guesses.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

FLOW_TIME_LIMIT_S = 8.0  # Connect's maximum InvocationTimeLimitSeconds, which the flow uses
DEFAULT_BUDGET_S = 6.0
SAFETY_MARGIN_S = 0.5


def budget_seconds(context: Any) -> float:
    """How long this invocation may take to answer: the default, or less if the function has less."""
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    if not callable(remaining):
        return DEFAULT_BUDGET_S
    return max(0.0, min(DEFAULT_BUDGET_S, remaining() / 1000.0 - SAFETY_MARGIN_S))


class DeadlineExceeded(Exception):
    """The work did not finish within the budget (it goes on in its thread)."""


def run_within(work: Callable[[], T], budget: float) -> T:
    """`work()`'s result if it finishes within `budget` seconds; DeadlineExceeded otherwise.
    An exception raised by `work` is raised here."""
    outcome: dict[str, Any] = {}

    def worker() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # handed to the waiting invocation
            outcome["error"] = exc

    thread = threading.Thread(target=worker, name="pin-check", daemon=True)
    thread.start()
    thread.join(budget)
    if thread.is_alive():
        raise DeadlineExceeded(f"no answer within {budget:.2f} s")
    if "error" in outcome:
        raise outcome["error"]
    value: T = outcome["value"]
    return value
