"""PIN hashing, versioned: each stored hash names its scheme, so old records keep verifying.

`hmac-sha256` (every new enrollment): HMAC-SHA256 keyed with a server-side secret (the pepper,
jam_core.tables.pepper) over a random 16-byte salt and the PIN. A 4-digit PIN has 10^4 candidates, so
no affordable work factor protects a leaked table on its own (100,000 PBKDF2 iterations cost
18 ms per check and still fall to an offline search in about 3 minutes per PIN); the pepper,
kept outside the table, does: without it a leaked hash cannot be tested against any PIN. No
PBKDF2 rounds are stacked on top: if the pepper leaks too, even 2 ms per candidate (the whole
latency budget) would hold a PIN for only 20 s, so stretching would buy latency and no safety.
The lockout after N wrong PINs remains the protection against guessing on the phone.

`pbkdf2-sha256` (legacy, verify only): PBKDF2-HMAC-SHA256 with the iteration count stored with
the hash. Records enrolled before the pepper still verify; enrolling again (the seed) makes them keyed.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass

SCHEME_KEYED = "hmac-sha256"
SCHEME_PBKDF2 = "pbkdf2-sha256"
SCHEMES = (SCHEME_KEYED, SCHEME_PBKDF2)
SALT_BYTES = 16


@dataclass(frozen=True)
class PinHash:
    salt: str  # hex
    digest: str  # hex
    iterations: int  # PBKDF2 iterations; 0 for the keyed scheme, which has none
    scheme: str = SCHEME_PBKDF2  # records stored before schemes were recorded are PBKDF2

    @property
    def keyed(self) -> bool:
        return self.scheme == SCHEME_KEYED


def hash_pin(pin: str, pepper: bytes, salt: bytes | None = None) -> PinHash:
    """A new enrollment: the keyed scheme."""
    salt = os.urandom(SALT_BYTES) if salt is None else salt
    return PinHash(salt.hex(), _keyed(pin, pepper, salt).hex(), 0, SCHEME_KEYED)


def hash_pin_pbkdf2(pin: str, iterations: int, salt: bytes | None = None) -> PinHash:
    """The legacy scheme; kept to produce legacy records in tests and the benchmark."""
    salt = os.urandom(SALT_BYTES) if salt is None else salt
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode("utf-8"), salt, iterations)
    return PinHash(salt.hex(), digest.hex(), iterations, SCHEME_PBKDF2)


def matches(pin: str, stored: PinHash, pepper: bytes | None = None) -> bool:
    """Whether `pin` is the stored PIN; `pepper` is needed (only) for keyed records.

    Raises ValueError for an unknown scheme or a keyed record without a pepper: a record that
    cannot be checked must not read as a wrong PIN (that would count a failure against the caller).
    """
    salt = bytes.fromhex(stored.salt)
    if stored.scheme == SCHEME_KEYED:
        if not pepper:
            raise ValueError("a keyed PIN hash needs the pepper")
        candidate = _keyed(pin, pepper, salt)
    elif stored.scheme == SCHEME_PBKDF2:
        candidate = hashlib.pbkdf2_hmac("sha256", pin.encode("utf-8"), salt, stored.iterations)
    else:
        raise ValueError(f"unknown PIN hash scheme {stored.scheme!r}")
    # Constant time: how much of the digest matched must not show in the response time.
    return hmac.compare_digest(candidate, bytes.fromhex(stored.digest))


def _keyed(pin: str, pepper: bytes, salt: bytes) -> bytes:
    # The salt has a fixed length, so salt || pin is unambiguous.
    return hmac.new(pepper, salt + pin.encode("utf-8"), hashlib.sha256).digest()
