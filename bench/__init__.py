"""Benchmarks: `make bench` runs every bench/<area>.py module's run() and writes docs/BENCHMARKS.md."""

import sys
from pathlib import Path

# The API and the Lambdas are deployed from their own folders; import them the way Lambda does.
_REPO = Path(__file__).resolve().parent.parent
for _root in ("api", "lambdas"):
    if str(_REPO / _root) not in sys.path:
        sys.path.insert(0, str(_REPO / _root))
