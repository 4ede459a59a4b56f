"""RFC 9457 problem details: every error the API gives is one of these, never a stack trace."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify
from werkzeug.exceptions import HTTPException

PROBLEM_TYPE_BASE = "https://jam-contact-center.example/problems/"
PROBLEM_JSON = "application/problem+json"


class Problem(Exception):
    """Raise anywhere in a request to answer with problem+json."""

    def __init__(
        self,
        status: int,
        slug: str,
        title: str,
        detail: str,
        *,
        field: str | None = None,
        retry_after: int | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.field = field
        self.retry_after = retry_after
        self.headers = dict(headers or {})
        # Further members (RFC 9457 allows extensions), e.g. a 401's machine-readable `reason`.
        self.extra = dict(extra or {})

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": PROBLEM_TYPE_BASE + self.slug,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if self.field is not None:
            body["field"] = self.field
        if self.retry_after is not None:
            body["retryAfter"] = self.retry_after
        return {**body, **self.extra}

    def response(self) -> Response:
        response = jsonify(self.body())
        response.status_code = self.status
        response.mimetype = PROBLEM_JSON
        if self.retry_after is not None:
            response.headers["Retry-After"] = str(self.retry_after)
        response.headers.update(self.headers)
        return response


def bad_request(detail: str, field: str | None = None) -> Problem:
    return Problem(400, "invalid-request", "The request is not valid", detail, field=field)


def unprocessable(detail: str, field: str) -> Problem:
    return Problem(422, "invalid-field", "A field has an unacceptable value", detail, field=field)


def forbidden(slug: str, detail: str, field: str | None = None) -> Problem:
    return Problem(403, slug, "This request is not allowed", detail, field=field)


def register_problem_handlers(app: Flask) -> None:
    @app.errorhandler(Problem)
    def _problem(problem: Problem) -> Response:
        return problem.response()

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Response:
        status = exc.code or 500
        # werkzeug's own headers (Allow on a 405, which RFC 9110 requires) but not its content type.
        headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
        return Problem(
            status, f"http-{status}", exc.name, exc.description or exc.name, headers=headers
        ).response()

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        # Logged with the trace for us; the client learns only that it was our fault.
        app.logger.exception("unhandled error")
        return Problem(
            500, "internal-error", "Internal error", "Something went wrong on our side; try again."
        ).response()
