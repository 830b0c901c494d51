"""Liquidity indicators: registry, point-in-time engine and the combination view.

>>> from liqwatch.indicators import REGISTRY, compute, history, combination
>>> frame = compute(store, as_of="2019-09-18")            # doctest: +SKIP
>>> combination(frame)                                     # doctest: +SKIP
>>> hist = history(store, ["sofr_iorb_bp"], start="2019-01-01")  # doctest: +SKIP
"""

from liqwatch.indicators.engine import COLUMNS, combination, compute, history, memo
from liqwatch.indicators.registry import REGISTRY, select
from liqwatch.indicators.spec import CATEGORIES, IndicatorSpec, Thresholds

__all__ = [
    "CATEGORIES",
    "COLUMNS",
    "REGISTRY",
    "IndicatorSpec",
    "Thresholds",
    "combination",
    "compute",
    "history",
    "memo",
    "select",
]
