"""Backtest and event study of the stress methods against the episodes and published indices.

Every series is judged the same way, like for like: the as-of status on each business day (a
method at its calibrated ``alert`` level, a published index above its conventional level of 0),
episodes from the package data, false alarms counted outside every episode window. Levels are
calibrated on days up to 2014-12-31 (training); false alarms are reported for the training and
the test period (2015 on) separately.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from liqwatch.calendar import holiday_array
from liqwatch.stress import _html
from liqwatch.stress.composite import history_from_panel, method_outputs
from liqwatch.stress.episodes import EPISODES, Episode, inside_episodes
from liqwatch.stress.levels import TRAIN_END, classify, load_levels
from liqwatch.stress.methods import METHODS
from liqwatch.stress.panel import StressPanel, from_store

__all__ = ["PUBLISHED", "BacktestResult", "backtest", "backtest_panel", "event_study"]

#: Published stress indices and their conventional level (above 0 = above-average stress).
PUBLISHED: dict[str, float] = {"STLFSI4": 0.0, "NFCI": 0.0, "OFR_FSI": 0.0}
#: Extra row of the backtest: the CISS aggregate without the single-segment guard.
CISS_AGGREGATE = "ciss_aggregate"


def _bdays_between(a: pd.Timestamp, b: pd.Timestamp) -> int:
    return int(np.busday_count(a.date(), b.date(), holidays=holiday_array()))


def event_study(
    alert: pd.Series, name: str, episodes: tuple[Episode, ...] = EPISODES,
    train_end: date = TRAIN_END,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Detection per episode and false alarms outside episodes for one alert series.

    Parameters
    ----------
    alert
        Boolean by as-of business day (NaN/missing = no data that day).
    name
        Label of the series (method or published index).

    Returns
    -------
    episodes, false_alarms
        Rows ``episode, type, method, detected, first_alert, lead_days, peak`` (``detected``
        is ``None`` when the series has no data in the window), and rows per period
        (``train``/``test``) ``method, period, false_alarms_per_year, alert_share, years``.
    """
    s = alert.dropna().astype(bool)
    rows: list[dict[str, Any]] = []
    for ep in episodes:
        win = s.loc[pd.Timestamp(ep.start): pd.Timestamp(ep.end)]
        row: dict[str, Any] = {
            "episode": ep.name, "type": ep.type, "method": name, "peak": ep.peak,
            "split": "train" if ep.peak <= train_end else "test",
            "detected": None, "first_alert": None, "lead_days": None,
        }
        if not win.empty:
            hits = win[win]
            row["detected"] = bool(len(hits))
            if len(hits):
                first = pd.Timestamp(hits.index[0])
                peak = pd.Timestamp(ep.peak)
                lead = _bdays_between(first, peak) if first <= peak else -_bdays_between(
                    peak, first)
                row.update(first_alert=first.date(), lead_days=lead)
        rows.append(row)
    outside = s[~inside_episodes(pd.DatetimeIndex(s.index), episodes)]
    # an alarm = the first day of an alert run, on a day outside every episode window
    prev = s.shift(1, fill_value=False).reindex(outside.index)
    onsets = outside & ~prev.astype(bool)
    fa: list[dict[str, Any]] = []
    cut = pd.Timestamp(train_end)
    for period, mask in (("train", outside.index <= cut), ("test", outside.index > cut)):
        days = int(mask.sum())
        years = days / 252.0
        fa.append({
            "method": name, "period": period, "years": round(years, 2),
            "false_alarms_per_year": (float(onsets[mask].sum()) / years) if days else None,
            "alert_share": float(outside[mask].mean()) if days else None,
        })
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
    """Event study of every method and published index.

    Attributes
    ----------
    episodes
        Rows ``episode, type, method, detected, first_alert, lead_days, peak, split``.
    false_alarms
        Rows ``method, period, false_alarms_per_year, alert_share, years``.
    correlations
        Rows ``method, STLFSI4, NFCI, n_weeks`` (weekly, Friday as-of values).
    history
        Daily value/status of each method (for charts).
    published
        Daily as-of values of the published indices.
    """

    episodes: pd.DataFrame
    false_alarms: pd.DataFrame
    correlations: pd.DataFrame
    history: pd.DataFrame
    published: pd.DataFrame
    train_end: date = TRAIN_END

    @property
    def false_alarms_per_year(self) -> dict[str, float | None]:
        """False alarms per year outside episodes in the test period, by series."""
        test = self.false_alarms[self.false_alarms["period"] == "test"]
        return {str(r.method): (None if r.false_alarms_per_year is None
                                or not np.isfinite(r.false_alarms_per_year)
                                else float(r.false_alarms_per_year))
                for r in test.itertuples()}

    @property
    def split_note(self) -> str:
        """How the sample is split."""
        return (f"Levels calibrated on training days up to {self.train_end} outside episode "
                f"windows; test period from {self.train_end.year + 1}. Published indices at "
                "their conventional level (above 0).")

    def detection_table(self) -> pd.DataFrame:
        """Episodes x series: lead in business days (``+n`` before the peak), ``no``, or ``—``."""
        def cell(r: pd.Series) -> str:
            if r["detected"] is None or (isinstance(r["detected"], float)
                                         and np.isnan(r["detected"])):
                return "—"
            if not r["detected"]:
                return "no"
            return f"{int(r['lead_days']):+d}"

        frame = self.episodes.assign(cell=self.episodes.apply(cell, axis=1))
        table = frame.pivot(index="episode", columns="method", values="cell")
        order = list(dict.fromkeys(self.episodes["episode"]))
        cols = list(dict.fromkeys(self.episodes["method"]))
        return table.reindex(index=order, columns=cols)

    def detection_markdown(self) -> str:
        """The detection table, false alarms (test period) and alert share as Markdown."""
        det = self.detection_table()
        fa = self.false_alarms[self.false_alarms["period"] == "test"].set_index("method")
        cols = list(det.columns)
        lines = ["| episode | " + " | ".join(cols) + " |",
                 "|---|" + "---|" * len(cols)]
        for ep, row in det.iterrows():
            lines.append(f"| {ep} | " + " | ".join(str(row[c]) for c in cols) + " |")

        def num(method: str, col: str, pct: bool = False) -> str:
            if method not in fa.index or fa.loc[method, col] is None:
                return "—"
            v = float(fa.loc[method, col])
            return f"{100 * v:.1f}%" if pct else f"{v:.2f}"

        lines.append("| false alarms / year (test) | "
                     + " | ".join(num(c, "false_alarms_per_year") for c in cols) + " |")
        lines.append("| days in alert outside episodes (test) | "
                     + " | ".join(num(c, "alert_share", True) for c in cols) + " |")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``liqwatch backtest --format json``."""
        from liqwatch.jsonsafe import plain_records

        eps = self.episodes[["episode", "type", "method", "detected", "lead_days", "first_alert",
                             "peak", "split"]]
        return {
            "split": {"train_end": self.train_end.isoformat(),
                      "test_start": date(self.train_end.year + 1, 1, 1).isoformat(),
                      "note": self.split_note},
            "episodes": plain_records(eps.to_dict("records")),
            "false_alarms_per_year": self.false_alarms_per_year,
            "false_alarms": plain_records(self.false_alarms.to_dict("records")),
            "correlations": plain_records(self.correlations.to_dict("records")),
        }

    def summary(self) -> str:
        """Detection table, false alarms and correlations as text."""
        det = self.detection_table()
        fa = self.false_alarms.pivot(index="method", columns="period",
                                     values=["false_alarms_per_year", "alert_share"])
        return "\n\n".join([
            self.split_note,
            "Detection (lead in business days before the peak; no = missed; — = no data):\n"
            + det.to_string(),
            "False alarms per year and share of days in alert, outside episodes:\n"
            + fa.round(3).to_string(),
            "Weekly correlation with the published indices:\n"
            + self.correlations.round(3).to_string(index=False),
        ])

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        det = self.detection_table().reset_index()
        return (
            f"<p>{html.escape(self.split_note)}</p>"
            + _html.table(det.to_dict("records"), list(det.columns), "Detection (lead days)")
            + _html.table(self.false_alarms.to_dict("records"), list(self.false_alarms.columns),
                          "False alarms outside episodes")
            + _html.table(self.correlations.to_dict("records"), list(self.correlations.columns),
                          "Weekly correlations")
        )

    def plot(self, path: Path | str) -> Path:
        """Save a chart of the methods (relative to their alert level) and the published
        indices with the episodes shaded: ``.html`` (Plotly) or ``.png`` (Matplotlib)."""
        from liqwatch.stress.plot import plot_backtest

        return plot_backtest(self, Path(path))


def backtest_panel(
    panel: StressPanel, published: pd.DataFrame | None = None,
    episodes: tuple[Episode, ...] = EPISODES,
) -> BacktestResult:
    """Run the backtest on a panel and (optionally) published indices by as-of day."""
    levels = load_levels()
    hist = {m: history_from_panel(panel, m).set_index("date") for m in METHODS}
    ep_rows: list[dict[str, Any]] = []
    fa_rows: list[dict[str, Any]] = []
    series: dict[str, pd.Series] = {}
    for m, frame in hist.items():
        series[m] = frame["status"] == "alert"
        if m == "ciss":
            agg, _ = classify(frame["value"], levels["ciss"])
            series[CISS_AGGREGATE] = agg == "alert"
    days = panel.values.index
    pub = published if published is not None else pd.DataFrame(index=days)
    for sid, level in PUBLISHED.items():
        if sid in pub and pub[sid].notna().any():
            vals = pub[sid]
            series[sid] = (vals > level).where(vals.notna())
    for name, s in series.items():
        e, f = event_study(s, name, episodes)
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


def backtest(store: Any) -> BacktestResult:
    """Event study of the three methods and STLFSI4/NFCI/OFR FSI over every episode.

    Examples
    --------
    >>> result = backtest(store)  # doctest: +SKIP
    >>> print(result.summary())  # doctest: +SKIP
    """
    panel = from_store(store)
    method_outputs(panel)
    days = panel.values.index
    pub = pd.DataFrame({sid: _published_asof(store, sid, days) for sid in PUBLISHED})
    return backtest_panel(panel, pub)
