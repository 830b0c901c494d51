"""US business-day calendars used for publication lags and business-day counts.

Three calendars, because US publishers keep different ones:

``sifma`` (the default of :data:`BDAY`, :func:`business_days`, :func:`is_business_day`)
    The US bond market: the days SIFMA recommends a full close (``pandas_market_calendars``'
    ``SIFMAUS``), plus every Good Friday — when SIFMA only recommends an early close (2021,
    2023, 2026) no repo settles and the New York Fed publishes no SOFR, TGCR, BGCR or ON RRP
    result — plus 5 Dec 2018 (SIFMA's full close for the national day of mourning, missing
    from the package). Money-market rates, repo operations and Treasury market data follow it.
``fed``
    The Federal Reserve Banks' holidays (Fedwire Funds): the federal holidays, except that a
    holiday falling on a Saturday is not moved to the Friday, and Juneteenth only from 2022.
    The unsecured rates (EFFR, OBFR) are published on this calendar, Good Fridays included.
``federal``
    The US federal government's holidays (Saturday holidays observed on the Friday): the
    Treasury's Daily Treasury Statement follows it.

The SIFMA table comes from ``pandas_market_calendars``, the other two from pandas' holiday
rules. Computing a table costs a quarter of a second to two seconds, so each is kept in the
user cache folder (``LIQWATCH_CACHE_DIR`` overrides it), keyed by the version of the package
it comes from, and read in about a millisecond afterwards; without a writable cache folder it
is computed once per process.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pandas.tseries.offsets import CustomBusinessDay

__all__ = [
    "BDAY",
    "CALENDARS",
    "CalendarName",
    "business_days",
    "holiday_array",
    "holidays",
    "is_business_day",
    "to_date",
]

CalendarName = Literal["sifma", "fed", "federal"]
#: The calendars a publication schedule can count business days on.
CALENDARS: tuple[CalendarName, ...] = ("sifma", "fed", "federal")

#: US bond-market business day (see the module docstring), built on first use.
BDAY: CustomBusinessDay

_FIRST, _LAST = "1950-01-01", "2100-12-31"
#: A SIFMA full close the package does not list (national day of mourning, G. H. W. Bush).
_SIFMA_EXTRA = ("2018-12-05",)


@cache
def _bday() -> CustomBusinessDay:
    return CustomBusinessDay(holidays=list(holiday_array()))


def __getattr__(name: str) -> CustomBusinessDay:
    # ``BDAY`` is built on first use: commands that never count business days do not pay.
    if name == "BDAY":
        return _bday()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _cache_dir() -> Path:
    env = os.environ.get("LIQWATCH_CACHE_DIR")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("liqwatch"))


def _sifma() -> np.ndarray:
    import pandas_market_calendars as mcal

    days = pd.DatetimeIndex(mcal.get_calendar("SIFMAUS").holidays().holidays)
    from pandas.tseries.holiday import GoodFriday

    good_fridays = pd.DatetimeIndex(GoodFriday.dates(_FIRST, _LAST))
    days = days.union(good_fridays).union(pd.DatetimeIndex(_SIFMA_EXTRA))
    days = days[(days >= pd.Timestamp(_FIRST)) & (days <= pd.Timestamp(_LAST))]
    return np.asarray(days.values.astype("datetime64[D]"))


def _installed_stamp(package: str) -> str:
    """A stamp of the installed copy of ``package`` (its folder's modification time), found
    without importing it: an upgrade rewrites the folder, so a new stamp rebuilds the table."""
    for entry in sys.path:
        folder = Path(entry or ".") / package
        if folder.is_dir():
            return f"{folder.stat().st_mtime_ns:x}"
    return "none"


def _cached(name: str, package: str, compute: Callable[[], np.ndarray]) -> np.ndarray:
    """``compute()``, kept in the cache folder under the version of the package it comes from."""
    path = _cache_dir() / f"{name}-holidays-{package}-{_installed_stamp(package)}.npy"
    with contextlib.suppress(OSError, ValueError):
        cached = np.load(path, allow_pickle=False)
        if cached.dtype == np.dtype("datetime64[D]") and cached.size:
            return np.asarray(cached)
    days = compute()
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{name}-", suffix=".npy")
        try:
            with os.fdopen(fd, "wb") as fh:
                np.save(fh, days, allow_pickle=False)
            Path(tmp).replace(path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                Path(tmp).unlink()
    return days


def _fed() -> np.ndarray:
    """Federal Reserve holidays: federal holidays, Saturday ones not moved, Juneteenth from 2022."""
    from pandas.tseries.holiday import (
        Holiday,
        USColumbusDay,
        USLaborDay,
        USMartinLutherKingJr,
        USMemorialDay,
        USPresidentsDay,
        USThanksgivingDay,
        sunday_to_monday,
    )

    rules = [
        Holiday("New Year's Day", month=1, day=1, observance=sunday_to_monday),
        USMartinLutherKingJr, USPresidentsDay, USMemorialDay,
        Holiday("Juneteenth", month=6, day=19, start_date="2022-06-19",
                observance=sunday_to_monday),
        Holiday("Independence Day", month=7, day=4, observance=sunday_to_monday),
        USLaborDay, USColumbusDay,
        Holiday("Veterans Day", month=11, day=11, observance=sunday_to_monday),
        USThanksgivingDay,
        Holiday("Christmas Day", month=12, day=25, observance=sunday_to_monday),
    ]
    days = pd.DatetimeIndex([])
    for rule in rules:
        days = days.union(pd.DatetimeIndex(rule.dates(_FIRST, _LAST)))
    days = days[days.day_of_week < 5]
    return np.asarray(days.values.astype("datetime64[D]"))


def _federal() -> np.ndarray:
    from pandas.tseries.holiday import USFederalHolidayCalendar

    days = USFederalHolidayCalendar().holidays(start=_FIRST, end=_LAST)
    return np.asarray(days.values.astype("datetime64[D]"))


@cache
def holidays(calendar: CalendarName = "sifma") -> np.ndarray:
    """Return the weekday holidays of ``calendar`` 1950-2100 as ``datetime64[D]``.

    Parameters
    ----------
    calendar
        ``"sifma"`` (US bond market, the default), ``"fed"`` (Federal Reserve Banks) or
        ``"federal"`` (US federal government); see the module docstring.

    Examples
    --------
    >>> import numpy as np
    >>> bool(np.is_busday("2024-03-29", holidays=holidays("sifma")))  # Good Friday
    False
    >>> bool(np.is_busday("2024-03-29", holidays=holidays("fed")))
    True
    """
    if calendar == "sifma":
        return _cached(calendar, "pandas_market_calendars", _sifma)
    if calendar == "fed":
        return _cached(calendar, "pandas", _fed)
    if calendar == "federal":
        return _cached(calendar, "pandas", _federal)
    raise ValueError(f"unknown calendar {calendar!r}; choose from {', '.join(CALENDARS)}")


def holiday_array() -> np.ndarray:
    """Return the US bond-market (SIFMA) holidays 1950-2100 as ``datetime64[D]``.

    For ``numpy.busday_*``; the same as ``holidays("sifma")``.
    """
    return holidays("sifma")


@cache
def _holiday_set() -> frozenset[date]:
    return frozenset(pd.DatetimeIndex(holiday_array()).date)


def is_business_day(day: date) -> bool:
    """Return True when ``day`` is a US bond-market business day."""
    return day.weekday() < 5 and day not in _holiday_set()


def business_days(start: date | str, end: date | str) -> pd.DatetimeIndex:
    """Return the US bond-market business days from ``start`` to ``end`` inclusive."""
    return pd.date_range(start, end, freq=_bday())


def to_date(value: date | str | pd.Timestamp) -> date:
    """Coerce an ISO string, a Timestamp or a date to :class:`datetime.date`."""
    if isinstance(value, pd.Timestamp):
        return date.fromisoformat(value.strftime("%Y-%m-%d"))
    if isinstance(value, str):
        return date.fromisoformat(value)
    return value

