"""What the SQLite backend promises beyond the contract: crash safety, threads, the report path,
and a broken configuration answered with the fallback instead of an exception."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest
from customer_lookup.handler import lambda_handler as customer_lookup
from pin_verification.handler import lambda_handler as pin_verification
from survey.handler import lambda_handler as survey

from jam_core.connect_lambda.settings import Settings
from jam_core.tables import pepper, repositories, survey_report
from jam_core.tables.pin_hash import hash_pin
from jam_core.tables.surveys import Answer, SurveyResult
from tests.lambdas.conftest import SAMPLE_EVENT, connect_event

REPO = Path(__file__).resolve().parents[2]


def result(contact_id: str, *answers: str, queue: str = "Sales - New Orders") -> SurveyResult:
    a1, a2, a3 = (Answer.parse(a) for a in answers)
    return SurveyResult(
        contact_id, f"2026-11-24T10:00:00.{contact_id[-3:]}Z", queue, "agent", "en-US", (a1, a2, a3)
    )


def test_a_process_killed_mid_write_leaves_no_half_survey(sqlite_env: Path) -> None:
    """SIGKILL between the INSERT and the COMMIT: afterwards the survey is absent, not partial."""
    script = textwrap.dedent(
        f"""
        import os, signal, sys
        sys.path.insert(0, {str(REPO / "lambdas")!r})
        from jam_core.tables import sqlite_db
        from jam_core.tables.surveys import SqliteSurveys, SurveyResult, Answer
        conn = sqlite_db.connection({str(sqlite_env)!r})
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO survey_results (contact_id, recorded_at, queue_name, agent_user_name, "
            "language_code, q1, q1_status, q1_score, q2, q2_status, q2_score, q3, q3_status, q3_score) "
            "VALUES ('killed', 't', 'q', 'a', 'en-US', '5', 'valid', 5, '', 'missing', NULL, '', 'missing', NULL)"
        )
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    process = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60, check=False)
    assert process.returncode == -signal.SIGKILL, process.stderr
    with sqlite3.connect(sqlite_env) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM survey_results").fetchone()[0] == 0
    # The same contact can still be stored afterwards: the killed write held nothing.
    assert survey(connect_event({"Q1": "5"}, ContactId="killed"))["duplicate"] == "false"


