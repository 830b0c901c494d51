"""Gather the rules' inputs from the store, point in time.

Indicators and the composite index come through a :class:`Provider`: the default one reads
the day's :class:`~liqwatch.assessment.Assessment`, the results every surface renders. Tests
and notebooks may pass their own provider (e.g. synthetic indicator frames).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Protocol

import pandas as pd

from liqwatch import catalog
from liqwatch.alerts.config import RuleSpec
from liqwatch.alerts.rules import Inputs
from liqwatch.asof import resolve_as_of
from liqwatch.assessment import Assessment
from liqwatch.calendar import BDAY
from liqwatch.catalog import Frequency
from liqwatch.exceptions import LiqwatchError
from liqwatch.indicators import history as indicator_history
from liqwatch.store import Store
from liqwatch.stress import stress_history
from liqwatch.stress.verdict import OverallStatus

__all__ = ["DefaultProvider", "Provider", "fetch_runs", "gather", "staleness"]

log = logging.getLogger(__name__)


class Provider(Protocol):
    """Where indicator and composite readings come from (None: unavailable)."""

    def indicators(
        self, store: Store, as_of: date, ids: list[str] | None = None
    ) -> pd.DataFrame | None:
        """Rows of ``liqwatch.indicators.compute(store, as_of, ids=ids)``."""

    def composite(self, store: Store, as_of: date, method: str | None) -> Any | None:
        """``liqwatch.stress.composite(store, as_of, method)``."""

    def overall(self, store: Store, as_of: date) -> OverallStatus | None:
        """The day's overall status (:attr:`liqwatch.assessment.Assessment.overall`)."""

    def indicator_history(self, store: Store, start: date, end: date) -> pd.DataFrame | None:
        """``liqwatch.indicators.history(store, start=, end=)`` (date, id, category, value,
        status)."""

    def composite_history(
        self, store: Store, start: date, end: date, method: str | None
    ) -> pd.DataFrame | None:
        """``liqwatch.stress.stress_history`` (date, method, value, status)."""


@dataclass
class DefaultProvider:
    """Readings from the day's :class:`~liqwatch.assessment.Assessment`.

    The indicator readings and the composite index are the ones the CLI, the report and the
    dashboard show for the same day (one assessment per day is computed and kept). Pass
    ``assessment`` to reuse one that a caller already holds.
    """

    assessment: Assessment | None = None
    notes: list[str] = field(default_factory=list)

    def _for(self, store: Store, as_of: date) -> Assessment:
        if self.assessment is None or self.assessment.day != as_of \
                or self.assessment.store is not store:
            self.assessment = Assessment(store, resolve_as_of(store, as_of))
        return self.assessment

    def indicators(
        self, store: Store, as_of: date, ids: list[str] | None = None
    ) -> pd.DataFrame | None:
        try:
            frame = self._for(store, as_of).indicators
        except LiqwatchError as exc:  # the other rules still run
            self.notes.append(f"indicators could not be computed: {exc}")
            return None
        return frame if ids is None else frame[frame["id"].isin(ids)].reset_index(drop=True)

    def composite(self, store: Store, as_of: date, method: str | None) -> Any | None:
        try:
            a = self._for(store, as_of)
            return a.composite if method is None else a.composite_method(method)
        except LiqwatchError as exc:
            self.notes.append(f"composite index: {exc}")
            return _NoReading(method=method or "default", reason=str(exc))

    def overall(self, store: Store, as_of: date) -> OverallStatus | None:
        try:
            return self._for(store, as_of).overall
        except LiqwatchError as exc:
            self.notes.append(f"overall status: {exc}")
            return None

    def indicator_history(self, store: Store, start: date, end: date) -> pd.DataFrame | None:
        return indicator_history(store, start=start, end=end)

    def composite_history(
        self, store: Store, start: date, end: date, method: str | None
    ) -> pd.DataFrame | None:
        try:
            return stress_history(store, method=method, start=start, end=end)
        except LiqwatchError as exc:
            self.notes.append(f"composite index history: {exc}")
            return None


@dataclass(frozen=True)
class _NoReading:
    method: str
    reason: str
    status: str = "no_data"
    value: float | None = None
    date: date | None = None
    levels: dict[str, float] = field(default_factory=dict)


