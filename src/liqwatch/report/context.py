"""What every section builder gets: the store, the as-of day, the language, cached results."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

import pandas as pd

from liqwatch.report import i18n
from liqwatch.report.model import Sentence
from liqwatch.report.panel import Panel, optional_module
from liqwatch.store import Store

__all__ = ["Context", "Unavailable"]

log = logging.getLogger(__name__)
T = TypeVar("T")


class Unavailable(Exception):  # noqa: N818 - reads as a state, not an error
    """A part of the report cannot be shown; the message says why (in the report language)."""


@dataclass
class Context:
    """Inputs shared by the section builders.

    Results of other modules (indicators, composite index, ...) are computed once and cached;
    a missing module raises :class:`Unavailable` with a reason the report shows.
    """

    store: Store
    as_of: date | None
    lang: i18n.Lang
    panel: Panel
    latest: bool = False
    _cache: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def create(cls, store: Store, as_of: date | None, lang: i18n.Lang) -> Context:
        """A context reading ``store`` as of ``as_of``."""
        return cls(store=store, as_of=as_of, lang=lang, panel=Panel(store, as_of))

    # ------------------------------------------------------------------ text helpers
    def t(self, en: str, ja: str) -> str:
        """Pick the text of the report language."""
        return ja if self.lang == "ja" else en

    def s(self, en: str, ja: str, *refs: str) -> Sentence:
        """A sentence in the report language with the series it cites."""
        return Sentence(self.t(en, ja), tuple(refs))

    def label(self, key: str) -> str:
        """A fixed label in the report language."""
        return i18n.label(key, self.lang)

    def d(self, day: date | pd.Timestamp | None) -> str:
        """A date in the report language."""
        if day is None or (isinstance(day, pd.Timestamp) and pd.isna(day)):
            return "—"
        if isinstance(day, pd.Timestamp):
            day = day.date()
        return i18n.fmt_date(day, self.lang)

    def usd(self, bn: float | None) -> str:
        """A dollar amount given in billions."""
        return i18n.fmt_usd_bn(bn, self.lang)

    def change(self, bn: float) -> str:
        """A change in USD billions: ``up $12bn`` / ``120億ドル増加``."""
        amount = self.usd(abs(bn))
        if self.lang == "ja":
            return f"{amount}増加" if bn >= 0 else f"{amount}減少"
        return f"up {amount}" if bn >= 0 else f"down {amount}"

    # ------------------------------------------------------------------ other modules
    def module(self, name: str, what_en: str, what_ja: str) -> Any:
        """Import ``liqwatch.<name>`` or raise :class:`Unavailable`."""
        mod = optional_module(f"liqwatch.{name}")
        if mod is None:
            raise Unavailable(self.t(
                f"{what_en} is not available yet in this version of liqwatch "
                f"(module liqwatch.{name} is not installed).",
                f"{what_ja}はこのバージョンの liqwatch ではまだ利用できません"
                f"(liqwatch.{name} モジュールが未導入)。",
            ))
        return mod

    def cached(self, key: str, fn: Callable[[], T]) -> T:
        """Compute ``fn()`` once per report (exceptions are cached too)."""
        if key not in self._cache:
            try:
                self._cache[key] = ("ok", fn())
            except Unavailable as exc:
                self._cache[key] = ("err", exc)
            except Exception as exc:  # a failing module must not break the whole page
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
        """``liqwatch.indicators.compute`` as of the report day (cached)."""
        def run() -> pd.DataFrame:
            mod = self.module("indicators", "The indicator engine", "指標エンジン")
            frame: pd.DataFrame = mod.compute(self.store, as_of=self.as_of)
            return frame
        return self.cached("indicators", run)

    def indicator_names(self) -> dict[str, str]:
        """Indicator id -> name in the report language (ids when the registry lacks names)."""
        try:
            mod = self.module("indicators", "The indicator engine", "指標エンジン")
        except Unavailable:
            return {}
        names: dict[str, str] = {}
        for key, spec in getattr(mod, "REGISTRY", {}).items():
            name = getattr(spec, "ja" if self.lang == "ja" else "en", None)
            names[str(key)] = str(name) if name else str(key)
        return names

    def composite(self) -> Any:
        """``liqwatch.stress.composite`` as of the report day (cached)."""
        def run() -> Any:
            mod = self.module("stress", "The composite stress index", "総合ストレス指数")
            shared = self._stress_shared("liqwatch.stress.composite", "reading_from_panel")
            if shared is not None:
                fn, panel = shared
                return fn(panel, None, self.as_of)
            return mod.composite(self.store, as_of=self.as_of)
        return self.cached("composite", run)

    def stress_history(self) -> pd.DataFrame:
        """``liqwatch.stress.stress_history`` up to the report day (cached)."""
        def run() -> pd.DataFrame:
            mod = self.module("stress", "The composite stress index", "総合ストレス指数")
            shared = self._stress_shared("liqwatch.stress.composite", "history_from_panel")
            frame: pd.DataFrame
            if shared is not None:
                fn, panel = shared
                frame = fn(panel, None)
            else:
                frame = mod.stress_history(self.store, end=self.as_of)
            return frame
        return self.cached("stress_history", run)

    def analogs(self) -> Any:
        """``liqwatch.stress.analogs`` as of the report day (cached)."""
        def run() -> Any:
            mod = self.module("stress", "Crisis analogs", "危機類似度")
            shared = self._stress_shared("liqwatch.stress.crisis_analogs", "analogs_from_panel")
            if shared is not None:
                fn, panel = shared
                return fn(panel, self.as_of)
            return mod.analogs(self.store, as_of=self.as_of)
        return self.cached("analogs", run)

    def projections(self) -> dict[str, Any]:
        """``liqwatch.scenarios.project`` for every preset, 52 weeks (cached)."""
        def run() -> dict[str, Any]:
            mod = self.module("scenarios", "Reserve scenarios", "準備預金シナリオ")
            presets = list(getattr(mod, "PRESETS", ["current-policy"]))
            return {str(pr): mod.project(self.store, preset=str(pr), weeks=52, as_of=self.as_of)
                    for pr in presets}
        return self.cached("scenarios", run)

    def _stress_shared(self, module: str, name: str) -> tuple[Any, Any] | None:
        """A panel-level stress function and one stress panel shared by the sections.

        The composite reading, its history and the analogs all start from the same panel of
        indicator histories; building it once saves most of the work. None when the stress
        module does not offer these functions (the public API is used instead).
        """
        mod = optional_module(module)
        panel_mod = optional_module("liqwatch.stress.panel")
        fn = getattr(mod, name, None) if mod is not None else None
        from_store = getattr(panel_mod, "from_store", None) if panel_mod is not None else None
        if fn is None or from_store is None:
            return None
        panel = self.cached("stress_panel", lambda: from_store(self.store, end=self.as_of))
        return fn, panel


def attr(obj: Any, name: str, default: Any = None) -> Any:
    """``obj.name`` or ``obj[name]`` (results may be objects or mappings)."""
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)
