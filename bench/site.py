"""Website budgets: initial JS and CSS (gzip) of the built site, and Lighthouse against it.

Method: sizes are the files web/dist/index.html loads before any interaction (its module script,
modulepreloads and stylesheets), gzip level 9; lazy chunks (the staff pages) are listed apart.
Lighthouse 12 (npm, `make lighthouse-deps` installs it under .tools/) runs Debian's chromium
headless against the real local stack (`python -m local_connect serve`, subprocess) behind a small
gzip proxy, because on AWS CloudFront serves the site compressed and the local dev server does not.
Both Lighthouse presets are reported: mobile (simulated slow 4G, 4x CPU) and desktop.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DIST = REPO / "web" / "dist"
LIGHTHOUSE = REPO / ".tools" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
JS_BUDGET_KB, CSS_BUDGET_KB = 150.0, 30.0
PERF_GOAL, A11Y_GOAL = 95, 95


def gzip_kb(path: Path) -> float:
    return len(gzip.compress(path.read_bytes(), compresslevel=9)) / 1024


def initial_assets(dist: Path = DIST) -> tuple[list[Path], list[Path]]:
    """(JS, CSS) files index.html loads up front."""
    html = (dist / "index.html").read_text(encoding="utf-8")
    js = re.findall(r'<script[^>]+type="module"[^>]+src="/([^"]+)"', html)
    js += re.findall(r'<link[^>]+rel="modulepreload"[^>]+href="/([^"]+)"', html)
    css = re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="/([^"]+)"', html)
    return [dist / p for p in dict.fromkeys(js)], [dist / p for p in dict.fromkeys(css)]


def sizes_section(dist: Path = DIST) -> str:
    js, css = initial_assets(dist)
    js_kb, css_kb = sum(map(gzip_kb, js)), sum(map(gzip_kb, css))
    lazy = sorted(set((dist / "assets").glob("*.js")) - set(js))
    rows = [
        f"| initial JS | {', '.join(p.name for p in js)} | {js_kb:.1f} KB | ≤ {JS_BUDGET_KB:.0f} KB | {'met' if js_kb <= JS_BUDGET_KB else 'MISSED'} |",
        f"| initial CSS | {', '.join(p.name for p in css)} | {css_kb:.1f} KB | ≤ {CSS_BUDGET_KB:.0f} KB | {'met' if css_kb <= CSS_BUDGET_KB else 'MISSED'} |",
    ]
    rows += [f"| lazy chunk | {p.name} | {gzip_kb(p):.1f} KB | (not initial) | |" for p in lazy]
    return "| What | Files | gzip | Goal | |\n|---|---|---|---|---|\n" + "\n".join(rows)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def local_stack() -> Iterator[str]:
    state = Path(tempfile.mkdtemp(prefix="bench-site-"))
    port = _free_port()
    env = {**os.environ, "PORT": str(port), "SQLITE_PATH": str(state / "jam.sqlite3")}
    log = (state / "stack.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "local_connect", "serve", "--port", str(port), "--state-dir", str(state)],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        import requests

        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{base}/local/health", timeout=1).ok:
                    break
            except requests.RequestException:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"local stack did not start:\n{(state / 'stack.log').read_text()}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=15)
        log.close()
        shutil.rmtree(state, ignore_errors=True)


WSGI = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def gzip_proxy(upstream: str, own_origin: str) -> WSGI:
    """Forward to the stack; compress text answers like CloudFront; point /config.json at itself."""
    import requests
    from werkzeug.wrappers import Request, Response

    session = requests.Session()

    @Request.application
    def app(request: Request) -> Response:
        answer = session.request(
            request.method,
            upstream + request.full_path.rstrip("?"),
            data=request.get_data(),
            headers={k: v for k, v in request.headers if k.lower() not in ("host", "accept-encoding")},
            allow_redirects=False,
            timeout=30,
        )
        body = answer.content
        if request.path == "/config.json":
            body = body.replace(upstream.encode(), own_origin.encode())
        headers = {
            k: v
            for k, v in answer.headers.items()
            if k.lower() not in ("content-length", "content-encoding", "transfer-encoding", "connection")
        }
        kind = answer.headers.get("Content-Type", "")
        if "gzip" in request.headers.get("Accept-Encoding", "") and re.search(
            r"text|javascript|json|css|svg", kind
        ):
            body = gzip.compress(body, compresslevel=6)
            headers["Content-Encoding"] = "gzip"
            headers["Vary"] = "Accept-Encoding"
        return Response(body, status=answer.status_code, headers=headers)

    return app


def lighthouse(url: str, preset: str | None) -> dict[str, Any]:
    out = Path(tempfile.mkstemp(suffix=".json")[1])
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--only-categories=performance,accessibility,best-practices",
        "--output=json",
        f"--output-path={out}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking --no-first-run",
    ]
    if preset:
        command.append(f"--preset={preset}")
    subprocess.run(
        command, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=300, capture_output=True
    )
    report: dict[str, Any] = json.loads(out.read_text())
    out.unlink()
    return report


def lighthouse_section() -> str:
    if not LIGHTHOUSE.is_file():
        raise RuntimeError("Lighthouse is not installed: `make lighthouse-deps` (make bench does it)")
    from werkzeug.serving import make_server

    with local_stack() as upstream:
        port = _free_port()
        origin = f"http://127.0.0.1:{port}"
        server = make_server("127.0.0.1", port, gzip_proxy(upstream, origin), threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            rows = []
            for label, preset in (("mobile (default)", None), ("desktop", "desktop")):
                report = lighthouse(origin + "/", preset)
                scores = {k: round(v["score"] * 100) for k, v in report["categories"].items()}
                metrics = {
                    k: report["audits"][k]["displayValue"]
                    for k in (
                        "first-contentful-paint",
                        "largest-contentful-paint",
                        "total-blocking-time",
                        "cumulative-layout-shift",
                    )
                }
                verdict = (
                    "met"
                    if scores["performance"] >= PERF_GOAL and scores["accessibility"] >= A11Y_GOAL
                    else "MISSED"
                )
                rows.append(
                    f"| {label} | {scores['performance']} | {scores['accessibility']} | {scores['best-practices']} | "
                    f"{metrics['first-contentful-paint']} | {metrics['largest-contentful-paint']} | {metrics['total-blocking-time']} | "
                    f"{metrics['cumulative-layout-shift']} | {verdict} |"
                )
        finally:
            server.shutdown()
    return (
        f"Goal: performance ≥ {PERF_GOAL}, accessibility ≥ {A11Y_GOAL} (home page `/`, live hours from the local API).\n\n"
        "| Preset | Performance | Accessibility | Best practices | FCP | LCP | TBT | CLS | Goal |\n"
        "|---|---|---|---|---|---|---|---|---|\n" + "\n".join(rows)
    )


def run() -> str:
    if not (DIST / "index.html").is_file():
        raise RuntimeError("web/dist is not built: `make site`")
    return (
        "## Website (site)\n\n"
        + (__doc__ or "").split("\n\n", 1)[1].strip()
        + "\n\n"
        + sizes_section()
        + "\n\n"
        + lighthouse_section()
        + "\n"
    )
