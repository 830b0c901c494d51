"""How old an indicator reading may be before it is reported as ``no_data``.

Each input series gets a maximum age from its catalogued frequency and publication schedule:
the spacing of its observations, its publication lag and the catalogue's grace period. A row
of an indicator frame takes the limit of the first input (in the spec's order: the primary
series, then variants and references) observed on its date, so a spliced indicator judges a
daily row by the daily series and a weekly fallback row by the weekly one: a variant series
is used only while it is itself fresh.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from liqwatch import catalog
from liqwatch.catalog import Frequency
from liqwatch.indicators.inputs import SeriesVintages
from liqwatch.indicators.spec import IndicatorSpec

__all__ = ["SPACING_DAYS", "UNKNOWN_SERIES_AGE", "row_max_age", "series_max_age"]

#: Calendar days between two observations that count as on time, before the publication lag:
#: daily series get five (a long weekend plus two business days), weekly a week plus two days,
#: monthly and quarterly two periods (an observation is replaced only when the next one is
#: published, one period and the lag later).
SPACING_DAYS = {Frequency.DAILY: 5, Frequency.WEEKLY: 9, Frequency.MONTHLY: 62,
                Frequency.QUARTERLY: 184}

#: Maximum age of a series the catalog does not know.
UNKNOWN_SERIES_AGE = 10


def series_max_age(series_id: str) -> int:
    """Calendar days after which an observation of ``series_id`` is too old to report.

    Spacing of the observations (:data:`SPACING_DAYS`) plus the publication lag (business
    days counted as 7/5 calendar days) plus, for monthly and quarterly series, the
    catalogue's grace period for a late release.

    Examples
    --------
    >>> series_max_age("RPONTTLD_NYFED")  # NY Fed operations: same-day results
    5
    >>> series_max_age("WREPO")  # H.4.1 week average, published the next day
    10
    """
    if not catalog.is_known(series_id):
        return UNKNOWN_SERIES_AGE
    spec = catalog.get(series_id)
    rel = spec.release
    lag = math.ceil(rel.days * 7 / 5) if rel.business else rel.days
    grace = rel.grace_days if spec.frequency in (Frequency.MONTHLY, Frequency.QUARTERLY) else 0
    return SPACING_DAYS[spec.frequency] + lag + grace


def row_max_age(spec: IndicatorSpec, index: pd.DatetimeIndex,
                inputs: Mapping[str, SeriesVintages], override: int | None = None
                ) -> np.ndarray:
    """Maximum age in calendar days of each row of an indicator frame indexed by ``index``.

    ``override`` (configuration) or the spec's own ``max_age_days`` applies to every row;
    otherwise each row takes the limit of the first input (in the spec's order) observed on
    its date (the longest of all inputs when none is, e.g. rows made from as-of lookups).
    """
    fixed = override if override is not None else spec.max_age_days
    if fixed is not None:
        return np.full(len(index), float(fixed))
    own = [sid for sid in spec.inputs if sid not in spec.by_publication] or list(spec.inputs)
    limits = {sid: float(series_max_age(sid)) for sid in own}
    out = np.full(len(index), np.inf)
    for sid in own:
        sv = inputs.get(sid)
        if sv is None or sv.empty:
            continue
        hit = np.isinf(out) & index.isin(sv.first.index)
        out[hit] = limits[sid]
    fallback = max(limits.values()) if limits else float(UNKNOWN_SERIES_AGE)
    return np.where(np.isinf(out), fallback, out)
