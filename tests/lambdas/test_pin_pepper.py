"""Keyed PIN hashes and their pepper: the scheme, where the pepper comes from, how often it is
read, and what the PIN Lambda answers when it cannot be read."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import boto3
import pytest
from pin_verification.handler import lambda_handler as pin_verification

from jam_core.aws_sdk import secretsmanager
from jam_core.connect_lambda.settings import Settings
from jam_core.tables import pepper, repositories
from jam_core.tables.pin_hash import SCHEME_KEYED, PinHash, hash_pin, hash_pin_pbkdf2, matches
from scripts import seed as seed_script
from tests.lambdas.conftest import REGION, SAMPLE_EVENT, connect_event

CALLER = SAMPLE_EVENT["Details"]["ContactData"]["CustomerEndpoint"]["Address"]
PEPPER = b"a" * 64
OTHER_PEPPER = b"b" * 64


def pin_event(pin: str) -> dict[str, Any]:
    return connect_event({"Pin": pin})


# ---------------------------------------------------------------- the scheme


def test_keyed_hash_round_trip_and_wrong_pin() -> None:
    stored = hash_pin("1234", PEPPER)
    assert (stored.scheme, stored.iterations, len(bytes.fromhex(stored.salt))) == (SCHEME_KEYED, 0, 16)
    assert matches("1234", stored, PEPPER)
    assert not matches("1235", stored, PEPPER)
    assert not matches("12345", stored, PEPPER)


def test_a_different_pepper_matches_nothing() -> None:
    stored = hash_pin("1234", PEPPER)
    assert not any(matches(f"{n:04d}", stored, OTHER_PEPPER) for n in range(10_000))


def test_the_digest_depends_on_salt_and_pepper() -> None:
    salt = bytes(16)
    assert hash_pin("1234", PEPPER, salt) == hash_pin("1234", PEPPER, salt)
    assert hash_pin("1234", PEPPER, salt).digest != hash_pin("1234", OTHER_PEPPER, salt).digest
    assert hash_pin("1234", PEPPER, salt).digest != hash_pin("1234", PEPPER, b"\x01" * 16).digest


def test_a_legacy_pbkdf2_record_still_verifies_without_the_pepper() -> None:
    legacy = hash_pin_pbkdf2("1234", 1000)
    assert matches("1234", legacy) and not matches("4321", legacy)
    # The record as stored before schemes existed (no scheme field) is PBKDF2.
    assert matches("1234", PinHash(legacy.salt, legacy.digest, 1000))


def test_a_keyed_record_without_the_pepper_or_an_unknown_scheme_is_an_error_not_a_mismatch() -> None:
    with pytest.raises(ValueError, match="pepper"):
        matches("1234", hash_pin("1234", PEPPER), None)
    stored = hash_pin("1234", PEPPER)
    with pytest.raises(ValueError, match="scheme"):
        matches("1234", PinHash(stored.salt, stored.digest, 0, "md5"), PEPPER)


# ---------------------------------------------------------------- the handler, locally (file)


def test_legacy_and_keyed_records_both_verify_through_the_handler(sqlite_env: Path) -> None:
    settings = Settings.from_env()
    repositories.pins(settings).enroll(CALLER, hash_pin_pbkdf2("2468", 1000))
    assert pin_verification(pin_event("2468"))["verified"] == "true"
    assert pin_verification(pin_event("1357"))["attemptsRemaining"] == "2"
    repositories.pins(settings).enroll(CALLER, hash_pin("1357", pepper.get(settings)))
    assert pin_verification(pin_event("1357"))["verified"] == "true"


def test_a_pin_keyed_with_another_pepper_is_a_wrong_pin(sqlite_env: Path) -> None:
    repositories.pins(Settings.from_env()).enroll(CALLER, hash_pin("1234", OTHER_PEPPER))
    reply = pin_verification(pin_event("1234"))
    assert (reply["verified"], reply["attemptsRemaining"]) == ("false", "2")


def test_the_local_pepper_file_is_created_once_private_and_reused(
    sqlite_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "keys" / "pin-pepper"
    monkeypatch.setenv("PIN_PEPPER_FILE", str(path))
    first = pepper.get(Settings.from_env())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(first) == 64 and int(first, 16) >= 0  # 32 random bytes, hex
    pepper.reset()  # a new container reads the same file, not a new pepper
    assert pepper.get(Settings.from_env()) == first


def test_without_pepper_file_setting_the_pepper_sits_beside_the_database(sqlite_env: Path) -> None:
    settings = Settings(sqlite_path=str(sqlite_env))
    assert settings.pepper_file == str(sqlite_env.parent / "pin-pepper")


def test_an_unreadable_pepper_answers_the_fallback_counts_nothing_and_logs(
    sqlite_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings.from_env()
    repositories.pins(settings).enroll(CALLER, hash_pin("1234", pepper.get(settings)))
    pepper.reset()
    short = tmp_path / "short-pepper"
    short.write_text("too short\n", encoding="utf-8")
    monkeypatch.setenv("PIN_PEPPER_FILE", str(short))
    reply = pin_verification(pin_event("1234"))
    assert reply == {
        "verified": "false",
        "locked": "false",
        "attemptsRemaining": "0",
        "enrolled": "false",
        "error": "verification_failed",
    }
    assert repositories.pins(settings).get(CALLER).failed_attempts == 0  # type: ignore[union-attr]
    assert '"pin_pepper_unavailable"' in capsys.readouterr().out


# ---------------------------------------------------------------- on AWS (Secrets Manager)


@pytest.fixture
def pepper_secret(dynamodb_env: Any, monkeypatch: pytest.MonkeyPatch) -> str:
    """A secret holding the pepper in the mocked account; PIN_PEPPER_SECRET_ARN names it."""
    client = boto3.client("secretsmanager", region_name=REGION)
    arn = str(client.create_secret(Name="jam-pin-pepper", SecretString=PEPPER.decode())["ARN"])
    monkeypatch.setenv("PIN_PEPPER_SECRET_ARN", arn)
    monkeypatch.setenv("PIN_PEPPER_FILE", "/nonexistent/never-read")
    return arn


def count_secret_reads() -> list[str]:
    reads: list[str] = []
    secretsmanager.client().meta.events.register(
        "before-call.secretsmanager.GetSecretValue", lambda **_: reads.append("GetSecretValue")
    )
    return reads


def test_the_secret_is_read_once_per_container_on_the_first_pin_check(pepper_secret: str) -> None:
    repositories.pins(Settings.from_env()).enroll(CALLER, hash_pin("1234", PEPPER))
    reads = count_secret_reads()
    assert (
        pin_verification(connect_event({"Pin": "1234", "PhoneNumber": "+13125550199"}))["enrolled"] == "false"
    )
    assert reads == []  # lazily: no PIN was checked yet
    replies = [pin_verification(pin_event(pin))["verified"] for pin in ("1234", "0000", "1234", "1234")]
    assert replies == ["true", "false", "true", "true"]
    assert reads == ["GetSecretValue"]
    pepper.reset()  # a new container
    assert pin_verification(pin_event("1234"))["verified"] == "true"
    assert reads == ["GetSecretValue"] * 2


def test_a_missing_secret_answers_the_fallback_and_is_tried_again(
    pepper_secret: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    repositories.pins(Settings.from_env()).enroll(CALLER, hash_pin("1234", PEPPER))
    monkeypatch.setenv("PIN_PEPPER_SECRET_ARN", pepper_secret.replace("jam-pin-pepper", "gone"))
    reads = count_secret_reads()
    for _ in range(2):
        reply = pin_verification(pin_event("1234"))
        assert (reply["verified"], reply["error"]) == ("false", "verification_failed")
    assert len(reads) >= 2  # a failed read is not kept: each invocation tries again
    assert repositories.pins(Settings.from_env()).get(CALLER).failed_attempts == 0  # type: ignore[union-attr]
    monkeypatch.setenv("PIN_PEPPER_SECRET_ARN", pepper_secret)
    assert pin_verification(pin_event("1234"))["verified"] == "true"


def test_seed_on_dynamodb_keys_pins_with_the_secret_and_the_handler_verifies(pepper_secret: str) -> None:
    assert seed_script.main(["dynamodb"]) == 0
    number, pin = seed_script.read_seed().pins[0]
    record = repositories.pins(Settings.from_env()).get(number)
    assert record is not None and record.pin.scheme == SCHEME_KEYED
    assert matches(pin, record.pin, PEPPER) and not matches(pin, record.pin, OTHER_PEPPER)
    assert pin_verification(connect_event({"Pin": pin, "PhoneNumber": number}))["verified"] == "true"
    assert not os.path.exists("/nonexistent/never-read")


def test_seed_on_sqlite_keys_pins_with_the_file_the_handler_reads(sqlite_env: Path) -> None:
    assert seed_script.main(["sqlite"]) == 0
    number, pin = seed_script.read_seed().pins[0]
    record = repositories.pins(Settings.from_env()).get(number)
    key = Path(os.environ["PIN_PEPPER_FILE"]).read_text(encoding="utf-8").strip().encode()
    assert record is not None and matches(pin, record.pin, key)
    pepper.reset()  # the Lambda in a container of its own
    assert pin_verification(connect_event({"Pin": pin, "PhoneNumber": number}))["verified"] == "true"


def test_a_database_from_before_schemes_gets_the_column_and_its_pins_still_verify(sqlite_env: Path) -> None:
    import sqlite3

    legacy = hash_pin_pbkdf2("8080", 1000)
    with sqlite3.connect(sqlite_env) as conn:  # the pin_state table as it was, with one PIN
        conn.execute(
            "CREATE TABLE pin_state (phone_number TEXT PRIMARY KEY, pin_salt TEXT NOT NULL, "
            "pin_hash TEXT NOT NULL, iterations INTEGER NOT NULL, "
            "failed_attempts INTEGER NOT NULL DEFAULT 0, updated_at TEXT NOT NULL)"
        )
        conn.execute(
            "INSERT INTO pin_state VALUES (?, ?, ?, 1000, 0, '2026-01-01T00:00:00Z')",
            (CALLER, legacy.salt, legacy.digest),
        )
    conn.close()
    assert pin_verification(pin_event("8080"))["verified"] == "true"
    record = repositories.pins(Settings.from_env()).get(CALLER)
    assert record is not None and (record.pin.scheme, record.pin.iterations) == ("pbkdf2-sha256", 1000)
