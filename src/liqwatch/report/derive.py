"""Series composed for the charts: splices of administered rates and balance-sheet lines.

Charts only: every number a sentence quotes comes from the indicator readings.

Each function takes a :class:`~liqwatch.report.panel.Panel` and returns pandas objects in
display units (percent, basis points, USD billions).
"""

from __future__ import annotations

import pandas as pd

from liqwatch.report.panel import Panel

__all__ = [
    "btc",
    "fed_assets_bn",
    "iorb",
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
    spliced: pd.Series = pd.concat([old, new]).sort_index()
    return spliced


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


def btc(p: Panel) -> pd.Series:
    """Bitcoin in USD: the vendor close, the Coinbase series where it is missing."""
    vendor, coinbase = p.get("BTCUSD"), p.get("CBBTCUSD")
    if vendor.empty:
        return coinbase
    return vendor.combine_first(coinbase) if not coinbase.empty else vendor
