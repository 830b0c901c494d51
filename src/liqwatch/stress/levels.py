"""Watch and alert levels of each method, calibrated on the training period only.

The levels live in the package (``data/levels.toml``) next to the methods. They are produced by
:func:`calibrate` from days **before 2015-01-01 outside every episode window**, never from
later data; ``python -m liqwatch.stress --db PATH --write`` regenerates the file.

Rules
-----
- Aggregate rule (every method): ``watch`` when the value is at or above the training
  :data:`WATCH_Q` quantile, ``alert`` at or above the :data:`ALERT_Q` quantile.
- Single-segment guard (the default method, ``ciss``): the CISS aggregate multiplies segments
  by their cross-correlations, so stress confined to one segment (a repo squeeze) barely moves
  it. The guard watches ``segment_score`` (:func:`liqwatch.stress.methods.segment_tail`: in
  each category the second-highest indicator z-score, i.e. at least two gauges of one market
  extreme together; the highest over categories): ``alert`` when it reaches the training
  :data:`GUARD_ALERT_Q` quantile, ``watch`` at :data:`GUARD_WATCH_Q`. The status is the worse
  of the two rules, and ``trigger`` says which fired.
"""

from __future__ import annotations

import argparse
import tomllib
from dataclasses import asdict, dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from liqwatch.files import package_path
from liqwatch.vocab import Status

__all__ = [
    "ALERT_Q",
    "GUARD_ALERT_Q",
    "GUARD_WATCH_Q",
    "TRAIN_END",
    "WATCH_Q",
    "Levels",
    "calibrate",
    "classify",
    "load_levels",
]

#: Last day of the training period (levels are calibrated on days up to here only).
TRAIN_END = date(2014, 12, 31)
WATCH_Q = 0.90
ALERT_Q = 0.98
GUARD_WATCH_Q = 0.98
GUARD_ALERT_Q = 0.995
#: Methods that carry the single-segment guard.
GUARDED = ("ciss",)

_RANK = {s.value: s.rank for s in Status}


@dataclass(frozen=True, slots=True)
class Levels:
    """Calibrated levels of one method.

    Attributes
    ----------
    watch, alert
        Levels of the aggregate value.
    guard_watch, guard_alert
        Levels of the single-segment guard (on ``segment_score``), if the method has one.
    train_end
        Last day of the calibration sample.
    n_train
        Training days used (outside episodes, value available).
    """

    method: str
    watch: float
    alert: float
    guard_watch: float | None = None
    guard_alert: float | None = None
    train_end: date = TRAIN_END
    n_train: int = 0

    def as_dict(self) -> dict[str, float]:
        """``{"watch": ..., "alert": ...}`` plus the guard levels when present."""
        out = {"watch": self.watch, "alert": self.alert}
        if self.guard_alert is not None and self.guard_watch is not None:
            out["segment_watch"] = self.guard_watch
            out["segment_alert"] = self.guard_alert
        return out


@cache
def load_levels() -> dict[str, Levels]:
    """Levels of every method, from the package data."""
    text = package_path("stress/data/levels.toml").read_text("utf-8")
    raw = tomllib.loads(text)
    return {name: Levels(method=name, **vals) for name, vals in raw.items()
            if isinstance(vals, dict)}


def _status(values: np.ndarray, watch: float, alert: float) -> np.ndarray:
    out = np.where(values >= alert, 2, np.where(values >= watch, 1, 0))
    return np.where(np.isfinite(values), out, -1)


def classify(
    value: pd.Series, levels: Levels, segment_score: pd.Series | None = None
) -> tuple[pd.Series, pd.Series]:
    """Status and trigger of each day.

    Parameters
    ----------
    value
        The method's value by day.
    levels
        Its levels.
    segment_score
        The guard's score by day (used when the method has a guard).

    Returns
    -------
    status, trigger
        ``status`` in normal/watch/alert/no_data; ``trigger`` is ``"aggregate"``,
        ``"segment"`` or ``None`` (normal days).
    """
    agg = _status(value.to_numpy(dtype=float), levels.watch, levels.alert)
    code = agg
    trig = np.full(len(agg), None, dtype=object)
    trig[agg > 0] = "aggregate"
    if (segment_score is not None and levels.guard_alert is not None
            and levels.guard_watch is not None):
        guard = _status(segment_score.reindex(value.index).to_numpy(dtype=float),
                        levels.guard_watch, levels.guard_alert)
        trig[guard > agg] = "segment"
        code = np.where(agg < 0, -1, np.maximum(agg, guard))
    names = np.array(["no_data", "normal", "watch", "alert"], dtype=object)[code + 1]
    trig[code <= 0] = None
    return pd.Series(names, index=value.index), pd.Series(trig, index=value.index, dtype=object)


def calibrate(
    values: dict[str, pd.Series], segment_score: pd.Series, train_end: date = TRAIN_END
) -> dict[str, Levels]:
    """Calibrate the levels of each method on training days outside episodes.

    Parameters
    ----------
    values
        Method -> value by day (the full real-time history; only days up to ``train_end``
        outside episode windows are used).
    segment_score
        The guard's score by day.
    train_end
        Last training day.
    """
    from liqwatch.stress.episodes import inside_episodes

    out: dict[str, Levels] = {}
    for method, series in values.items():
        s = series.loc[: pd.Timestamp(train_end)]
        s = s[~inside_episodes(pd.DatetimeIndex(s.index))].dropna()
        if len(s) < 250:
            raise ValueError(f"{method}: only {len(s)} training days, cannot calibrate")
        kw: dict[str, Any] = {}
        if method in GUARDED:
            g = segment_score.reindex(s.index).dropna()
            kw = {"guard_watch": float(g.quantile(GUARD_WATCH_Q)),
                  "guard_alert": float(g.quantile(GUARD_ALERT_Q))}
        out[method] = Levels(method, float(s.quantile(WATCH_Q)), float(s.quantile(ALERT_Q)),
                             train_end=train_end, n_train=len(s), **kw)
    return out


def to_toml(levels: dict[str, Levels]) -> str:
    """Render levels as the package data file."""
    lines = [
        "# Watch/alert levels of the stress methods, calibrated on training days before 2015",
        "# outside every episode window (liqwatch.stress.levels.calibrate). Regenerate with",
        "#   python -m liqwatch.stress --db PATH --write",
        f"# Quantiles: watch {WATCH_Q}, alert {ALERT_Q}; segment guard {GUARD_WATCH_Q}, "
        f"{GUARD_ALERT_Q}.",
    ]
    for name, lev in levels.items():
        lines.append(f"\n[{name}]")
        for key, val in asdict(lev).items():
            if key == "method" or val is None:
                continue
            lines.append(f"{key} = {val.isoformat() if isinstance(val, date) else repr(val)}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    """Recalibrate from a store and print (or ``--write``) the package levels file."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    from liqwatch.store import Store
    from liqwatch.stress.composite import method_outputs
    from liqwatch.stress.panel import from_store

    with Store(args.db, read_only=True) as store:
        panel = from_store(store)
    from liqwatch.stress.methods import segment_tail

    outs = method_outputs(panel)
    levels = calibrate({m: o.value for m, o in outs.items()}, segment_tail(panel)[0])
    text = to_toml(levels)
    if args.write:
        path = package_path("stress/data/levels.toml")
        path.write_text(text, encoding="utf-8")
        load_levels.cache_clear()
    print(text)
