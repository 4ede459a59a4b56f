"""hours_status: the next opening of a department, read from the Connect twin over real HTTP
(an unmodified boto3 client), computed in the hours' zone and said in English or Spanish."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hours_status import handler
from hours_status.handler import lambda_handler

from jam_core.aws_sdk import connect
from jam_core.schedule import spoken
from local_connect.definitions import load_definitions
from local_connect.flows.testing import DefinitionsTwin, with_hours_overrides
from tests.flows.calls import CHRISTMAS_CLOSED
from tests.lambdas.conftest import connect_event

NEW_YORK = ZoneInfo("America/New_York")
DEFINITIONS = load_definitions()
SALES = DEFINITIONS.hours["SalesHours"]
ACCOUNTS = DEFINITIONS.hours["AccountsHours"]
SUPPORT = DEFINITIONS.hours["SupportHours"]


@pytest.fixture(scope="module")
def twin() -> Iterator[DefinitionsTwin]:
    served = DefinitionsTwin(with_hours_overrides(DEFINITIONS, "SalesHours", CHRISTMAS_CLOSED))
    yield served
    served.close()


@pytest.fixture(autouse=True)
def _fresh(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "local")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "local")
    monkeypatch.delenv("LOCAL_CONNECT_NOW", raising=False)
    handler.clear_cache()
    connect.reset_clients()
    yield
    handler.clear_cache()


def at(local: str) -> str:
    """LOCAL_CONNECT_NOW for a New York wall time."""
    return repr(datetime.strptime(local, "%Y-%m-%d %H:%M").replace(tzinfo=NEW_YORK).timestamp())


def ask(
    monkeypatch: pytest.MonkeyPatch,
    endpoint: str,
    local: str,
    parameters: dict[str, str],
    **contact_data: Any,
) -> dict[str, str]:
    """The handler's reply at `local` (New York) for these Parameters, Connect at `endpoint`."""
    monkeypatch.setenv("CONNECT_ENDPOINT_URL", endpoint)
    monkeypatch.setenv("LOCAL_CONNECT_NOW", at(local))
    return lambda_handler(connect_event(parameters, **contact_data), None)


def sales(language: str = "en-US") -> dict[str, str]:
    return {"HoursOfOperationArn": SALES.arn, "LanguageCode": language}


@pytest.mark.parametrize(
    ("local", "hours", "spoken_en", "next_open"),
    [
        # Friday night: Sales opens Saturday 09:00, Accounts (weekdays only) on Monday.
        ("2026-01-09 21:00", SALES, "tomorrow at 9:00 AM Eastern time", "2026-01-10T09:00:00-05:00"),
        ("2026-01-09 21:00", ACCOUNTS, "Monday at 9:00 AM Eastern time", "2026-01-12T09:00:00-05:00"),
        # Saturday after 17:00 and Sunday: Sales is next open on Monday 08:00.
        ("2026-01-10 17:30", SALES, "Monday at 8:00 AM Eastern time", "2026-01-12T08:00:00-05:00"),
        ("2026-01-11 12:00", SALES, "tomorrow at 8:00 AM Eastern time", "2026-01-12T08:00:00-05:00"),
        # Early morning: today.
        ("2026-01-06 06:15", SUPPORT, "today at 7:00 AM Eastern time", "2026-01-06T07:00:00-05:00"),
        # The evening before the Christmas override: Friday is closed all day, Saturday opens at 9.
        ("2026-12-24 21:00", SALES, "Saturday at 9:00 AM Eastern time", "2026-12-26T09:00:00-05:00"),
        # DST starts Sunday 2026-03-08: Saturday evening EST, Monday's opening is in EDT (-04:00).
        ("2026-03-07 18:00", SALES, "Monday at 8:00 AM Eastern time", "2026-03-09T08:00:00-04:00"),
        # DST ends Sunday 2026-11-01: Saturday evening EDT, Monday's opening is in EST (-05:00).
        ("2026-10-31 18:00", SALES, "Monday at 8:00 AM Eastern time", "2026-11-02T08:00:00-05:00"),
    ],
)
def test_closed_department_hears_its_next_opening(
    twin: DefinitionsTwin,
    monkeypatch: pytest.MonkeyPatch,
    local: str,
    hours: Any,
    spoken_en: str,
    next_open: str,
) -> None:
    reply = ask(monkeypatch, twin.url, local, {"HoursOfOperationArn": hours.arn, "LanguageCode": "en-US"})
    assert reply["isOpen"] == "false"
    assert reply["nextOpenSpoken"] == spoken_en
    assert reply["nextOpen"] == next_open
    assert reply["timeZone"] == "America/New_York"
    assert reply["nextOpenKnown"] == "true"
    assert "error" not in reply


