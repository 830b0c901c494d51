"""Stress methods, backtest and analogs on the real data (../shared/data/raw)."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from liqwatch.store import Store
from liqwatch.stress import composite, stress_history
from liqwatch.stress.composite import history_from_panel, method_outputs, reading_from_panel
from liqwatch.stress.crisis_analogs import AnalogResult, analogs_from_panel
from liqwatch.stress.event_study import BacktestResult, backtest
from liqwatch.stress.methods import METHODS, MIN_COVERAGE
from liqwatch.stress.panel import StressPanel, from_store

CliRun = Callable[..., tuple[int, str, str]]


@pytest.fixture(scope="module")
def panel(real_db: Path) -> StressPanel:
    with Store(real_db, read_only=True) as store:
        p = from_store(store, end=date(2025, 12, 31))
    method_outputs(p)
    return p


@pytest.fixture(scope="module")
def result(real_db: Path) -> BacktestResult:
    with Store(real_db, read_only=True) as store:
        return backtest(store)


def test_every_business_day_with_inputs_has_a_value(panel: StressPanel) -> None:
    days = panel.values.index
    outs = method_outputs(panel)
    for method in METHODS:
        out = outs[method]
        n = out.n_indicators
        covered = (n > 0) & (n >= MIN_COVERAGE * n.cummax())
        assert covered.sum() > 3000, method
        if method == "pca":
            # loadings are first estimated on the first refit day with eligible inputs
            first = out.value.first_valid_index()
            assert (out.value.loc[first:].notna() == covered.loc[first:]).all()
        else:
            assert (out.value.notna() == covered).all(), method
    # the as-of grid has no gaps: one row per US business day
    from liqwatch.calendar import business_days

    expected = business_days(days[0].date(), days[-1].date())
    assert days.equals(expected)


def test_no_look_ahead_when_later_data_change(real_db: Path, tmp_path: Path,
                                              panel: StressPanel) -> None:
    """Perturb every value published after D in a copy of the store: nothing at or before D
    changes, for any method."""
    cut = date(2019, 6, 28)
    copy = tmp_path / "perturbed.duckdb"
    shutil.copy(real_db, copy)
    with Store(copy) as store:
        store.execute("UPDATE observations SET value = value * 1.7 + 3 "
                      "WHERE realtime_start > CAST(? AS DATE)", [str(cut)])
        other = from_store(store, end=date(2025, 12, 31))
    a, b = method_outputs(panel), method_outputs(other)
    ts = pd.Timestamp(cut)
    for method in METHODS:
        pd.testing.assert_series_equal(a[method].value.loc[:ts], b[method].value.loc[:ts],
                                       check_freq=False)
        later = (a[method].value.loc[ts:] - b[method].value.loc[ts:]).abs()
        assert later.max() > 1e-6, f"{method}: the perturbation did not reach later days"
    # the guard and the analogs on D do not see the perturbed future either
    pd.testing.assert_frame_equal(history_from_panel(panel, "ciss").set_index("date").loc[:ts],
                                  history_from_panel(other, "ciss").set_index("date").loc[:ts])
    pd.testing.assert_frame_equal(analogs_from_panel(panel, cut).table,
                                  analogs_from_panel(other, cut).table)


def test_as_of_reading_equals_history_row(real_db: Path, panel: StressPanel) -> None:
    day = date(2019, 9, 17)
    hist = history_from_panel(panel, "zscore").set_index("date")
    with Store(real_db, read_only=True) as store:
        reading = composite(store, as_of=day, method="zscore")
        frame = stress_history(store, "zscore", start=date(2019, 9, 1), end=day)
    assert reading.date == day
    assert reading.value == pytest.approx(hist.loc[pd.Timestamp(day), "value"])
    assert reading.status == hist.loc[pd.Timestamp(day), "status"]
    assert sum(reading.contributions.values()) == pytest.approx(reading.value)
    assert frame["date"].iloc[-1] == pd.Timestamp(day)
    assert list(frame.columns[:4]) == ["date", "method", "value", "status"]


def test_sep_2019_and_mar_2020_detected(result: BacktestResult) -> None:
    ep = result.episodes
    for name in ("Sep 2019", "Mar 2020"):
        rows = ep[(ep["episode"] == name) & ep["method"].isin(list(METHODS))]
        assert rows["detected"].fillna(False).astype(bool).any(), name


def test_default_method_design_goals(result: BacktestResult) -> None:
    """The default method reaches alert in the funding-only Sep 2019 squeeze, and its alert
    stays on at most 5% of business days outside episodes in the test period."""
    ep = result.episodes
    sep = ep[(ep["episode"] == "Sep 2019") & (ep["method"] == "ciss")].iloc[0]
    assert sep["detected"]
    fa = result.false_alarms
    test = fa[(fa["method"] == "ciss") & (fa["period"] == "test")].iloc[0]
    assert test["alert_share"] <= 0.05
    # in the squeeze week the published indices were below their conventional level (0)
    # while the default method was in alert
    week = slice(pd.Timestamp("2019-09-17"), pd.Timestamp("2019-09-20"))
    for sid in ("STLFSI4", "NFCI", "OFR_FSI"):
        assert (result.published[sid].loc[week] < 0).all(), sid
    hist = result.history[result.history["method"] == "ciss"].set_index("date")
    assert (hist.loc[week, "status"] == "alert").sum() >= 2
    assert set(hist.loc[week, "trigger"].dropna()) == {"segment"}


def test_backtest_reports_published_indices_and_correlations(result: BacktestResult) -> None:
    assert {"STLFSI4", "NFCI", "OFR_FSI"} <= set(result.false_alarms_per_year)
    corr = result.correlations.set_index("method")
    assert set(corr.index) == set(METHODS)
    assert (corr["n_weeks"] > 500).all()
    assert corr[["STLFSI4", "NFCI"]].abs().le(1).all().all()
    d = result.to_dict()
    json.dumps(d)
    assert d["split"]["train_end"] == "2014-12-31"


def test_analogs_on_2020_03_16_rank_mar_2020_first(panel: StressPanel) -> None:
    res: AnalogResult = analogs_from_panel(panel, date(2020, 3, 16))
    top = res.table.iloc[0]
    assert top["episode"] == "Mar 2020"
    assert top["similarity"] == pytest.approx(1.0)
    bd = res.breakdown("Mar 2020")
    assert len(bd) == top["n_signals"] > 5
    assert set(bd["signal"]) <= set(panel.ids)
    assert bd["z_now"].notna().all() and bd["z_then"].notna().all()
    # signals compared with an older episode are those available at both times
    oct08 = res.table.set_index("episode").loc["Oct 2008"]
    then = panel.zscores().loc[:pd.Timestamp("2008-10-10")].iloc[-1]
    now = panel.zscores().loc[:pd.Timestamp("2020-03-16")].iloc[-1]
    assert oct08["n_signals"] == int((then.notna() & now.notna()).sum())
    assert oct08["n_signals"] < top["n_signals"]


def test_latest_analogs_compare_the_last_day_with_a_stress_reading(real_db: Path) -> None:
    """The panel's last rows hold only late-published series; "latest" must not mean them."""
    with Store(real_db, read_only=True) as store:
        full = from_store(store)
    last_row = full.zscores().index[-1].date()
    reading = reading_from_panel(full)
    assert reading.date is not None and reading.date < last_row  # the data have a ragged edge
    for as_of in (None, last_row):
        res = analogs_from_panel(full, as_of)
        assert res.date == reading.date
        assert res.table["similarity"].notna().any()
        assert res.table["n_signals"].max() >= 10


