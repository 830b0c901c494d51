"""Refusals name their likely cause and stop their source; ``--check`` and ``--strict``.

Served by a local HTTP server: the 403 page of a blocking CDN and FRED's refused-key answer
are hand-made in the shape those services send; the successful bodies are the REAL recorded
ones of tests/fixtures/recorded.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from liqwatch.cli import app
from liqwatch.config import Settings
from liqwatch.exceptions import RefusedError
from liqwatch.sources.fiscaldata import (
    CashBalanceRow,
    FiscalDataClient,
    account_kind,
    tga_closing,
)
from liqwatch.sources.nyfed import NyfedClient
from liqwatch.store import Store
from liqwatch.update import UpdateOptions, run_update

from . import recorded
from .support import FAST_RETRY, fast

KEY = "0123456789abcdef0123456789abcdef"
CDN_403 = "<html><head><title>403 Forbidden</title></head><body>Request blocked.</body></html>"
FRED_BAD_KEY = json.dumps({"error_code": 400, "error_message": "Bad Request.  The value for "
                           "variable api_key is not registered.  Read https://fred.stlouisfed."
                           "org/docs/api/api_key.html for more information."})


@pytest.fixture
def replay(server: HTTPServer) -> Iterator[HTTPServer]:
    """The module's local server, emptied before and after each test."""
    server.clear()
    yield server
    server.clear()


def _options(server: HTTPServer) -> UpdateOptions:
    return UpdateOptions(env=recorded.env(server), retry=FAST_RETRY, timeout=5.0,
                         min_interval=0.0)


def _requests(server: HTTPServer, prefix: str) -> int:
    return sum(1 for req, _ in server.log if req.path.startswith(prefix))


def test_keyless_403_says_refused_not_api_key(replay: HTTPServer, http: httpx.Client) -> None:
    replay.expect_request("/nyfed/api/rates/secured/sofr/search.json").respond_with_data(
        CDN_403, status=403, content_type="text/html")
    client = NyfedClient(http, fast(replay, "/nyfed"))
    with pytest.raises(RefusedError) as info:
        client.fetch([("SOFR", "secured/sofr:percentRate")], date(2024, 6, 1),
                     realtime_from=None)
    text = str(info.value)
    assert "HTTP 403: refused by the server (a network or rate block" in text
    assert "API key" not in text
    assert _requests(replay, "/nyfed") == 1  # never retried


def test_a_refusal_stops_its_source_after_the_first_answer(store: Store,
                                                           replay: HTTPServer) -> None:
    replay.expect_request("/nyfed/api/rates/secured/sofr/search.json").respond_with_data(
        CDN_403, status=403, content_type="text/html")
    recorded.serve_rates(replay, "secured/tgcr",
                         [recorded.text("nyfed_tgcr_volume_2026-07-27_08-07.json")])
    recorded.serve(replay, "COINBASE", "/products/BTC-USD/candles",
                   recorded.text("coinbase_btc_usd_candles_2026-06-22_07-31.json"))
    report = run_update(store, series=["SOFR", "TGCRVOL", "RPONTTLD_NYFED", "BTCUSD"],
                        since=date(2026, 6, 1), settings=Settings(), options=_options(replay))
    by_id = {o.series_id: o for o in report.outcomes}
    assert "refused by the server" in (by_id["SOFR"].error or "")
    for sid in ("TGCRVOL", "RPONTTLD_NYFED"):
        assert "not tried: the first request was refused" in (by_id[sid].error or "")
    assert _requests(replay, "/nyfed") == 1
    assert by_id["BTCUSD"].ok  # another source is not blocked
    assert report.exit_code == 3


def test_a_refused_fred_key_fails_fred_once(store: Store, replay: HTTPServer) -> None:
    replay.expect_request("/fred-api/fred/series").respond_with_data(
        FRED_BAD_KEY, status=400, content_type="application/json")
    series = ["WALCL", "WRESBAL", "TREAST", "WTREGEN"]
    report = run_update(store, series=series, settings=Settings(fred_api_key=KEY),
                        options=_options(replay))
    errors = [o.error or "" for o in report.outcomes]
    assert "the FRED API key was refused" in errors[0] and KEY not in errors[0]
    assert all("not tried: the first request was refused" in e for e in errors[1:])
    assert _requests(replay, "/fred-api") == 1
    assert report.exit_code == 2