def test_spanish_wording(twin: DefinitionsTwin, monkeypatch: pytest.MonkeyPatch) -> None:
    saturday = ask(monkeypatch, twin.url, "2026-01-10 17:30", sales("es-US"))
    assert saturday["nextOpenSpoken"] == "el lunes a las 8:00 a. m., hora del Este"
    friday = ask(monkeypatch, twin.url, "2026-01-09 21:00", sales("es-US"))
    assert friday["nextOpenSpoken"] == "mañana a las 9:00 a. m., hora del Este"
    assert friday["languageUsed"] == "es-US"


def test_the_contacts_language_is_used_without_a_parameter(
    twin: DefinitionsTwin, monkeypatch: pytest.MonkeyPatch
) -> None:
    reply = ask(
        monkeypatch, twin.url, "2026-01-10 17:30", {"HoursOfOperationArn": SALES.arn}, LanguageCode="es-US"
    )
    assert reply["nextOpenSpoken"].startswith("el lunes a las 8:00")


def test_open_department_says_when_it_closes(twin: DefinitionsTwin, monkeypatch: pytest.MonkeyPatch) -> None:
    reply = ask(monkeypatch, twin.url, "2026-01-05 10:00", sales())
    assert reply["isOpen"] == "true"
    assert reply["nextOpenSpoken"] == "" and reply["nextOpen"] == ""
    assert reply["nextOpenKnown"] == "false"
    assert reply["closesAt"] == "2026-01-05T20:00:00-05:00"


def test_an_hours_id_with_the_contacts_instance_works_like_the_arn(
    twin: DefinitionsTwin, monkeypatch: pytest.MonkeyPatch
) -> None:
    parameters = {"HoursOfOperationId": ACCOUNTS.id}
    reply = ask(monkeypatch, twin.url, "2026-01-09 21:00", parameters, InstanceARN=DEFINITIONS.instance_arn)
    assert reply["nextOpenSpoken"] == "Monday at 9:00 AM Eastern time"


