"""Per-language coverage: which steps a session in each language can reach, and the gate built on it."""

from __future__ import annotations

from typing import Any

from local_connect.flows.coverage import (
    NEXT,
    Coverage,
    condition_label,
    error_label,
    flow_languages,
    report,
    required_languages,
)
from local_connect.flows.loader import FlowLibrary, load_flow
from local_connect.flows.model import Flow


def flow(key: str, *actions: dict[str, Any]) -> Flow:
    document = {"Version": "2019-10-30", "StartAction": actions[0]["Identifier"], "Actions": list(actions)}
    return load_flow(document, key=key, arn=f"arn:flow/{key}").flow


def act(
    identifier: str, type_: str, params: dict[str, Any] | None = None, **transitions: Any
) -> dict[str, Any]:
    return {"Identifier": identifier, "Type": type_, "Parameters": params or {}, "Transitions": transitions}


def set_language(identifier: str, code: str, target: str, failed: str | None = None) -> dict[str, Any]:
    # A failure that leads elsewhere than success, so both are branches of their own (coverage
    # counts a NextAction that leads where an error leads as one branch).
    return act(
        identifier,
        "UpdateContactData",
        {"LanguageCode": code},
        NextAction=target,
        Errors=[{"ErrorType": "NoMatchingError", "NextAction": failed or target}],
    )


# welcome -> offer: "2" -> spanish (sets es-US) -> hooks; timeout -> hooks. hooks names the survey.
OFFER = act(
    "offer",
    "GetParticipantInput",
    {"Text": "para español oprima 2"},
    NextAction="hooks",
    Conditions=[{"NextAction": "spanish", "Condition": {"Operator": "Equals", "Operands": ["2"]}}],
    Errors=[{"ErrorType": "InputTimeLimitExceeded", "NextAction": "hooks"}],
)
ENTRY = flow(
    "Entry",
    act("welcome", "MessageParticipant", {"Text": "Welcome"}, NextAction="offer"),
    OFFER,
    set_language("spanish", "es-US", "hooks", failed="bye"),
    act(
        "hooks",
        "UpdateContactEventHooks",
        {"EventHooks": {"CustomerRemaining": "arn:flow/Survey"}},
        NextAction="bye",
    ),
    act("bye", "DisconnectParticipant"),
)
SURVEY = flow(
    "Survey",
    act("thanks", "MessageParticipant", {"Text": "Thanks"}, NextAction="end"),
    act("end", "DisconnectParticipant"),
)


def required(*flows: Flow) -> dict[str, dict[tuple[str, str], frozenset[str]]]:
    library = FlowLibrary({f.key: f for f in flows})
    return required_languages(flows, flow_languages(flows), library.find)


def test_the_steps_before_the_choice_run_in_the_start_language_only() -> None:
    entry = required(ENTRY, SURVEY)["Entry"]
    english, both = frozenset({"en-US"}), frozenset({"en-US", "es-US"})
    assert entry[("welcome", "")] == entry[("offer", "")] == english
    assert (
        entry[("offer", condition_label(0))]
        == entry[("offer", error_label("InputTimeLimitExceeded"))]
        == english
    )
    assert entry[("spanish", "")] == english  # it runs before the language changes
    assert entry[("spanish", NEXT)] == frozenset({"es-US"})  # the branch out is taken in Spanish
    assert entry[("spanish", error_label("NoMatchingError"))] == english  # a failed change keeps English
    assert entry[("hooks", "")] == entry[("bye", "")] == both


def test_a_flow_named_by_a_hook_runs_in_every_language_the_hook_can_have() -> None:
    survey = required(ENTRY, SURVEY)["Survey"]
    assert survey[("thanks", "")] == survey[("end", "")] == frozenset({"en-US", "es-US"})


def test_a_language_from_a_reference_can_be_any_language() -> None:
    dynamic = flow(
        "Dynamic",
        set_language("choose", "$.Attributes.language", "hello"),
        act("hello", "MessageParticipant", {"Text": "hi"}, NextAction="bye"),
        act("bye", "DisconnectParticipant"),
    )
    spoken = flow("Spoken", set_language("es", "es-US", "bye"), act("bye", "DisconnectParticipant"))
    library = FlowLibrary({f.key: f for f in (dynamic, spoken)})
    needed = required_languages([dynamic, spoken], ("en-US", "es-US", "fr-CA"), library.find)["Dynamic"]
    assert needed[("hello", "")] == frozenset({"en-US", "es-US", "fr-CA"})
    assert flow_languages([dynamic, spoken]) == ("en-US", "es-US")


def test_the_gate_names_the_language_a_flow_falls_short_in() -> None:
    coverage = Coverage()
    for action in ENTRY:  # everything, but only ever in English (no Spanish caller was scripted)
        coverage.visit("Entry", action.identifier, "en-US")
        for label in (
            NEXT,
            condition_label(0),
            error_label("InputTimeLimitExceeded"),
            error_label("NoMatchingError"),
        ):
            coverage.take("Entry", action.identifier, label, "en-US")
    flows = [ENTRY, SURVEY]
    library = FlowLibrary({f.key: f for f in flows})
    entry = report(coverage, flows, languages=flow_languages(flows), find=library.find)[0]
    assert entry.percent == 100.0 and entry.by_language["en-US"] == 100.0
    assert entry.by_language["es-US"] < 100.0
    assert entry.shortfalls() == [f"Entry in es-US {entry.by_language['es-US']}%"]
    assert "spanish: NextAction -> hooks" in entry.missing_by_language["es-US"]
    assert "welcome" not in entry.missing_by_language["es-US"]  # English only: not owed in Spanish
