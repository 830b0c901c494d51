"""The JSON API and the dashboard over real HTTP (uvicorn on a free loopback port)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from liqwatch.exceptions import ConfigError
from liqwatch.web import is_loopback, serve
from web.server import running


@pytest.fixture(scope="module")
def base(real_db: Path) -> Iterator[str]:
    with running(real_db) as url:
        yield url


@pytest.fixture
def client(base: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base, timeout=30) as c:
        yield c


def _error(resp: httpx.Response) -> str:
    body = resp.json()
    assert set(body) == {"error"}
    assert body["error"]["status"] == resp.status_code
    assert "Traceback" not in resp.text and 'File "' not in resp.text
    message: str = body["error"]["message"]
    return message


def test_status_lists_every_series(client: httpx.Client) -> None:
    resp = client.get("/api/status")
    assert resp.status_code == 200
    body = resp.json()
    ids = {r["series_id"] for r in body["series"]}
    assert {"SOFR", "WRESBAL", "IORB"} <= ids
    sofr = next(r for r in body["series"] if r["series_id"] == "SOFR")
    assert isinstance(sofr["value"], float) and sofr["date"] >= "2026-01-01"
    assert body["n_series"] == len(body["series"])
    # Live, stale and discontinued are counted apart; a discontinued series is never stale.
    states = body["states"]
    assert states["live"] + states["stale"] + states["discontinued"] + states["missing"] \
        == states["total"] == body["n_series"]
    ioer = next(r for r in body["series"] if r["series_id"] == "IOER")
    assert (ioer["state"], ioer["stale"]) == ("discontinued", False)
    assert states["discontinued"] >= 9 and body["n_stale"] == states["stale"]


def test_series_point_in_time(client: httpx.Client) -> None:
    resp = client.get("/api/series/SOFR", params={"start": "2019-09-16", "as_of": "2019-09-18"})
    assert resp.status_code == 200
    obs = resp.json()["observations"]
    assert [(o["date"], o["value"]) for o in obs] == [("2019-09-16", 2.43), ("2019-09-17", 5.25)]
    later = client.get("/api/series/SOFR", params={"start": "2019-09-16", "end": "2019-09-18"})
    assert [o["date"] for o in later.json()["observations"]][-1] == "2019-09-18"


@pytest.mark.parametrize(("path", "params", "status", "needle"), [
    ("/api/series/NOPE", {}, 404, "NOPE"),
    ("/api/series/SOFR", {"as_of": "yesterday-ish"}, 422, "as_of"),
    ("/api/series/SOFR", {"start": "2020-01-02", "end": "2019-01-01"}, 400, "after"),
    ("/api/report", {"lang": "fr"}, 400, "fr"),
    ("/api/scenario", {"weeks": "0"}, 422, "weeks"),
    ("/api/indicators", {"as_of": "2019-13-45"}, 422, "as_of"),
    ("/no/such/page", {}, 404, "Not Found: GET /no/such/page (the endpoints are listed at /docs)"),
])
def test_invalid_requests_get_json_errors(
    client: httpx.Client, path: str, params: dict[str, str], status: int, needle: str
) -> None:
    resp = client.get(path, params=params)
    assert resp.status_code == status
    assert needle in _error(resp)


@pytest.mark.parametrize("path", ["/api/indicators", "/api/stress", "/api/analogs",
                                  "/api/scenario"])
def test_model_endpoints_answer_for_the_day_asked(client: httpx.Client, path: str) -> None:
    resp = client.get(path, params={"as_of": "2019-09-18"})
    assert resp.status_code == 200, resp.text
    assert resp.json()["as_of"]["day"] == "2019-09-18"


def test_openapi_documents_the_api(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/api/status", "/api/indicators", "/api/stress", "/api/analogs",
                 "/api/scenario", "/api/series/{series_id}"):
        assert path in spec["paths"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/api/series/{series_id}" in docs.text
    assert "https://" not in docs.text and "http://" not in docs.text


def test_dashboard_and_report_pages(client: httpx.Client) -> None:
    page = client.get("/", params={"as_of": "2019-09-18", "lang": "ja"})
    assert page.status_code == 200
    assert '<html lang="ja">' in page.text and 'id="as-of"' in page.text
    assert 'value="2019-09-18"' in page.text
    assert '<script src="/static/plotly.min.js"></script>' in page.text
    js = client.get("/static/plotly.min.js")
    assert js.status_code == 200 and len(js.content) > 1_000_000
    report = client.get("/api/report", params={"lang": "en"})
    assert report.status_code == 200 and len(report.text) > 1_000_000
    assert "/static/plotly.min.js" not in report.text  # the download is self-contained


def test_token_is_required_when_set(real_db: Path) -> None:
    with running(real_db, token="s3cret-token-of-24-chars") as url, \
            httpx.Client(base_url=url, timeout=60) as c:
        resp = c.get("/api/status")
        assert resp.status_code == 401 and "bearer" in _error(resp).lower()
        assert "s3cret" not in resp.text
        assert c.get("/api/status", headers={"Authorization": "Bearer wrong"}).status_code == 401
        ok = c.get("/api/status", headers={"Authorization": "Bearer s3cret-token-of-24-chars"})
        assert ok.status_code == 200
        login_page = c.get("/", headers={"Accept": "text/html"})
        assert login_page.status_code == 401 and "<form" in login_page.text
        signed = c.post("/login", data={"token": "s3cret-token-of-24-chars"},
                        follow_redirects=False)
        assert signed.status_code == 303
        assert c.get("/api/series/SOFR", params={"start": "2026-08-01"}).status_code == 200


def test_non_loopback_needs_a_token(tmp_path: Path) -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4")
    with pytest.raises(ConfigError, match="token"):
        serve(tmp_path / "x.duckdb", host="0.0.0.0", port=9)


def test_missing_store_is_a_json_error(tmp_path: Path) -> None:
    with running(tmp_path / "absent.duckdb") as url:
        resp = httpx.get(url + "/api/status")
    assert resp.status_code == 503 and "no store" in _error(resp)


def test_prewarm_renders_the_latest_dashboard(real_db: Path) -> None:
    import time

    with running(real_db, prewarm=True) as url, httpx.Client(base_url=url, timeout=60) as c:
        deadline = time.monotonic() + 60
        while c.get("/healthz").json()["pages_cached"] == 0:  # no page requested yet
            assert time.monotonic() < deadline, "the dashboard was not pre-rendered"
            time.sleep(0.1)
        t0 = time.perf_counter()
        page = c.get("/")
        assert time.perf_counter() - t0 < 0.5  # served from the page cache
        assert page.status_code == 200 and 'id="as-of"' in page.text


def test_serve_command_runs_the_app(real_db: Path) -> None:
    import subprocess
    import sys
    import time

    from web.server import free_port

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "liqwatch", "--db", str(real_db), "serve", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                resp = httpx.get(f"http://127.0.0.1:{port}/api/series/SOFR",
                                 params={"start": "2019-09-17", "end": "2019-09-17"})
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.communicate()
                assert time.monotonic() < deadline, "liqwatch serve did not start"
                time.sleep(0.2)
        assert resp.json()["observations"][0]["value"] == 5.25
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=20)
    assert f"127.0.0.1:{port}" in out
    assert "Traceback" not in err
