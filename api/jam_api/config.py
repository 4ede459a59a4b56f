"""The API's configuration: one object, read once from the environment.

Defaults are the AWS ones (no endpoint override); the local stack sets the local values. Every
variable is listed in the README's configuration table and in .env.example.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field


class ConfigError(ValueError):
    """A setting is present but unusable; raised at start-up, never mid-request."""


def _csv(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


def _rate(value: str) -> tuple[int, int]:
    """ "3/600" -> (3 calls, 600 seconds)."""
    try:
        count, seconds = (int(part) for part in value.split("/"))
    except ValueError as exc:
        raise ConfigError(f"CALL_RATE_LIMIT must look like '3/600', got {value!r}") from exc
    if count < 1 or seconds < 1:
        raise ConfigError("CALL_RATE_LIMIT needs a positive count and window")
    return count, seconds


def _pairs(value: str | None, name: str) -> dict[str, str]:
    """ "sales=id1,support=id2" -> {"sales": "id1", "support": "id2"}."""
    pairs: dict[str, str] = {}
    for part in _csv(value):
        key, sep, item = part.partition("=")
        if not sep or not key.strip() or not item.strip():
            raise ConfigError(f"{name} must look like 'sales=<id>,support=<id>', got {part!r}")
        pairs[key.strip()] = item.strip()
    return pairs


def _named_rate(name: str, value: str) -> tuple[int, int]:
    try:
        return _rate(value)
    except ConfigError as exc:
        raise ConfigError(str(exc).replace("CALL_RATE_LIMIT", name)) from exc


# phonenumbers' PhoneNumberType names a contact center should not call even when the number is the
# customer's verified one: they cost us (premium rate, shared cost), ring no person (pager,
# voicemail) or route anywhere (UAN, personal "follow-me" numbers); toll-free numbers are
# businesses' inbound lines, not customers'.
DEFAULT_REFUSED_NUMBER_TYPES = (
    "PREMIUM_RATE",
    "TOLL_FREE",
    "SHARED_COST",
    "UAN",
    "VOICEMAIL",
    "PAGER",
    "PERSONAL_NUMBER",
)
KNOWN_NUMBER_TYPES = frozenset(
    {
        "FIXED_LINE",
        "MOBILE",
        "FIXED_LINE_OR_MOBILE",
        "TOLL_FREE",
        "PREMIUM_RATE",
        "SHARED_COST",
        "VOIP",
        "PERSONAL_NUMBER",
        "PAGER",
        "UAN",
        "VOICEMAIL",
        "UNKNOWN",
    }
)


def _positive_float(value: str, name: str) -> float:
    try:
        number = float(value)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a number, got {value!r}") from exc
    if not number > 0:
        raise ConfigError(f"{name} must be positive, got {value!r}")
    return number


@dataclass(frozen=True)
class Settings:
    region: str = "us-east-1"
    connect_instance_id: str = ""
    connect_endpoint_url: str | None = None
    outbound_queue_id: str | None = None
    source_phone_number: str | None = None
    allowed_contact_flow_ids: tuple[str, ...] = ()
    allowed_origins: tuple[str, ...] = ()
    allowed_countries: tuple[str, ...] = ("US", "CA", "MX", "PR")
    allowed_attribute_keys: tuple[str, ...] = ("department", "issue", "language", "note")
    staff_groups: tuple[str, ...] = ("supervisor",)
    staff_may_dial_any_number: bool = False
    cognito_issuer: str = ""
    cognito_client_ids: tuple[str, ...] = ()
    jwks_url: str = ""
    accepted_token_uses: tuple[str, ...] = ("id",)
    hours_cache_ttl_seconds: float = 60.0
    hours_cache_max_entries: int = 256
    jwks_cache_ttl_seconds: float = 3600.0
    call_rate_limit: tuple[int, int] = (3, 600)
    # Where survey results are (read by GET /surveys/summary through jam_core/tables): DynamoDB's
    # SURVEY_TABLE on AWS, the Lambdas' own SQLite file locally.
    data_backend: str = "sqlite"
    sqlite_path: str | None = None
    survey_table: str = "SurveyResults"
    # Number types refused as destinations (phonenumbers' PhoneNumberType names) and our own numbers
    # (the instance's claimed numbers; SOURCE_PHONE_NUMBER is added to them), refused for everyone.
    refused_number_types: tuple[str, ...] = DEFAULT_REFUSED_NUMBER_TYPES
    own_phone_numbers: tuple[str, ...] = ()
    # The public hours route: requests per client address (count, seconds), and how often the
    # instance's hours ids are listed (ListHoursOfOperations).
    hours_rate_limit: tuple[int, int] = (60, 60)
    hours_ids_ttl_seconds: float = 900.0
    # Click-to-call requests that wait for Connect's outbound quota (api/jam_api/contact/intake.py):
    # their table (DynamoDB on AWS; the SQLite file locally), the SQS FIFO queue the call placer
    # drains (AWS only), and the account's StartOutboundVoiceContact quota in requests a second.
    call_request_table: str = "CallRequests"
    call_queue_url: str = ""
    connect_call_rate: float = 2.0
    # The queues the supervisors' live metrics ask Connect about (the template's; empty = all).
    metrics_queue_ids: tuple[str, ...] = ()
    # Department -> its hours of operation id: a website call to a closed department is refused
    # (409 with nextOpen) or, asked with callWhenOpen, placed at the next opening.
    department_hours: Mapping[str, str] = field(default_factory=dict)
    # On AWS, "call me when you open" is an EventBridge Scheduler one-time schedule that sends the
    # request to the call queue at the opening: its group, the role it sends with, and the queue's ARN.
    call_schedule_group: str = ""
    call_scheduler_role_arn: str = ""
    call_queue_arn: str = ""
    extra: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        issuer = env.get("COGNITO_ISSUER", "").rstrip("/")
        settings = cls(
            region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1",
            connect_instance_id=env.get("CONNECT_INSTANCE_ID", ""),
            connect_endpoint_url=env.get("CONNECT_ENDPOINT_URL") or None,
            outbound_queue_id=env.get("OUTBOUND_QUEUE_ID") or None,
            source_phone_number=env.get("SOURCE_PHONE_NUMBER") or None,
            allowed_contact_flow_ids=_csv(env.get("ALLOWED_CONTACT_FLOW_IDS")),
            allowed_origins=_csv(env.get("ALLOWED_ORIGINS")),
            allowed_countries=_csv(env.get("ALLOWED_COUNTRIES", "US,CA,MX,PR")),
            allowed_attribute_keys=_csv(env.get("ALLOWED_ATTRIBUTE_KEYS", "department,issue,language,note")),
            staff_groups=_csv(env.get("STAFF_GROUPS", "supervisor")),
            staff_may_dial_any_number=env.get("STAFF_MAY_DIAL_ANY_NUMBER", "false").lower() == "true",
            cognito_issuer=issuer,
            cognito_client_ids=_csv(env.get("COGNITO_CLIENT_IDS")),
            jwks_url=env.get("JWKS_URL") or (f"{issuer}/.well-known/jwks.json" if issuer else ""),
            hours_cache_ttl_seconds=float(env.get("HOURS_CACHE_TTL_SECONDS", "60")),
            jwks_cache_ttl_seconds=float(env.get("JWKS_CACHE_TTL_SECONDS", "3600")),
            call_rate_limit=_rate(env.get("CALL_RATE_LIMIT", "3/600")),
            data_backend=(env.get("DATA_BACKEND") or "sqlite").strip().lower(),
            sqlite_path=env.get("SQLITE_PATH") or None,
            survey_table=env.get("SURVEY_TABLE") or "SurveyResults",
            refused_number_types=tuple(
                t.upper()
                for t in _csv(env.get("REFUSED_NUMBER_TYPES", ",".join(DEFAULT_REFUSED_NUMBER_TYPES)))
            ),
            own_phone_numbers=_csv(env.get("OWN_PHONE_NUMBERS")),
            hours_rate_limit=_named_rate("HOURS_RATE_LIMIT", env.get("HOURS_RATE_LIMIT", "60/60")),
            hours_ids_ttl_seconds=float(env.get("HOURS_IDS_TTL_SECONDS", "900")),
            call_request_table=env.get("CALL_REQUEST_TABLE") or "CallRequests",
            call_queue_url=env.get("CALL_QUEUE_URL", "").strip(),
            connect_call_rate=_positive_float(env.get("CONNECT_CALL_RATE", "2"), "CONNECT_CALL_RATE"),
            metrics_queue_ids=_csv(env.get("METRICS_QUEUE_IDS")),
            department_hours=_pairs(env.get("DEPARTMENT_HOURS"), "DEPARTMENT_HOURS"),
            call_schedule_group=env.get("CALL_SCHEDULE_GROUP", "").strip(),
            call_scheduler_role_arn=env.get("CALL_SCHEDULER_ROLE_ARN", "").strip(),
            call_queue_arn=env.get("CALL_QUEUE_ARN", "").strip(),
        )
        settings.check()
        return settings

    def check(self) -> None:
        """Refuse settings that would make the API insecure rather than run with them."""
        if "*" in self.allowed_origins:
            raise ConfigError("ALLOWED_ORIGINS may not contain '*': list the site's origins")
        if self.data_backend not in ("sqlite", "dynamodb"):
            raise ConfigError(f"DATA_BACKEND must be sqlite or dynamodb, got {self.data_backend!r}")
        if self.hours_cache_ttl_seconds < 0:
            raise ConfigError("HOURS_CACHE_TTL_SECONDS must be >= 0")
        unknown = sorted(set(self.refused_number_types) - KNOWN_NUMBER_TYPES)
        if unknown:
            raise ConfigError(
                f"REFUSED_NUMBER_TYPES has unknown types {unknown}; known: {sorted(KNOWN_NUMBER_TYPES)}"
            )
        if self.hours_ids_ttl_seconds <= 0:
            raise ConfigError("HOURS_IDS_TTL_SECONDS must be > 0")
