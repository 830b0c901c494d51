"""NY Fed, FiscalData, OFR, EIA and Coinbase clients against a local HTTP server.

Payloads are hand-made in the documented shapes (tests/fixtures/sources); Coinbase candles are
synthetic, generated around today's date.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from liqwatch.exceptions import AuthError, SchemaError
from liqwatch.sources.coinbase import MAX_CANDLES, CoinbaseClient
from liqwatch.sources.eia import EiaClient
from liqwatch.sources.fiscaldata import DTS_PATH, FiscalDataClient
from liqwatch.sources.nyfed import NyfedClient
from liqwatch.sources.ofr import OfrClient

from .support import fast, payload


def _values(frame: object) -> list[tuple[str, float]]:
    import pandas as pd

    assert isinstance(frame, pd.DataFrame)
    return [(d.date().isoformat(), round(float(v), 6))
            for d, v in zip(frame["date"], frame["value"], strict=True)]


# ---------------------------------------------------------------------------- NY Fed
def test_nyfed_rates_fields_aliases_and_revision_flags(httpserver: HTTPServer,
                                                       http: httpx.Client) -> None:
    httpserver.expect_request("/api/rates/secured/sofr/search.json").respond_with_data(
        payload("nyfed_sofr.json"), content_type="application/json")
    client = NyfedClient(http, fast(httpserver))
    items = [("SOFR", "secured/sofr:percentRate"), ("SOFR1", "secured/sofr:percentPercentile1"),
             ("SOFR99", "secured/sofr:percentPercentile99"),
             ("SOFRVOL", "secured/sofr:volumeInBillions")]
    assert len({client.group_key(s) for _, s in items}) == 1
    sofr, p1, p99, vol = client.fetch(items, date(2026, 1, 5), realtime_from=None)
    # Newest first at the source, oldest first here; null rate dropped.
    assert _values(sofr.frame) == [("2026-01-06", 3.64), ("2026-01-07", 3.66)]
    # percentile1 spelled the alternative way on 2026-01-06.
    assert _values(p1.frame) == [("2026-01-05", 3.57), ("2026-01-06", 3.58),
                                 ("2026-01-07", 3.6)]
    # "NA" percentile is missing, not an error.
    assert _values(p99.frame) == [("2026-01-05", 3.79), ("2026-01-07", 3.82)]
    assert _values(vol.frame)[-1] == ("2026-01-07", 2810.0)
    assert sofr.flags == ((date(2026, 1, 7), "revision:r"),)


def test_nyfed_search_is_chunked_by_year(httpserver: HTTPServer, http: httpx.Client) -> None:
    httpserver.expect_request("/api/rates/unsecured/effr/search.json").respond_with_json(
        {"refRates": []})
    client = NyfedClient(http, fast(httpserver))
    client.rates("unsecured/effr", date(2023, 1, 1), date(2025, 6, 30))
    windows = [(r.args["startDate"], r.args["endDate"]) for r, _ in httpserver.log]
    assert windows[0] == ("2023-01-01", "2024-01-01")
    assert windows[-1][1] == "2025-06-30" and len(windows) == 3


def test_nyfed_changed_field_is_rejected(httpserver: HTTPServer, http: httpx.Client) -> None:
    body = payload("nyfed_sofr.json").replace("percentRate", "pctRate")
    httpserver.expect_request("/api/rates/secured/sofr/search.json").respond_with_data(body)
    client = NyfedClient(http, fast(httpserver))
    with pytest.raises(SchemaError, match=r"nyfed series SOFR: .*'percentRate' missing"):
        client.fetch([("SOFR", "secured/sofr:percentRate")], date(2026, 1, 5),
                     realtime_from=None)


def test_nyfed_operations_sum_windows_and_drop_sve(httpserver: HTTPServer,
                                                   http: httpx.Client) -> None:
    httpserver.expect_request("/api/rp/results/search.json").respond_with_data(
        payload("nyfed_rp.json"), content_type="application/json")
    client = NyfedClient(http, fast(httpserver))
    items = [("RPONTTLD_NYFED", "rp/repo:total"), ("RPONTSYD_NYFED", "rp/repo:treasury"),
             ("SRF_MIN_BID", "rp/repo:minimumBidRate"), ("ONRRP", "rp/reverserepo:total")]
    assert {client.group_key(s) for _, s in items} == {"rp"}
    total, tsy, bid, onrrp = client.fetch(items, date(2026, 1, 6), realtime_from=None)
    # 08:15 (1.5bn) + 13:30 (4.5bn) windows summed; the SVE row on 01-06 excluded, a real
    # zero-take-up operation kept; the announcement on 01-08 ignored.
    assert _values(total.frame) == [("2026-01-06", 0.0), ("2026-01-07", 6.0)]
    assert _values(tsy.frame) == [("2026-01-06", 0.0), ("2026-01-07", 5.5)]
    assert _values(bid.frame)[-1] == ("2026-01-07", 3.75)
    assert _values(onrrp.frame) == [("2026-01-07", 45.21)]


# ---------------------------------------------------------------------------- FiscalData
def test_dts_three_layouts_and_page_numbers(httpserver: HTTPServer, http: httpx.Client) -> None:
    def page(request: Request) -> Response:
        assert request.args["filter"] == "record_date:gte:2021-09-01"
        n = request.args["page[number]"]
        return Response(payload(f"dts_page{n}.json"), content_type="application/json")

    httpserver.expect_request(f"/{DTS_PATH}").respond_with_handler(page)
    client = FiscalDataClient(http, fast(httpserver))
    [tga] = client.fetch([("TGA_DTS", "dts/operating_cash_balance:TGA closing")],
                         date(2021, 9, 1), realtime_from=None)
    assert _values(tga.frame) == [
        ("2021-09-29", 201311.0),   # Federal Reserve Account (not the total, not summed)
        ("2021-09-30", 215343.0),
        ("2021-10-01", 173688.0),   # Treasury General Account (TGA)
        ("2022-04-18", 869917.0),   # Closing Balance row's open_today_bal
    ]                               # 2022-04-14 and 2022-04-19: "null", dropped
    assert [r.args["page[number]"] for r, _ in httpserver.log] == ["1", "2"]


def test_dts_changed_field_name(httpserver: HTTPServer, http: httpx.Client) -> None:
    body = payload("dts_page2.json").replace('"open_today_bal"', '"opening_balance_today"')
    httpserver.expect_request(f"/{DTS_PATH}").respond_with_data(body)
    client = FiscalDataClient(http, fast(httpserver))
    with pytest.raises(SchemaError, match=r"fiscaldata series TGA_DTS: .*'open_today_bal'"):
        client.fetch([("TGA_DTS", "dts/operating_cash_balance:TGA closing")],
                     date(2022, 4, 1), realtime_from=None)


# ---------------------------------------------------------------------------- OFR
def test_ofr_fsi_csv_columns_and_date_formats(httpserver: HTTPServer, http: httpx.Client) -> None:
    httpserver.expect_request("/fsi/fsi.csv").respond_with_data(payload("ofr_fsi.csv"))
    client = OfrClient(http, fast(httpserver, "/v1", fsi=httpserver.url_for("/fsi/fsi.csv")))
    fsi, eq = client.fetch([("OFR_FSI", "fsi:OFR FSI"), ("OFR_FSI_EQ", "fsi:Equity valuation")],
                           None, realtime_from=None)
    assert _values(fsi.frame) == [("2026-01-05", -1.2), ("2026-01-06", -1.1),
                                  ("2026-01-07", -1.0)]
    assert _values(eq.frame) == [("2026-01-05", -0.8), ("2026-01-07", -0.7)]  # empty = missing
    with pytest.raises(SchemaError, match="'Funding stress' missing from the FSI CSV header"):
        client.fetch([("X", "fsi:Funding stress")], None, realtime_from=None)


def test_ofr_timeseries_nulls_and_volume_scaling(httpserver: HTTPServer,
                                                 http: httpx.Client) -> None:
    httpserver.expect_request("/v1/series/timeseries",
                              query_string={"mnemonic": "REPO-TRI_AR_OO-P",
                                            "start_date": "2026-01-01"}) \
        .respond_with_data(payload("ofr_timeseries.json"), content_type="application/json")
    httpserver.expect_request("/v1/series/timeseries",
                              query_string={"mnemonic": "REPO-TRI_TV_TOT-P"}) \
        .respond_with_json([["2026-01-05", 2.3e12], ["2026-01-06", None]])
    client = OfrClient(http, fast(httpserver, "/v1"))
    [rate] = client.fetch([("OFR_REPO_TRI_RATE", "REPO-TRI_AR_OO-P")], date(2026, 1, 1),
                          realtime_from=None)
    assert _values(rate.frame) == [("2026-01-05", 3.66), ("2026-01-06", 3.68),
                                   ("2026-01-08", 3.71)]
    [vol] = client.fetch([("OFR_REPO_TRI_VOL", "REPO-TRI_TV_TOT-P")], None, realtime_from=None)
    assert _values(vol.frame) == [("2026-01-05", 2300.0)]  # USD -> USD bn


# ---------------------------------------------------------------------------- EIA
EIA_KEY = "eiakey0123456789eiakey0123456789"


def test_eia_pages_with_offset_and_coerces_values(httpserver: HTTPServer,
                                                  http: httpx.Client) -> None:
    def page(request: Request) -> Response:
        assert request.args.getlist("facets[series][]") == ["RCLC1", "RCLC2"]
        n = 1 if request.args["offset"] == "0" else 2
        return Response(payload(f"eia_page{n}.json"), content_type="application/json")

    httpserver.expect_request("/v2/petroleum/pri/fut/data/").respond_with_handler(page)
    client = EiaClient(http, fast(httpserver), api_key=EIA_KEY)
    c1, c2 = client.fetch([("RCLC1", "petroleum/pri/fut:RCLC1"),
                           ("RCLC2", "petroleum/pri/fut:RCLC2")], date(2020, 4, 1),
                          realtime_from=None)
    assert _values(c1.frame) == [("2020-04-17", 18.27), ("2020-04-20", -37.63),
                                 ("2020-04-21", 10.01)]
    assert _values(c2.frame) == [("2020-04-17", 25.03)]  # null dropped
    assert [r.args["offset"] for r, _ in httpserver.log] == ["0", "3"]


def test_eia_invalid_key(httpserver: HTTPServer, http: httpx.Client) -> None:
    httpserver.expect_request("/v2/petroleum/pri/fut/data/").respond_with_json(
        {"error": f"API_KEY_INVALID: {EIA_KEY} is not valid", "code": 403}, status=403)
    client = EiaClient(http, fast(httpserver), api_key=EIA_KEY)
    with pytest.raises(AuthError) as info:
        client.fetch([("RCLC1", "petroleum/pri/fut:RCLC1")], None, realtime_from=None)
    assert EIA_KEY not in str(info.value) and EIA_KEY not in repr(info.value)


# ---------------------------------------------------------------------------- Coinbase
def _candle(day: date, close: float) -> list[float]:
    ts = datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()
    return [ts, close - 10, close + 10, close - 1, close, 100.0]


def test_coinbase_pages_300_and_drops_today(httpserver: HTTPServer, http: httpx.Client) -> None:
    today = datetime.now(UTC).date()
    start = today - timedelta(days=400)

    def candles(request: Request) -> Response:
        lo = datetime.fromisoformat(request.args["start"].replace("Z", "+00:00")).date()
        hi = datetime.fromisoformat(request.args["end"].replace("Z", "+00:00")).date()
        assert (hi - lo).days < MAX_CANDLES
        days = [lo + timedelta(days=i) for i in range((hi - lo).days + 1)]
        if hi >= today - timedelta(days=1):
            days.append(today)  # the exchange also returns today's moving candle
        rows = [_candle(d, 1000.0 + (d - start).days) for d in reversed(days)]  # newest first
        return Response(json.dumps(rows), content_type="application/json")

    httpserver.expect_request("/products/BTC-USD/candles").respond_with_handler(candles)
    client = CoinbaseClient(http, fast(httpserver))
    [btc] = client.fetch([("BTCUSD", "BTC-USD")], start, realtime_from=None)
    assert len(httpserver.log) == 2
    assert btc.frame["date"].iloc[0].date() == start
    assert btc.frame["date"].iloc[-1].date() == today - timedelta(days=1)
    assert len(btc.frame) == 400
    assert math.isclose(btc.frame["value"].iloc[-1], 1000.0 + 399)


def test_coinbase_error_object(httpserver: HTTPServer, http: httpx.Client) -> None:
    httpserver.expect_request("/products/BTC-USD/candles").respond_with_json(
        {"message": "granularity too small"})
    client = CoinbaseClient(http, fast(httpserver))
    with pytest.raises(SchemaError, match="candles are not a list"):
        client.fetch([("BTCUSD", "BTC-USD")], date(2026, 1, 1), realtime_from=None)


def test_eia_empty_facet_falls_back_to_client_side_filter(httpserver: HTTPServer,
                                                          http: httpx.Client) -> None:
    def page(request: Request) -> Response:
        if request.args.getlist("facets[series][]"):
            return Response(json.dumps({"response": {"total": 0, "data": []}}))
        body = json.loads(payload("eia_page2.json"))
        body["response"]["total"] = len(body["response"]["data"])
        return Response(json.dumps(body), content_type="application/json")

    httpserver.expect_request("/v2/petroleum/pri/fut/data/").respond_with_handler(page)
    client = EiaClient(http, fast(httpserver), api_key=EIA_KEY)
    [c1] = client.fetch([("RCLC1", "petroleum/pri/fut:RCLC1")], None, realtime_from=None)
    assert _values(c1.frame) == [("2020-04-21", 10.01)]
    assert len(httpserver.log) == 2
