"""Prompts: the texts a flow speaks, in the caller's language, as one flat map.

Parameters: ContactFlowName, LanguageCode (default: the contact's language, else en-US). Reply:
  {"<PromptId>": "<text or SSML>", ..., "LanguageUsed": "es-US", "PromptCount": "N"}
A prompt missing the language is answered in en-US (and logged). Unknown flow or failure:
  {"LanguageUsed": "<requested>", "PromptCount": "0", "error": "..."}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jam_core.connect_lambda import events
from jam_core.connect_lambda.jsonlog import InvocationLog
from jam_core.connect_lambda.responses import connect_handler
from jam_core.connect_lambda.settings import Settings
from jam_core.tables import repositories
from jam_core.tables.prompts import PromptRepository, validate_item
from prompts.selection import DEFAULT_LANGUAGE, select

FUNCTION = "prompts"
PARAMETERS = frozenset({"ContactFlowName", "LanguageCode"})  # the Details.Parameters it reads


def failure(requested: str, error: str) -> dict[str, str]:
    return {"LanguageUsed": requested, "PromptCount": "0", "error": error}


def prompts_for(event: Any, log: InvocationLog, repository: PromptRepository) -> dict[str, Any]:
    params = events.parameters(event)
    requested = events.language_code(event, params) or DEFAULT_LANGUAGE
    flow_name = params.get("ContactFlowName", "").strip()
    if not flow_name:
        log.warning("no_contact_flow_name")
        return failure(requested, "no_contact_flow_name")
    try:
        item = repository.get(flow_name)
        if item is None:
            log.warning("unknown_flow", flow=flow_name)
            return failure(requested, "unknown_flow")
        selection = select(validate_item(item), requested)
    except Exception as exc:
        log.error("prompts_failed", flow=flow_name, error=type(exc).__name__, detail=str(exc)[:300])
        return failure(requested, "prompts_unavailable")
    if not selection.matched:
        log.warning("language_unavailable", flow=flow_name, requested=requested, used=selection.language)
    if selection.fallbacks:
        log.warning(
            "prompt_language_fallback",
            flow=flow_name,
            language=selection.language,
            prompts=selection.fallbacks,
            used=DEFAULT_LANGUAGE,
        )
    if selection.missing:
        log.error("prompt_text_missing", flow=flow_name, prompts=selection.missing)
    log.info("prompts_selected", flow=flow_name, language=selection.language, count=len(selection.texts))
    return {**selection.texts, "LanguageUsed": selection.language, "PromptCount": str(len(selection.texts))}


@connect_handler(FUNCTION, failure(DEFAULT_LANGUAGE, "prompts_unavailable"))
def lambda_handler(event: Any, log: InvocationLog) -> Mapping[str, Any]:
    return prompts_for(event, log, repositories.prompts(Settings.from_env()))
