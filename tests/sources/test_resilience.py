"""The shared request pipeline: retries, Retry-After, timeouts, bad bodies, typed errors and
API-key redaction, against a real local HTTP server."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from liqwatch.exceptions import (
    HTTPStatusError,
    NotFoundError,
    RateLimitedError,
    SchemaError,
    TransportError,
)
from liqwatch.sources import RateLimiter, RetryPolicy, redact
from liqwatch.sources.fred import FredClient
from liqwatch.sources.nyfed import NyfedClient

from .support import FAST_RETRY, fast, payload

KEY = "zyxwvutsrq9876543210zyxwvutsrq98"
SOFR = [("SOFR", "secured/sofr:percentRate")]
PATH = "/api/rates/secured/sofr/search.json"


def _nyfed(server: HTTPServer, http: httpx.Client, **kw: object) -> NyfedClient:
    return NyfedClient(http, replace(fast(server), **kw))  # type: ignore[arg-type]


def _sequence(server: HTTPServer, responses: list[Response]) -> list[float]:
    """Serve ``responses`` in turn (the last one repeats); return the arrival times."""
    times: list[float] = []

    def handler(_request: Request) -> Response:
        times.append(time.monotonic())
        return responses[min(len(times), len(responses)) - 1]

    server.expect_request(PATH).respond_with_handler(handler)
    return times


def _ok() -> Response:
    return Response(payload("nyfed_sofr.json"), content_type="application/json")


def test_429_then_success_honours_retry_after(httpserver: HTTPServer,
                                              http: httpx.Client) -> None:
    times = _sequence(httpserver, [Response("slow down", status=429,
                                            headers={"Retry-After": "1"}), _ok()])
    [data] = _nyfed(httpserver, http).fetch(SOFR, date(2026, 1, 5), realtime_from=None)
    assert len(data.frame) == 2
    assert len(times) == 2
    assert times[1] - times[0] >= 0.95  # waited for Retry-After, not the 10 ms backoff


def test_429_forever_is_rate_limited(httpserver: HTTPServer, http: httpx.Client) -> None:
    times = _sequence(httpserver, [Response("{}", status=429)])
    with pytest.raises(RateLimitedError, match="HTTP 429"):
        _nyfed(httpserver, http).fetch(SOFR, date(2026, 1, 5), realtime_from=None)
    assert len(times) == FAST_RETRY.attempts


@pytest.mark.parametrize("status", [500, 503])
def test_server_errors_are_retried(httpserver: HTTPServer, http: httpx.Client,
                                   status: int) -> None:
    times = _sequence(httpserver, [Response("oops", status=status), _ok()])
    [data] = _nyfed(httpserver, http).fetch(SOFR, date(2026, 1, 5), realtime_from=None)
    assert len(times) == 2 and not data.frame.empty


def test_persistent_503_fails_typed(httpserver: HTTPServer, http: httpx.Client) -> None:
    _sequence(httpserver, [Response("<html>maintenance</html>", status=503)])
    with pytest.raises(HTTPStatusError) as info:
        _nyfed(httpserver, http).fetch(SOFR, date(2026, 1, 5), realtime_from=None)
    assert info.value.status_code == 503 and "HTML error page" in str(info.value)


def test_404_is_not_found_without_retry(httpserver: HTTPServer, http: httpx.Client) -> None:
    times = _sequence(httpserver, [Response('{"message":"no such rate"}', status=404)])
    with pytest.raises(NotFoundError, match="no such rate"):
        _nyfed(httpserver, http).fetch(SOFR, date(2026, 1, 5), realtime_from=None)
    assert len(times) == 1


def test_truncated_json(httpserver: HTTPServer, http: httpx.Client) -> None:
    _sequence(httpserver, [Response(payload("nyfed_sofr.json")[:150],
                                    content_type="application/json")])
    with pytest.raises(SchemaError, match=r"not valid JSON.*truncated"):
        _nyfed(httpserver, http).fetch(SOFR, date(2026, 1, 5), realtime_from=None)


def test_html_page_with_status_200(httpserver: HTTPServer, http: httpx.Client) -> None:
    _sequence(httpserver, [Response("<!DOCTYPE html><html><body>Service unavailable"
                                    "</body></html>", content_type="text/html")])
    with pytest.raises(SchemaError, match="HTML page instead of JSON"):
        _nyfed(httpserver, http).fetch(SOFR, date(2026, 1, 5), realtime_from=None)


@pytest.fixture
def threaded_server() -> Iterator[HTTPServer]:
    """A multi-threaded server, so that a slow answer does not hold up the retry."""
    server = HTTPServer(threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


def test_timeout_then_success(threaded_server: HTTPServer, http: httpx.Client) -> None:
    calls: list[int] = []
    release = threading.Event()

    def handler(_request: Request) -> Response:
        calls.append(1)
        if len(calls) == 1:
            release.wait(2.0)  # far beyond the client's 0.2 s timeout
        return _ok()

    threaded_server.expect_request(PATH).respond_with_handler(handler)
    client = _nyfed(threaded_server, http, timeout=0.2)
    try:
        [data] = client.fetch(SOFR, date(2026, 1, 5), realtime_from=None)
    finally:
        release.set()
    assert len(calls) == 2 and not data.frame.empty


def test_timeouts_exhaust_into_transport_error(threaded_server: HTTPServer,
                                               http: httpx.Client) -> None:
    release = threading.Event()

    def handler(_request: Request) -> Response:
        release.wait(2.0)
        return _ok()

    threaded_server.expect_request(PATH).respond_with_handler(handler)
    client = _nyfed(threaded_server, http, timeout=0.1,
                    retry=RetryPolicy(attempts=2, initial=0.01, maximum=0.01, jitter=0.0))
    try:
        with pytest.raises(TransportError, match="timed out"):
            client.fetch(SOFR, date(2026, 1, 5), realtime_from=None)
    finally:
        release.set()


def test_connection_refused_is_transport_error(http: httpx.Client) -> None:
    from liqwatch.sources import SourceSettings

    client = NyfedClient(http, SourceSettings(base_url="http://127.0.0.1:9", min_interval=0,
                                              retry=replace(FAST_RETRY, attempts=2)))
    with pytest.raises(TransportError, match="connection failed"):
        client.fetch(SOFR, date(2026, 1, 5), realtime_from=None)


def test_key_never_logged_or_shown(httpserver: HTTPServer, http: httpx.Client,
                                   caplog: pytest.LogCaptureFixture) -> None:
    httpserver.expect_request("/fred/series/observations").respond_with_data(
        "upstream exploded", status=500)
    client = FredClient(http, fast(httpserver), api_key=KEY)
    with caplog.at_level(logging.DEBUG), pytest.raises(HTTPStatusError) as info:
        client.fetch([("SOFR", "SOFR")], date(2026, 1, 1), realtime_from=date(2026, 1, 1))
    ours = [r for r in caplog.records if r.name.startswith(("liqwatch", "httpx"))]
    assert any("api_key=***" in r.getMessage() for r in ours)  # the URL was logged...
    assert all(KEY not in r.getMessage() for r in ours)        # ...without the key
    assert KEY not in str(info.value) and KEY not in repr(info.value)
    assert KEY not in repr(client)
    assert redact(f"https://x/?a=1&api_key={KEY}&b=2") == "https://x/?a=1&api_key=***&b=2"


def test_rate_limiter_spaces_requests() -> None:
    limiter = RateLimiter(0.05)
    t0 = time.monotonic()
    for _ in range(4):
        limiter.acquire()
    assert time.monotonic() - t0 >= 0.15
    assert limiter.waited >= 0.14


def test_unresolvable_host_fails_at_once_without_retries() -> None:
    """Offline, every request fails its DNS lookup: retrying only makes the user wait.

    A host-name lookup failure cannot be produced by a local server and tests must not use
    the network, so an httpx transport raises the error the real one raises (a ConnectError
    caused by ``socket.gaierror``).
    """
    import socket

    from liqwatch.sources import SourceSettings

    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        try:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        except socket.gaierror as exc:
            raise httpx.ConnectError("[Errno -2] Name or service not known",
                                     request=request) from exc

    with httpx.Client(transport=httpx.MockTransport(handler)) as http:
        client = NyfedClient(http, SourceSettings(
            base_url="https://markets.example.invalid", min_interval=0,
            retry=RetryPolicy(attempts=4, initial=5.0, maximum=5.0, jitter=0.0)))
        t0 = time.monotonic()
        with pytest.raises(TransportError, match="could not be resolved"):
            client.fetch(SOFR, date(2026, 1, 5), realtime_from=None)
    assert len(calls) == 1 and time.monotonic() - t0 < 2.0
