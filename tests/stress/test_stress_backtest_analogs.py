"""Event study and analogs on synthetic series (named synthetic; no real data)."""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd
import pytest
from stress_synthetic import shock, synthetic_panel

from liqwatch.exceptions import ConfigError
from liqwatch.store import Store
from liqwatch.stress.crisis_analogs import analogs_from_panel, similarity
from liqwatch.stress.episodes import Episode
from liqwatch.stress.event_study import _published_asof, backtest_panel, event_study

EP = (Episode("E1", "synthetic", "plumbing", date(2019, 9, 16), date(2019, 9, 20),
              date(2019, 10, 4)),)


def test_event_study_detection_lead_and_false_alarms() -> None:
    idx = pd.bdate_range("2019-01-01", "2020-12-31")
    alert = pd.Series(False, index=idx)
    alert.loc["2019-09-18":"2019-09-24"] = True  # 2 business days before the peak
    alert.loc["2020-03-02":"2020-03-04"] = True  # one false alarm, 3 days, test period
    alert.loc["2020-06-01"] = True  # a second one
    rows, fa = event_study(alert, "x", EP, train_end=date(2019, 12, 31))
    assert rows[0]["detected"] is True
    assert rows[0]["lead_days"] == 2
    assert rows[0]["first_alert"] == date(2019, 9, 18)
    test = next(r for r in fa if r["period"] == "test")
    n_days = int((idx > "2019-12-31").sum())
    assert test["false_alarms_per_year"] == pytest.approx(2 / (n_days / 252))
    assert test["alert_share"] == pytest.approx(4 / n_days)
    train = next(r for r in fa if r["period"] == "train")
    assert train["false_alarms_per_year"] == 0


def test_event_study_lag_and_missing_data() -> None:
    idx = pd.bdate_range("2019-09-01", "2019-12-31")
    alert = pd.Series(False, index=idx)
    alert.loc["2019-09-24"] = True  # 2 business days after the peak
    rows, _ = event_study(alert, "x", EP)
    assert rows[0]["lead_days"] == -2
    rows, _ = event_study(pd.Series(np.nan, index=idx), "y", EP)
    assert rows[0]["detected"] is None


def test_backtest_panel_leaves_a_funding_only_shock_to_the_regime() -> None:
    """The composite's guard catches a shock to one market outside funding; a funding-only
    shock does not set the cross-market composite (the overall status judges it against the
    reserve regime)."""
    panel = synthetic_panel(seed=4)
    days = pd.bdate_range("2020-03-09", "2020-03-16")
    res = backtest_panel(shock(panel, days, ("risk_appetite",), 30.0))
    rows = res.episodes[res.episodes["method"] == "ciss"].set_index("episode")
    assert rows.loc["Mar 2020", "detected"]
    hist = res.history[res.history["method"] == "ciss"].set_index("date")
    assert set(hist.loc[days, "trigger"].dropna()) <= {"segment", "aggregate", "breadth"}
    assert (hist.loc[days, "segment"] == "risk_appetite").all()
    funding = backtest_panel(shock(panel, days, ("funding",), 30.0))
    fh = funding.history[funding.history["method"] == "ciss"].set_index("date")
    base = res.history[res.history["method"] == "ciss"].set_index("date")
    assert (fh.loc[days, "segment"] != "funding").all()
    assert (fh.loc[days, "segment_score"] < base.loc[days, "segment_score"]).all()
    assert set(res.episodes["method"]) == {"zscore", "pca", "ciss", "ciss_aggregate"}
    d = res.to_dict()
    assert {"episodes", "false_alarms_per_year", "correlations", "split", "definitions"} <= set(d)
    assert {"episode", "method", "detected", "lead_days", "lead_warning"} <= set(d["episodes"][0])
    assert "2014-12-31" in res.summary()
    assert "<table>" in res._repr_html_()


def test_similarity_properties() -> None:
    a = np.array([1.0, 2.0, -1.0])
    assert similarity(a, a) == pytest.approx(1.0)
    assert similarity(a, -a) == pytest.approx(-1.0)
    assert 0 < similarity(a, 0.5 * a) < 1
    assert similarity(a, np.zeros(3)) == 0.0


