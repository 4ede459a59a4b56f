"""`python -m local_connect <command>`: each command lives with the part it belongs to."""

from __future__ import annotations

import importlib
import sys

COMMANDS = {
    "serve": ("local_connect.server", "start the whole local contact center"),
    "call": (
        "local_connect.flows.cli",
        "call a flow (a template flow or any file): prompts printed, keys typed",
    ),
    "check": ("local_connect.flows.check", "validate flows: the template's, or any flow files given"),
    "flowtest": ("local_connect.flows.flowtest", "run scenario files (YAML calls) with coverage per flow"),
    "phone": ("local_connect.phone.cli", "a terminal test phone against a running local stack"),
    "token": ("local_connect.cognito.cli", "print a local ID token for a demo user (what the API expects)"),
}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print("usage: python -m local_connect <command> [args]\n")
        for name, (_, help_text) in COMMANDS.items():
            print(f"  {name:<9} {help_text}")
        return 2
    module = importlib.import_module(COMMANDS[argv[0]][0])
    return int(module.main(argv[1:]) or 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
