"""The weekly projection engine: pure arithmetic on the identity, no I/O.

Week ``k`` (``k = 0`` is the last published week, the start) is dated ``start + 7k`` days.
Monthly amounts (caps, paydowns, purchases) are spread evenly over weeks: a week carries
``12/52`` of the monthly amount of the month its Wednesday falls in. All amounts USD bn.

Asset side::

    treasuries_k = treasuries_{k-1} - cap_T + reinvested MBS excess + Treasury/bill purchases
    mbs_k        = mbs_{k-1} - paydown (or only min(paydown, cap_M) when the excess is
                   reinvested in MBS) + MBS purchases
    total_assets_k = total_assets_0 + change in SOMA + (srf - repo_0)

Liability side: TGA linear to its target by its date (then flat) or flat; ON RRP decays toward
its floor with a half-life; foreign RRP flat; currency grows at its trend; other moves by its
weekly trend. Reserves are the identity's residual of these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

__all__ = ["WEEK_FACTOR", "Drivers", "StartState", "first_crossing", "simulate"]

WEEK_FACTOR = 12.0 / 52.0


@dataclass(frozen=True)
class StartState:
    """Week-0 values (USD bn) on the identity's week-average basis."""

    date: date
    reserves: float
    total_assets: float
    tga: float
    on_rrp: float
    foreign_rrp: float
    currency: float
    treasuries: float
    mbs: float
    repo: float

    @property
    def other(self) -> float:
        """The identity residual at the start."""
        return (
            self.total_assets - self.tga - self.on_rrp - self.foreign_rrp - self.currency
            - self.reserves
        )


@dataclass(frozen=True)
class Drivers:
    """Resolved drivers of one projection; policy arrays have one value per week 1..N.

    Attributes
    ----------
    treasury_cap, mbs_cap
        Monthly runoff caps (USD bn a month) in force each week.
    mbs_excess_to_treasury
        Each week: MBS paydowns above the cap are reinvested in Treasuries (``True``) or MBS.
    treasury_purchases, mbs_purchases
        Gross purchases (QE and reserve-management bills), USD bn a month, each week.
    mbs_paydown
        Monthly MBS principal paydowns.
    tga_target, tga_by
        TGA level reached linearly by ``tga_by`` (``None``: flat); ``tga_changes`` (optional,
        one per week) replaces both with an explicit path of weekly changes.
    rrp_changes
        Optional explicit weekly changes of ON RRP (replaces the decay; used by replays).
    tga_seasonal
        Optional seasonal weekly TGA changes (summing to about zero over a year) added on top
        of the TGA path: tax dates raise it, spending days lower it.
    rrp_floor, rrp_half_life_weeks
        ON RRP decays toward the floor (it never rises toward it).
    currency_growth_pct
        Annual growth of currency in circulation.
    other_trend
        Weekly change of "other" liabilities and capital (USD bn a week).
    srf
        Standing Repo Facility / repo usage held at this level from week 1.
    """

    treasury_cap: np.ndarray
    mbs_cap: np.ndarray
    mbs_excess_to_treasury: np.ndarray
    treasury_purchases: np.ndarray
    mbs_purchases: np.ndarray
    mbs_paydown: float
    tga_target: float | None
    tga_by: date | None
    rrp_floor: float
    rrp_half_life_weeks: float
    currency_growth_pct: float
    other_trend: float
    srf: float
    tga_changes: np.ndarray | None = None
    rrp_changes: np.ndarray | None = None
    tga_seasonal: np.ndarray | None = None


def week_dates(start: date, weeks: int) -> pd.DatetimeIndex:
    """Dates of weeks ``0..weeks``."""
    return pd.date_range(pd.Timestamp(start), periods=weeks + 1, freq="7D")


