"""What the pool's views share, kept on the Flask app (`app.extensions["cognito"]`) as jam_api keeps
its services: a view reads it with `cognito_state()`, so any view can be tested on a fresh app."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Flask, current_app

from local_connect.cognito.authorization import CodeStore, SignInThrottle
from local_connect.cognito.client import AppClient
from local_connect.cognito.tokens import TokenMinter
from local_connect.cognito.users import UserPool

EXTENSION_KEY = "cognito"


@dataclass
class CognitoState:
    issuer: str
    client: AppClient
    pool: UserPool
    minter: TokenMinter
    codes: CodeStore = field(default_factory=CodeStore)
    throttle: SignInThrottle = field(default_factory=SignInThrottle)


def install(app: Flask, state: CognitoState) -> None:
    app.extensions[EXTENSION_KEY] = state


def cognito_state() -> CognitoState:
    state: CognitoState = current_app.extensions[EXTENSION_KEY]
    return state
