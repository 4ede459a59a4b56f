"""`python -m local_connect serve`: the whole local contact center on one port (`make run`).

    /              the built website            /api          the Flask API (the Lambda's code)
    /connect-api   the Connect API twin (boto3)  /cognito      the local Cognito stand-in
    /local         test phones, agent desktops   /config.json  the website's runtime configuration

The API is imported from the template's ApiFunction CodeUri and configured through its environment
exactly as on AWS, except that its Connect endpoint and token issuer are this stack.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import signal
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from jam_core.aws_sdk import clients as sdk
from jam_core.calls.pacing import Pacer
from jam_core.tables.call_requests import SqliteCallRequests
from local_connect.acd import AcdSettings
from local_connect.call_placer import LocalCallPlacer
from local_connect.clock import AdjustableClock, Clock, WallClock
from local_connect.cognito import api_environment as cognito_environment
from local_connect.cognito.app import create_app as create_cognito_app
from local_connect.definitions import REPO_ROOT, Definitions
from local_connect.demo_agents import DEMO_AGENTS
from local_connect.lex.app import mount as lex_mount
from local_connect.local_api import create_app as create_local_app
from local_connect.numbers import INBOUND_NUMBER
from local_connect.runtime import Runtime, RuntimeOptions
from local_connect.runtime_flows import attach
from local_connect.site_config import DEPARTMENTS, site_config
from local_connect.stack import build_stack
from scripts.seed import main as seed

# What the API's boto3 client signs with against the Connect twin (which accepts any credentials).
LOCAL_CREDENTIALS = {"aws_access_key_id": "local", "aws_secret_access_key": "local"}
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m local_connect serve", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8000))
    parser.add_argument(
        "--state-dir", type=Path, default=REPO_ROOT / "var", help="where contact records and keys are kept"
    )
    parser.add_argument("--offer-timeout", type=float, default=20.0, help="seconds an agent has to accept")
    parser.add_argument("--ring-timeout", type=float, default=30.0, help="seconds a phone rings")
    parser.add_argument(
        "--desk-timeout",
        type=float,
        default=30.0,
        help="seconds an agent desk may stay silent before its agent is set Offline",
    )
    parser.add_argument("--callback-retry-delay", type=float, default=60.0)
    parser.add_argument("--callback-attempts", type=int, default=3)
    parser.add_argument("--throttle", action="store_true", help="Connect's default API quota on /connect-api")
    parser.add_argument(
        "--connect-call-rate",
        type=float,
        default=2.0,
        help="StartOutboundVoiceContact requests a second the click-to-call placer may spend",
    )
    parser.add_argument(
        "--clock-start",
        type=float,
        help="pretend the time is this epoch second at start (hours of operation become predictable)",
    )
    parser.add_argument(
        "--clock-control", action="store_true", help="allow POST /local/clock to move time forward (tests)"
    )
    return parser.parse_args(argv)


def api_environment(definitions: Definitions, base_url: str) -> dict[str, str]:
    """The API's settings for this stack (the same variables the template sets on AWS)."""
    general = definitions.routing_profiles["GeneralistRoutingProfile"]
    env = {
        "CONNECT_ENDPOINT_URL": f"{base_url}/connect-api",
        "CONNECT_INSTANCE_ID": definitions.instance_id,
        "ALLOWED_CONTACT_FLOW_IDS": definitions.flows["WebIngressFlow"].id,
        "OUTBOUND_QUEUE_ID": definitions.queues[general.default_outbound_queue_logical_id].id,
        "ALLOWED_ORIGINS": base_url,
        "COGNITO_ISSUER": f"{base_url}/cognito",
        # The supervisor's survey summary reads what the survey Lambda writes: its SQLite file.
        "DATA_BACKEND": "sqlite",
        "SQLITE_PATH": str(lambda_database()),
        # Which hours each website department keeps (a call to a closed one is refused or waits).
        "DEPARTMENT_HOURS": ",".join(
            f"{department}={definitions.hours[hours_logical_id].id}"
            for department, hours_logical_id, _, _ in DEPARTMENTS
        ),
    }
    env.update(cognito_environment(base_url))
    return env


def site_mounts(definitions: Definitions, base_url: str, state_dir: Path) -> dict[str, WSGIApp]:
    """The local Cognito stand-in and the website's runtime configuration."""
    config = json.dumps(site_config(definitions, base_url)).encode()

    @Request.application
    def config_app(request: Request) -> Response:
        return Response(config, mimetype="application/json", headers={"Cache-Control": "no-cache"})

    return {
        "/cognito": create_cognito_app(base_url, state_dir=state_dir / "cognito"),
        "/config.json": config_app,
    }


def api_app(definitions: Definitions, env: dict[str, str], clock: Clock | None = None) -> WSGIApp:
    """The Flask API from the template's ApiFunction CodeUri, configured through the environment.

    With a clock, the API computes opening hours at the runtime's time (not the wall clock), so the
    website and the IVR agree when the stack runs on a moved clock (`--clock-start`, the e2e tests).
    """
    function = definitions.functions["ApiFunction"]
    package = function.handler.split(".")[0]  # jam_api.lambda_entry.handler -> jam_api
    module = importlib.import_module(package)  # installed with the project (pyproject maps api/)
    config = importlib.import_module(f"{package}.config")
    connect_client = importlib.import_module(f"{package}.connect_client")
    settings = config.Settings.from_env({**os.environ, **env})
    # boto3 needs some credentials to sign; the twin accepts any, so the stack passes its own
    # instead of editing the process environment (real ones are never needed locally).
    connect = connect_client.make_connect_client(settings, credentials=LOCAL_CREDENTIALS)
    now = None if clock is None else (lambda: datetime.fromtimestamp(clock.now(), UTC))
    app: WSGIApp = module.create_app(settings, connect_client=connect, now=now)
    return app


