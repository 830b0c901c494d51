"""The weekly projection engine: pure arithmetic on the identity, no I/O.

Week ``k`` (``k = 0`` is the last published week, the start) is dated ``start + 7k`` days.
Monthly amounts (runoff, paydowns, purchases) are spread evenly over weeks: a week carries
``12/52`` of the monthly amount of the month its Wednesday falls in. All amounts USD bn.

Asset side::

    treasuries_k = treasuries_{k-1} - Treasury runoff + reinvested MBS excess + purchases
    mbs_k        = mbs_{k-1} - paydown (or only min(paydown, cap) when the excess is
                   reinvested in MBS) + MBS purchases
    total_assets_k = total_assets_0 + change in SOMA + change in programme lending
                     + trend of other assets + (srf - repo_0)

Liability side: the TGA follows its resolved path (the Treasury's cash path); currency grows at
its trend; "other" reverts to its recent median and moves by its fading trend; foreign RRP is
flat.
**ON RRP** funds the system's net drains while it stands above its floor: each week its target
falls by ``share`` x (rise in TGA + currency + other + foreign RRP - assets), plus its recent
unexplained trend fading with a four-week half-life; ON RRP closes a fifth of the gap to that
target each week (money funds move into bills over weeks, not at once). Reserves are the
identity's residual.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

__all__ = [
    "OTHER_TREND_DAMPING",
    "RRP_ABUNDANT_BN",
    "RRP_DRIFT_HALF_LIFE",
    "RRP_SPEED",
    "WEEK_FACTOR",
    "Drivers",
    "StartState",
    "first_crossing",
    "rrp_path",
    "simulate",
    "week_dates",
]

WEEK_FACTOR = 12.0 / 52.0
#: Share of the gap to its target ON RRP closes each week.
RRP_SPEED = 0.2
#: Half-life (weeks) of ON RRP's recent unexplained trend.
RRP_DRIFT_HALF_LIFE = 4.0
#: ON RRP funds drains only while its target exceeds the floor by this much (USD bn).
RRP_ABUNDANT_BN = 50.0
#: The trend of "other" liabilities fades by this factor each week (about 20 weeks of it in
#: all): it is mostly the Fed's deferred asset, whose pace changes with rates and reserves.
OTHER_TREND_DAMPING = 0.95


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
    treasury_runoff
        Treasury securities running off (USD bn a month) each week.
    mbs_cap
        MBS runoff cap (USD bn a month) each week.
    mbs_excess_to_treasury
        Each week: MBS paydowns above the cap are reinvested in Treasuries (``True``) or MBS.
    treasury_purchases, mbs_purchases
        Gross purchases (QE and reserve-management bills), USD bn a month, each week.
    mbs_paydown
        Monthly MBS principal paydowns.
    tga
        TGA path, weeks 0..N.
    rrp_floor, rrp_share, rrp_drift
        ON RRP never funds drains below ``rrp_floor``; ``rrp_share`` of each week's net drain
        comes out of ON RRP while it is above the floor; ``rrp_drift`` (USD bn a week) is its
        recent unexplained trend, fading with :data:`RRP_DRIFT_HALF_LIFE`.
    currency_growth_pct
        Annual growth of currency in circulation.
    other_level, other_trend
        "Other" liabilities and capital revert to ``other_level`` (one-week half-life) and
        move by ``other_trend`` USD bn a week, fading by :data:`OTHER_TREND_DAMPING` a week.
    other_assets_trend
        Weekly change of other assets outside programmes.
    lending
        Programme lending with announced ends, weeks 0..N.
    srf
        Standing Repo Facility / repo usage held at this level from week 1.
    rrp_path
        An explicit ON RRP path (weeks 0..N) replacing the model (replays, validation).
    """

    treasury_runoff: np.ndarray
    mbs_cap: np.ndarray
    mbs_excess_to_treasury: np.ndarray
    treasury_purchases: np.ndarray
    mbs_purchases: np.ndarray
    mbs_paydown: float
    tga: np.ndarray
    rrp_floor: float
    rrp_share: float
    rrp_drift: float
    currency_growth_pct: float
    other_level: float
    other_trend: float
    other_assets_trend: float
    lending: np.ndarray
    srf: float
    rrp_path: np.ndarray | None = None


