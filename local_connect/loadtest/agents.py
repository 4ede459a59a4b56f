"""Simulated agents: the stack's demo agents at their desks (/local/agents), with handle times.

Each agent goes Available, waits for an offer (long poll), accepts it, talks for a handle time,
hangs up (the caller gets the survey flow), spends the after-contact-work time and completes it.
An offer that was missed or rejected leaves the agent Missed: it goes Available again.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass

from local_connect.loadtest.client import Channel, Http, PollCadence, Tally


@dataclass(frozen=True)
class AgentSettings:
    handle_time: tuple[float, float] = (2.0, 6.0)  # seconds on the call
    after_contact_work: tuple[float, float] = (0.5, 1.5)


async def run_agent(
    http: Http, tally: Tally, username: str, settings: AgentSettings, stop_at: float, rng: random.Random
) -> None:
    loop = asyncio.get_running_loop()
    path = f"/local/agents/{username}"
    desk = Channel(http, path, PollCadence(timeout=10.0, sse=False))
    await desk.open()
    await http.post(f"{path}/state", "agent_state", {"state": "Available"})
    while loop.time() < stop_at:
        event = await desk.next(stop_at)
        if event is None:
            break
        if event["type"] == "state" and event.get("state") == "Missed":
            await http.post(f"{path}/state", "agent_state", {"state": "Available"})
            continue
        if event["type"] != "offer":
            continue
        contact_id = event["contact"]["contactId"]
        status, _ = await http.post(f"{path}/contacts/{contact_id}/accept", "agent_accept")
        if status != 200:  # the caller hung up while it rang: the agent is Available (or Missed) again
            continue
        tally.handled += 1
        await asyncio.sleep(rng.uniform(*settings.handle_time))
        await http.post(f"{path}/contacts/{contact_id}/end", "agent_end")  # 409 if the caller left first
        await asyncio.sleep(rng.uniform(*settings.after_contact_work))
        await http.post(f"{path}/after-contact-work/complete", "agent_acw")
    await http.post(f"{path}/state", "agent_state", {"state": "Offline"})
