"""The Lex twin on the running local stack (`python -m local_connect serve`, a subprocess): an
unmodified boto3 lexv2-runtime client at `<stack>/lex`, the code hook reading the stack's Connect
twin at the stack's clock."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from lex_fulfillment.bot import load

from local_connect.lex.models import TEST_ALIAS_ID, lex_id
from tests.e2e.conftest import StackProcess, start_stack

pytestmark = pytest.mark.e2e
SATURDAY_NOON_NEW_YORK = "1768064400"  # 2026-01-10 12:00 EST


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackProcess]:
    running = start_stack(tmp_path_factory.mktemp("lex-stack"), "--clock-start", SATURDAY_NOON_NEW_YORK)
    yield running
    running.stop()


def test_boto3_talks_to_the_bot_on_the_stack(stack: StackProcess) -> None:
    lex: Any = boto3.client(
        "lexv2-runtime",
        endpoint_url=f"{stack.base_url}/lex",
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    ids = {"botId": lex_id(f"bot:{load().name}"), "botAliasId": TEST_ALIAS_ID, "sessionId": "stack-1"}
    reply = lex.recognize_text(**ids, localeId="en_US", text="is accounts open right now")
    # Saturday noon on the stack's clock: Accounts (weekdays only) opens Monday.
    assert reply["messages"][0]["content"] == (
        "Accounts is closed now. It opens Monday at 9:00 AM Eastern time."
    )
    spanish = lex.recognize_text(**ids, localeId="es_US", text="quiero comprar un celular nuevo")
    assert spanish["sessionState"]["intent"]["name"] == "SalesNewOrders"
