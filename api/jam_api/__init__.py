"""The JAM Contact Center API: a Flask app factory with one blueprint per resource."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask, Response, jsonify
from flask_cors import CORS
from werkzeug.exceptions import RequestEntityTooLarge

from jam_api.auth import TokenVerifier
from jam_api.config import Settings
from jam_api.connect_client import make_connect_client
from jam_api.contact.idempotency import IdempotencyStore
from jam_api.contact.intake import CallIntake, intake_for
from jam_api.contact.rate_limit import CallRateLimiter
from jam_api.contact.routes import contact_blueprint
from jam_api.contact.status import ContactStatusService
from jam_api.hours.address_limit import AddressRateLimiter
from jam_api.hours.cache import TtlCache
from jam_api.hours.directory import HoursDirectory
from jam_api.hours.routes import hours_blueprint
from jam_api.hours.service import HoursService
from jam_api.problems import register_problem_handlers
from jam_api.request_body import MAX_BODY_BYTES, body_too_large
from jam_api.supervisor.metrics import QueueMetricsService
from jam_api.supervisor.routes import supervisor_blueprint
from jam_api.supervisor.surveys import SurveySummaryService

OPENAPI_PATH = Path(__file__).with_name("openapi.json")


def create_app(
    settings: Settings | None = None,
    *,
    connect_client: Any = None,
    verifier: TokenVerifier | None = None,
    hours_service: HoursService | None = None,
    rate_limiter: CallRateLimiter | None = None,
    contact_status: ContactStatusService | None = None,
    now: Callable[[], datetime] | None = None,
    queue_metrics: QueueMetricsService | None = None,
    survey_summary: SurveySummaryService | None = None,
    hours_limiter: AddressRateLimiter | None = None,
    idempotency: IdempotencyStore | None = None,
    call_intake: CallIntake | None = None,
) -> Flask:
    """Build the API. Collaborators can be passed in (tests); by default they come from settings.

    `now` is the instant opening hours are computed for (aware datetime; the wall clock by default):
    the local runtime passes its own clock so the site and the IVR agree on open/closed.
    """
    settings = settings or Settings.from_env()
    # The runtime's clock locally (contact records carry its times), the wall clock on AWS.
    now = now or (lambda: datetime.now(UTC))
    app = Flask(__name__, static_folder=None)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    # Enforced by werkzeug on the bytes read, so a chunked body (no Content-Length) is held to it
    # too. One byte more than the limit: werkzeug stops a stream at the limit without an error
    # (LimitedStream.readall), so reading limit + 1 bytes is how request_body sees it was longer.
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES + 1
    connect = connect_client or make_connect_client(settings)
    cache: TtlCache[dict[str, Any]] = TtlCache(
        settings.hours_cache_ttl_seconds, settings.hours_cache_max_entries
    )
    app.extensions.update(
        {
            "jam.settings": settings,
            "jam.connect": connect,
            "jam.verifier": verifier or TokenVerifier(settings),
            "jam.hours": hours_service
            or HoursService(
                connect,
                settings.connect_instance_id,
                cache,
                now,
                HoursDirectory(connect, settings.connect_instance_id, settings.hours_ids_ttl_seconds),
            ),
            "jam.hours_limiter": hours_limiter or AddressRateLimiter(*settings.hours_rate_limit),
            "jam.idempotency": idempotency or IdempotencyStore(),
            "jam.rate_limiter": rate_limiter or CallRateLimiter(*settings.call_rate_limit),
            "jam.queue_metrics": queue_metrics
            or QueueMetricsService(connect, settings.connect_instance_id, settings.metrics_queue_ids),
            "jam.survey_summary": survey_summary or SurveySummaryService(settings),
            "jam.now": now,
            # Built on first use: its table client is not paid for by every cold start.
            "jam.call_intake": (lambda: call_intake)
            if call_intake
            else functools.cache(lambda: intake_for(settings, connect, lambda: now().timestamp())),
            "jam.contact_status": contact_status
            or ContactStatusService(connect, settings.connect_instance_id, now=now),
        }
    )
    register_problem_handlers(app)

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(exc: RequestEntityTooLarge) -> Response:
        return body_too_large().response()

    app.register_blueprint(hours_blueprint)
    app.register_blueprint(contact_blueprint)
    app.register_blueprint(supervisor_blueprint)
    # Only the site's own origins; no credentials cookies are used (bearer tokens), so none allowed.
    CORS(
        app,
        resources={
            r"/connect/*": {"origins": list(settings.allowed_origins)},
            r"/surveys/*": {"origins": list(settings.allowed_origins)},
        },
        methods=["GET", "POST", "OPTIONS"],
        allow_headers=["Authorization", "Content-Type", "Idempotency-Key"],
        expose_headers=["Retry-After"],
        max_age=600,
    )

    @app.get("/openapi.json")
    def openapi_document() -> Response:
        return jsonify(json.loads(OPENAPI_PATH.read_text(encoding="utf-8")))

    return app