def test_database_file_is_created_in_wal_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "nested" / "dir" / "jam.sqlite3"
    monkeypatch.setenv("SQLITE_PATH", str(path))
    assert customer_lookup(SAMPLE_EVENT)["found"] == "false"
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_concurrent_retries_of_one_survey_store_it_once(sqlite_env: Path) -> None:
    replies: list[dict[str, str]] = []
    event = connect_event({"Q1": "4", "Q2": "4", "Q3": "4"})
    threads = [threading.Thread(target=lambda: replies.append(survey(event))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r["duplicate"] for r in replies) == ["false"] + ["true"] * 7
    assert len(repositories.surveys(Settings.from_env()).list_recent()) == 1


def test_concurrent_wrong_pins_are_all_counted(backend: Settings) -> None:
    repositories.pins(backend).enroll("+12025550100", hash_pin("1234", pepper.get(backend)))
    pins = repositories.pins(backend)
    counts: list[int] = []
    lock = threading.Lock()
    updates: list[str] = []
    if backend.backend == "dynamodb":
        # DynamoDB makes one UpdateItem's ADD atomic (its reference); moto, the stand-in, does not
        # lock between threads. So here: every failure is that one atomic call, never a read and a
        # write, and the count it returns is DynamoDB's.
        from jam_core.tables import dynamo

        def record(params: dict[str, Any], **_: Any) -> None:
            updates.append(str(params.get("UpdateExpression", "")))

        dynamo.client().meta.events.register("provide-client-params.dynamodb.UpdateItem", record)
        for _ in range(20):
            counts.append(pins.record_failure("+12025550100"))
        assert len(updates) == 20 and all(u.startswith("ADD FailedAttempts :one") for u in updates)
    else:

        def fail_five_times() -> None:
            for _ in range(5):
                value = pins.record_failure("+12025550100")
                with lock:
                    counts.append(value)

        threads = [threading.Thread(target=fail_five_times) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(counts) == list(range(1, 21))
    assert pins.get("+12025550100").failed_attempts == 20  # type: ignore[union-attr]


def test_survey_report_counts_and_averages(backend: Settings) -> None:
    surveys = repositories.surveys(backend)
    surveys.record(result("c-001", "5", "4", "", queue="Sales - New Orders"))
    surveys.record(result("c-002", "3", "x", "", queue="Sales - New Orders"))
    surveys.record(result("c-003", "1", "2", "5", queue="Support - Devices"))
    items = [r.to_item() for r in surveys.list_recent()]
    assert [item["ContactId"] for item in items] == ["c-003", "c-002", "c-001"]
    assert items[0]["Q3Score"] == 5 and items[1]["Q2Status"] == "invalid"
    report = survey_report.summary(surveys.list_recent())
    assert report["count"] == 3
    assert report["questions"]["Q1"] == {"valid": 3, "invalid": 0, "missing": 0, "average": 3.0}
    assert report["questions"]["Q2"] == {"valid": 2, "invalid": 1, "missing": 0, "average": 3.0}
    assert report["questions"]["Q3"] == {"valid": 1, "invalid": 0, "missing": 2, "average": 5.0}
    sales = report["queues"]["Sales - New Orders"]
    assert sales["count"] == 2 and sales["questions"]["Q1"]["average"] == 4.0
    assert report["queues"]["Support - Devices"]["questions"]["Q2"]["average"] == 2.0
    assert list(report["agents"]) == ["agent"] and report["agents"]["agent"]["count"] == 3


def test_supervisor_report_is_the_summary_of_a_bounded_read_with_the_newest_results(
    backend: Settings,
) -> None:
    surveys = repositories.surveys(backend)
    for n in range(1, 6):
        surveys.record(result(f"c-00{n}", str(n), "5", "", queue="Support - Devices"))
    everything = survey_report.report(backend, limit=10, recent_count=2)
    assert everything["complete"] is True and everything["count"] == 5 and everything["limit"] == 10
    assert [item["ContactId"] for item in everything["recent"]] == ["c-005", "c-004"]
    assert everything["questions"]["Q1"]["average"] == 3.0
    assert everything["agents"]["agent"]["questions"]["Q2"]["average"] == 5.0
    bounded = survey_report.report(backend, limit=3)
    assert bounded["complete"] is False and bounded["count"] == 3 and len(bounded["recent"]) == 3


def test_empty_report() -> None:
    report = survey_report.summary([])
    assert report["count"] == 0 and report["queues"] == {} and report["agents"] == {}
    assert report["questions"]["Q1"]["average"] is None


@pytest.mark.parametrize(
    ("variable", "value"),
    [("DATA_BACKEND", "postgres"), ("PIN_MAX_ATTEMPTS", "three"), ("PIN_MAX_ATTEMPTS", "0")],
)
@pytest.mark.parametrize(
    ("handler", "fallback"),
    [
        (customer_lookup, {"found": "false", "error": "lookup_failed", "PhoneNational": ""}),
        (survey, {"stored": "false", "duplicate": "false", "error": "store_failed"}),
        (
            pin_verification,
            {
                "verified": "false",
                "locked": "false",
                "attemptsRemaining": "0",
                "enrolled": "false",
                "error": "verification_failed",
            },
        ),
    ],
)
def test_broken_configuration_answers_the_fallback(
    sqlite_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    variable: str,
    value: str,
    handler: Any,
    fallback: dict[str, str],
) -> None:
    monkeypatch.setenv(variable, value)
    assert handler(connect_event({"Pin": "1234", "Q1": "5"})) == fallback
    assert '"event":"handler_failed"' in capsys.readouterr().out


def test_settings_from_env_defaults_and_overrides() -> None:
    assert Settings.from_env({}) == Settings()
    settings = Settings.from_env(
        {"DATA_BACKEND": " DynamoDB ", "CUSTOMER_TABLE": "c", "PIN_MAX_ATTEMPTS": "5", "SQLITE_PATH": "/x.db"}
    )
    assert (settings.backend, settings.customer_table, settings.pin_max_attempts, settings.sqlite_path) == (
        "dynamodb",
        "c",
        5,
        "/x.db",
    )
    assert os.path.basename(Settings().sqlite_path) == "jam.sqlite3"


def test_dynamodb_client_gives_up_before_connect_does(aws_account: Any) -> None:
    """Connect waits at most 8 s for a Lambda; the client's worst case must fit well inside."""
    config = aws_account.meta.config
    attempts = config.retries["total_max_attempts"]
    # Each attempt may time out connecting and reading; standard-mode backoff before a retry is < 1 s.
    worst_case = (config.connect_timeout + config.read_timeout) * attempts + (attempts - 1)
    assert worst_case <= 8 * 0.75, worst_case
