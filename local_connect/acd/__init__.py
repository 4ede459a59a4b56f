"""The local ACD (automatic contact distribution): queues, agents, offers, callbacks, records."""

from local_connect.acd.center import (
    AcdError,
    AcdSettings,
    CenterEvent,
    ContactCenter,
    InvalidTransition,
    QueueAtCapacity,
    UnknownAgent,
    UnknownContact,
    UnknownQueue,
)
from local_connect.acd.model import (
    Agent,
    AgentState,
    Contact,
    ContactState,
    DisconnectReason,
    InitiationMethod,
)
from local_connect.acd.store import ContactStore

__all__ = [
    "AcdError",
    "AcdSettings",
    "Agent",
    "AgentState",
    "CenterEvent",
    "Contact",
    "ContactCenter",
    "ContactState",
    "ContactStore",
    "DisconnectReason",
    "InitiationMethod",
    "InvalidTransition",
    "QueueAtCapacity",
    "UnknownAgent",
    "UnknownContact",
    "UnknownQueue",
]
