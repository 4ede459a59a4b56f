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

# jam_core/connect_lambda/settings.py -> the repository root (only meaningful when run from the repo).
_REPO_ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_SQLITE_PATH = str(_REPO_ROOT / "var" / "jam.sqlite3")
PIN_PEPPER_FILE_NAME = "pin-pepper"  # next to the SQLite file unless PIN_PEPPER_FILE says otherwise

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
    pin_pepper_secret_arn: str = ""  # on AWS: the secret holding the PIN pepper (jam_core.tables.pepper)
    pin_pepper_file: str = ""  # locally, when no secret ARN is set; "" = next to the SQLite file
    default_country_code: str = "1"
    otp_table: str = "OtpCodes"
    otp_max_attempts: int = 3
    otp_ttl_seconds: int = 300  # a code by SMS lives five minutes
    sms_origination_identity: str = ""  # on AWS: the phone number or pool (ARN) texts are sent from

    @property
    def pepper_file(self) -> str:
        """The local pepper file: PIN_PEPPER_FILE, else beside the database (var/pin-pepper by
        default), so a seeded database and the Lambdas reading it always share one pepper."""
        return self.pin_pepper_file or os.path.join(
            os.path.dirname(self.sqlite_path) or ".", PIN_PEPPER_FILE_NAME
        )

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
            pin_pepper_secret_arn=env.get("PIN_PEPPER_SECRET_ARN", "").strip(),
            pin_pepper_file=env.get("PIN_PEPPER_FILE") or "",
            default_country_code=env.get("DEFAULT_COUNTRY_CODE") or cls.default_country_code,
            otp_table=env.get("OTP_TABLE") or cls.otp_table,
            otp_max_attempts=_positive_int(env, "OTP_MAX_ATTEMPTS", cls.otp_max_attempts),
            otp_ttl_seconds=_positive_int(env, "OTP_TTL_SECONDS", cls.otp_ttl_seconds),
            sms_origination_identity=env.get("SMS_ORIGINATION_IDENTITY", "").strip(),
        )


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = int(raw)
    if value < 1:
        raise ValueError(f"{name} must be a positive integer, got {raw!r}")
    return value
