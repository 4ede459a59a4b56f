"""The survey summary for supervisors: jam_core/tables's report read path, shared with the Lambdas.

jam_core.tables (and the jam_core.connect_lambda settings it uses) are copied next to jam_api by the API's build
(sam/build/Makefile), and are on the import path locally, so the API reads exactly what the survey
Lambda writes: the SurveyResults table on AWS, the Lambdas' SQLite file on the local stack.

A report is not a per-call lookup: one bounded read (REPORT_LIMIT results; on DynamoDB a Scan, see
DynamoDbSurveys.read_for_report) serves every supervisor for SUMMARY_TTL_SECONDS.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from jam_api.config import Settings
from jam_api.hours.cache import TtlCache

SUMMARY_TTL_SECONDS = 10.0
REPORT_LIMIT = 1000
RECENT_RESULTS = 10


class SurveysUnavailable(Exception):
    """The survey store could not be read (DynamoDB or the local SQLite file)."""


class SurveySummaryService:
    def __init__(
        self,
        settings: Settings,
        *,
        ttl: float = SUMMARY_TTL_SECONDS,
        limit: int = REPORT_LIMIT,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._settings = settings
        self._limit = limit
        self._cache: TtlCache[dict[str, Any]] = TtlCache(ttl, 1, clock)

    def summary(self) -> dict[str, Any]:
        return self._cache.get("summary", self._read)

    def _read(self) -> dict[str, Any]:
        # Deferred: the data layer (sqlite3, and on AWS the DynamoDB client) is paid for by the
        # first summary, not by every cold start of the API.
        import sqlite3

        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return self._report()
        except (ClientError, BotoCoreError, sqlite3.Error) as exc:
            raise SurveysUnavailable(str(exc)) from exc

    def _report(self) -> dict[str, Any]:
        from jam_core.connect_lambda.settings import Settings as DataSettings
        from jam_core.tables import survey_report

        data = DataSettings(
            backend=self._settings.data_backend,
            sqlite_path=self._settings.sqlite_path or DataSettings.sqlite_path,
            survey_table=self._settings.survey_table,
        )
        return survey_report.report(data, limit=self._limit, recent_count=RECENT_RESULTS)
