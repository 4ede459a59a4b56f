"""Call a flow from the terminal: each prompt is printed, the keys you type are pressed.

    python -m local_connect call                          # the inbound flow, from a demo customer
    python -m local_connect call --from +12025550199 --time "2026-01-04 10:00"
    python -m local_connect call --flow WebIngressFlow --method API \\
        --attr Verified=true --attr CustomerName="Ana" --attr issue=billing --attr language=es-US

At the `keys>` prompt: digits (0-9 * #) to press them, an empty line to stay silent until the flow
moves on (input timeout, hold loop), `agent` when queued to be answered and then have the agent
hang up (the disconnect flow runs), `q` to hang up. Time runs on a manual clock, so silence costs
no real time. Lambdas run in-process on the local SQLite database (seeded on first use).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from pathlib import Path
from typing import TextIO

from local_connect.definitions import REPO_ROOT
from local_connect.flows.ports import Prompt
from local_connect.flows.testing import FlowHarness, ScriptedCaller, seed_database
from local_connect.numbers import INBOUND_NUMBER

DEFAULT_DB = REPO_ROOT / "var" / "jam.sqlite3"


def _database(path: Path) -> Path:
    """The Lambdas' database, seeded from data/seed if it has no prompts yet."""
    try:
        with sqlite3.connect(path) as conn:
            count = conn.execute("SELECT COUNT(*) FROM prompts").fetchone()[0]
    except sqlite3.Error:
        count = 0
    if not count:
        seed_database(str(path))
    return path


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m local_connect call", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--flow", default="InboundFlow", help="template logical id of the flow (default InboundFlow)"
    )
    parser.add_argument("--from", dest="number", default="+12025550101", help="the caller's number")
    parser.add_argument("--to", default=INBOUND_NUMBER, help="the number called")
    parser.add_argument("--method", default="INBOUND", choices=["INBOUND", "API", "CALLBACK"])
    parser.add_argument(
        "--attr", action="append", default=[], metavar="NAME=VALUE", help="a contact attribute"
    )
    parser.add_argument("--time", help='local time in the center, "YYYY-MM-DD HH:MM" (default: Monday 10:00)')
    parser.add_argument("--db", type=Path, default=Path(os.environ.get("SQLITE_PATH") or DEFAULT_DB))
    return parser.parse_args(argv)


def main(argv: list[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    args = _parse(sys.argv[1:] if argv is None else argv)
    keyboard, screen = stdin or sys.stdin, stdout or sys.stdout
    attributes = {}
    for pair in args.attr:
        name, sep, value = pair.partition("=")
        if not sep:
            print(f"--attr needs NAME=VALUE, got {pair!r}", file=sys.stderr)
            return 2
        attributes[name] = value
    # The Lambdas' own log lines would drown the conversation: only their errors are shown.
    harness = FlowHarness(_database(args.db), lambda_env={"LOG_LEVEL": "ERROR"})
    harness.set_local_time(args.time or "2026-01-05 10:00")

    def show(prompt: Prompt) -> None:
        kind = "SSML" if prompt.ssml else "says"
        ids = "/".join(prompt.prompt_ids)
        print(
            f"  [{prompt.language} {prompt.voice}] {kind}: {prompt.text}" + (f"   ({ids})" if ids else ""),
            file=screen,
        )

    harness.center.listeners.append(show)
    if args.flow not in {flow.key for flow in harness.library}:
        print(f"no flow {args.flow}; flows: {', '.join(f.key for f in harness.library)}", file=sys.stderr)
        return 2
    print(f"calling {args.flow} from {args.number} ({args.method})", file=screen)
    try:
        call = harness.dial(args.number, args.flow, to=args.to, method=args.method, attributes=attributes)
        return _converse(call, harness, keyboard, screen)
    finally:
        harness.close()


def _status(call: ScriptedCaller) -> str:
    contact = call.contact
    if contact.state in ("queued", "agent"):
        queue = call.harness.center.queue(contact.queue_arn or "")
        return f"{contact.state} in {queue.name} (priority {contact.priority})"
    return contact.state


def _converse(call: ScriptedCaller, harness: FlowHarness, keyboard: TextIO, screen: TextIO) -> int:
    while True:
        if call.contact.state == "disconnected":
            print("the call has ended", file=screen)
            return 0
        print(f"[{_status(call)}] keys> ", end="", file=screen, flush=True)
        line = keyboard.readline()
        if not line:  # end of input: hang up
            print("", file=screen)
            call.hang_up()
            continue
        keys = line.strip()
        if keys == "q":
            call.hang_up()
        elif keys == "agent":
            if call.contact.state != "queued":
                print("  (not waiting in a queue)", file=screen)
                continue
            call.agent_answers("agent.cli")
            print("  an agent answers ... and hangs up", file=screen)
            call.agent_hangs_up()
        elif not keys:
            if harness.scheduler.next_due() is None:
                print("  (nothing is waiting; the flow has ended)", file=screen)
                call.hang_up()
                continue
            call.silence()
        elif all(k in "0123456789*#" for k in keys):
            call.press(keys)
        else:
            print("  digits 0-9 * #, empty line for silence, 'agent', or 'q'", file=screen)
        for problem in harness.engine.problems:
            print(f"  ! {problem}", file=screen)
        harness.engine.problems.clear()


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
