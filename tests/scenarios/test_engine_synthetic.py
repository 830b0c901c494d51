"""Projection engine on synthetic, hand-computable inputs (no real data)."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
import pytest

from liqwatch.scenarios.engine import (
    OTHER_TREND_DAMPING,
    RRP_SPEED,
    WEEK_FACTOR,
    Drivers,
    StartState,
    first_crossing,
    simulate,
    week_dates,
)

# Synthetic start state (USD bn), named so: not real data.
SYNTH = StartState(
    date=date(2030, 1, 2), reserves=3100.0, total_assets=7000.0, tga=800.0, on_rrp=100.0,
    foreign_rrp=300.0, currency=2400.0, treasuries=4500.0, mbs=2000.0, repo=0.0,
)


def zero_drivers(weeks: int) -> Drivers:
    """Nothing moves; ON RRP funds nothing (share 0)."""
    z = np.zeros(weeks)
    return Drivers(
        treasury_runoff=z, mbs_cap=z, mbs_excess_to_treasury=np.zeros(weeks, bool),
        treasury_purchases=z, mbs_purchases=z, mbs_paydown=0.0,
        tga=np.full(weeks + 1, SYNTH.tga), rrp_floor=0.0, rrp_share=0.0, rrp_drift=0.0,
        currency_growth_pct=0.0, other_level=SYNTH.other, other_trend=0.0,
        other_assets_trend=0.0, lending=np.zeros(weeks + 1), srf=0.0,
    )


def test_week_zero_is_the_start_state() -> None:
    p = simulate(SYNTH, zero_drivers(4), 4)
    assert p["reserves"][0] == pytest.approx(SYNTH.reserves)
    assert p["other"][0] == pytest.approx(SYNTH.other)


def test_all_drivers_zero_keeps_reserves_flat_except_currency() -> None:
    weeks = 52
    flat = simulate(SYNTH, zero_drivers(weeks), weeks)
    np.testing.assert_allclose(flat["reserves"], SYNTH.reserves)
    grow = simulate(SYNTH, replace(zero_drivers(weeks), currency_growth_pct=4.0), weeks)
    currency_rise = grow["currency"] - SYNTH.currency
    np.testing.assert_allclose(grow["reserves"], SYNTH.reserves - currency_rise)
    assert grow["currency"][-1] == pytest.approx(2400.0 * 1.04)
    assert np.all(np.diff(grow["reserves"]) < 0)


def test_raising_runoff_lowers_reserves_monotonically() -> None:
    weeks = 40
    ends = []
    for runoff in (0.0, 10.0, 25.0, 60.0, 95.0):
        d = replace(zero_drivers(weeks), treasury_runoff=np.full(weeks, runoff))
        path = simulate(SYNTH, d, weeks)["reserves"]
        ends.append(path[-1])
        if runoff > 0:
            assert np.all(np.diff(path) < 0)
    assert all(a > b for a, b in itertools.pairwise(ends))


def test_mbs_excess_reinvested_in_treasuries_keeps_soma_flat() -> None:
    weeks = 10
    d = replace(zero_drivers(weeks), mbs_paydown=15.0, mbs_excess_to_treasury=np.ones(weeks, bool))
    p = simulate(SYNTH, d, weeks)
    np.testing.assert_allclose(p["treasuries"] + p["mbs"], SYNTH.treasuries + SYNTH.mbs)
    assert p["mbs"][-1] == pytest.approx(SYNTH.mbs - 15.0 * WEEK_FACTOR * weeks)
    np.testing.assert_allclose(p["reserves"], SYNTH.reserves)


def test_threshold_dates_on_a_hand_computed_case() -> None:
    """Synthetic case: runoff 52bn/month = 12bn a week, TGA +20bn a week for 5 weeks.

    Reserves: 3100 -> 3068 (wk1: -12-20) -> 3036 -> 3004 -> 2972 (wk4) -> ...
    After week 5 (2940) the TGA is flat: -12 a week; 2940 - 12*k < 2500 first at k = 37,
    i.e. week 42. Week 4 = 2030-01-30 (first below 3000); week 42 = 2030-10-23.
    """
    weeks = 60
    tga = SYNTH.tga + 20.0 * np.minimum(np.arange(weeks + 1), 5)
    d = replace(zero_drivers(weeks), treasury_runoff=np.full(weeks, 52.0), tga=tga)
    p = simulate(SYNTH, d, weeks)
    dates = week_dates(SYNTH.date, weeks)
    assert p["reserves"][:6] == pytest.approx([3100, 3068, 3036, 3004, 2972, 2940])
    assert first_crossing(dates, p["reserves"], 3000.0) == date(2030, 1, 30)
    assert first_crossing(dates, p["reserves"], 2500.0) == date(2030, 10, 23)
    assert first_crossing(dates, p["reserves"], 100.0) is None
    assert first_crossing(dates, p["reserves"], 3200.0) == date(2030, 1, 2)


def test_abundant_on_rrp_funds_a_tga_rebuild_over_weeks() -> None:
    """ON RRP of 1,000bn, share 1: a one-off TGA rise of 200bn in week 1 comes out of reserves
    at first, then out of ON RRP as it closes a fifth of the gap each week."""
    weeks = 30
    s0 = replace(SYNTH, on_rrp=1000.0, reserves=2200.0)
    tga = np.full(weeks + 1, s0.tga + 200.0)
    tga[0] = s0.tga
    d = replace(zero_drivers(weeks), tga=tga, rrp_share=1.0)
    p = simulate(s0, d, weeks)
    gap = 200.0 * (1.0 - RRP_SPEED) ** np.arange(1, weeks + 1)
    np.testing.assert_allclose(p["on_rrp"][1:], 800.0 + gap)
    assert p["reserves"][1] == pytest.approx(2200.0 - 200.0 * (1.0 - RRP_SPEED))
    assert p["reserves"][-1] == pytest.approx(2200.0, abs=1.0)


def test_on_rrp_at_its_floor_leaves_the_drain_to_reserves() -> None:
    weeks = 10
    s0 = replace(SYNTH, on_rrp=30.0, reserves=3170.0)  # below floor + 50bn: not abundant
    tga = np.full(weeks + 1, s0.tga + 100.0)
    tga[0] = s0.tga
    p = simulate(s0, replace(zero_drivers(weeks), tga=tga, rrp_share=1.0), weeks)
    np.testing.assert_allclose(p["on_rrp"], 30.0)
    np.testing.assert_allclose(p["reserves"][1:], 3070.0)


def test_on_rrp_never_funds_drains_below_its_floor() -> None:
    weeks = 80
    s0 = replace(SYNTH, on_rrp=400.0, reserves=2800.0)
    runoff = np.full(weeks, 100.0)  # about 23bn a week
    d = replace(zero_drivers(weeks), treasury_runoff=runoff, rrp_share=1.0, rrp_floor=200.0)
    p = simulate(s0, d, weeks)
    assert p["on_rrp"].min() >= 200.0 - 1e-9
    assert p["on_rrp"][-1] == pytest.approx(200.0, abs=60.0)
    total = runoff.sum() * WEEK_FACTOR
    # What ON RRP did not fund fell on reserves.
    assert p["reserves"][-1] == pytest.approx(2800.0 - total + (400.0 - p["on_rrp"][-1]))


def test_other_reverts_to_its_level_and_its_trend_fades() -> None:
    weeks = 200
    d = replace(zero_drivers(weeks), other_level=SYNTH.other + 10.0, other_trend=-2.0)
    p = simulate(SYNTH, d, weeks)
    assert p["other"][1] == pytest.approx(SYNTH.other + 5.0 - 2.0)
    total = -2.0 / (1.0 - OTHER_TREND_DAMPING)
    assert p["other"][-1] == pytest.approx(SYNTH.other + 10.0 + total, abs=0.01)


def test_programme_lending_running_off_drains_reserves() -> None:
    weeks = 10
    lending = np.linspace(100.0, 0.0, weeks + 1)
    p = simulate(SYNTH, replace(zero_drivers(weeks), lending=lending), weeks)
    np.testing.assert_allclose(p["reserves"], SYNTH.reserves - (100.0 - lending))
    np.testing.assert_allclose(p["total_assets"], SYNTH.total_assets - (100.0 - lending))


def test_week_dates_are_weekly() -> None:
    d = week_dates(date(2030, 1, 2), 3)
    assert list(d) == list(pd.to_datetime(["2030-01-02", "2030-01-09", "2030-01-16",
                                           "2030-01-23"]))
