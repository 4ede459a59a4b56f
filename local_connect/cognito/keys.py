"""The signing key of the local user pool: generated once, kept under var/ so tokens survive restarts.

Cognito signs with RS256 and publishes its public keys at {issuer}/.well-known/jwks.json; the
stand-in does the same with one 2048-bit key. The key id is derived from the public key, so a
verifier that cached the JWKS keeps working until the key file is deleted.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey


@dataclass(frozen=True)
class SigningKey:
    private: RSAPrivateKey
    kid: str

    def jwks(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.private.public_key()))
        return {"keys": [{**public, "kid": self.kid, "alg": "RS256", "use": "sig"}]}


def _kid(private: RSAPrivateKey) -> str:
    der = private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.urlsafe_b64encode(hashlib.sha256(der).digest()[:16]).rstrip(b"=").decode()


def _create_private(path: Path, data: bytes) -> bytes:
    """Create a secret file readable by the owner only, unless another process created it first.

    Written to a temporary name and hard-linked into place: a crash never leaves half a key, and
    of two processes starting together, both end up using the one file that won.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
    return path.read_bytes()


def load_or_create_signing_key(state_dir: Path) -> SigningKey:
    path = state_dir / "signing-key.pem"
    if path.is_file():
        pem = path.read_bytes()
    else:
        fresh = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = _create_private(
            path,
            fresh.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            ),
        )
    private = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(private, RSAPrivateKey):
        raise ValueError(f"{path} is not an RSA private key")
    return SigningKey(private, _kid(private))


def load_or_create_secret(state_dir: Path, name: str) -> bytes:
    """A random secret (session cookie MAC) that, like the key, outlives restarts."""
    path = state_dir / name
    if path.is_file():
        return path.read_bytes()
    return _create_private(path, secrets.token_bytes(32))
