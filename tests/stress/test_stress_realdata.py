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

from liqwatch import indicators
from liqwatch.store import Store
from liqwatch.stress import analogs, composite, stress_history
from liqwatch.stress.composite import history_from_panel, method_outputs, reading_from_panel
from liqwatch.stress.crisis_analogs import AnalogResult, analogs_from_panel
from liqwatch.stress.event_study import BacktestResult
from liqwatch.stress.methods import METHODS, MIN_COVERAGE
from liqwatch.stress.panel import StressPanel, from_indicator_history, from_store
from liqwatch.stress.verdict import verdict_from_history

CliRun = Callable[..., tuple[int, str, str]]


@pytest.fixture(scope="module")
def hist(real_db: Path) -> pd.DataFrame:
    with Store(real_db, read_only=True) as store:
        return indicators.history(store, end=date(2025, 12, 31))


@pytest.fixture(scope="module")
def panel(hist: pd.DataFrame) -> StressPanel:
    p = from_indicator_history(hist)
    method_outputs(p)
    return p


@pytest.fixture(scope="module")
def result(real_backtest: BacktestResult) -> BacktestResult:
    return real_backtest


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
                                              hist: pd.DataFrame, panel: StressPanel) -> None:
    """Perturb every value published after D in a copy of the store: nothing at or before D
    changes, for any method, the guard, the analogs, the regime or the overall status."""
    cut = date(2019, 6, 28)
    copy = tmp_path / "perturbed.duckdb"
    shutil.copy(real_db, copy)
    with Store(copy) as store:
        store.execute("UPDATE observations SET value = value * 1.7 + 3 "
                      "WHERE realtime_start > CAST(? AS DATE)", [str(cut)])
        hist_other = indicators.history(store, end=date(2025, 12, 31))
    other = from_indicator_history(hist_other)
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
    mine = verdict_from_history(hist, history_from_panel(panel, "ciss"))
    theirs = verdict_from_history(hist_other, history_from_panel(other, "ciss"))
    pd.testing.assert_frame_equal(mine.loc[:ts], theirs.loc[:ts])
    changed = (mine.loc[ts:, "regime"] != theirs.loc[ts:, "regime"]) | (
        mine.loc[ts:, "status"] != theirs.loc[ts:, "status"])
    assert changed.any(), "the perturbation did not reach the later verdict"


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
    """The overall status catches the funding-only squeeze, the composite the broad crisis."""
    ep = result.episodes.set_index(["episode", "method"])
    assert ep.loc[("Sep 2019", "overall"), "detected"]
    assert ep.loc[("Mar 2020", "ciss"), "detected"]
    assert ep.loc[("Mar 2020", "overall"), "detected"]


def test_composite_is_the_cross_market_verdict(result: BacktestResult) -> None:
    """In the funding-only Sep 2019 squeeze — STLFSI4, NFCI and the OFR FSI below zero — the
    cross-market composite stays below alert while the overall status is in alert; the
    composite's alert stays on at most 5% of quiet business days since 2015."""
    fa = result.false_alarms
    test = fa[(fa["method"] == "ciss") & (fa["period"] == "test")
              & (fa["definition"] == "strict")].iloc[0]
    assert test["alert_share"] <= 0.05
    week = slice(pd.Timestamp("2019-09-17"), pd.Timestamp("2019-09-20"))
    for sid in ("STLFSI4", "NFCI", "OFR_FSI"):
        assert (result.published[sid].loc[week] < 0).all(), sid
    hist = result.history[result.history["method"] == "ciss"].set_index("date")
    assert (hist.loc[week, "status"] != "alert").all()
    ep = result.episodes.set_index(["episode", "method"])
    assert ep.loc[("Sep 2019", "overall"), "first_alert"] == date(2019, 9, 17)


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
    """A broad day is compared with the broad episodes on the broad signals only."""
    res: AnalogResult = analogs_from_panel(panel, date(2020, 3, 16))
    assert res.kind == "broad"
    assert set(res.table["type"]) == {"broad"}
    top = res.table.iloc[0]
    assert top["episode"] == "Mar 2020"
    assert top["similarity"] == pytest.approx(1.0)
    bd = res.breakdown("Mar 2020")
    assert len(bd) == top["n_signals"] > 5
    assert set(bd["category"]) <= {"risk_appetite", "credit", "offshore"}
    assert bd["z_now"].notna().all() and bd["z_then"].notna().all()
    assert bd["weight"].sum() == pytest.approx(1.0)  # the cosine of a day with itself
    assert top["decided_by"][0] == bd.sort_values("weight").iloc[-1]["signal"]
    # signals compared with an older episode are those of the group available at both times
    oct08 = res.table.set_index("episode").loc["Oct 2008"]
    broad = [c for c in panel.ids if panel.categories[c] != "funding"]
    then = panel.zscores()[broad].loc[:pd.Timestamp("2008-10-10")].iloc[-1]
    now = panel.zscores()[broad].loc[:pd.Timestamp("2020-03-16")].iloc[-1]
    assert oct08["n_signals"] == int((then.notna() & now.notna()).sum())
    assert oct08["n_signals"] < top["n_signals"]


