"""`make loadtest`: N simulated callers and the demo agents against the real local stack, over HTTP.

The stack runs as `python -m local_connect serve` in a subprocess (stack.py). Callers (callers.py)
use the test phones (/local/phones: dial, digits, answer, hangup, events by long poll) and the
website's API (POST /api/connect/contact with ID tokens of the stack's local Cognito); agents
(agents.py) use the agent desks (/local/agents). The run (run.py) is bounded in time and calls,
reads the stack's load counters (GET /local/stats) and the server's RSS, and turns them into
what the deployed stack needs at a given peak (capacity.py), printed and written as Markdown.
"""
