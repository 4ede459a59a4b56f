"""Repositories by backend, created once per container (cached per Settings value).

A warm Lambda reuses its DynamoDB client and SQLite connection; a changed environment (tests, the
local runtime switching databases) gets repositories of its own.
"""

from __future__ import annotations

from functools import cache

from jam_core.connect_lambda.settings import Settings
from jam_core.tables import customers as customer_tables
from jam_core.tables import otp_codes as otp_tables
from jam_core.tables import pins as pin_tables
from jam_core.tables import prompts as prompt_tables
from jam_core.tables import surveys as survey_tables


@cache
def customers(settings: Settings) -> customer_tables.CustomerRepository:
    if settings.backend == "dynamodb":
        from jam_core.tables.dynamo import client

        return customer_tables.DynamoDbCustomers(client(), settings.customer_table)
    return customer_tables.SqliteCustomers(settings.sqlite_path)


@cache
def prompts(settings: Settings) -> prompt_tables.PromptRepository:
    if settings.backend == "dynamodb":
        from jam_core.tables.dynamo import client

        return prompt_tables.DynamoDbPrompts(client(), settings.prompts_table)
    return prompt_tables.SqlitePrompts(settings.sqlite_path)


@cache
def surveys(settings: Settings) -> survey_tables.SurveyRepository:
    if settings.backend == "dynamodb":
        from jam_core.tables.dynamo import client

        return survey_tables.DynamoDbSurveys(client(), settings.survey_table)
    return survey_tables.SqliteSurveys(settings.sqlite_path)


@cache
def pins(settings: Settings) -> pin_tables.PinRepository:
    if settings.backend == "dynamodb":
        from jam_core.tables.dynamo import client

        return pin_tables.DynamoDbPins(client(), settings.pin_table)
    return pin_tables.SqlitePins(settings.sqlite_path)


@cache
def otp_codes(settings: Settings) -> otp_tables.OtpRepository:
    if settings.backend == "dynamodb":
        from jam_core.tables.dynamo import client

        return otp_tables.DynamoDbOtpCodes(client(), settings.otp_table)
    return otp_tables.SqliteOtpCodes(settings.sqlite_path)


def clear() -> None:
    """Forgets every cached repository (tests that swap the mocked AWS account)."""
    for factory in (customers, prompts, surveys, pins, otp_codes):
        factory.cache_clear()
