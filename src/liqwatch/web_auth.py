"""Signing in to the dashboard: tokens worth the name, sessions, throttled guessing.

- A token is at least :data:`MIN_TOKEN_LENGTH` characters (:func:`check_token`);
  :func:`generate_token` makes one.
- ``POST /login`` with the token opens a session: the cookie carries a random session id, never
  the token, and is ``HttpOnly``, ``SameSite=Strict``, ``Secure`` over HTTPS (also behind a TLS
  proxy that sends ``X-Forwarded-Proto``) and expires after :data:`SESSION_SECONDS`
  (:class:`Sessions`).
- Wrong tokens, at the form or in an ``Authorization`` header, count per client address: after
  ``attempts`` failures within ``window`` seconds the address is answered 429 until the window
  has passed (:class:`Throttle`).

>>> len(check_token(generate_token()))
32
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import OrderedDict, deque

from liqwatch.exceptions import ConfigError

__all__ = [
    "MIN_TOKEN_LENGTH",
    "SESSION_SECONDS",
    "Sessions",
    "Throttle",
    "check_token",
    "generate_token",
    "same_token",
]

#: Shortest token ``serve`` accepts.
MIN_TOKEN_LENGTH = 16
#: Lifetime of a dashboard session (12 hours).
SESSION_SECONDS = 12 * 3600


def check_token(token: str | None) -> str | None:
    """``token`` when it is long enough (None: no token).

    Raises
    ------
    ConfigError
        When it is shorter than :data:`MIN_TOKEN_LENGTH` or blank (the message never shows it).
    """
    if token is None:
        return None
    if len(token.strip()) < MIN_TOKEN_LENGTH:
        raise ConfigError(f"--token: {len(token.strip())} characters; a token needs at least "
                          f"{MIN_TOKEN_LENGTH} (liqwatch serve --generate-token makes one)")
    return token


def generate_token() -> str:
    """A new random token (32 URL-safe characters, 192 bits)."""
    return secrets.token_urlsafe(24)


def same_token(given: str, token: str) -> bool:
    """Constant-time comparison of ``given`` with ``token``."""
    return hmac.compare_digest(given.encode(), token.encode())


class Sessions:
    """Open dashboard sessions: random ids with an expiry (the oldest dropped beyond
    ``limit``)."""

    def __init__(self, *, lifetime: float = SESSION_SECONDS, limit: int = 1000) -> None:
        self.lifetime = lifetime
        self.limit = limit
        self._open: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def open(self) -> str:
        """A new session id."""
        sid = secrets.token_urlsafe(32)
        with self._lock:
            self._open[sid] = time.monotonic() + self.lifetime
            while len(self._open) > self.limit:
                self._open.popitem(last=False)
        return sid

    def valid(self, sid: str) -> bool:
        """True for an open session that has not expired."""
        if not sid:
            return False
        now = time.monotonic()
        with self._lock:
            for old in [k for k, until in self._open.items() if until <= now]:
                del self._open[old]
            return sid in self._open

    def close(self, sid: str) -> None:
        """End a session."""
        with self._lock:
            self._open.pop(sid, None)


class Throttle:
    """Failed sign-ins per client address; an address with ``attempts`` failures in the last
    ``window`` seconds waits until the oldest of them leaves the window."""

    def __init__(self, *, attempts: int = 5, window: float = 60.0,
                 clients: int = 10_000) -> None:
        self.attempts = attempts
        self.window = window
        self.clients = clients
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float]:
        found = self._failures.get(client)
        if found is None:
            found = deque()
            self._failures[client] = found
            while len(self._failures) > self.clients:
                self._failures.popitem(last=False)
        while found and found[0] <= now - self.window:
            found.popleft()
        return found

    def wait(self, client: str) -> int:
        """Seconds ``client`` must wait before its next attempt (0: it may try now)."""
        now = time.monotonic()
        with self._lock:
            recent = self._recent(client, now)
            if len(recent) < self.attempts:
                return 0
            return max(1, int(recent[0] + self.window - now + 0.999))

    def failed(self, client: str) -> None:
        """Count a failed attempt of ``client``."""
        now = time.monotonic()
        with self._lock:
            self._recent(client, now).append(now)
