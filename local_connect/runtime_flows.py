"""The flow engine inside the runtime: the flow's ports (`flows/ports.py`) over the ACD and switchboard.

This is the one place where a running flow reaches the contact center: prompts go to the caller's
phone, TransferContactToQueue puts the contact in line, CreateCallbackContact queues a callback
that keeps the caller's place, and the end of a flow hangs up (or leaves the caller in queue).
All methods run under the runtime lock: the engine is called from handlers and timers that hold it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from local_connect.acd import AcdError, Contact, ContactCenter, ContactState, QueueAtCapacity, UnknownQueue
from local_connect.definitions import ContactFlowDef, Definitions
from local_connect.flows.ports import (
    CallbackRequest,
    ContactData,
    Prompt,
    QueueInfo,
    QueuePosition,
    ServiceError,
    TaskRequest,
    contact_data_of,
)
from local_connect.switchboard import Switchboard
from local_connect.template_hours import is_open

if TYPE_CHECKING:
    from local_connect.runtime import Runtime

SURVEY_FUNCTION = "SurveyFunction"
SURVEY_QUESTIONS = ("Q1", "Q2", "Q3")


class RuntimeFlowServices:
    def __init__(self, definitions: Definitions, center: ContactCenter, switchboard: Switchboard) -> None:
        self.definitions = definitions
        self.center = center
        self.switchboard = switchboard

    def _contact(self, contact_id: str) -> Contact:
        try:
            return self.center.contact(contact_id)
        except AcdError as exc:
            raise ServiceError("NoMatchingError", str(exc)) from exc

    # ---- the contact
    def contact_data(self, contact_id: str) -> ContactData:
        contact = self._contact(contact_id)
        queue = self.center.queues.get(contact.queue_id or "")
        return contact_data_of(contact, queue_arn=queue.arn if queue else None)

    def update_attributes(self, contact_id: str, attributes: Mapping[str, str]) -> None:
        self._contact(contact_id)
        self.center.update_attributes(contact_id, dict(attributes))

    def update_contact_data(self, contact_id: str, values: Mapping[str, str]) -> None:
        contact = self._contact(contact_id)
        if "Name" in values:
            contact.name = values["Name"]
        if "Description" in values:
            contact.description = values["Description"]
        if "LanguageCode" in values:
            contact.language = values["LanguageCode"]
        self.center.store.save(contact)

    def tag_contact(self, contact_id: str, tags: Mapping[str, str]) -> None:
        contact = self._contact(contact_id)
        contact.tags.update(tags)
        self.center.store.save(contact)

    # ---- the caller's ear
    def say(self, prompt: Prompt) -> None:
        self.switchboard.say(
            prompt.contact_id,
            prompt.text,
            language=prompt.language,
            voice=prompt.voice,
            ssml=prompt.ssml,
            prompt_id=prompt.prompt_id,
            expects_input=prompt.expects_input,
        )

    # ---- hours, queues, metrics
    def queue(self, queue_ref: str) -> QueueInfo:
        try:
            queue = self.center.queue(queue_ref)
        except UnknownQueue as exc:
            raise ServiceError("NoMatchingError", str(exc)) from exc
        hours = self.definitions.hours.get(queue.hours_logical_id)
        return QueueInfo(queue.arn, queue.id, queue.name, hours.arn if hours else None)

    def hours_open(self, hours_arn: str, at: float) -> bool:
        hours = self.definitions.hours_by_arn(hours_arn)
        if hours is None:
            raise ServiceError("NoMatchingError", f"hours of operation {hours_arn} not found")
        return is_open(hours, at)

    def queue_metrics(self, queue_arn: str) -> Mapping[str, float | int | None]:
        return self.center.queue_metrics(self.queue(queue_arn).id)

    def queue_position(self, contact_id: str) -> QueuePosition:
        contact = self._contact(contact_id)
        if contact.state is ContactState.OFFERED:  # ringing an agent: next in line, no more wait
            return QueuePosition(1, 0.0)
        ahead = self.center.position(contact_id)
        if ahead is None or contact.queue_id is None:
            return QueuePosition(None, None)
        return QueuePosition(ahead + 1, self.center.estimated_wait(contact.queue_id, ahead))

    # ---- routing
    def set_routing(
        self,
        contact_id: str,
        *,
        queue_arn: str | None = None,
        priority: int | None = None,
        time_adjustment: float | None = None,
    ) -> None:
        queue_id = self.queue(queue_arn).id if queue_arn else None
        self.center.set_routing(
            contact_id, queue_id=queue_id, priority=priority, time_adjustment=time_adjustment
        )

    def transfer_to_queue(self, contact_id: str, queue_arn: str) -> None:
        queue_id = self.queue(queue_arn).id
        contact = self._contact(contact_id)
        if contact.state is not ContactState.IN_FLOW:
            raise ServiceError("NoMatchingError", f"contact {contact_id} is {contact.state}")
        self.switchboard.transfer_to_queue(contact_id, queue_id)  # QueueAtCapacity carries its code

    def queue_to_queue(self, contact_id: str, queue_arn: str) -> str:
        queue_id = self.queue(queue_arn).id
        self._contact(contact_id)
        try:
            return self.center.queue_to_queue(contact_id, queue_id).id  # the switchboard's call follows
        except QueueAtCapacity as exc:
            raise ServiceError("QueueAtCapacity", str(exc)) from exc
        except AcdError as exc:
            raise ServiceError("NoMatchingError", str(exc)) from exc

    def transfer_to_agent(self, contact_id: str, agent: str) -> bool:
        self._contact(contact_id)
        try:
            offered = self.center.transfer_to_agent(contact_id, agent)
        except AcdError as exc:
            raise ServiceError("NoMatchingError", str(exc)) from exc
        call = self.switchboard.calls.get(contact_id)
        if offered and call is not None:
            call.phase = "queued"  # ringing the agent, as a queued call does when offered
        return offered

    def create_task(self, contact_id: str, request: TaskRequest) -> str:
        self._contact(contact_id)
        flow = self._known_flow(request.flow)
        task = self.center.create_task(
            request.name,
            description=request.description,
            attributes=dict(request.attributes),
            references=dict(request.references),
            flow_id=flow.id if flow else request.flow,
            scheduled_at=request.start_at,
        )
        delay = max(0.0, request.start_at - self.center.now) if request.start_at is not None else 0.0
        # The start is a timer of this process: a scheduled task pending at a restart is not started
        # again (the ACD's recovery does not know it waits for its flow; not simulated).
        self.switchboard.run_contact_flow(task.id, flow or request.flow, delay=delay)
        return task.id

    def create_callback(self, contact_id: str, request: CallbackRequest) -> str:
        queue_id = self.queue(request.queue_arn).id if request.queue_arn else None
        callback = self.center.create_callback(
            contact_id,
            request.number,
            queue_id,
            initial_delay=request.initial_delay,
            max_attempts=request.max_attempts,
            retry_delay=request.retry_delay,
            creation_flow=request.creation_flow is not None,
        )
        if request.creation_flow is not None:
            self.switchboard.run_contact_flow(
                callback.id, self._known_flow(request.creation_flow) or request.creation_flow
            )
        return callback.id

    # ---- the end of a flow
    def set_disconnect_flow(self, contact_id: str, flow_arn: str | None) -> None:
        # A template flow by ARN/id; any other reference is the engine's own (its library knows it).
        flow = (self._known_flow(flow_arn) or flow_arn) if flow_arn else None
        self.switchboard.set_disconnect_flow(contact_id, flow)

    def end_flow(self, contact_id: str, *, disconnect: bool) -> None:
        """DisconnectParticipant hangs up. A flow that merely ends leaves a queued or connected
        contact where it is; with nowhere to be (still in the IVR, or after the agent left, as at the
        end of the survey) the call is over, as on Connect."""
        contact = self._contact(contact_id)
        if disconnect or contact.state in (ContactState.IN_FLOW, ContactState.DISCONNECTED):
            self.switchboard.end_flow(contact_id)

    def _known_flow(self, ref: str) -> ContactFlowDef | None:
        return next((f for f in self.definitions.flows.values() if ref in (f.arn, f.id, f.logical_id)), None)

    # ---- what the contact record keeps of the survey
    def lambda_invoked(self, function_arn: str, event: Mapping[str, Any]) -> None:
        """The survey's answers also go on the contact record (the Lambda stores them in its table)."""
        function = self.definitions.function_by_arn(function_arn)
        if function is None or function.logical_id != SURVEY_FUNCTION:
            return
        details = event.get("Details") or {}
        parameters = details.get("Parameters") or {}
        contact_id = (details.get("ContactData") or {}).get("ContactId")
        answers = {q: str(parameters[q]) for q in SURVEY_QUESTIONS if q in parameters}
        if contact_id and answers:
            self.center.record_survey(contact_id, answers)


