"""The three composite methods on synthetic panels (random data, named synthetic)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from stress_synthetic import CATS, shock, synthetic_panel

from liqwatch.exceptions import ConfigError
from liqwatch.stress.methods import METHODS, compute, segment_tail
from liqwatch.stress.panel import MIN_OBS, StressPanel


@pytest.fixture(scope="module")
def panel() -> StressPanel:
    return synthetic_panel(late={"funding_0": 2500, "offshore_1": 3000})


@pytest.mark.parametrize("method", list(METHODS))
def test_no_look_ahead_on_synthetic_panel(panel: StressPanel, method: str) -> None:
    """Changing every value after D changes nothing at or before D."""
    cut = panel.values.index[3200]
    vals = panel.values.copy()
    vals.loc[vals.index > cut] = vals.loc[vals.index > cut] * -3 + 7
    other = StressPanel(vals, panel.categories, panel.directions)
    a, b = compute(panel, method), compute(other, method)
    pd.testing.assert_series_equal(a.value.loc[:cut], b.value.loc[:cut])
    pd.testing.assert_frame_equal(a.contributions.loc[:cut], b.contributions.loc[:cut])
    assert not np.allclose(a.value.loc[cut:].iloc[1:], b.value.loc[cut:].iloc[1:])


@pytest.mark.parametrize("method", list(METHODS))
def test_contributions_sum_to_value(panel: StressPanel, method: str) -> None:
    out = compute(panel, method)
    both = pd.concat([out.value, out.contributions.sum(axis=1)], axis=1).dropna()
    assert len(both) > 3000
    np.testing.assert_allclose(both.iloc[:, 0], both.iloc[:, 1], atol=1e-9)


def test_value_for_every_day_once_min_obs_reached(panel: StressPanel) -> None:
    for method in METHODS:
        out = compute(panel, method)
        first = out.value.first_valid_index()
        assert first is not None
        assert out.value.loc[first:].notna().all(), method
        # zscore/ciss start as soon as indicators have MIN_OBS observations
        if method != "pca":
            assert panel.values.index.get_loc(first) == MIN_OBS - 1


def test_late_series_enter_after_min_obs(panel: StressPanel) -> None:
    out = compute(panel, "zscore")
    n = out.n_indicators
    idx = panel.values.index
    total = len(panel.ids)
    assert n.iloc[2500 + MIN_OBS - 2] == total - 2
    assert n.iloc[2500 + MIN_OBS - 1] == total - 1
    assert n.iloc[3000 + MIN_OBS - 1] == total
    assert out.n_categories.loc[idx[MIN_OBS]] == len(CATS)


def test_ciss_is_between_zero_and_one(panel: StressPanel) -> None:
    v = compute(panel, "ciss").value.dropna()
    assert v.between(0, 1).all()
    assert v.max() > v.min()


def test_ciss_rewards_simultaneous_stress() -> None:
    """The same shock scores higher in CISS when it hits all segments than only one."""
    base = synthetic_panel(seed=1)
    days = base.values.index[3000:3060]
    one = compute(shock(base, days, ("funding",), 6.0), "ciss").value
    many = compute(shock(base, days, CATS, 6.0), "ciss").value
    assert many.loc[days[-1]] > 3 * one.loc[days[-1]]
    assert many.loc[days[-1]] > 0.6


def test_zscore_matches_hand_computation() -> None:
    """Two categories, one indicator each: value = mean of the two expanding z-scores."""
    idx = pd.bdate_range("2010-01-01", periods=400)
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=400), rng.normal(size=400)
    p = StressPanel(pd.DataFrame({"a": a, "b": b}, index=idx), {"a": "funding", "b": "oil"},
                    {"a": 1, "b": -1})
    out = compute(p, "zscore")
    t = 350
    za = (a[t] - a[: t + 1].mean()) / a[: t + 1].std(ddof=1)
    zb = (-b[t] - (-b[: t + 1]).mean()) / b[: t + 1].std(ddof=1)
    assert out.value.iloc[t] == pytest.approx((za + zb) / 2)


def test_pca_sign_is_stress_up() -> None:
    """A common stress factor makes the PCA index rise, whatever the inputs' directions."""
    base = synthetic_panel(seed=2)
    days = base.values.index[3500:3520]
    out = compute(shock(base, days, CATS, 5.0), "pca").value
    calm = compute(base, "pca").value
    assert (out.loc[days] > calm.loc[days] + 1.0).all()


def test_unknown_method_is_a_config_error(panel: StressPanel) -> None:
    with pytest.raises(ConfigError, match="unknown stress method"):
        compute(panel, "nope")


def test_indicators_without_category_or_direction_are_dropped() -> None:
    idx = pd.bdate_range("2010-01-01", periods=300)
    frame = pd.DataFrame({"a": np.arange(300.0), "b": np.arange(300.0), "c": 1.0}, index=idx)
    p = StressPanel(frame, {"a": "funding", "b": "oil"}, {"a": 1, "b": 0, "c": 1})
    assert p.ids == ["a"]


def test_segment_tail_needs_two_indicators_of_one_category() -> None:
    """One indicator's spike does not move the guard's score; two in one category do."""
    base = synthetic_panel(seed=7)
    day = base.values.index[3000]
    calm = float(base.zscores().loc[day].max())  # the largest z-score before any spike
    vals = base.values.copy()
    vals.loc[day, "funding_0"] += 50.0 * base.directions["funding_0"]
    one = StressPanel(vals, base.categories, base.directions)
    assert segment_tail(one)[0].loc[day] <= calm
    vals.loc[day, "funding_1"] += 50.0 * base.directions["funding_1"]
    two = StressPanel(vals, base.categories, base.directions)
    score, cat = segment_tail(two)
    assert score.loc[day] > 10 and cat.loc[day] == "funding"
    # spikes in two different categories are not a single-segment squeeze either
    vals = base.values.copy()
    vals.loc[day, "funding_0"] += 50.0 * base.directions["funding_0"]
    vals.loc[day, "oil_0"] += 50.0 * base.directions["oil_0"]
    apart = StressPanel(vals, base.categories, base.directions)
    assert segment_tail(apart)[0].loc[day] <= calm
