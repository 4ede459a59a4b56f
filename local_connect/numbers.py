"""The local contact center's phone numbers: which number runs which flow.

On AWS a claimed number is associated with a flow in the console or by the deploy; locally the one
inbound number runs the template's InboundFlow and is also the caller id of outbound calls.
"""

from __future__ import annotations

INBOUND_NUMBER = "+18005550100"

# number -> logical id of the flow in sam/template.yaml
INBOUND_NUMBERS: dict[str, str] = {INBOUND_NUMBER: "InboundFlow"}

CLAIMED_NUMBERS: tuple[str, ...] = (INBOUND_NUMBER,)