def test_sep_17_2019_reading_is_a_funding_squeeze(panel: StressPanel) -> None:
    """On 2019-09-17 the default reading is in alert through the single-segment guard, with
    funding gauges as the most stressed indicators."""
    r = reading_from_panel(panel, None, date(2019, 9, 17))
    assert (r.status, r.trigger, r.segment) == ("alert", "segment", "funding")
    assert r.segment_score >= r.levels["segment_alert"]
    assert r.value < r.levels["alert"]  # the aggregate alone stays below its alert level
    assert [d["category"] for d in r.drivers[:3]] == ["funding"] * 3
    assert r.drivers[0]["z"] >= r.drivers[1]["z"] >= r.drivers[2]["z"]


def test_reading_summary_and_html(panel: StressPanel) -> None:
    r = reading_from_panel(panel, None, date(2020, 3, 16))
    assert r.method == "ciss" and 0 <= r.value <= 1
    assert "ciss" in r.summary() and "<table>" in r._repr_html_()
    assert r.to_dict()["levels"]["alert"] > r.to_dict()["levels"]["watch"]
    assert np.isfinite(r.segment_score)


def test_cli_stress_json_and_table(real_db: Path, cli: CliRun) -> None:
    code, out, _ = cli("--db", str(real_db), "stress", "--as-of", "2020-03-16",
                       "--method", "zscore", "--format", "json")
    assert code == 0
    obj = json.loads(out)
    assert obj["date"] == "2020-03-16" and obj["method"] == "zscore"
    assert obj["status"] in ("normal", "watch", "alert")
    assert set(obj["levels"]) >= {"watch", "alert"} and obj["contributions"]
    code, out, _ = cli("--db", str(real_db), "stress", "--as-of", "2020-03-16")
    assert code == 0 and "Category contributions" in out and "ciss" in out
    code, out, _ = cli("--db", str(real_db), "stress", "--as-of", "2019-09-17")
    first = out.splitlines()[0]
    assert code == 0 and "ALERT (trigger: segment — funding gauges extreme together" in first
    assert re.search(r"segment score \d+\.\d ≥ \d\.\d\)", first)


