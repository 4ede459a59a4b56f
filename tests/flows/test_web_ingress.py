"""The web ingress flow: the outbound call the website asks for; the API has set the trusted attributes."""

from __future__ import annotations

from pathlib import Path

import pytest

from local_connect.flows.coverage import Coverage
from local_connect.flows.loader import FlowLibrary
from local_connect.flows.testing import FlowHarness, ScriptedCaller
from tests.flows.calls import JOHN, MARIA, STRANGER

pytestmark = pytest.mark.flow_scenario

ISSUES = [
    ("sales", "new-order", "AboutNewOrder", "Sales - New Orders"),
    ("sales", "upgrade", "AboutUpgrade", "Sales - Upgrades"),
    ("accounts", "billing", "AboutBilling", "Accounts - Billing"),
    ("accounts", "profile", "AboutProfile", "Accounts - Profile Changes"),
    ("support", "technical", "AboutTechnical", "Support - Technical"),
    ("support", "devices", "AboutDevices", "Support - Devices"),
]


def web_call(
    center: FlowHarness,
    number: str = JOHN,
    *,
    department: str = "support",
    issue: str = "technical",
    language: str = "en-US",
    name: str = "John Smith",
    verified: str | None = "true",
) -> ScriptedCaller:
    attributes = {
        "CustomerId": "3f1c-sub",
        "CustomerName": name,
        "department": department,
        "issue": issue,
        "language": language,
        "note": "my router blinks red",
    }
    if verified is not None:
        attributes["Verified"] = verified
    return center.dial(number, "WebIngressFlow", to="+18005550100", method="API", attributes=attributes)


@pytest.mark.parametrize(("department", "issue", "prompt", "queue"), ISSUES)
def test_each_issue_is_greeted_and_routed(
    center: FlowHarness, language: str, department: str, issue: str, prompt: str, queue: str
) -> None:
    call = web_call(center, department=department, issue=issue, language=language)
    greeting = call.expect_prompt(prompt, language=language)
    assert greeting.prompt_ids == ("Hello", prompt)
    assert "John Smith." in greeting.text
    call.expect_queue(queue, priority=5)
    call.expect_language(language)
    call.expect_prompts("PositionBefore", "WaitMedium", "Hold")
    assert call.contact.disconnect_flow == center.library.get("SurveyFlow").arn


def test_a_vip_gets_the_higher_priority(center: FlowHarness, language: str) -> None:
    call = web_call(center, MARIA, department="sales", issue="upgrade", language="es-US", name="Maria Garcia")
    greeting = call.expect_prompt("AboutUpgrade", language="es-US")
    assert greeting.text.startswith("Hola Maria Garcia.")
    call.expect_queue("Sales - Upgrades", priority=1)
    call.expect_attributes(VIP="true", Verified="true")


@pytest.mark.parametrize(
    ("department", "queue"),
    [("sales", "Sales - New Orders"), ("accounts", "Accounts - Billing"), ("other", "Support - Technical")],
)
def test_an_unknown_issue_routes_by_department(
    center: FlowHarness, language: str, department: str, queue: str
) -> None:
    call = web_call(center, department=department, issue="something-new", language=language)
    call.expect_prompt("AboutGeneral")
    call.expect_queue(queue)


@pytest.mark.parametrize("verified", [None, "false"])
def test_an_unverified_request_is_refused(center: FlowHarness, language: str, verified: str | None) -> None:
    call = web_call(center, language=language, verified=verified)
    call.expect_prompt("NotVerified", language="en-US")  # the caller's language is not trusted either
    call.expect_disconnected()
    assert call.contact.queue_arn is None


def test_refusal_without_prompts_just_hangs_up(center: FlowHarness, language: str) -> None:
    center.lambdas.fail("PromptsFunction")
    call = web_call(center, verified="false", language=language)
    call.expect_silence()
    call.expect_disconnected()


def test_a_team_that_closed_meanwhile(center: FlowHarness, language: str) -> None:
    center.set_local_time("2026-01-05 17:45")  # Accounts closes at 17:30
    call = web_call(center, department="accounts", issue="billing", language=language)
    call.expect_prompts("AboutBilling", "Closed")
    call.expect_disconnected()


