"""The built site as the stack serves it: files, the SPA fallback, and their caching."""

from __future__ import annotations

from pathlib import Path

from werkzeug.test import Client

from local_connect.stack import site_app


def test_fingerprinted_assets_are_immutable_but_the_fallback_for_a_missing_one_is_not(tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html>", encoding="utf-8")
    (tmp_path / "assets" / "app-1234.js").write_text("console.log(1)", encoding="utf-8")
    client = Client(site_app(tmp_path))

    asset = client.get("/assets/app-1234.js")
    assert asset.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    missing = client.get("/assets/app-old.js")  # an old fingerprint after a rebuild
    assert missing.headers["Cache-Control"] == "no-cache"
    assert client.get("/agent/desk").headers["Cache-Control"] == "no-cache"
