"""GET /local/stats: the stack's load counters (local_connect/counters.py) and its open contacts.

Read-only, for `make loadtest`: Lambda invocations and their in-process seconds by function, table
reads and writes by DynamoDB table, Connect API requests by operation, routing decision times, and
the contacts open now by state (the live calls the server holds in memory).
"""

from __future__ import annotations

from collections import Counter

from flask import Blueprint, Response, jsonify

from local_connect.counters import COUNTERS
from local_connect.local_api.state import local_state

stats_blueprint = Blueprint("local_stats", __name__)


@stats_blueprint.get("/stats")
def stats() -> Response:
    state = local_state()
    center = state.runtime.center
    open_contacts = state.locked(lambda: Counter(str(c.state) for c in center.contacts.values()))
    return jsonify({**COUNTERS.snapshot(), "openContacts": dict(open_contacts), "at": center.now})
