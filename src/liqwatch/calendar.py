"""US business-day calendar used for publication lags and business-day counts.

Money-market rates follow the SIFMA/Federal Reserve calendar; the US federal holiday calendar
is used here as a close, documented approximation.
"""

from __future__ import annotations

from datetime import date
from functools import cache

import numpy as np
import pandas as pd
from pandas.tseries.holiday import USFederalHolidayCalendar
from pandas.tseries.offsets import CustomBusinessDay

__all__ = ["BDAY", "business_days", "holiday_array", "is_business_day", "to_date"]

#: US business day (Monday to Friday except federal holidays), built on first use.
BDAY: CustomBusinessDay


@cache
def _bday() -> CustomBusinessDay:
    return CustomBusinessDay(holidays=holiday_array())


def __getattr__(name: str) -> CustomBusinessDay:
    # ``BDAY`` (US business day: Monday to Friday except federal holidays) is built on first
    # use: the holiday table costs a tenth of a second that commands without it should not pay.
    if name == "BDAY":
        return _bday()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@cache
def holiday_array() -> np.ndarray:
    """Return US federal holidays 1950-2100 as ``datetime64[D]`` (for ``numpy.busday_*``)."""
    days = USFederalHolidayCalendar().holidays(start="1950-01-01", end="2100-12-31")
    return np.asarray(days.values.astype("datetime64[D]"))


@cache
def _holidays() -> frozenset[date]:
    return frozenset(pd.Timestamp(d).date() for d in holiday_array())


def is_business_day(day: date) -> bool:
    """Return True when ``day`` is a US business day."""
    return day.weekday() < 5 and day not in _holidays()


def business_days(start: date | str, end: date | str) -> pd.DatetimeIndex:
    """Return the US business days from ``start`` to ``end`` inclusive."""
    return pd.date_range(start, end, freq=_bday())


def to_date(value: date | str | pd.Timestamp) -> date:
    """Coerce an ISO string, a Timestamp or a date to :class:`datetime.date`."""
    if isinstance(value, pd.Timestamp):
        return date.fromisoformat(value.strftime("%Y-%m-%d"))
    if isinstance(value, str):
        return date.fromisoformat(value)
    return value
