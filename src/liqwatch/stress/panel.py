"""The generic input of the stress methods: a wide as-of panel with categories and directions.

Row ``D`` of the panel holds, for each indicator, what it is judged on *as of* business day
``D`` (only data published by ``D``): the spread, change, ratio or count its thresholds
compare, or its z-score / percentile when it is judged statistically — never a raw level
that its thresholds do not judge. Every transformation below is causal: the value on ``D``
depends on rows at or before ``D`` only.

Two kinds of indicators:

- **judged against its own thresholds** (every registered indicator, via ``thresholds``): the
  value is put on a common stress scale by its ``watch`` and ``alert`` levels, ``watch`` ->
  :data:`Z_WATCH` (the 90th percentile of a normal), ``alert`` -> :data:`Z_ALERT` (the 98th),
  linear in between and beyond. No sample is needed, so such an indicator enters on its first
  day; one judged statistically enters when its own z-score or percentile exists (its
  ``min_history``).
- **without thresholds** (generic panels): signed expanding z-scores and empirical CDFs; such an
  indicator enters once it has :data:`MIN_OBS` as-of observations (about one year).

Aggregates average over the indicators and categories present on that day (``n_indicators`` /
``n_categories`` record how many).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import ndtr

__all__ = ["COMPOSITE_EXCLUDED", "COMPOSITE_EXCLUDED_CATEGORIES", "MIN_OBS", "Z_ALERT",
           "Z_CLIP", "Z_WATCH", "StressPanel", "composite_ids", "from_history",
           "from_indicator_history", "from_store", "require_values", "threshold_scale"]

#: As-of observations an indicator without thresholds needs before it enters (about a year).
MIN_OBS = 250
#: Stress-scale z-scores are clipped to +/- this value in the z-score and PCA aggregates.
Z_CLIP = 6.0
#: Where an indicator's ``watch`` and ``alert`` levels sit on the common stress scale: the
#: 90th and 98th percentiles of a standard normal (the quantiles the methods' own levels use).
Z_WATCH = float(NormalDist().inv_cdf(0.90))
Z_ALERT = float(NormalDist().inv_cdf(0.98))

#: Categories that do not enter the composite: the reserves gauges (levels, ratios and drains
#: of the supply of reserves) are the *regime* axis (:mod:`liqwatch.stress.regime`), not stress;
#: oil is not dollar funding.
COMPOSITE_EXCLUDED_CATEGORIES: dict[str, str] = {
    "reserves": "the supply of reserves is the regime axis, judged by liqwatch.stress.regime",
    "oil": "the oil market, not dollar funding",
}
#: Further indicators left out of the composite, and why.
COMPOSITE_EXCLUDED: dict[str, str] = {
    "card_delinquency_pct": "quarterly household credit, not market funding stress",
    "delinquency_leads_unemployment": "a lead of household credit over unemployment (months)",
    "btc_ndx_corr_20d": "crypto risk appetite, not dollar funding",
    "btc_ndx_corr_60d": "crypto risk appetite, not dollar funding",
    "btc_drawdown_pct": "crypto risk appetite, not dollar funding",
    "btc_failed_rebounds": "crypto risk appetite, not dollar funding",
}


def threshold_scale(values: pd.DataFrame, levels: Mapping[str, tuple[float, float]]
                    ) -> pd.DataFrame:
    """Put judged values on the common stress scale of their ``(watch, alert)`` levels.

    ``watch`` maps to :data:`Z_WATCH`, ``alert`` to :data:`Z_ALERT`, linearly (higher = more
    stress whatever the indicator's direction, since ``alert - watch`` carries its sign).
    """
    out = {}
    for col in values.columns:
        watch, alert = levels[col]
        out[col] = Z_WATCH + (values[col] - watch) / (alert - watch) * (Z_ALERT - Z_WATCH)
    return pd.DataFrame(out, index=values.index, columns=values.columns)


@dataclass(frozen=True)
class StressPanel:
    """Indicator values by as-of business day, with their category and stress direction.

    Parameters
    ----------
    values
        DataFrame indexed by as-of business day (``DatetimeIndex``), one column per indicator.
    categories
        Indicator id -> category.
    directions
        Indicator id -> +1 (higher is more stress) or -1 (lower is more stress).
    thresholds
        Indicator id -> ``(watch, alert)`` levels of the judged value (see the module
        docstring); indicators without an entry are normalised on their expanding sample.
    """

    values: pd.DataFrame
    categories: Mapping[str, str]
    directions: Mapping[str, int]
    thresholds: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    _cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        cols = [c for c in self.values.columns
                if c in self.categories and self.directions.get(c) in (1, -1)]
        frame = self.values[cols].astype(float).sort_index()
        if not isinstance(frame.index, pd.DatetimeIndex):
            frame.index = pd.DatetimeIndex(frame.index)
        object.__setattr__(self, "values", frame)
        for c, (watch, alert) in self.thresholds.items():
            if c in cols and not (np.isfinite(watch) and np.isfinite(alert) and watch != alert):
                raise ValueError(f"indicator {c}: watch and alert levels must differ "
                                 f"({watch}, {alert})")

    @property
    def scaled_ids(self) -> list[str]:
        """Indicators put on the stress scale by their own thresholds."""
        return [c for c in self.ids if c in self.thresholds]

    def _sample_ids(self) -> list[str]:
        return [c for c in self.ids if c not in self.thresholds]

    def _scaled(self) -> pd.DataFrame:
        """Stress-scale values of the thresholded indicators (no warm-up)."""
        if "scaled" not in self._cache:
            ids = self.scaled_ids
            self._cache["scaled"] = threshold_scale(self.values[ids], self.thresholds)
        out: pd.DataFrame = self._cache["scaled"]
        return out

    @property
    def ids(self) -> list[str]:
        """Indicator ids (columns)."""
        return list(self.values.columns)

    @property
    def category_names(self) -> list[str]:
        """Categories present, in first-seen order."""
        return list(dict.fromkeys(self.categories[c] for c in self.ids))

    def members(self, category: str) -> list[str]:
        """Indicators of one category."""
        return [c for c in self.ids if self.categories[c] == category]

    def signed(self) -> pd.DataFrame:
        """Higher = more stress: the stress-scale value of a thresholded indicator, else the
        value times its direction (NaN before :data:`MIN_OBS` observations)."""
        if "signed" not in self._cache:
            ids = self._sample_ids()
            sign = np.array([self.directions[c] for c in ids], dtype=float)
            frame = self.values[ids] * sign
            counts = frame.notna().cumsum()
            parts = pd.concat([frame.where(counts >= MIN_OBS), self._scaled()], axis=1)
            self._cache["signed"] = parts[self.ids]
        out: pd.DataFrame = self._cache["signed"]
        return out

    def zscores(self) -> pd.DataFrame:
        """Stress-scale z-scores: from the thresholds, else signed expanding z-scores (mean
        and standard deviation of every as-of value up to the day)."""
        if "z" not in self._cache:
            ids = self._sample_ids()
            raw = self.values[ids] * np.array([self.directions[c] for c in ids], dtype=float)
            exp = raw.expanding(min_periods=MIN_OBS)
            mean, std = exp.mean(), exp.std()
            z = ((raw - mean) / std.where(std > 0)).where(self.signed()[ids].notna())
            self._cache["z"] = pd.concat([z, self._scaled()], axis=1)[self.ids]
        out: pd.DataFrame = self._cache["z"]
        return out

    def cdfs(self) -> pd.DataFrame:
        """Stress CDFs (0-1): the normal CDF of the stress-scale value of a thresholded
        indicator, else the empirical CDF within the expanding sample (ties averaged)."""
        if "cdf" not in self._cache:
            ids = self._sample_ids()
            raw = self.values[ids] * np.array([self.directions[c] for c in ids], dtype=float)
            cdf = raw.expanding(min_periods=MIN_OBS).rank(pct=True)
            cdf = cdf.where(self.signed()[ids].notna())
            scaled = self._scaled()
            normal = pd.DataFrame(ndtr(scaled.to_numpy(dtype=float)),
                                  index=scaled.index, columns=scaled.columns)
            self._cache["cdf"] = pd.concat([cdf, normal], axis=1)[self.ids]
        out: pd.DataFrame = self._cache["cdf"]
        return out

    def truncate(self, end: date | pd.Timestamp) -> StressPanel:
        """The panel up to ``end`` inclusive (what was known on ``end``)."""
        return StressPanel(self.values.loc[: pd.Timestamp(end)], self.categories,
                           self.directions, self.thresholds)


def from_history(
    history: pd.DataFrame, categories: Mapping[str, str], directions: Mapping[str, int],
    thresholds: Mapping[str, tuple[float, float]] | None = None,
    active_from: Mapping[str, date] | None = None,
) -> StressPanel:
    """Build a panel from the indicators' long history frame.

    Parameters
    ----------
    history
        Columns ``date, id, value`` and optionally ``judged`` (used instead of ``value``
        when present: what the thresholds compare) and ``obs_date``: a row whose
        ``obs_date`` is missing (the input went stale or stopped) counts as missing. The
        indicator's own ``status`` is not used.
    categories, directions, thresholds
        As in :class:`StressPanel`.
    active_from
        Indicator id -> first observation date its thresholds describe; earlier rows (an
        older policy regime) count as missing.
    """
    column = "judged" if "judged" in history.columns else "value"
    frame = history
    keep = frame[column].notna()
    if "obs_date" in frame.columns:
        keep &= frame["obs_date"].notna()
        for key, first in (active_from or {}).items():
            keep &= ~((frame["id"] == key) & (frame["obs_date"] < pd.Timestamp(first)))
    frame = frame.assign(_v=frame[column].where(keep))
    frame = frame.drop_duplicates(["date", "id"], keep="last")
    wide = frame.pivot(index="date", columns="id", values="_v")
    wide.index = pd.DatetimeIndex(wide.index)
    wide.columns.name = None
    return StressPanel(wide, categories, directions, dict(thresholds or {}))


def composite_ids() -> list[str]:
    """Registered indicators that enter the composite: all but those of
    :data:`COMPOSITE_EXCLUDED_CATEGORIES` and :data:`COMPOSITE_EXCLUDED`."""
    from liqwatch.indicators import REGISTRY

    return [k for k, spec in REGISTRY.items() if k not in COMPOSITE_EXCLUDED
            and spec.category not in COMPOSITE_EXCLUDED_CATEGORIES]


def from_indicator_history(history: pd.DataFrame) -> StressPanel:
    """The composite's panel from :func:`liqwatch.indicators.history` output.

    Every indicator of :func:`composite_ids` enters with what its thresholds judge, on the
    stress scale of its package thresholds (the levels the composite is calibrated with).
    """
    from liqwatch.indicators import REGISTRY

    ids = composite_ids()
    specs = {k: REGISTRY[k] for k in ids}
    cats = {k: str(spec.category) for k, spec in specs.items()}
    dirs = {k: int(spec.direction) for k, spec in specs.items()}
    levels = {k: (float(spec.thresholds.watch), float(spec.thresholds.alert))
              for k, spec in specs.items()}
    first = {k: spec.thresholds.active_from for k, spec in specs.items()
             if spec.thresholds.active_from is not None}
    hist = history[history["id"].isin(ids)]
    return from_history(hist, cats, dirs, levels, first)


def from_store(store: Any, end: date | None = None) -> StressPanel:
    """Build the composite's panel from ``store`` (point in time).

    Parameters
    ----------
    store
        A :class:`liqwatch.store.Store`.
    end
        Last as-of day (default: today). The panel always starts at the beginning of the
        indicator history because some methods normalise on the expanding sample.

    Raises
    ------
    IndicatorError
        When the store holds no indicator value at all (nothing to compute from).
    """
    from liqwatch import indicators

    return require_values(from_indicator_history(indicators.history(store, end=end)), end)


def require_values(panel: StressPanel, end: date | None = None) -> StressPanel:
    """``panel``, or an :class:`~liqwatch.exceptions.IndicatorError` when it holds no value.
    """
    if not panel.values.notna().any().any():
        from liqwatch.exceptions import IndicatorError

        until = f" up to {end}" if end is not None else ""
        raise IndicatorError(
            f"no indicator values in the store{until} to build the stress index from "
            "(load data with `liqwatch import ../shared/data/raw` or `liqwatch update`)"
        )
    return panel
