"""REAL recorded responses (tests/fixtures/recorded and the shared responses folder) replayed
through a local HTTP server against the clients and ``run_update``; the stored values are
checked against the independent copies of the same series in the real-data folder."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pandas as pd
import pytest
from pytest_httpserver import HTTPServer

from liqwatch.config import Settings
from liqwatch.exceptions import SchemaError
from liqwatch.sources import RetryPolicy
from liqwatch.sources.fiscaldata import FiscalDataClient, account_kind, tga_closing
from liqwatch.sources.fred import FredClient, FredgraphClient, vintage_frame
from liqwatch.sources.nyfed import NyfedClient
from liqwatch.store import Store
from liqwatch.update import UpdateOptions, UpdateReport, run_update

from . import recorded
from .support import fast

RETRY = RetryPolicy(attempts=1, initial=0.0, maximum=0.0, jitter=0.0)
KEY = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def replay(server: HTTPServer) -> Iterator[HTTPServer]:
    """The module's local server, emptied before and after each test."""
    server.clear()
    yield server
    server.clear()


@pytest.fixture(scope="module")
def responses_dir(raw_dir: Path) -> Path:
    """The shared folder of recorded bodies, beside the real series (read in place)."""
    path = raw_dir.parent / "responses"
    assert (path / "PROVENANCE.md").is_file(), path
    return path


def _run(store: Store, server: HTTPServer, series: list[str], since: date | None = None,
         settings: Settings | None = None) -> UpdateReport:
    options = UpdateOptions(env=recorded.env(server), retry=RETRY, timeout=5.0, min_interval=0.0)
    return run_update(store, series=series, since=since, settings=settings or Settings(),
                      options=options)


def _raw(raw_dir: Path, series_id: str) -> pd.Series:
    frame = pd.read_csv(raw_dir / f"{series_id}.csv", parse_dates=["date"]).dropna()
    return frame.set_index("date")["value"]


def _stored(store: Store, series_id: str) -> pd.Series:
    return store.read([series_id]).set_index("date")["value"]


def _install_everything(server: HTTPServer, responses_dir: Path) -> None:
    recorded.serve_rates(server, "secured/sofr", [recorded.text("nyfed_sofr_2024-06-03_06.json")])
    recorded.serve_rates(server, "unsecured/effr",
                         [recorded.text("nyfed_effr_2023-01-03_06-06.json")])
    recorded.serve_rates(server, "unsecured/obfr",
                         [recorded.text("nyfed_obfr_2024-06-03_06.json")])
    recorded.serve_rates(server, "secured/tgcr", [
        recorded.text("nyfed_tgcr_rate_2019-04-15_26.json"),
        recorded.text("nyfed_tgcr_volume_2026-07-27_08-07.json")])
    recorded.serve_operations(server, [
        recorded.text("nyfed_rp_results_2019-11-19.json"),
        recorded.text("nyfed_rp_results_2021-09-03.json"),
        (responses_dir / "nyfed_rp_results_2026-09-15.json").read_text(encoding="utf-8")])
    recorded.serve(server, "FISCALDATA", "/v1/accounting/dts/operating_cash_balance",
                   recorded.text("fiscaldata_dts_2025-07-07_11.json"))
    recorded.serve(server, "OFR", "/fsi.csv", recorded.text("ofr_fsi_2000-01.csv"), "text/csv")
    recorded.serve(server, "COINBASE", "/products/BTC-USD/candles",
                   recorded.text("coinbase_btc_usd_candles_2026-06-22_07-31.json"))


COMPARED = ["SOFR", "SOFR99", "SOFRVOL", "EFFR", "EFFR99", "OBFR", "OBFRVOL", "TGCR", "TGCR99",
            "TGCRVOL", "TGA_DTS", "OFR_FSI", "OFR_FSI_FUNDING"]


def test_recorded_bodies_land_the_published_values(store: Store, replay: HTTPServer,
                                                   raw_dir: Path, responses_dir: Path) -> None:
    """Every recorded body parses through ``run_update`` and stores the published values."""
    _install_everything(replay, responses_dir)
    ops = ["RPONTTLD_NYFED", "RPONTSYD_NYFED", "SRF_MIN_BID"]
    fsi = ["OFR_FSI", "OFR_FSI_FUNDING"]  # the recorded rows are of January 2000
    rest = [s for s in COMPARED if s not in fsi]
    for report in (_run(store, replay, [*rest, *ops, "BTCUSD"], since=date(2019, 1, 1)),
                   _run(store, replay, fsi)):
        assert not report.failed, [o.error for o in report.failed]
        assert not report.empty, [o.series_id for o in report.empty]
    for sid in COMPARED:
        got, truth = _stored(store, sid), _raw(raw_dir, sid)
        common = got.index.intersection(truth.index)
        assert len(common) >= 4, sid
        assert (got[common] - truth[common]).abs().max() < 1e-9, sid
    # Good Friday 2019: no TGCR was published, and none is stored.
    assert pd.Timestamp("2019-04-19") not in _stored(store, "TGCR").index
    # Operations: overnight only (the 14-day term repo of 2019-11-19 is not a daily total),
    # whole dollars to billions, morning and afternoon SRF windows summed.
    total, treasury = _stored(store, "RPONTTLD_NYFED"), _stored(store, "RPONTSYD_NYFED")
    assert total[pd.Timestamp("2019-11-19")] == pytest.approx(78.3)
    assert treasury[pd.Timestamp("2019-11-19")] == pytest.approx(66.5)
    assert total[pd.Timestamp("2021-09-03")] == 0.0
    assert total[pd.Timestamp("2026-09-15")] == pytest.approx(0.102)
    assert treasury[pd.Timestamp("2026-09-15")] == pytest.approx(0.101)
    # The SRF rate is the operations' offering rate (top of the target range, 3.75%).
    assert _stored(store, "SRF_MIN_BID").to_dict() == {pd.Timestamp("2026-09-15"): 3.75}
    btc = _stored(store, "BTCUSD")
    assert len(btc) == 40 and btc[pd.Timestamp("2026-07-31")] == pytest.approx(62826.78)


