"""Projections from past dates, with only what was published and announced then, scored
against what happened.

Each window starts on a Wednesday and is projected as of the next day (the H.4.1 release),
with the data and announcements of that day; twice: with every driver estimated
("announced policy") and with the TGA and ON RRP paths that actually happened (to separate
those forecasting errors from the rest). A window about a squeeze ends before the Fed's
response; the response is stated separately. Scores: the error in the last week, the mean
absolute error over the path, and the timing of each level's first crossing — on four-week
averages of both paths, since weekly reserves swing by tens of billions around quarter ends
and tax dates.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from liqwatch.exceptions import StoreError
from liqwatch.scenarios.engine import first_crossing
from liqwatch.scenarios.identity import balance_sheet
from liqwatch.scenarios.projection import project
from liqwatch.scenarios.wording import Text
from liqwatch.store import Store
from liqwatch.vocab import fmt_date, fmt_usd_bn

__all__ = ["END_ERROR_GOAL_BN", "MAE_GOAL_BN", "TIMING_GOAL_WEEKS", "VARIANTS", "WINDOWS",
           "ValidationResult", "Window", "validate"]

#: Goals of the announced-policy variant in every window.
END_ERROR_GOAL_BN = 150.0
MAE_GOAL_BN = 100.0
TIMING_GOAL_WEEKS = 3
_SMOOTH = 4


@dataclass(frozen=True)
class Window:
    """A validation window: start and end Wednesdays, the levels whose timing is scored, and
    the day the Fed responded (squeeze windows end before it)."""

    name: str
    start: date
    end: date
    levels: tuple[tuple[str, float], ...]
    response: date | None = None
    why: str = ""


#: The default windows.
WINDOWS = (
    Window("2018 runoff ramp-up", date(2018, 5, 2), date(2018, 12, 26),
           (("1.9T", 1900.0), ("1.8T", 1800.0)),
           why="caps rising to 30bn / 20bn; from the week after the refunding of 30 Apr 2018"),
    Window("2019 runoff to the repo squeeze", date(2019, 1, 2), date(2019, 9, 11),
           (("1.5T", 1500.0),), response=date(2019, 9, 17),
           why="ends the week before the Fed's repo operations of 17 Sep 2019"),
    Window("2022 QT start", date(2022, 6, 1), date(2022, 12, 28),
           (("3.2T", 3200.0), ("3.1T", 3100.0)),
           why="runoff from June 2022, caps doubling in September"),
    Window("2023 TGA rebuild after the debt limit", date(2023, 6, 7), date(2023, 12, 27),
           (("3.2T", 3200.0),),
           why="the week after the Fiscal Responsibility Act (3 Jun 2023)"),
    Window("2024 cap cut", date(2024, 6, 5), date(2024, 12, 25),
           (("3.2T", 3200.0),), why="Treasury cap cut to 25bn from June 2024"),
    Window("2025 TGA rebuild to the end of runoff", date(2025, 7, 30), date(2025, 11, 26),
           (("3.0T", 3000.0), ("2.9T", 2900.0)),
           why="the week of the refunding of 28 Jul 2025, after the debt-limit increase of "
               "4 Jul 2025; runoff ends 1 Dec 2025"),
)

VARIANTS = ("announced policy", "announced policy + actual TGA and ON RRP")


@dataclass(frozen=True)
class ValidationResult:
    """One row per window and variant (:attr:`table`), the weekly paths, and the Fed's
    responses stated apart from the errors.

    Attributes
    ----------
    table : pandas.DataFrame
        ``window, variant, start, end, weeks, projected_bn, actual_bn, error_bn,
        mean_abs_error_bn, thresholds`` (each ``{label, actual, projected, error_weeks,
        status}``; status ``both``, ``missed`` (only the actual path crossed), ``false
        alarm`` or ``neither``).
    paths : pandas.DataFrame
        ``window, variant, date, projected_bn, actual_bn``.
    responses : dict
        Window name -> what the Fed did after the window ended (English and Japanese).
    """

    table: pd.DataFrame
    paths: pd.DataFrame
    responses: dict[str, Text]

    def records(self) -> list[dict[str, Any]]:
        """Rows for JSON (see :attr:`table`)."""
        return [{str(k): v for k, v in r.items()} for r in self.table.to_dict("records")]

    def goals(self) -> dict[str, bool]:
        """Each goal and whether every window meets it.

        ``end_error``: announced-policy end error within 150bn; ``mean_abs_error``: within
        100bn; ``actual_not_worse``: with the actual TGA and ON RRP the mean absolute error is
        no larger; ``timing``: every level crossed by the actual path is crossed by the
        projection within three weeks.
        """
        t = self.table
        ann = t[t["variant"] == VARIANTS[0]].set_index("window")
        act = t[t["variant"] == VARIANTS[1]].set_index("window")
        timing = all(
            th["status"] != "missed" and (th["error_weeks"] is None or
                                         abs(th["error_weeks"]) <= TIMING_GOAL_WEEKS)
            for ths in ann["thresholds"] for th in ths if th["actual"] is not None)
        return {
            "end_error": bool((ann["error_bn"].abs() <= END_ERROR_GOAL_BN).all()),
            "mean_abs_error": bool((ann["mean_abs_error_bn"] <= MAE_GOAL_BN).all()),
            "actual_not_worse": bool((act["mean_abs_error_bn"]
                                      <= ann["mean_abs_error_bn"].reindex(act.index)).all()),
            "timing": timing,
        }

    def summary(self) -> str:
        """Plain-text table, the goals and the Fed's responses."""
        lines = [f"{'window':<40} {'variant':<42} {'end':<10}  {'proj':>6}  {'actual':>6}"
                 "  error    MAE  timing (weeks, 4-week averages)"]
        for r in self.records():
            timing = ", ".join(
                f"{t['label']}: {t['error_weeks']:+d}" if t["error_weeks"] is not None
                else f"{t['label']}: {t['status']}" for t in r["thresholds"])
            lines.append(
                f"{r['window']:<40} {r['variant']:<42} {r['end']}  {r['projected_bn']:>6,.0f}"
                f"  {r['actual_bn']:>6,.0f}  {r['error_bn']:>+5,.0f}  "
                f"{r['mean_abs_error_bn']:>5,.0f}  {timing}")
        met = ", ".join(f"{k}: {'met' if v else 'NOT met'}" for k, v in self.goals().items())
        lines.append(f"goals: {met}")
        lines += [f"{k}: {v.en}" for k, v in self.responses.items()]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        flat = self.table.drop(columns=["thresholds"]).to_html(
            index=False, float_format=lambda x: f"{x:,.0f}")
        said = "".join(f"<li>{html.escape(k)}: {html.escape(v.en)}</li>"
                       for k, v in self.responses.items())
        return f"<div><h4>Scenario validation</h4>{flat}<ul>{said}</ul></div>"


