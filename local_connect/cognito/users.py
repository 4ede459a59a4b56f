"""The local user pool: demo users from data/seed/users.json plus sign-ups, kept in SQLite.

Seed users are (re)written only when their entry in the seed file changes, so a demo user who
verified a phone number keeps it across restarts, and editing the seed file still takes effect.
Passwords are stored as scrypt hashes; refresh tokens and verification codes live here too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SUB_NAMESPACE = uuid.UUID("3b0f6f7e-2f44-4f0e-9d55-7c1a9e0c4b10")
USERNAME = re.compile(r"^[\w.+@-]{1,128}$")
E164 = re.compile(r"^\+[1-9]\d{6,14}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# The attributes the pool knows; everything else a client sends is refused (as Cognito does).
STANDARD_ATTRIBUTES = ("email", "phone_number", "given_name", "family_name", "name", "locale")
_SCRYPT = {"n": 2**12, "r": 8, "p": 1}
CODE_LIFETIME_SECONDS = 15 * 60

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    username TEXT PRIMARY KEY,
    sub TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    attributes TEXT NOT NULL,
    groups TEXT NOT NULL,
    confirmed INTEGER NOT NULL,
    seed_digest TEXT
);
CREATE TABLE IF NOT EXISTS refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    username TEXT NOT NULL,
    client_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    expires_at REAL NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0,
    auth_time INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS verification_codes (
    username TEXT NOT NULL,
    attribute TEXT NOT NULL,
    code TEXT NOT NULL,
    expires_at REAL NOT NULL,
    PRIMARY KEY (username, attribute)
);
"""


class UserError(ValueError):
    """A request about a user that Cognito would refuse; `code` is Cognito's exception name."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class User:
    username: str
    sub: str
    attributes: Mapping[str, Any] = field(default_factory=dict)
    groups: tuple[str, ...] = ()
    confirmed: bool = True

    @property
    def phone_verified(self) -> bool:
        return bool(self.attributes.get("phone_number_verified"))


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    try:
        _, salt, digest = stored.split("$")
    except ValueError:
        return False
    candidate = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), **_SCRYPT)
    return hmac.compare_digest(candidate.hex(), digest)


def password_problem(password: str) -> str | None:
    """Cognito's default password policy: 8+ characters with upper, lower case and a digit."""
    if len(password) < 8:
        return "Password must have at least 8 characters."
    if not re.search(r"[a-z]", password) or not re.search(r"[A-Z]", password):
        return "Password must have upper and lower case letters."
    if not re.search(r"\d", password):
        return "Password must have a number."
    return None