def _next_due(spec: catalog.SeriesSpec, last: date) -> date:
    """Publication day of the observation after ``last`` (as ``SeriesSpec.is_stale``)."""
    if spec.frequency is Frequency.DAILY:
        nxt = (pd.Timestamp(last) + BDAY).date()
    else:
        nxt = (pd.Timestamp(last) + spec.frequency.period).date()
    return spec.release.published_one(nxt, spec.frequency)


def staleness(store: Store, as_of: date, series: tuple[str, ...] = ()) -> pd.DataFrame:
    """Per stored catalogued series: its latest observation known by ``as_of`` and whether the
    next one is overdue (publication schedule plus the release's grace period), as
    ``liqwatch status`` judges it. Discontinued series (catalog ``ended``) are skipped.

    Returns
    -------
    pandas.DataFrame
        Columns ``series_id, source, date, due, days_overdue, stale, grace_days``.
    """
    rows = store.execute(
        "SELECT series_id, max(date) FROM observations WHERE realtime_start <= ? "
        "GROUP BY series_id ORDER BY series_id",
        [as_of],
    ).fetchall()
    cat = catalog.catalog()
    out = []
    for sid, last in rows:
        spec = cat.get(sid)
        if spec is None or (series and sid not in series):
            continue
        if spec.ended is not None and spec.ended <= as_of:
            continue
        due = _next_due(spec, last)
        grace = spec.release.grace_days
        out.append({
            "series_id": sid, "source": spec.source, "date": last, "due": due,
            "days_overdue": float(max((as_of - due).days, 0)),
            "stale": spec.is_stale(last, as_of), "grace_days": grace,
        })
    return pd.DataFrame(
        out,
        columns=["series_id", "source", "date", "due", "days_overdue", "stale", "grace_days"],
    )


def fetch_runs(store: Store, as_of: date) -> pd.DataFrame:
    """Update runs per source up to the end of ``as_of`` (from ``fetch_log``), oldest first.

    Returns
    -------
    pandas.DataFrame
        Columns ``run_id, source, started_at, failed, error, series``: ``failed`` when a series
        of the source failed in that run; ``error`` and ``series`` name the last failure.
    """
    frame = store.execute(
        """
        SELECT run_id, source, min(started_at) AS started_at,
               bool_or(error IS NOT NULL) AS failed,
               (SELECT l.error FROM fetch_log l
                WHERE l.run_id = f.run_id AND l.source = f.source AND l.error IS NOT NULL
                  AND l.started_at < ?
                ORDER BY l.started_at DESC LIMIT 1) AS error,
               string_agg(CASE WHEN error IS NOT NULL THEN series_id END, ', ') AS series
        FROM fetch_log f
        WHERE started_at < ?
        GROUP BY run_id, source
        ORDER BY started_at
        """,
        [as_of + timedelta(days=1)] * 2,
    ).df()
    return frame


def gather(
    store: Store, as_of: date, rules: tuple[RuleSpec, ...], provider: Provider,
    *, today: date | None = None,
) -> Inputs:
    """Read what the enabled ``rules`` need, as of ``as_of``.

    Staleness is judged on ``today`` when given (an evaluation of "now" reports on the latest
    day the core data are current, yet a series overdue today is stale today).
    """
    kinds = {r.kind for r in rules if r.enabled}
    indicators = None
    if kinds & {"indicator", "combination"}:
        indicators = provider.indicators(store, as_of)
    composite = None
    composite_rules = [r for r in rules if r.enabled and r.kind == "composite"]
    if composite_rules:
        composite = provider.composite(store, as_of, composite_rules[0].method)
    stale = None
    stale_rules = [r for r in rules if r.enabled and r.kind == "stale"]
    if stale_rules:
        stale = staleness(store, max(today or as_of, as_of))
    runs = fetch_runs(store, as_of) if "source_failure" in kinds else None
    overall = provider.overall(store, as_of) if "overall" in kinds else None
    return Inputs(as_of=as_of, indicators=indicators, composite=composite, staleness=stale,
                  fetch_runs=runs, overall=overall)
