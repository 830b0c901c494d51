"""The H.4.1 balance-sheet identity on one basis, with "other" as the exact residual.

Basis: **week averages** (Thursday to Wednesday, dated the Wednesday), the basis on which
reserve balances (``WRESBAL``) are published::

    reserves = total_assets - tga - on_rrp - foreign_rrp - currency - other

* ``reserves``: ``WRESBAL`` (week average).
* ``tga``: the Thursday-to-Wednesday average of the daily closing balance ``TGA_DTS``
  (non-business days carry the previous close), which is how ``WTREGEN`` is built; before
  the daily series starts (2022-04), or where a week of it is incomplete, ``WTREGEN`` itself.
  The two agree exactly from 2022-05 to 2025-11; the bundled ``WTREGEN`` rows for 2026 are
  dated one week late (each equals the daily average of the week before), and preferring the
  daily average keeps the identity on correctly dated weeks.
* ``on_rrp``: ``WREPODEL`` (week average); after it ends, the week average of the daily
  ``RRPONTSYD``.
* ``foreign_rrp``: ``WREPOFOR`` (week average); after it ends, ``WLRRAFOIAL`` (Wednesday level,
  flagged in ``estimated``).
* ``currency``: ``WCURCIR`` (week average); after it ends, carried at its 52-week log-linear
  trend (flagged in ``estimated``).
* ``total_assets``: ``WALCL``. The store holds total assets only as the **Wednesday level**; it
  enters as the estimate of its week average, and the difference between the two falls into
  ``other`` together with the other liabilities and capital.
* ``other``: the residual, so that the identity holds to the dollar on every date.

Memo items on the asset side (not needed by the identity, used by the projection):
``treasuries`` (``TREAST``), ``mbs`` (``WSHOMCB``, from 2021-05), ``repo`` (``WREPO``, the
Standing Repo Facility and other repo, week average; after it ends the week average of the
daily ``RPONTTLD_NYFED``). All amounts are USD millions.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from liqwatch.exceptions import StoreError
from liqwatch.store import Store

__all__ = ["IDENTITY_SERIES", "balance_sheet", "check_identity", "week_average"]

#: Series read by :func:`balance_sheet`.
IDENTITY_SERIES = (
    "WRESBAL", "WALCL", "WTREGEN", "TGA_DTS", "WREPODEL", "RRPONTSYD", "WREPOFOR",
    "WLRRAFOIAL", "WCURCIR", "TREAST", "WSHOMCB", "WREPO", "RPONTTLD_NYFED",
)
# Units other than USD millions.
_BN = ("RRPONTSYD", "WCURCIR", "WREPO", "RPONTTLD_NYFED")

LIABILITIES = ("tga", "on_rrp", "foreign_rrp", "currency", "other")


def week_average(daily: pd.Series, weds: pd.DatetimeIndex, *, max_carry: int = 4) -> pd.Series:
    """Thursday-to-Wednesday averages of a daily series, H.4.1 style.

    Days without a value (weekends, holidays) carry the previous value for at most
    ``max_carry`` days; a week with any day still missing is NaN.
    """
    if daily.empty or len(weds) == 0:
        return pd.Series(np.nan, index=weds)
    days = pd.date_range(min(daily.index.min(), weds.min() - pd.Timedelta(days=6)), weds.max())
    filled = daily.reindex(days).ffill(limit=max_carry)
    avg = filled.rolling(7, min_periods=7).mean()
    return avg.reindex(weds)


def _wide(store: Store, as_of: date | None, start: date | None) -> pd.DataFrame:
    first = None if start is None else pd.Timestamp(start) - pd.Timedelta(days=400)
    long = store.read(IDENTITY_SERIES, start=None if first is None else first.date(), as_of=as_of)
    wide = long.pivot(index="date", columns="series_id", values="value")
    wide = wide.reindex(columns=list(IDENTITY_SERIES))
    for sid in _BN:
        wide[sid] = wide[sid] * 1000.0
    return wide


def _trend_fill(series: pd.Series, window: int = 52) -> tuple[pd.Series, pd.Series]:
    """Fill the tail after the last observation with its log-linear trend."""
    last_label = series.last_valid_index()
    last = None if last_label is None else pd.Timestamp(str(last_label))
    est = pd.Series(False, index=series.index)
    if last is None:
        return series, est
    hist = series.loc[:last].dropna().iloc[-window:]
    tail = series.index > last
    if not tail.any() or len(hist) < 8 or (hist <= 0).any():
        return series, est
    hist_days = pd.DatetimeIndex(hist.index)
    x = (hist_days - hist_days[0]).days.to_numpy(float)
    slope = np.polyfit(x, np.log(hist.to_numpy(float)), 1)[0]
    days = (pd.DatetimeIndex(series.index[tail]) - last).days.to_numpy(float)
    out = series.copy()
    out[tail] = float(hist.iloc[-1]) * np.exp(slope * days)
    est[tail] = True
    return out, est


def balance_sheet(
    store: Store, as_of: date | None = None, start: date | None = None
) -> pd.DataFrame:
    """Weekly identity frame on the week-average basis (see the module docstring).

    Parameters
    ----------
    store
        The store.
    as_of
        Only data published by this day (default: current values).
    start
        First Wednesday wanted (default: all history).

    Returns
    -------
    pandas.DataFrame
        Indexed by Wednesday: ``reserves, total_assets, tga, on_rrp, foreign_rrp, currency,
        other, treasuries, mbs, repo`` (USD millions) and ``estimated`` (comma-separated
        items not published on this basis that week).

    Raises
    ------
    StoreError
        When reserves or total assets are not in the store.
    """
    wide = _wide(store, as_of, start)
    for sid in ("WRESBAL", "WALCL"):
        if wide[sid].dropna().empty:
            raise StoreError(
                f"{sid} (H.4.1, source fred) is not in the store"
                + (f" as of {as_of}" if as_of else "")
                + ": load it with `liqwatch import` or `liqwatch update`"
            )
    weds = pd.DatetimeIndex(wide.index[wide["WRESBAL"].notna() & wide["WALCL"].notna()])
    weds = weds[weds.day_of_week == 2]
    f = pd.DataFrame(index=weds)
    f["reserves"] = wide.loc[weds, "WRESBAL"]
    f["total_assets"] = wide.loc[weds, "WALCL"]
    dts_avg = week_average(wide["TGA_DTS"].dropna(), weds)
    f["tga"] = dts_avg.fillna(wide.loc[weds, "WTREGEN"])
    rrp_avg = week_average(wide["RRPONTSYD"].dropna(), weds)
    f["on_rrp"] = wide.loc[weds, "WREPODEL"].fillna(rrp_avg)
    est: dict[str, pd.Series] = {}
    foreign = wide.loc[weds, "WREPOFOR"]
    est["foreign_rrp"] = foreign.isna() & wide.loc[weds, "WLRRAFOIAL"].notna()
    f["foreign_rrp"] = foreign.fillna(wide.loc[weds, "WLRRAFOIAL"])
    currency, est["currency"] = _trend_fill(wide.loc[weds, "WCURCIR"])
    f["currency"] = currency
    f["treasuries"] = wide.loc[weds, "TREAST"]
    f["mbs"] = wide.loc[weds, "WSHOMCB"]
    repo_avg = week_average(wide["RPONTTLD_NYFED"].dropna(), weds)
    f["repo"] = wide.loc[weds, "WREPO"].fillna(repo_avg)
    for col in ("tga", "on_rrp", "foreign_rrp", "currency"):
        f[col] = f[col].fillna(0.0) if col == "on_rrp" else f[col]
    f = f.dropna(subset=["tga", "foreign_rrp", "currency"])
    f["other"] = (
        f["total_assets"] - f["tga"] - f["on_rrp"] - f["foreign_rrp"] - f["currency"]
        - f["reserves"]
    )
    labels = np.full(len(f), "", dtype=object)
    for name, mask in est.items():
        m = mask.reindex(f.index, fill_value=False).to_numpy(bool)
        labels[m] = [f"{x},{name}" if x else name for x in labels[m]]
    f["estimated"] = labels
    if start is not None:
        f = f.loc[f.index >= pd.Timestamp(start)]
    f.index.name = "date"
    cols = ["reserves", "total_assets", *LIABILITIES, "treasuries", "mbs", "repo", "estimated"]
    return f[cols]


def check_identity(frame: pd.DataFrame) -> pd.Series:
    """Reserves rebuilt from the identity minus published reserves (USD millions)."""
    rebuilt = frame["total_assets"] - frame[list(LIABILITIES)].sum(axis=1)
    return rebuilt - frame["reserves"]