def test_account_names_match_on_a_normalised_prefix() -> None:
    """Names as the table has really carried them (truncated, shifted), and re-punctuated."""
    assert account_kind("Treasury General Account (TGA) Closing Bal") == "closing"
    assert account_kind("TREASURY GENERAL ACCOUNT - TGA") == "tga"
    assert account_kind("Account Tax and Loan Note Accounts (Table V)") == "other"
    assert account_kind("Financial Institution Accoun") == "other"
    assert account_kind("Supplementary Financing Prog") == "other"
    assert account_kind("Treasury General Account (TGA) Opening Balance") == "other"
    assert account_kind("Federal Reserve Account") == "fra"
    assert account_kind("Treasury General Account Transfers") is None
    day = date(2022, 4, 19)
    nan = float("nan")
    rows = [CashBalanceRow(day, "Treasury General Account (TGA) Opening Balance", 1.0, nan),
            CashBalanceRow(day, "Treasury General Account (TGA) Closing Bal", 2.0, nan)]
    assert tga_closing(rows) == {day: 2.0}


def test_an_unmatched_account_name_is_logged(replay: HTTPServer, http: httpx.Client,
                                              caplog: pytest.LogCaptureFixture) -> None:
    body = json.loads(recorded.text("fiscaldata_dts_2025-07-07_11.json"))
    renamed = dict(body["data"][0], account_type="Operating Cash, TGA (renamed)")
    body["data"].append(renamed)  # hand-made: one re-worded name added to the real body
    replay.expect_request("/fiscal/v1/accounting/dts/operating_cash_balance").respond_with_json(
        body)
    client = FiscalDataClient(http, fast(replay, "/fiscal"))
    with caplog.at_level(logging.WARNING, logger="liqwatch.sources"):
        [data] = client.fetch([("TGA_DTS", "dts:tga")], date(2025, 7, 7), realtime_from=None)
    assert "'Operating Cash, TGA (renamed)' matches no known row" in caplog.text
    assert len(data.frame) == 5


@pytest.fixture
def cli_env(replay: HTTPServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> HTTPServer:
    """Every LIQWATCH_*_URL at the replay server, no keys, a store in a temporary folder."""
    for k, v in recorded.env(replay).items():
        monkeypatch.setenv(k, v)
    for k in ("FRED_API_KEY", "LIQWATCH_FRED_API_KEY", "EIA_API_KEY", "LIQWATCH_EIA_API_KEY"):
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("LIQWATCH_DB", str(tmp_path / "check.duckdb"))
    return replay


def test_check_says_reachable_refused_schema_changed_or_unreachable(
        cli_env: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    recorded.serve_rates(cli_env, "secured/sofr",
                         [recorded.text("nyfed_sofr_2024-06-03_06.json")])
    cli_env.expect_request("/fiscaldata/v1/accounting/dts/operating_cash_balance"
                           ).respond_with_data(CDN_403, status=403, content_type="text/html")
    cli_env.expect_request("/ofr/fsi.csv").respond_with_data(
        "<!DOCTYPE html><html>moved</html>", content_type="text/html")
    monkeypatch.setenv("LIQWATCH_COINBASE_URL", "http://127.0.0.1:9")  # nothing listens
    result = CliRunner().invoke(app, ["update", "--check", "--format", "json", "-s", "nyfed",
                                      "-s", "fiscaldata", "-s", "ofr", "-s", "coinbase",
                                      "-s", "eia"])
    assert result.exit_code == 2, result.output
    status = {r["source"]: r["status"] for r in json.loads(result.stdout)}
    assert status == {"nyfed": "reachable", "fiscaldata": "refused", "ofr": "schema changed",
                      "coinbase": "unreachable", "eia": "skipped"}
    assert _requests(cli_env, "/nyfed") == 1


def test_check_table_and_strict_exit(cli_env: HTTPServer) -> None:
    recorded.serve_rates(cli_env, "secured/sofr",
                         [recorded.text("nyfed_sofr_2024-06-03_06.json")])
    recorded.serve_operations(cli_env, [recorded.text("nyfed_rp_results_2021-09-03.json")])
    result = CliRunner().invoke(app, ["update", "--check", "-s", "nyfed"])
    assert result.exit_code == 0, result.output
    assert "reachable" in result.output and "one request per source" in result.output
    lax = CliRunner().invoke(app, ["update", "--series", "RPONTTLD_NYFED", "--since",
                                   "2024-01-01"])
    assert lax.exit_code == 0, lax.output
    assert "empty" in lax.output and "--strict" in lax.output
    strict = CliRunner().invoke(app, ["update", "--series", "RPONTTLD_NYFED", "--since",
                                      "2024-01-01", "--strict"])
    assert strict.exit_code == 2, strict.output
