"""Composite stress reading and its real-time history."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from liqwatch.stress import _html
from liqwatch.stress.levels import GUARD_EXCLUDED, GUARDED, Levels, classify, load_levels
from liqwatch.stress.methods import METHODS, MethodOutput, breadth, compute, segment_tail
from liqwatch.stress.panel import StressPanel

__all__ = [
    "DEFAULT_METHOD",
    "StressReading",
    "composite",
    "history_from_panel",
    "method_outputs",
    "stress_history",
]

#: Method used when none is given: CISS with the single-segment guard (see docs/stress.md).
DEFAULT_METHOD = "ciss"


@dataclass(frozen=True)
class StressReading:
    """The composite stress index on one as-of day.

    Attributes
    ----------
    date
        As-of business day of the reading (``None`` if no data at all).
    method
        ``zscore``, ``pca`` or ``ciss``.
    value
        Index value (NaN when no indicator is available yet).
    status
        ``normal``, ``watch``, ``alert`` or ``no_data``.
    levels
        ``{"watch": ..., "alert": ...}`` (plus ``segment_watch``/``segment_alert`` for the guard).
    contributions
        Category -> contribution to ``value`` (sums to ``value``).
    segments
        Category -> category sub-index (mean z-score; mean CDF for ``ciss``).
    trigger
        What sets the status: ``"aggregate"`` (the index at its levels), ``"segment"`` (two
        gauges of one market at their own levels), ``"breadth"`` (gauges at their levels in
        two markets outside funding) or ``None``.
    segment_score, segment
        The single-segment guard's score (second-highest stress-scale z-score within a
        category, highest over categories) and the category giving it.
    n_indicators, n_categories
        Inputs that entered the value.
    drivers
        The most stressed indicators that day: ``{"id", "category", "z"}`` (stress-scale
        z-score, higher = more stress), highest first.
    markets
        Markets (outside funding) with a gauge at its alert level (the breadth rule).
    """

    date: date | None
    method: str
    value: float
    status: str
    levels: dict[str, float]
    contributions: dict[str, float]
    segments: dict[str, float] = field(default_factory=dict)
    trigger: str | None = None
    segment_score: float = float("nan")
    segment: str | None = None
    n_indicators: int = 0
    n_categories: int = 0
    drivers: tuple[dict[str, Any], ...] = ()
    markets: tuple[str, ...] = ()

    def set_by(self, lang: str = "en") -> str:
        """What sets the status, in words (empty on a normal day)."""
        from liqwatch.vocab import category_label, pick

        level = pick(lang, self.status, {"alert": "警戒", "watch": "注意"}.get(self.status, ""))
        if self.trigger == "aggregate":
            value = self.levels.get(self.status, float("nan"))
            return pick(lang, f"the index at or above its {level} level {value:.3f}",
                        f"指数が{level}水準 {value:.3f} 以上")
        if self.trigger == "segment" and self.segment:
            seg = category_label(self.segment, lang)
            gauges = [d["id"] for d in self.drivers if d["category"] == self.segment][:2]
            return pick(lang, f"two {seg} gauges at their {level} levels ({', '.join(gauges)})",
                        f"{seg}の 2 指標が{level}水準 ({', '.join(gauges)})")
        if self.trigger == "breadth":
            names = [category_label(m, lang) for m in self.markets]
            return pick(lang, f"{' and '.join(names) or 'two markets'} gauges at their {level} "
                        "levels", f"{'・'.join(names) or '2 市場'}の指標が{level}水準")
        return ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly mapping (NaN as ``None``, date as ISO string)."""

        def clean(v: float) -> float | None:
            return None if v is None or not np.isfinite(v) else round(float(v), 6)

        return {
            "date": self.date.isoformat() if self.date else None,
            "method": self.method,
            "value": clean(self.value),
            "status": self.status,
            "trigger": self.trigger,
            "set_by": self.set_by() or None,
            "markets": list(self.markets),
            "levels": {k: clean(v) for k, v in self.levels.items()},
            "contributions": {k: clean(v) for k, v in self.contributions.items()},
            "segments": {k: clean(v) for k, v in self.segments.items()},
            "segment_score": clean(self.segment_score),
            "segment": self.segment,
            "n_indicators": self.n_indicators,
            "n_categories": self.n_categories,
            "drivers": [dict(d, z=clean(d["z"])) for d in self.drivers],
        }

    def summary(self) -> str:
        """A few lines of text: value, status, levels and contributions."""
        lv = ", ".join(f"{k} {v:.3f}" for k, v in self.levels.items())
        lines = [
            f"Stress index ({self.method}) as of {self.date}: {_html.fmt(self.value)} "
            f"-> {self.status.upper()}" + (f" (set by {self.set_by()})" if self.trigger else ""),
            f"Levels: {lv}; segment score {_html.fmt(self.segment_score)} ({self.segment})",
            f"Inputs: {self.n_indicators} indicators in {self.n_categories} categories",
            "Most stressed indicators: " + (", ".join(
                f"{d['id']} ({d['category']}) z {d['z']:+.1f}" for d in self.drivers) or "—"),
            "Contributions:",
        ]
        for cat, v in sorted(self.contributions.items(), key=lambda kv: -abs(kv[1])
                             if np.isfinite(kv[1]) else 0):
            lines.append(f"  {cat:<14} {_html.fmt(v):>8}   sub-index "
                         f"{_html.fmt(self.segments.get(cat, float('nan')))}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        rows = [{"category": k, "contribution": v, "sub-index": self.segments.get(k)}
                for k, v in self.contributions.items()]
        head = (f"<p>Stress index <b>{html.escape(self.method)}</b> as of {self.date}: "
                f"<b>{_html.fmt(self.value)}</b> {_html.badge(self.status)}"
                + (f" (set by {html.escape(self.set_by())})" if self.trigger else "")
                + "<br>levels: "
                + html.escape(", ".join(f"{k} {v:.3f}" for k, v in self.levels.items()))
                + "</p>")
        return head + _html.table(rows, ["category", "contribution", "sub-index"])


