"""The supervisor blueprint: live queue metrics, the survey summary and the contact search, supervisors
only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from botocore.exceptions import BotoCoreError, ClientError
from flask import Blueprint, Response, current_app, jsonify, request

from jam_api.connect_errors import problem_for
from jam_api.problems import Problem
from jam_api.supervisor.access import require_supervisor
from jam_api.supervisor.metrics import QueueMetricsService
from jam_api.supervisor.search import contact_view, search_arguments
from jam_api.supervisor.surveys import SurveySummaryService, SurveysUnavailable

supervisor_blueprint = Blueprint("supervisor", __name__)


def _private(response: Response) -> Response:
    # Live, per-user data: no shared cache (CloudFront, proxies) may keep or serve it.
    response.headers["Cache-Control"] = "private, no-store"
    return response


@supervisor_blueprint.get("/connect/metrics/queues")
def queue_metrics() -> Response:
    require_supervisor()
    service: QueueMetricsService = current_app.extensions["jam.queue_metrics"]
    try:
        snapshot = service.snapshot()
    except (ClientError, BotoCoreError) as exc:
        current_app.logger.warning("GetCurrentMetricData/ListQueues failed: %s", exc)
        raise problem_for(exc) from exc
    return _private(jsonify(snapshot))


@supervisor_blueprint.get("/surveys/summary")
def survey_summary() -> Response:
    require_supervisor()
    service: SurveySummaryService = current_app.extensions["jam.survey_summary"]
    try:
        summary = service.summary()
    except SurveysUnavailable as exc:
        current_app.logger.warning("survey results could not be read: %s", exc)
        raise Problem(
            503,
            "surveys-unavailable",
            "Survey results unavailable",
            "The survey results could not be read; try again shortly.",
            retry_after=10,
        ) from exc
    return _private(jsonify(summary))


@supervisor_blueprint.get("/connect/contacts/search")
def search_contacts() -> Response:
    require_supervisor()
    now: Callable[[], datetime] = current_app.extensions["jam.now"]
    arguments = search_arguments(request, current_app.extensions["jam.settings"].connect_instance_id, now())
    metrics: QueueMetricsService = current_app.extensions["jam.queue_metrics"]
    try:
        answer = current_app.extensions["jam.connect"].search_contacts(**arguments)
    except (ClientError, BotoCoreError) as exc:
        current_app.logger.warning("SearchContacts failed: %s", exc)
        raise problem_for(exc) from exc
    try:
        names = metrics.queue_names()
    except (ClientError, BotoCoreError):
        names = {}  # the records without queue names beat no records
    return _private(
        jsonify(
            {
                "contacts": [contact_view(c, names) for c in answer.get("Contacts", [])],
                "totalCount": answer.get("TotalCount"),
                "from": arguments["TimeRange"]["StartTime"].isoformat(),
                "to": arguments["TimeRange"]["EndTime"].isoformat(),
            }
        )
    )
