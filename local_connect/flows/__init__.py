"""The flow engine: Amazon Connect Flow Language (Version 2019-10-30), loaded, validated and run offline.

Public API (what the rest of local_connect builds on)
-----------------------------------------------------
Loading
    `FlowLibrary.from_definitions(definitions)`   every AWS::Connect::ContactFlow of the template
        whose Metadata.FlowFile names a file: `${LogicalId.Attr}` placeholders resolved with
        `Definitions.resolve`, validated strictly (a bad flow raises `FlowError` naming the action
        Identifier and the reason). `library.get(ref)` takes a logical id, flow id, ARN or a
        `ContactFlowDef`.
    `load_flow(document, key=..., strict=False)` -> `LoadResult(flow, report)` for any flow,
        e.g. one exported from a real instance: problems and unsupported action types are
        reported by name in `report`, nothing raises. The rules come from one action catalog,
        `catalog.json` (typed by `catalog.py`: `CATALOG`, `SPECS` for the types the engine runs),
        with the reference pages and real exports each entry rests on; `corpus.py` holds the
        validator and the engine to the 30 real exports in ../shared/flow-corpus.

Running
    `FlowEngine(services, scheduler, library, lambdas)` runs any number of contacts on one thread.
        It is event-driven: a contact's flow runs until it needs something from outside (caller
        input, a timer on the scheduler, the queue) and then returns. No threads, no sleeps.
        - `engine.start(contact_id, flow)`   run a flow for a contact from its StartAction
        - `engine.digits(contact_id, keys)`  the caller pressed keys (DTMF "0-9*#")
        - `engine.stop(contact_id)`          the contact left the flow (hung up, agent answered)
        - `engine.session(contact_id)`       the running session (language, voice, attributes...)
        These three methods are exactly the switchboard's `FlowRunner` protocol.
        Time: `local_connect.clock.Scheduler` on a `ManualClock` (tests) or the wall clock
        (`make run`, driven by `RealTimeDriver`): input timeouts and prompt loops are timers.
    `ContactCenterServices` (ports.py: what a flow needs from a contact center) is the one
        Protocol through which a flow touches the contact center: contact data and attributes, prompts to the caller (`say`), hours,
        queues and their metrics, routing, transfer to queue, callbacks, the disconnect flow
        and the end of the flow. The runtime implements it over its ACD and switchboard
        (`local_connect.runtime_flows.RuntimeFlowServices`); `InMemoryCenter` (memory.py) is the
        small implementation the scenarios and the CLI use. Both build the contact a flow sees
        with `ports.contact_data_of`, and tests/flows/test_ports_contract.py holds both to one
        contract.
    `LambdaInvoker` / `InProcessLambdas` (lambdas.py): InvokeLambdaFunction calls the real
        handler named by the template's Function CodeUri + Handler, in-process, with exactly
        the event Amazon Connect sends, and the function's environment (plus local overrides
        such as DATA_BACKEND=sqlite, SQLITE_PATH=...).

Hooks, as Connect does them
    UpdateContactEventHooks CustomerQueue sets the flow run while the contact waits in queue
    (the engine starts it itself after a successful TransferContactToQueue); CustomerRemaining
    (also accepted as DisconnectFlow) is the flow run when the agent hangs up first: the engine
    hands it to `services.set_disconnect_flow`, and the runtime calls `engine.start` with it
    when the agent leaves.

Wiring into the runtime
    `local_connect.runtime_flows.attach(runtime, sqlite_path)` (the runtime's side) implements the
    protocol over the ACD and switchboard, builds the engine and sets `runtime.switchboard.flows`.

Testing
    `local_connect.flows.testing.ScriptedCaller` dials a flow on an `InMemoryCenter` with a
    manual clock and real Lambdas: expect prompts (by Id or text), press digits, stay silent,
    expect queue / priority / attributes / disconnect. `Coverage` records actions and branches
    taken per flow.

Bringing your own flows
    `python -m local_connect check FILE|NAME...` (check.py), `python -m local_connect call --flow
    FILE|NAME` (cli.py), and scenario files (scenarios.py: a YAML call through any flow, with
    Lambda replies stubbed and another instance's queues, hours and flows declared) run by
    `python -m local_connect flowtest` (flowtest.py, `make flowtest`) and in pytest.
"""

from local_connect.flows.coverage import Coverage
from local_connect.flows.engine import FlowEngine, Session
from local_connect.flows.lambdas import InProcessLambdas, LambdaInvoker
from local_connect.flows.loader import FlowError, FlowLibrary, LoadResult, load_flow, load_flow_file
from local_connect.flows.model import FLOW_LANGUAGE_VERSION, Action, Flow, Transitions
from local_connect.flows.ports import (
    CallbackRequest,
    ContactCenterServices,
    ContactData,
    Prompt,
    QueueInfo,
    QueuePosition,
    ServiceError,
)
from local_connect.flows.validate import Problem, Report

__all__ = [
    "FLOW_LANGUAGE_VERSION",
    "Action",
    "CallbackRequest",
    "ContactCenterServices",
    "ContactData",
    "Coverage",
    "Flow",
    "FlowEngine",
    "FlowError",
    "FlowLibrary",
    "InProcessLambdas",
    "LambdaInvoker",
    "LoadResult",
    "Problem",
    "Prompt",
    "QueueInfo",
    "QueuePosition",
    "Report",
    "ServiceError",
    "Session",
    "Transitions",
    "load_flow",
    "load_flow_file",
]
