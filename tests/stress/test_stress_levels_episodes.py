"""Levels, status rules and episodes (synthetic data where data is needed)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from liqwatch.stress.episodes import EPISODES, inside_episodes, load_episodes
from liqwatch.stress.levels import TRAIN_END, Levels, calibrate, classify, load_levels


def test_episodes_from_package_data() -> None:
    names = [e.name for e in EPISODES]
    for required in ("Oct 2008", "Sep 2019", "Mar 2020"):
        assert required in names
    assert {e.type for e in EPISODES} == {"plumbing", "broad"}
    assert all(e.start <= e.peak <= e.end for e in EPISODES)
    assert list(EPISODES) == sorted(EPISODES, key=lambda e: e.start)
    assert load_episodes() is load_episodes()
    sep = next(e for e in EPISODES if e.name == "Sep 2019")
    assert sep.type == "plumbing" and sep.peak == date(2019, 9, 17)


def test_inside_episodes_mask() -> None:
    days = pd.DatetimeIndex(["2019-09-13", "2019-09-16", "2019-09-17", "2019-10-31",
                             "2019-11-01"])
    assert inside_episodes(days).tolist() == [False, True, True, True, False]


def test_package_levels_cover_every_method() -> None:
    levels = load_levels()
    assert set(levels) == {"zscore", "pca", "ciss"}
    for lev in levels.values():
        assert lev.watch < lev.alert
        assert lev.train_end == TRAIN_END
    ciss = levels["ciss"]
    assert ciss.guard_watch is not None and ciss.guard_alert is not None
    assert ciss.guard_watch < ciss.guard_alert
    assert "segment_alert" in ciss.as_dict()


def test_classify_aggregate_and_guard() -> None:
    idx = pd.bdate_range("2020-01-01", periods=5)
    value = pd.Series([0.1, 0.35, 0.6, 0.1, np.nan], index=idx)
    seg = pd.Series([0.0, 0.0, 0.0, 5.0, 5.0], index=idx)
    lev = Levels("ciss", watch=0.3, alert=0.5, guard_watch=2.0, guard_alert=4.0)
    status, trig = classify(value, lev, seg)
    assert status.tolist() == ["normal", "watch", "alert", "alert", "no_data"]
    assert trig.tolist() == [None, "aggregate", "aggregate", "segment", None]
    plain, _ = classify(value, Levels("zscore", 0.3, 0.5), seg)
    assert plain.tolist() == ["normal", "watch", "alert", "normal", "no_data"]


def test_calibrate_uses_training_days_outside_episodes_only() -> None:
    idx = pd.bdate_range("2003-01-01", "2024-12-31")
    rng = np.random.default_rng(5)
    v = pd.Series(rng.normal(size=len(idx)), index=idx)
    seg = pd.Series(rng.normal(size=len(idx)), index=idx)
    base = calibrate({"ciss": v, "zscore": v}, seg)
    # anything after the training period or inside an episode is ignored
    v2 = v.copy()
    v2[v2.index > pd.Timestamp(TRAIN_END)] += 100
    v2[inside_episodes(pd.DatetimeIndex(v2.index))] += 100
    again = calibrate({"ciss": v2, "zscore": v2}, seg)
    assert again == base
    train = v[(v.index <= pd.Timestamp(TRAIN_END)) & ~inside_episodes(pd.DatetimeIndex(v.index))]
    assert base["zscore"].alert == float(train.quantile(0.98))
    assert base["zscore"].guard_alert is None and base["ciss"].guard_alert is not None
