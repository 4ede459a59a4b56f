"""The REST routes of the Lex V2 runtime operations the twin serves, as botocore's model declares
them (lexv2-runtime 2020-08-07)."""

from __future__ import annotations

import re
from urllib.parse import unquote

_SESSION = "/bots/(?P<botId>[^/]+)/botAliases/(?P<botAliasId>[^/]+)/botLocales/(?P<localeId>[^/]+)/sessions/(?P<sessionId>[^/]+)"
ROUTES = (
    ("POST", re.compile(f"^{_SESSION}/text$"), "RecognizeText"),
    ("POST", re.compile(f"^{_SESSION}/utterance$"), "RecognizeUtterance"),
    ("GET", re.compile(f"^{_SESSION}$"), "GetSession"),
    ("POST", re.compile(f"^{_SESSION}$"), "PutSession"),
    ("DELETE", re.compile(f"^{_SESSION}$"), "DeleteSession"),
)


def match(method: str, path: str) -> tuple[str, dict[str, str]] | None:
    for route_method, pattern, operation in ROUTES:
        if route_method == method:
            found = pattern.match(path)
            if found:
                return operation, {k: unquote(v) for k, v in found.groupdict().items()}
    return None
