"""PIN hashing: PBKDF2-HMAC-SHA256 with a random 16-byte salt per PIN; only the hash is stored.

The iteration count is stored with each hash, so it can be raised later without breaking the
PINs already enrolled. A short PIN cannot be made safe against an offline search by hashing
alone; the hashes keep stored PINs from being read back, and the lockout after N failures is
what protects a PIN against guessing on the phone.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass

ALGORITHM = "sha256"
SALT_BYTES = 16


@dataclass(frozen=True)
class PinHash:
    salt: str  # hex
    digest: str  # hex
    iterations: int


def hash_pin(pin: str, iterations: int, salt: bytes | None = None) -> PinHash:
    salt = os.urandom(SALT_BYTES) if salt is None else salt
    digest = hashlib.pbkdf2_hmac(ALGORITHM, pin.encode("utf-8"), salt, iterations)
    return PinHash(salt.hex(), digest.hex(), iterations)


def matches(pin: str, stored: PinHash) -> bool:
    candidate = hashlib.pbkdf2_hmac(
        ALGORITHM, pin.encode("utf-8"), bytes.fromhex(stored.salt), stored.iterations
    )
    return hmac.compare_digest(candidate.hex(), stored.digest)
