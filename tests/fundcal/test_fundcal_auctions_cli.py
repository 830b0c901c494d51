"""FiscalData auction settlements (replayed from a local HTTP server) and ``liqwatch calendar``.

The auctions payloads are hand-made in the documented shape (tests/fixtures/sources/README.md);
the server is a real local HTTP server (pytest-httpserver), nothing touches the internet.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from liqwatch.exceptions import SourceError
from liqwatch.fundcal.auctions import auction_calendar, settlement_events
from liqwatch.sources import RetryPolicy, SourceSettings
from liqwatch.sources.fiscaldata import AUCTIONS_PATH, FiscalDataClient
from liqwatch.store import Store

PAYLOADS = Path(__file__).resolve().parent.parent / "fixtures" / "sources"
FAST = RetryPolicy(attempts=2, initial=0.01, maximum=0.02, jitter=0.0, retry_after_cap=1.0)
CliRun = Callable[..., tuple[int, str, str]]


def _pages(request: Request) -> Response:
    page = request.args.get("page[number]", "1")
    assert request.args.get("filter", "").startswith("issue_date:gte:")
    assert "announcemt_date" in request.args.get("fields", "")
    body = (PAYLOADS / f"fiscaldata_auctions_page{page}.json").read_text("utf-8")
    return Response(body, content_type="application/json")


@pytest.fixture
def auctions_server(httpserver: HTTPServer) -> Iterator[HTTPServer]:
    httpserver.expect_request(f"/fiscaldata/{AUCTIONS_PATH}").respond_with_handler(_pages)
    yield httpserver


def test_client_walks_the_pages_and_parses_amounts(auctions_server: HTTPServer) -> None:
    settings = SourceSettings(base_url=auctions_server.url_for("/fiscaldata"),
                              min_interval=0.0, timeout=2.0, retry=FAST)
    with httpx.Client() as http:
        rows = FiscalDataClient(http, settings).auctions(date(2025, 10, 27), date(2025, 11, 30))
    assert [r.security_term for r in rows] == ["13-Week", "2-Year", "5-Year", "7-Year",
                                               "10-Year"]
    two = rows[1]
    assert two.issue_date == date(2025, 10, 31) and two.announced == date(2025, 10, 23)
    assert two.offering_bn == 69.0 and two.accepted_bn == 69.0
    assert rows[3].accepted_bn != rows[3].accepted_bn  # "null" before the auction: NaN
    events = settlement_events(rows)
    # bills are left out; the three notes settling on 31 Oct are one event
    assert [(e.day, e.amount_bn) for e in events] == [(date(2025, 10, 31), 183.0),
                                                      (date(2025, 11, 17), 42.0)]
    cal = auction_calendar(rows)
    assert cal.on("2025-11-17").kinds == ("coupon_mid", "auction_settlement")
    assert cal.on("2025-11-17", as_of="2025-11-04").kinds == ("coupon_mid",)


def test_a_bad_row_is_a_schema_error_naming_the_security(httpserver: HTTPServer) -> None:
    body = {"data": [{"cusip": "91282CZY4", "security_type": "Note", "auction_date": "x",
                      "issue_date": "2025-10-31", "offering_amt": "1"}],
            "meta": {"total-pages": 1}}
    httpserver.expect_request(f"/fd/{AUCTIONS_PATH}").respond_with_json(body)
    settings = SourceSettings(base_url=httpserver.url_for("/fd"), min_interval=0.0,
                              timeout=2.0, retry=FAST)
    with httpx.Client() as http, pytest.raises(SourceError, match="CUSIP 91282CZY4"):
        FiscalDataClient(http, settings).auctions(date(2025, 10, 1))


def test_calendar_command_with_auctions(auctions_server: HTTPServer, cli: CliRun,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIQWATCH_FISCALDATA_URL", auctions_server.url_for("/fiscaldata"))
    code, out, _ = cli("calendar", "--no-store", "--auctions", "--from", "2025-10-27",
                       "--to", "2025-11-20", "--format", "json")
    assert code == 0
    rows = {r["date"]: r for r in json.loads(out)}
    assert rows["2025-10-31"]["kinds"] == ["month_end", "coupon_end", "auction_settlement"]
    assert rows["2025-10-31"]["settling_bn"] == 183.0
    assert rows["2025-11-17"]["principal"] == "coupon_mid"
    assert rows["2025-11-17"]["settling_bn"] == 42.0
    assert "2025-11-03" not in rows  # first business day of the month: not a pressure day


def test_calendar_command_offline_fallback_is_partial(httpserver: HTTPServer, cli: CliRun,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    httpserver.expect_request(f"/down/{AUCTIONS_PATH}").respond_with_data("no", status=503)
    monkeypatch.setenv("LIQWATCH_FISCALDATA_URL", httpserver.url_for("/down"))
    monkeypatch.setenv("LIQWATCH_RETRY_ATTEMPTS", "1")
    monkeypatch.setenv("LIQWATCH_RETRY_BACKOFF", "0.01")
    code, out, err = cli("calendar", "--no-store", "--auctions", "--from", "2025-10-27",
                         "--to", "2025-11-20", "--format", "json")
    assert code == 3
    assert "rule-dated coupon settlements" in err
    rows = {r["date"]: r for r in json.loads(out)}
    assert rows["2025-10-31"]["kinds"] == ["month_end", "coupon_end"]


def test_calendar_command_reads_the_usual_print_from_the_store(real_db: Path, cli: CliRun,
                                                               monkeypatch: pytest.MonkeyPatch
                                                               ) -> None:
    from liqwatch.indicators.turns import corridor_prints, usual_by_kind

    code, out, _ = cli("--db", str(real_db), "calendar", "--from", "2026-12-01", "--to",
                       "2026-12-31", "--format", "json")
    assert code == 0
    rows = {r["date"]: r for r in json.loads(out)}
    with Store(real_db, read_only=True) as store:
        usual = usual_by_kind(corridor_prints(store))
    ye = rows["2026-12-31"]
    assert ye["principal"] == "year_end"
    assert ye["usual_sofr_iorb_bp"] == round(float(usual.loc["year_end", "typical"]), 1)
    assert ye["usual_n"] == 5
    assert rows["2026-12-15"]["kinds"] == ["tax_corporate", "coupon_mid"]
    code, out, _ = cli("--db", str(real_db), "calendar", "--from", "2026-12-14", "--to",
                       "2026-12-16", "--lang", "ja")
    assert code == 0 and "法人税納付日" in out and "資金繰りの注意日" in out
    code, _, err = cli("calendar", "--no-store", "--from", "2026-12-31", "--to", "2026-12-01")
    assert code == 1 and "before --from" in err


def test_api_calendar_lists_the_same_days(real_db: Path, cli: CliRun) -> None:
    from web.server import running

    code, out, _ = cli("--db", str(real_db), "calendar", "--from", "2026-12-01", "--to",
                       "2026-12-31", "--format", "json")
    assert code == 0
    with running(real_db) as url, httpx.Client(base_url=url, timeout=30) as client:
        resp = client.get("/api/calendar", params={"start": "2026-12-01", "end": "2026-12-31"})
        assert resp.status_code == 200
        assert resp.json()["days"] == json.loads(out)
        ja = client.get("/api/calendar", params={"start": "2026-12-31", "end": "2026-12-31",
                                                 "lang": "ja"}).json()["days"]
        assert ja[0]["events"].startswith("年末、四半期末")
        bad = client.get("/api/calendar", params={"start": "2026-12-31", "end": "2026-12-01"})
        assert bad.status_code == 400 and "before start" in bad.json()["error"]["message"]