def method_outputs(panel: StressPanel) -> dict[str, MethodOutput]:
    """All three methods on ``panel`` (cached on the panel)."""
    key = "method_outputs"
    if key not in panel._cache:
        panel._cache[key] = {m: compute(panel, m) for m in METHODS}
    out: dict[str, MethodOutput] = panel._cache[key]
    return out


def _method_name(method: str | None) -> str:
    name = DEFAULT_METHOD if method is None else method
    if name not in METHODS:
        from liqwatch.exceptions import ConfigError

        raise ConfigError(f"unknown stress method {name!r} (choose {', '.join(METHODS)})")
    return name


def history_from_panel(
    panel: StressPanel, method: str | None = None, levels: Levels | None = None
) -> pd.DataFrame:
    """Real-time history of one method over a panel.

    Returns
    -------
    pandas.DataFrame
        Columns ``date, method, value, status, trigger, segment_score, segment,
        n_indicators, n_categories, markets``; one row per as-of day with a value.
    """
    name = _method_name(method)
    outs = method_outputs(panel)
    out = outs[name]
    lev = levels or load_levels()[name]
    seg_z, seg_cat = segment_tail(panel, GUARD_EXCLUDED)
    wide = breadth(panel, GUARD_EXCLUDED)
    guarded = name in GUARDED
    status, trigger = classify(out.value, lev, seg_z if guarded else None,
                               wide if guarded else None)
    frame = pd.DataFrame({
        "date": out.value.index,
        "method": name,
        "value": out.value.to_numpy(),
        "status": status.to_numpy(),
        "trigger": trigger.to_numpy(),
        "segment_score": seg_z.reindex(out.value.index).to_numpy(),
        "segment": seg_cat.reindex(out.value.index).to_numpy(),
        "n_indicators": out.n_indicators.to_numpy(),
        "n_categories": out.n_categories.to_numpy(),
        "markets": wide["at_alert"].reindex(out.value.index).to_numpy(),
    })
    return frame[frame["value"].notna()].reset_index(drop=True)


