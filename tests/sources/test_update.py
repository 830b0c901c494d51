"""``run_update`` over the whole catalog against a local server holding SYNTHETIC data in every
source's format (tests/sources/simulator.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pandas as pd
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from liqwatch.config import Settings
from liqwatch.exceptions import ConfigError, UnknownSeriesError
from liqwatch.sources import RetryPolicy
from liqwatch.store import Store
from liqwatch.update import UpdateOptions, UpdateReport, run_update

from .simulator import SourceSimulator

FRED_KEY = "0123456789abcdef0123456789abcdef"
KEYS = Settings(fred_api_key=FRED_KEY, eia_api_key="e" * 32)
RETRY = RetryPolicy(attempts=2, initial=0.01, maximum=0.02, jitter=0.0)


@pytest.fixture
def sim(server: HTTPServer) -> Iterator[SourceSimulator]:
    """Two years of synthetic data for every fetchable catalog series."""
    simulator = SourceSimulator(years=2)
    server.clear()
    simulator.install(server)
    yield simulator
    server.clear()


def _run(store: Store, sim: SourceSimulator, server: HTTPServer,
         settings: Settings = KEYS, **kw: object) -> UpdateReport:
    options = UpdateOptions(env=sim.env(server), min_interval=0.0, retry=RETRY, timeout=5.0)
    return run_update(store, settings=settings, options=options, **kw)  # type: ignore[arg-type]


def _assert_matches(store: Store, sim: SourceSimulator, ids: list[str]) -> None:
    for sid in ids:
        got = store.read([sid]).set_index("date")["value"]
        exp = sim.truth(sid)
        assert list(got.index) == list(exp.index), sid
        assert (got - exp).abs().max() < 1e-6, sid


def test_full_catalog_then_incremental(store: Store, sim: SourceSimulator,
                                       server: HTTPServer) -> None:
    report = _run(store, sim, server)
    assert report.exit_code == 0, [o.error for o in report.failed]
    assert len(report.outcomes) == len(sim.specs)
    _assert_matches(store, sim, list(sim.specs))
    # EIA's futures stopped: stored, reported stale.
    eia = [o for o in report.outcomes if o.source == "eia"]
    assert eia and all(o.status == "stale" for o in eia)
    # One fetch_log row per series, every one finished without error.
    log = store.execute("SELECT count(*), count(finished_at), count(error) FROM fetch_log "
                        "WHERE run_id = ?", [report.run_id]).fetchone()
    assert log == (len(sim.specs), len(sim.specs), 0)
    # FRED rows carry ALFRED's vintages (published the day after the observation).
    dgs = store.read(["DGS10"])
    assert ((dgs["realtime_start"] - dgs["date"]) == pd.Timedelta(days=1)).all()

    first = dict(report.requests)
    again = _run(store, sim, server)
    assert again.exit_code == 0 and again.rows_new == 0 and again.rows_revised == 0
    assert sum(again.requests.values()) < sum(first.values())
    assert again.requests["nyfed"] <= 6  # one look-back window per endpoint


def test_revisions_on_a_later_run_keep_the_old_vintage(store: Store, sim: SourceSimulator,
                                                       server: HTTPServer) -> None:
    ids = ["DGS10", "WALCL", "SOFR", "SOFR99", "EFFR"]
    _run(store, sim, server, series=ids)
    day = sorted(sim.truth("DGS10").index)[-5].date()
    old = float(sim.truth("DGS10")[pd.Timestamp(day)])
    sofr_day = sorted(sim.truth("SOFR").index)[-3].date()
    old_sofr = float(sim.truth("SOFR")[pd.Timestamp(sofr_day)])
    revised_on = sim.end + timedelta(days=1)
    sim.revise("DGS10", day, old + 1.0, on=revised_on)
    sim.revise("SOFR", sofr_day, old_sofr + 0.25)
    sim.extend(1)

    report = _run(store, sim, server, series=ids)
    assert report.exit_code == 0
    by_id = {o.series_id: o for o in report.outcomes}
    assert by_id["DGS10"].rows_revised == 1 and by_id["DGS10"].rows_new == 1
    assert by_id["SOFR"].rows_revised == 1 and by_id["SOFR"].rows_new == 1
    _assert_matches(store, sim, ["DGS10", "SOFR", "EFFR"])
    # ALFRED vintage: as of the day before the revision the old value shows.
    before = store.read(["DGS10"], start=day, end=day, as_of=revised_on - timedelta(days=1))
    after = store.read(["DGS10"], start=day, end=day)
    assert before["value"].tolist() == [old] and after["value"].tolist() == [old + 1.0]
    assert after["realtime_start"].dt.date.tolist() == [revised_on]
    # NY Fed (no source vintages): the old value is kept as a closed vintage.
    vint = store.read_vintages(["SOFR"])
    rows = vint[vint["date"] == pd.Timestamp(sofr_day)]
    assert sorted(rows["value"].tolist()) == [old_sofr, old_sofr + 0.25]


def test_keyless_fred_falls_back_to_fredgraph_and_says_so_once(
        store: Store, sim: SourceSimulator, server: HTTPServer) -> None:
    report = _run(store, sim, server, settings=Settings(),
                  series=["DGS10", "WALCL", "GDP", "RCLC1", "RCLC2"])
    assert [n for n in report.notes if "fredgraph" in n] == [report.notes[0]]
    assert len(report.notes) == 2  # FRED fallback once; EIA skipped without a key
    assert report.exit_code == 0
    assert all(o.status == "skipped" for o in report.outcomes if o.source == "eia")
    assert sim.requests["fredgraph"] > 0 and sim.requests["fred"] == 0
    _assert_matches(store, sim, ["DGS10", "WALCL", "GDP"])


def test_failing_source_never_blocks_others(store: Store, sim: SourceSimulator,
                                            server: HTTPServer) -> None:
    sim.broken["nyfed"] = Response("unavailable", status=503)
    report = _run(store, sim, server, sources=["nyfed", "fiscaldata", "ofr"])
    assert report.exit_code == 3
    failed = {o.series_id for o in report.failed}
    assert failed == {s for s, spec in sim.specs.items() if spec.source == "nyfed"}
    assert all("HTTP 503" in (o.error or "") for o in report.failed)
    # After two endpoints failed (each after its retries) the rest of nyfed is not tried.
    assert sim.requests["nyfed"] == 2 * RETRY.attempts
    assert sum("not tried" in (o.error or "") for o in report.failed) > 0
    _assert_matches(store, sim, ["TGA_DTS", "OFR_FSI"])
    errors = store.execute("SELECT count(*) FROM fetch_log WHERE error LIKE '%503%'"
                           ).fetchone()
    assert errors == (len(failed),)
    assert store.read(["SOFR"]).empty


def test_changed_field_rejected_nothing_written(store: Store, sim: SourceSimulator,
                                                server: HTTPServer) -> None:
    sim.rename["fiscal"] = ('"open_today_bal"', '"opening_balance"')
    report = _run(store, sim, server, sources=["fiscaldata"])
    assert report.exit_code == 2
    [outcome] = report.outcomes
    assert outcome.error_type == "SchemaError"
    assert "fiscaldata series TGA_DTS" in (outcome.error or "")
    assert "'open_today_bal'" in (outcome.error or "")
    assert store.read(["TGA_DTS"]).empty


def test_invalid_key_and_unknown_series(store: Store, sim: SourceSimulator,
                                        server: HTTPServer) -> None:
    report = _run(store, sim, server, settings=Settings(fred_api_key="bad"),
                  series=["DGS10"])
    [outcome] = report.outcomes
    assert report.exit_code == 2 and outcome.error_type == "AuthError"
    assert "bad" not in (outcome.error or "").replace("Bad Request", "")
    with pytest.raises(UnknownSeriesError, match="NOPE"):
        _run(store, sim, server, series=["NOPE"])
    with pytest.raises(ConfigError, match="unknown source"):
        _run(store, sim, server, sources=["bloomberg"])
    with pytest.raises(ConfigError, match="no online source"):
        _run(store, sim, server, series=["CL_F_YAHOO"])


def test_dry_run_reports_but_writes_nothing(store: Store, sim: SourceSimulator,
                                            server: HTTPServer) -> None:
    report = _run(store, sim, server, series=["TGA_DTS", "BTCUSD"], dry_run=True)
    assert report.exit_code == 0 and report.dry_run
    assert report.rows_new == len(sim.truth("TGA_DTS")) + len(sim.truth("BTCUSD"))
    assert store.row_count() == 0
    assert store.execute("SELECT count(*) FROM fetch_log").fetchone() == (0,)
    assert store.execute("SELECT count(*) FROM fetch_state").fetchone() == (0,)


def test_since_refetches_a_window(store: Store, sim: SourceSimulator,
                                  server: HTTPServer) -> None:
    _run(store, sim, server, series=["BTCUSD"])
    since = sim.end - timedelta(days=10)
    report = _run(store, sim, server, series=["BTCUSD"], since=since)
    assert report.requests["coinbase"] == 1 and report.rows_new == 0


def test_progress_events(store: Store, sim: SourceSimulator, server: HTTPServer) -> None:
    events: list[tuple[str, str, object]] = []

    class Recorder:
        def start(self, source: str, total: int) -> None:
            events.append(("start", source, total))

        def advance(self, source: str, series_id: str, ok: bool) -> None:
            events.append(("advance", source, series_id))

    _run(store, sim, server, sources=["ofr"], progress=Recorder())
    n = sum(1 for s in sim.specs.values() if s.source == "ofr")
    assert events[0] == ("start", "ofr", n)
    assert len([e for e in events if e[0] == "advance"]) == n
