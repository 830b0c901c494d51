"""Projections from past dates, with only the policy announced then, against what happened."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from liqwatch.exceptions import StoreError
from liqwatch.scenarios.engine import first_crossing
from liqwatch.scenarios.identity import balance_sheet
from liqwatch.scenarios.projection import project
from liqwatch.store import Store

__all__ = ["WINDOWS", "ValidationResult", "Window", "validate"]


@dataclass(frozen=True)
class Window:
    """A validation window: start and end Wednesdays and the levels whose timing is scored."""

    name: str
    start: date
    end: date
    levels: tuple[tuple[str, float], ...]


#: The default windows.
WINDOWS = (
    Window("2019 runoff to repo stress", date(2019, 1, 2), date(2019, 9, 25),
           (("1.5T", 1500.0), ("1.4T", 1400.0))),
    Window("2022 QT start", date(2022, 6, 1), date(2022, 12, 28),
           (("3.2T", 3200.0), ("3.0T", 3000.0))),
    Window("2024 cap cut", date(2024, 6, 5), date(2024, 12, 25),
           (("3.2T", 3200.0), ("3.0T", 3000.0))),
    Window("2025 TGA rebuild to QT end", date(2025, 7, 2), date(2025, 11, 26),
           (("3.0T", 3000.0), ("2.9T", 2900.0))),
)

VARIANTS = ("announced policy", "announced policy + actual TGA and ON RRP")


@dataclass(frozen=True)
class ValidationResult:
    """One row per window and variant (:attr:`table`), and the weekly paths."""

    table: pd.DataFrame
    paths: pd.DataFrame

    def records(self) -> list[dict[str, Any]]:
        """Rows for JSON: ``window, variant, start, end, projected_bn, actual_bn, error_bn,
        mean_abs_error_bn, thresholds`` (each ``{label, actual, projected, error_weeks,
        status}``; status ``both``, ``missed`` (only the actual path crossed), ``false alarm``
        or ``neither``)."""
        return list(self.table.to_dict("records"))

    def summary(self) -> str:
        """Plain-text table."""
        lines = [f"{'window':<31} {'variant':<42} {'end':<10}  {'proj':>6}  {'actual':>6}"
                 "  error  timing (weeks)"]
        for r in self.records():
            timing = ", ".join(
                f"{t['label']}: {t['error_weeks']:+d}" if t["error_weeks"] is not None
                else f"{t['label']}: {t['status']}" for t in r["thresholds"]
            )
            lines.append(
                f"{r['window']:<31} {r['variant']:<42} {r['end']}  {r['projected_bn']:>6,.0f}"
                f"  {r['actual_bn']:>6,.0f}  {r['error_bn']:>+6,.0f}  {timing}"
            )
        return "\n".join(lines)


def _weeks_between(a: date | None, b: date | None) -> int | None:
    if a is None or b is None:
        return None
    return round((a - b).days / 7)


def validate(store: Store, windows: tuple[Window, ...] = WINDOWS) -> ValidationResult:
    """Run each window's projection from its start, as of the day after (H.4.1 release).

    Two variants per window: the announced policy with estimated drivers, and the same with
    the TGA and ON RRP paths that actually happened (separating policy and driver errors from TGA
    forecasting errors). Threshold timing error = projected minus actual first week below,
    in weeks (positive: projected too late); ``None`` when either path never crosses.
    """
    actual_bs = balance_sheet(store)
    rows: list[dict[str, Any]] = []
    paths = []
    for w in windows:
        span = actual_bs.loc[(actual_bs.index >= pd.Timestamp(w.start))
                             & (actual_bs.index <= pd.Timestamp(w.end))]
        if span.empty or span.index[0].date() != w.start or span.index[-1].date() != w.end:
            raise StoreError(f"validation window {w.name!r} ({w.start}..{w.end}) needs WRESBAL "
                             "and the TGA for every week in the store")
        weeks = len(span) - 1
        actual = span["reserves"].to_numpy(float) / 1e3
        tga_changes = tuple(np.diff(span["tga"].to_numpy(float) / 1e3))
        rrp_changes = tuple(np.diff(span["on_rrp"].to_numpy(float) / 1e3))
        for variant in VARIANTS:
            extra: dict[str, Any] = {}
            if variant != VARIANTS[0]:
                extra["tga_changes"] = tga_changes
                extra["rrp_changes"] = rrp_changes
            res = project(store, "current-policy", weeks=weeks,
                          as_of=w.start + timedelta(days=1), **extra)
            proj = res.path["reserves_bn"].to_numpy(float)
            dates = pd.DatetimeIndex(res.path["date"])
            if res.start.date != w.start:
                raise StoreError(f"window {w.name!r}: projection starts {res.start.date}, "
                                 f"not {w.start} (data published by then differs)")
            thresholds = []
            for label, lvl in w.levels:
                a = first_crossing(dates, actual, lvl)
                p = first_crossing(dates, proj, lvl)
                status = ("both" if a and p else "missed" if a else
                          "false alarm" if p else "neither")
                thresholds.append({"label": label, "actual": a, "projected": p,
                                   "error_weeks": _weeks_between(p, a), "status": status})
            rows.append({
                "window": w.name, "variant": variant, "start": w.start, "end": w.end,
                "weeks": weeks, "projected_bn": float(proj[-1]), "actual_bn": float(actual[-1]),
                "error_bn": float(proj[-1] - actual[-1]),
                "mean_abs_error_bn": float(np.mean(np.abs(proj - actual))),
                "thresholds": thresholds,
            })
            paths.append(pd.DataFrame({"window": w.name, "variant": variant, "date": dates,
                                       "projected_bn": proj, "actual_bn": actual}))
    return ValidationResult(table=pd.DataFrame(rows), paths=pd.concat(paths, ignore_index=True))
