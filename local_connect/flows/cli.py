"""Call a flow from the terminal: each prompt is printed, the keys you type are pressed.

    python -m local_connect call                          # the inbound flow, from a demo customer
    python -m local_connect call --from +12025550199 --time "2026-01-04 10:00"
    python -m local_connect call --flow WebIngressFlow --method API \\
        --attr Verified=true --attr CustomerName="Ana" --attr issue=billing --attr language=es-US
    python -m local_connect call --flow exported.json --lambda lookup='{"cs_team": "TG"}' \\
        --queue arn:aws:connect:...:queue/edeb9312-...=Telangana_CS --hours arn:...:operating-hours/...=open

--flow takes a template flow's name or any flow file (exported from an instance: its queues are
known by id unless --queue names them, its Lambdas fail unless --lambda stubs them).

At the `keys>` prompt: digits (0-9 * #) to press them, an empty line to stay silent until the flow
moves on (input timeout, hold loop), `agent` when queued to be answered and then have the agent
hang up (the disconnect flow runs), `q` to hang up. Time runs on a manual clock, so silence costs
no real time. Lambdas run in-process on the local SQLite database (seeded on first use).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from pathlib import Path
from typing import TextIO

from local_connect.definitions import REPO_ROOT
from local_connect.flows.ports import Prompt
from local_connect.flows.scenarios import DEFAULT_TIME, Scenario, ScenarioError, parse_scenario, prepare
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
        "--flow", default="InboundFlow", help="a template flow (default InboundFlow), or a flow file"
    )
    parser.add_argument("--from", dest="number", default="+12025550101", help="the caller's number")
    parser.add_argument("--to", default=INBOUND_NUMBER, help="the number called")
    parser.add_argument(
        "--method", default="INBOUND", choices=["INBOUND", "API", "CALLBACK", "OUTBOUND", "TRANSFER"]
    )
    parser.add_argument(
        "--attr", action="append", default=[], metavar="NAME=VALUE", help="a contact attribute"
    )
    parser.add_argument(
        "--lambda",
        dest="lambdas",
        action="append",
        default=[],
        metavar='NAME={"k":"v"}',
        help="stub a function's reply (by ARN or name; JSON object, or null to make it fail)",
    )
    parser.add_argument(
        "--queue", action="append", default=[], metavar="ARN=NAME", help="another instance's queue"
    )
    parser.add_argument(
        "--hours", action="append", default=[], metavar="ARN=open|closed", help="another instance's hours"
    )
    parser.add_argument("--time", help='local time in the center, "YYYY-MM-DD HH:MM" (default: Monday 10:00)')
    parser.add_argument("--db", type=Path, default=Path(os.environ.get("SQLITE_PATH") or DEFAULT_DB))
    return parser.parse_args(argv)


def _pairs(option: str, values: list[str]) -> dict[str, str]:
    pairs = {}
    for pair in values:
        name, sep, value = pair.rpartition("=") if option in ("--queue", "--hours") else pair.partition("=")
        if not sep or not name:
            raise ScenarioError(f"{option} needs NAME=VALUE, got {pair!r}")
        pairs[name] = value
    return pairs


def _scenario(args: argparse.Namespace) -> Scenario:
    """The command line as a scenario without steps: the keyboard plays them."""
    lambdas = {}
    for name, reply in _pairs("--lambda", args.lambdas).items():
        try:
            lambdas[name] = json.loads(reply)
        except ValueError as exc:
            raise ScenarioError(f"--lambda {name}: not JSON: {exc}") from exc
    document = {
        "flow": args.flow,
        "from": args.number,
        "to": args.to,
        "method": args.method,
        "time": args.time or DEFAULT_TIME,
        "attributes": _pairs("--attr", args.attr),
        "lambdas": lambdas,
        "queues": _pairs("--queue", args.queue),
        "hours": _pairs("--hours", args.hours),
    }
    return parse_scenario(document, Path.cwd() / "command line")


def main(argv: list[str] | None = None, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    args = _parse(sys.argv[1:] if argv is None else argv)
    keyboard, screen = stdin or sys.stdin, stdout or sys.stdout
    # The Lambdas' own log lines would drown the conversation: only their errors are shown.
    harness = FlowHarness(_database(args.db), lambda_env={"LOG_LEVEL": "ERROR"})
    try:
        try:
            scenario = _scenario(args)
            flow = prepare(harness, scenario)
        except ScenarioError as exc:
            print(exc, file=sys.stderr)
            return 2

        def show(prompt: Prompt) -> None:
            kind = "SSML" if prompt.ssml else "says"
            ids = "/".join(prompt.prompt_ids)
            print(
                f"  [{prompt.language} {prompt.voice}] {kind}: {prompt.text}"
                + (f"   ({ids})" if ids else ""),
                file=screen,
            )

        harness.center.listeners.append(show)
        print(f"calling {flow.key} from {args.number} ({args.method})", file=screen)
        call = harness.dial(
            args.number, flow.key, to=args.to, method=args.method, attributes=scenario.attributes
        )
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
