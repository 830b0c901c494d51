"""Fuzz tests (Hypothesis) of every source parser: arbitrary bytes, and the documented payloads
with one value replaced by arbitrary JSON or text, served by a real local HTTP server.

Whatever arrives, a client either raises one of the project's typed errors
(:class:`~liqwatch.exceptions.LiqwatchError`) or returns series that
:mod:`liqwatch.validation` either refuses whole (a :class:`SchemaError`) or passes, and a
series that passes is stored whole. The number of examples is bounded and a deadline set, so
the module runs in seconds.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from liqwatch import validation
from liqwatch.exceptions import LiqwatchError, SchemaError
from liqwatch.sources.base import SeriesData, Source, SourceSettings
from liqwatch.sources.coinbase import CoinbaseClient
from liqwatch.sources.eia import EiaClient
from liqwatch.sources.fiscaldata import FiscalDataClient
from liqwatch.sources.fred import FredClient, FredgraphClient
from liqwatch.sources.nyfed import NyfedClient
from liqwatch.sources.ofr import OfrClient
from liqwatch.store import Store

from .support import FAST_RETRY, payload

FUZZ = settings(max_examples=20, deadline=timedelta(seconds=3), database=None,
                suppress_health_check=[HealthCheck.too_slow])
_KEY = "abcdefghij0123456789abcdefghij01"  # synthetic key of the right shape
_YESTERDAY = date.today() - timedelta(days=1)


def _coinbase_payload() -> str:
    """Synthetic candles of the three days before today, newest first."""
    from datetime import UTC, datetime, time

    rows = []
    for back in (1, 2, 3):
        day = date.today() - timedelta(days=back)
        ts = int(datetime.combine(day, time(), UTC).timestamp())
        rows.append([ts, 60000.0, 62000.0, 61000.0, 61500.0 + back, 1234.5])
    return json.dumps(rows)


@dataclass(frozen=True)
class Case:
    """One parser: how to build its client, what to fetch, and a payload of the right shape."""

    name: str
    make: Callable[[httpx.Client, SourceSettings], Source]
    items: list[tuple[str, str]]
    start: date | None
    realtime_from: date | None
    body: Callable[[], str]
    fsi: bool = False


CASES = [
    Case("fred", lambda h, s: FredClient(h, s, api_key=_KEY), [("WALCL", "WALCL")], None,
         date(2024, 1, 1), lambda: payload("fred_observations.json")),
    Case("fredgraph", FredgraphClient, [("DGS10", "DGS10")], None, None,
         lambda: payload("fredgraph.csv")),
    Case("nyfed-rates", NyfedClient, [("SOFR", "secured/sofr:percentRate"),
                                      ("SOFR99", "secured/sofr:percentPercentile99")],
         _YESTERDAY, None, lambda: payload("nyfed_sofr.json")),
    Case("nyfed-operations", NyfedClient, [("RPONTTLD_NYFED", "rp/repo:total"),
                                           ("SRF_MIN_BID", "rp/repo:minimumBidRate")],
         _YESTERDAY, None, lambda: payload("nyfed_rp.json")),
    Case("fiscaldata", FiscalDataClient,
         [("TGA_DTS", "dts/operating_cash_balance:TGA closing")], _YESTERDAY, None,
         lambda: payload("dts_page2.json")),
    Case("ofr-fsi", OfrClient, [("OFR_FSI", "fsi:OFR FSI"), ("OFR_FSI_FUNDING", "fsi:Funding")],
         None, None, lambda: payload("ofr_fsi.csv"), fsi=True),
    Case("ofr-stfm", OfrClient, [("OFR_REPO_TRI_RATE", "REPO-TRI_AR_OO-P")], None, None,
         lambda: payload("ofr_timeseries.json")),
    Case("eia", lambda h, s: EiaClient(h, s, api_key=_KEY),
         [("RCLC1", "petroleum/pri/fut:RCLC1")], date(2020, 4, 1), None,
         lambda: payload("eia_page2.json")),
    Case("coinbase", CoinbaseClient, [("CBBTCUSD", "BTC-USD")], _YESTERDAY - timedelta(days=3),
         None, _coinbase_payload),
]


class Feed:
    """The local server's one handler: the current body for the first requests, then 404
    (so that a client that pages on a repeated body ends quickly)."""

    def __init__(self) -> None:
        self.body: bytes = b""
        self.served = 0

    def handle(self, _request: Request) -> Response:
        self.served += 1
        if self.served > 3:
            return Response("{}", status=404)
        return Response(self.body, status=200, content_type="application/octet-stream")


@pytest.fixture
def feed(server: HTTPServer) -> Iterator[Feed]:
    state = Feed()
    server.clear()
    server.expect_request(re.compile(".*")).respond_with_handler(state.handle)
    yield state
    server.clear()


@pytest.fixture(scope="module")
def client_http() -> Iterator[httpx.Client]:
    with httpx.Client() as client:
        yield client


@pytest.fixture(scope="module")
def scratch() -> Iterator[Store]:
    with Store(":memory:") as store:
        yield store


def _settings(server: HTTPServer, case: Case) -> SourceSettings:
    base = server.url_for("/").rstrip("/")
    extra = {"fsi": server.url_for("/fsi.csv")} if case.fsi else {}
    if case.name == "fredgraph":
        base = server.url_for("/graph/fredgraph.csv")
    return SourceSettings(base_url=base, min_interval=0.0, timeout=2.0, retry=FAST_RETRY,
                          extra_urls=extra)


def _run(case: Case, body: bytes, feed: Feed, http: httpx.Client, server: HTTPServer,
         store: Store) -> None:
    """Serve ``body`` to the case's client; check what comes out (see the module docstring)."""
    feed.body, feed.served = body, 0
    client = case.make(http, _settings(server, case))
    try:
        out = client.fetch(case.items, case.start, realtime_from=case.realtime_from)
    except LiqwatchError:
        return
    assert all(isinstance(d, SeriesData) for d in out)
    for data in out:
        try:
            validation.check_source(client.name, data.series_id, data.frame)
        except SchemaError as exc:
            assert data.series_id in str(exc) and "nothing of this series" in str(exc)
            continue
        if data.frame.empty:
            continue
        store.execute("DELETE FROM observations")
        frame = data.frame.assign(series_id=data.series_id)
        store.write(frame, explicit_vintages=data.vintages)
        stored = store.read_vintages([data.series_id])
        keys = ["date", "realtime_start"] if data.vintages else ["date"]
        assert len(stored) == len(frame.drop_duplicates(subset=keys))  # whole, not in part


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=8,
)
_CELL = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["inf", "-Infinity", "1e309", "nan", "9999-12-31", "1600-01-01",
                     "2262-04-12", "0", "-0", "1e-320", "", ".", "NA", "\u202e1", "[/x]",
                     "<script>"]),
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a leaf of a JSON value."""
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _paths(v, (*prefix, k))] or [prefix]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _paths(v, (*prefix, i))] or [prefix]
    return [prefix]


def _replace(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[head] = _replace(value[head], rest, new)  # type: ignore[index]
    return copy


def _mutated(case: Case, data: st.DataObject) -> bytes:
    """The case's payload with one leaf (JSON) or one cell (CSV) replaced."""
    text = case.body()
    try:
        doc = json.loads(text)
    except json.JSONDecodeError:
        lines = text.splitlines()
        i = data.draw(st.integers(0, len(lines) - 1))
        cells = lines[i].split(",")
        j = data.draw(st.integers(0, len(cells) - 1))
        cells[j] = data.draw(_CELL)
        lines[i] = ",".join(cells)
        return "\n".join(lines).encode("utf-8", "surrogatepass")
    paths = _paths(doc)
    path = data.draw(st.sampled_from(paths))
    new = data.draw(_JSON | _CELL)
    return json.dumps(_replace(doc, path, new)).encode("utf-8", "surrogatepass")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_arbitrary_bytes_raise_only_typed_errors(
    case: Case, feed: Feed, client_http: httpx.Client, server: HTTPServer, scratch: Store
) -> None:
    @FUZZ
    @given(body=st.binary(max_size=800))
    def run(body: bytes) -> None:
        _run(case, body, feed, client_http, server, scratch)

    run()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_one_changed_value_is_refused_or_stored_whole(
    case: Case, feed: Feed, client_http: httpx.Client, server: HTTPServer, scratch: Store
) -> None:
    @FUZZ
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        _run(case, _mutated(case, data), feed, client_http, server, scratch)

    run()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_documented_payload_passes(
    case: Case, feed: Feed, client_http: httpx.Client, server: HTTPServer
) -> None:
    """The unchanged payloads parse and pass validation (the fuzzing starts from valid data)."""
    feed.body, feed.served = case.body().encode(), 0
    client = case.make(client_http, _settings(server, case))
    out = client.fetch(case.items, case.start, realtime_from=case.realtime_from)
    assert any(not d.frame.empty for d in out), case.name
    for d in out:
        validation.check_source(client.name, d.series_id, d.frame)


