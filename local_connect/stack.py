"""The whole local contact center as one WSGI application on one port.

Each part is mounted under its own prefix, the way the parts sit behind different hosts on AWS:
    /              the built website (web/dist), with SPA fallback
    /api           the Flask API, imported from the template's ApiFunction (same code as Lambda)
    /connect-api   the Amazon Connect API twin (boto3 endpoint_url)
    /cognito       the local stand-in for Cognito (OIDC + Hosted UI)
    /local         the runtime's own endpoints (test phones, agent desktop)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.wrappers import Request, Response

from local_connect.definitions import REPO_ROOT

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
SITE_DIR = REPO_ROOT / "web" / "dist"


def site_app(site_dir: Path = SITE_DIR) -> WSGIApp:
    """Serve the built site; unknown paths get index.html so client-side routes work."""

    @Request.application
    def app(request: Request) -> Response:
        relative = request.path.lstrip("/") or "index.html"
        candidate = (site_dir / relative).resolve()
        found = candidate.is_relative_to(site_dir.resolve()) and candidate.is_file()
        if not found:
            candidate = site_dir / "index.html"
        if not candidate.is_file():
            return Response("site not built: run `make site`", status=503, mimetype="text/plain")
        response = Response(candidate.read_bytes(), mimetype=_mimetype(candidate))
        # Vite fingerprints assets, so they can be cached forever; index.html must not be, even
        # when it answers for an asset that is not there (an old fingerprint after a rebuild).
        immutable = found and "/assets/" in request.path
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable" if immutable else "no-cache"
        return response

    return app


def _mimetype(path: Path) -> str:
    import mimetypes

    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def build_stack(mounts: dict[str, WSGIApp], site_dir: Path = SITE_DIR) -> WSGIApp:
    return DispatcherMiddleware(site_app(site_dir), mounts)