def subject_for(username: str) -> str:
    return str(uuid.uuid5(SUB_NAMESPACE, username))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class UserPool:
    def __init__(self, db_path: Path, seed_path: Path | None = None) -> None:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(db_path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.executescript(_SCHEMA)
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(refresh_tokens)")}
        if "auth_time" not in columns:  # a pool created before refresh tokens kept their sign-in time
            self._db.execute("ALTER TABLE refresh_tokens ADD COLUMN auth_time INTEGER NOT NULL DEFAULT 0")
        if seed_path is not None:
            self.load_seed(seed_path)

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def close(self) -> None:
        self._db.close()

    # ------------------------------------------------------------------ users
    def load_seed(self, seed_path: Path) -> None:
        entries = json.loads(seed_path.read_text(encoding="utf-8"))["users"]
        with self._tx() as db:
            for entry in entries:
                digest = hashlib.sha256(json.dumps(entry, sort_keys=True).encode()).hexdigest()
                row = db.execute(
                    "SELECT seed_digest FROM users WHERE username = ?", (entry["username"],)
                ).fetchone()
                if row is not None and row[0] == digest:
                    continue
                attributes = {k: entry[k] for k in STANDARD_ATTRIBUTES if entry.get(k)}
                attributes["email_verified"] = bool(entry.get("email"))
                if entry.get("phone_number"):
                    attributes["phone_number_verified"] = bool(entry.get("phone_number_verified"))
                db.execute(
                    "INSERT OR REPLACE INTO users VALUES (?, ?, ?, ?, ?, 1, ?)",
                    (
                        entry["username"],
                        subject_for(entry["username"]),
                        hash_password(entry["password"]),
                        json.dumps(attributes),
                        json.dumps(list(entry.get("groups", []))),
                        digest,
                    ),
                )

    def _row_to_user(self, row: tuple[Any, ...]) -> User:
        return User(row[0], row[1], json.loads(row[3]), tuple(json.loads(row[4])), bool(row[5]))

    def get(self, username: str) -> User | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM users WHERE username = ?", (username,)).fetchone()
        return self._row_to_user(row) if row else None

    def get_by_sub(self, sub: str) -> User | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM users WHERE sub = ?", (sub,)).fetchone()
        return self._row_to_user(row) if row else None

    def authenticate(self, username: str, password: str) -> User:
        with self._lock:
            row = self._db.execute("SELECT * FROM users WHERE username = ?", (username,)).fetchone()
        # Same message for an unknown user and a wrong password: no user enumeration.
        if row is None or not check_password(password, row[2]):
            raise UserError("NotAuthorizedException", "Incorrect username or password.")
        user = self._row_to_user(row)
        if not user.confirmed:
            raise UserError("UserNotConfirmedException", "User is not confirmed.")
        return user

    def sign_up(self, username: str, password: str, attributes: Mapping[str, str]) -> User:
        if not USERNAME.match(username):
            raise UserError(
                "InvalidParameterException", "Username may use letters, digits and . _ + @ - only."
            )
        problem = password_problem(password)
        if problem:
            raise UserError("InvalidPasswordException", problem)
        clean = validate_attributes(attributes)
        if not clean.get("email"):
            raise UserError("InvalidParameterException", "An email address is required.")
        clean["email_verified"] = False
        if clean.get("phone_number"):
            clean["phone_number_verified"] = False
        try:
            with self._tx() as db:
                db.execute(
                    "INSERT INTO users VALUES (?, ?, ?, ?, ?, 0, NULL)",
                    (
                        username,
                        subject_for(username),
                        hash_password(password),
                        json.dumps(clean),
                        '["customer"]',
                    ),
                )
        except sqlite3.IntegrityError as exc:
            raise UserError("UsernameExistsException", "User already exists.") from exc
        user = self.get(username)
        assert user is not None
        return user

    def confirm(self, username: str) -> None:
        with self._tx() as db:
            db.execute("UPDATE users SET confirmed = 1 WHERE username = ?", (username,))

    def update_attributes(self, username: str, changes: Mapping[str, str]) -> User:
        """Changing email or phone_number makes it unverified again, as in Cognito."""
        clean = validate_attributes(changes)
        with self._tx() as db:
            row = db.execute("SELECT attributes FROM users WHERE username = ?", (username,)).fetchone()
            if row is None:
                raise UserError("UserNotFoundException", "User does not exist.")
            attributes = json.loads(row[0])
            for key, value in clean.items():
                if key in ("email", "phone_number") and attributes.get(key) != value:
                    attributes[f"{key}_verified"] = False
                attributes[key] = value
            db.execute(
                "UPDATE users SET attributes = ? WHERE username = ?", (json.dumps(attributes), username)
            )
        user = self.get(username)
        assert user is not None
        return user

    def mark_verified(self, username: str, attribute: str) -> None:
        with self._tx() as db:
            row = db.execute("SELECT attributes FROM users WHERE username = ?", (username,)).fetchone()
            attributes = json.loads(row[0])
            attributes[f"{attribute}_verified"] = True
            db.execute(
                "UPDATE users SET attributes = ? WHERE username = ?", (json.dumps(attributes), username)
            )

    # ------------------------------------------------------------------ verification codes
    def new_code(self, username: str, attribute: str) -> str:
        code = f"{secrets.randbelow(10**6):06d}"
        with self._tx() as db:
            db.execute(
                "INSERT OR REPLACE INTO verification_codes VALUES (?, ?, ?, ?)",
                (username, attribute, code, time.time() + CODE_LIFETIME_SECONDS),
            )
        return code

    def use_code(self, username: str, attribute: str, code: str) -> None:
        with self._tx() as db:
            row = db.execute(
                "SELECT code, expires_at FROM verification_codes WHERE username = ? AND attribute = ?",
                (username, attribute),
            ).fetchone()
            if row is None or row[1] < time.time():
                raise UserError("ExpiredCodeException", "Invalid code provided, please request a code again.")
            if not hmac.compare_digest(row[0], code.strip()):
                raise UserError(
                    "CodeMismatchException", "Invalid verification code provided, please try again."
                )
            db.execute(
                "DELETE FROM verification_codes WHERE username = ? AND attribute = ?", (username, attribute)
            )

    # ------------------------------------------------------------------ refresh tokens
    def new_refresh_token(
        self, username: str, client_id: str, scope: str, lifetime: float, auth_time: int
    ) -> str:
        """`auth_time` is kept so refreshed ID tokens carry the original sign-in time (as Cognito's do;
        OIDC clients such as oidc-client-ts refuse a refreshed ID token whose auth_time changed)."""
        token = secrets.token_urlsafe(48)
        with self._tx() as db:
            db.execute(
                "INSERT INTO refresh_tokens (token_hash, username, client_id, scope, expires_at, revoked, auth_time)"
                " VALUES (?, ?, ?, ?, ?, 0, ?)",
                (_token_hash(token), username, client_id, scope, time.time() + lifetime, auth_time),
            )
        return token

    def use_refresh_token(self, token: str, client_id: str) -> tuple[User, str, int]:
        """(user, scope, auth_time of the original sign-in) for a valid refresh token."""
        with self._lock:
            row = self._db.execute(
                "SELECT username, client_id, scope, expires_at, revoked, auth_time FROM refresh_tokens"
                " WHERE token_hash = ?",
                (_token_hash(token),),
            ).fetchone()
        if row is None or row[1] != client_id or row[4] or row[3] < time.time():
            raise UserError("invalid_grant", "Invalid Refresh Token")
        user = self.get(row[0])
        if user is None:
            raise UserError("invalid_grant", "Invalid Refresh Token")
        return user, str(row[2]), int(row[5])

    def revoke_refresh_token(self, token: str) -> None:
        with self._tx() as db:
            db.execute("UPDATE refresh_tokens SET revoked = 1 WHERE token_hash = ?", (_token_hash(token),))


def validate_attributes(attributes: Mapping[str, str]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for key, raw in attributes.items():
        if key not in STANDARD_ATTRIBUTES:
            raise UserError("InvalidParameterException", f"Attribute {key} cannot be set.")
        value = str(raw).strip()
        if not value:
            continue
        if key == "phone_number":
            value = re.sub(r"[\s().-]", "", value)
            if not E164.match(value):
                raise UserError(
                    "InvalidParameterException", "Phone numbers must follow the format +12025550100."
                )
        if key == "email" and not EMAIL.match(value):
            raise UserError("InvalidParameterException", "Invalid email address format.")
        clean[key] = value[:256]
    return clean
