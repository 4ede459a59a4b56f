"""The flow engine's way to the Lex twin (local_connect.flows.lex_bot.LexBots): a bot alias ARN,
arn:aws:lex:<region>:<account>:bot-alias/<botId>/<botAliasId> as Lex V2 names aliases, to the
twin's RecognizeText, in-process (the flow engine and the twin share the stack's process)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from local_connect.definitions import LOCAL_ACCOUNT, LOCAL_REGION
from local_connect.lex.models import TEST_ALIAS_ID, LexBackend, ResourceNotFoundException


def alias_arn(backend: LexBackend, alias_id: str = TEST_ALIAS_ID) -> str:
    return f"arn:aws:lex:{LOCAL_REGION}:{LOCAL_ACCOUNT}:bot-alias/{backend.bot_id}/{alias_id}"


class TwinBots:
    def __init__(self, backend: LexBackend) -> None:
        self.backend = backend

    def recognize(
        self,
        alias_arn: str,
        locale: str,
        session_id: str,
        text: str,
        session_attributes: Mapping[str, str] | None,
        input_mode: str,
    ) -> Mapping[str, Any]:
        parts = alias_arn.split(":", 5)
        path = parts[5].split("/") if len(parts) == 6 else []
        if parts[2:3] != ["lex"] or len(path) != 3 or path[0] != "bot-alias":
            raise ResourceNotFoundException(f"{alias_arn} is not a Lex V2 bot alias ARN")
        state = {"sessionAttributes": dict(session_attributes)} if session_attributes is not None else None
        return self.backend.recognize_text(
            path[1], path[2], locale, session_id, text or " ", state, None, input_mode=input_mode
        )
