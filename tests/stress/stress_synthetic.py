"""Synthetic panels for the stress tests (named synthetic: random, not real data)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from liqwatch.stress.panel import StressPanel

CATS = ("funding", "reserves", "risk_appetite", "oil", "credit", "offshore")


def synthetic_panel(
    seed: int = 0, start: str = "2005-01-03", end: str = "2021-12-31", per_cat: int = 3,
    late: dict[str, int] | None = None,
) -> StressPanel:
    """A synthetic panel: per category ``per_cat`` noisy indicators with alternating directions.

    ``late`` maps an indicator id to the row where it starts (NaN before).
    """
    rng = np.random.default_rng(seed)
    idx = pd.bdate_range(start, end)
    cols: dict[str, np.ndarray] = {}
    cats: dict[str, str] = {}
    dirs: dict[str, int] = {}
    for c in CATS:
        for j in range(per_cat):
            key = f"{c}_{j}"
            x = rng.normal(size=len(idx)) + 0.05 * np.cumsum(rng.normal(size=len(idx)))
            d = 1 if j % 2 == 0 else -1
            if late and key in late:
                x[: late[key]] = np.nan
            cols[key], cats[key], dirs[key] = x, c, d
    return StressPanel(pd.DataFrame(cols, index=idx), cats, dirs)


def shock(panel: StressPanel, days: pd.DatetimeIndex | slice, categories: tuple[str, ...],
          size: float) -> StressPanel:
    """Add stress of ``size`` (in stress direction) to every indicator of ``categories``."""
    vals = panel.values.copy()
    for col in vals.columns:
        if panel.categories[col] in categories:
            vals.loc[days, col] = vals.loc[days, col] + size * panel.directions[col]
    return StressPanel(vals, panel.categories, panel.directions)

