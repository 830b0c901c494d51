"""Backtest and event study of the stress methods against the episodes and published indices.

Every series is judged the same way, like for like: the as-of status on each business day (a
method at its calibrated ``alert`` level, a published index above its conventional level of 0),
episodes from the package data, false alarms counted outside every episode window. Levels are
calibrated on days up to 2014-12-31 (training); false alarms are reported for the training and
the test period (2015 on) separately.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from liqwatch.calendar import holiday_array
from liqwatch.stress import _html
from liqwatch.stress.composite import history_from_panel
from liqwatch.stress.episodes import EPISODES, Episode, inside_episodes
from liqwatch.stress.levels import TRAIN_END, classify, load_levels
from liqwatch.stress.methods import METHODS
from liqwatch.stress.panel import StressPanel
from liqwatch.stress.regime import IndicatorView

__all__ = ["OVERALL", "PRE_PEAK_DAYS", "PUBLISHED", "BacktestInputs", "BacktestResult",
           "backtest", "backtest_inputs", "backtest_panel", "event_study", "inside_zones",
           "zone_start"]

#: Published stress indices and their conventional level (above 0 = above-average stress).
PUBLISHED: dict[str, float] = {"STLFSI4": 0.0, "NFCI": 0.0, "OFR_FSI": 0.0}
#: Extra row of the backtest: the CISS aggregate without the single-segment guard.
CISS_AGGREGATE = "ciss_aggregate"
#: Row of the backtest for the overall status (liqwatch.stress.verdict).
OVERALL = "overall"
#: Business days before a peak in which an alert is a warning (the ``warning`` definition).
PRE_PEAK_DAYS = 40


def _bdays_between(a: pd.Timestamp, b: pd.Timestamp) -> int:
    return int(np.busday_count(a.date(), b.date(), holidays=holiday_array()))


def _lead(first: pd.Timestamp, peak: pd.Timestamp) -> int:
    return _bdays_between(first, peak) if first <= peak else -_bdays_between(peak, first)


def zone_start(ep: Episode, days: int = PRE_PEAK_DAYS) -> pd.Timestamp:
    """First day of the pre-peak zone: ``days`` business days before the peak."""
    return pd.Timestamp(np.busday_offset(np.datetime64(ep.peak, "D"), -days, roll="backward",
                                         holidays=holiday_array()))


def inside_zones(dates: pd.DatetimeIndex, episodes: tuple[Episode, ...],
                 days: int = PRE_PEAK_DAYS) -> np.ndarray:
    """Boolean mask: ``dates`` inside an episode window or its pre-peak zone."""
    mask = inside_episodes(dates, episodes)
    for ep in episodes:
        mask |= (dates >= zone_start(ep, days)) & (dates < pd.Timestamp(ep.start))
    return mask


def _onset_rates(s: pd.Series, outside: np.ndarray, name: str, definition: str,
                 train_end: date) -> list[dict[str, Any]]:
    out = s[outside]
    # an alarm = the first day of an alert run, on a day outside the excluded days
    prev = s.shift(1, fill_value=False).reindex(out.index)
    onsets = out & ~prev.astype(bool)
    rows: list[dict[str, Any]] = []
    cut = pd.Timestamp(train_end)
    for period, mask in (("train", out.index <= cut), ("test", out.index > cut)):
        days = int(mask.sum())
        years = days / 252.0
        rows.append({
            "method": name, "period": period, "definition": definition,
            "years": round(years, 2),
            "false_alarms_per_year": (float(onsets[mask].sum()) / years) if days else None,
            "alert_share": float(out[mask].mean()) if days else None,
        })
    return rows


def event_study(
    alert: pd.Series, name: str, episodes: tuple[Episode, ...] = EPISODES,
    train_end: date = TRAIN_END, found: tuple[Episode, ...] = (),
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Detection per episode and false alarms outside episodes for one alert series, under
    both definitions.

    - ``strict`` (the package's): detected when in alert from start to end, lead from the
      first alert in that window; a false alarm is an alert onset outside every window of
      ``episodes``.
    - ``warning``: lead from the first alert in the :data:`PRE_PEAK_DAYS` business days
      before the peak (or up to the end); alerts in that pre-peak zone are warnings, not
      false alarms, and the squeezes ``found`` in the data count like listed episodes.

    Parameters
    ----------
    alert
        Boolean by as-of business day (NaN/missing = no data that day).
    name
        Label of the series (method or published index).
    found
        Squeezes found in the data (:func:`liqwatch.stress.squeezes.find_squeezes`).

    Returns
    -------
    episodes, false_alarms
        Rows ``episode, type, found, method, detected, first_alert, lead_days,
        detected_warning, first_warning, lead_warning, peak, split`` (``detected`` is
        ``None`` when the series has no data in the window), and rows per period
        (``train``/``test``) and definition ``method, period, definition,
        false_alarms_per_year, alert_share, years``.
    """
    s = alert.dropna().astype(bool)
    rows: list[dict[str, Any]] = []
    for ep in (*episodes, *found):
        peak = pd.Timestamp(ep.peak)
        row: dict[str, Any] = {
            "episode": ep.name, "type": ep.type, "found": ep.found, "method": name,
            "peak": ep.peak, "split": "train" if ep.peak <= train_end else "test",
            "detected": None, "first_alert": None, "lead_days": None,
            "detected_warning": None, "first_warning": None, "lead_warning": None,
        }
        for key, lo in (("", pd.Timestamp(ep.start)), ("_warning", zone_start(ep))):
            win = s.loc[min(lo, pd.Timestamp(ep.start)): pd.Timestamp(ep.end)]
            if win.empty:
                continue
            hits = win[win]
            first_key = "first_alert" if not key else "first_warning"
            lead_key = "lead_days" if not key else "lead_warning"
            row[f"detected{key}"] = bool(len(hits))
            if len(hits):
                first = pd.Timestamp(hits.index[0])
                row.update({first_key: first.date(), lead_key: _lead(first, peak)})
        rows.append(row)
    idx = pd.DatetimeIndex(s.index)
    fa = _onset_rates(s, ~inside_episodes(idx, episodes), name, "strict", train_end)
    fa += _onset_rates(s, ~inside_zones(idx, (*episodes, *found)), name, "warning",
                       train_end)
    return rows, fa


