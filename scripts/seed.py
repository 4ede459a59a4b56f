"""Load data/seed into the Lambdas' tables: the local SQLite file or DynamoDB.

    python -m scripts.seed sqlite                  # SQLITE_PATH, default var/jam.sqlite3 (make seed)
    python -m scripts.seed dynamodb                # CUSTOMER_TABLE, PROMPTS_TABLE, PIN_TABLE on AWS
    python -m scripts.seed dynamodb --create-tables   # e.g. against a local DynamoDB endpoint

The seed files are the single source for both: customers.json (CustomerData items), prompts.json
(Prompts items, written by the flows) and pins.json (demo PINs, stored only as salted hashes keyed
with the PIN pepper: PIN_PEPPER_SECRET_ARN's secret on AWS, else the pepper file beside the
database, see jam_core.tables.pepper).
Loading is an upsert, so it can run again; a re-seeded PIN starts with no failed attempts.
Other files in data/seed belong to other parts (users.json: the local Cognito stand-in) and are
listed as not loaded.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The seed writes through the Lambdas' own repositories (jam_core.tables).
from jam_core.connect_lambda.phone import to_e164
from jam_core.connect_lambda.settings import Settings
from jam_core.tables import pepper, repositories, sqlite_db
from jam_core.tables.pin_hash import hash_pin
from jam_core.tables.prompts import validate_item

REPO = Path(__file__).resolve().parent.parent
SEED_DIR = REPO / "data" / "seed"

REQUIRED_LANGUAGES = ("en-US", "es-US")
# Seed files another part reads itself; not tables of the Lambdas.
OTHER_PARTS = {"users.json": "the local Cognito stand-in (local_connect/cognito)"}


@dataclass
class Seed:
    customers: list[dict[str, Any]] = field(default_factory=list)
    prompts: list[dict[str, Any]] = field(default_factory=list)
    pins: list[tuple[str, str]] = field(default_factory=list)  # (E.164 number, PIN)
    not_loaded: dict[str, str] = field(default_factory=dict)  # file name -> why


def read_seed(seed_dir: Path = SEED_DIR) -> Seed:
    """Reads and checks every seed file; raises ValueError naming the file and the problem."""
    seed = Seed()
    for path in sorted(seed_dir.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        try:
            if path.name == "customers.json":
                seed.customers = [_customer(item) for item in _items(data)]
            elif path.name == "prompts.json":
                seed.prompts = [validate_item(item) for item in _items(data)]
            elif path.name == "pins.json":
                entries = data.get("Pins") if isinstance(data, Mapping) else data
                seed.pins = [_pin(entry) for entry in _items(entries)]
            else:
                seed.not_loaded[path.name] = OTHER_PARTS.get(path.name, "no table of the Lambdas")
        except (ValueError, TypeError, KeyError) as exc:
            raise ValueError(f"{path}: {exc}") from exc
    return seed


def _items(data: Any) -> list[Any]:
    if not isinstance(data, list):
        raise ValueError("expected a JSON list of items")
    return data


def _valid_number(number: Any) -> bool:
    """E.164 as the Lambdas normalise it, and a valid number to phonenumbers as the API checks it
    (a +1 555 number has the right shape, but the API refuses to call it)."""
    import phonenumbers  # the seed is not a Lambda: the full numbering plan is affordable here

    if not isinstance(number, str) or to_e164(number) != number:
        return False
    try:
        parsed = phonenumbers.parse(number)
    except phonenumbers.NumberParseException:  # not a ValueError: read_seed would not name the file
        return False
    return bool(phonenumbers.is_valid_number(parsed))


def _customer(item: Any) -> dict[str, Any]:
    if not isinstance(item, Mapping):
        raise ValueError("a customer must be an object")
    number = item.get("PhoneNumber")
    if not _valid_number(number):
        raise ValueError(f"customer PhoneNumber {number!r} is not a valid E.164 number")
    return dict(item)


def _pin(entry: Any) -> tuple[str, str]:
    if not isinstance(entry, Mapping):
        raise ValueError("a PIN entry must be an object")
    number, pin = entry.get("PhoneNumber"), entry.get("Pin")
    if not isinstance(number, str) or not _valid_number(number):
        raise ValueError(f"PIN PhoneNumber {number!r} is not a valid E.164 number")
    if not isinstance(pin, str) or not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 12):
        raise ValueError(f"the PIN for {number} must be 4 to 12 digits")
    return number, pin


def missing_languages(
    prompt_items: list[dict[str, Any]], languages: tuple[str, ...] = REQUIRED_LANGUAGES
) -> list[str]:
    """'<flow>/<prompt Id>: <language>' for every prompt lacking a (non-empty) text in a language."""
    return [
        f"{item['ContactFlowName']}/{prompt['Id']}: {language}"
        for item in prompt_items
        for prompt in item["Prompts"]
        for language in languages
        if not prompt["PromptText"].get(language, "").strip()
    ]


def load(seed: Seed, settings: Settings) -> dict[str, int]:
    """Writes the seed through the Lambdas' repositories; returns items written per table."""
    customers = repositories.customers(settings)
    for item in seed.customers:
        customers.put(item)
    prompts = repositories.prompts(settings)
    for item in seed.prompts:
        prompts.put(item)
    pins = repositories.pins(settings)
    # The pepper the PIN Lambda will verify with: the secret (PIN_PEPPER_SECRET_ARN, read with the
    # deployer's credentials) on AWS, the file beside the database locally.
    key = pepper.get(settings) if seed.pins else b""
    for number, pin in seed.pins:
        pins.enroll(number, hash_pin(pin, key))
    return {
        settings.customer_table: len(seed.customers),
        settings.prompts_table: len(seed.prompts),
        settings.pin_table: len(seed.pins),
    }


