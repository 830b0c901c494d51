"""Series derived for the charts: splices, spreads, balance-sheet aggregates.

Each function takes a :class:`~liqwatch.report.panel.Panel` and returns pandas objects in
display units (percent, basis points, USD billions).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from liqwatch.report.panel import Panel

__all__ = [
    "bank_assets_bn",
    "btc",
    "consecutive_above",
    "iorb",
    "net_liquidity_bn",
    "on_rrp_bn_weekly",
    "on_rrp_rate",
    "reserves_bn",
    "srf_takeup_bn",
    "tga_bn_weekly",
]

#: Since this day the ON RRP offering rate equals the bottom of the target range.
ONRRP_AT_BOTTOM = pd.Timestamp("2024-12-19")


def iorb(p: Panel) -> pd.Series:
    """Interest on reserve balances, IOER before 29 Jul 2021 (the two administered rates)."""
    new, old = p.get("IORB"), p.get("IOER")
    if new.empty:
        return old
    old = old[old.index < new.index.min()]
    return pd.concat([old, new]).sort_index()


def on_rrp_rate(p: Panel) -> pd.Series:
    """ON RRP offering rate; after the series ends, the bottom of the range it equals."""
    rate, bottom = p.get("RRPONTSYAWARD"), p.get("DFEDTARL")
    if rate.empty:
        return bottom[bottom.index >= ONRRP_AT_BOTTOM]
    end = rate.index.max()
    if end >= ONRRP_AT_BOTTOM and not bottom.empty:
        tail = bottom[bottom.index > end]
        rate = pd.concat([rate, tail])
    return rate.sort_index()


def srf_takeup_bn(p: Panel) -> tuple[pd.Series, str | None]:
    """Daily Fed repo (Standing Repo Facility) take-up in USD billions and its series id.

    FRED's daily series when stored, else the New York Fed's operation results (all
    collateral, else Treasury collateral only).
    """
    for sid in ("RPONTSYD", "RPONTTLD_NYFED", "RPONTSYD_NYFED"):
        s = p.get(sid)
        if not s.empty:
            return s, sid
    return pd.Series(dtype=float, index=pd.DatetimeIndex([])), None


def reserves_bn(p: Panel) -> pd.Series:
    """Reserve balances (H.4.1 week average), USD billions."""
    return p.get("WRESBAL") / 1000.0


def tga_bn_weekly(p: Panel) -> pd.Series:
    """Treasury General Account, week average (H.4.1), gaps filled from the daily statement.

    The daily closing balance from Treasury averaged Thursday to Wednesday equals the H.4.1
    week average; it fills weeks the H.4.1 series is missing.
    """
    h41 = p.get("WTREGEN") / 1000.0
    dts = p.get("TGA_DTS")
    if dts.empty:
        return h41
    weekly = (dts / 1000.0).resample("W-WED").mean().dropna()
    if h41.empty:
        return weekly
    return h41.combine_first(weekly[weekly.index > h41.index.min()])


def on_rrp_bn_weekly(p: Panel, dates: pd.DatetimeIndex) -> pd.Series:
    """ON RRP take-up on each of ``dates`` (the last daily value on or before it), USD bn."""
    daily = p.get("RRPONTSYD")
    if daily.empty or len(dates) == 0:
        return pd.Series(dtype=float, index=pd.DatetimeIndex([]))
    out = daily.reindex(daily.index.union(dates)).ffill(limit=5).reindex(dates)
    out[dates < daily.index.min()] = 0.0  # the facility's take-up was nil before it ran daily
    return out.dropna()


def fed_assets_bn(p: Panel) -> pd.Series:
    """Fed total assets (H.4.1 Wednesday level), USD billions."""
    return p.get("WALCL") / 1000.0


def net_liquidity_bn(p: Panel) -> pd.Series:
    """Fed assets − TGA − ON RRP on Wednesdays, USD billions (mixed bases, see caption)."""
    assets = fed_assets_bn(p)
    if assets.empty:
        return assets
    tga = tga_bn_weekly(p).reindex(assets.index)
    rrp = on_rrp_bn_weekly(p, pd.DatetimeIndex(assets.index)).reindex(assets.index)
    return (assets - tga - rrp.fillna(0.0)).dropna()


def bank_assets_bn(p: Panel) -> pd.Series:
    """Total assets of commercial banks (H.8), USD billions."""
    return p.get("TLAACBW027SBOG")


def reserves_to_assets_pct(p: Panel) -> pd.Series:
    """Reserves / commercial-bank assets in percent, on the dates both are reported."""
    res, assets = reserves_bn(p), bank_assets_bn(p)
    if res.empty or assets.empty:
        return pd.Series(dtype=float, index=pd.DatetimeIndex([]))
    aligned = assets.reindex(assets.index.union(res.index)).ffill(limit=7).reindex(res.index)
    out = 100.0 * res / aligned
    return out.dropna()


def consecutive_above(a: pd.Series, b: pd.Series) -> tuple[int, pd.Timestamp | None]:
    """Days at the end of ``a`` on which it was above ``b`` (b carried forward), and the
    last day it was above before that run (or ever, when the run is empty)."""
    if a.empty or b.empty:
        return 0, None
    bb = b.reindex(b.index.union(a.index)).ffill().reindex(a.index)
    above = (a > bb) & bb.notna()
    flags = above.to_numpy()
    run = 0
    for f in flags[::-1]:
        if not f:
            break
        run += 1
    idx = np.flatnonzero(flags)
    last_above = pd.Timestamp(a.index[idx[-1]]) if len(idx) else None
    return run, last_above


def btc(p: Panel) -> pd.Series:
    """Bitcoin in USD: the vendor close, the Coinbase series where it is missing."""
    vendor, coinbase = p.get("BTCUSD"), p.get("CBBTCUSD")
    if vendor.empty:
        return coinbase
    return vendor.combine_first(coinbase) if not coinbase.empty else vendor


def rolling_corr(a: pd.Series, b: pd.Series, window: int = 60) -> pd.Series:
    """Rolling correlation of daily log returns on the days both trade."""
    both = pd.concat([a, b], axis=1, join="inner").dropna()
    both = both[(both > 0).all(axis=1)]
    rets = np.log(both).diff().dropna()
    if len(rets) < window:
        return pd.Series(dtype=float, index=pd.DatetimeIndex([]))
    return rets.iloc[:, 0].rolling(window).corr(rets.iloc[:, 1]).dropna()


def drawdown_pct(s: pd.Series) -> pd.Series:
    """Percent below the running maximum."""
    s = s.dropna()
    return 100.0 * (s / s.cummax() - 1.0)
