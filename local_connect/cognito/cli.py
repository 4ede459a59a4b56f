"""`make token USER=<demo user>`: print a token of the local pool for curl and scripts.

Prints the ID token by default, the one the API expects (`Authorization: Bearer …`); `--access`
prints the access token instead. Tokens are signed with the pool's persisted key, so they verify
against a running local stack with the same base URL (the issuer is part of the token).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from local_connect.cognito import LOCAL_CLIENT_ID, SEED_USERS, STATE_DIR, issuer_for
from local_connect.cognito.keys import load_or_create_signing_key
from local_connect.cognito.tokens import DEFAULT_SCOPE, TokenMinter
from local_connect.cognito.users import UserPool


def default_base_url() -> str:
    return os.environ.get("LOCAL_BASE_URL") or f"http://127.0.0.1:{os.environ.get('PORT') or 8000}"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="make token USER=", description=__doc__)
    parser.add_argument("username", nargs="?", help="a demo user of data/seed/users.json, e.g. maria")
    parser.add_argument("--access", action="store_true", help="print the access token, not the ID token")
    parser.add_argument(
        "--base-url", default=default_base_url(), help="the local stack's URL (issuer = URL/cognito)"
    )
    parser.add_argument("--state-dir", type=Path, default=STATE_DIR, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not args.username:
        parser.print_usage(sys.stderr)
        print(
            "demo users are listed in data/seed/users.json (e.g. maria, john, agent.sales, supervisor)",
            file=sys.stderr,
        )
        return 2
    pool = UserPool(args.state_dir / "users.sqlite3", SEED_USERS if SEED_USERS.is_file() else None)
    try:
        user = pool.get(args.username)
    finally:
        pool.close()
    if user is None or not user.confirmed:
        demo = ", ".join(u["username"] for u in json.loads(SEED_USERS.read_text(encoding="utf-8"))["users"])
        print(f"no confirmed user {args.username!r} in the local pool (demo users: {demo})", file=sys.stderr)
        return 1
    minter = TokenMinter(load_or_create_signing_key(args.state_dir), issuer_for(args.base_url))
    id_token, access_token = minter.pair(user, LOCAL_CLIENT_ID, DEFAULT_SCOPE, int(time.time()))
    print(access_token if args.access else id_token)
    return 0
