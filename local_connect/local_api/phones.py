"""/local/phone, /local/speech and /local/phones/<number>/…: the test phones."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from jam_core.connect_lambda.settings import Settings
from jam_core.tables.sms_outbox import SqliteSmsOutbox
from local_connect.local_api.http_io import body, e164, events_response, problem
from local_connect.local_api.state import local_state
from local_connect.numbers import INBOUND_NUMBER
from local_connect.phone.page import PHONE_PAGE

phones_blueprint = Blueprint("local_phones", __name__)


@phones_blueprint.get("/phone")
def phone_page() -> Response:
    return Response(PHONE_PAGE, mimetype="text/html")


@phones_blueprint.get("/speech")
def speak() -> Response:
    speech = local_state().speech
    text = (request.args.get("text") or "")[:2000]
    language = request.args.get("language") or "en-US"
    if not speech.available:
        return problem(503, "SpeechUnavailable", "espeak-ng is not installed: prompts are shown as text")
    return Response(
        speech.wav(text, language), mimetype="audio/wav", headers={"Cache-Control": "max-age=3600"}
    )


@phones_blueprint.get("/phones/<raw>")
def phone_status(raw: str) -> Response:
    number = e164(raw)
    state = local_state()
    switchboard = state.runtime.switchboard
    return jsonify(
        state.locked(
            lambda: {**switchboard.phone(number).public(), "last": switchboard.phone(number).channel.last_seq}
        )
    )


@phones_blueprint.post("/phones/<raw>/dial")
def dial(raw: str) -> Response:
    number = e164(raw)
    to = e164(str(body().get("to") or INBOUND_NUMBER))
    state = local_state()
    return jsonify({"contactId": state.locked(lambda: state.runtime.switchboard.dial(number, to))})


@phones_blueprint.post("/phones/<raw>/answer")
def answer(raw: str) -> Response:
    number = e164(raw)
    state = local_state()
    return jsonify({"contactId": state.locked(lambda: state.runtime.switchboard.answer(number))})


@phones_blueprint.post("/phones/<raw>/digits")
def digits(raw: str) -> Response:
    number = e164(raw)
    pressed = str(body().get("digits") or "")
    state = local_state()
    state.locked(lambda: state.runtime.switchboard.send_digits(number, pressed))
    return jsonify({"ok": True})


@phones_blueprint.post("/phones/<raw>/hangup")
def hang_up(raw: str) -> Response:
    number = e164(raw)
    state = local_state()
    state.locked(lambda: state.runtime.switchboard.hang_up(number))
    return jsonify({"ok": True})


@phones_blueprint.get("/phones/<raw>/events")
def phone_events(raw: str) -> Response:
    number = e164(raw)
    state = local_state()
    return events_response(state.locked(lambda: state.runtime.switchboard.phone(number).channel))


@phones_blueprint.get("/phones/<raw>/sms")
def text_messages(raw: str) -> Response:
    """The phone's text messages after `after` (a seq): what the Lambdas sent it (the one-time codes).

    Locally a Lambda's SMS goes to the outbox in its own SQLite file (jam_core.tables.sms_outbox),
    found as the Lambdas find it (their SQLITE_PATH); `last` is the newest seq, so a page opened later
    starts from there. `limit=0` reads only `last`.
    """
    number = e164(raw)
    try:
        after = int(request.args.get("after") or 0)
        limit = int(request.args.get("limit") or 50)
    except ValueError:
        return problem(400, "InvalidParameter", "after and limit must be whole numbers")
    messages = SqliteSmsOutbox(Settings.from_env().sqlite_path).messages(number)
    last = messages[-1].seq if messages else 0
    newer = [m for m in messages if m.seq > after][: max(0, limit)]
    return jsonify(
        {"messages": [{"seq": m.seq, "body": m.body, "sentAt": m.sent_at} for m in newer], "last": last}
    )