def test_cli_history_csv(real_db: Path, cli: CliRun) -> None:
    code, out, _ = cli("--db", str(real_db), "stress", "history", "--method", "pca",
                       "--start", "2019-09-16", "--end", "2019-09-20")
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0].startswith("date,method,value,status")
    assert [ln.split(",")[0] for ln in lines[1:]] == [
        "2019-09-16", "2019-09-17", "2019-09-18", "2019-09-19", "2019-09-20"]
    code, _, err = cli("--db", str(real_db), "stress", "history", "--method", "nope")
    assert code == 1 and "nope" in err


def test_cli_backtest_json_and_plot(real_db: Path, tmp_path: Path,
                                    cli: CliRun) -> None:
    png = tmp_path / "bt.png"
    code, out, _ = cli("--db", str(real_db), "backtest", "--format", "json",
                       "--plot", str(png))
    assert code == 0
    obj = json.loads(out)
    assert {"episodes", "false_alarms_per_year", "correlations"} <= set(obj)
    assert {"episode", "method", "detected", "lead_days"} <= set(obj["episodes"][0])
    assert png.stat().st_size > 10_000 and png.read_bytes()[:4] == b"\x89PNG"
    code, _, err = cli("--db", str(real_db), "backtest", "--plot", "x.gif")
    assert code == 1 and ".png or .html" in err


def test_cli_analogs(real_db: Path, cli: CliRun) -> None:
    code, out, _ = cli("--db", str(real_db), "analogs", "--as-of", "2020-03-16",
                       "--include-current", "--format", "json")
    assert code == 0
    obj = json.loads(out)
    assert obj["analogs"][0]["episode"] == "Mar 2020"
    assert obj["analogs"][0]["breakdown"][0]["signal"]
    code, out, _ = cli("--db", str(real_db), "analogs", "--as-of", "2020-03-16",
                       "--include-current")
    assert code == 0 and "Mar 2020" in out
    # By default the episode under way is left out: the answer names a past crisis.
    code, out, _ = cli("--db", str(real_db), "analogs", "--as-of", "2020-03-16",
                       "--format", "json")
    assert code == 0
    episodes = [a["episode"] for a in json.loads(out)["analogs"]]
    assert "Mar 2020" not in episodes and "Sep 2019" in episodes


def test_cli_stress_before_the_warm_up_is_a_clear_error(
    real_db: Path, cli: CliRun
) -> None:
    code, out, err = cli("--db", str(real_db), "stress", "--as-of", "2003-06-02")
    assert code == 2 and out == ""
    assert "no stress reading as of 2003-06-02" in err and "250 business days" in err
