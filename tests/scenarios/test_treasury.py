"""The Treasury's cash path on made-up announcements (dates in 2030, not real figures).

The made-up "quarter ends" fall on Wednesdays so that a weekly path passes through them.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from liqwatch.scenarios.announcements import Announcements, CashAssumption, DebtLimitEvent
from liqwatch.scenarios.treasury import cash_path

START = date(2030, 1, 2)
DATES = pd.date_range(pd.Timestamp(START), periods=53, freq="7D")
Q1, Q2 = date(2030, 3, 27), date(2030, 6, 26)
QRA = (CashAssumption(Q1, 700.0, date(2029, 12, 20), "made up"),
       CashAssumption(Q2, 900.0, date(2029, 12, 20), "made up"))


def _at(values: np.ndarray, day: date) -> float:
    return float(np.interp((pd.Timestamp(day) - pd.Timestamp(START)).days,
                           (DATES - pd.Timestamp(START)).days.to_numpy(float), values))


def test_path_runs_through_each_assumption_then_holds() -> None:
    cp = cash_path(START, 500.0, DATES, Announcements(cash=QRA))
    assert cp.values[0] == 500.0
    assert _at(cp.values, Q1) == pytest.approx(700.0)
    assert _at(cp.values, Q2) == pytest.approx(900.0)
    assert cp.values[-1] == pytest.approx(900.0)
    assert cp.after_last == Q2 and len(cp.anchors) == 2


def test_seasonal_pattern_is_bridged_to_meet_the_assumptions() -> None:
    steps = np.tile([30.0, -10.0, -10.0, -10.0], 13)[:52]
    cp = cash_path(START, 500.0, DATES, Announcements(cash=QRA), seasonal_steps=steps)
    flat = cash_path(START, 500.0, DATES, Announcements(cash=QRA))
    assert _at(cp.values, Q1) == pytest.approx(700.0, abs=1e-6)
    assert _at(cp.values, Q2) == pytest.approx(900.0, abs=1e-6)
    assert np.abs(cp.values - flat.values).max() > 15.0  # the tax-date swings are there


def test_unresolved_debt_limit_holds_the_tga_down_for_the_horizon() -> None:
    limit = DebtLimitEvent("2030", date(2030, 2, 1), None, date(2029, 6, 1), "made up")
    cp = cash_path(START, 500.0, DATES, Announcements(cash=QRA, debt_limits=(limit,)))
    held = _at(cash_path(START, 500.0, DATES, Announcements(cash=QRA)).values,
               date(2030, 2, 1))
    assert cp.hold is not None and cp.hold.held_until is None
    assert cp.hold.level_bn == pytest.approx(held)
    after = pd.Timestamp("2030-02-01") <= DATES
    assert cp.values[after].max() <= held + 1e-9


def test_announced_resolution_lets_the_tga_rebuild() -> None:
    binding = DebtLimitEvent("2030", date(2030, 2, 1), None, date(2029, 6, 1), "made up")
    resolved = DebtLimitEvent("2030", date(2030, 2, 1), date(2030, 4, 15), date(2030, 4, 15),
                              "made up")
    ann = Announcements(cash=QRA, debt_limits=(binding, resolved))
    before = cash_path(START, 500.0, DATES, ann.known_by(date(2030, 1, 3)))
    known = cash_path(START, 500.0, DATES, ann.known_by(date(2030, 4, 16)))
    assert before.values[-1] < 700.0  # still held
    assert known.hold is not None and known.hold.held_until == date(2030, 4, 15)
    assert _at(known.values, Q2) == pytest.approx(900.0)
    assumed = cash_path(START, 500.0, DATES, ann.known_by(date(2030, 1, 3)),
                        debt_limit_resolved=date(2030, 4, 15))
    assert assumed.hold is not None and assumed.hold.resolution_assumed
    np.testing.assert_allclose(assumed.values, known.values)


def test_without_assumptions_the_tga_is_held_and_a_user_target_replaces_them() -> None:
    assert np.all(cash_path(START, 500.0, DATES, Announcements()).values == 500.0)
    cp = cash_path(START, 500.0, DATES, Announcements(cash=QRA), target=600.0,
                   target_by=date(2030, 1, 30))
    assert cp.user and cp.values[4] == pytest.approx(600.0) and cp.values[-1] == 600.0
