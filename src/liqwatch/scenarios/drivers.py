"""Driver assumptions: what the user sets, and defaults estimated from recent data.

Every field of :class:`Assumptions` left as ``None`` is filled from data available on the
start date (see :func:`resolve`); each resolved value records where it came from.

Default models (all in USD bn):

* Treasury and MBS runoff caps, purchases: the announced policy in force each month, as
  announced by the start date (:mod:`liqwatch.scenarios.policy`). Treasury runoff equals the
  cap (bills are redeemed when coupon maturities fall short).
* MBS paydowns: the average monthly decline of MBS holdings over the last 13 weeks (before
  ``WSHOMCB`` starts in 2021, of non-Treasury, non-repo assets); when holdings are not falling
  (principal reinvested), paydowns are not observable and 15bn a month is assumed.
* TGA: flat at its last week average, or a ``tga_target`` reached linearly by ``tga_by``.
* ON RRP: when it fell over the last 13 weeks (median of the last four weeks below 90% of
  that of the first four), decays toward zero with the half-life of that
  decline (clipped to 4..104 weeks); otherwise flat.
* Currency: its 52-week log-linear growth rate.
* Other liabilities and capital: its 26-week linear trend (per week).
* SRF / repo: the average of the last 4 weeks.
* TGA seasonality (optional): the median weekly TGA change by week of the year over the last
  five years (the median resists debt-limit episodes), less its mean (so it adds no trend),
  smoothed over three weeks.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from liqwatch.exceptions import ConfigError
from liqwatch.scenarios.engine import Drivers, StartState, week_dates
from liqwatch.scenarios.policy import monthly_policy

__all__ = ["Assumptions", "Resolved", "resolve", "start_state"]

_MBS_FALLBACK = 15.0


@dataclass(frozen=True)
class Assumptions:
    """User-settable assumptions (``None`` = announced policy or estimated default).

    Attributes
    ----------
    treasury_cap, mbs_cap
        Monthly runoff caps, USD bn a month, for the whole horizon.
    purchases
        Net Treasury (bill) purchases, USD bn a month, replacing every announced purchase.
    mbs_paydown
        Monthly MBS paydowns.
    tga_target, tga_by
        TGA target level and the date it is reached.
    rrp_floor, rrp_half_life_weeks
        ON RRP floor and decay half-life.
    currency_growth_pct
        Annual currency growth in percent.
    other_trend
        Weekly change of other liabilities and capital.
    srf
        Standing Repo Facility usage (level).
    bank_assets_bn, bank_assets_growth_pct
        Commercial-bank assets now, and their annual growth after the last observation.
    tga_seasonality
        Add the average seasonal pattern of weekly TGA changes (tax dates) to the TGA path.
    policy_known_by
        Announcements counted (default: the start date); ``monthly_override`` and
        ``tga_changes`` / ``rrp_changes`` (weekly changes) are used by replays.
    """

    treasury_cap: float | None = None
    mbs_cap: float | None = None
    purchases: float | None = None
    mbs_paydown: float | None = None
    tga_target: float | None = None
    tga_by: date | None = None
    rrp_floor: float | None = None
    rrp_half_life_weeks: float | None = None
    currency_growth_pct: float | None = None
    other_trend: float | None = None
    srf: float | None = None
    bank_assets_bn: float | None = None
    bank_assets_growth_pct: float | None = None
    monthly_override: pd.DataFrame | None = None
    tga_changes: tuple[float, ...] | None = None
    rrp_changes: tuple[float, ...] | None = None
    tga_seasonality: bool | None = None

    def updated(self, **overrides: Any) -> Assumptions:
        """A copy with the given non-``None`` fields replaced; unknown names raise."""
        names = {f.name for f in fields(self)}
        bad = sorted(set(overrides) - names)
        if bad:
            raise ConfigError(
                f"unknown scenario assumption(s) {bad}; known: {sorted(names)}"
            )
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


@dataclass(frozen=True)
class Resolved:
    """Drivers ready for the engine, and where each assumption came from."""

    drivers: Drivers
    origin: dict[str, str]
    values: dict[str, Any]


def start_state(bs: pd.DataFrame) -> StartState:
    """Week-0 state (USD bn) from the last row of a :func:`balance_sheet` frame."""
    row = bs.iloc[-1]
    mbs = row["mbs"]
    return StartState(
        date=pd.Timestamp(bs.index[-1]).date(),
        reserves=float(row["reserves"]) / 1e3,
        total_assets=float(row["total_assets"]) / 1e3,
        tga=float(row["tga"]) / 1e3,
        on_rrp=float(row["on_rrp"]) / 1e3,
        foreign_rrp=float(row["foreign_rrp"]) / 1e3,
        currency=float(row["currency"]) / 1e3,
        treasuries=float(row["treasuries"]) / 1e3,
        mbs=0.0 if pd.isna(mbs) else float(mbs) / 1e3,
        repo=0.0 if pd.isna(row["repo"]) else float(row["repo"]) / 1e3,
    )


def _slope(values: pd.Series) -> float:
    v = values.dropna()
    if len(v) < 3:
        return 0.0
    return float(np.polyfit(np.arange(len(v), dtype=float), v.to_numpy(float), 1)[0])


def _estimate(bs: pd.DataFrame, policy0: pd.Series) -> dict[str, tuple[float, str]]:
    bn = bs.drop(columns=["estimated"]) / 1e3
    out: dict[str, tuple[float, str]] = {}
    tail = bn.iloc[-14:]
    mbs = tail["mbs"]
    if mbs.notna().all() and len(mbs) == 14:
        drop = -(mbs.iloc[-1] - mbs.iloc[0]) / 13.0 * 52.0 / 12.0
        how = "13-week decline of MBS holdings (WSHOMCB)"
    else:
        other_assets = tail["total_assets"] - tail["treasuries"] - tail["repo"].fillna(0.0)
        drop = -(other_assets.iloc[-1] - other_assets.iloc[0]) / 13.0 * 52.0 / 12.0
        how = "13-week decline of non-Treasury, non-repo assets (MBS proxy before WSHOMCB)"
    reinvesting = policy0["mbs_cap"] == 0 and policy0["mbs_excess_to"] == "mbs"
    if drop <= 0.5 or reinvesting or policy0["mbs_purchases"] > 0:
        out["mbs_paydown"] = (_MBS_FALLBACK, "assumed (paydowns not observable while reinvested)")
    else:
        out["mbs_paydown"] = (float(drop), f"estimated: {how}")
    rrp = bn["on_rrp"].iloc[-14:]
    # Medians of the first and last four weeks: robust to quarter-end spikes.
    early, late = float(rrp.iloc[:4].median()), float(rrp.iloc[-4:].median())
    if len(rrp) == 14 and late < 0.9 * early and late > 1.0:
        rate = np.log(early / late) / 10.0
        half = float(np.clip(np.log(2.0) / rate, 4.0, 104.0))
        out["rrp_floor"] = (0.0, "assumed: decays toward zero (it fell over 13 weeks)")
        out["rrp_half_life_weeks"] = (half, "estimated: 13-week decline of ON RRP")
    else:
        out["rrp_floor"] = (float(bn["on_rrp"].iloc[-1]), "flat (no decline over 13 weeks)")
        out["rrp_half_life_weeks"] = (0.0, "flat")
    cur = bn["currency"].iloc[-53:].dropna()
    x = (cur.index - cur.index[0]).days.to_numpy(float) / 365.25
    g = float(np.expm1(np.polyfit(x, np.log(cur.to_numpy(float)), 1)[0]) * 100.0)
    out["currency_growth_pct"] = (g, "estimated: 52-week log-linear trend of currency")
    out["other_trend"] = (_slope(bn["other"].iloc[-26:]), "estimated: 26-week linear trend")
    srf = bn["repo"].iloc[-4:].fillna(0.0)
    out["srf"] = (float(srf.mean()), "estimated: 4-week average of repo / SRF usage")
    return out


def resolve(bs: pd.DataFrame, a: Assumptions, weeks: int, known_by: date) -> Resolved:
    """Turn assumptions into engine drivers, filling defaults from ``bs`` and the policy."""
    s0 = start_state(bs)
    dates = week_dates(s0.date, weeks)[1:]
    months = pd.DatetimeIndex(dates.to_period("M").to_timestamp())
    if a.monthly_override is not None:
        pol = a.monthly_override.iloc[np.minimum(np.arange(weeks) * 12 // 52,
                                                 len(a.monthly_override) - 1)]
        pol = pol.set_axis(months)
        pol_origin = "replayed policy"
    else:
        uniq = months.unique()
        pol = monthly_policy(uniq, known_by).reindex(months)
        pol_origin = f"announced policy as known on {known_by}"
    month0 = pd.DatetimeIndex([pd.Timestamp(s0.date).to_period("M").to_timestamp()])
    policy0 = monthly_policy(month0, known_by).iloc[0]
    est = _estimate(bs, policy0)
    if a.rrp_floor is not None and est["rrp_half_life_weeks"][0] == 0.0:
        est["rrp_half_life_weeks"] = (8.0, "assumed: 8 weeks (no recent decline to estimate)")
    origin: dict[str, str] = {}
    values: dict[str, Any] = {}

    def pick(name: str) -> float:
        user = getattr(a, name)
        if user is not None:
            origin[name] = "user"
            values[name] = float(user)
            return float(user)
        val, how = est[name]
        origin[name] = how
        values[name] = val
        return val

    def policy(name: str, column: str) -> np.ndarray:
        user = getattr(a, name)
        if user is not None:
            origin[name] = "user"
            values[name] = float(user)
            return np.full(weeks, float(user))
        origin[name] = pol_origin
        arr: np.ndarray = np.asarray(pol[column].to_numpy(float), dtype=float)
        values[name] = float(arr[0]) if len(arr) else 0.0
        return arr

    tsy_cap = policy("treasury_cap", "treasury_cap")
    mbs_cap = policy("mbs_cap", "mbs_cap")
    if a.purchases is not None:
        tsy_buy = np.full(weeks, float(a.purchases))
        mbs_buy = np.zeros(weeks)
        origin["purchases"] = "user"
        values["purchases"] = float(a.purchases)
    else:
        tsy_buy = (pol["treasury_purchases"] + pol["bill_purchases"]).to_numpy(float)
        mbs_buy = pol["mbs_purchases"].to_numpy(float)
        origin["purchases"] = pol_origin
        values["purchases"] = float(tsy_buy[0] + mbs_buy[0]) if weeks else 0.0
    if a.tga_target is not None and a.tga_by is None:
        raise ConfigError(
            "tga_target (--tga-target) needs tga_by (--tga-by): the date the target is reached"
        )
    if a.tga_by is not None and a.tga_by <= s0.date:
        raise ConfigError(f"tga_by {a.tga_by} must be after the start week {s0.date}")
    origin["tga_target"] = "user" if a.tga_target is not None else (
        "replayed weekly changes" if a.tga_changes is not None else "flat at the last week"
    )
    values["tga_target"] = a.tga_target if a.tga_target is not None else s0.tga
    values["tga_by"] = a.tga_by
    drivers = Drivers(
        treasury_cap=tsy_cap,
        mbs_cap=mbs_cap,
        mbs_excess_to_treasury=(pol["mbs_excess_to"] == "treasury").to_numpy(bool),
        treasury_purchases=tsy_buy,
        mbs_purchases=mbs_buy,
        mbs_paydown=pick("mbs_paydown"),
        tga_target=a.tga_target,
        tga_by=a.tga_by,
        rrp_floor=pick("rrp_floor"),
        rrp_half_life_weeks=pick("rrp_half_life_weeks"),
        currency_growth_pct=pick("currency_growth_pct"),
        other_trend=pick("other_trend"),
        srf=pick("srf"),
        tga_changes=None if a.tga_changes is None else np.asarray(a.tga_changes, float),
        rrp_changes=None if a.rrp_changes is None else np.asarray(a.rrp_changes, float),
    )
    if a.tga_seasonality:
        drivers = replace(drivers, tga_seasonal=tga_seasonal(bs, dates))
        origin["tga_seasonality"] = "estimated: 5-year median weekly TGA change by week of year"
        values["tga_seasonality"] = True
    return Resolved(drivers=drivers, origin=origin, values=values)


def tga_seasonal(bs: pd.DataFrame, dates: pd.DatetimeIndex, years: int = 5) -> np.ndarray:
    """Seasonal weekly TGA changes (USD bn) for ``dates`` from the last ``years`` of ``bs``."""
    tga = bs["tga"] / 1e3
    tga = tga.loc[tga.index > tga.index[-1] - pd.Timedelta(days=int(365.25 * years))]
    change = tga.diff().dropna()
    if len(change) < 52:
        return np.zeros(len(dates))
    woy = np.minimum(change.index.isocalendar().week.to_numpy(int), 52)
    profile = pd.Series(change.to_numpy(float)).groupby(woy).median().reindex(
        range(1, 53), fill_value=0.0)
    smooth = profile.to_numpy(float)
    smooth = (np.roll(smooth, 1) + smooth + np.roll(smooth, -1)) / 3.0
    smooth -= smooth.mean()
    want = np.minimum(dates.isocalendar().week.to_numpy(int), 52)
    return np.asarray(smooth[want - 1], dtype=float)
