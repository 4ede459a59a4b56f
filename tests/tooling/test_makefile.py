"""`make help` lists every target people run: each .PHONY target of the Makefile and mk/*.mk has a
`## what it does` note, so a new target cannot be added without appearing in the list."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MAKEFILES = [REPO / "Makefile", *sorted((REPO / "mk").glob("*.mk"))]


def _phony_targets() -> set[str]:
    names: set[str] = set()
    for path in MAKEFILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith(".PHONY:"):
                names |= set(line.split(":", 1)[1].split())
    return names


@pytest.mark.skipif(shutil.which("make") is None, reason="GNU make is not installed")
def test_make_help_lists_every_phony_target_with_a_description() -> None:
    result = subprocess.run(["make", "-s", "help"], cwd=REPO, capture_output=True, text=True, check=True)
    listed = dict(re.findall(r"^\s+make (\S+)\s+(.+)$", result.stdout, re.MULTILINE))
    phony = _phony_targets()
    assert {"run", "test", "check", "bench", "deploy", "call", "phone", "records"} <= phony
    assert phony - set(listed) == set(), "targets without a `## ` note"
    assert all(text.strip() for text in listed.values())


def test_check_runs_no_browser_and_no_site_build() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    (recipe,) = re.findall(r"^check:([^\n]*)\n((?:\t[^\n]*\n)+)", makefile, re.MULTILINE)
    prerequisites, commands = recipe[0].split("##")[0], recipe[1]
    assert "site" not in prerequisites.split() and "system-deps" not in prerequisites.split()
    assert "--ignore=tests/e2e" in commands and "not e2e" in commands
