"""The engine: every indicator as of one day (:func:`compute`) or every business day
(:func:`history`), and the per-category "combination" view (:func:`combination`)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pandas as pd

from liqwatch.calendar import business_days, to_date
from liqwatch.exceptions import ConfigError
from liqwatch.frames import row_of
from liqwatch.indicators.evaluate import Evaluation, evaluate
from liqwatch.indicators.explain import explain
from liqwatch.indicators.inputs import SeriesVintages, load_inputs
from liqwatch.indicators.reasons import tolerance, why_missing
from liqwatch.indicators.registry import REGISTRY, select
from liqwatch.indicators.spec import CATEGORIES, IndicatorSpec
from liqwatch.indicators.thresholds import LEVEL_NAMES, config_overrides, resolve
from liqwatch.indicators.turns import TURN_AWARE, turn_details, turn_frame, turn_text
from liqwatch.store import Store
from liqwatch.vocab import Status, fmt_bp

__all__ = ["COLUMNS", "HISTORY_START", "combination", "compute", "history", "memo"]

#: Columns of :func:`compute` (in order).
COLUMNS = ["id", "category", "value", "unit", "status", "date", "thresholds", "inputs",
           "explanation_en", "explanation_ja", "reason", "direction", "name_en", "name_ja",
           "score", "details", "note_en", "note_ja", "as_of", "reason_ja"]

#: First as-of day of :func:`history` by default.
HISTORY_START = date(2003, 1, 2)

Overrides = Mapping[str, Mapping[str, Any]]
_ORDER = {s.value: s.rank for s in Status}


def _today() -> date:
    return datetime.now(UTC).date()


def _all_inputs() -> list[str]:
    return sorted({sid for s in REGISTRY.values() for sid in s.inputs})


def _plain(v: Any) -> Any:
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, pd.Timestamp):
        return v.date()
    return v


def _inputs_used(spec: IndicatorSpec, inputs: Mapping[str, SeriesVintages],
                 obs: pd.Timestamp, as_of: pd.Timestamp) -> list[dict[str, Any]]:
    near: dict[str, pd.Timestamp] = {}
    for sid in spec.inputs:
        sv = inputs[sid]
        if sv.empty:
            continue
        # An input taken by publication date (GDP, bank assets) is the latest observation
        # published by the observation date, as the indicator function reads it.
        dated = sid in spec.by_publication
        last = sv.latest_known_by(obs if dated else as_of, obs)
        # (the function itself bounds how old a by-publication input may be)
        if last is not None and (dated or (obs - last).days <= tolerance(sid)):
            near[sid] = last
    used = []
    for sid, last in near.items():
        if spec.fallbacks.get(sid) in near:
            continue  # the preferred series covers this date
        vint = inputs[sid].vintage_at(last, as_of)
        if vint is not None:
            vint["date"] = vint["date"].date()
            vint["realtime_start"] = vint["realtime_start"].date()
            used.append(vint)
    return used


def _as_ts(day: date | str | None) -> pd.Timestamp:
    return pd.Timestamp(to_date(day) if day is not None else _today())


def _prepare(
    store: Store, categories: Iterable[str] | None, ids: Iterable[str] | None,
    thresholds: Overrides | None,
) -> tuple[list[IndicatorSpec], dict[str, SeriesVintages], dict[str, Any]]:
    specs = select(categories, ids)
    inputs = load_inputs(store, _all_inputs())
    config = config_overrides()
    for key in (thresholds or {}):
        if key not in REGISTRY:
            raise ConfigError(f"thresholds given for unknown indicator {key!r}")
    ths = {s.id: resolve(s, thresholds, config) for s in specs}
    return specs, inputs, ths


def memo(store: Store) -> dict[Any, Any]:
    """A dict for results derived from the indicators, kept while the store's data are unchanged.

    It lives with the inputs read from ``store``: when the store changes, new inputs are read
    and everything memoised from the old data is dropped with them.
    """
    return load_inputs(store, _all_inputs()).memo


def compute(
    store: Store,
    as_of: date | str | None = None,
    *,
    categories: Iterable[str] | None = None,
    ids: Iterable[str] | None = None,
    thresholds: Overrides | None = None,
) -> pd.DataFrame:
    """Every indicator as of one day, from data published by that day.

    Parameters
    ----------
    store
        The point-in-time store.
    as_of
        The day (default: today, UTC). Only values published on or before it are used.
    categories, ids
        Restrict to these categories and/or indicator ids.
    thresholds
        Per-indicator threshold overrides, e.g. ``{"sofr_iorb_bp": {"alert": 15}}``;
        ``max_age_days`` there replaces the indicator's stale-input limit (see
        :mod:`liqwatch.indicators.freshness`).

    Returns
    -------
    pandas.DataFrame
        One row per indicator with the columns :data:`COLUMNS`: ``value`` (NaN when no
        data), ``status`` (normal, watch, alert, no_data), ``date`` (the observation date of
        the value), ``thresholds`` (dict), ``inputs`` (list of dicts: series_id, date, value,
        realtime_start), ``explanation_en``/``explanation_ja``, ``reason``/``reason_ja`` (why
        no_data),
        ``details`` (dict of indicator-specific extras), ``note_en``/``note_ja`` (method
        notes: which series is used when).

    Examples
    --------
    >>> frame = compute(store, "2019-09-18", categories=["funding"])  # doctest: +SKIP
    >>> frame.set_index("id").loc["sofr_iorb_bp", "status"]  # doctest: +SKIP
    'alert'
    """
    day = _as_ts(as_of)
    specs, inputs, ths = _prepare(store, categories, ids, thresholds)
    grid = pd.DatetimeIndex([day])
    rows = []
    for spec in specs:
        ev = evaluate(spec, inputs, grid, ths[spec.id])
        rows.append(_row(spec, ev, inputs))
    return pd.DataFrame(rows, columns=COLUMNS)


def _row(spec: IndicatorSpec, ev: Evaluation, inputs: Mapping[str, SeriesVintages]
         ) -> dict[str, Any]:
    as_of = ev.grid[0]
    status = LEVEL_NAMES[int(ev.level[0])]
    value = float(ev.value[0])
    obs = pd.Timestamp(ev.obs_date[0]) if not pd.isna(ev.obs_date[0]) else None
    details: dict[str, Any] = {}
    used: list[dict[str, Any]] = []
    reason = reason_ja = None
    if status == "no_data":
        reason, reason_ja = why_missing(ev, 0, inputs)
    if ev.row[0] >= 0 and obs is not None and not ev.stale[0]:
        rec = ev.frames[ev.seg[0]].iloc[int(ev.row[0])]
        details = {k: _plain(v) for k, v in rec.items()
                   if k not in ("value", "_level", "_score", "_max_age")}
        used = _inputs_used(spec, inputs, obs, as_of)
    th = ev.thresholds
    odate = obs.date() if obs is not None and status != "no_data" else None
    score = float(ev.score[0])
    args = (spec, th, status, value, odate, score, as_of.date())
    text_en = explain(*args, reason=reason, lang="en")
    text_ja = explain(*args, reason=reason_ja, lang="ja")
    turn = _turn(spec, ev, inputs) if details and status != "no_data" else None
    if turn is not None:
        details.update(turn_details(turn))
        clause_en, clause_ja = turn_text(turn, "en"), turn_text(turn, "ja")
        if TURN_AWARE[spec.id] != "value":  # the value is a mean: say which print is read
            day_print = float(turn["print"])
            clause_en = f"the day's print, {fmt_bp(day_print)}, is {clause_en}"
            clause_ja = f"当日の値 {fmt_bp(day_print, lang='ja')} は{clause_ja}"
        text_en += f" {clause_en[:1].upper()}{clause_en[1:]}."
        text_ja += f"{clause_ja}。"
    return {
        "id": spec.id, "category": spec.category, "value": value, "unit": spec.unit,
        "status": status, "date": odate, "thresholds": th.as_dict(), "inputs": used,
        "explanation_en": text_en,
        "explanation_ja": text_ja,
        "reason": reason, "direction": spec.direction, "name_en": spec.en, "name_ja": spec.ja,
        "score": None if math.isnan(score) or th.kind == "fixed" else score,
        "details": details, "note_en": spec.note_en, "note_ja": spec.note_ja,
        "as_of": as_of.date(), "reason_ja": reason_ja,
    }


def _turn(spec: IndicatorSpec, ev: Evaluation, inputs: Mapping[str, SeriesVintages]
          ) -> dict[str, Any] | None:
    """The turn-aware reading of the print shown on the first day of ``ev``, or None.

    The reading of a print uses only earlier prints, so it is taken from the turn-aware
    frame of the whole revision segment (memoised with the inputs).
    """
    col = TURN_AWARE.get(spec.id)
    if col is None or ev.row[0] < 0:
        return None
    frame = ev.frames[ev.seg[0]]
    if col not in frame:
        return None
    memo = getattr(inputs, "memo", None)
    key = ("turns", spec.id)
    hit = memo.get(key) if memo is not None else None
    if hit is not None and hit[0] is frame:
        turns: pd.DataFrame = hit[1]
    else:
        turns = turn_frame(frame[col])
        if memo is not None:
            memo[key] = (frame, turns)
    obs = frame.index[int(ev.row[0])]
    if obs not in turns.index:
        return None
    return row_of(turns, obs)


def history(
    store: Store,
    ids: Iterable[str] | None = None,
    start: date | str | None = None,
    end: date | str | None = None,
    *,
    categories: Iterable[str] | None = None,
    thresholds: Overrides | None = None,
) -> pd.DataFrame:
    """Every indicator on every US business day, point in time, in one vectorised pass.

    Parameters
    ----------
    store
        The point-in-time store.
    ids, categories
        Restrict to these indicators / categories (default: all).
    start, end
        As-of days (default: 2003-01-02 to today, UTC).
    thresholds
        Per-indicator threshold overrides (as for :func:`compute`).

    Returns
    -------
    pandas.DataFrame
        Long frame with columns ``date`` (the as-of business day), ``id``, ``category``,
        ``value``, ``status``, ``score`` (z-score or percentile when judged statistically),
        ``obs_date`` (the observation date of the value) and ``judged`` (the number the
        thresholds compare: the signal itself for fixed thresholds, e.g. a 13-week change or a
        count of days, its z-score or percentile otherwise; NaN when stale). Row ``(D, id)``
        equals ``compute(store, D)`` for that indicator.
    """
    lo = to_date(start) if start is not None else HISTORY_START
    hi = to_date(end) if end is not None else _today()
    if hi < lo:
        raise ConfigError(f"history: end {hi} is before start {lo}")
    grid = business_days(lo, hi)
    specs, inputs, ths = _prepare(store, categories, ids, thresholds)
    parts = []
    names = np.array(list(LEVEL_NAMES.values()), dtype=object)
    codes = np.array(list(LEVEL_NAMES.keys()))
    for spec in specs:
        ev = evaluate(spec, inputs, grid, ths[spec.id])
        status = names[np.searchsorted(codes, ev.level)]
        parts.append(pd.DataFrame({
            "date": grid, "id": spec.id, "category": spec.category, "value": ev.value,
            "status": status,
            "score": ev.score if ev.thresholds.kind != "fixed" else np.nan,
            "obs_date": np.where(ev.stale, np.datetime64("NaT"), ev.obs_date),
            "judged": np.where(ev.stale, np.nan, ev.score),
        }))
    if not parts:
        return pd.DataFrame(columns=["date", "id", "category", "value", "status", "score",
                                     "obs_date", "judged"])
    out = pd.concat(parts, ignore_index=True)
    out["obs_date"] = pd.to_datetime(out["obs_date"])
    return out


def combination(frame: pd.DataFrame) -> pd.DataFrame:
    """Per category: the worst status and the indicators at watch or alert.

    Parameters
    ----------
    frame
        Output of :func:`compute` (one snapshot) or :func:`history` (one row per as-of day
        and category in the result).

    Returns
    -------
    pandas.DataFrame
        Columns ``category, status, n_indicators, n_watch, n_alert, n_no_data, flagged``
        (ids at watch/alert, alerts first), plus ``date`` for a history frame. The categories
        follow :data:`CATEGORIES`; a category whose indicators all lack data is ``no_data``.
    """
    is_history = "explanation_en" not in frame.columns and "date" in frame.columns
    keys = ["date", "category"] if is_history else ["category"]
    f = frame.assign(_rank=frame["status"].map(_ORDER).fillna(-1).astype(int))
    f = f.sort_values("_rank", ascending=False, kind="stable")
    grouped = f.groupby(keys, sort=False)
    out = pd.DataFrame({
        "_rank": grouped["_rank"].max(),
        "n_indicators": grouped.size(),
        "n_watch": grouped["status"].agg(lambda s: int((s == "watch").sum())),
        "n_alert": grouped["status"].agg(lambda s: int((s == "alert").sum())),
        "n_no_data": grouped["status"].agg(lambda s: int((s == "no_data").sum())),
        "flagged": grouped[["id", "status"]].apply(
            lambda g: [str(i) for i, st in zip(g["id"], g["status"], strict=True)
                       if st in ("watch", "alert")]),
    }).reset_index()
    inv = {v: k for k, v in _ORDER.items()}
    out.insert(len(keys), "status", out.pop("_rank").map(inv))
    out["_c"] = out["category"].map({c: i for i, c in enumerate(CATEGORIES)})
    out = out.sort_values([*(["date"] if is_history else []), "_c"]).drop(columns="_c")
    return out.reset_index(drop=True)
