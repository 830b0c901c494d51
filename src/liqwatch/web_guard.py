"""What every request to the dashboard passes through before the application sees it.

Three ASGI middlewares, outermost first:

- :class:`AllowedHosts` answers 400 to a ``Host`` header that is not one of the server's
  names (loopback names by default): a page on another site that rebinds its DNS name to
  127.0.0.1 can then not read the token-less loopback API;
- :class:`BodyLimit` answers 413 to a request body above the limit of its path, from the
  ``Content-Length`` header before a byte of the body is read (and stops a chunked body at
  the limit, and one that does not arrive within ``body_seconds`` with 408);
- :class:`SecurityHeaders` adds ``X-Frame-Options: DENY``, ``X-Content-Type-Options:
  nosniff``, ``Referrer-Policy: no-referrer`` and a ``Content-Security-Policy`` to every
  response (an HTML page sets its own, from :func:`page_csp`).

Pure ASGI (no request object, no body buffering), so that a refused request costs nothing.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import re
from collections.abc import Awaitable, Callable, Iterable, Mapping, MutableMapping
from typing import Any

__all__ = [
    "API_CSP",
    "LOOPBACK_NAMES",
    "AllowedHosts",
    "BodyLimit",
    "SecurityHeaders",
    "host_name",
    "page_csp",
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Host names a loopback server answers to unless told otherwise.
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")

#: The policy of every response that is not a page (JSON, scripts): nothing may run or load.
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

_HEADERS = (
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
)

_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)


def page_csp(html: str) -> str:
    """The Content-Security-Policy of ``html``: its own inline scripts (by SHA-256) and
    same-origin scripts run; nothing else loads from anywhere but the server.

    Inline styles stay allowed: Plotly positions its charts with ``style`` attributes.
    """
    hashes = []
    for m in _SCRIPT.finditer(html):
        attrs = m.group("attrs").lower()
        if "src=" in attrs or "application/json" in attrs:
            continue  # loaded from 'self', or a data block that never runs
        digest = hashlib.sha256(m.group("body").encode("utf-8")).digest()
        hashes.append(f"'sha256-{base64.b64encode(digest).decode()}'")
    scripts = " ".join(["'self'", *dict.fromkeys(hashes)])
    return (f"default-src 'none'; script-src {scripts}; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
            "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


def host_name(header: str) -> str:
    """The name in a ``Host`` header, without port or IPv6 brackets, in lower case."""
    value = header.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


async def _json(send: Send, status: int, message: str, *, close: bool = False) -> None:
    body = json.dumps({"error": {"status": status, "message": message}}).encode()
    headers = [(b"content-type", b"application/json"),
               (b"content-length", str(len(body)).encode()), *_HEADERS,
               (b"content-security-policy", API_CSP.encode())]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class AllowedHosts:
    """Answers 400 unless the ``Host`` header names one of ``hosts`` (``*`` allows any;
    ``.example.org`` allows the domain and its subdomains)."""

    def __init__(self, app: ASGIApp, hosts: Iterable[str]) -> None:
        self.app = app
        self.hosts = {host_name(h) if not h.startswith(".") else h.lower() for h in hosts}

    def allowed(self, name: str) -> bool:
        """True when the host ``name`` may be served."""
        if "*" in self.hosts or name in self.hosts:
            return True
        return any(h.startswith(".") and (name.endswith(h) or name == h[1:])
                   for h in self.hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        name = host_name(headers.get(b"host", b"").decode("latin-1"))
        if self.allowed(name):
            await self.app(scope, receive, send)
            return
        shown = name[:60] or "(none)"
        await _json(send, 400, f"Host {shown!r} is not a name of this server (serve "
                    "--allowed-host NAME adds one)", close=True)


class BodyLimit:
    """Answers 413 to a request body larger than its path's limit, without reading it.

    ``limits`` maps a path to its limit in bytes; other paths get ``default``.
    """

    def __init__(self, app: ASGIApp, *, default: int, limits: Mapping[str, int],
                 body_seconds: float = 10.0) -> None:
        self.app = app
        self.default = default
        self.limits = dict(limits)
        self.body_seconds = body_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limits.get(scope.get("path", ""), self.default)
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None:
            try:
                size = int(length)
            except ValueError:
                await _json(send, 400, "Content-Length is not a number", close=True)
                return
            if size > limit:
                await _json(send, 413, f"request body of {size} bytes; {scope.get('path')} "
                            f"takes at most {limit}", close=True)
                return
        received = 0
        started = body_done = False

        async def counted() -> Message:
            nonlocal received, body_done
            if body_done:  # later calls wait for the disconnect: no deadline
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), timeout=self.body_seconds)
            except TimeoutError:
                raise _SlowBodyError from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLargeError
                body_done = not message.get("more_body", False)
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:  # except*: the error may come wrapped in the task groups of the app's middleware
            await self.app(scope, counted, tracked)
        except* _TooLargeError:
            if not started:
                await _json(send, 413, f"request body above {limit} bytes for "
                            f"{scope.get('path')}", close=True)
        except* _SlowBodyError:
            if not started:
                await _json(send, 408, f"the request body did not arrive within "
                            f"{self.body_seconds:g} s", close=True)


class _TooLargeError(Exception):
    """A chunked body went past its limit."""


class _SlowBodyError(Exception):
    """A body did not arrive in time."""


class SecurityHeaders:
    """Adds the security headers to every response; ``API_CSP`` unless it set a policy."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                names = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in _HEADERS if k not in names]
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", API_CSP.encode()))
                if scope.get("scheme") == "https":
                    headers.append((b"strict-transport-security", b"max-age=31536000"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)
