"""Point-in-time evaluation of one indicator on a grid of as-of days (vectorised).

For a grid of as-of days the indicator function runs once per revision segment (once when no
input was ever revised) on the observation-date axis; each output row gets the day it became
known (the latest first-publication day of the inputs it used, made non-decreasing), and each
as-of day takes the latest row known by then.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from liqwatch.indicators.freshness import row_max_age
from liqwatch.indicators.inputs import SeriesVintages, revision_points
from liqwatch.indicators.spec import IndicatorSpec, Thresholds
from liqwatch.indicators.thresholds import levels

__all__ = ["Evaluation", "evaluate"]

_DAY = np.timedelta64(1, "D")


@dataclass
class Evaluation:
    """One indicator on a grid of as-of days.

    ``frames`` holds the indicator frame of each revision segment, ``seg`` and ``row`` point
    into them for every as-of day (``row`` -1: nothing known yet).
    """

    spec: IndicatorSpec
    thresholds: Thresholds
    grid: pd.DatetimeIndex
    frames: list[pd.DataFrame]
    seg: np.ndarray
    row: np.ndarray
    value: np.ndarray
    level: np.ndarray
    score: np.ndarray
    obs_date: np.ndarray  # datetime64[ns], NaT when nothing
    stale: np.ndarray  # bool: a value exists but is older than its maximum age
    max_age: np.ndarray  # maximum age in days of each day's value (NaN when nothing)


def _known_day(out_index: pd.DatetimeIndex, inputs: list[SeriesVintages]) -> np.ndarray:
    """First day each output row is fully known, as days since the epoch (non-decreasing)."""
    known = np.full(len(out_index), -np.inf)
    for s in inputs:
        if s.empty:
            continue
        av = s.avail
        pos = av.index.searchsorted(out_index, side="right") - 1
        ok = pos >= 0
        days = (av.to_numpy(dtype="datetime64[ns]") - np.datetime64(0, "ns")) / _DAY
        known = np.where(ok, np.maximum(known, days[np.where(ok, pos, 0)]), known)
    return np.maximum.accumulate(known) if len(known) else known


def _segment(spec: IndicatorSpec, inputs: Mapping[str, SeriesVintages],
             r: pd.Timestamp | None, th: Thresholds) -> tuple[pd.DataFrame, np.ndarray]:
    memo = getattr(inputs, "memo", None)
    key = (spec.id, r, th)
    if memo is not None:
        hit = memo.get(key)
        if hit is not None and hit[0] is spec:
            return hit[1], hit[2]
    out, known = _run(spec, inputs, r, th)
    if memo is not None:
        if len(memo) > 1024:  # many threshold overrides: start again rather than grow
            memo.clear()
        memo[key] = (spec, out, known)
    return out, known


def _run(spec: IndicatorSpec, inputs: Mapping[str, SeriesVintages],
         r: pd.Timestamp | None, th: Thresholds) -> tuple[pd.DataFrame, np.ndarray]:
    """Run the indicator function on the inputs in force at ``r`` and judge every row."""
    series = {sid: inputs[sid].values_at(r) for sid in spec.inputs}
    for sid in spec.by_publication:
        series[f"{sid}@published"] = inputs[sid].first["realtime_start"]
    out = spec.fn(series)
    out = out[~out.index.duplicated(keep="last")].sort_index()
    lvl, score = levels(out, th, spec.direction)
    ages = row_max_age(spec, pd.DatetimeIndex(out.index), inputs, th.max_age_days)
    out = out.assign(_level=lvl, _score=score, _max_age=ages)
    known = _known_day(pd.DatetimeIndex(out.index), [inputs[sid] for sid in spec.inputs
                                   if sid not in spec.by_publication])
    return out, known


def evaluate(spec: IndicatorSpec, inputs: Mapping[str, SeriesVintages],
             grid: pd.DatetimeIndex, th: Thresholds) -> Evaluation:
    """Evaluate ``spec`` on every as-of day of ``grid`` (sorted)."""
    n = len(grid)
    seg = np.zeros(n, dtype=np.int32)
    row = np.full(n, -1, dtype=np.int64)
    value = np.full(n, np.nan)
    level = np.full(n, -1, dtype=np.int8)
    score = np.full(n, np.nan)
    obs = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    limit = np.full(n, np.nan)
    all_points = revision_points(inputs[s] for s in spec.inputs)
    points = [p for p in all_points if n and grid[0] < p <= grid[-1]]
    earlier = [p for p in all_points if n and p <= grid[0]]
    r0 = earlier[-1] if earlier else None  # revisions already in force on the first day
    edges = [grid[0] if n else pd.Timestamp.min, *points]
    grid_days = (grid.to_numpy(dtype="datetime64[ns]") - np.datetime64(0, "ns")) / _DAY
    frames: list[pd.DataFrame] = []
    for k, start in enumerate(edges):
        stop = edges[k + 1] if k + 1 < len(edges) else None
        mask = grid >= start if stop is None else (grid >= start) & (grid < stop)
        if not mask.any():
            frames.append(pd.DataFrame())
            continue
        r = r0 if k == 0 else start
        out, known = _segment(spec, inputs, r, th)
        frames.append(out)
        idx = np.flatnonzero(mask)
        pos = np.searchsorted(known, grid_days[idx], side="right") - 1
        seg[idx] = k
        row[idx] = pos
        ok = pos >= 0
        sel = idx[ok]
        p = pos[ok]
        value[sel] = out["value"].to_numpy(dtype=float)[p]
        level[sel] = out["_level"].to_numpy()[p]
        score[sel] = out["_score"].to_numpy(dtype=float)[p]
        obs[sel] = out.index.to_numpy(dtype="datetime64[ns]")[p]
        limit[sel] = out["_max_age"].to_numpy(dtype=float)[p]
    age = (grid.to_numpy(dtype="datetime64[ns]") - obs) / _DAY
    stale = ~np.isnan(age) & (age > limit)
    value = np.where(stale, np.nan, value)
    level = np.where(stale | np.isnan(value), -1, level).astype(np.int8)
    return Evaluation(spec, th, grid, frames, seg, row, value, level, score, obs, stale,
                      limit)