def test_a_full_queue(center: FlowHarness, language: str) -> None:
    center.center.capacity[center.queue_arn("Support - Technical")] = 0
    call = web_call(center, language=language)
    call.expect_prompts("AboutTechnical", "QueueFull")
    call.expect_disconnected()


def test_a_failed_transfer(center: FlowHarness, language: str) -> None:
    center.center.fail("transfer_to_queue")
    call = web_call(center, language=language)
    call.expect_prompts("AboutTechnical", "TransferError")
    call.expect_disconnected()


@pytest.mark.parametrize(("department", "issue", "prompt", "queue"), ISSUES)
def test_a_queue_that_cannot_be_set(
    center: FlowHarness, language: str, department: str, issue: str, prompt: str, queue: str
) -> None:
    center.center.fail("set_routing")
    call = web_call(center, department=department, issue=issue, language=language)
    call.expect_prompts(prompt, "TransferError")
    call.expect_disconnected()


def test_lookup_down_means_no_vip_priority(center: FlowHarness, language: str) -> None:
    center.lambdas.fail("CustomerLookupFunction")
    call = web_call(center, MARIA, name="Maria Garcia", language=language)
    call.expect_prompt("AboutTechnical")
    call.expect_queue("Support - Technical", priority=5)


def test_vip_that_cannot_be_saved_means_no_vip_priority(center: FlowHarness, language: str) -> None:
    center.center.fail("update_attributes")
    call = web_call(center, MARIA, name="Maria Garcia", language=language)
    call.expect_queue("Support - Technical", priority=5)


def test_priority_that_cannot_be_set(center: FlowHarness, language: str) -> None:
    center.center.fail("set_routing", times=2)  # the queue first, then the priority
    call = web_call(center, MARIA, name="Maria Garcia", language=language)
    call.expect_prompts("AboutTechnical", "TransferError")
    center.center.fail("set_routing", times=0)
    call = web_call(center, MARIA, name="Maria Garcia", language=language)
    call.expect_queue("Support - Technical", priority=1)


def test_priority_failure_alone_keeps_normal_priority(center: FlowHarness, language: str) -> None:
    arn = center.queue_arn("Support - Technical")
    original = center.center.set_routing
    calls = []

    def set_routing(contact_id: str, **kwargs: object) -> None:
        calls.append(kwargs)
        if kwargs.get("priority") is not None:
            center.center.fail("set_routing")
        original(contact_id, **kwargs)  # type: ignore[arg-type]

    center.center.set_routing = set_routing  # type: ignore[method-assign]
    call = web_call(center, MARIA, name="Maria Garcia", language=language)
    call.expect_queue("Support - Technical", priority=5)
    assert calls[0] == {"queue_arn": arn}


def test_prompts_down_still_routes_without_words(center: FlowHarness, language: str) -> None:
    center.lambdas.fail("PromptsFunction", times=2)
    call = web_call(center, issue="devices", language=language)
    call.expect_queue("Support - Devices")
    assert all("External" not in p.text for p in call.prompts)


@pytest.mark.parametrize("language", ["en-US", "es-US"])
def test_language_that_cannot_be_set_keeps_the_default(center: FlowHarness, language: str) -> None:
    center.center.fail("update_contact_data")
    call = web_call(center, language=language)
    call.expect_language("en-US")
    call.expect_queue("Support - Technical")


def test_hours_unavailable_lets_the_queue_decide(center: FlowHarness, language: str) -> None:
    center.center.fail("hours_open")
    call = web_call(center, language=language)
    call.expect_queue("Support - Technical")


def test_hooks_that_cannot_be_set_still_transfer(
    database: Path, library: FlowLibrary, coverage: Coverage, language: str
) -> None:
    partial = FlowLibrary({f.key: f for f in library if f.key != "CustomerQueueFlow"})
    center = FlowHarness(database, coverage=coverage, library=partial)
    center.set_local_time("2026-01-05 10:00")
    center.center.fail("set_disconnect_flow")
    call = web_call(center, STRANGER, name="Sam Doe", language=language)
    call.expect_queue("Support - Technical")
    call.expect_flow_ended()
    call.expect_language(language)
    assert call.contact.disconnect_flow is None
