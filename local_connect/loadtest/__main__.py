"""`python -m local_connect.loadtest`: see local_connect/loadtest/__init__.py and docs/CAPACITY.md."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from local_connect.definitions import REPO_ROOT
from local_connect.loadtest.callers import CallerSettings
from local_connect.loadtest.capacity import Peak
from local_connect.loadtest.client import PollCadence
from local_connect.loadtest.report import kept_notes, markdown, text
from local_connect.loadtest.run import LoadSettings, run


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m local_connect.loadtest", description=__doc__)
    parser.add_argument("--callers", type=int, default=1000, help="concurrent simulated callers")
    parser.add_argument(
        "--duration", type=float, default=120.0, help="seconds of load (the run stops by itself)"
    )
    parser.add_argument(
        "--ramp", type=float, default=30.0, help="callers start evenly over this many seconds"
    )
    parser.add_argument("--max-calls", type=int, default=100_000, help="calls in all, a bound besides time")
    parser.add_argument(
        "--events",
        choices=("sse", "poll"),
        default="sse",
        help="callers read events by SSE stream or by poll",
    )
    parser.add_argument("--poll-timeout", type=float, default=25.0, help="long-poll seconds; 0 = quick looks")
    parser.add_argument("--poll-interval", type=float, default=1.0, help="seconds between quick looks")
    parser.add_argument(
        "--calls-per-hour", type=float, default=Peak.calls_per_hour, help="the peak to plan for"
    )
    parser.add_argument("--ivr-seconds", type=float, default=Peak.ivr_seconds)
    parser.add_argument("--queue-seconds", type=float, default=Peak.queue_seconds)
    parser.add_argument("--talk-seconds", type=float, default=Peak.talk_seconds)
    parser.add_argument("--survey-seconds", type=float, default=Peak.survey_seconds)
    parser.add_argument(
        "--report", type=Path, default=REPO_ROOT / "docs" / "CAPACITY.md", help="Markdown report"
    )
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    settings = LoadSettings(
        callers=args.callers,
        duration=args.duration,
        ramp=min(args.ramp, args.duration),
        max_calls=args.max_calls,
        seed=args.seed,
        callers_settings=CallerSettings(
            cadence=PollCadence(args.poll_timeout, args.poll_interval, args.events == "sse")
        ),
        peak=Peak(
            args.calls_per_hour, args.ivr_seconds, args.queue_seconds, args.talk_seconds, args.survey_seconds
        ),
    )
    result = run(settings)
    print(text(result))
    args.report.write_text(markdown(result) + kept_notes(args.report), encoding="utf-8")
    print(f"\nwritten: {args.report}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
