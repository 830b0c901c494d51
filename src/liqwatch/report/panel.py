"""Series read once from the store, as of a day, for every section of a report."""

from __future__ import annotations

import logging
from datetime import date

import pandas as pd

from liqwatch.store import Store

__all__ = ["Panel"]

log = logging.getLogger(__name__)


class Panel:
    """Reads series as published on ``as_of`` (all current values when None) and caches them.

    Every series read through the panel is remembered in :attr:`used`, which feeds the
    report's provenance table.
    """

    def __init__(self, store: Store, as_of: date | None) -> None:
        self.store = store
        self.as_of = as_of
        self.used: list[str] = []
        self._cache: dict[str, pd.Series] = {}

    def prefetch(self, ids: list[str]) -> None:
        """Read several series in one query."""
        todo = [i for i in dict.fromkeys(ids) if i not in self._cache]
        if not todo:
            return
        long = self.store.read(todo, end=self.as_of, as_of=self.as_of)
        groups = {str(k): g for k, g in long.groupby("series_id", sort=False)}
        for sid in todo:
            g = groups.get(sid)
            if g is None:
                self._cache[sid] = pd.Series(dtype=float, index=pd.DatetimeIndex([]), name=sid)
            else:
                s = pd.Series(g["value"].to_numpy(dtype=float),
                              index=pd.DatetimeIndex(g["date"]), name=sid)
                self._cache[sid] = s[~s.index.duplicated(keep="last")].sort_index()

    def get(self, sid: str) -> pd.Series:
        """The series ``sid`` (float values, DatetimeIndex); empty when not stored."""
        if sid not in self._cache:
            self.prefetch([sid])
        s = self._cache[sid]
        if not s.empty and sid not in self.used:
            self.used.append(sid)
        return s

    def first(self, *ids: str) -> pd.Series:
        """The first non-empty of ``ids`` (preferred series first)."""
        for sid in ids:
            s = self.get(sid)
            if not s.empty:
                return s
        return pd.Series(dtype=float, index=pd.DatetimeIndex([]))

    @property
    def end(self) -> pd.Timestamp:
        """The as-of day, or the latest observation date in the cache."""
        if self.as_of is not None:
            return pd.Timestamp(self.as_of)
        ends = [s.index.max() for s in self._cache.values() if not s.empty]
        return max(ends) if ends else pd.Timestamp.today().normalize()


def last(s: pd.Series) -> tuple[date | None, float]:
    """Date and value of the last non-missing observation (None, NaN when empty)."""
    s = s.dropna()
    if s.empty:
        return None, float("nan")
    return pd.Timestamp(s.index[-1]).date(), float(s.iloc[-1])


def value_at(s: pd.Series, day: pd.Timestamp) -> float:
    """The last value on or before ``day`` (NaN when none)."""
    s = s.dropna()
    s = s[s.index <= day]
    return float(s.iloc[-1]) if not s.empty else float("nan")