def test_analogs_rank_the_episode_itself_first() -> None:
    """A broad day (risk and credit shocked) is compared with broad episodes on broad signals;
    a plumbing day (funding shocked) with plumbing episodes on plumbing signals."""
    panel = synthetic_panel(seed=6)
    days = pd.bdate_range("2020-03-09", "2020-03-16")
    panel = shock(shock(panel, days, ("risk_appetite", "credit"), 5.0),
                  pd.bdate_range("2019-09-16", "2019-09-17"), ("funding",), 8.0)
    res = analogs_from_panel(panel, date(2020, 3, 16))
    assert res.kind == "broad"
    assert res.table.iloc[0]["episode"] == "Mar 2020"
    assert res.table.iloc[0]["similarity"] == pytest.approx(1.0)
    assert set(res.table["type"]) == {"broad"}
    # episodes after the as-of day are not compared
    assert "Mar 2023" not in set(res.table["episode"])
    bd = res.breakdown("Mar 2020")
    broad = [c for c in panel.ids if panel.categories[c] not in ("funding", "reserves")]
    assert len(bd) == res.table.iloc[0]["n_signals"] == len(broad)
    assert bd["match"].all()
    assert {"signal", "category", "z_now", "z_then", "difference", "match",
            "weight"} <= set(bd.columns)
    with pytest.raises(ConfigError):
        res.breakdown("Sep 2019")  # a plumbing episode is not compared on a broad day
    assert "Mar 2020" in res.summary() and "broad day" in res.summary()
    plumbing = analogs_from_panel(panel, date(2019, 9, 17))
    assert plumbing.kind == "plumbing"
    assert plumbing.table.iloc[0]["episode"] == "Sep 2019"
    assert set(plumbing.breakdown("Sep 2019")["category"]) <= {"funding", "reserves"}


def test_analogs_of_a_calm_day_compare_every_episode() -> None:
    panel = synthetic_panel(seed=6)
    calm = panel.values.index[panel.values.index.get_indexer([pd.Timestamp("2021-06-01")])[0]]
    res = analogs_from_panel(panel, calm.date())
    assert res.kind in ("calm", "plumbing", "broad")
    if res.kind == "calm":
        assert {"broad", "plumbing"} <= set(res.table["type"])


def test_analogs_can_leave_out_the_episode_under_way() -> None:
    panel = synthetic_panel(seed=6)
    panel = shock(panel, pd.bdate_range("2020-03-09", "2020-03-16"), ("risk_appetite",), 5.0)
    res = analogs_from_panel(panel, date(2020, 3, 16), include_current=False)
    names = set(res.table["episode"])
    assert "Mar 2020" not in names
    assert "Aug 2011" in names
    # Outside any episode window nothing is left out.
    quiet = analogs_from_panel(panel, date(2021, 6, 1), include_current=False)
    assert set(quiet.table["episode"]) == set(
        analogs_from_panel(panel, date(2021, 6, 1)).table["episode"]
    )


def test_published_index_known_from_its_release_day(store: Store) -> None:
    """A weekly index dated Friday is known from the following Thursday (catalog lag), and a
    value more than 30 days old counts as missing (synthetic values)."""
    frame = pd.DataFrame({"series_id": "STLFSI4",
                          "date": pd.to_datetime(["2020-01-03", "2020-01-10"]),
                          "value": [-0.5, 1.5]})
    store.write(frame)
    days = pd.bdate_range("2020-01-06", "2020-02-28")
    s = _published_asof(store, "STLFSI4", days)
    assert np.isnan(s.loc["2020-01-08"])  # 2020-01-03 is released on 2020-01-09
    assert s.loc["2020-01-09"] == -0.5
    assert s.loc["2020-01-15"] == -0.5
    assert s.loc["2020-01-16"] == 1.5
    assert s.loc["2020-02-07"] == 1.5
    assert np.isnan(s.loc["2020-02-11"])  # stale: the index stopped
    assert _published_asof(store, "NFCI", days).isna().all()


def test_episodes_have_japanese_titles_without_nested_parentheses() -> None:
    """Narrative shows "Sep 2019 (title)": a title with its own parentheses nests them."""
    from liqwatch.stress import EPISODES

    for ep in EPISODES:
        assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", ep.title_ja), ep.name
        for text in (ep.title, ep.title_ja):
            assert not set("()（）") & set(text), text
        assert ep.title_in("ja") == ep.title_ja and ep.title_in("en") == ep.title
