"""Run the real app with uvicorn on a free loopback port, in a background thread."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

from liqwatch.web import create_app
from liqwatch.web_http import GuardedH11Protocol


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def running(db: Path, token: str | None = None, *, prewarm: bool = False,
            header_seconds: float | None = None, **options: Any) -> Iterator[str]:
    """Serve ``db`` and yield the base URL; stop the server afterwards.

    ``options`` go to :func:`liqwatch.web.create_app`; the connections are handled as by
    ``liqwatch serve`` (:class:`~liqwatch.web_http.GuardedH11Protocol`, with
    ``header_seconds`` when given).
    """
    port = free_port()
    app = create_app(db, token=token, prewarm=prewarm, **options)
    protocol = GuardedH11Protocol
    if header_seconds is not None:
        protocol = type("QuickH11", (GuardedH11Protocol,), {"header_seconds": header_seconds})
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                            access_log=False, lifespan="on", http=protocol,
                            timeout_keep_alive=5)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
