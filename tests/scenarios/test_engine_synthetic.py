"""Projection engine on synthetic, hand-computable inputs (no real data)."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
import pytest

from liqwatch.scenarios.engine import (
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
    z = np.zeros(weeks)
    return Drivers(
        treasury_cap=z, mbs_cap=z, mbs_excess_to_treasury=np.zeros(weeks, bool),
        treasury_purchases=z, mbs_purchases=z, mbs_paydown=0.0, tga_target=None, tga_by=None,
        rrp_floor=SYNTH.on_rrp, rrp_half_life_weeks=0.0, currency_growth_pct=0.0,
        other_trend=0.0, srf=0.0,
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
    for cap in (0.0, 10.0, 25.0, 60.0, 95.0):
        d = replace(zero_drivers(weeks), treasury_cap=np.full(weeks, cap))
        path = simulate(SYNTH, d, weeks)["reserves"]
        ends.append(path[-1])
        if cap > 0:
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
    d = replace(
        zero_drivers(weeks), treasury_cap=np.full(weeks, 52.0),
        tga_target=900.0, tga_by=date(2030, 2, 6),  # 5 weeks after the start
    )
    p = simulate(SYNTH, d, weeks)
    dates = week_dates(SYNTH.date, weeks)
    assert p["reserves"][:6] == pytest.approx([3100, 3068, 3036, 3004, 2972, 2940])
    assert first_crossing(dates, p["reserves"], 3000.0) == date(2030, 1, 30)
    assert first_crossing(dates, p["reserves"], 2500.0) == date(2030, 10, 23)
    assert first_crossing(dates, p["reserves"], 100.0) is None
    assert first_crossing(dates, p["reserves"], 3200.0) == date(2030, 1, 2)


def test_rrp_decays_toward_floor_with_half_life() -> None:
    weeks = 8
    d = replace(zero_drivers(weeks), rrp_floor=20.0, rrp_half_life_weeks=4.0)
    p = simulate(SYNTH, d, weeks)
    assert p["on_rrp"][4] == pytest.approx(20.0 + 80.0 / 2)
    assert p["on_rrp"][8] == pytest.approx(20.0 + 80.0 / 4)
    # The drained ON RRP becomes reserves.
    assert p["reserves"][8] - SYNTH.reserves == pytest.approx(60.0)


def test_week_dates_are_weekly() -> None:
    d = week_dates(date(2030, 1, 2), 3)
    assert list(d) == list(pd.to_datetime(["2030-01-02", "2030-01-09", "2030-01-16",
                                           "2030-01-23"]))
