"""Fuzzed events: whatever arrives, no exception escapes and the reply is a flat map of strings.

Two kinds of input: any JSON-like value at all, and events shaped like Connect's with arbitrary
values in every slot the handlers read. Examples are derandomised so the suite is deterministic.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from customer_lookup.handler import lambda_handler as customer_lookup
from hours_status import handler as hours_status_module
from hours_status.handler import lambda_handler as hours_status
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pin_verification.handler import lambda_handler as pin_verification
from prompts.handler import lambda_handler as prompts
from survey.handler import lambda_handler as survey

from jam_core.connect_lambda.settings import Settings
from jam_core.tables import pepper, repositories, sqlite_db
from jam_core.tables.pin_hash import hash_pin
from local_connect.definitions import load_definitions
from local_connect.flows.testing import DefinitionsTwin

HANDLERS: dict[str, Callable[..., Any]] = {
    "customer_lookup": customer_lookup,
    "prompts": prompts,
    "survey": survey,
    "pin_verification": pin_verification,
    "hours_status": hours_status,
}
TWIN_DEFINITIONS = load_definitions()
SALES_HOURS_ARN = TWIN_DEFINITIONS.hours["SalesHours"].arn
PARAMETER_NAMES = [
    "PhoneNumber",
    "ContactFlowName",
    "LanguageCode",
    "Q1",
    "Q2",
    "Q3",
    "QueueName",
    "AgentUserName",
    "Pin",
    "HoursOfOperationArn",
    "HoursOfOperationId",
]
CONTACT_FIELDS = [
    "ContactId",
    "CustomerEndpoint",
    "SystemEndpoint",
    "InitiationMethod",
    "Queue",
    "LanguageCode",
    "InstanceARN",
]

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40)
json_like = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)
# Text that sometimes looks like what the handlers expect: numbers, digits, flow names, languages.
plausible_text = st.sampled_from(
    [
        "+12025550100",
        "2025550100",
        "+1555",
        "1234",
        "0000",
        "5",
        "",
        "JAM Inbound",
        "es-US",
        "anonymous",
        SALES_HOURS_ARN,  # reaches the Connect twin below and answers for real
        SALES_HOURS_ARN.rsplit("/", 1)[1],
        TWIN_DEFINITIONS.instance_arn,
        "arn:aws:connect:us-east-1:123456789012:instance/x/operating-hours/y",
    ]
) | st.text(max_size=40)
slot = plausible_text | json_like
endpoint = st.fixed_dictionaries({"Address": slot, "Type": slot}) | json_like
connect_shaped = st.fixed_dictionaries(
    {
        "Name": st.just("ContactFlowEvent") | json_like,
        "Details": st.fixed_dictionaries(
            {
                "ContactData": st.fixed_dictionaries(
                    {},
                    optional={
                        "ContactId": slot,
                        "CustomerEndpoint": endpoint,
                        "SystemEndpoint": endpoint,
                        "InitiationMethod": slot,
                        "Queue": st.fixed_dictionaries({"Name": slot}) | json_like,
                        "LanguageCode": slot,
                        "InstanceARN": slot,
                    },
                )
                | json_like,
                "Parameters": st.dictionaries(
                    st.sampled_from(PARAMETER_NAMES) | st.text(max_size=10), slot, max_size=6
                )
                | json_like,
            }
        )
        | json_like,
    }
)
events = connect_shaped | json_like


@pytest.fixture(scope="module")
def connect_twin() -> Iterator[str]:
    twin = DefinitionsTwin(TWIN_DEFINITIONS)
    yield twin.url
    twin.close()


@pytest.fixture(autouse=True)
def _hours_from_the_twin(connect_twin: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """hours_status reads real hours over HTTP from the Connect twin (any other ARN: not found)."""
    monkeypatch.setenv("CONNECT_ENDPOINT_URL", connect_twin)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "local")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "local")
    hours_status_module.clear_cache()


@pytest.fixture
def seeded(backend: Settings) -> Iterator[None]:
    settings_ = backend
    repositories.customers(settings_).put({"PhoneNumber": "+12025550100", "FirstName": "Maria", "VIP": True})
    repositories.prompts(settings_).put(
        {
            "ContactFlowName": "JAM Inbound",
            "Prompts": [{"Id": "Welcome", "PromptText": {"en-US": "Hi", "es-US": "Hola"}}],
        }
    )
    repositories.pins(settings_).enroll("+12025550100", hash_pin("1234", pepper.get(settings_)))
    yield
    sqlite_db.close_all()


@pytest.mark.parametrize("name", sorted(HANDLERS))
@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(event=events, context=st.none() | json_like)
def test_no_exception_escapes_and_reply_is_flat_strings(
    seeded: None, capsys: pytest.CaptureFixture[str], name: str, event: Any, context: Any
) -> None:
    reply = HANDLERS[name](event, context)
    assert isinstance(reply, dict)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in reply.items()), reply
    # The safety net (connect_handler's fallback) must not be what saved the call: every input is
    # handled by the handler's own logic. readouterr() also keeps the capture from growing.
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines and not [line for line in lines if line["event"] == "handler_failed"], lines
