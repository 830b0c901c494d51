"""Pure, vectorised building blocks for indicator functions.

Every function takes and returns pandas objects indexed by observation date and never looks
at data after the date it computes (rolling windows look back only).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "at",
    "change",
    "consecutive",
    "drawdown_pct",
    "empty",
    "first_available",
    "frame",
    "known_by",
    "log_returns",
    "pct_change",
    "percentile_rank",
    "rolling_corr",
    "splice",
    "splice_labelled",
    "zscore",
]


def empty() -> pd.Series:
    """An empty float series indexed by dates."""
    return pd.Series(dtype=float, index=pd.DatetimeIndex([]))


def frame(value: pd.Series, **extra: pd.Series) -> pd.DataFrame:
    """Build an indicator output frame: ``value`` plus extra columns, rows with a value only."""
    out = pd.DataFrame({"value": value, **extra})
    out = out[out["value"].notna()]
    if not isinstance(out.index, pd.DatetimeIndex):
        out.index = pd.DatetimeIndex(out.index)
    return out


def at(series: pd.Series, index: pd.Index, max_age_days: int | None = None) -> pd.Series:
    """Value of ``series`` at or before each date of ``index`` (an as-of lookup).

    Parameters
    ----------
    series
        Observations indexed by date (sorted).
    index
        Dates to look up.
    max_age_days
        Give NaN when the latest observation is older than this many calendar days.
    """
    s = series.dropna()
    if s.empty:
        return pd.Series(np.nan, index=index, dtype=float)
    pos = s.index.searchsorted(index, side="right") - 1
    ok = pos >= 0
    values = np.full(len(index), np.nan)
    values[ok] = s.to_numpy(dtype=float)[pos[ok]]
    if max_age_days is not None:
        age = np.full(len(index), np.inf)
        src = s.index.to_numpy()[np.where(ok, pos, 0)]
        age[ok] = ((index.to_numpy() - src) / np.timedelta64(1, "D"))[ok]
        values[age > max_age_days] = np.nan
    return pd.Series(values, index=index, dtype=float)


def known_by(series: pd.Series, published: pd.Series, index: pd.Index,
             max_age_days: int | None = None) -> pd.Series:
    """Latest value of ``series`` *published* by each date of ``index``.

    Used for slowly published inputs (GDP, H.8 bank assets, delinquency rates) that are
    aligned by what was known on a date rather than by the period they describe.
    ``published`` maps observation dates to first-publication days; ``max_age_days``
    limits the age of the observation (not of its publication) at each date.
    """
    s = series.dropna()
    if s.empty:
        return pd.Series(np.nan, index=index, dtype=float)
    pub = published.reindex(s.index).ffill().cummax()
    by_pub = pd.Series(s.to_numpy(dtype=float), index=pd.DatetimeIndex(pub.to_numpy()))
    by_pub = by_pub[~by_pub.index.duplicated(keep="last")]
    values = at(by_pub, index)
    if max_age_days is not None:
        obs = pd.Series(s.index, index=pd.DatetimeIndex(pub.to_numpy()))
        obs = obs[~obs.index.duplicated(keep="last")]
        pos = obs.index.searchsorted(index, side="right") - 1
        src = obs.to_numpy()[np.maximum(pos, 0)]
        age = (index.to_numpy() - src) / np.timedelta64(1, "D")
        values[(pos < 0) | (age > max_age_days)] = np.nan
    return values


def splice(preferred: pd.Series, fallback: pd.Series) -> pd.Series:
    """``preferred`` where it has observations, ``fallback`` on dates outside its span.

    The fallback fills dates before the first and after the last preferred observation
    (a predecessor or a longer-running variant), not gaps inside the preferred span.
    """
    p = preferred.dropna()
    f = fallback.dropna()
    if p.empty:
        return f.astype(float)
    outside = f[(f.index < p.index[0]) | (f.index > p.index[-1])]
    spliced: pd.Series = pd.concat([p, outside]).sort_index()
    return spliced.astype(float)


def splice_labelled(preferred: pd.Series, fallback: pd.Series, labels: tuple[str, str]
                    ) -> tuple[pd.Series, pd.Series]:
    """:func:`splice`, plus a series saying which of the two ``labels`` each date came from."""
    out = splice(preferred, fallback)
    used = out.index.isin(preferred.dropna().index)
    return out, pd.Series(np.where(used, labels[0], labels[1]), index=out.index)


def first_available(*series: pd.Series) -> pd.Series:
    """Combine series date by date, the first one with a value winning."""
    out = empty()
    for s in series:
        out = s.dropna() if out.empty else out.combine_first(s.dropna())
    return out.sort_index().astype(float)


def change(series: pd.Series, days: int) -> pd.Series:
    """Change over ``days`` calendar days (as-of the earlier date), on the series' own dates."""
    s = series.dropna()
    before = at(s, pd.DatetimeIndex(s.index) - pd.Timedelta(days=days),
                max_age_days=max(7, days // 4))
    before.index = s.index
    return s - before


def pct_change(series: pd.Series, days: int) -> pd.Series:
    """Percent change over ``days`` calendar days."""
    s = series.dropna()
    before = at(s, pd.DatetimeIndex(s.index) - pd.Timedelta(days=days),
                max_age_days=max(7, days // 4))
    before.index = s.index
    return (s / before - 1.0) * 100.0


def log_returns(series: pd.Series) -> pd.Series:
    """Daily log returns on consecutive observations."""
    s = series.dropna()
    s = s[s > 0]
    return pd.Series(np.log(s), index=s.index).diff().dropna()


def rolling_corr(a: pd.Series, b: pd.Series, window: int) -> pd.Series:
    """Rolling correlation of ``a`` and ``b`` on their common dates (``window`` observations)."""
    both = pd.concat([a, b], axis=1, join="inner").dropna()
    if both.empty:
        return empty()
    return both.iloc[:, 0].rolling(window, min_periods=window).corr(both.iloc[:, 1])


def drawdown_pct(series: pd.Series, days: int) -> pd.Series:
    """Percent below the highest value of the trailing ``days`` calendar days."""
    s = series.dropna()
    peak = s.rolling(f"{days}D", min_periods=1).max()
    return (s / peak - 1.0) * 100.0


def consecutive(flags: pd.Series) -> pd.Series:
    """Length of the current run of True values (0 on a False)."""
    f = flags.fillna(False).astype(bool)
    groups = (~f).cumsum()
    return f.astype(int).groupby(groups).cumsum()


def zscore(series: pd.Series, years: float | None, min_history: int) -> pd.Series:
    """Standardised value against the trailing window (including the current observation)."""
    s = series.dropna()
    roll = s.expanding(min_periods=min_history) if years is None else s.rolling(
        f"{round(years * 365.25)}D", min_periods=min_history
    )
    mean = roll.mean()
    std = roll.std()
    z = (s - mean) / std.where(std > 0)
    return z


def percentile_rank(series: pd.Series, years: float | None, min_history: int) -> pd.Series:
    """Percentile rank (0-100) of each value within the history so far (or a trailing window)."""
    s = series.dropna()
    if s.empty:
        return s
    if years is None:
        ranks = s.expanding(min_periods=min_history).rank(pct=True)
    else:
        n = max(min_history, round(years * _obs_per_year(s)))
        ranks = s.rolling(n, min_periods=min_history).rank(pct=True)
    return ranks * 100.0


def _obs_per_year(s: pd.Series) -> float:
    if len(s) < 2:
        return 252.0
    span = (s.index[-1] - s.index[0]).days / 365.25
    return len(s) / span if span > 0 else 252.0