def test_a_series_with_a_bad_value_is_refused_whole_by_update(server: HTTPServer,
                                                              tmp_path: Any) -> None:
    """End to end through ``run_update``: SOFR with one ``Infinity`` in two years of SYNTHETIC
    data (tests/sources/simulator.py) stores no SOFR row and names the value; EFFR beside it is
    stored whole."""
    from liqwatch.config import Settings
    from liqwatch.sources import RetryPolicy
    from liqwatch.update import UpdateOptions, run_update

    from .simulator import SourceSimulator

    sim = SourceSimulator(years=2, series=["SOFR", "EFFR"])
    day = sorted(sim.values["SOFR"])[100]
    sim.values["SOFR"][day] = float("inf")
    server.clear()
    sim.install(server)
    options = UpdateOptions(env=sim.env(server), min_interval=0.0, timeout=5.0,
                            retry=RetryPolicy(attempts=2, initial=0.01, maximum=0.02,
                                              jitter=0.0))
    try:
        with Store(tmp_path / "u.duckdb") as store:
            report = run_update(store, series=["SOFR", "EFFR"], options=options,
                                settings=Settings(fred_api_key="0" * 32))
            failed = {o.series_id: o for o in report.failed}
            assert set(failed) == {"SOFR"} and failed["SOFR"].error_type == "SchemaError"
            error = failed["SOFR"].error or ""
            assert "nyfed series SOFR" in error and "not a finite number" in error
            assert day.isoformat() in error
            assert store.read(["SOFR"]).empty
            effr = store.read(["EFFR"]).set_index("date")["value"]
            assert len(effr) == len(sim.truth("EFFR")) > 400
            logged = store.execute("SELECT error FROM fetch_log WHERE series_id = 'SOFR'"
                                   ).fetchone()
            assert logged is not None and "not a finite number" in str(logged[0])
    finally:
        server.clear()


