"""/local/agents/…: the agent desks (state, contact actions, after-contact work, events)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify

from local_connect.acd import AcdError
from local_connect.desk import contact_view
from local_connect.local_api.http_io import body, e164, events_response
from local_connect.local_api.state import LocalApiState, local_state
from local_connect.numbers import CLAIMED_NUMBERS

agents_blueprint = Blueprint("local_agents", __name__)


def agent_view(state: LocalApiState, username: str) -> dict[str, Any]:
    """What an agent's desk shows; call under the runtime lock."""
    center = state.runtime.center
    agent = center.agent(username)
    view = agent.public()
    view["last"] = state.runtime.channels.get(f"agent:{username}").last_seq
    view["contact"] = contact_view(center, center.contact(agent.contact_id)) if agent.contact_id else None
    view["queues"] = [
        {
            "id": pq.queue_id,
            "name": center.queues[pq.queue_id].name,
            "priority": pq.priority,
            "delay": pq.delay,
        }
        for pq in center.profiles[agent.routing_profile_id]
    ]
    return view


@agents_blueprint.get("/agents")
def agents() -> Response:
    state = local_state()
    return jsonify(
        {"agents": state.locked(lambda: [a.public() for a in state.runtime.center.agents.values()])}
    )


@agents_blueprint.get("/agents/<username>")
def agent(username: str) -> Response:
    state = local_state()
    return jsonify(state.locked(lambda: agent_view(state, username)))


@agents_blueprint.post("/agents/<username>/state")
def agent_state(username: str) -> Response:
    wanted = str(body().get("state") or "")
    state = local_state()

    def change() -> dict[str, Any]:
        state.runtime.center.set_agent_state(username, wanted)
        return agent_view(state, username)

    return jsonify(state.locked(change))


@agents_blueprint.post("/agents/<username>/heartbeat")
def heartbeat(username: str) -> Response:
    """The desk page is open: sent every few seconds; silence past the desk timeout sets Offline."""
    state = local_state()

    def beat() -> dict[str, Any]:
        agent = state.runtime.center.desk_heartbeat(username)
        return {
            "state": str(agent.state),
            "stateReason": agent.state_reason,
            "stateDetail": agent.state_detail,
        }

    return jsonify(state.locked(beat))


@agents_blueprint.post("/agents/<username>/sign-out")
def sign_out(username: str) -> Response:
    """The agent signed out or closed the desk (sent with navigator.sendBeacon on pagehide)."""
    state = local_state()

    def leave() -> dict[str, Any]:
        state.runtime.center.sign_out(username)
        return agent_view(state, username)

    return jsonify(state.locked(leave))


@agents_blueprint.post("/agents/<username>/dial")
def dial(username: str) -> Response:
    """The agent calls a number (or the customer on screen): an OUTBOUND contact, the phone rings.

    The caller id is the instance's claimed number: the template's queues set no OutboundCallerConfig,
    so there is no queue caller id to show (on AWS the CCP uses the outbound queue's, if set).
    """
    number = e164(str(body().get("number") or ""))
    state = local_state()

    def call() -> dict[str, Any]:
        state.runtime.center.start_outbound(username, number, CLAIMED_NUMBERS[0])
        return agent_view(state, username)

    return jsonify(state.locked(call))


@agents_blueprint.post("/agents/<username>/contacts/<contact_id>/<action>")
def agent_action(username: str, contact_id: str, action: str) -> Response:
    sent = body()
    state = local_state()
    center = state.runtime.center

    def act() -> dict[str, Any]:
        if action == "accept":
            center.accept(username, contact_id)
        elif action == "reject":
            center.reject(username, contact_id)
        elif action in ("hold", "resume"):
            center.hold(username, contact_id, action == "hold")
        elif action == "end":
            center.end(username, contact_id)
        elif action == "transfer":
            center.transfer(username, contact_id, str(sent.get("queueId") or ""))
        else:
            raise AcdError(f"unknown action {action}")
        return agent_view(state, username)

    return jsonify(state.locked(act))


@agents_blueprint.post("/agents/<username>/after-contact-work/complete")
def complete_acw(username: str) -> Response:
    state = local_state()

    def complete() -> dict[str, Any]:
        state.runtime.center.complete_after_contact_work(username)
        return agent_view(state, username)

    return jsonify(state.locked(complete))


@agents_blueprint.get("/agents/<username>/events")
def agent_events(username: str) -> Response:
    state = local_state()
    state.locked(lambda: state.runtime.center.agent(username))
    return events_response(state.runtime.channels.get(f"agent:{username}"))
