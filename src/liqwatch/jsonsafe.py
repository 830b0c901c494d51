"""One conversion of Python, numpy and pandas values to JSON-safe values.

Used by every JSON output (the CLI, the web API, exports), so that dates, missing values and
numpy scalars read the same everywhere.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["jsonable", "plain_records"]


def jsonable(value: Any, *, digits: int | None = 12) -> Any:
    """Return a JSON-safe copy of ``value``, recursively through dicts, lists and tuples.

    Dates become ISO strings (a timestamp at midnight becomes a date), NaN, NaT and infinities
    become ``None``, numpy scalars become Python values, objects with ``to_dict`` are converted
    and anything else unknown becomes its ``str``.

    Parameters
    ----------
    value
        What to convert.
    digits
        Round floats to this many significant digits (default 12: the float noise of
        subtractions such as ``315.00000000000006`` is dropped); None keeps them as they are.
    """
    if isinstance(value, dict):
        return {str(k): jsonable(v, digits=digits) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v, digits=digits) for v in value]
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, np.generic):
        return jsonable(value.item(), digits=digits)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        return float(f"{value:.{digits}g}") if digits else value
    if value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        if value.time() == datetime.min.time() and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "to_dict"):
        return jsonable(value.to_dict(), digits=digits)
    return str(value)


def plain_records(records: Sequence[Mapping[Any, Any]]) -> list[dict[str, Any]]:
    """JSON-safe copies of ``records`` (dates as ISO strings, NaN as null, floats to 12
    significant digits)."""
    return [jsonable(dict(r), digits=12) for r in records]
