"""Dating the funding-calendar days of a year from the rules (no data needed).

All days are US bond-market (SIFMA) business days, the days repo settles
(:mod:`liqwatch.calendar`):

- **month-, quarter- and year-ends**: the last business day of the month (March, June,
  September: also a quarter-end; December: the year-end, also a quarter- and month-end); the
  **first business day** after each;
- **coupon settlements**: the 15th and the last calendar day of the month, each rolled to the
  next business day (Treasury issues notes and bonds on those days);
- **tax dates**: corporate estimated tax on the 15th of April, June, September and December,
  individual tax on the 15th of January, April, June and September, rolled like the IRS rolls
  them (past weekends, federal holidays and the District of Columbia's Emancipation Day,
  16 April) and then to a settlement day; the dated moves of the package data (2020, 2021)
  apply from the day they were announced;
- **GSE cash day**: the 25th, next business day;
- **the year-end turn**: the ``year_end_turn_days`` business days before the year-end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import numpy as np

from liqwatch.calendar import holidays
from liqwatch.fundcal.kinds import rules

__all__ = ["CalendarEvent", "year_events"]


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """One event on one day.

    Attributes
    ----------
    day
        The business day.
    kind
        Its kind (:func:`liqwatch.fundcal.kinds.kinds`).
    known_from, known_until
        The event is known on as-of days ``known_from <= as_of < known_until`` (None: no
        bound). A rule-dated event is always known; a moved tax date is known from its
        announcement, and its original date until then.
    amount_bn
        Amount settling (USD billions) for an auction settlement from data, else None.
    source
        ``rules``, ``moved`` or ``fiscaldata``.
    """

    day: date
    kind: str
    known_from: date | None = None
    known_until: date | None = None
    amount_bn: float | None = None
    source: str = "rules"

    def known_on(self, as_of: date | None) -> bool:
        """True when the event was known on ``as_of`` (None: today's knowledge)."""
        if as_of is None:
            return self.known_until is None
        if self.known_from is not None and as_of < self.known_from:
            return False
        return self.known_until is None or as_of < self.known_until


@cache
def _sifma() -> np.busdaycalendar:
    return np.busdaycalendar(holidays=holidays("sifma"))


@cache
def _tax_calendar(year: int) -> np.busdaycalendar:
    """SIFMA and federal holidays plus DC Emancipation Day of ``year`` (how the IRS rolls)."""
    extra = np.array([_emancipation_day(year)], dtype="datetime64[D]")
    return np.busdaycalendar(holidays=np.union1d(np.union1d(holidays("sifma"),
                                                            holidays("federal")), extra))


def _roll(day: date, cal: np.busdaycalendar | None = None) -> date:
    """``day`` or the next business day (SIFMA, or the calendar ``cal``)."""
    out = np.busday_offset(np.datetime64(day, "D"), 0, roll="forward",
                           busdaycal=cal or _sifma())
    return date.fromisoformat(str(out))


def _last_bday(year: int, month: int) -> date:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    out = np.busday_offset(np.datetime64(nxt - timedelta(days=1), "D"), 0, roll="backward",
                           busdaycal=_sifma())
    return date.fromisoformat(str(out))


def _month_last_day(year: int, month: int) -> date:
    return date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)


def _emancipation_day(year: int) -> date:
    """DC Emancipation Day (16 April) as observed: Saturday → Friday, Sunday → Monday."""
    day = date(year, 4, 16)
    if day.weekday() == 5:
        return day - timedelta(days=1)
    if day.weekday() == 6:
        return day + timedelta(days=1)
    return day


def _tax_roll(day: date) -> date:
    return _roll(day, _tax_calendar(day.year))


@cache
def year_events(year: int) -> tuple[CalendarEvent, ...]:
    """Every rule-dated event of ``year``, the dated moves applied (sorted by day, kind).

    Examples
    --------
    >>> [e.kind for e in year_events(2019) if e.day == date(2019, 9, 16)]
    ['coupon_mid', 'tax_corporate', 'tax_individual']
    """
    r = rules()
    ev: list[CalendarEvent] = []
    for month in range(1, 13):
        end = _last_bday(year, month)
        ev.append(CalendarEvent(end, "month_end"))
        if month in (3, 6, 9, 12):
            ev.append(CalendarEvent(end, "quarter_end"))
        start = _roll(date(year, month, 1))
        ev.append(CalendarEvent(start, "month_start"))
        if month in (1, 4, 7, 10):
            ev.append(CalendarEvent(start, "quarter_start"))
        ev.append(CalendarEvent(_roll(date(year, month, r.coupon_mid_day)), "coupon_mid"))
        ev.append(CalendarEvent(_roll(_month_last_day(year, month)), "coupon_end"))
        ev.append(CalendarEvent(_roll(date(year, month, r.gse_cash_day)), "gse_cash"))
        for months, kind in ((r.corporate_tax_months, "tax_corporate"),
                             (r.individual_tax_months, "tax_individual")):
            if month in months:
                ev.append(CalendarEvent(_tax_roll(date(year, month, 15)), kind))
    year_end = _last_bday(year, 12)
    ev.append(CalendarEvent(year_end, "year_end"))
    ev.append(CalendarEvent(_roll(date(year, 1, 1)), "year_start"))
    turn = np.busday_offset(np.datetime64(year_end, "D"), -np.arange(1, r.year_end_turn_days + 1),
                            busdaycal=_sifma())
    ev += [CalendarEvent(date.fromisoformat(str(d)), "year_end_turn") for d in turn]
    for change in r.changes:
        if change.day.year != year and (change.original is None
                                        or change.original.year != year):
            continue
        for kind in change.kinds:
            if change.original is not None and change.original.year == year:
                old = _tax_roll(change.original)
                ev = [CalendarEvent(e.day, e.kind, known_until=change.announced)
                      if (e.day, e.kind) == (old, kind) else e for e in ev]
            if change.day.year == year:
                ev.append(CalendarEvent(_roll(change.day), kind, known_from=change.announced,
                                        source="moved"))
    return tuple(sorted(set(ev), key=lambda e: (e.day, e.kind, e.source, str(e.known_from),
                                                str(e.known_until))))