def simulate(s0: StartState, d: Drivers, weeks: int) -> dict[str, np.ndarray]:
    """Project every component for ``weeks`` weeks.

    Returns
    -------
    dict
        Arrays of length ``weeks + 1`` (week 0 = start): ``reserves, total_assets, tga,
        on_rrp, foreign_rrp, currency, other, treasuries, mbs, repo``.
    """
    k = np.arange(weeks + 1, dtype=float)
    pay = d.mbs_paydown
    ran_off = np.minimum(pay, d.mbs_cap)
    excess = pay - ran_off
    to_t = d.mbs_excess_to_treasury
    d_mbs = -np.where(to_t, pay, ran_off) + d.mbs_purchases
    d_tsy = -d.treasury_cap + np.where(to_t, excess, 0.0) + d.treasury_purchases
    tsy = s0.treasuries + np.concatenate([[0.0], np.cumsum(d_tsy * WEEK_FACTOR)])
    mbs = s0.mbs + np.concatenate([[0.0], np.cumsum(d_mbs * WEEK_FACTOR)])
    repo = np.full(weeks + 1, d.srf)
    repo[0] = s0.repo
    assets = s0.total_assets + (tsy - s0.treasuries) + (mbs - s0.mbs) + (repo - s0.repo)
    tga = _tga_path(s0, d, weeks)
    if d.rrp_changes is not None:
        steps = np.zeros(weeks)
        n = min(weeks, len(d.rrp_changes))
        steps[:n] = d.rrp_changes[:n]
        rrp = np.maximum(s0.on_rrp + np.concatenate([[0.0], np.cumsum(steps)]), 0.0)
    elif s0.on_rrp > d.rrp_floor and d.rrp_half_life_weeks > 0:
        rrp = d.rrp_floor + (s0.on_rrp - d.rrp_floor) * 0.5 ** (k / d.rrp_half_life_weeks)
    else:
        rrp = np.full(weeks + 1, s0.on_rrp)
    foreign = np.full(weeks + 1, s0.foreign_rrp)
    currency = s0.currency * (1.0 + d.currency_growth_pct / 100.0) ** (k / 52.0)
    other = s0.other + d.other_trend * k
    reserves = assets - tga - rrp - foreign - currency - other
    return {
        "reserves": reserves, "total_assets": assets, "tga": tga, "on_rrp": rrp,
        "foreign_rrp": foreign, "currency": currency, "other": other, "treasuries": tsy,
        "mbs": mbs, "repo": repo,
    }


def _tga_path(s0: StartState, d: Drivers, weeks: int) -> np.ndarray:
    base = _tga_base(s0, d, weeks)
    if d.tga_seasonal is None:
        return base
    steps = np.zeros(weeks)
    n = min(weeks, len(d.tga_seasonal))
    steps[:n] = d.tga_seasonal[:n]
    return np.asarray(base + np.concatenate([[0.0], np.cumsum(steps)]), dtype=float)


def _tga_base(s0: StartState, d: Drivers, weeks: int) -> np.ndarray:
    if d.tga_changes is not None:
        steps = np.zeros(weeks)
        n = min(weeks, len(d.tga_changes))
        steps[:n] = d.tga_changes[:n]
        return s0.tga + np.concatenate([[0.0], np.cumsum(steps)])
    if d.tga_target is None:
        return np.full(weeks + 1, s0.tga)
    horizon = d.tga_by if d.tga_by is not None else s0.date
    span = max((pd.Timestamp(horizon) - pd.Timestamp(s0.date)).days / 7.0, 1.0)
    k = np.arange(weeks + 1, dtype=float)
    frac = np.clip(k / span, 0.0, 1.0)
    return np.asarray(s0.tga + (d.tga_target - s0.tga) * frac, dtype=float)


def first_crossing(dates: pd.DatetimeIndex, values: np.ndarray, level: float) -> date | None:
    """Date of the first week whose value is below ``level`` (``None`` if never)."""
    below = np.flatnonzero(np.asarray(values) < level)
    if below.size == 0:
        return None
    when: date = pd.Timestamp(dates[below[0]]).date()
    return when