def week_dates(start: date, weeks: int) -> pd.DatetimeIndex:
    """Dates of weeks ``0..weeks``."""
    return pd.date_range(pd.Timestamp(start), periods=weeks + 1, freq="7D")


def rrp_path(rrp0: float, drain: np.ndarray, d: Drivers) -> np.ndarray:
    """ON RRP for weeks 0..N given the net drain of the other items (levels, weeks 0..N)."""
    out = np.empty(len(drain))
    out[0] = level = target = rrp0
    steps = np.diff(drain)
    for i, step in enumerate(steps):
        if target > d.rrp_floor + RRP_ABUNDANT_BN:
            target = max(target - d.rrp_share * step, d.rrp_floor)
        target = max(target + d.rrp_drift * 0.5 ** (i / RRP_DRIFT_HALF_LIFE), 0.0)
        level += RRP_SPEED * (target - level)
        out[i + 1] = level
    return out


def simulate(s0: StartState, d: Drivers, weeks: int) -> dict[str, np.ndarray]:
    """Project every component for ``weeks`` weeks.

    Returns
    -------
    dict
        Arrays of length ``weeks + 1`` (week 0 = start): ``reserves, total_assets, tga,
        on_rrp, foreign_rrp, currency, other, treasuries, mbs, repo, lending``.
    """
    k = np.arange(weeks + 1, dtype=float)
    pay = d.mbs_paydown
    ran_off = np.minimum(pay, d.mbs_cap)
    excess = pay - ran_off
    to_t = d.mbs_excess_to_treasury
    d_mbs = -np.where(to_t, pay, ran_off) + d.mbs_purchases
    d_tsy = -d.treasury_runoff + np.where(to_t, excess, 0.0) + d.treasury_purchases
    tsy = s0.treasuries + np.concatenate([[0.0], np.cumsum(d_tsy * WEEK_FACTOR)])
    mbs = s0.mbs + np.concatenate([[0.0], np.cumsum(d_mbs * WEEK_FACTOR)])
    repo = np.full(weeks + 1, d.srf)
    repo[0] = s0.repo
    lending = np.asarray(d.lending[: weeks + 1], float)
    assets = (s0.total_assets + (tsy - s0.treasuries) + (mbs - s0.mbs)
              + (lending - lending[0]) + d.other_assets_trend * k + (repo - s0.repo))
    tga = np.asarray(d.tga[: weeks + 1], float)
    foreign = np.full(weeks + 1, s0.foreign_rrp)
    currency = s0.currency * (1.0 + d.currency_growth_pct / 100.0) ** (k / 52.0)
    damped = (1.0 - OTHER_TREND_DAMPING ** k) / (1.0 - OTHER_TREND_DAMPING)
    other = s0.other + (d.other_level - s0.other) * (1.0 - 0.5 ** k) + d.other_trend * damped
    if d.rrp_path is not None:
        rrp = np.asarray(d.rrp_path[: weeks + 1], float)
    else:
        rrp = rrp_path(s0.on_rrp, tga + currency + other + foreign - assets, d)
    reserves = assets - tga - rrp - foreign - currency - other
    return {
        "reserves": reserves, "total_assets": assets, "tga": tga, "on_rrp": rrp,
        "foreign_rrp": foreign, "currency": currency, "other": other, "treasuries": tsy,
        "mbs": mbs, "repo": repo, "lending": lending,
    }


def first_crossing(dates: pd.DatetimeIndex, values: np.ndarray, level: float) -> date | None:
    """Date of the first week whose value is below ``level`` (``None`` if never)."""
    below = np.flatnonzero(np.asarray(values) < level)
    if below.size == 0:
        return None
    when: date = pd.Timestamp(dates[below[0]]).date()
    return when
