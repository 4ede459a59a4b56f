"""The Lambdas import only the standard library (and boto3, lazily, on the DynamoDB backend).

Checked in a fresh interpreter that imports every handler and answers the sample event on SQLite:
any module loaded from outside the standard library and lambdas/ would cost every cold start.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HANDLERS = ("customer_lookup", "prompts", "survey", "pin_verification")
OWN_PACKAGES = {*HANDLERS, "jam_core"}

PROBE = f"""
import json, os, sys
os.environ.update(DATA_BACKEND="sqlite", SQLITE_PATH=sys.argv[1])
event = json.load(open(sys.argv[2]))
import importlib, io, contextlib
with contextlib.redirect_stdout(io.StringIO()):
    for name in {HANDLERS!r}:
        importlib.import_module(name + ".handler").lambda_handler(event, None)
print(json.dumps(sorted({{m.split(".")[0] for m in sys.modules}})))
"""


def test_handlers_load_nothing_but_the_standard_library(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            # Isolated and without site: no site-packages, no PYTHONPATH, so a third-party import fails.
            "-I",
            "-S",
            "-c",
            # The function's artifact is its CodeUri (lambdas/) plus the shared package (jam_core).
            f"import sys; sys.path[:0] = [{str(REPO / 'lambdas')!r}, {str(REPO)!r}]; exec({PROBE!r})",
            str(tmp_path / "jam.sqlite3"),
            str(REPO / "tests" / "lambdas" / "fixtures" / "connect-contact-flow.json"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    loaded = set(json.loads(result.stdout.splitlines()[-1]))
    outside = sorted(m for m in loaded - OWN_PACKAGES if m not in sys.stdlib_module_names and m != "__main__")
    assert outside == []
    assert not {"boto3", "botocore"} & loaded