def _published_asof(store: Any, series_id: str, days: pd.DatetimeIndex) -> pd.Series:
    """A published index as known on each business day (latest value released by then)."""
    obs = store.read([series_id])
    if obs.empty:
        return pd.Series(np.nan, index=days)
    # released rows by release day, the newest observation last among those of one day
    obs = obs.dropna(subset=["value"]).sort_values(["realtime_start", "date"])
    obs = obs.drop_duplicates("realtime_start", keep="last")
    obs = obs[obs["date"] >= obs["date"].cummax()]  # a late revision of an old week is not news
    known = pd.DataFrame({"day": days})
    merged = pd.merge_asof(known, obs[["realtime_start", "date", "value"]].rename(
        columns={"realtime_start": "day"}), on="day")
    # a value older than 30 days on the as-of day is stale (the index stopped): no data
    fresh = (merged["day"] - merged["date"]) <= pd.Timedelta(days=30)
    out = pd.Series(merged["value"].where(fresh).to_numpy(), index=days)
    return out


@dataclass(frozen=True)
class BacktestResult:
    """Event study of every method, the overall status and the published indices.

    Attributes
    ----------
    episodes
        Rows ``episode, type, found, method, detected, first_alert, lead_days,
        detected_warning, first_warning, lead_warning, peak, split`` (both definitions, see
        :func:`event_study`).
    false_alarms
        Rows ``method, period, definition, false_alarms_per_year, alert_share, years``.
    correlations
        Rows ``method, STLFSI4, NFCI, n_weeks`` (weekly, Friday as-of values).
    history
        Daily value/status of each method (for charts).
    published
        Daily as-of values of the published indices.
    held_out
        The overall status's leave-one-episode-out scores
        (:attr:`liqwatch.stress.selection.Selection.held_out`).
    selection
        How the overall status's parameters were chosen.
    params
        The overall status's parameters (the package's).
    """

    episodes: pd.DataFrame
    false_alarms: pd.DataFrame
    correlations: pd.DataFrame
    history: pd.DataFrame
    published: pd.DataFrame
    train_end: date = TRAIN_END
    held_out: pd.DataFrame = field(default_factory=pd.DataFrame)
    selection: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    def false_alarms_by(self, definition: str = "strict", period: str = "test"
                        ) -> dict[str, float | None]:
        """False alarms per year by series, for one definition and period."""
        fa = self.false_alarms
        rows = fa[(fa["period"] == period) & (fa["definition"] == definition)]
        return {str(method): (None if rate is None or not np.isfinite(rate) else float(rate))
                for method, rate in zip(rows["method"], rows["false_alarms_per_year"],
                                        strict=True)}

    @property
    def false_alarms_per_year(self) -> dict[str, float | None]:
        """False alarms per year outside episodes in the test period (strict), by series."""
        return self.false_alarms_by("strict")

    @property
    def split_note(self) -> str:
        """How the sample is split and how the overall status's parameters were chosen."""
        note = (f"Levels calibrated on training days up to {self.train_end} outside episode "
                f"windows; test period from {self.train_end.year + 1}. Published indices at "
                "their conventional level (above 0).")
        if self.selection:
            note += f" Overall status: parameters by {self.selection}."
        return note

    @property
    def split_note_ja(self) -> str:
        """:attr:`split_note` in Japanese."""
        note = (f"水準はエピソード期間外の {self.train_end} までの学習日で較正し、"
                f"{self.train_end.year + 1} 年以降を検証期間とします。公表指数は通常の水準 "
                "(0 超) で判定します。")
        if self.selection:
            note += ("総合判定のパラメーターは、資金の流れ型の各エピソードを 1 つずつ除いて"
                     "選び (leave-one-episode-out)、最終的な値はすべてのエピソードを使って"
                     "決めています。")
        return note

    def detection_table(self, definition: str = "strict") -> pd.DataFrame:
        """Episodes x series: lead in business days (``+n`` before the peak), ``no``, or ``—``.

        ``definition`` is ``strict`` (first alert in the episode window; listed episodes) or
        ``warning`` (first alert in the pre-peak zone or the window; found squeezes too).
        """
        det, lead = (("detected", "lead_days") if definition == "strict"
                     else ("detected_warning", "lead_warning"))

        def cell(r: pd.Series) -> str:
            if r[det] is None or (isinstance(r[det], float) and np.isnan(r[det])):
                return "—"
            if not r[det]:
                return "no"
            return f"{int(r[lead]):+d}"

        eps = self.episodes
        if definition == "strict" and "found" in eps:
            eps = eps[~eps["found"].astype(bool)]
        frame = eps.assign(cell=eps.apply(cell, axis=1))
        table = frame.pivot(index="episode", columns="method", values="cell")
        order = list(dict.fromkeys(eps["episode"]))
        cols = list(dict.fromkeys(eps["method"]))
        return table.reindex(index=order, columns=cols)

    def detection_markdown(self, definition: str = "strict") -> str:
        """The detection table, false alarms (test period) and alert share as Markdown."""
        det = self.detection_table(definition)
        fa = self.false_alarms
        fa = fa[(fa["period"] == "test") & (fa["definition"] == definition)].set_index("method")
        cols = list(det.columns)
        lines = ["| episode | " + " | ".join(cols) + " |",
                 "|---|" + "---|" * len(cols)]
        for ep, row in det.iterrows():
            lines.append(f"| {ep} | " + " | ".join(str(row[c]) for c in cols) + " |")

        def num(method: str, col: str, pct: bool = False) -> str:
            if method not in fa.index or fa.loc[method, col] is None:
                return "—"
            v = float(fa[col].astype(float)[method])
            return f"{100 * v:.1f}%" if pct else f"{v:.2f}"

        lines.append("| false alarms / year (test) | "
                     + " | ".join(num(c, "false_alarms_per_year") for c in cols) + " |")
        lines.append("| days in alert, quiet days (test) | "
                     + " | ".join(num(c, "alert_share", True) for c in cols) + " |")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``liqwatch backtest --format json``."""
        from liqwatch.jsonsafe import jsonable

        eps = self.episodes[["episode", "type", "found", "method", "detected", "lead_days",
                             "first_alert", "detected_warning", "lead_warning",
                             "first_warning", "peak", "split"]]
        out: dict[str, Any] = jsonable({
            "split": {"train_end": self.train_end.isoformat(),
                      "test_start": date(self.train_end.year + 1, 1, 1).isoformat(),
                      "note": self.split_note},
            "definitions": {
                "strict": "first alert in the episode window; false alarms outside the "
                          "windows of the listed episodes",
                "warning": f"first alert in the {PRE_PEAK_DAYS} business days before the peak "
                           "or in the window; alerts there are warnings; squeezes found in "
                           "the data count as episodes",
            },
            "episodes": eps.to_dict("records"),
            "false_alarms_per_year": self.false_alarms_per_year,
            "false_alarms_per_year_warning": self.false_alarms_by("warning"),
            "false_alarms": self.false_alarms.to_dict("records"),
            "correlations": self.correlations.to_dict("records"),
            "overall": {"selection": self.selection, "params": self.params,
                        "held_out": self.held_out.to_dict("records")},
        }, digits=12)
        return out

    def summary(self) -> str:
        """Detection tables, false alarms, the held-out scores and correlations as text."""
        fa = self.false_alarms.pivot_table(
            index="method", columns=["definition", "period"],
            values=["false_alarms_per_year", "alert_share"], aggfunc="first")
        parts = [
            self.split_note,
            "Detection, strict (lead in business days before the peak; no = missed; "
            "— = no data):\n" + self.detection_table("strict").to_string(),
            f"Detection, warning (first alert in the {PRE_PEAK_DAYS} business days before the "
            "peak):\n" + self.detection_table("warning").to_string(),
            "False alarms per year and share of days in alert, quiet days:\n"
            + fa.round(3).to_string(),
        ]
        if not self.held_out.empty:
            parts.append("Overall status, each plumbing episode held out:\n"
                         + self.held_out.to_string(index=False))
        parts.append("Weekly correlation with the published indices:\n"
                     + self.correlations.round(3).to_string(index=False))
        return "\n\n".join(parts)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        det = self.detection_table().reset_index()
        warn = self.detection_table("warning").reset_index()
        return (
            f"<p>{html.escape(self.split_note)}</p>"
            + _html.table(det.to_dict("records"), list(det.columns), "Detection, strict")
            + _html.table(warn.to_dict("records"), list(warn.columns), "Detection, warning")
            + _html.table(self.false_alarms.to_dict("records"), list(self.false_alarms.columns),
                          "False alarms on quiet days")
            + _html.table(self.held_out.to_dict("records"), list(self.held_out.columns),
                          "Overall status, held out")
            + _html.table(self.correlations.to_dict("records"), list(self.correlations.columns),
                          "Weekly correlations")
        )

    def plot(self, path: Path | str, lang: str = "en") -> Path:
        """Save a chart of the methods (relative to their alert level) and the published
        indices with the episodes shaded: ``.html`` (Plotly) or ``.png`` (Matplotlib), in
        ``lang``."""
        from liqwatch.stress.plot import plot_backtest

        return plot_backtest(self, Path(path), lang)


def backtest_panel(
    panel: StressPanel, published: pd.DataFrame | None = None,
    episodes: tuple[Episode, ...] = EPISODES, *, overall: pd.Series | None = None,
    found: tuple[Episode, ...] = (),
) -> BacktestResult:
    """Run the backtest on a panel, (optionally) published indices by as-of day and the
    overall status's alert series (``overall``: True on alert days, NaN without data)."""
    levels = load_levels()
    hist = {m: history_from_panel(panel, m).set_index("date") for m in METHODS}
    ep_rows: list[dict[str, Any]] = []
    fa_rows: list[dict[str, Any]] = []
    series: dict[str, pd.Series] = {}
    if overall is not None:
        series[OVERALL] = overall
    for m, frame in hist.items():
        series[m] = frame["status"] == "alert"
        if m == "ciss":
            agg, _ = classify(frame["value"], levels["ciss"])
            series[CISS_AGGREGATE] = agg == "alert"
    days = pd.DatetimeIndex(panel.values.index)
    pub = published if published is not None else pd.DataFrame(index=days)
    for sid, level in PUBLISHED.items():
        if sid in pub and pub[sid].notna().any():
            vals = pub[sid]
            series[sid] = (vals > level).where(vals.notna())
    for name, s in series.items():
        e, f = event_study(s, name, episodes, found=found)
        ep_rows += e
        fa_rows += f
    weekly_pub = pub.resample("W-FRI").last()
    corr_rows = []
    for m, frame in hist.items():
        wk = frame["value"].resample("W-FRI").last()
        row: dict[str, Any] = {"method": m}
        n = 0
        for sid in ("STLFSI4", "NFCI"):
            if sid in weekly_pub:
                both = pd.concat([wk, weekly_pub[sid]], axis=1, sort=True).dropna()
                row[sid] = float(both.iloc[:, 0].corr(both.iloc[:, 1])) if len(both) > 10 \
                    else None
                n = max(n, len(both))
            else:
                row[sid] = None
        row["n_weeks"] = n
        corr_rows.append(row)
    long_hist = pd.concat([f.reset_index() for f in hist.values()], ignore_index=True)
    return BacktestResult(
        episodes=pd.DataFrame(ep_rows),
        false_alarms=pd.DataFrame(fa_rows),
        correlations=pd.DataFrame(corr_rows),
        history=long_hist,
        published=pub,
    )


