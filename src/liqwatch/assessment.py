"""Everything liqwatch says about one day, computed once: the results every surface renders.

:func:`assess` resolves the report day (:func:`liqwatch.asof.resolve_as_of`) and returns an
:class:`Assessment` whose parts — indicator readings, the per-category view, the composite
index and its history, the overall status, crisis analogs, reserve projections and the
nowcast — are computed on first use and then kept. The CLI, the report, the dashboard, the
JSON API and the alert rules all read these objects; none of them recomputes a figure, so one
store and one day give the same numbers and the same status everywhere.

>>> from liqwatch.store import Store
>>> a = assess(Store(":memory:"), today=date(2026, 8, 21))
>>> a.day, a.overall.status
(datetime.date(2026, 8, 21), <Status.no_data: 'no_data'>)
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import cached_property
from html import escape
from typing import Any

import pandas as pd

from liqwatch import indicators as _indicators
from liqwatch import scenarios as _scenarios
from liqwatch.asof import AsOf, resolve_as_of
from liqwatch.exceptions import LiqwatchError
from liqwatch.scenarios.nowcast import NowcastResult
from liqwatch.scenarios.projection import ProjectionResult
from liqwatch.store import Store
from liqwatch.stress.cache import composite_panel
from liqwatch.stress.composite import StressReading, history_from_panel, reading_from_panel
from liqwatch.stress.crisis_analogs import AnalogResult, analogs
from liqwatch.stress.panel import StressPanel
from liqwatch.stress.verdict import OverallStatus, overall_status
from liqwatch.vocab import Status, pick

__all__ = ["Assessment", "assess"]


class Assessment:
    """The results for one store and one day.

    Create it with :func:`assess`. Every attribute is computed on first access and kept, so
    several surfaces rendering one assessment never compute a figure twice. The store must stay
    open while attributes are first read.
    """

    def __init__(self, store: Store, as_of: AsOf,
                 thresholds: Mapping[str, Mapping[str, Any]] | None = None) -> None:
        self.store = store
        self.as_of = as_of
        self.thresholds = thresholds
        self._projections: dict[tuple[str, int], ProjectionResult] = {}
        self._analogs: dict[bool, AnalogResult] = {}

    @property
    def day(self) -> date:
        """The day everything is computed as of."""
        return self.as_of.day

    @cached_property
    def indicators(self) -> pd.DataFrame:
        """Every indicator reading (:func:`liqwatch.indicators.compute`), one row per id."""
        return _indicators.compute(self.store, self.day, thresholds=self.thresholds)

    def indicator(self, ident: str) -> pd.Series:
        """The reading of indicator ``ident`` (a row of :attr:`indicators`)."""
        rows = self.indicators[self.indicators["id"] == ident]
        if rows.empty:
            raise KeyError(f"no indicator {ident!r}")
        return rows.iloc[0]

    @cached_property
    def combination(self) -> pd.DataFrame:
        """Per category: the worst status and the indicators at watch or alert."""
        return _indicators.combination(self.indicators)

    @cached_property
    def stress_panel(self) -> StressPanel:
        """The indicator histories the stress methods work on (built once per store state)."""
        return composite_panel(self.store)

    @cached_property
    def composite(self) -> StressReading:
        """The composite stress index (default method) on the day."""
        return reading_from_panel(self.stress_panel, None, self.day)

    def composite_method(self, method: str) -> StressReading:
        """The composite index of ``method`` on the day."""
        return reading_from_panel(self.stress_panel, method, self.day)

    @cached_property
    def stress_history(self) -> pd.DataFrame:
        """Real-time history of the default composite up to the day."""
        frame = history_from_panel(self.stress_panel, None)
        return frame[pd.to_datetime(frame["date"]) <= pd.Timestamp(self.day)]

    def analogs_with(self, include_current: bool) -> AnalogResult:
        """Past episodes ranked by similarity to the day; the episode under way only with
        ``include_current``."""
        if include_current not in self._analogs:
            self._analogs[include_current] = analogs(self.store, self.day,
                                                     include_current=include_current)
        return self._analogs[include_current]

    @cached_property
    def analogs(self) -> AnalogResult:
        """Past episodes ranked by similarity to the day (the episode under way left out)."""
        return self.analogs_with(False)

    @cached_property
    def overall(self) -> OverallStatus:
        """The overall status every surface shows: reserve regime × funding stress
        (:func:`liqwatch.stress.overall_status`)."""
        try:
            return overall_status(self.store, self.day)
        except LiqwatchError as exc:  # nothing to judge yet (an empty store)
            return _no_status(str(exc))

    def projection(self, preset: str = "current-policy", weeks: int = 52) -> ProjectionResult:
        """Reserve projection under ``preset`` from the day."""
        key = (preset, weeks)
        if key not in self._projections:
            self._projections[key] = _scenarios.project(self.store, preset=preset,
                                                        weeks=weeks, as_of=self.day)
        return self._projections[key]

    @cached_property
    def nowcast(self) -> NowcastResult:
        """Daily reserves nowcast since the last H.4.1, as of the day."""
        return _scenarios.nowcast(self.store, self.day)

    # ------------------------------------------------------------------ display
    def summary(self, lang: str = "en") -> str:
        """A few lines: the day, the overall status and why, the flagged indicators."""
        o = self.overall
        lines = [self.as_of.describe(lang),
                 f"{pick(lang, 'Overall', '総合判定')}: {Status.of(o.status).label(lang)} — "
                 f"{o.reason(lang)}"]
        flagged = self.indicators[self.indicators["status"].isin(["watch", "alert"])]
        for _, r in flagged.iterrows():
            name = r["name_ja"] if lang == "ja" else r["name_en"]
            lines.append(f"  {Status.of(r['status']).label(lang)}: {name}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        o = self.overall
        rows = "".join(
            f"<tr><td>{escape(str(r['name_en']))}</td><td>{escape(str(r['status']))}</td>"
            f"<td>{escape(str(r['date'] or '—'))}</td></tr>"
            for _, r in self.indicators.iterrows())
        return (f"<div><b>{escape(self.as_of.describe())}</b><br>Overall: "
                f"<b>{escape(Status.of(o.status).label())}</b> — {escape(o.reason_en)}"
                f"<table><tr><th>indicator</th><th>status</th><th>date</th></tr>{rows}"
                "</table></div>")

    def __repr__(self) -> str:
        return f"Assessment(day={self.day.isoformat()}, asked={self.as_of.asked})"


def _no_status(why: str) -> OverallStatus:
    return OverallStatus(date=None, status=Status.no_data, regime=None, since=None,
                         status_since=None, set_by=None, stage="none",
                         reason_en=f"Nothing can be judged: {why}",
                         reason_ja=f"判定できません: {why}")


def assess(store: Store, as_of: date | str | None = None, *, today: date | None = None,
           thresholds: Mapping[str, Mapping[str, Any]] | None = None) -> Assessment:
    """The assessment of ``store`` on ``as_of`` (default: the latest day the core data are
    current; see :func:`liqwatch.asof.resolve_as_of`).

    Parameters
    ----------
    store
        The store.
    as_of
        The day asked for (a date or ISO string); None for "now".
    today
        The calendar day (default: today, UTC).
    thresholds
        Per-indicator threshold overrides, as for :func:`liqwatch.indicators.compute`.

    Returns
    -------
    Assessment
    """
    asked = date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
    return Assessment(store, resolve_as_of(store, asked, today=today), thresholds)