class SurveyRecordingLambdas:
    """The in-process Lambdas, telling the services of each call so the record keeps the survey."""

    def __init__(self, invoker: Any, services: RuntimeFlowServices) -> None:
        self.invoker = invoker
        self.services = services

    def invoke(self, function_arn: str, event: Mapping[str, Any], timeout: float) -> Any:
        self.services.lambda_invoked(function_arn, event)
        return self.invoker.invoke(function_arn, event, timeout)


def attach(
    runtime: Runtime,
    sqlite_path: str,
    lambda_env: Mapping[str, str] | None = None,
    connect_endpoint_url: str | None = None,
) -> Any:
    """Build the flow engine over the runtime and connect it to the switchboard; returns the engine.

    The Lambdas run in-process on the SQLite database at `sqlite_path` (the one `make seed` fills);
    those that call Connect reach `connect_endpoint_url` (the stack's `/connect-api`).
    """
    from local_connect.flows.engine import FlowEngine
    from local_connect.flows.lambdas import InProcessLambdas, local_lambda_env
    from local_connect.flows.loader import FlowLibrary

    services = RuntimeFlowServices(runtime.definitions, runtime.center, runtime.switchboard)
    library = FlowLibrary.from_definitions(runtime.definitions)
    # The hours_status Lambda calls this stack's Connect twin over HTTP, as it calls Amazon Connect on
    # AWS, and judges the runtime's clock (--clock-start / POST /local/clock), not the wall clock.
    # The twin answers hours reads without the runtime lock the calling flow holds (LOCK_FREE).
    env = {**local_lambda_env(sqlite_path, connect_endpoint_url), **(lambda_env or {})}
    lambdas = SurveyRecordingLambdas(
        InProcessLambdas(runtime.definitions, env, clock=runtime.clock.now), services
    )
    engine = FlowEngine(
        services, runtime.scheduler, library, lambdas, instance_arn=runtime.definitions.instance_arn
    )
    runtime.switchboard.flows = engine
    return engine