def test_fred_recorded_observations_drop_the_missing_marker(replay: HTTPServer,
                                                           http: httpx.Client) -> None:
    recorded.serve(replay, "FRED", "/fred/series/observations",
                   recorded.text("fred_observations_sp500_2014-07.json"))
    client = FredClient(http, fast(replay, recorded.PREFIXES["FRED"]), api_key=KEY)
    rows = client.observations("SP500", "SP500")
    assert len(rows) == 25
    frame = vintage_frame(rows)
    assert pd.Timestamp("2014-07-04") not in set(frame["date"])  # "." on Independence Day
    assert len(frame) == 24
    first = frame.iloc[0]
    assert (first["date"], first["value"]) == (pd.Timestamp("2014-06-27"), 1960.96)
    assert set(frame["realtime_start"]) == {pd.Timestamp("2024-06-27")}


def test_fredgraph_recorded_download_with_the_old_date_header(replay: HTTPServer,
                                                              http: httpx.Client,
                                                              raw_dir: Path) -> None:
    recorded.serve(replay, "FREDGRAPH", "", recorded.text("fredgraph_effrvol_2018-10.csv"),
                   "text/csv")
    client = FredgraphClient(http, fast(replay, recorded.PREFIXES["FREDGRAPH"]))
    [data] = client.fetch([("EFFRVOL", "EFFRVOL")], None, realtime_from=None)
    got = data.frame.set_index("date")["value"]
    truth = _raw(raw_dir, "EFFRVOL")
    assert len(got) == 11 and pd.Timestamp("2018-10-08") not in got.index  # Columbus Day "."
    assert (got - truth[got.index]).abs().max() == 0.0


def test_volume_body_asked_for_rates_names_the_missing_field(replay: HTTPServer,
                                                             http: httpx.Client) -> None:
    """The service's ``type=volume`` answer has no rates: a clear error, never 0 rows."""
    recorded.serve_rates(replay, "secured/tgcr",
                         [recorded.text("nyfed_tgcr_volume_2026-07-27_08-07.json")])
    client = NyfedClient(http, fast(replay, recorded.PREFIXES["NYFED"]))
    with pytest.raises(SchemaError, match="'percentRate' missing from every refRates row"):
        client.fetch([("TGCR", "secured/tgcr:percentRate")], date(2026, 7, 1),
                     realtime_from=None)


def test_recorded_statement_rows_are_all_recognised(replay: HTTPServer, http: httpx.Client,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    recorded.serve(replay, "FISCALDATA", "/v1/accounting/dts/operating_cash_balance",
                   recorded.text("fiscaldata_dts_2025-07-07_11.json"))
    client = FiscalDataClient(http, fast(replay, recorded.PREFIXES["FISCALDATA"]))
    rows = client.cash_balance(date(2025, 7, 7))
    assert {account_kind(r.account_type) for r in rows} == {"closing", "other"}
    with caplog.at_level("WARNING", logger="liqwatch.sources"):
        client.fetch([("TGA_DTS", "dts:tga")], date(2025, 7, 7), realtime_from=None)
    assert "matches no known row" not in caplog.text
    assert tga_closing(rows)[date(2025, 7, 11)] == 282363.0


def test_empty_answer_is_a_warning_and_fails_under_strict(store: Store,
                                                          replay: HTTPServer) -> None:
    """An operations search with nothing in its window stores nothing and says so."""
    recorded.serve_operations(replay, [recorded.text("nyfed_rp_results_2021-09-03.json")])
    report = _run(store, replay, ["RPONTTLD_NYFED"], since=date(2024, 1, 1))
    [outcome] = report.outcomes
    assert outcome.status == "empty" and outcome.rows_fetched == 0
    assert outcome.warning and "no observations" in outcome.warning
    assert "answered with no rows (RPONTTLD_NYFED)" in report.summary()
    assert report.exit_code == 0
    assert report.exit_status(strict=True) == 2