def _weeks_between(a: date | None, b: date | None) -> int | None:
    if a is None or b is None:
        return None
    return round((a - b).days / 7)


def _smoothed(before: np.ndarray, path: np.ndarray) -> np.ndarray:
    full = pd.Series(np.concatenate([before, path]))
    return np.asarray(full.rolling(_SMOOTH).mean().to_numpy()[len(before):], float)


def _response(actual_bs: pd.DataFrame, w: Window) -> Text | None:
    if w.response is None:
        return None
    repo = actual_bs["repo"].fillna(0.0) / 1e3
    before = float(repo.loc[:pd.Timestamp(w.end)].iloc[-1])
    after = repo.loc[repo.index > pd.Timestamp(w.end)]
    nxt, first = after.index[0].date(), float(after.iloc[0])
    peak = float(after.loc[:pd.Timestamp(w.response) + pd.Timedelta(days=120)].max())
    return Text(
        f"not in the error: the Fed responded from {fmt_date(w.response)} with repo "
        f"operations; repo held rose from {fmt_usd_bn(before)} in the week to "
        f"{fmt_date(w.end)} to {fmt_usd_bn(first)} in the week to {fmt_date(nxt)} and "
        f"{fmt_usd_bn(peak)} at most within four months.",
        f"誤差には含めません: FRBは{fmt_date(w.response, 'ja')}からレポオペで対応し、"
        f"レポ残高は{fmt_date(w.end, 'ja')}までの週の{fmt_usd_bn(before, 'ja')}から"
        f"{fmt_date(nxt, 'ja')}までの週に{fmt_usd_bn(first, 'ja')}、4か月以内の最大で"
        f"{fmt_usd_bn(peak, 'ja')}となりました。")


def validate(store: Store, windows: tuple[Window, ...] = WINDOWS) -> ValidationResult:
    """Run each window's projection from its start, as of the day after (H.4.1 release).

    Two variants per window: the announced policy with estimated drivers, and the same with
    the TGA and ON RRP paths that actually happened. Threshold timing error = projected minus
    actual first week below (four-week averages), in weeks (positive: projected too late);
    ``None`` when either path never crosses.
    """
    actual_bs = balance_sheet(store)
    rows: list[dict[str, Any]] = []
    paths = []
    responses: dict[str, Text] = {}
    for w in windows:
        span = actual_bs.loc[(actual_bs.index >= pd.Timestamp(w.start))
                             & (actual_bs.index <= pd.Timestamp(w.end))]
        if span.empty or span.index[0].date() != w.start or span.index[-1].date() != w.end:
            raise StoreError(f"validation window {w.name!r} ({w.start}..{w.end}) needs WRESBAL "
                             "and the TGA for every week in the store")
        weeks = len(span) - 1
        actual = span["reserves"].to_numpy(float) / 1e3
        before = (actual_bs["reserves"].loc[:pd.Timestamp(w.start)].iloc[-_SMOOTH:-1]
                  .to_numpy(float) / 1e3)
        actual_avg = _smoothed(before, actual)
        tga_changes = tuple(np.diff(span["tga"].to_numpy(float) / 1e3))
        rrp_changes = tuple(np.diff(span["on_rrp"].to_numpy(float) / 1e3))
        said = _response(actual_bs, w)
        if said is not None:
            responses[w.name] = said
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
            proj_avg = _smoothed(before, proj)
            thresholds = []
            for label, lvl in w.levels:
                a = first_crossing(dates, actual_avg, lvl)
                p = first_crossing(dates, proj_avg, lvl)
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
    return ValidationResult(table=pd.DataFrame(rows), paths=pd.concat(paths, ignore_index=True),
                            responses=responses)
