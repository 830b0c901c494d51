"""The full real-time history the stress layer works from, computed once per store state.

Every row of the indicator history, of the composite and of the verdict is causal (row ``D``
uses only data published by ``D``), so one computation from the first business day to today
answers every as-of question: a one-day reading is a row of it. The results are memoised with
the indicator inputs (:func:`liqwatch.indicators.memo`) and dropped when the store changes.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import UTC, datetime
from typing import Any, TypeVar

import pandas as pd

from liqwatch.stress.panel import StressPanel

__all__ = ["composite_panel", "indicator_history", "memoised"]

T = TypeVar("T")


def _today() -> pd.Timestamp:
    return pd.Timestamp(datetime.now(UTC).date())


def memoised(store: Any, name: Hashable, build: Callable[[], T]) -> T:
    """``build()`` once per store state and day (key ``name``)."""
    from liqwatch import indicators

    memo = indicators.memo(store)
    key = ("liqwatch.stress", name, _today())
    if key not in memo:
        memo[key] = build()
    out: T = memo[key]
    return out


def indicator_history(store: Any) -> pd.DataFrame:
    """:func:`liqwatch.indicators.history` from its first day to today (memoised)."""
    from liqwatch import indicators

    return memoised(store, "indicator_history", lambda: indicators.history(store))


def composite_panel(store: Any) -> StressPanel:
    """The composite's panel over the whole :func:`indicator_history` (memoised).

    Raises
    ------
    IndicatorError
        When the store holds no indicator value at all.
    """
    from liqwatch.stress.panel import from_indicator_history, require_values

    return memoised(store, "panel", lambda: require_values(
        from_indicator_history(indicator_history(store))))