@dataclass(frozen=True)
class BacktestInputs:
    """What the backtest reads from a store (memoised per store state)."""

    history: pd.DataFrame
    view: IndicatorView
    regime: pd.DataFrame
    panel: StressPanel
    composite: pd.DataFrame
    found: tuple[Episode, ...]
    published: pd.DataFrame


def backtest_inputs(store: Any) -> BacktestInputs:
    """The indicator history, regime, composite, found squeezes and published indices."""
    from liqwatch.stress.cache import composite_panel, indicator_history, memoised
    from liqwatch.stress.composite import stress_history
    from liqwatch.stress.squeezes import find_squeezes
    from liqwatch.stress.verdict import regime_frame

    hist = indicator_history(store)
    view, reg = regime_frame(store)
    panel = composite_panel(store)
    comp = stress_history(store)
    days = pd.DatetimeIndex(panel.values.index)
    pub = memoised(store, "published", lambda: pd.DataFrame(
        {sid: _published_asof(store, sid, days) for sid in PUBLISHED}))
    found = find_squeezes(view.prints("sofr_iorb_bp"))
    return BacktestInputs(hist, view, reg, panel, comp, found, pub)


def backtest(store: Any) -> BacktestResult:
    """Event study of the three methods, the overall status and STLFSI4/NFCI/OFR FSI over
    every episode and squeeze found in the data, under both definitions.

    The overall status is scored with the package's parameters; ``held_out`` scores each
    plumbing episode with parameters chosen without it (:mod:`liqwatch.stress.selection`).

    Examples
    --------
    >>> result = backtest(store)  # doctest: +SKIP
    >>> print(result.summary())  # doctest: +SKIP
    """
    from liqwatch.stress.selection import select_params
    from liqwatch.stress.verdict import load_params, verdict_from_history

    inp = backtest_inputs(store)
    params = load_params()
    verdict = verdict_from_history(inp.history, inp.composite, params, view=inp.view,
                                   regime=inp.regime)
    overall = (verdict["status"] == "alert").where(verdict["status"] != "no_data")
    result = backtest_panel(inp.panel, inp.published, overall=overall, found=inp.found)
    sel = select_params(inp.history, inp.composite, inp.found, view=inp.view,
                        regime=inp.regime, base=params)
    return replace(result, held_out=sel.held_out, selection=sel.method,
                   params=params.as_dict())
