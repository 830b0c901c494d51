"""Thresholds: configuration overrides and the vectorised status rule.

Defaults live in the registry. They can be overridden per call (``thresholds=`` of
:func:`liqwatch.indicators.compute` / ``history``) or in the config file::

    [indicators.thresholds.sofr_iorb_bp]
    watch = 5
    alert = 15

    [indicators.thresholds.hy_oas_bp]
    kind = "percentile"      # fixed | zscore | percentile
    watch = 90
    alert = 97
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from liqwatch.exceptions import ConfigError
from liqwatch.indicators.spec import IndicatorSpec, Thresholds
from liqwatch.indicators.transforms import percentile_rank, zscore

__all__ = ["LEVEL_NAMES", "config_overrides", "levels", "resolve"]

#: Status by level code (-1 no data, 0 normal, 1 watch, 2 alert).
LEVEL_NAMES = {-1: "no_data", 0: "normal", 1: "watch", 2: "alert"}

Overrides = Mapping[str, Mapping[str, Any]]


def config_overrides() -> dict[str, dict[str, Any]]:
    """Threshold overrides from the config file's ``[indicators.thresholds.<id>]`` tables."""
    from liqwatch.config import load_settings

    return {k: dict(v) for k, v in load_settings().indicators.thresholds.items()}


def resolve(
    spec: IndicatorSpec, overrides: Overrides | None, config: Overrides | None = None
) -> Thresholds:
    """The thresholds of ``spec`` after overrides (call argument over config file)."""
    merged: dict[str, Any] = {}
    for source in (config or {}, overrides or {}):
        if spec.id in source:
            merged.update(source[spec.id])
    if not merged:
        return spec.thresholds
    try:
        return spec.thresholds.with_overrides(merged)
    except ConfigError as exc:
        raise ConfigError(f"thresholds of {spec.id}: {exc}") from None


def levels(
    out: pd.DataFrame, th: Thresholds, direction: int
) -> tuple[np.ndarray, np.ndarray]:
    """Status level (-1..2) and judged score for every row of an indicator frame.

    The score is the column named by ``th.on`` itself (fixed), its z-score or its percentile
    rank, computed from observations up to each row only.
    """
    col = out[th.on] if th.on in out else out["value"]
    x = pd.to_numeric(col, errors="coerce").astype(float)
    if th.kind == "zscore":
        score = zscore(x, th.window_years, th.min_history).reindex(out.index)
    elif th.kind == "percentile":
        score = percentile_rank(x, th.window_years, th.min_history).reindex(out.index)
    else:
        score = x
    # rates differ by float noise (2.55 - 2.50 = 0.04999...): compare at a fixed precision
    s = np.round(score.to_numpy(dtype=float), 9)
    if direction > 0:
        lvl = np.where(s >= th.alert, 2, np.where(s >= th.watch, 1, 0))
    else:
        lvl = np.where(s <= th.alert, 2, np.where(s <= th.watch, 1, 0))
    lvl = np.where(np.isnan(s), -1, lvl)
    if th.active_from is not None:
        early = out.index < pd.Timestamp(th.active_from)
        lvl = np.where(early, 0, lvl)
    return lvl.astype(np.int8), s
