"""Denominators of the reserve ratios: commercial-bank assets and nominal GDP.

Commercial-bank assets (H.8, ``TLAACBW027SBOG``): when the store has a level published in the
last 60 days before the start, that last published level is used for the whole horizon. When
the series ends long before the start (the bundled real data ends in December 2021), the
level is unknown: it is an assumption with a **range** — from the last published level (no
growth since) to that level grown at its own ten-year trend — and the crossings of the 12% and
13% thresholds become a band of dates. A known current level can be given instead. Nominal GDP
(quarterly, SAAR) is carried from its last release at its five-year trend.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from liqwatch.store import Store
from liqwatch.vocab import fmt_date, fmt_usd_bn, pick

__all__ = ["BANK_ASSETS", "BankAssets", "Scale", "load_bank_assets", "load_scale"]

BANK_ASSETS = "TLAACBW027SBOG"
#: A bank-assets level older than this many days before the start is not "current".
FRESH_DAYS = 60


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


@dataclass(frozen=True)
class BankAssets:
    """Commercial-bank assets for the 12% / 13% thresholds: a level, or a range when unknown.

    Attributes
    ----------
    last_date, last_value
        The last published H.8 week and level (USD bn) on the start date, or a user's level.
    growth_pct
        Trend growth a year (the high end of the range when the level is stale).
    kind
        ``published`` (a level published in the last 60 days), ``user`` (given by the user),
        ``range`` (stale: from the last level to its trend extrapolation) or ``missing``.
    """

    last_date: date | None
    last_value: float | None
    growth_pct: float
    kind: str

    @property
    def uncertain(self) -> bool:
        """True when the level is a range (crossings of ratio thresholds are a band)."""
        return self.kind == "range"

    def low(self, dates: pd.DatetimeIndex) -> np.ndarray:
        """Lowest level assumed on each date (USD bn)."""
        if self.last_value is None:
            return np.full(len(dates), np.nan)
        return np.full(len(dates), float(self.last_value))

    def high(self, dates: pd.DatetimeIndex) -> np.ndarray:
        """Highest level assumed on each date (USD bn)."""
        if self.last_value is None or self.last_date is None:
            return np.full(len(dates), np.nan)
        if not self.uncertain:
            return self.low(dates)
        years = np.maximum((dates - pd.Timestamp(self.last_date)).days.to_numpy(float)
                           / 365.25, 0.0)
        return np.asarray(self.last_value * (1.0 + self.growth_pct / 100.0) ** years, float)

    def central(self, dates: pd.DatetimeIndex) -> np.ndarray:
        """The middle of the range (the level itself when it is known)."""
        return np.asarray(np.sqrt(self.low(dates) * self.high(dates)), float)

    def describe(self, start: date, lang: str = "en") -> str:
        """How the level was obtained, in ``lang``."""
        if self.last_value is None or self.last_date is None:
            return pick(lang, f"{BANK_ASSETS} (commercial-bank assets) is not in the store: "
                        "no ratio to bank assets.",
                        f"{BANK_ASSETS} (商業銀行総資産) がストアにないため、銀行総資産比は"
                        "計算しません。")
        v, d = fmt_usd_bn(self.last_value, lang), fmt_date(self.last_date, lang)
        if self.kind == "user":
            return pick(lang, f"Commercial-bank assets: {v}, given by the user, held through "
                        "the horizon.",
                        f"商業銀行総資産: 利用者指定の{v}を期間中一定とします。")
        if self.kind == "published":
            return pick(lang, f"Commercial-bank assets: {v}, the last H.8 level published "
                        f"(week of {d}), held through the horizon.",
                        f"商業銀行総資産: 直近に公表されたH.8の水準{v} ({d}の週) を期間中一定と"
                        "します。")
        hi = self.high(pd.DatetimeIndex([pd.Timestamp(start)]))[0]
        return pick(
            lang,
            f"Commercial-bank assets ASSUMED: H.8 ({BANK_ASSETS}) ends on {d} at {v}; the "
            f"level since is unknown and taken as a range, from {v} (no growth) to "
            f"{fmt_usd_bn(hi, lang)} on {fmt_date(start, lang)} (its ten-year trend, "
            f"{self.growth_pct:.1f}% a year), so 12% / 13% crossings are a band of dates. "
            "Give a current level with --bank-assets.",
            f"商業銀行総資産は仮定: H.8 ({BANK_ASSETS}) は{d}の{v}で途切れており、その後の"
            f"水準は不明のため幅で扱います ({v} (伸びなし) から{fmt_date(start, lang)}時点の"
            f"{fmt_usd_bn(hi, lang)} (過去10年のトレンド、年{self.growth_pct:.1f}%) まで)。"
            "12%・13%を下回る時期は日付の幅になります。現在の水準は --bank-assets で指定"
            "できます。")


def _trend(series: pd.Series, years: float) -> float:
    s = series.dropna()
    s = s.loc[s.index >= s.index[-1] - pd.Timedelta(days=int(365.25 * years))]
    if len(s) < 4:
        return 0.0
    x = (s.index - s.index[0]).days.to_numpy(float) / 365.25
    return float(np.expm1(np.polyfit(x, np.log(s.to_numpy(float)), 1)[0]) * 100.0)


def _known(store: Store, series_id: str, as_of: date | None, start: date) -> pd.Series:
    long = store.read([series_id], as_of=as_of)
    s = long.set_index("date")["value"]
    return s.loc[s.index <= pd.Timestamp(start)]


def load_bank_assets(store: Store, as_of: date | None, start: date, *,
                     level: float | None = None,
                     growth_pct: float | None = None) -> BankAssets:
    """Commercial-bank assets known on ``as_of`` for a projection from week ``start``."""
    s = _known(store, BANK_ASSETS, as_of, start)
    g = growth_pct if growth_pct is not None else (_trend(s, 10) if len(s) else 0.0)
    if level is not None:
        return BankAssets(start, float(level), g, "user")
    if s.empty:
        return BankAssets(None, None, g, "missing")
    last_d = pd.Timestamp(s.index[-1]).date()
    kind = "published" if (start - last_d).days <= FRESH_DAYS else "range"
    return BankAssets(last_d, float(s.iloc[-1]), g, kind)


def load_scale(
    store: Store,
    series_id: str,
    as_of: date | None,
    start: date,
    *,
    trend_years: float,
) -> Scale:
    """Level and trend growth of ``series_id`` (USD bn) known on ``as_of``, for weeks from
    ``start``."""
    s = _known(store, series_id, as_of, start)
    g = _trend(s, trend_years) if len(s) else 0.0
    if s.empty:
        return Scale(series_id, None, None, g, "")
    last_d = pd.Timestamp(s.index[-1]).date()
    last_v = float(s.iloc[-1])
    how = f"{series_id}: last value {last_v:,.0f}bn ({last_d}), grown at {g:.1f}%/yr"
    return Scale(series_id, last_d, last_v, g, how)
