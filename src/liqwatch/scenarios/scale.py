"""Denominators of the reserve ratios: commercial-bank assets and nominal GDP.

Commercial-bank assets (H.8, ``TLAACBW027SBOG``) may end before the projection starts (the
bundled real data ends in December 2021). After its last observation the series is carried at
its own log-linear trend over the previous ten years, an explicit assumption reported with
every projection; a known current level can be given instead. Nominal GDP (quarterly, SAAR)
is carried from its last release at its five-year trend.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from liqwatch.store import Store

__all__ = ["Scale", "load_scale"]

BANK_ASSETS = "TLAACBW027SBOG"


@dataclass(frozen=True)
class Scale:
    """A level known at ``last_date`` grown at ``growth_pct`` a year (``None``: unknown)."""

    series_id: str
    last_date: date | None
    last_value: float | None
    growth_pct: float
    origin: str

    def at(self, dates: pd.DatetimeIndex) -> np.ndarray:
        """Level (USD bn) on each of ``dates``."""
        if self.last_value is None or self.last_date is None:
            return np.full(len(dates), np.nan)
        years = (dates - pd.Timestamp(self.last_date)).days.to_numpy(float) / 365.25
        years = np.maximum(years, 0.0)
        return np.asarray(self.last_value * (1.0 + self.growth_pct / 100.0) ** years)

    def describe(self, start: date) -> str:
        """One sentence on how the level was obtained."""
        if self.last_value is None:
            return f"{self.series_id}: not in the store; ratio not computed"
        return self.origin.format(start=start)


def _trend(series: pd.Series, years: float) -> float:
    s = series.dropna()
    s = s.loc[s.index >= s.index[-1] - pd.Timedelta(days=int(365.25 * years))]
    if len(s) < 4:
        return 0.0
    x = (s.index - s.index[0]).days.to_numpy(float) / 365.25
    return float(np.expm1(np.polyfit(x, np.log(s.to_numpy(float)), 1)[0]) * 100.0)


def load_scale(
    store: Store,
    series_id: str,
    as_of: date | None,
    start: date,
    *,
    trend_years: float,
    level: float | None = None,
    growth_pct: float | None = None,
) -> Scale:
    """Level and growth of ``series_id`` (USD bn) known on ``as_of``, for weeks from ``start``.

    ``level`` (a user-known value on ``start``) and ``growth_pct`` override the data.
    """
    long = store.read([series_id], as_of=as_of)
    s = long.set_index("date")["value"]
    s = s.loc[s.index <= pd.Timestamp(start)]
    g = growth_pct if growth_pct is not None else (_trend(s, trend_years) if len(s) else 0.0)
    g_how = "user growth" if growth_pct is not None else f"its {trend_years:g}-year trend"
    if level is not None:
        return Scale(series_id, start, float(level), g,
                     f"{series_id}: user level {level:,.0f}bn on {{start}}, grown at {g:.1f}%/yr")
    if s.empty:
        return Scale(series_id, None, None, g, "")
    last_d = pd.Timestamp(s.index[-1]).date()
    last_v = float(s.iloc[-1])
    gap_days = (start - last_d).days
    if series_id == BANK_ASSETS and gap_days > 60:
        how = (f"{series_id} (commercial-bank assets) ends {last_d} at {last_v:,.0f}bn; ASSUMED "
               f"to grow at {g_how} ({g:.1f}%/yr) since, about "
               f"{last_v * (1 + g / 100) ** (gap_days / 365.25):,.0f}bn on {{start}} — set "
               "--bank-assets to a known level")
    else:
        how = f"{series_id}: last value {last_v:,.0f}bn ({last_d}), grown at {g:.1f}%/yr"
    return Scale(series_id, last_d, last_v, g, how)
