"""The Lambdas' settings, read from the environment on every invocation.

Reading a handful of variables costs microseconds, and a frozen value makes a good cache key:
repositories are cached per Settings, so a changed environment (tests, local runtime) gets fresh
ones while a warm Lambda container keeps reusing its clients.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

# lambdas/jam_lambda/settings.py -> the repository root (only meaningful when run from the repo).
_REPO_ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_SQLITE_PATH = str(_REPO_ROOT / "var" / "jam.sqlite3")

BACKENDS = ("sqlite", "dynamodb")


@dataclass(frozen=True)
class Settings:
    backend: str = "sqlite"
    sqlite_path: str = DEFAULT_SQLITE_PATH
    customer_table: str = "CustomerData"
    prompts_table: str = "Prompts"
    survey_table: str = "SurveyResults"
    pin_table: str = "PinState"
    pin_max_attempts: int = 3
    pin_hash_iterations: int = 100_000
    default_country_code: str = "1"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        backend = env.get("DATA_BACKEND", "sqlite").strip().lower() or "sqlite"
        if backend not in BACKENDS:
            raise ValueError(f"DATA_BACKEND must be one of {BACKENDS}, got {backend!r}")
        return cls(
            backend=backend,
            sqlite_path=env.get("SQLITE_PATH") or DEFAULT_SQLITE_PATH,
            customer_table=env.get("CUSTOMER_TABLE") or cls.customer_table,
            prompts_table=env.get("PROMPTS_TABLE") or cls.prompts_table,
            survey_table=env.get("SURVEY_TABLE") or cls.survey_table,
            pin_table=env.get("PIN_TABLE") or cls.pin_table,
            pin_max_attempts=_positive_int(env, "PIN_MAX_ATTEMPTS", cls.pin_max_attempts),
            pin_hash_iterations=_positive_int(env, "PIN_HASH_ITERATIONS", cls.pin_hash_iterations),
            default_country_code=env.get("DEFAULT_COUNTRY_CODE") or cls.default_country_code,
        )


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = int(raw)
    if value < 1:
        raise ValueError(f"{name} must be a positive integer, got {raw!r}")
    return value