# Table -> key attribute, as sam/template.yaml declares them.
def table_keys(settings: Settings) -> dict[str, str]:
    return {
        settings.customer_table: "PhoneNumber",
        settings.prompts_table: "ContactFlowName",
        settings.survey_table: "ContactId",
        settings.pin_table: "PhoneNumber",
    }


def create_tables(settings: Settings) -> list[str]:
    """Creates the tables that do not exist yet (on-demand billing); returns the names created."""
    from jam_core.tables.dynamo import client as dynamodb_client

    client = dynamodb_client()
    existing = set(client.list_tables().get("TableNames", []))
    created = []
    for table, key in table_keys(settings).items():
        if table in existing:
            continue
        client.create_table(
            TableName=table,
            KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        client.get_waiter("table_exists").wait(TableName=table)
        created.append(table)
    return created


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.seed", description=__doc__.splitlines()[0])
    parser.add_argument("backend", choices=("sqlite", "dynamodb"))
    parser.add_argument("--seed-dir", type=Path, default=SEED_DIR)
    parser.add_argument("--sqlite-path", help="overrides SQLITE_PATH")
    parser.add_argument("--create-tables", action="store_true", help="dynamodb: create missing tables first")
    args = parser.parse_args(argv)

    env = {"DATA_BACKEND": args.backend}
    if args.sqlite_path:
        env["SQLITE_PATH"] = args.sqlite_path
    settings = Settings.from_env({**os.environ, **env})
    try:
        seed = read_seed(args.seed_dir)
    except (ValueError, OSError) as exc:
        print(f"seed: {exc}", file=sys.stderr)
        return 1
    for gap in missing_languages(seed.prompts):
        print(f"seed: warning: prompt without text in a required language: {gap}", file=sys.stderr)
    if args.backend == "dynamodb" and args.create_tables:
        for table in create_tables(settings):
            print(f"seed: created table {table}")
    counts = load(seed, settings)
    where = settings.sqlite_path if args.backend == "sqlite" else "DynamoDB"
    for table, count in counts.items():
        print(f"seed: {count} item(s) -> {table} ({where})")
    for name, owner in seed.not_loaded.items():
        print(f"seed: {name} not loaded here: {owner}")
    sqlite_db.close_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
