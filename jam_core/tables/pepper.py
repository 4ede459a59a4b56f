"""The PIN pepper: the server-side secret that keys PIN hashes (jam_core.tables.pin_hash), read once.

On AWS it is a Secrets Manager secret that CloudFormation generates (PIN_PEPPER_SECRET_ARN); it
never sits in the PinState table, so a leaked table cannot be searched offline. Locally (no ARN)
it is a file, PIN_PEPPER_FILE (default: pin-pepper beside the SQLite file, var/pin-pepper), created with 32 random bytes (hex) and
mode 0600 on first use, so the seed loader and the in-process Lambdas hash with the same key.

The value is read lazily, on the first PIN check, and kept for the life of the container (one
GetSecretValue per cold start); a failed read is not kept, so the next invocation tries again.
"""

from __future__ import annotations

import os
import secrets
import threading

from jam_core.connect_lambda.settings import Settings

MIN_LENGTH = 32  # characters: the template generates 64, the local file holds 64 hex digits

_lock = threading.Lock()
_cache: dict[tuple[str, str], bytes] = {}


class PepperUnavailable(RuntimeError):
    """The pepper could not be read (or is too short to be one)."""


def get(settings: Settings) -> bytes:
    """The pepper for these settings: the secret when an ARN is set, else the local file."""
    key = (settings.pin_pepper_secret_arn, settings.pepper_file)
    cached = _cache.get(key)
    if cached is not None:
        return cached
    with _lock:  # one read per container, even when threads race on the first call
        cached = _cache.get(key)
        if cached is None:
            arn = settings.pin_pepper_secret_arn
            text = _from_secret(arn) if arn else _from_file(settings.pepper_file)
            cached = _cache[key] = _checked(text)
    return cached


def reset() -> None:
    """Forgets the pepper (tests: a new account or file must be read again)."""
    with _lock:
        _cache.clear()


def _checked(text: str) -> bytes:
    value = text.strip()
    if len(value) < MIN_LENGTH:
        raise PepperUnavailable(f"the PIN pepper has {len(value)} characters, fewer than {MIN_LENGTH}")
    return value.encode("utf-8")


def _from_secret(arn: str) -> str:
    from jam_core.aws_sdk.secretsmanager import client  # deferred: boto3 only when the secret is on AWS

    try:
        value = client().get_secret_value(SecretId=arn).get("SecretString")
    except Exception as exc:  # botocore's errors, timeouts included
        raise PepperUnavailable(f"GetSecretValue failed: {type(exc).__name__}: {exc}") from exc
    if not isinstance(value, str):
        raise PepperUnavailable("the PIN pepper secret has no SecretString")
    return value


def _from_file(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as file:
            return file.read()
    except FileNotFoundError:
        pass
    try:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        # O_EXCL: of two first users (seed and runtime) exactly one creates it; 0600: the pepper is
        # a key and only its owner may read it.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        with open(path, encoding="utf-8") as file:
            return file.read()
    except OSError as exc:
        raise PepperUnavailable(f"cannot create the PIN pepper file {path}: {exc}") from exc
    value = secrets.token_hex(32)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(value + "\n")
    return value
