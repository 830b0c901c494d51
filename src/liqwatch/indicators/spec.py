"""What an indicator is: identity, inputs, a pure function, thresholds and explanation text.

An indicator is declared once, as data (:class:`IndicatorSpec`) plus a small pure function that
turns its input series (indexed by observation date) into a frame indexed by observation date
with a ``value`` column, optionally a ``signal`` column (what the thresholds judge, when it is
not the value itself) and any number of extra detail columns. The engine takes care of the
point-in-time rule, thresholds and explanations.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal

import pandas as pd

from liqwatch.vocab import CATEGORIES

__all__ = [
    "CATEGORIES",
    "STATUSES",
    "IndicatorFn",
    "IndicatorSpec",
    "Thresholds",
]


#: Statuses from best to worst (``no_data`` is reported separately).
STATUSES = ("normal", "watch", "alert", "no_data")

#: The pure function of an indicator: input series by id -> frame indexed by observation date.
#: The mapping also holds ``"<id>@published"``: first-publication day of each observation.
IndicatorFn = Callable[[Mapping[str, pd.Series]], pd.DataFrame]

ThresholdKind = Literal["fixed", "zscore", "percentile"]


@dataclass(frozen=True, slots=True)
class Thresholds:
    """How an indicator's signal maps to a status.

    Attributes
    ----------
    kind
        ``fixed`` (compare the signal with ``watch`` and ``alert`` in its own unit),
        ``zscore`` (standardise the signal against its trailing history of ``window_years``)
        or ``percentile`` (its percentile rank, 0-100, in the history available so far).
    watch, alert
        Levels. With direction +1 a status is reached at or above the level, with -1 at or
        below it. Percentile levels for direction -1 are the low tail (e.g. 10 and 3).
    window_years
        History used by ``zscore`` (trailing) and ``percentile`` (``None``: all so far).
    min_history
        Observations needed before a statistical status is given (``no_data`` before).
    on
        Name of the column the levels apply to (``signal`` or ``value``), for the output.
    active_from
        First date the thresholds apply (an earlier regime is reported ``normal`` with a note).
    max_age_days
        Calendar days after which a reading is too old to report (``no_data``); ``None``: the
        indicator's own limit (see :mod:`liqwatch.indicators.freshness`).
    """

    kind: ThresholdKind = "fixed"
    watch: float = 0.0
    alert: float = 0.0
    window_years: float | None = 5.0
    min_history: int = 60
    on: str = "value"
    active_from: date | None = None
    max_age_days: int | None = None

    def with_overrides(self, overrides: Mapping[str, Any]) -> Thresholds:
        """Return a copy with fields from ``overrides`` (unknown keys are errors)."""
        from liqwatch.exceptions import ConfigError

        allowed = {"kind", "watch", "alert", "window_years", "min_history", "active_from",
                   "max_age_days"}
        bad = set(overrides) - allowed
        if bad:
            raise ConfigError(
                f"unknown threshold setting(s) {sorted(bad)}; allowed: {sorted(allowed)}"
            )
        values = dict(overrides)
        if "kind" in values and values["kind"] not in ("fixed", "zscore", "percentile"):
            raise ConfigError(
                f"threshold kind {values['kind']!r} must be fixed, zscore or percentile"
            )
        for key in ("watch", "alert", "window_years"):
            if key in values and values[key] is not None:
                values[key] = float(values[key])
        age = values.get("max_age_days")
        if age is not None and (isinstance(age, bool) or not isinstance(age, int) or age < 1):
            raise ConfigError(f"max_age_days must be a positive whole number of days, not {age!r}")
        if isinstance(values.get("active_from"), str):
            values["active_from"] = date.fromisoformat(values["active_from"])
        return replace(self, **values)

    def as_dict(self) -> dict[str, Any]:
        """The thresholds as a JSON-friendly dict."""
        out: dict[str, Any] = {"kind": self.kind, "watch": self.watch, "alert": self.alert,
                               "on": self.on}
        if self.kind != "fixed":
            out["window_years"] = self.window_years
            out["min_history"] = self.min_history
        if self.active_from is not None:
            out["active_from"] = self.active_from.isoformat()
        if self.max_age_days is not None:
            out["max_age_days"] = self.max_age_days
        return out


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    """One indicator.

    Attributes
    ----------
    id, category, unit
        Identity; ``unit`` is a short label (``bp``, ``pct``, ``usd_bn``, ``usd_tn``, ...).
    direction
        +1 when a higher signal means more stress, -1 when a lower one does.
    en, ja
        Short names.
    inputs
        Series ids the function reads (preferred series first, then fallbacks).
    fn
        The pure function (see :data:`IndicatorFn`).
    thresholds
        Default thresholds (overridable by configuration).
    max_age_days
        Calendar days after which the latest observation is too old to report (``no_data``);
        ``None`` (the default): each row's limit follows the frequency and publication lag of
        the input(s) observed on its date (:func:`~liqwatch.indicators.freshness.row_max_age`).
    stress_en, stress_ja
        What a watch or alert reading means and what to look at next (one or two sentences).
    signal_en, signal_ja
        Name of the signal when it differs from the value (e.g. "days above the ceiling").
    note_en, note_ja
        Method notes (which series is used when, bases mixed, known gaps).
    by_publication
        Inputs the function aligns by publication day (with
        :func:`~liqwatch.indicators.transforms.known_by` and the ``"<id>@published"`` entry
        of its mapping) rather than by observation date; they do not delay a row's known day.
    fallbacks
        ``{fallback id: preferred id}``: a fallback is listed among the inputs used only
        where the preferred series does not cover the observation date.
    """

    id: str
    category: str
    unit: str
    direction: int
    en: str
    ja: str
    inputs: tuple[str, ...]
    fn: IndicatorFn
    thresholds: Thresholds
    max_age_days: int | None = None
    stress_en: str = ""
    stress_ja: str = ""
    signal_en: str | None = None
    signal_ja: str | None = None
    note_en: str = ""
    note_ja: str = ""
    by_publication: tuple[str, ...] = field(default_factory=tuple)
    fallbacks: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"indicator {self.id}: unknown category {self.category!r}")
        if self.direction not in (1, -1):
            raise ValueError(f"indicator {self.id}: direction must be +1 or -1")

    def name(self, lang: str = "en") -> str:
        """Short name in ``lang``."""
        return self.ja if lang == "ja" else self.en
