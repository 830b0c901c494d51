"""Treasury auction settlements as funding-calendar events.

FiscalData's auctions data (:meth:`liqwatch.sources.fiscaldata.FiscalDataClient.auctions`)
gives each auctioned security its issue (settlement) day, its announcement day and the
amount offered. Coupon securities (notes, bonds, TIPS, FRNs) are the settlements dealers
finance in repo; bills settle every week and are left out by default. Each settlement day
becomes one ``auction_settlement`` event with the total amount offered, known from the
earliest announcement of the securities settling that day. Without the data (offline), the
rule-dated coupon settlements (the 15th and the month-end) stand in.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date
from typing import Protocol

from liqwatch.fundcal.days import FundingCalendar
from liqwatch.fundcal.rules import CalendarEvent

__all__ = ["COUPON_TYPES", "AuctionLike", "auction_calendar", "settlement_events"]

#: Security types whose settlements are listed (``security_type`` values of FiscalData).
COUPON_TYPES: frozenset[str] = frozenset({"Note", "Bond", "TIPS", "FRN"})


class AuctionLike(Protocol):
    """What a settlement needs from an auction row (e.g. ``AuctionRow``)."""

    @property
    def security_type(self) -> str: ...

    @property
    def issue_date(self) -> date: ...

    @property
    def announced(self) -> date | None: ...

    @property
    def offering_bn(self) -> float: ...


def settlement_events(rows: Iterable[AuctionLike], *,
                      types: frozenset[str] | None = COUPON_TYPES) -> tuple[CalendarEvent, ...]:
    """One ``auction_settlement`` event per issue day of ``rows``.

    Parameters
    ----------
    rows
        Auction rows.
    types
        Security types kept (None: every type, bills included).

    Examples
    --------
    >>> from liqwatch.sources.fiscaldata import AuctionRow
    >>> rows = [AuctionRow("91282CAA", "Note", "2-Year", date(2025, 10, 27),
    ...                    date(2025, 10, 31), date(2025, 10, 23), 69.0, float("nan")),
    ...         AuctionRow("91282CAB", "Note", "5-Year", date(2025, 10, 28),
    ...                    date(2025, 10, 31), date(2025, 10, 23), 70.0, float("nan"))]
    >>> ev = settlement_events(rows)[0]
    >>> ev.day, ev.amount_bn, ev.known_from
    (datetime.date(2025, 10, 31), 139.0, datetime.date(2025, 10, 23))
    """
    amount: dict[date, float] = {}
    known: dict[date, date | None] = {}
    for r in rows:
        if types is not None and r.security_type not in types:
            continue
        day = r.issue_date
        value = r.offering_bn if not math.isnan(r.offering_bn) else 0.0
        amount[day] = amount.get(day, 0.0) + value
        first = known.get(day, r.announced)
        known[day] = min(x for x in (first, r.announced) if x is not None) if (
            first or r.announced) else None
    return tuple(CalendarEvent(d, "auction_settlement", known_from=known[d],
                               amount_bn=round(amount[d], 3), source="fiscaldata")
                 for d in sorted(amount))


def auction_calendar(rows: Iterable[AuctionLike], *,
                     types: frozenset[str] | None = COUPON_TYPES) -> FundingCalendar:
    """The rule-dated calendar plus the settlements of ``rows``."""
    return FundingCalendar(extra=settlement_events(rows, types=types))