def stress_history(
    store: Any,
    method: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> pd.DataFrame:
    """Real-time history of the composite index.

    Each day's value uses only data published by that day (normalisation on the expanding
    sample), so the series is what a user would have seen at the time.

    Parameters
    ----------
    store
        A :class:`liqwatch.store.Store`.
    method
        ``zscore``, ``pca`` or ``ciss``; ``None`` = the default (``ciss``).
    start, end
        Bounds of the rows returned (the computation always starts at the beginning of data).

    Returns
    -------
    pandas.DataFrame
        ``date, method, value, status`` plus ``trigger, segment_score, segment,
        n_indicators, n_categories``.

    Examples
    --------
    >>> stress_history(store, "zscore", start=date(2019, 9, 1))  # doctest: +SKIP
    """
    from liqwatch.stress.cache import composite_panel, memoised

    name = _method_name(method)
    panel = composite_panel(store)
    frame = memoised(store, ("composite_history", name),
                     lambda: history_from_panel(panel, name))
    if start is not None:
        frame = frame[frame["date"] >= pd.Timestamp(start)]
    if end is not None:
        frame = frame[frame["date"] <= pd.Timestamp(end)]
    return frame.reset_index(drop=True)


def reading_from_panel(
    panel: StressPanel, method: str | None = None, as_of: date | None = None
) -> StressReading:
    """The reading on ``as_of`` (default: the last day of the panel)."""
    name = _method_name(method)
    outs = method_outputs(panel)
    out = outs[name]
    lev = load_levels()[name]
    values = out.value.dropna()
    if as_of is not None:
        values = values.loc[: pd.Timestamp(as_of)]
    if values.empty:
        return StressReading(None, name, float("nan"), "no_data", lev.as_dict(), {})
    day = values.index[-1]
    seg_z, seg_cat = segment_tail(panel, GUARD_EXCLUDED)
    wide = breadth(panel, GUARD_EXCLUDED)
    guarded = name in GUARDED
    status, trigger = classify(values.loc[[day]], lev, seg_z if guarded else None,
                               wide if guarded else None)
    contrib = out.contributions.loc[day]
    segs = out.segments.loc[day]
    return StressReading(
        date=day.date(),
        method=name,
        value=float(values.loc[day]),
        status=str(status.iloc[0]),
        levels=lev.as_dict(),
        contributions={str(k): float(v) for k, v in contrib.items() if np.isfinite(v)},
        segments={str(k): float(v) for k, v in segs.items() if np.isfinite(v)},
        trigger=trigger.iloc[0],
        segment_score=float(seg_z.get(day, float("nan"))),
        segment=seg_cat.get(day),
        n_indicators=int(out.n_indicators.loc[day]),
        n_categories=int(out.n_categories.loc[day]),
        drivers=_drivers(panel, day),
        markets=tuple(m for m in str(wide["at_alert"].get(day, "")).split(",") if m)
        if guarded else (),
    )


def _drivers(panel: StressPanel, day: pd.Timestamp, n: int = 5) -> tuple[dict[str, Any], ...]:
    """The ``n`` highest stress-scale z-scores on ``day``."""
    day_z = pd.Series(panel.zscores().loc[day])
    row = day_z.dropna().sort_values(ascending=False).head(n)
    return tuple({"id": str(k), "category": panel.categories[str(k)], "z": float(v)}
                 for k, v in row.items())


def composite(store: Any, as_of: date | None = None, method: str | None = None) -> StressReading:
    """The composite stress index as of a day.

    Parameters
    ----------
    store
        A :class:`liqwatch.store.Store`.
    as_of
        Use only data published by this day (default: everything stored).
    method
        ``zscore``, ``pca`` or ``ciss``; ``None`` = the default (``ciss`` with the
        single-segment guard).

    Examples
    --------
    >>> composite(store, date(2019, 9, 17)).status  # doctest: +SKIP
    'alert'
    """
    from liqwatch.stress.cache import composite_panel

    name = _method_name(method)
    return reading_from_panel(composite_panel(store), name, as_of)
