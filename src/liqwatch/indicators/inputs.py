"""Input series with their vintages, for point-in-time evaluation.

For every observation the store keeps each published value with the interval during which it
was the published one. :class:`SeriesVintages` turns that into what the engine needs:

* ``avail``: the first day each observation was known (its first ``realtime_start``), made
  non-decreasing along observation dates so that a rolling window over observations up to
  ``t`` is fully known once ``t`` is;
* ``values_at(r)``: each observation's value in force at ``max(r, first publication)``: the
  series as seen between two revision dates ``r`` (see :func:`revision_points`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from liqwatch.store import Store

__all__ = ["InputSet", "SeriesVintages", "load_inputs", "revision_points"]


@dataclass(frozen=True)
class SeriesVintages:
    """Every vintage of one series (see the module docstring)."""

    id: str
    table: pd.DataFrame  # date, value, realtime_start, realtime_end (NaT = open)
    first: pd.DataFrame  # one row per date: first vintage value and realtime_start
    avail: pd.Series  # date -> first publication day, non-decreasing
    revisions: np.ndarray  # realtime_start of the later vintages (datetime64[ns])
    arrays: tuple[np.ndarray, ...]  # date, value, start, end; first dates, first starts

    @classmethod
    def build(cls, series_id: str, table: pd.DataFrame) -> SeriesVintages:
        """Index ``table`` (rows of :meth:`Store.read_vintages` for one series)."""
        d = table["date"].to_numpy(dtype="datetime64[ns]")
        rs = table["realtime_start"].to_numpy(dtype="datetime64[ns]")
        order = np.lexsort((rs, d))  # by date, then vintage (usually already in order)
        if not np.array_equal(order, np.arange(len(order))):
            table = table.iloc[order]
            d, rs = d[order], rs[order]
        t = table.reset_index(drop=True)
        values = t["value"].to_numpy(dtype=float)
        is_first = np.ones(len(d), dtype=bool)
        is_first[1:] = d[1:] != d[:-1]
        first_index = pd.DatetimeIndex(d[is_first], name="date")
        first = pd.DataFrame({"value": values[is_first], "realtime_start": rs[is_first]},
                             index=first_index)
        avail = pd.Series(np.maximum.accumulate(rs[is_first]) if is_first.any() else rs[:0],
                          index=first_index)
        revisions = np.unique(rs[~is_first])
        arrays = (d, values, rs, t["realtime_end"].to_numpy(dtype="datetime64[ns]"),
                  d[is_first], rs[is_first])
        return cls(series_id, t, first, avail, revisions, arrays)

    @property
    def empty(self) -> bool:
        """True when the store holds no observation of the series."""
        return bool(self.table.empty)

    def values_at(self, r: pd.Timestamp | None) -> pd.Series:
        """Observation values in force at ``max(r, first publication)`` (``r=None``: first)."""
        if r is None or len(self.revisions) == 0 or r < pd.Timestamp(self.revisions[0]):
            return self.first["value"]
        t = self.table
        first_rs = t["date"].map(self.first["realtime_start"])
        x = first_rs.where(first_rs > r, r)
        end = t["realtime_end"]
        live = t[(t["realtime_start"] <= x) & (end.isna() | (end >= x))]
        return live.drop_duplicates("date", keep="last").set_index("date")["value"]

    def vintage_at(self, obs_date: pd.Timestamp, as_of: pd.Timestamp) -> dict[str, Any] | None:
        """The vintage of ``obs_date`` in force on ``as_of`` (None when not yet published)."""
        dates, values, starts, ends = self.arrays[:4]
        day, when = np.datetime64(obs_date, "ns"), np.datetime64(as_of, "ns")
        lo, hi = np.searchsorted(dates, day, "left"), np.searchsorted(dates, day, "right")
        for i in range(hi - 1, lo - 1, -1):
            if starts[i] <= when and (np.isnat(ends[i]) or ends[i] >= when):
                return {"series_id": self.id, "date": pd.Timestamp(dates[i]),
                        "value": float(values[i]), "realtime_start": pd.Timestamp(starts[i])}
        return None

    def latest_known(self, as_of: pd.Timestamp) -> pd.Timestamp | None:
        """Date of the latest observation published by ``as_of``."""
        return self.latest_known_by(as_of, None)

    def latest_known_by(self, as_of: pd.Timestamp, obs_limit: pd.Timestamp | None
                        ) -> pd.Timestamp | None:
        """Latest observation date (up to ``obs_limit``) first published by ``as_of``."""
        dates, starts = self.arrays[4], self.arrays[5]
        ok = starts <= np.datetime64(as_of, "ns")
        if obs_limit is not None:
            ok &= dates <= np.datetime64(obs_limit, "ns")
        return pd.Timestamp(dates[ok].max()) if ok.any() else None


def revision_points(series: Iterable[SeriesVintages]) -> list[pd.Timestamp]:
    """Sorted days on which any of ``series`` had a value revised."""
    points: set[pd.Timestamp] = set()
    for s in series:
        points.update(pd.Timestamp(x) for x in s.revisions)
    return sorted(points)


_EMPTY = pd.DataFrame({"date": pd.to_datetime([]), "value": pd.Series(dtype=float),
                       "realtime_start": pd.to_datetime([]), "realtime_end": pd.to_datetime([])})

_Key = tuple[Any, tuple[str, ...]]
_cache: dict[_Key, tuple[tuple[Any, ...], InputSet]] = {}


def _fingerprint(store: Store) -> tuple[Any, ...]:
    row = store.execute(
        "SELECT count(*), max(ingested_at), max(realtime_start), min(realtime_end) "
        "FROM observations"
    ).fetchone()
    return tuple(row) if row else ()


class InputSet(dict[str, SeriesVintages]):
    """Input series by id, with a memo of indicator frames computed from them.

    The memo lives and dies with the input set: when the store changes, a new set is read
    and the frames computed from the old data are dropped with it.
    """

    def __init__(self) -> None:
        super().__init__()
        self.memo: dict[Any, Any] = {}


def load_inputs(store: Store, ids: Iterable[str]) -> InputSet:
    """Read every vintage of ``ids`` (cached per connection until the store changes)."""
    wanted = tuple(sorted(set(ids)))
    key = (store.cache_key, wanted)
    fp = _fingerprint(store)
    hit = _cache.get(key)
    if hit is not None and hit[0] == fp:
        return hit[1]
    raw = store.read_vintages(wanted)
    out = InputSet()
    sids = raw["series_id"].to_numpy()
    cols = raw[["date", "value", "realtime_start", "realtime_end"]]
    # read_vintages sorts by series: each series is one contiguous block of rows.
    starts: list[int] = []
    if len(sids):
        starts = np.flatnonzero(np.r_[True, sids[1:] != sids[:-1]]).tolist()
    ends = [*starts[1:], len(sids)] if starts else []
    bounds = dict(zip(sids[starts], zip(starts, ends, strict=True), strict=True))
    for sid in wanted:
        lo_hi = bounds.get(sid)
        table = _EMPTY if lo_hi is None else cols.iloc[lo_hi[0]:lo_hi[1]]
        out[sid] = SeriesVintages.build(sid, table)
    _cache.clear()
    _cache[key] = (fp, out)
    return out
