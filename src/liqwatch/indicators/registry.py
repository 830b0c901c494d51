"""The indicators, declared once: ``REGISTRY`` maps id -> :class:`IndicatorSpec`."""

from __future__ import annotations

from collections.abc import Iterable
from types import MappingProxyType

from liqwatch.exceptions import ConfigError
from liqwatch.indicators.defs_credit import CREDIT
from liqwatch.indicators.defs_funding import FUNDING
from liqwatch.indicators.defs_markets import OIL, RISK_APPETITE
from liqwatch.indicators.defs_offshore import OFFSHORE
from liqwatch.indicators.defs_reserves import RESERVES
from liqwatch.indicators.spec import CATEGORIES, IndicatorSpec

__all__ = ["REGISTRY", "select"]

_ALL: tuple[IndicatorSpec, ...] = (*FUNDING, *RESERVES, *RISK_APPETITE, *OIL, *CREDIT, *OFFSHORE)

#: Every indicator by id, in display order (category, then declaration order).
REGISTRY: MappingProxyType[str, IndicatorSpec] = MappingProxyType(
    {s.id: s for c in CATEGORIES for s in _ALL if s.category == c}
)


def select(
    categories: Iterable[str] | None = None, ids: Iterable[str] | None = None
) -> list[IndicatorSpec]:
    """Indicators in ``categories`` and/or with ``ids`` (both None: all), in registry order.

    A single id or category may be given as a string.

    Raises
    ------
    ConfigError
        For an unknown category or indicator id.
    """
    if isinstance(categories, str):
        categories = [categories]
    if isinstance(ids, str):
        ids = [ids]
    cats = list(categories) if categories is not None else None
    wanted = list(ids) if ids is not None else None
    for c in cats or []:
        if c not in CATEGORIES:
            raise ConfigError(f"unknown category {c!r}; choose from {', '.join(CATEGORIES)}")
    for i in wanted or []:
        if i not in REGISTRY:
            raise ConfigError(
                f"unknown indicator {i!r}; see `liqwatch indicators --format json` for ids"
            )
    return [
        s for s in REGISTRY.values()
        if (cats is None or s.category in cats) and (wanted is None or s.id in wanted)
    ]
