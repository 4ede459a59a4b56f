"""ContactCenterServices over the local runtime's ACD and switchboard, and wiring the engine into it.

    engine = attach_flow_engine(runtime)     # runtime.switchboard.flows = engine

The ACD owns contacts, queues and metrics; the switchboard owns the call (prompts to the phone,
the hand-off to the queue, the disconnect flow, the end of the call). This adapter only translates
between the engine's protocol and their methods: ARNs to ids, the ACD's errors to flow errors.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from local_connect.acd import AcdError, ContactCenter
from local_connect.definitions import REPO_ROOT, Definitions
from local_connect.flows.engine import FlowEngine
from local_connect.flows.lambdas import InProcessLambdas, local_lambda_env
from local_connect.flows.loader import FlowLibrary
from local_connect.flows.services import (
    CallbackRequest,
    ContactData,
    Prompt,
    QueueInfo,
    QueuePosition,
    ServiceError,
)
from local_connect.hours import is_open

if TYPE_CHECKING:
    from local_connect.switchboard import Switchboard


class AcdServices:
    def __init__(self, definitions: Definitions, center: ContactCenter, switchboard: Switchboard) -> None:
        self.definitions = definitions
        self.center = center
        self.switchboard = switchboard
        self._hours = {h.arn: h for h in definitions.hours.values()}
        self._flows = {f.arn: f for f in definitions.flows.values()}
        self._values: dict[str, dict[str, str]] = {}  # UpdateContactData values the ACD has no field for

    def _contact(self, contact_id: str) -> Any:
        try:
            return self.center.contact(contact_id)
        except AcdError as exc:
            raise ServiceError("NoMatchingError", str(exc)) from exc

    def contact_data(self, contact_id: str) -> ContactData:
        contact = self._contact(contact_id)
        queue = self.center.queues.get(contact.queue_id or "")
        return ContactData(
            contact_id=contact.id,
            customer_number=contact.customer_number,
            system_number=contact.system_number,
            initiation_method=str(contact.initiation_method),
            initial_contact_id=contact.initial_contact_id,
            previous_contact_id=contact.previous_contact_id,
            channel=contact.channel,
            attributes=dict(contact.attributes),
            queue_arn=queue.arn if queue else None,
            name=contact.name,
            description=contact.description,
            agent_username=contact.agent_username,
        )

    def update_attributes(self, contact_id: str, attributes: Mapping[str, str]) -> None:
        self._contact(contact_id)
        self.center.update_attributes(contact_id, dict(attributes))

    def update_contact_data(self, contact_id: str, values: Mapping[str, str]) -> None:
        contact = self._contact(contact_id)
        if "Name" in values:
            contact.name = values["Name"]
        if "Description" in values:
            contact.description = values["Description"]
        self.center.store.save(contact)
        self._values.setdefault(contact_id, {}).update(values)

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

    def queue(self, queue_ref: str) -> QueueInfo:
        try:
            queue = self.center.queue(queue_ref)
        except AcdError as exc:
            raise ServiceError("NoMatchingError", str(exc)) from exc
        hours = self.definitions.hours.get(queue.hours_logical_id)
        return QueueInfo(queue.arn, queue.id, queue.name, hours.arn if hours else None)

    def hours_open(self, hours_arn: str, at: float) -> bool:
        hours = self._hours.get(hours_arn)
        if hours is None:
            raise ServiceError("NoMatchingError", f"no hours of operation {hours_arn}")
        return is_open(hours, at)

    def queue_metrics(self, queue_arn: str) -> Mapping[str, float | int | None]:
        return self.center.queue_metrics(self.queue(queue_arn).id)

    def queue_position(self, contact_id: str) -> QueuePosition:
        info = self.center.wait_info(contact_id)
        ahead = info.get("position")
        return QueuePosition(None if ahead is None else ahead + 1, info.get("estimated_wait"))

    def set_routing(
        self,
        contact_id: str,
        *,
        queue_arn: str | None = None,
        priority: int | None = None,
        time_adjustment: float | None = None,
    ) -> None:
        queue_id = self.queue(queue_arn).id if queue_arn else None
        try:
            self.center.set_routing(
                contact_id, queue_id=queue_id, priority=priority, time_adjustment=time_adjustment
            )
        except AcdError as exc:
            raise ServiceError("NoMatchingError", str(exc)) from exc

    def transfer_to_queue(self, contact_id: str, queue_arn: str) -> None:
        # The ACD's QueueAtCapacity carries code "QueueAtCapacity": the engine takes that branch.
        self.switchboard.transfer_to_queue(contact_id, self.queue(queue_arn).id)

    def create_callback(self, contact_id: str, request: CallbackRequest) -> str:
        queue_id = self.queue(request.queue_arn).id if request.queue_arn else None
        try:
            return self.center.create_callback(contact_id, request.number, queue_id).id
        except AcdError as exc:
            raise ServiceError("NoMatchingError", str(exc)) from exc

    def set_disconnect_flow(self, contact_id: str, flow_arn: str | None) -> None:
        flow = self._flows.get(flow_arn or "")
        if flow_arn and flow is None:
            raise ServiceError("NoMatchingError", f"no flow {flow_arn} in the template")
        self.switchboard.set_disconnect_flow(contact_id, flow)

    def end_flow(self, contact_id: str, *, disconnect: bool) -> None:
        self.switchboard.end_flow(contact_id, disconnect=disconnect)


def attach_flow_engine(
    runtime: Any, *, sqlite_path: str | None = None, lambda_env: Mapping[str, str] | None = None
) -> FlowEngine:
    """Build the engine for a runtime (its definitions, ACD, switchboard, scheduler) and plug it in.

    Lambdas read SQLITE_PATH (default: the Lambdas' own default, var/jam.sqlite3 in the repository).
    """
    definitions: Definitions = runtime.definitions
    path = sqlite_path or os.environ.get("SQLITE_PATH") or str(REPO_ROOT / "var" / "jam.sqlite3")
    env = {**local_lambda_env(path), **(lambda_env or {})}
    engine = FlowEngine(
        AcdServices(definitions, runtime.center, runtime.switchboard),
        runtime.scheduler,
        FlowLibrary.from_definitions(definitions),
        InProcessLambdas(definitions, env),
        instance_arn=definitions.instance_arn,
    )
    runtime.switchboard.flows = engine
    return engine