def test_a_warm_container_asks_connect_once_a_minute(
    twin: DefinitionsTwin, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    client = connect.client("us-east-1", twin.url)
    client.meta.events.register("before-call.connect", lambda model, **_: calls.append(model.name))
    for _ in range(3):
        assert ask(monkeypatch, twin.url, "2026-01-09 21:00", sales())["isOpen"] == "false"
    assert calls == ["DescribeHoursOfOperation", "ListHoursOfOperationOverrides"]
    monkeypatch.setattr(handler, "CACHE_SECONDS", 0.0)
    ask(monkeypatch, twin.url, "2026-01-09 21:00", sales())
    assert len(calls) == 4


def _closed_port() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def test_connect_unreachable_gives_the_defined_fallback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    reply = ask(monkeypatch, _closed_port(), "2026-01-09 21:00", sales())
    assert reply == {
        "isOpen": "unknown",
        "nextOpen": "",
        "nextOpenSpoken": "",
        "nextOpenKnown": "false",
        "timeZone": "",
        "error": "hours_unavailable",
    }
    logged = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert any(line["event"] == "hours_unavailable" for line in logged)


def test_unknown_hours_gives_the_fallback(twin: DefinitionsTwin, monkeypatch: pytest.MonkeyPatch) -> None:
    unknown = SALES.arn.rsplit("/", 1)[0] + "/00000000-0000-0000-0000-000000000000"
    reply = ask(monkeypatch, twin.url, "2026-01-09 21:00", {"HoursOfOperationArn": unknown})
    assert reply["isOpen"] == "unknown" and reply["error"] == "hours_unavailable"


class OddFailure(Exception):
    response = None  # like requests' errors: a `response` attribute that is not botocore's dict


def test_any_failure_is_the_handlers_own_fallback_not_the_safety_net(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def fail(*_: Any) -> dict[str, Any]:
        raise OddFailure("odd")

    monkeypatch.setattr(handler, "fetch_schedule", fail)
    reply = lambda_handler(connect_event(sales()), None)
    assert reply["isOpen"] == "unknown" and reply["error"] == "hours_unavailable"
    logged = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["error"] for line in logged if line["event"] == "hours_unavailable"] == ["OddFailure"]
    assert not [line for line in logged if line["event"] == "handler_failed"]


@pytest.mark.parametrize(
    "parameters",
    [
        {},
        {"HoursOfOperationArn": "arn:aws:connect:us-east-1:123456789012:instance/i-1/queue/q-1"},
        {"HoursOfOperationArn": "arn:aws:s3:::bucket"},
        {"HoursOfOperationId": "a/b"},
    ],
)
def test_bad_parameters_give_the_fallback_without_calling_connect(parameters: dict[str, str]) -> None:
    reply = lambda_handler(connect_event(parameters, InstanceARN=""), None)
    assert reply["isOpen"] == "unknown" and reply["error"] == "bad_parameters"


def test_target_of_an_arn_names_the_instances_region() -> None:
    target = handler.target_of(
        "arn:aws:connect:eu-west-2:123456789012:instance/inst-1/operating-hours/hours-1", ""
    )
    assert target == handler.Target("eu-west-2", "inst-1", "hours-1")


# ---------------------------------------------------------------- spoken


def test_spoken_times_in_both_languages() -> None:
    now = datetime(2026, 1, 5, 22, 0, tzinfo=NEW_YORK)  # a Monday
    one_pm = datetime(2026, 1, 6, 13, 0, tzinfo=NEW_YORK)
    noon = datetime(2026, 1, 6, 12, 30, tzinfo=NEW_YORK)
    assert spoken.next_opening(one_pm, now, "America/New_York", "en-US") == "tomorrow at 1:00 PM Eastern time"
    assert spoken.next_opening(one_pm, now, "America/New_York", "es-US") == (
        "mañana a la 1:00 p. m., hora del Este"
    )
    assert spoken.clock_time(noon, "en-US") == "12:30 PM"
    assert spoken.clock_time(datetime(2026, 1, 6, 0, 5), "es-US") == "12:05 a. m."


def test_beyond_a_week_the_date_is_said() -> None:
    now = datetime(2026, 12, 20, 21, 0, tzinfo=NEW_YORK)
    later = datetime(2026, 12, 28, 8, 0, tzinfo=NEW_YORK)
    assert spoken.day_phrase(later, now, "en-US") == "Monday, December 28"
    assert spoken.day_phrase(later, now, "es-US") == "el lunes 28 de diciembre"


def test_zones_are_named_for_callers() -> None:
    assert spoken.zone_name("America/Los_Angeles", "es-US") == "hora del Pacífico"
    assert spoken.zone_name("Europe/Berlin", "en-US") == "Berlin time"
    assert spoken.zone_name("America/Argentina/Buenos_Aires", "es-US") == "hora de Buenos Aires"
    assert spoken.language_of("es-MX") == "es-US" and spoken.language_of("") == "en-US"
