"""The seed files and their loader (python -m scripts.seed sqlite|dynamodb)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from customer_lookup.handler import lambda_handler as customer_lookup
from pin_verification.handler import lambda_handler as pin_verification
from prompts.handler import lambda_handler as prompts

from jam_core.connect_lambda.responses import MAX_RESPONSE_BYTES, response_size
from jam_core.connect_lambda.settings import Settings
from jam_core.tables import repositories
from scripts import seed as seed_script
from tests.lambdas.conftest import connect_event

SEED = seed_script.read_seed()


def test_demo_customers_include_vips_and_pins() -> None:
    numbers = [c["PhoneNumber"] for c in SEED.customers]
    assert len(numbers) == len(set(numbers)) >= 8
    vips = [c for c in SEED.customers if c["VIP"] is True]
    assert 2 <= len(vips) < len(SEED.customers)
    assert {c["PreferredLanguage"] for c in SEED.customers} == {"en-US", "es-US"}
    pin_numbers = [number for number, _ in SEED.pins]
    assert len(pin_numbers) >= 3 and set(pin_numbers) <= set(numbers)


def test_every_seeded_prompt_has_every_language() -> None:
    # data/seed/prompts.json is the flows' file; every prompt Id needs en-US and es-US text.
    assert seed_script.missing_languages(SEED.prompts) == []


def test_missing_languages_names_flow_prompt_and_language() -> None:
    items = [
        {
            "ContactFlowName": "JAM Inbound",
            "Prompts": [
                {"Id": "Welcome", "PromptText": {"en-US": "Welcome", "es-US": "Bienvenido"}},
                {"Id": "Menu", "PromptText": {"en-US": "Press 1"}},
                {"Id": "Bye", "PromptText": {"en-US": " ", "es-US": "Adiós"}},
            ],
        }
    ]
    assert seed_script.missing_languages(items) == ["JAM Inbound/Menu: es-US", "JAM Inbound/Bye: en-US"]


def test_other_parts_files_are_named_not_loaded() -> None:
    assert "customers.json" not in SEED.not_loaded and "pins.json" not in SEED.not_loaded
    if (seed_script.SEED_DIR / "users.json").exists():
        assert "Cognito" in SEED.not_loaded["users.json"]


def write_seed(directory: Path, **files: Any) -> Path:
    directory.mkdir(exist_ok=True)
    for name, content in files.items():
        (directory / f"{name}.json").write_text(json.dumps(content), encoding="utf-8")
    return directory


@pytest.mark.parametrize(
    ("files", "complaint"),
    [
        ({"customers": [{"PhoneNumber": "+15555550100"}]}, "not a valid E.164"),
        # E.164 in shape, but no country has code 999: phonenumbers cannot even parse it.
        ({"customers": [{"PhoneNumber": "+99912345678"}]}, "not a valid E.164"),
        ({"pins": [{"PhoneNumber": "+99912345678", "Pin": "1234"}]}, "not a valid E.164"),
        ({"customers": {"PhoneNumber": "+12025550100"}}, "JSON list"),
        ({"pins": {"Pins": [{"PhoneNumber": "+12025550100", "Pin": "12a4"}]}}, "4 to 12 digits"),
        ({"prompts": [{"ContactFlowName": "X", "Prompts": [{"Id": "A"}]}]}, "PromptText"),
    ],
)
def test_bad_seed_files_are_refused_with_the_file_named(
    tmp_path: Path, files: dict[str, Any], complaint: str
) -> None:
    with pytest.raises(ValueError, match=complaint) as error:
        seed_script.read_seed(write_seed(tmp_path / "seed", **files))
    assert str(tmp_path) in str(error.value)


def test_bad_seed_makes_the_command_fail_and_write_nothing(tmp_path: Path) -> None:
    seed_dir = write_seed(tmp_path / "seed", customers=[{"PhoneNumber": "12"}])
    database = tmp_path / "jam.sqlite3"
    assert seed_script.main(["sqlite", "--seed-dir", str(seed_dir), "--sqlite-path", str(database)]) == 1
    assert not database.exists()


def test_seed_sqlite_serves_the_handlers_and_can_run_again(
    sqlite_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert seed_script.main(["sqlite"]) == 0
    assert seed_script.main(["sqlite"]) == 0
    out = capsys.readouterr().out
    assert f"{len(SEED.customers)} item(s) -> CustomerData ({sqlite_env})" in out
    with sqlite3.connect(sqlite_env) as conn:
        assert conn.execute("SELECT count(*) FROM customers").fetchone()[0] == len(SEED.customers)
        assert conn.execute("SELECT count(*) FROM pin_state").fetchone()[0] == len(SEED.pins)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert_seed_served()


def test_seed_dynamodb_creates_missing_tables_and_loads(aws_account: Any) -> None:
    assert seed_script.main(["dynamodb", "--create-tables"]) == 0
    tables = aws_account.list_tables()["TableNames"]
    assert sorted(tables) == ["CustomerData", "PinState", "Prompts", "SurveyResults"]
    count = aws_account.scan(TableName="CustomerData", Select="COUNT")["Count"]
    assert count == len(SEED.customers)
    assert_seed_served()


def test_seed_dynamodb_uses_the_configured_table_names(
    aws_account: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CUSTOMER_TABLE", "jam-prod-CustomerData")
    assert seed_script.main(["dynamodb", "--create-tables"]) == 0
    tables = aws_account.list_tables()["TableNames"]
    assert "jam-prod-CustomerData" in tables and "CustomerData" not in tables
    assert aws_account.scan(TableName="jam-prod-CustomerData", Select="COUNT")["Count"] == len(SEED.customers)
    assert_seed_served()


def assert_seed_served() -> None:
    """The handlers, on the configured backend, see what the seed files say."""
    settings = Settings.from_env()
    vip = next(c for c in SEED.customers if c["VIP"] is True)
    reply = customer_lookup(connect_event({"PhoneNumber": vip["PhoneNumber"]}))
    assert (reply["found"], reply["FirstName"], reply["VIP"]) == ("true", vip["FirstName"], "true")
    number, pin = SEED.pins[0]
    assert pin_verification(connect_event({"Pin": pin, "PhoneNumber": number}))["verified"] == "true"
    for item in SEED.prompts:
        for language in seed_script.REQUIRED_LANGUAGES:
            event = connect_event({"ContactFlowName": item["ContactFlowName"], "LanguageCode": language})
            reply = prompts(event)
            assert reply["PromptCount"] == str(len(item["Prompts"])) and reply["LanguageUsed"] == language
            # Connect's limit is 32 KB; a flow's prompts stay well under it.
            assert response_size(reply) < MAX_RESPONSE_BYTES // 4, item["ContactFlowName"]
    assert repositories.customers(settings).get(SEED.customers[-1]["PhoneNumber"]) == SEED.customers[-1]


def test_make_seed_command_runs_from_a_plain_interpreter(tmp_path: Path) -> None:
    """`python -m scripts.seed sqlite` (make seed) needs nothing on PYTHONPATH: it finds lambdas/ itself."""
    import os
    import subprocess
    import sys

    database = tmp_path / "seeded.sqlite3"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, "-m", "scripts.seed", "sqlite", "--sqlite-path", str(database)],
        cwd=seed_script.REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT count(*) FROM customers").fetchone()[0] == len(SEED.customers)
