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
from dataclasses import dataclass, field
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
from liqwatch.stress.composite import StressReading, history_from_panel, reading_from_panel
from liqwatch.stress.crisis_analogs import AnalogResult, analogs_from_panel
from liqwatch.stress.panel import StressPanel, from_store
from liqwatch.vocab import CATEGORIES, Status, pick, worst

__all__ = ["Assessment", "Overall", "assess"]


@dataclass(frozen=True)
class Overall:
    """The one overall status of a day, with the sentence that explains it.

    Attributes
    ----------
    status
        ``normal``, ``watch`` or ``alert`` (``no_data`` when nothing can be judged).
    set_by
        What set it: ``composite`` (the stress index), ``categories`` (an indicator
        category) or ``none``.
    reason_en, reason_ja
        One sentence saying why.
    composite_status
        The composite index's own status (None when it has no reading).
    categories
        Category -> its worst indicator status.
    """

    status: Status
    set_by: str
    reason_en: str
    reason_ja: str
    composite_status: Status | None = None
    categories: Mapping[str, Status] = field(default_factory=dict)

    def reason(self, lang: str = "en") -> str:
        """The reason in ``lang``."""
        return pick(lang, self.reason_en, self.reason_ja)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"status": self.status.value, "set_by": self.set_by,
                "reason_en": self.reason_en, "reason_ja": self.reason_ja,
                "composite_status": self.composite_status.value if self.composite_status
                else None, "categories": {k: v.value for k, v in self.categories.items()}}


_CAT_NAMES = {"funding": ("funding", "資金調達"), "reserves": ("reserves", "準備預金"),
              "risk_appetite": ("risk appetite", "リスク選好"), "oil": ("oil", "原油"),
              "credit": ("credit", "信用"), "offshore": ("offshore dollar", "オフショア・ドル")}


def _overall(combination: pd.DataFrame, reading: StressReading | None) -> Overall:
    cats = {str(c): Status.of(s) for c, s in zip(combination["category"],
                                                 combination["status"], strict=True)}
    by_cats = worst(cats.values())
    index = Status.of(reading.status) if reading is not None and reading.date is not None \
        else None
    status = worst([by_cats, index or Status.no_data])
    flagged = [c for c in CATEGORIES if cats.get(c, Status.no_data) >= Status.watch]
    names_en = ", ".join(_CAT_NAMES[c][0] for c in flagged)
    names_ja = "、".join(_CAT_NAMES[c][1] for c in flagged)
    if status is Status.no_data:
        return Overall(status, "none", "Nothing can be judged: no indicator has current data.",
                       "判定できません: 最新データのある指標がありません。", index, cats)
    if index is not None and index >= by_cats:
        set_by = "composite"
        en = f"The composite stress index is at {index.label('en').lower()}"
        ja = f"総合ストレス指数が「{index.label('ja')}」"
    else:
        set_by = "categories"
        en = f"Set by the indicator categories ({names_en})"
        ja = f"指標カテゴリー ({names_ja}) による判定"
        if index is not None:
            en += f"; the composite index is {index.label('en').lower()}"
            ja += f"。総合ストレス指数は「{index.label('ja')}」"
    if flagged and set_by == "composite":
        en += f"; categories at watch or alert: {names_en}"
        ja += f"。注意・警戒のカテゴリー: {names_ja}"
    elif not flagged:
        en += "; no category is at watch or alert"
        ja += "。注意・警戒のカテゴリーはありません"
    return Overall(status, set_by, en + ".", ja + "。", index, cats)


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
        """The indicator histories the stress methods work on, up to the day."""
        return from_store(self.store, end=self.day)

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
        return history_from_panel(self.stress_panel, None)

    @cached_property
    def analogs(self) -> AnalogResult:
        """Past episodes ranked by similarity to the day (the episode under way left out)."""
        return analogs_from_panel(self.stress_panel, self.day)

    @cached_property
    def overall(self) -> Overall:
        """The overall status every surface shows."""
        try:
            reading: StressReading | None = self.composite
        except LiqwatchError:  # no indicator history yet: the categories alone decide
            reading = None
        return _overall(self.combination, reading)

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
                 f"{pick(lang, 'Overall', '総合判定')}: {o.status.label(lang)} — {o.reason(lang)}"]
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
                f"<b>{escape(o.status.label())}</b> — {escape(o.reason_en)}"
                f"<table><tr><th>indicator</th><th>status</th><th>date</th></tr>{rows}"
                "</table></div>")

    def __repr__(self) -> str:
        return f"Assessment(day={self.day.isoformat()}, asked={self.as_of.asked})"


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
