"""`python -m local_connect phone`: a terminal test phone against a running local stack.

Interactive: prompts, call events and text messages (the one-time codes, "✉  SMS: ...") are printed
as they arrive; type a command and Enter:
    dial [number]   call the contact center (default: its inbound number)
    answer          answer a ringing call (click-to-call, callbacks)
    1 / 23# / *     press keys
    hangup (h)      hang up or decline
    quit (q)

Scriptable: `--script "dial; expect prompt; press 2; expect connected 60; hangup"` runs the steps
in order and exits non-zero at the first `expect <event type> [seconds]` that does not happen;
`texts` prints the texts received since the last read.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, TextIO

DEFAULT_URL = f"http://127.0.0.1:{os.environ.get('PORT') or 8000}"


class PhoneClient:
    """The /local/phones/<number> API over plain HTTP (standard library only)."""

    def __init__(self, base_url: str, number: str) -> None:
        self.base = base_url.rstrip("/") + "/local"
        self.number = number
        self.last = 0
        self.last_text = 0

    def _url(self, suffix: str) -> str:
        return f"{self.base}/phones/{urllib.parse.quote(self.number)}{suffix}"

    def _request(self, url: str, body: dict[str, Any] | None = None, timeout: float = 10) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            detail = json.loads(error.read() or b"{}").get("detail", error.reason)
            raise PhoneError(str(detail)) from None

    def action(self, name: str, body: dict[str, Any] | None = None) -> Any:
        return self._request(self._url(f"/{name}"), body or {})

    def events(self, wait: float) -> list[dict[str, Any]]:
        answer = self._request(self._url(f"/events?after={self.last}&timeout={wait}"), timeout=wait + 10)
        events: list[dict[str, Any]] = answer["events"]
        if events:
            self.last = events[-1]["seq"]
        return events

    def texts(self) -> list[str]:
        """Text messages sent to this phone since the last read (the one-time codes)."""
        answer = self._request(self._url(f"/sms?after={self.last_text}"))
        self.last_text = int(answer["last"])
        return [str(m["body"]) for m in answer["messages"]]

    def catch_up(self) -> None:
        """Skip what happened before this session (the channel keeps history, the outbox its texts)."""
        self.last = int(self._request(self._url(""))["last"])
        self.last_text = int(self._request(self._url("/sms?limit=0"))["last"])


class PhoneError(Exception):
    pass


def describe(event: dict[str, Any]) -> str:
    kind = event["type"]
    if kind == "prompt":
        return f"🔊 [{event.get('language')}] {event.get('text')}"
    if kind == "ringing":
        return f"☎  ringing: {event.get('caller')} ({event.get('method')}) — type 'answer'"
    if kind == "queued":
        position = event.get("position")
        where = f", position {position + 1}" if isinstance(position, int) else ""
        return f"…  in queue {event.get('queue_name', '')}{where}"
    if kind == "connected":
        return f"👤 connected to {event.get('agent')}"
    if kind in ("call_ended", "missed_call"):
        return f"✖  {kind.replace('_', ' ')}: {event.get('reason') or ('declined' if event.get('declined') else '')}"
    return f"·  {kind}"


def run_script(phone: PhoneClient, script: str, out: TextIO) -> int:
    pending: list[dict[str, Any]] = []
    for raw in (s.strip() for s in script.split(";")):
        if not raw:
            continue
        words = raw.split()
        command, args = words[0], words[1:]
        try:
            if command == "dial":
                phone.action("dial", {"to": args[0]} if args else {})
            elif command in ("answer", "hangup"):
                phone.action(command)
            elif command == "press":
                phone.action("digits", {"digits": args[0]})
            elif command == "sleep":
                time.sleep(float(args[0]))
            elif command == "texts":
                for text in phone.texts():
                    print(f"✉  SMS: {text}", file=out)
            elif command == "expect":
                wanted, limit = args[0], float(args[1]) if len(args) > 1 else 15.0
                deadline = time.monotonic() + limit
                while True:
                    found = next((e for e in pending if e["type"] == wanted), None)
                    if found is not None:
                        pending = pending[pending.index(found) + 1 :]
                        break
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        print(f"expected '{wanted}' within {limit:g} s; it did not happen", file=out)
                        return 1
                    for event in phone.events(min(remaining, 5.0)):
                        print(describe(event), file=out)
                        pending.append(event)
            else:
                print(f"unknown step: {raw}", file=out)
                return 2
        except PhoneError as error:
            print(f"{raw}: {error}", file=out)
            return 1
    return 0


def interactive(phone: PhoneClient, out: TextIO) -> int:
    stop = threading.Event()

    def listen() -> None:
        while not stop.is_set():
            try:
                for event in phone.events(2):
                    print(describe(event), file=out, flush=True)
                for text in phone.texts():
                    print(f"✉  SMS: {text}", file=out, flush=True)
            except (PhoneError, OSError):
                time.sleep(1)

    threading.Thread(target=listen, daemon=True).start()
    print(f"test phone {phone.number} — dial, answer, digits, hangup, quit", file=out)
    for line in sys.stdin:
        command = line.strip()
        try:
            if command in ("q", "quit", "exit"):
                break
            if command.startswith("dial"):
                parts = command.split()
                phone.action("dial", {"to": parts[1]} if len(parts) > 1 else {})
            elif command in ("a", "answer"):
                phone.action("answer")
            elif command in ("h", "hangup"):
                phone.action("hangup")
            elif command:
                phone.action("digits", {"digits": command})
        except PhoneError as error:
            print(f"!  {error}", file=out)
    stop.set()
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m local_connect phone", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--url", default=DEFAULT_URL, help="the local stack (default %(default)s)")
    parser.add_argument("--number", default="+12025550100", help="this phone's number (E.164)")
    parser.add_argument("--script", help='steps separated by ";" (see the module help)')
    args = parser.parse_args(argv)
    phone = PhoneClient(args.url, args.number)
    try:
        phone.catch_up()
    except (PhoneError, OSError) as error:
        print(f"cannot reach the local stack at {args.url}: {error}", file=sys.stderr)
        return 1
    if args.script:
        return run_script(phone, args.script, sys.stdout)
    return interactive(phone, sys.stdout)
