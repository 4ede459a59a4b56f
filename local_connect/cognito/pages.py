"""The Hosted-UI-like pages of the local pool: sign in, sign up, confirm the sign-up code.

Plain server-rendered HTML forms (no JavaScript), with labels, autocomplete hints and visible
errors, so they work with a keyboard and a screen reader. Every value is escaped. English or
Spanish from the `lang` parameter, as Cognito's managed login pages take it.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

_STYLE = """
body{font-family:system-ui,sans-serif;background:#f5f5f5;color:#1a1a1a;margin:0}
main{max-width:26rem;margin:3rem auto;background:#fff;padding:2rem;border-radius:8px;
box-shadow:0 1px 4px rgba(0,0,0,.15)}
h1{font-size:1.5rem;margin-top:0}label{display:block;font-weight:600;margin-top:1rem}
input{width:100%;box-sizing:border-box;padding:.6rem;font-size:1rem;border:1px solid #6b6b6b;border-radius:4px}
input:focus,button:focus,a:focus{outline:3px solid #1a5fb4;outline-offset:2px}
button{margin-top:1.5rem;width:100%;padding:.7rem;font-size:1rem;background:#1a5fb4;color:#fff;
border:0;border-radius:4px;cursor:pointer}
.error{background:#fde8e8;color:#8a1010;padding:.75rem;border-radius:4px}
.notice{background:#e8f1fd;color:#0b3d78;padding:.75rem;border-radius:4px}
.code{font-size:1.6rem;letter-spacing:.3rem;font-weight:700}
.hint{color:#4a4a4a;font-size:.9rem}
"""


TEXT: dict[str, dict[str, str]] = {
    "en": {
        "sign_in": "Sign in",
        "sign_up": "Sign up",
        "username": "Username",
        "password": "Password",
        "demo": "Local mode: demo users and their passwords are listed in data/seed/users.json.",
        "need_account": "Need an account?",
        "have_account": "Already have an account?",
        "given_name": "First name",
        "family_name": "Last name",
        "email": "Email",
        "phone": "Phone number (optional, +12025550100 format)",
        "password_hint": "At least 8 characters, with upper and lower case letters and a number.",
        "confirm_title": "Confirm your account",
        "code": "Confirmation code",
        "confirm": "Confirm account",
        "shown_code": "Local mode: instead of an email to {destination}, here is your code:",
        "form_expired": "This form has expired. Please try again.",
    },
    "es": {
        "sign_in": "Iniciar sesión",
        "sign_up": "Crear cuenta",
        "username": "Usuario",
        "password": "Contraseña",
        "demo": "Modo local: los usuarios de demostración y sus contraseñas están en data/seed/users.json.",
        "need_account": "¿No tiene cuenta?",
        "have_account": "¿Ya tiene cuenta?",
        "given_name": "Nombre",
        "family_name": "Apellido",
        "email": "Correo electrónico",
        "phone": "Teléfono (opcional, formato +12025550100)",
        "password_hint": "Al menos 8 caracteres, con mayúsculas, minúsculas y un número.",
        "confirm_title": "Confirme su cuenta",
        "code": "Código de confirmación",
        "confirm": "Confirmar cuenta",
        "shown_code": "Modo local: en lugar de un correo a {destination}, este es su código:",
        "form_expired": "Este formulario ha caducado. Inténtelo de nuevo.",
    },
}


def text(lang: str, key: str, **values: str) -> str:
    return TEXT["es" if lang == "es" else "en"][key].format(**values)


def _page(title: str, body: str, lang: str = "en") -> str:
    lang = "es" if lang == "es" else "en"
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} · JAM (local sign-in)</title><style>{_STYLE}</style></head>"
        f"<body><main><h1>{escape(title)}</h1>{body}</main></body></html>"
    )


def _hidden(fields: Mapping[str, str]) -> str:
    return "".join(
        f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in fields.items() if v
    )


def _error(message: str | None) -> str:
    return f'<p class="error" role="alert">{escape(message)}</p>' if message else ""


def _field(
    name: str, label: str, kind: str = "text", value: str = "", autocomplete: str = "", **extra: str
) -> str:
    attrs = "".join(f' {escape(k)}="{escape(v)}"' for k, v in extra.items())
    return (
        f'<label for="{name}">{escape(label)}</label>'
        f'<input id="{name}" name="{name}" type="{kind}" value="{escape(value)}"'
        f' autocomplete="{escape(autocomplete)}"{attrs}>'
    )


def sign_in_page(
    action: str,
    sign_up_href: str,
    request_fields: Mapping[str, str],
    error: str | None = None,
    username: str = "",
) -> str:
    lang = request_fields.get("lang", "en")
    body = (
        f'<p class="notice">{escape(text(lang, "demo"))}</p>'
        f"{_error(error)}"
        f'<form method="post" action="{escape(action)}">{_hidden(request_fields)}'
        f"{_field('username', text(lang, 'username'), value=username, autocomplete='username', required='', autofocus='')}"
        f"{_field('password', text(lang, 'password'), 'password', autocomplete='current-password', required='')}"
        f'<button type="submit">{escape(text(lang, "sign_in"))}</button></form>'
        f'<p>{escape(text(lang, "need_account"))} <a href="{escape(sign_up_href)}">{escape(text(lang, "sign_up"))}</a></p>'
    )
    return _page(text(lang, "sign_in"), body, lang)


def sign_up_page(
    action: str,
    sign_in_href: str,
    request_fields: Mapping[str, str],
    values: Mapping[str, str],
    error: str | None = None,
) -> str:
    lang = request_fields.get("lang", "en")

    def value(name: str) -> str:
        return values.get(name, "")

    body = (
        f"{_error(error)}"
        f'<form method="post" action="{escape(action)}">{_hidden(request_fields)}'
        f"{_field('username', text(lang, 'username'), value=value('username'), autocomplete='username', required='')}"
        f"{_field('given_name', text(lang, 'given_name'), value=value('given_name'), autocomplete='given-name')}"
        f"{_field('family_name', text(lang, 'family_name'), value=value('family_name'), autocomplete='family-name')}"
        f"{_field('email', text(lang, 'email'), 'email', value=value('email'), autocomplete='email', required='')}"
        f"{_field('phone_number', text(lang, 'phone'), 'tel', value=value('phone_number'), autocomplete='tel')}"
        f"{_field('password', text(lang, 'password'), 'password', autocomplete='new-password', required='', **{'aria-describedby': 'pw-hint'})}"
        f'<p id="pw-hint" class="hint">{escape(text(lang, "password_hint"))}</p>'
        f'<button type="submit">{escape(text(lang, "sign_up"))}</button></form>'
        f'<p>{escape(text(lang, "have_account"))} <a href="{escape(sign_in_href)}">{escape(text(lang, "sign_in"))}</a></p>'
    )
    return _page(text(lang, "sign_up"), body, lang)


def confirm_page(
    action: str,
    request_fields: Mapping[str, str],
    username: str,
    destination: str,
    shown_code: str | None,
    error: str | None = None,
) -> str:
    lang = request_fields.get("lang", "en")
    # Cognito would email the code; the local pool shows it here instead.
    shown = (
        f'<p class="notice" role="status">{escape(text(lang, "shown_code", destination=destination))} '
        f'<span class="code">{escape(shown_code)}</span></p>'
        if shown_code
        else ""
    )
    body = (
        f"{shown}{_error(error)}"
        f'<form method="post" action="{escape(action)}">{_hidden({**request_fields, "username": username})}'
        f"{_field('code', text(lang, 'code'), value='', autocomplete='one-time-code', inputmode='numeric', required='', autofocus='')}"
        f'<button type="submit">{escape(text(lang, "confirm"))}</button></form>'
    )
    return _page(text(lang, "confirm_title"), body, lang)


def error_page(title: str, message: str) -> str:
    return _page(title, _error(message))
