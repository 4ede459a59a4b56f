"""Property-based fuzz of the flow engine: random flow graphs built from the action catalog, with
mutated parameters (wrong types, missing keys, huge and negative numbers, unicode) and wrong shapes,
run for a random caller (keys, silence, waiting, hanging up at any point) and random Lambda answers.

What must hold for every example: loading never raises (a strict load only FlowError), no exception
escapes the engine (nor is swallowed by the scheduler), the engine never reports an internal error,
every event returns after a bounded number of timers, and every call ends: by itself, or when the
caller hangs up, leaving nothing scheduled.

Bounded for `make test`: FUZZ_EXAMPLES examples (300 by default, derandomized so CI runs the same
ones; set FUZZ_EXAMPLES=5000 for a longer hunt with fresh examples).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from local_connect.clock import ManualClock, Scheduler
from local_connect.definitions import Definitions, load_definitions
from local_connect.flows import engine as engine_module
from local_connect.flows.engine import FlowEngine
from local_connect.flows.loader import FlowError, FlowLibrary, load_flow
from local_connect.flows.ports import ContactCenterServices

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
SILENCES = 40  # after the caller's script, at most this many silences before the caller hangs up
TIMERS_PER_EVENT = engine_module.STEP_BUDGET + 10  # at one instant (a timer runs at least one action)


# ---------------------------------------------------------------- the catalog, in one place
@dataclass(frozen=True)
class Shape:
    parameters: tuple[str, ...]
    errors: tuple[str, ...]
    operators: tuple[str, ...]


def catalog() -> tuple[dict[str, Shape], list[str]]:
    """The action types the engine runs, as the fuzzer needs them, and a few real Connect types it
    does not run (the only use of the catalog module)."""
    from local_connect.flows.catalog import KNOWN_UNSUPPORTED, SPECS

    shapes = {
        name: Shape(tuple(spec.parameters), spec.errors, spec.operators) for name, spec in SPECS.items()
    }
    return shapes, sorted(KNOWN_UNSUPPORTED)[:5]


CATALOG, UNSUPPORTED = catalog()
DEFINITIONS = load_definitions()


def contact_center(definitions: Definitions, clock: ManualClock) -> Any:
    """The in-memory contact center the engine runs against (the only use of memory.py)."""
    from local_connect.flows.memory import InMemoryCenter

    return InMemoryCenter(definitions, clock)


# ---------------------------------------------------------------- values
QUEUE = next(iter(DEFINITIONS.queues.values())).arn
HOURS = next(iter(DEFINITIONS.hours.values())).arn
PHONE = {"PhoneNumberValidation": {"NumberFormat": "Local", "CountryCode": "US"}}
# A value each parameter plausibly has, so the fuzzer gets past the first check of each action.
PLAUSIBLE: dict[str, list[Any]] = {
    "Text": ["hello $.Attributes.a", "<>"],
    "SSML": ["<speak>hi</speak>"],
    "PromptId": ["arn:aws:connect:prompt/1"],
    "Media": [{"Uri": "s3://bucket/a.wav", "SourceType": "S3", "MediaType": "Audio"}],
    "LanguageCode": ["en-US", "es-US"],
    "Messages": [[{"Text": "one"}, {"Text": "two"}], [{"PromptId": "p"}]],
    "InterruptFrequencySeconds": ["2", "0"],
    "InputTimeLimitSeconds": ["3", "0", "$.Attributes.t"],
    "StoreInput": ["True", "False"],
    "InputValidation": [
        PHONE,
        {"CustomValidation": {"MaximumLength": "4"}},
        {"PhoneNumberValidation": {"NumberFormat": "E164"}},
    ],
    "DTMFConfiguration": [
        {"InputTerminationSequence": "#", "InterdigitTimeLimitSeconds": "2"},
        {"InputTerminationSequence": "*"},
    ],
    "Attributes": [{"a": "1", "t": "0"}, {"b": "$.Attributes.a"}],
    "ComparisonValue": ["$.Attributes.a", "$.StoredCustomerInput", "1"],
    "LambdaFunctionARN": ["arn:aws:lambda:us-east-1:1:function:fuzz"],
    "InvocationTimeLimitSeconds": ["3"],
    "ResponseValidation": [{"ResponseType": "STRING_MAP"}, {"ResponseType": "JSON"}],
    "LambdaInvocationAttributes": [{"x": "$.Attributes.a"}],
    "QueueId": [QUEUE, "$.Attributes.a"],
    "HoursOfOperationId": [HOURS],
    "MetricType": ["NumberOfAgentsAvailable", "NumberOfContactsInQueue"],
    "QueuePriority": ["5", "$.Attributes.a"],
    "QueueTimeAdjustmentSeconds": ["30"],
    "TextToSpeechVoice": ["Joanna", "Lupe"],
    "TextToSpeechEngine": ["Neural"],
    "EventHooks": [{"CustomerQueue": "Fuzz"}, {"CustomerRemaining": "arn:flow/Fuzz"}],
    "CallbackNumber": ["+12025550143", "$.CustomerEndpoint.Address", "12"],
    "InitialCallDelaySeconds": ["5"],
    "MaximumConnectionAttempts": ["2"],
    "RetryDelaySeconds": ["60"],
    "ContactFlowId": ["Fuzz", "arn:flow/Fuzz"],
    "LoopCount": ["2", "0", "100"],
    "TimeoutSeconds": ["0", "5"],
    "TimeLimitSeconds": ["1"],
    "FlowLoggingBehavior": ["Enabled"],
    "RecordingBehavior": [{"RecordedParticipants": ["Customer"]}],
    "TargetContact": ["Current"],
    "Name": ["a task"],
}
ODD_TEXT = [
    "",
    "0",
    "-1",
    "1e999",
    "-1e999",
    "NaN",
    "Infinity",
    "٣",
    "²",
    "1_0",
    "True",
    "$.",
    "$.Attributes",
    "$.External.x.y",
    "x" * 300,
]
leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(ODD_TEXT),
    st.text(max_size=8),
)
json_values = st.recursive(
    leaves,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)
RESULTS = [
    "ContinueLooping",
    "DoneLooping",
    "True",
    "False",
    "WaitCompleted",
    "MessagesInterrupted",
    "1",
    "2",
    "#",
    "50",
    "100",
    "Timeout",
]


def mutated(draw: st.DrawFn, chaos: int) -> bool:
    """Whether to break this part: `chaos` in 20 (each example draws its own chaos level).

    Hypothesis favours the simplest choice (0, False, the first element), so every choice here is
    written with the simplest answer meaning "the plausible flow": otherwise most examples die at
    their first action."""
    return chaos > 0 and draw(st.integers(0, 19)) >= 20 - chaos


@st.composite
def parameters(draw: st.DrawFn, names: tuple[str, ...], chaos: int) -> Any:
    if mutated(draw, chaos) and draw(st.booleans()):
        return draw(json_values)  # Parameters that are not an object at all
    params: dict[str, Any] = {}
    for name in names:
        if mutated(draw, chaos):
            params[name] = draw(json_values)  # wrong type, huge, negative, unicode, nested...
        elif name in PLAUSIBLE and draw(st.integers(0, 3)) != 3:
            params[name] = draw(st.sampled_from(PLAUSIBLE[name]))
    if mutated(draw, chaos):
        params[draw(st.text(max_size=6))] = draw(json_values)  # a key no action takes
    return params


@st.composite
def transitions(draw: st.DrawFn, shape: Shape, ids: list[str], position: int, chaos: int) -> Any:
    if mutated(draw, chaos) and draw(st.booleans()):
        return draw(json_values)  # Transitions that are not an object
    junk = st.sampled_from(["nowhere", "", 7])

    def target() -> Any:
        """Any action or the end; the simplest choice is the next one (a chain that runs them all)."""
        if mutated(draw, chaos):
            return draw(junk)
        offset = draw(st.integers(0, len(ids) - 1))
        return ids[(position + 1 + offset) % len(ids)]

    result: dict[str, Any] = {}
    if draw(st.integers(0, 5)) != 5:
        result["NextAction"] = target()
    operators = [*shape.operators] or ["Equals"]
    conditions = []
    for _ in range(draw(st.integers(1, 3)) if shape.operators or mutated(draw, chaos) else 0):
        operator = (
            draw(st.sampled_from(["TextContains", "Bogus", ""]))
            if mutated(draw, chaos)
            else draw(st.sampled_from(operators))
        )
        operands = (
            draw(st.lists(st.text(max_size=4), max_size=2))
            if mutated(draw, chaos)
            else [draw(st.sampled_from(RESULTS))]
        )
        conditions.append({"NextAction": target(), "Condition": {"Operator": operator, "Operands": operands}})
    if conditions:
        result["Conditions"] = conditions
    if mutated(draw, chaos):
        result["Conditions"] = draw(json_values)
    declared = [name for name in shape.errors if draw(st.integers(0, 7)) != 7]  # mostly all of them
    if "NoMatchingError" not in shape.errors and not draw(st.booleans()):
        declared.append("NoMatchingError")  # what an unsupported type or a bad parameter takes
    errors = [{"ErrorType": name, "NextAction": target()} for name in declared]
    if mutated(draw, chaos):
        errors.append(
            {"ErrorType": draw(st.sampled_from(["NoMatchingError", "Bogus", ""])), "NextAction": target()}
        )
    if errors:
        result["Errors"] = errors
    if mutated(draw, chaos):
        result["Errors"] = draw(json_values)
    return result


@st.composite
def flows(draw: st.DrawFn) -> dict[str, Any]:
    chaos = draw(st.sampled_from([0, 1, 4, 10]))
    ids = [*(f"a{i}" for i in range(draw(st.integers(1, 7)))), "end"]
    actions: list[Any] = [
        {"Identifier": "end", "Type": "DisconnectParticipant", "Parameters": {}, "Transitions": {}}
    ]
    for position, identifier in enumerate(ids[:-1]):
        odd_type = mutated(draw, chaos) and draw(st.booleans())
        type_ = draw(st.sampled_from([*UNSUPPORTED, "", "NoSuchType"] if odd_type else sorted(CATALOG)))
        shape = CATALOG.get(type_, Shape(("Text",), ("NoMatchingError",), ()))
        actions.append(
            {
                "Identifier": identifier,
                "Type": type_,
                "Parameters": draw(parameters(shape.parameters, chaos)),
                "Transitions": draw(transitions(shape, ids, position, chaos)),
            }
        )
    if mutated(draw, chaos) and draw(st.booleans()):
        actions.append(draw(json_values))  # an entry of Actions that is not an action
    odd_start = mutated(draw, chaos) and draw(st.booleans())
    start = draw(st.sampled_from(["", "nowhere", None]) if odd_start else st.sampled_from(ids[:-1]))
    return {"Version": "2019-10-30", "StartAction": start, "Actions": actions}


caller_events = st.lists(
    st.one_of(
        st.tuples(st.just("press"), st.text(alphabet="0123456789*#", min_size=1, max_size=12)),
        st.tuples(st.just("silence"), st.just("")),
        st.tuples(st.just("wait"), st.sampled_from(["0", "0.5", "3", "61", "3600"])),
        st.tuples(st.just("hangup"), st.just("")),
    ),
    max_size=10,
)


# ---------------------------------------------------------------- the engine under test
class FuzzLambdas:
    """Lambda answers drawn by hypothesis: a string map, JSON, something else, or a failure."""

    def __init__(self, data: st.DataObject) -> None:
        self.data = data

    def invoke(self, function_arn: str, event: Mapping[str, Any], timeout: float) -> Any:
        answer = self.data.draw(
            st.one_of(
                st.dictionaries(st.sampled_from(["a", "t", "x"]), st.sampled_from(ODD_TEXT)),
                json_values,
                st.just(RuntimeError),
            ),
            label="lambda answer",
        )
        if answer is RuntimeError:
            raise RuntimeError("the Lambda failed")
        return answer


def run_events(scheduler: Scheduler, clock: ManualClock, until: float | None) -> None:
    """Fire due timers, moving the clock to each (up to `until`; None: only the next instant).

    A hang is a flow that keeps timers falling due without time passing: more timers at one
    instant than the step budget allows actions fails the test (a flow that lets time pass, like a
    prompt loop during a long wait, may run any number of timers)."""
    while (due := scheduler.next_due()) is not None and (until is None or due <= until):
        clock.set(max(due, clock.now()))
        at_this_instant = 0
        while scheduler.run_next():
            at_this_instant += 1
            assert at_this_instant <= TIMERS_PER_EVENT, "timers keep falling due without time passing: a hang"
        if until is None:
            return
    if until is not None:
        clock.set(max(until, clock.now()))


@pytest.mark.timeout(max(120, EXAMPLES // 10))  # a hang fails the test instead of stalling make test
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize="FUZZ_EXAMPLES" not in os.environ,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    document=flows(),
    script=caller_events,
    channel=st.sampled_from(["VOICE", "VOICE", "CHAT"]),
    data=st.data(),
)
def test_no_flow_and_no_caller_crashes_or_hangs_the_engine(
    document: dict[str, Any], script: list[tuple[str, str]], channel: str, data: st.DataObject
) -> None:
    try:
        load_flow(document, key="Fuzz", arn="arn:flow/Fuzz", strict=True)
        event("strict load: accepted")
    except FlowError as refused:
        assert refused.report.errors  # refused, with the reason named
        event("strict load: refused")
    flow = load_flow(document, key="Fuzz", arn="arn:flow/Fuzz").flow  # lenient: never raises

    clock = ManualClock()
    scheduler = Scheduler(clock)
    center = contact_center(DEFINITIONS, clock)
    services: ContactCenterServices = center
    engine = FlowEngine(services, scheduler, FlowLibrary({"Fuzz": flow}), FuzzLambdas(data))
    contact = center.new_contact("+12025550199", method="INBOUND", channel=channel, attributes={"a": "1"})

    engine.start(contact.id, "Fuzz")
    hung_up = False
    for kind, value in script:
        if kind == "press":
            engine.digits(contact.id, value)
        elif kind == "silence":
            run_events(scheduler, clock, None)
        elif kind == "wait":
            run_events(scheduler, clock, clock.now() + float(value))
        else:
            engine.stop(contact.id)
            hung_up = True
            break
    for _ in range(SILENCES):  # a silent caller from here on
        if hung_up or contact.id not in engine.sessions:
            break
        run_events(scheduler, clock, None)
    ended_by_flow = contact.id not in engine.sessions
    engine.stop(contact.id)  # the caller hangs up, if the flow has not ended the call

    session = engine.session(contact.id)
    assert session is not None
    spun = any("loops without waiting" in p for p in engine.problems)
    event("call ended: " + ("step budget" if spun else "by the flow" if ended_by_flow else "caller hung up"))
    for type_ in sorted({flow.actions[a].type for key, a in session.trace if a in flow.actions}):
        event(f"ran {type_ or '(no type)'}")
    steps = len(session.trace)
    event(
        "actions run: " + ("1" if steps <= 1 else "2-5" if steps <= 5 else "6-50" if steps <= 50 else "more")
    )

    assert not scheduler.errors, scheduler.errors  # an exception in a timer (swallowed by run_due)
    assert not [p for p in engine.problems if engine_module.INTERNAL_ERROR in p]
    assert contact.id not in engine.sessions and scheduler.pending() == 0  # the call has ended
