"""The Hosted-UI-like pages of the local pool: sign in, sign up, confirm the sign-up code.

Plain server-rendered HTML forms (no JavaScript), with labels, autocomplete hints and visible
errors, so they work with a keyboard and a screen reader. Every value is escaped.
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


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
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
    body = (
        f'<p class="notice">Local mode: demo users and their passwords are listed in data/seed/users.json.</p>'
        f"{_error(error)}"
        f'<form method="post" action="{escape(action)}">{_hidden(request_fields)}'
        f"{_field('username', 'Username', value=username, autocomplete='username', required='', autofocus='')}"
        f"{_field('password', 'Password', 'password', autocomplete='current-password', required='')}"
        '<button type="submit">Sign in</button></form>'
        f'<p>Need an account? <a href="{escape(sign_up_href)}">Sign up</a></p>'
    )
    return _page("Sign in", body)


def sign_up_page(
    action: str,
    sign_in_href: str,
    request_fields: Mapping[str, str],
    values: Mapping[str, str],
    error: str | None = None,
) -> str:
    def value(name: str) -> str:
        return values.get(name, "")

    body = (
        f"{_error(error)}"
        f'<form method="post" action="{escape(action)}">{_hidden(request_fields)}'
        f"{_field('username', 'Username', value=value('username'), autocomplete='username', required='')}"
        f"{_field('given_name', 'First name', value=value('given_name'), autocomplete='given-name')}"
        f"{_field('family_name', 'Last name', value=value('family_name'), autocomplete='family-name')}"
        f"{_field('email', 'Email', 'email', value=value('email'), autocomplete='email', required='')}"
        f"{_field('phone_number', 'Phone number (optional, +12025550100 format)', 'tel', value=value('phone_number'), autocomplete='tel')}"
        f"{_field('password', 'Password', 'password', autocomplete='new-password', required='', **{'aria-describedby': 'pw-hint'})}"
        '<p id="pw-hint" class="hint">At least 8 characters, with upper and lower case letters and a number.</p>'
        '<button type="submit">Sign up</button></form>'
        f'<p>Already have an account? <a href="{escape(sign_in_href)}">Sign in</a></p>'
    )
    return _page("Sign up", body)


def confirm_page(
    action: str,
    request_fields: Mapping[str, str],
    username: str,
    destination: str,
    shown_code: str | None,
    error: str | None = None,
) -> str:
    # Cognito would email the code; the local pool shows it here instead.
    shown = (
        f'<p class="notice" role="status">Local mode: instead of an email to {escape(destination)}, '
        f'here is your code: <span class="code">{escape(shown_code)}</span></p>'
        if shown_code
        else ""
    )
    body = (
        f"{shown}{_error(error)}"
        f'<form method="post" action="{escape(action)}">{_hidden({**request_fields, "username": username})}'
        f"{_field('code', 'Confirmation code', value='', autocomplete='one-time-code', inputmode='numeric', required='', autofocus='')}"
        '<button type="submit">Confirm account</button></form>'
    )
    return _page("Confirm your account", body)


def error_page(title: str, message: str) -> str:
    return _page(title, _error(message))
