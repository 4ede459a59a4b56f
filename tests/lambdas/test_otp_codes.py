"""The OtpCodes contract (SQLite and DynamoDB alike) and the local SMS outbox."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from jam_core.connect_lambda.settings import Settings
from jam_core.tables import repositories
from jam_core.tables.otp_codes import OtpNotIssued
from jam_core.tables.pin_hash import SCHEME_KEYED, hash_pin, matches
from jam_core.tables.sms_outbox import SqliteSmsOutbox

PEPPER = b"otp-contract-pepper-0123456789abcdef"
NUMBER = "+12025550101"


def test_no_code_is_none(backend: Settings) -> None:
    assert repositories.otp_codes(backend).get(NUMBER) is None


def test_a_code_is_stored_as_a_keyed_hash_with_its_expiry(backend: Settings) -> None:
    codes = repositories.otp_codes(backend)
    codes.issue(NUMBER, hash_pin("123456", PEPPER), 1_800_000_300.0)
    record = codes.get(NUMBER)
    assert record is not None
    assert (record.expires_at, record.failed_attempts, record.used) == (1_800_000_300.0, 0, False)
    assert record.code.scheme == SCHEME_KEYED and "123456" not in (record.code.digest + record.code.salt)
    assert matches("123456", record.code, PEPPER) and not matches("654321", record.code, PEPPER)


def test_a_new_code_replaces_the_old_and_clears_its_count(backend: Settings) -> None:
    codes = repositories.otp_codes(backend)
    codes.issue(NUMBER, hash_pin("111111", PEPPER), 1_800_000_300.0)
    codes.record_failure(NUMBER)
    codes.mark_used(NUMBER)
    codes.issue(NUMBER, hash_pin("222222", PEPPER), 1_800_000_600.0)
    record = codes.get(NUMBER)
    assert record is not None and (record.failed_attempts, record.used) == (0, False)
    assert matches("222222", record.code, PEPPER) and not matches("111111", record.code, PEPPER)


def test_failures_count_up_and_a_used_code_stays_used(backend: Settings) -> None:
    codes = repositories.otp_codes(backend)
    codes.issue(NUMBER, hash_pin("123456", PEPPER), 1_800_000_300.0)
    assert [codes.record_failure(NUMBER) for _ in range(3)] == [1, 2, 3]
    codes.mark_used(NUMBER)
    record = codes.get(NUMBER)
    assert record is not None and (record.failed_attempts, record.used) == (3, True)


def test_no_code_cannot_fail_or_be_used(backend: Settings) -> None:
    codes = repositories.otp_codes(backend)
    with pytest.raises(OtpNotIssued):
        codes.record_failure(NUMBER)
    if backend.backend == "dynamodb":
        with pytest.raises(OtpNotIssued):
            codes.mark_used(NUMBER)
    else:
        codes.mark_used(NUMBER)  # an UPDATE of no row
    assert codes.get(NUMBER) is None


def test_concurrent_failures_are_all_counted(sqlite_env: Path) -> None:
    codes = repositories.otp_codes(Settings.from_env())
    codes.issue(NUMBER, hash_pin("123456", PEPPER), 1_800_000_300.0)
    with ThreadPoolExecutor(max_workers=4) as pool:
        counts = sorted(pool.map(lambda _: codes.record_failure(NUMBER), range(8)))
    assert counts == list(range(1, 9))


def test_the_outbox_keeps_each_numbers_messages_in_order(tmp_path: Path) -> None:
    outbox = SqliteSmsOutbox(str(tmp_path / "jam.sqlite3"))
    first = outbox.send(NUMBER, "Your JAM code is 123456.", sent_at=10.0)
    outbox.send("+12025550102", "someone else's")
    outbox.send(NUMBER, "Your JAM code is 654321.", sent_at=20.0)
    assert [m.body for m in outbox.messages(NUMBER)] == [
        "Your JAM code is 123456.",
        "Your JAM code is 654321.",
    ]
    assert [m.body for m in outbox.messages(NUMBER, after=first)] == ["Your JAM code is 654321."]
