"""The generic input of the stress methods: a wide as-of panel with categories and directions.

Row ``D`` of the panel holds each indicator's value *as of* business day ``D`` (only data
published by ``D``). Every transformation below is causal: the value on ``D`` depends on rows at
or before ``D`` only.

Series that start later (SOFR in 2018, the cross-currency basis in 2010, ...) are handled
explicitly: an indicator enters a method once it has :data:`MIN_OBS` as-of observations
(about one year), so that its expanding mean, standard deviation and empirical CDF rest on a
meaningful sample. Before that it is absent, and aggregates average over the indicators and
categories present on that day (``n_indicators`` / ``n_categories`` record how many).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["MIN_OBS", "Z_CLIP", "StressPanel", "from_history", "from_store"]

#: As-of observations an indicator needs before it enters a method (about a year).
MIN_OBS = 250
#: Expanding z-scores are clipped to +/- this value in the z-score and PCA aggregates.
Z_CLIP = 6.0


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
    """

    values: pd.DataFrame
    categories: Mapping[str, str]
    directions: Mapping[str, int]
    _cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        cols = [c for c in self.values.columns
                if c in self.categories and self.directions.get(c) in (1, -1)]
        frame = self.values[cols].astype(float).sort_index()
        if not isinstance(frame.index, pd.DatetimeIndex):
            frame.index = pd.DatetimeIndex(frame.index)
        object.__setattr__(self, "values", frame)

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
        """Values times direction (higher = more stress), NaN before :data:`MIN_OBS`."""
        if "signed" not in self._cache:
            sign = np.array([self.directions[c] for c in self.ids], dtype=float)
            frame = self.values * sign
            counts = frame.notna().cumsum()
            self._cache["signed"] = frame.where(counts >= MIN_OBS)
        out: pd.DataFrame = self._cache["signed"]
        return out

    def zscores(self) -> pd.DataFrame:
        """Signed expanding z-scores (mean and std of every as-of value up to the day)."""
        if "z" not in self._cache:
            raw = self.values * np.array([self.directions[c] for c in self.ids], dtype=float)
            exp = raw.expanding(min_periods=MIN_OBS)
            mean, std = exp.mean(), exp.std()
            z = (raw - mean) / std.where(std > 0)
            self._cache["z"] = z.where(self.signed().notna())
        out: pd.DataFrame = self._cache["z"]
        return out

    def cdfs(self) -> pd.DataFrame:
        """Empirical CDF of each signed value within its expanding sample (0-1, ties averaged)."""
        if "cdf" not in self._cache:
            raw = self.values * np.array([self.directions[c] for c in self.ids], dtype=float)
            cdf = raw.expanding(min_periods=MIN_OBS).rank(pct=True)
            self._cache["cdf"] = cdf.where(self.signed().notna())
        out: pd.DataFrame = self._cache["cdf"]
        return out

    def truncate(self, end: date | pd.Timestamp) -> StressPanel:
        """The panel up to ``end`` inclusive (what was known on ``end``)."""
        return StressPanel(self.values.loc[: pd.Timestamp(end)], self.categories, self.directions)


def from_history(
    history: pd.DataFrame, categories: Mapping[str, str], directions: Mapping[str, int]
) -> StressPanel:
    """Build a panel from the indicators' long history frame.

    Parameters
    ----------
    history
        Columns ``date, id, value`` and optionally ``obs_date``: a row whose ``obs_date`` is
        missing (the input went stale or stopped) counts as missing. The indicator's own
        ``status`` is not used (a statistical threshold may still be ``no_data`` while the
        value exists).
    categories, directions
        As in :class:`StressPanel`.
    """
    frame = history
    if "obs_date" in frame.columns:
        frame = frame.assign(value=frame["value"].where(frame["obs_date"].notna()))
    frame = frame.drop_duplicates(["date", "id"], keep="last")
    wide = frame.pivot(index="date", columns="id", values="value")
    wide.index = pd.DatetimeIndex(wide.index)
    wide.columns.name = None
    return StressPanel(wide, categories, directions)


def from_store(store: Any, end: date | None = None) -> StressPanel:
    """Build the panel of every registered indicator from ``store`` (point in time).

    Parameters
    ----------
    store
        A :class:`liqwatch.store.Store`.
    end
        Last as-of day (default: today). The panel always starts at the beginning of the
        indicator history because the methods normalise on the expanding sample.

    Raises
    ------
    IndicatorError
        When the store holds no indicator value at all (nothing to compute from).
    """
    from liqwatch import indicators

    hist = indicators.history(store, end=end)
    reg = indicators.REGISTRY
    cats = {k: str(spec.category) for k, spec in reg.items()}
    dirs = {k: int(spec.direction) for k, spec in reg.items()
            if spec.direction in (1, -1)}
    panel = from_history(hist, cats, dirs)
    if not panel.values.notna().any().any():
        from liqwatch.exceptions import IndicatorError

        until = f" up to {end}" if end is not None else ""
        raise IndicatorError(
            f"no indicator values in the store{until} to build the stress index from "
            "(load data with `liqwatch import ../shared/data/raw` or `liqwatch update`)"
        )
    return panel