def test_latest_analogs_compare_the_last_day_with_a_stress_reading(real_db: Path) -> None:
    """The panel's last rows hold only late-published series; "latest" must not mean them.
    (A group of signals is compared, so fewer than the whole panel: at least five.)"""
    with Store(real_db, read_only=True) as store:
        full = from_store(store)
        reading = reading_from_panel(full)
        res_store = analogs(store)
    last_row = full.zscores().index[-1].date()
    assert reading.date is not None and reading.date < last_row  # the data have a ragged edge
    for as_of in (None, last_row):
        res = analogs_from_panel(full, as_of)
        assert res.date == reading.date
        assert res.table["similarity"].notna().any()
    assert res_store.date == reading.date
    assert res_store.table["n_signals"].max() >= 5


def test_sep_17_2019_reading_is_a_funding_squeeze(panel: StressPanel) -> None:
    """On 2019-09-17 the funding gauges are the most stressed, yet the cross-market composite
    is not set by them (the overall status judges them against the regime)."""
    r = reading_from_panel(panel, None, date(2019, 9, 17))
    assert r.status != "alert" and r.segment != "funding"
    assert r.value < r.levels["alert"]
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
    assert obj["overall"]["status"] == "alert" and obj["overall"]["date"] == "2020-03-16"
    code, out, _ = cli("--db", str(real_db), "stress", "--as-of", "2020-03-16")
    assert code == 0 and "Category contributions" in out and "ciss" in out
    # what sets the composite's verdict is shown next to the number
    line = next(ln for ln in out.splitlines() if ln.startswith("Stress index"))
    assert re.search(r"→ ALERT \(set by (two [\w ]+ gauges|[\w ]+ gauges at their alert "
                     r"levels|the index)", line), line
    code, out, _ = cli("--db", str(real_db), "stress", "--as-of", "2019-09-17")
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("Overall: Alert (2019-09-17)")
    assert "Scarce regime since" in lines[1]


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
    obj = json.loads(out)
    episodes = [a["episode"] for a in obj["analogs"]]
    assert obj["kind"] == "broad"
    assert "Mar 2020" not in episodes and "Aug 2011" in episodes


def test_cli_stress_before_any_data_is_a_clear_error(real_db: Path, cli: CliRun) -> None:
    code, out, err = cli("--db", str(real_db), "stress", "--as-of", "2002-12-02")
    assert code == 2 and out == ""
    assert "no stress reading as of 2002-12-02" in err and "2003-01-02" in err


def test_fixed_threshold_indicators_need_no_warm_up(panel: StressPanel) -> None:
    """Indicators judged on fixed thresholds enter the composite on their first day; one
    judged on its percentile rank waits for its own history (120 observations)."""
    z = panel.zscores()
    first_day = z.index[0]
    assert z.loc[first_day, ["vix", "hy_oas_bp", "term_funding_bp"]].notna().all()
    first = z["sofr_dispersion_bp"].first_valid_index()
    n_obs = panel.values["sofr_dispersion_bp"].loc[:first].notna().sum()
    assert n_obs == 1 and first > pd.Timestamp("2018-09-01")  # judged percentile is NaN before
    sofr = z["sofr_iorb_bp"].first_valid_index()
    assert sofr <= pd.Timestamp("2018-04-05")  # SOFR starts 2018-04-03, published a day later
    assert "wti_front_chg_3m_pct" not in panel.ids and "card_delinquency_pct" not in panel.ids
    assert not {c for c in panel.ids if panel.categories[c] == "reserves"}


def test_cli_backtest_html_chart_in_japanese(real_db: Path, tmp_path: Path,
                                             cli: CliRun) -> None:
    """The HTML chart speaks the language asked for and its episode labels are stacked so
    that close episodes (Aug 2007 / Mar 2008 / Oct 2008) do not print over each other."""
    html_path = tmp_path / "bt.html"
    code, _, _ = cli("--db", str(real_db), "backtest", "--plot", str(html_path),
                     "--lang", "ja", "--format", "json")
    assert code == 0
    html = html_path.read_text(encoding="utf-8")  # Plotly writes JSON with \\u escapes
    assert json.dumps("ストレス指数の手法、危機エピソードと公表指数")[1:-1] in html
    start = html.index('"annotations":') + len('"annotations":')
    notes, _ = json.JSONDecoder().raw_decode(html[start:])
    rows = {n["text"]: n["y"] for n in notes if n.get("xref") == "x"}
    assert {"2007年8月", "2008年3月", "2008年10月"} <= set(rows)
    # Three close episodes, three rows: no two of them on one line.
    assert len({rows["2007年8月"], rows["2008年3月"], rows["2008年10月"]}) == 3