def lambda_database() -> Path:
    """The Lambdas' SQLite file (their SQLITE_PATH), seeded from data/seed the first time."""
    path = Path(os.environ.get("SQLITE_PATH") or REPO_ROOT / "var" / "jam.sqlite3")
    if not path.exists():
        seed(["sqlite", "--sqlite-path", str(path)])
    return path


def attach_flow_engine(runtime: Runtime, base_url: str) -> str:
    """Connect the flow engine to the switchboard; says what runs."""
    attach(runtime, str(lambda_database()), connect_endpoint_url=f"{base_url}/connect-api")
    return "flows: running the template's flow files"


def build(args: argparse.Namespace) -> tuple[Runtime, WSGIApp, str, list[str]]:
    base_url = f"http://{args.host}:{args.port}"
    state_dir: Path = args.state_dir
    options = RuntimeOptions(
        db_path=state_dir / "local_connect.sqlite3",
        acd=AcdSettings(
            offer_timeout=args.offer_timeout,
            callback_retry_delay=args.callback_retry_delay,
            callback_max_attempts=args.callback_attempts,
            desk_timeout=args.desk_timeout,
            presence_clock=WallClock(),
        ),
        ring_timeout=args.ring_timeout,
        throttle=args.throttle,
        clock=AdjustableClock(args.clock_start),
        clock_control=args.clock_control,
    )
    runtime = Runtime(options)
    notes = [attach_flow_engine(runtime, base_url)]
    mounts: dict[str, WSGIApp] = {
        "/connect-api": runtime.connect_app(),
        "/local": create_local_app(runtime, base_url),
    }
    mounts.update(site_mounts(runtime.definitions, base_url, state_dir))
    mounts["/lex"] = lex_mount(runtime, base_url, str(lambda_database()))  # Lex V2 runtime twin (boto3)
    mounts["/api"] = api_app(
        runtime.definitions, api_environment(runtime.definitions, base_url), runtime.clock
    )
    return runtime, build_stack(mounts), base_url, notes


def call_placer(base_url: str, sqlite_path: Path, rate: float, clock: Clock) -> LocalCallPlacer:
    """Places the click-to-calls the API queued (its SQLITE_PATH) through the Connect twin, on the
    runtime's clock (a call for the next opening goes out when the contact center's time gets there)."""
    connect = sdk.client(
        "connect",
        connect_timeout=2.0,
        read_timeout=10.0,
        total_attempts=1,  # the placer itself retries, in order, at the quota's pace
        region_name="us-east-1",
        endpoint_url=f"{base_url}/connect-api",
        aws_access_key_id=LOCAL_CREDENTIALS["aws_access_key_id"],
        aws_secret_access_key=LOCAL_CREDENTIALS["aws_secret_access_key"],
    )
    return LocalCallPlacer(
        SqliteCallRequests(str(sqlite_path)), connect, Pacer(time.monotonic, rate), wall_clock=clock.now
    )


def demo_logins(path: Path = REPO_ROOT / "data" / "seed" / "users.json") -> list[str]:
    """ "username / password (phone)" of the local Cognito's demo users, as the seed file lists them."""
    try:
        users = json.loads(path.read_text(encoding="utf-8"))["users"]
    except (OSError, ValueError, KeyError):
        return ["agents: " + ", ".join(a.username for a in DEMO_AGENTS)]
    lines = []
    for user in users:
        phone = f" ({user['phone_number']})" if user.get("phone_number") else ""
        lines.append(f"{user['username']} / {user['password']}{phone} [{', '.join(user.get('groups', []))}]")
    return lines


def banner(runtime: Runtime, base_url: str, notes: list[str]) -> str:
    lines = [
        "JAM Contact Center (local)",
        f"  website        {base_url}/",
        f"  test phone     {base_url}/local/phone   (dial {INBOUND_NUMBER})",
        f"  local API      {base_url}/local/        (docs/LOCAL-API.md)",
        f"  API            {base_url}/api/openapi.json",
        f"  Connect API    {base_url}/connect-api   (boto3 endpoint_url, any region/credentials)",
        f"  instance id    {runtime.definitions.instance_id}",
        f"  records        {runtime.options.db_path}",
        "  demo logins    " + "\n                 ".join(demo_logins()),
    ]
    if runtime.resumed or runtime.closed:
        lines.append(
            f"  restart        {len(runtime.resumed)} queued callbacks resumed, {len(runtime.closed)} cut-off calls closed"
        )
    lines += [f"  {note}" for note in notes]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    runtime, app, base_url, notes = build(args)
    server = make_server(args.host, args.port, app, threaded=True)
    runtime.start()
    placer = call_placer(base_url, lambda_database(), args.connect_call_rate, runtime.clock)
    placer.start()

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    print(banner(runtime, base_url, notes), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        placer.stop()
        runtime.stop()
    return 0
