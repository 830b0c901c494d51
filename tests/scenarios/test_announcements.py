"""The dated announcements shipped with liqwatch: sourced, consistent, known point in time."""

from __future__ import annotations

from datetime import date

import pytest

from liqwatch.scenarios.announcements import (
    CashAssumption,
    DebtLimitEvent,
    PolicyRow,
    packaged_announcements,
)

ANN = packaged_announcements()


def test_treasury_cash_assumptions_are_quarter_ends_with_their_press_release() -> None:
    assert len(ANN.cash) >= 40
    for a in ANN.cash:
        assert (a.quarter_end.month, a.quarter_end.day) in ((3, 31), (6, 30), (9, 30), (12, 31))
        assert "Treasury Announces Marketable Borrowing Estimates" in a.source
        assert a.balance_bn > 0
        # Made in the quarter before or in the quarter itself.
        assert 0 < (a.quarter_end - a.announced).days < 190, a
    # Each refunding states two quarters.
    days = {a.announced for a in ANN.cash}
    assert all(sum(a.announced == d for a in ANN.cash) == 2 for d in days)


def test_the_latest_assumption_for_a_quarter_wins_as_known_then() -> None:
    """The end-of-September 2019 balance: 85bn on 29 Apr 2019 (limit binding), 350bn on
    29 Jul 2019."""
    q3 = date(2019, 9, 30)
    assert ANN.known_by(date(2019, 5, 1)).cash_assumptions()[q3].balance_bn == 85.0
    assert ANN.known_by(date(2019, 7, 29)).cash_assumptions()[q3].balance_bn == 350.0
    assert q3 not in ANN.known_by(date(2019, 4, 28)).cash_assumptions()
    assert ANN.cash_assumptions()[date(2025, 9, 30)].announced == date(2025, 7, 28)


def test_debt_limit_periods_resolve_only_once_enacted() -> None:
    on = {p.period: p for p in ANN.known_by(date(2019, 6, 1)).debt_limit_periods()}
    assert on["2019"].binding_from == date(2019, 3, 2) and on["2019"].resolved_on is None
    later = {p.period: p for p in ANN.known_by(date(2019, 8, 2)).debt_limit_periods()}
    assert later["2019"].resolved_on == date(2019, 8, 2)
    assert "2023" not in on
    for p in ANN.debt_limit_periods():
        assert p.resolved_on is None or p.resolved_on > p.binding_from
        assert p.source


def test_btfp_runs_off_by_march_2025() -> None:
    (btfp,) = ANN.known_by(date(2024, 6, 1)).programs()
    assert btfp.program == "BTFP" and btfp.last_maturity == date(2025, 3, 11)
    assert ANN.known_by(date(2023, 3, 11)).programs() == []


def test_plus_adds_rows_and_known_by_filters_them() -> None:
    row = CashAssumption(date(2031, 3, 31), 999.0, date(2031, 1, 27), "made up for a test")
    more = ANN.plus(row, DebtLimitEvent("2031", date(2031, 2, 1), None, date(2030, 12, 1),
                                        "made up"))
    assert more.cash_assumptions()[date(2031, 3, 31)].balance_bn == 999.0
    assert date(2031, 3, 31) not in more.known_by(date(2031, 1, 26)).cash_assumptions()
    assert len(more.debt_limits) == len(ANN.debt_limits) + 1
    with pytest.raises(Exception, match="not an announcement"):
        ANN.plus("nope")  # type: ignore[arg-type]
    assert isinstance(ANN.policy[0], PolicyRow)
