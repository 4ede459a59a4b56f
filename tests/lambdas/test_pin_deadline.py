"""The PIN Lambda answers within its deadline even when AWS is slow.

AWS is a real HTTP server on loopback that speaks DynamoDB's and Secrets Manager's JSON protocols
for the three calls a check makes (GetItem, GetSecretValue, UpdateItem) and sleeps before each
answer; the handler's own boto3 clients reach it through AWS_ENDPOINT_URL_*.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pin_verification.handler
import pytest
from pin_verification import deadline

from jam_core.tables.pin_hash import hash_pin
from tests.lambdas.conftest import REGION, connect_event

FLOWS = Path(__file__).resolve().parents[2] / "flows"
CALLER = connect_event()["Details"]["ContactData"]["CustomerEndpoint"]["Address"]
PEPPER = "p" * 64
SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:jam-pin-pepper-AbCdEf"


class Context:
    """The part of the Lambda context the handler reads."""

    def __init__(self, remaining_ms: int) -> None:
        self._deadline = time.monotonic() + remaining_ms / 1000

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


class SlowAws:
    """Answers after `delay` seconds; records each operation (X-Amz-Target) as it answers."""

    def __init__(self) -> None:
        self.delay = 0.0
        self.answered: list[str] = []
        stored = hash_pin("1234", PEPPER.encode())
        self.item = {
            "PhoneNumber": {"S": CALLER},
            "PinSalt": {"S": stored.salt},
            "PinHash": {"S": stored.digest},
            "PinIterations": {"N": "0"},
            "PinScheme": {"S": stored.scheme},
            "FailedAttempts": {"N": "0"},
        }

    def answer(self, target: str) -> dict[str, Any]:
        operation = target.rsplit(".", 1)[-1]
        if operation == "GetItem":
            return {"Item": self.item}
        if operation == "UpdateItem":
            return {"Attributes": {"FailedAttempts": {"N": "1"}}}
        if operation == "GetSecretValue":
            return {"ARN": SECRET_ARN, "Name": "jam-pin-pepper", "SecretString": PEPPER}
        raise AssertionError(f"unexpected {target}")


@pytest.fixture
def slow_aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[SlowAws]:
    aws = SlowAws()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            target = self.headers.get("X-Amz-Target", "")
            time.sleep(aws.delay)
            body = json.dumps(aws.answer(target)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/x-amz-json-1.1")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            aws.answered.append(target.rsplit(".", 1)[-1])

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    endpoint = f"http://127.0.0.1:{server.server_port}"
    for name, value in {
        "DATA_BACKEND": "dynamodb",
        "AWS_ENDPOINT_URL_DYNAMODB": endpoint,
        "AWS_ENDPOINT_URL_SECRETS_MANAGER": endpoint,
        "PIN_PEPPER_SECRET_ARN": SECRET_ARN,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }.items():
        monkeypatch.setenv(name, value)
    yield aws
    server.shutdown()
    thread.join(timeout=5)


def check(pin: str, context: Any) -> tuple[dict[str, str], float]:
    started = time.monotonic()
    reply = pin_verification.handler.lambda_handler(connect_event({"Pin": pin}), context)
    return reply, time.monotonic() - started


def wait_for(aws: SlowAws, operation: str, seconds: float = 10.0) -> None:
    until = time.monotonic() + seconds
    while operation not in aws.answered and time.monotonic() < until:
        time.sleep(0.02)


def test_three_slow_calls_answer_the_fallback_within_the_deadline(slow_aws: SlowAws) -> None:
    # GetItem, GetSecretValue, UpdateItem at 0.4 s each: 1.2 s, past a 1.0 s budget (1.5 s left).
    slow_aws.delay = 0.4
    reply, took = check("9999", Context(1500))
    assert reply == {**pin_verification.handler.FALLBACK, "error": "deadline_exceeded"}
    assert took < 1.2  # answered before the third call did
    # The wrong PIN is still counted when its UpdateItem returns: slowness buys no free guesses.
    wait_for(slow_aws, "UpdateItem")
    assert slow_aws.answered == ["GetItem", "GetSecretValue", "UpdateItem"]


def test_a_hung_first_call_answers_the_fallback_within_the_deadline(slow_aws: SlowAws) -> None:
    slow_aws.delay = 1.2  # under the client's 1.5 s read timeout: no retry, just slow
    reply, took = check("1234", Context(1000))  # 0.5 s budget
    assert reply["error"] == "deadline_exceeded" and reply["verified"] == "false"
    assert took < 1.2
    assert slow_aws.answered == []  # nothing had answered when the caller got the fallback
    wait_for(slow_aws, "GetSecretValue")  # the check finishes on its own (a right PIN: no write)
    time.sleep(0.1)
    assert slow_aws.answered == ["GetItem", "GetSecretValue"]


def test_aws_in_time_answers_the_real_reply(slow_aws: SlowAws) -> None:
    slow_aws.delay = 0.01
    assert check("1234", Context(8000))[0] == {
        "verified": "true",
        "locked": "false",
        "attemptsRemaining": "3",
        "enrolled": "true",
    }
    wrong, _ = check("9999", None)  # no context: the default budget
    assert (wrong["verified"], wrong["attemptsRemaining"]) == ("false", "2")


def test_the_budget_follows_the_context_and_defaults_below_connects_limit() -> None:
    assert deadline.budget_seconds(None) == deadline.DEFAULT_BUDGET_S
    assert deadline.budget_seconds(Context(8000)) == deadline.DEFAULT_BUDGET_S
    assert deadline.budget_seconds(Context(3000)) == pytest.approx(2.5, abs=0.05)
    assert deadline.budget_seconds(Context(100)) == 0.0


def test_the_default_budget_is_below_the_flows_invocation_limit() -> None:
    limits = [
        float(action["Parameters"]["InvocationTimeLimitSeconds"])
        for path in sorted(FLOWS.glob("*.json"))
        for action in json.loads(path.read_text(encoding="utf-8")).get("Actions", [])
        if action.get("Type") == "InvokeLambdaFunction"
        and "PinVerificationFunction" in action["Parameters"]["LambdaFunctionARN"]
    ]
    assert limits, "no flow invokes the PIN Lambda"
    assert all(deadline.DEFAULT_BUDGET_S < limit <= deadline.FLOW_TIME_LIMIT_S for limit in limits)


def test_an_error_in_the_work_is_raised_not_swallowed() -> None:
    def boom() -> None:
        raise ValueError("broken")

    with pytest.raises(ValueError, match="broken"):
        deadline.run_within(boom, 1.0)
