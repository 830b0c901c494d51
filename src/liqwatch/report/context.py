"""What every section builder gets: the day's assessment, the language and a series panel.

Numbers in the report's sentences come from the :class:`~liqwatch.assessment.Assessment`
(indicator readings, the composite index, analogs, projections) — the same objects the CLI,
the dashboard and the API render — never from a figure recomputed here. The series panel
feeds the charts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

import pandas as pd

from liqwatch.assessment import Assessment
from liqwatch.report import i18n
from liqwatch.report.model import Sentence
from liqwatch.report.panel import Panel
from liqwatch.scenarios import PRESETS
from liqwatch.scenarios.projection import ProjectionResult
from liqwatch.store import Store
from liqwatch.stress.composite import StressReading
from liqwatch.stress.crisis_analogs import AnalogResult
from liqwatch.vocab import Lang, fmt_date, fmt_usd_bn, fmt_value, pick

__all__ = ["Context", "Reading", "Unavailable"]

log = logging.getLogger(__name__)
T = TypeVar("T")


class Unavailable(Exception):  # noqa: N818 - reads as a state, not an error
    """A part of the report cannot be shown; the message says why (in the report language)."""


@dataclass(frozen=True)
class Reading:
    """One indicator reading as the report shows it (a row of the assessment's indicators).

    ``text`` is the value written exactly as in the indicator table; sentences quote it.
    """

    id: str
    name: str
    value: float | None
    unit: str
    status: str
    date: date | None
    details: dict[str, Any]
    text: str
    reason: str

    @property
    def ok(self) -> bool:
        """True when the indicator has a current value."""
        return self.value is not None and self.status != "no_data"

    def detail(self, key: str) -> float | None:
        """A numeric detail (None when missing or not a number)."""
        v = self.details.get(key)
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            return None
        f = float(v)
        return None if pd.isna(f) else f


@dataclass
class Context:
    """Inputs shared by the section builders."""

    assessment: Assessment
    lang: Lang
    panel: Panel
    _cache: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def create(cls, assessment: Assessment, lang: Lang) -> Context:
        """A context rendering ``assessment`` in ``lang``."""
        return cls(assessment=assessment, lang=lang,
                   panel=Panel(assessment.store, assessment.day))

    @property
    def store(self) -> Store:
        """The store."""
        return self.assessment.store

    @property
    def as_of(self) -> date:
        """The report day."""
        return self.assessment.day

    # ------------------------------------------------------------------ text helpers
    def t(self, en: str, ja: str) -> str:
        """Pick the text of the report language."""
        return pick(self.lang, en, ja)

    def s(self, en: str, ja: str, *refs: str, values: tuple[Reading, ...] = ()) -> Sentence:
        """A sentence in the report language with the series it cites and the readings whose
        values it quotes."""
        return Sentence(self.t(en, ja), tuple(refs),
                        tuple((r.id, r.text) for r in values))

    def label(self, key: str) -> str:
        """A fixed label in the report language."""
        return i18n.label(key, self.lang)

    def d(self, day: date | pd.Timestamp | None) -> str:
        """A date in the report language."""
        if day is None or (isinstance(day, pd.Timestamp) and pd.isna(day)):
            return "—"
        if isinstance(day, pd.Timestamp):
            day = day.date()
        return fmt_date(day, self.lang)

    def usd(self, bn: float | None) -> str:
        """A dollar amount given in billions."""
        return fmt_usd_bn(bn, self.lang)

    def change(self, bn: float) -> str:
        """A change in USD billions: ``up $12bn`` / ``120億ドル増加``."""
        amount = self.usd(abs(bn))
        if self.lang == "ja":
            return f"{amount}増加" if bn >= 0 else f"{amount}減少"
        return f"up {amount}" if bn >= 0 else f"down {amount}"

    # ------------------------------------------------------------------ results
    def cached(self, key: str, fn: Callable[[], T]) -> T:
        """Compute ``fn()`` once per report (exceptions are cached too)."""
        if key not in self._cache:
            try:
                self._cache[key] = ("ok", fn())
            except Unavailable as exc:
                self._cache[key] = ("err", exc)
            except Exception as exc:  # a failing part must not break the whole page
                from liqwatch.exceptions import ConfigError

                if isinstance(exc, ConfigError):
                    raise
                log.warning("report: %s failed: %s", key, exc)
                log.debug("report: %s failed", key, exc_info=True)
                self._cache[key] = ("err", Unavailable(self.t(
                    f"{key} could not be computed: {exc}",
                    f"{key} を計算できませんでした: {exc}",
                )))
        kind, value = self._cache[key]
        if kind == "err":
            raise value
        result: T = value
        return result

    def indicators(self) -> pd.DataFrame:
        """Every indicator reading of the day."""
        return self.cached("indicators", lambda: self.assessment.indicators)

    def reading(self, ident: str) -> Reading:
        """Indicator ``ident`` as the report quotes it."""
        frame = self.indicators()
        rows = frame[frame["id"] == ident]
        if rows.empty:
            raise Unavailable(self.t(f"indicator {ident} is not computed",
                                     f"指標 {ident} は計算されていません"))
        r = rows.iloc[0]
        value = None if pd.isna(r["value"]) else float(r["value"])
        reason = r["reason_ja"] if self.lang == "ja" else r["reason"]
        details = r["details"] if isinstance(r["details"], dict) else {}
        return Reading(
            id=ident, name=str(r["name_ja"] if self.lang == "ja" else r["name_en"]),
            value=value, unit=str(r["unit"]), status=str(r["status"]),
            date=r["date"] if isinstance(r["date"], date) else None, details=dict(details),
            text=fmt_value(value, str(r["unit"]), self.lang),
            reason=str(reason) if isinstance(reason, str) else "")

    def thresholds(self, ident: str) -> dict[str, Any]:
        """The thresholds indicator ``ident`` is judged on (as in its reading)."""
        frame = self.indicators()
        rows = frame[frame["id"] == ident]
        th = rows.iloc[0]["thresholds"] if not rows.empty else None
        return dict(th) if isinstance(th, dict) else {}

    def _history_frame(self) -> pd.DataFrame:
        def run() -> pd.DataFrame:
            from liqwatch.indicators import history

            return history(self.store, start=date(2003, 1, 2), end=self.as_of)

        return self.cached("indicator_history", run)

    def indicator_history(self, ident: str, years: int | None = None) -> pd.Series:
        """Indicator ``ident``'s value as known on each business day up to the report day
        (for charts; the same engine as the readings)."""
        frame = self._history_frame()
        rows = frame[frame["id"] == ident]
        s = pd.Series(rows["value"].to_numpy(dtype=float), index=pd.DatetimeIndex(rows["date"]))
        s = s.dropna()
        if years is not None and not s.empty:
            s = s[s.index >= s.index.max() - pd.DateOffset(years=years)]
        return s

    def indicator_prints(self, ident: str) -> pd.Series:
        """Each observation of indicator ``ident`` as first known by the report day, indexed
        by observation date (the same engine as the readings)."""
        frame = self._history_frame()
        rows = frame[(frame["id"] == ident) & frame["obs_date"].notna()
                     & frame["value"].notna()].drop_duplicates("obs_date")
        return pd.Series(rows["value"].to_numpy(dtype=float),
                         index=pd.DatetimeIndex(rows["obs_date"])).sort_index()

    def value_text(self, value: float | None, unit: str) -> str:
        """A number written as the indicator tables write it."""
        return fmt_value(value, unit, self.lang)

    def indicator_names(self) -> dict[str, str]:
        """Indicator id -> name in the report language."""
        from liqwatch.indicators import REGISTRY

        return {key: (spec.ja if self.lang == "ja" else spec.en)
                for key, spec in REGISTRY.items()}

    def composite(self) -> StressReading:
        """The composite index reading of the day."""
        return self.cached("composite", lambda: self.assessment.composite)

    def stress_history(self) -> pd.DataFrame:
        """The composite index history up to the day."""
        return self.cached("stress_history", lambda: self.assessment.stress_history)

    def analogs(self) -> AnalogResult:
        """Crisis analogs of the day, the episode under way included (the section names it
        apart from the past episodes)."""
        return self.cached("analogs", lambda: self.assessment.analogs_with(True))

    def projections(self) -> dict[str, ProjectionResult]:
        """The 52-week projection of every preset from the day."""
        def run() -> dict[str, ProjectionResult]:
            from liqwatch.exceptions import ConfigError

            out: dict[str, ProjectionResult] = {}
            for preset in PRESETS:
                try:
                    out[str(preset)] = self.assessment.projection(str(preset), 52)
                except ConfigError as exc:  # a preset that does not apply on this day
                    log.info("report: preset %s left out: %s", preset, exc)
            if not out:
                raise Unavailable(self.t("No scenario applies on this day.",
                                         "この日に適用できるシナリオがありません。"))
            return out

        return self.cached("scenarios", run)
