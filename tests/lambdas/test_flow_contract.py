"""The flows call the Lambdas as the Lambdas expect: known parameters, known prompt sets, time to answer.

Reads the flow files (flows/*.json) and the prompts seed; a flow passing a parameter no handler
reads, or naming a prompt set that does not exist, would silently get a fallback on every call.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import customer_lookup.handler
import hours_status.handler
import otp_verification.handler
import pin_verification.handler
import prompts.handler
import pytest
import survey.handler

from jam_core.aws_sdk import connect
from jam_core.tables import dynamo
from scripts import seed as seed_script

REPO = Path(__file__).resolve().parents[2]
FLOW_FILES = sorted((REPO / "flows").glob("*.json"))
ACCEPTS = {
    "CustomerLookupFunction": customer_lookup.handler.PARAMETERS,
    "PromptsFunction": prompts.handler.PARAMETERS,
    "SurveyFunction": survey.handler.PARAMETERS,
    "PinVerificationFunction": pin_verification.handler.PARAMETERS,
    "HoursStatusFunction": hours_status.handler.PARAMETERS,
    "OtpVerificationFunction": otp_verification.handler.PARAMETERS,
}
ARN = re.compile(r"^\$\{(\w+)\.Arn\}$")


def invocations() -> list[tuple[str, str, dict[str, Any]]]:
    """(flow file, function logical id, block parameters) for every Lambda the flows invoke."""
    found = []
    for path in FLOW_FILES:
        for action in json.loads(path.read_text(encoding="utf-8")).get("Actions", []):
            if action.get("Type") == "InvokeLambdaFunction":
                match = ARN.match(action["Parameters"]["LambdaFunctionARN"])
                assert match, f"{path.name}: Lambda ARN is not a template placeholder"
                found.append((path.name, match.group(1), action["Parameters"]))
    return found


INVOCATIONS = invocations()


def test_the_flows_invoke_every_lambda() -> None:
    assert {function for _, function, _ in INVOCATIONS} == set(ACCEPTS)


@pytest.mark.parametrize(("flow", "function", "block"), INVOCATIONS)
def test_each_invocation_passes_only_parameters_the_handler_reads(
    flow: str, function: str, block: dict[str, Any]
) -> None:
    passed = set(block.get("LambdaInvocationAttributes", {}))
    assert passed <= ACCEPTS[function], f"{flow} -> {function}: {sorted(passed - ACCEPTS[function])}"
    assert block.get("ResponseValidation", {}).get("ResponseType") == "STRING_MAP"
    # The handler's own worst case (timeouts, one retry with up to 1 s of backoff, per call to
    # DynamoDB or Connect) ends before the block gives up.
    client: Any = connect if function == "HoursStatusFunction" else dynamo
    calls = connect.CALLS_PER_INVOCATION if client is connect else 1
    attempts = client.TOTAL_ATTEMPTS
    worst_case = calls * ((client.CONNECT_TIMEOUT_S + client.READ_TIMEOUT_S) * attempts + (attempts - 1))
    assert float(block["InvocationTimeLimitSeconds"]) > worst_case


def test_every_prompt_set_the_flows_ask_for_is_seeded() -> None:
    asked = {
        block["LambdaInvocationAttributes"]["ContactFlowName"]
        for _, function, block in INVOCATIONS
        if function == "PromptsFunction"
    }
    seeded = {item["ContactFlowName"] for item in seed_script.read_seed().prompts}
    assert asked and asked <= seeded, sorted(asked - seeded)
