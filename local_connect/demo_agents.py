"""The demo agents of the local contact center: who they are and which routing profile they work.

Usernames match the agent users of the local Cognito stand-in (data/seed/users.json) so the same
person signs in to the website and takes calls. Routing profiles are template logical ids.
"""

from __future__ import annotations

from dataclasses import dataclass

from local_connect.acd.center import ContactCenter
from local_connect.definitions import Definitions


@dataclass(frozen=True)
class DemoAgent:
    username: str
    first_name: str
    last_name: str
    routing_profile: str  # logical id in sam/template.yaml


DEMO_AGENTS = (
    DemoAgent("agent.sales", "Sam", "Sales", "SalesRoutingProfile"),
    DemoAgent("agent.accounts", "Alex", "Accounts", "AccountsRoutingProfile"),
    DemoAgent("agent.support", "Sofia", "Support", "SupportRoutingProfile"),
    DemoAgent("agent.support2", "Diego", "Support", "SupportRoutingProfile"),
    DemoAgent("agent.generalist", "Gabi", "Generalist", "GeneralistRoutingProfile"),
)


def add_demo_agents(center: ContactCenter, definitions: Definitions) -> None:
    for demo in DEMO_AGENTS:
        profile = definitions.routing_profiles[demo.routing_profile]
        center.add_agent(demo.username, demo.first_name, demo.last_name, profile.id)