def test_endless_paging_is_a_schema_error(server: HTTPServer, client_http: httpx.Client,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A DTS server that answers every page with the same rows and a total it never reaches:
    the client stops at the page limit (lowered here from 1,000 to keep the test short)."""
    import liqwatch.sources.fiscaldata as fiscaldata

    monkeypatch.setattr(fiscaldata, "MAX_PAGES", 5)
    doc = json.loads(payload("dts_page2.json"))
    doc["meta"]["total-pages"] = 10**9
    server.clear()
    server.expect_request(re.compile(".*")).respond_with_json(doc)
    try:
        client = FiscalDataClient(client_http, SourceSettings(
            base_url=server.url_for("/").rstrip("/"), min_interval=0.0, retry=FAST_RETRY))
        with pytest.raises(SchemaError, match="still paging after 5 pages"):
            client.cash_balance(date(2026, 1, 1), "TGA_DTS")
        assert len(server.log) == 5
    finally:
        server.clear()


_CASE = {c.name: c for c in CASES}
#: Named bad payloads: (case, parser, text replaced, replacement, what the error must say).
#: Each is the documented payload with one value or date changed (every occurrence).
BAD_PAYLOADS: list[tuple[str, str, str, str, str]] = [
    ("FRED value inf", "fred", '"value":"3.87"', '"value":"inf"', "'inf' is not a finite"),
    ("FRED value 1e309", "fred", '"value":"3.87"', '"value":"1e309"', "not a finite number"),
    ("FRED date 1600-01-01", "fred", '"date":"2026-01-02"', '"date":"1600-01-01"',
     "'1600-01-01' is outside"),
    ("FRED vintage 1776-07-04", "fred", '"realtime_start":"2026-01-05"',
     '"realtime_start":"1776-07-04"', "realtime_start '1776-07-04' is outside"),
    ("FRED count not a number", "fred", '"count":5', '"count":"many"', "is not a count"),
    ("fredgraph 1e309", "fredgraph", "2026-01-02,4.12", "2026-01-02,1e309",
     "not a finite number"),
    ("fredgraph date 9999-12-31", "fredgraph", "2026-01-02,4.12", "9999-12-31,4.12",
     "'9999-12-31' is outside"),
    ("NY Fed rate Infinity", "nyfed-rates", '"percentRate":3.66', '"percentRate":Infinity',
     "'inf' is not a finite"),
    ("NY Fed rate 1e999", "nyfed-rates", '"percentRate":3.66', '"percentRate":1e999',
     "not a finite number"),
    ("NY Fed date 9999-12-31", "nyfed-rates", '"effectiveDate":"2026-01-07"',
     '"effectiveDate":"9999-12-31"', "'9999-12-31' is outside"),
    ("NY Fed operation 1e999", "nyfed-operations", '"totalAmtAccepted":1500000000',
     '"totalAmtAccepted":1e999', "not a finite number"),
    ("DTS balance Infinity", "fiscaldata", '"open_today_bal":"869917"',
     '"open_today_bal":"Infinity"', "not a finite number"),
    ("DTS date 2262-04-12", "fiscaldata", '"record_date":"2022-04-18"',
     '"record_date":"2262-04-12"', "'2262-04-12' is outside"),
    ("DTS total-pages -1", "fiscaldata", '"total-pages":2', '"total-pages":-1',
     "is not a count"),
    ("OFR FSI inf", "ofr-fsi", "2026-01-05,-1.2,", "2026-01-05,inf,", "not a finite number"),
    ("OFR STFM 1e999", "ofr-stfm", '["2026-01-05",3.66]', '["2026-01-05",1e999]',
     "not a finite number"),
    ("OFR STFM date 0001-01-01", "ofr-stfm", '["2026-01-05",3.66]', '["0001-01-01",3.66]',
     "'0001-01-01' is outside"),
    ("EIA value Infinity", "eia", '"value":10.01', '"value":"Infinity"',
     "not a finite number"),
    ("EIA total 1e999", "eia", '"total":5', '"total":1e999', "is not a count"),
]


def _coinbase_bad(what: str) -> str:
    rows = json.loads(_coinbase_payload())
    if what == "close":
        rows[0][4] = 10**400  # an integer beyond a double
    else:
        rows[0][0] = 10**14  # a timestamp in the year 3 million
    return json.dumps(rows)


@pytest.mark.parametrize(("label", "name", "old", "new", "says"),
                         [*BAD_PAYLOADS,
                          ("Coinbase close 10**400", "coinbase", "", "close",
                           "bad candle"),
                          ("Coinbase time in year 3 million", "coinbase", "", "time",
                           "bad candle")],
                         ids=[c[0] for c in BAD_PAYLOADS] + ["Coinbase close",
                                                             "Coinbase time"])
def test_named_bad_payloads_are_refused_with_a_clear_error(
    label: str, name: str, old: str, new: str, says: str, feed: Feed,
    client_http: httpx.Client, server: HTTPServer
) -> None:
    case = _CASE[name]
    body = _coinbase_bad(new) if name == "coinbase" else case.body()
    if name != "coinbase":
        assert old in body, label
        body = body.replace(old, new)
    feed.body, feed.served = body.encode(), 0
    client = case.make(client_http, _settings(server, case))
    with pytest.raises(SchemaError) as info:
        for data in client.fetch(case.items, case.start, realtime_from=case.realtime_from):
            validation.check_source(client.name, data.series_id, data.frame)
    message = str(info.value)
    assert message.startswith(f"{client.name} series "), message
    assert says in message, message
