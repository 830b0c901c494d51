"""The HTTP connection handling of ``liqwatch serve``: slow or idle clients are let go.

uvicorn closes a kept-alive connection that stays idle after a response, but waits for ever
for the first request of a new connection and for headers sent a byte at a time; a few hundred
such connections use up the process's file descriptors and the server stops accepting.
:class:`GuardedH11Protocol` gives every request's headers :data:`HEADER_SECONDS` to arrive,
from the connection's opening or from the end of the previous response, then closes the
connection. (Bodies have their own deadline: :class:`liqwatch.web_guard.BodyLimit`.)
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = ["HEADER_SECONDS", "GuardedH11Protocol"]

#: Seconds a client has to send a request's headers.
HEADER_SECONDS = 10.0


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline on each request's headers."""

    header_seconds = HEADER_SECONDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_timer: asyncio.TimerHandle | None = None
        self._waiting_after: object = None

    def _arm(self) -> None:
        self._disarm()
        self._waiting_after = self.cycle
        self._header_timer = self.loop.call_later(self.header_seconds, self._too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _too_slow(self) -> None:
        self._header_timer = None
        idle = self.cycle is None or self.cycle.response_complete
        if idle and self.cycle is self._waiting_after and not self.transport.is_closing():
            self.transport.close()  # no new request began within the deadline

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def handle_events(self) -> None:
        super().handle_events()
        if self._header_timer is not None and self.cycle is not self._waiting_after:
            self._disarm()  # a request's headers are in

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)
