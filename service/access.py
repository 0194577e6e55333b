"""Access: API keys (stored hashed, compared in constant time), read and write access, rate limits.

With no keys configured the API is open, for one machine on loopback, and the start-up log says
so. With keys, every ``/v1`` route needs ``Authorization: Bearer <key>``: 401 without one or with
an unknown one, 403 when a read key tries to write, 429 with ``Retry-After`` past the key's rate
(a token bucket per key, per process). Keys never appear in logs: only their configured names do.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import secrets
import threading
import time
from dataclasses import dataclass

from fastapi import HTTPException, Request, status

from sourcewise.settings import ApiKeySpec, Settings

logger = logging.getLogger(__name__)


def hash_key(key: str) -> str:
    """The hex SHA-256 a key is configured by."""
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> tuple[str, str]:
    """A fresh random key and its hash."""
    key = "sw_" + secrets.token_urlsafe(32)
    return key, hash_key(key)


@dataclass
class _Bucket:
    tokens: float
    updated: float


class AccessControl:
    """Who may call the API, and how often."""

    def __init__(self, settings: Settings) -> None:
        self.keys: list[ApiKeySpec] = list(settings.api_keys)
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    @property
    def open(self) -> bool:
        return not self.keys

    def authenticate(self, request: Request, write: bool = False) -> ApiKeySpec | None:
        """The key a request carries (None when the API is open); raises 401, 403 or 429."""
        if self.open:
            return None
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                detail="An API key is required: send 'Authorization: Bearer <key>'",
                headers={"WWW-Authenticate": "Bearer"},
            )
        digest = hash_key(token.strip())
        found = None
        for spec in self.keys:  # every key is compared, in constant time, so timing tells nothing
            if hmac.compare_digest(digest, spec.sha256):
                found = spec
        if found is None:
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED, detail="Unknown API key", headers={"WWW-Authenticate": "Bearer"}
            )
        if write and found.access != "write":
            raise HTTPException(status.HTTP_403_FORBIDDEN, detail=f"The key {found.name!r} has read access only; writing needs a write key")
        wait = self._take(found)
        if wait > 0:
            raise HTTPException(
                status.HTTP_429_TOO_MANY_REQUESTS,
                detail=f"Rate limit of {found.per_minute} requests per minute reached for key {found.name!r}",
                headers={"Retry-After": str(max(1, math.ceil(wait)))},
            )
        request.state.key_name = found.name
        return found

    def _take(self, spec: ApiKeySpec) -> float:
        """Take a token from the key's bucket; 0 when allowed, else the seconds until one is free."""
        rate = spec.per_minute / 60.0
        now = time.monotonic()
        with self._lock:
            bucket = self._buckets.get(spec.name)
            if bucket is None:
                bucket = self._buckets[spec.name] = _Bucket(float(spec.per_minute), now)
            bucket.tokens = min(float(spec.per_minute), bucket.tokens + (now - bucket.updated) * rate)
            bucket.updated = now
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return 0.0
            return (1 - bucket.tokens) / rate
