"""The browser test phone: one static page that drives /local/phones/<number> (see docs/LOCAL-API.md)."""

from __future__ import annotations

from pathlib import Path

PHONE_PAGE = (Path(__file__).with_name("phone.html")).read_text(encoding="utf-8")
