"""Hostile requests against a real server (uvicorn on a free loopback port, the real store).

Each test is one finding of the security review: days that would be computed over millennia,
many expensive requests at once, huge or slow bodies, a foreign ``Host``, half-sent headers,
missing security headers.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from web.server import running


@pytest.fixture(scope="module")
def base(real_db: Path) -> Iterator[str]:
    with running(real_db, budget=20.0) as url:
        httpx.get(url + "/api/status", timeout=120)  # the first copy of the store is loaded
        yield url


@pytest.fixture
def client(base: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base, timeout=60) as c:
        yield c


def _rss_mb() -> float:
    with Path(f"/proc/{os.getpid()}/status").open() as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def _message(resp: httpx.Response) -> str:
    body = resp.json()
    assert body["error"]["status"] == resp.status_code
    text: str = body["error"]["message"]
    return text


@pytest.mark.parametrize("path", ["/api/stress", "/api/analogs", "/api/indicators",
                                  "/api/scenario", "/api/report", "/", "/api/status",
                                  "/api/series/SOFR"])
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1949-12-31"])
def test_days_no_store_can_hold_are_refused_at_once(
        client: httpx.Client, path: str, day: str) -> None:
    t0 = time.perf_counter()
    resp = client.get(path, params={"as_of": day})
    assert time.perf_counter() - t0 < 1.0
    assert resp.status_code == 422, resp.text[:300]
    message = _message(resp)
    assert f"as_of={day}" in message
    assert ("future" in message) if day.startswith("9") else ("before" in message)


def test_a_day_before_the_stores_first_observation_is_refused() -> None:
    """A store whose first observation is in 2018 (a range given here, not read)."""
    from datetime import date

    from liqwatch.web_service import ApiError, StoreRange

    bounds = StoreRange(date(2018, 4, 3), date(2026, 8, 20))
    assert bounds.asked("as_of", date(2018, 4, 3)) == date(2018, 4, 3)
    with pytest.raises(ApiError, match=r"before the store's first observation \(2018-04-03\)"):
        bounds.asked("as_of", date(2018, 4, 2))


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_status_today_is_bounded(client: httpx.Client, day: str) -> None:
    resp = client.get("/api/status", params={"today": day})
    assert resp.status_code == 422 and f"today={day}" in _message(resp)


@pytest.mark.parametrize(("params", "needle"), [
    ({"start": "0001-01-01", "end": "9999-12-31"}, "start=0001-01-01"),
    ({"start": "2026-01-01", "end": "9999-12-31"}, "end=9999-12-31"),
    ({"start": "2000-01-01", "end": "2010-01-01"}, "at most 731 days"),
])
def test_calendar_ranges_are_bounded(client: httpx.Client, params: dict[str, str],
                                     needle: str) -> None:
    t0 = time.perf_counter()
    resp = client.get("/api/calendar", params=params)
    assert time.perf_counter() - t0 < 1.0
    assert resp.status_code == 422 and needle in _message(resp)


def test_series_range_is_clamped_to_the_store_with_a_note(client: httpx.Client) -> None:
    wide = client.get("/api/series/SOFR", params={"start": "0001-01-01", "end": "9999-12-31"})
    assert wide.status_code == 200
    body = wide.json()
    assert body["observations"][0]["date"] == "2018-04-03"  # SOFR's first published day
    assert any("start=0001-01-01 is before the store's first observation" in n
               for n in body["notes"])
    assert any("end=9999-12-31 is after the store's last observation" in n
               for n in body["notes"])
    plain = client.get("/api/series/SOFR", params={"start": "2019-09-16", "end": "2019-09-17"})
    assert "notes" not in plain.json()


@pytest.mark.parametrize("path", ["/", "/api/report"])
def test_pages_before_the_indicator_history_are_refused(client: httpx.Client,
                                                        path: str) -> None:
    resp = client.get(path, params={"as_of": "2000-01-03"})
    assert resp.status_code == 422
    assert "as_of=2000-01-03" in _message(resp) and "2003-01-02" in _message(resp)
    assert client.get("/api/indicators", params={"as_of": "2000-01-03"}).status_code == 200


def test_a_day_without_the_projection_inputs_is_a_user_error(client: httpx.Client) -> None:
    resp = client.get("/api/scenario", params={"as_of": "2000-01-03"})
    assert resp.status_code == 422
    assert "WRESBAL" in _message(resp) and "as_of=2000-01-03" in _message(resp)


def test_status_answers_while_ten_expensive_requests_run(real_db: Path) -> None:
    """Ten clients asking for pages of ten different days (each a full render) at once:
    the status and the latest indicators keep answering within a second, and every hostile
    request gets an answer (the page, or 503 with Retry-After when the lane is full)."""
    with running(real_db, budget=5.0, queue=2) as url, \
            httpx.Client(base_url=url, timeout=60) as c:
        assert c.get("/api/status").status_code == 200
        days = [f"2019-{m:02d}-1{d}" for m, d in zip(range(1, 11), range(10), strict=True)]
        answers: list[httpx.Response] = []
        stop = threading.Event()

        def hostile(day: str) -> None:
            with httpx.Client(base_url=url, timeout=60) as h:
                while not stop.is_set():
                    answers.append(h.get("/", params={"as_of": day, "lang": "ja"}))
                    answers.append(h.get("/api/analogs", params={"as_of": day}))

        threads = [threading.Thread(target=hostile, args=(d,)) for d in days]
        for t in threads:
            t.start()
        latencies: list[float] = []
        indicators: list[float] = []
        try:
            time.sleep(0.5)
            for _ in range(20):
                t0 = time.perf_counter()
                assert c.get("/api/status").status_code == 200
                latencies.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                assert c.get("/api/indicators").status_code == 200
                indicators.append(time.perf_counter() - t0)
                time.sleep(0.2)
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=60)
    assert max(latencies) < 1.0, latencies
    assert max(indicators) < 1.0, indicators
    assert {r.status_code for r in answers} <= {200, 503}
    busy = [r for r in answers if r.status_code == 503]
    assert busy and all(int(r.headers["retry-after"]) >= 1 for r in busy)
    assert any(r.status_code == 200 for r in answers)


def test_one_computation_for_many_identical_requests(real_db: Path) -> None:
    with running(real_db) as url, httpx.Client(base_url=url, timeout=60) as c:
        before = c.get("/healthz").json()["computations"]
        results: list[httpx.Response] = []

        def ask() -> None:
            results.append(httpx.get(url + "/api/analogs", params={"as_of": "2020-03-16"},
                                     timeout=60))

        threads = [threading.Thread(target=ask) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        after = c.get("/healthz").json()["computations"]
    assert [r.status_code for r in results] == [200] * 8
    assert len({r.text for r in results}) == 1
    assert after - before <= 2  # the analogs (and, at most, the store's range) once


def test_a_request_past_its_budget_gets_503_and_the_result_later(real_db: Path) -> None:
    with running(real_db, budget=0.05) as url, httpx.Client(base_url=url, timeout=60) as c:
        c.get("/api/status")
        first = c.get("/", params={"as_of": "2021-06-15"})
        assert first.status_code == 503 and "budget" in _message(first)
        assert int(first.headers["retry-after"]) >= 1
        deadline = time.monotonic() + 60
        while (again := c.get("/", params={"as_of": "2021-06-15"})).status_code == 503:
            assert time.monotonic() < deadline
            time.sleep(0.5)
        assert again.status_code == 200 and 'value="2021-06-15"' in again.text


def _raw(url: str, data: bytes, *, read_timeout: float = 10.0) -> tuple[bytes, float]:
    host, port = url.removeprefix("http://").split(":")
    t0 = time.perf_counter()
    with socket.create_connection((host, int(port)), timeout=read_timeout) as s:
        s.sendall(data)
        got = b""
        while b"\r\n\r\n" not in got:
            chunk = s.recv(65536)
            if not chunk:
                break
            got += chunk
    return got, time.perf_counter() - t0


def test_a_64_mb_login_body_gets_413_unread(base: str) -> None:
    rss = _rss_mb()
    head = (b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
            b"application/x-www-form-urlencoded\r\nContent-Length: 67108864\r\n\r\n")
    got, took = _raw(base, head + b"token=" + b"a" * 1000)  # the rest is never sent
    assert got.startswith(b"HTTP/1.1 413"), got[:200]
    assert took < 1.0
    assert _rss_mb() - rss < 50


def test_a_chunked_login_body_is_stopped_at_the_limit(base: str) -> None:
    chunk = b"a" * 3000
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(3)) + b"0\r\n\r\n"
    head = (b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n\r\n")
    got, _ = _raw(base, head + body)
    assert got.startswith(b"HTTP/1.1 413"), got[:200]


def test_api_bodies_are_capped_too(client: httpx.Client) -> None:
    resp = client.request("GET", "/api/status", content=b"x" * 5000)
    assert resp.status_code == 413


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.nip.io", "localhost.evil"])
def test_a_foreign_host_is_refused(client: httpx.Client, host: str) -> None:
    resp = client.get("/api/status", headers={"Host": host})
    assert resp.status_code == 400 and "Host" in _message(resp)
    assert resp.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::1]"])
def test_loopback_names_are_served(client: httpx.Client, base: str, host: str) -> None:
    port = base.rsplit(":", 1)[1]
    assert client.get("/healthz", headers={"Host": f"{host}:{port}"}).status_code == 200


def test_allowed_host_option(real_db: Path) -> None:
    with running(real_db, allowed_hosts=["dash.example.org"]) as url, \
            httpx.Client(base_url=url, timeout=60) as c:
        assert c.get("/healthz", headers={"Host": "dash.example.org"}).status_code == 200
        assert c.get("/healthz", headers={"Host": "other.example.org"}).status_code == 400
        assert c.get("/healthz", headers={"Host": "127.0.0.1"}).status_code == 400


@pytest.mark.parametrize("path", ["/api/status", "/", "/docs", "/nope", "/static/plotly.min.js",
                                  "/api/stress?as_of=9999-12-31"])
def test_security_headers_on_every_response(client: httpx.Client, path: str) -> None:
    resp = client.get(path)
    assert resp.headers["x-frame-options"] == "DENY"
    assert resp.headers["x-content-type-options"] == "nosniff"
    assert resp.headers["referrer-policy"] == "no-referrer"
    csp = resp.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
    if path == "/":
        assert "script-src 'self' 'sha256-" in csp and "unsafe-eval" not in csp


def test_half_sent_headers_are_closed(real_db: Path) -> None:
    with running(real_db, header_seconds=1.0) as url:
        host, port = url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as s:
            s.sendall(b"GET /api/status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            t0 = time.perf_counter()
            assert s.recv(100) == b""  # closed by the server
            assert 0.5 < time.perf_counter() - t0 < 5
        with socket.create_connection((host, int(port)), timeout=10) as idle:
            t0 = time.perf_counter()
            assert idle.recv(100) == b""
            assert time.perf_counter() - t0 < 5
        assert httpx.get(url + "/healthz").status_code == 200


def _post_login(c: httpx.Client, token: str) -> httpx.Response:
    return c.post("/login", data={"token": token}, follow_redirects=False)


def test_short_and_blank_tokens_are_refused(real_db: Path) -> None:
    from liqwatch.exceptions import ConfigError
    from liqwatch.web import create_app

    for bad in ("x", " " * 20, "fifteen-chars!!"):
        with pytest.raises(ConfigError, match="at least 16"):
            create_app(real_db, token=bad)


def test_session_cookie_is_not_the_token(real_db: Path) -> None:
    token = "a-token-of-thirty-two-characters"
    with running(real_db, token=token) as url, httpx.Client(base_url=url, timeout=60) as c:
        signed = _post_login(c, token)
        assert signed.status_code == 303
        cookie = signed.headers["set-cookie"]
        assert token not in cookie
        flags = {p.strip().split("=")[0].lower() for p in cookie.split(";")}
        assert {"httponly", "max-age", "path"} <= flags
        assert "samesite=strict" in cookie.lower() and "secure" not in flags
        assert c.get("/api/status").status_code == 200  # the session cookie
        raw = httpx.get(url + "/api/status", cookies={"liqwatch_session": token})
        assert raw.status_code == 401  # the token itself is no session
    with running(real_db, token=token, secure_cookie=True) as url, \
            httpx.Client(base_url=url, timeout=60) as c:
        assert "secure" in {p.strip().lower() for p in
                            _post_login(c, token).headers["set-cookie"].split(";")}


def test_behind_a_local_tls_proxy_the_cookie_is_secure(real_db: Path) -> None:
    """A proxy on the same machine says ``X-Forwarded-Proto: https`` (trusted from
    127.0.0.1): the cookie is Secure and the answers carry Strict-Transport-Security."""
    token = "a-token-of-thirty-two-characters"
    with running(real_db, token=token) as url, httpx.Client(base_url=url, timeout=60) as c:
        proxied = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
        signed = c.post("/login", data={"token": token}, headers=proxied,
                        follow_redirects=False)
        assert signed.status_code == 303
        assert "secure" in {p.strip().lower() for p in signed.headers["set-cookie"].split(";")}
        assert signed.headers["strict-transport-security"].startswith("max-age=")
        assert "strict-transport-security" not in c.get("/healthz").headers


def test_guessing_is_throttled(real_db: Path) -> None:
    token = "a-token-of-thirty-two-characters"
    with running(real_db, token=token) as url, httpx.Client(base_url=url, timeout=60) as c:
        codes = [_post_login(c, f"guess-{i}").status_code for i in range(5)]
        assert codes == [401] * 5
        blocked = _post_login(c, token)
        assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) >= 1
        bearer = c.get("/api/status", headers={"Authorization": f"Bearer {token}"})
        assert bearer.status_code == 429


def test_bearer_guesses_count_too(real_db: Path) -> None:
    token = "a-token-of-thirty-two-characters"
    with running(real_db, token=token) as url, httpx.Client(base_url=url, timeout=60) as c:
        for i in range(5):
            resp = c.get("/api/status", headers={"Authorization": f"Bearer guess-{i}"})
            assert resp.status_code == 401
        assert _post_login(c, token).status_code == 429


def _serve_cli(*args: str) -> Any:
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "liqwatch", "--db", "/nonexistent.duckdb",
                           "serve", *args], capture_output=True, text=True, timeout=60)


def test_cli_refuses_a_short_token() -> None:
    done = _serve_cli("--token", "abc", "--port", "9")
    assert done.returncode == 1
    assert "at least 16" in done.stderr and "abc" not in done.stderr


def test_generated_token_is_printed_once_and_works(real_db: Path) -> None:
    import re
    import subprocess
    import sys

    from web.server import free_port

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "liqwatch", "--db", str(real_db), "serve",
                             "--port", str(port), "--generate-token"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(2)]
        found = re.search(r"Token \(shown once\): (\S+)", "".join(lines))
        assert found, lines
        token = found.group(1)
        assert len(token) >= 32
        url = f"http://127.0.0.1:{port}/api/status"
        deadline = time.monotonic() + 60
        while True:
            try:
                anonymous = httpx.get(url, timeout=60)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and proc.poll() is None
                time.sleep(0.2)
        assert anonymous.status_code == 401
        ok = httpx.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=60)
        assert ok.status_code == 200
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=20)
    assert token not in out + err  # printed once, above, and never again


def test_serve_speaks_https_with_a_certificate(real_db: Path, tmp_path: Path) -> None:
    """``serve --tls-cert --tls-key`` with a self-signed certificate made here: HTTPS, a
    Secure session cookie, Strict-Transport-Security."""
    import shutil
    import ssl
    import subprocess
    import sys

    from web.server import free_port

    if shutil.which("openssl") is None:
        pytest.fail("openssl is needed to make the test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                    str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                   check=True, capture_output=True)
    token = "a-token-of-thirty-two-characters"
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "liqwatch", "--db", str(real_db), "serve",
                             "--port", str(port), "--token", token, "--tls-cert", str(cert),
                             "--tls-key", str(key)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        trust = ssl.create_default_context(cafile=str(cert))
        with httpx.Client(base_url=f"https://127.0.0.1:{port}", verify=trust,
                          timeout=60) as c:
            deadline = time.monotonic() + 60
            while True:
                try:
                    c.get("/healthz")
                    break
                except httpx.TransportError:
                    assert time.monotonic() < deadline and proc.poll() is None
                    time.sleep(0.2)
            signed = c.post("/login", data={"token": token}, follow_redirects=False)
            assert signed.status_code == 303
            flags = {p.strip().lower() for p in signed.headers["set-cookie"].split(";")}
            assert "secure" in flags and "httponly" in flags
            assert "strict-transport-security" in signed.headers
            assert c.get("/api/status").status_code == 200
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=20)
    assert f"https://127.0.0.1:{port}/" in out
    assert token not in out + err


def test_serve_refuses_half_a_tls_pair(tmp_path: Path) -> None:
    done = _serve_cli("--tls-cert", str(tmp_path / "cert.pem"), "--port", "9")
    assert done.returncode == 1 and "--tls-key" in done.stderr
