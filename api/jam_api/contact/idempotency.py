"""Idempotency-Key: the same key with the same request is one call; with another request it is a 409.

Two guards, because on Lambda several containers answer the same customer:

* per container, before any Connect call: the fingerprint of an accepted request (a hash of the
  customer and the normalised request: E.164 number, flow id, attributes) is remembered for
  KEY_TTL_SECONDS (at most MAX_KEYS keys, oldest forgotten first); a repeat of its key with another
  fingerprint is refused without spending Connect quota;
* for a request that waits for Connect's quota, the fingerprint is stored with it (CallRequests,
  contact/intake.py), so every container refuses the reuse of its key;
* across containers: Connect's own ClientToken check. The ClientToken is derived from the customer
  and the key only (not the body), so the same key with another body reaches Connect under the same
  token and Connect answers IdempotencyException, which connect_errors maps to the same 409.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping

from jam_api.problems import Problem

# Connect keeps a ClientToken for 7 days (StartOutboundVoiceContact's ClientToken: "valid for 7
# days after creation"); a container rarely lives a day, so a day bounds the memory, not the rule.
KEY_TTL_SECONDS = 24 * 3600.0
MAX_KEYS = 10_000


def fingerprint(customer: str, destination: str, flow_id: str, attributes: Mapping[str, str]) -> str:
    canonical = json.dumps(
        {"customer": customer, "destination": destination, "flow": flow_id, "attributes": dict(attributes)},
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def client_token(customer: str, key: str) -> str:
    # Scoped to the customer so two customers' keys can never collide into one call.
    return hashlib.sha256(f"{customer}:{key}".encode()).hexdigest()


def key_reused() -> Problem:
    return Problem(
        409,
        "idempotency-key-reused",
        "Idempotency-Key already used",
        "This Idempotency-Key was already used with a different request; "
        "send a new key for a new request (a retry must repeat the same body).",
        field="Idempotency-Key",
    )


class IdempotencyStore:
    def __init__(
        self,
        ttl: float = KEY_TTL_SECONDS,
        max_keys: int = MAX_KEYS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl
        self._max = max_keys
        self._clock = clock
        self._seen: OrderedDict[tuple[str, str], tuple[str, float]] = OrderedDict()
        self._lock = threading.Lock()

    def check(self, customer: str, key: str, request_fingerprint: str) -> None:
        """Problem 409 when the key was accepted here with another request's fingerprint."""
        now = self._clock()
        with self._lock:
            seen = self._seen.get((customer, key))
        if seen is not None and now - seen[1] < self._ttl and seen[0] != request_fingerprint:
            raise key_reused()

    def remember(self, customer: str, key: str, request_fingerprint: str) -> None:
        """After the request was accepted (placed or queued): a refused one binds its key to nothing."""
        now = self._clock()
        with self._lock:
            seen = self._seen.get((customer, key))
            if seen is None or now - seen[1] >= self._ttl:
                self._seen[(customer, key)] = (request_fingerprint, now)
            self._seen.move_to_end((customer, key))
            while len(self._seen) > self._max:
                self._seen.popitem(last=False)
