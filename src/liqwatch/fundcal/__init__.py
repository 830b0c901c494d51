"""The funding calendar: the days a funding desk reads a repo print against.

Month-, quarter- and year-ends and the first business day after them, Treasury coupon
settlements (the 15th and the month-end), corporate and individual tax dates, GSE cash days
and the year-end turn, dated by rules (:mod:`liqwatch.fundcal.rules`) from the package data
``fundcal/events.toml``, with names in English and Japanese; Treasury auction settlements come
from FiscalData's auction results when the store holds them. Point in time: a tax date the IRS
moved is known at its new date from the announcement, at its original date before it.

>>> from datetime import date
>>> events_on(date(2019, 9, 16)).kinds
('tax_corporate', 'tax_individual', 'coupon_mid')
>>> events_on(date(2020, 7, 15), as_of=date(2020, 3, 1)).kinds
('coupon_mid',)
>>> events_on(date(2020, 7, 15)).kinds
('tax_corporate', 'tax_individual', 'coupon_mid')
"""

from liqwatch.fundcal.days import (
    DayTags,
    FundingCalendar,
    default_calendar,
    events_between,
    events_on,
    tag_days,
)
from liqwatch.fundcal.kinds import ORDINARY, EventKind, kind, kinds
from liqwatch.fundcal.rules import CalendarEvent

__all__ = [
    "ORDINARY",
    "CalendarEvent",
    "DayTags",
    "EventKind",
    "FundingCalendar",
    "default_calendar",
    "events_between",
    "events_on",
    "kind",
    "kinds",
    "tag_days",
]
