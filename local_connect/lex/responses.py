"""The Lex V2 runtime twin's HTTP face: botocore's REST-JSON protocol in, the backend's data out.

RecognizeText, GetSession, PutSession and DeleteSession carry JSON bodies. RecognizeUtterance
carries the utterance as the request body and its state in headers: x-amz-lex-session-state and
x-amz-lex-request-attributes in, and x-amz-lex-messages, -interpretations, -session-state,
-input-transcript out, each JSON that is gzip-compressed and base64-encoded (the botocore model's
documentation of those members); the twin takes `text/plain; charset=utf-8` input (typed text,
as Lex accepts) and, given a recogniser, audio/l16 (16 kHz, 16-bit mono PCM). Errors: Lex's name in
x-amzn-ErrorType and {"message"} in the body, which botocore raises as client.exceptions.<Name>.
Signatures are not checked.
"""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Callable
from typing import Any

from werkzeug.wrappers import Request, Response

from local_connect.lex.models import LexBackend, LexError, ValidationException
from local_connect.lex.urls import match

# Audio (16 kHz 16-bit mono PCM) -> the words heard; None: the twin takes typed text only.
Recogniser = Callable[[bytes, str], str]


def encode_header(value: Any) -> str:
    return base64.b64encode(gzip.compress(json.dumps(value).encode())).decode()


def decode_header(value: str) -> Any:
    raw = base64.b64decode(value)
    return json.loads(gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw)


def _error(error: LexError) -> Response:
    response = Response(json.dumps({"message": str(error)}), status=error.status, mimetype="application/json")
    response.headers["x-amzn-ErrorType"] = error.code
    return response


def _json(request: Request) -> dict[str, Any]:
    if not request.data:
        return {}
    try:
        body = json.loads(request.data)
    except ValueError:
        raise ValidationException("the request body is not JSON") from None
    if not isinstance(body, dict):
        raise ValidationException("the request body is not a JSON object")
    return body


def _utterance(
    backend: LexBackend, recogniser: Recogniser | None, params: dict[str, str], request: Request
) -> Response:
    content_type = (request.headers.get("Content-Type") or "").lower()
    try:
        state = (
            decode_header(request.headers["x-amz-lex-session-state"])
            if "x-amz-lex-session-state" in request.headers
            else None
        )
        attributes = (
            decode_header(request.headers["x-amz-lex-request-attributes"])
            if "x-amz-lex-request-attributes" in request.headers
            else None
        )
    except ValueError:
        raise ValidationException("x-amz-lex-session-state is not base64 gzip JSON") from None
    if content_type.startswith("text/plain"):
        text, mode = request.get_data().decode("utf-8"), "Text"
    elif content_type.startswith("audio/l16") or content_type.startswith("audio/lpcm"):
        if recogniser is None:
            raise ValidationException("this twin has no speech recogniser: send text/plain; charset=utf-8")
        text, mode = recogniser(request.get_data(), params["localeId"]), "Speech"
    else:
        raise ValidationException(f"unsupported Content-Type {content_type!r}")
    if not text.strip():
        text = " "  # nothing heard: Lex's FallbackIntent path
    answer = backend.recognize_text(
        params["botId"], params["botAliasId"], params["localeId"], params["sessionId"],
        text, state, attributes, input_mode=mode,
    )  # fmt: skip
    response = Response(b"", status=200, mimetype="text/plain")
    response.headers.update(
        {
            "x-amz-lex-input-mode": mode,
            "x-amz-lex-messages": encode_header(answer["messages"]),
            "x-amz-lex-interpretations": encode_header(answer["interpretations"]),
            "x-amz-lex-session-state": encode_header(answer["sessionState"]),
            "x-amz-lex-input-transcript": encode_header(text),
            "x-amz-lex-session-id": answer["sessionId"],
        }
    )
    if answer["requestAttributes"]:
        response.headers["x-amz-lex-request-attributes"] = encode_header(answer["requestAttributes"])
    return response


def create_app(backend: LexBackend, recogniser: Recogniser | None = None) -> Callable[..., Any]:
    @Request.application
    def app(request: Request) -> Response:
        found = match(request.method, request.path)
        try:
            if found is None:
                raise ValidationException(f"No Lex V2 runtime operation for {request.method} {request.path}")
            operation, p = found
            bot, alias, locale, session = p["botId"], p["botAliasId"], p["localeId"], p["sessionId"]
            if operation == "RecognizeUtterance":
                return _utterance(backend, recogniser, p, request)
            if operation == "RecognizeText":
                body = _json(request)
                answer = backend.recognize_text(
                    bot, alias, locale, session,
                    body.get("text"), body.get("sessionState"), body.get("requestAttributes"),
                )  # fmt: skip
            elif operation == "GetSession":
                answer = backend.get_session(bot, alias, locale, session)
            elif operation == "PutSession":
                put = backend.put_session(
                    bot, alias, locale, session, _json(request).get("sessionState") or {}
                )
                # PutSession answers in headers (its payload is the audio stream), gzip + base64 JSON.
                response = Response(b"", status=200, mimetype="text/plain")
                response.headers["x-amz-lex-session-state"] = encode_header(put["sessionState"])
                response.headers["x-amz-lex-session-id"] = put["sessionId"]
                return response
            else:
                answer = backend.delete_session(bot, alias, locale, session)
        except LexError as error:
            return _error(error)
        except Exception as error:  # never a stack trace to the client: Lex's 500 shape
            failure = LexError(f"{type(error).__name__}: {error}")
            return _error(failure)
        return Response(json.dumps(answer), status=200, mimetype="application/json")

    return app
