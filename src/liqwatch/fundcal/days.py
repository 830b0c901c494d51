"""The funding calendar: which events fall on a day, as known on an as-of day."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache

import pandas as pd

from liqwatch.calendar import to_date
from liqwatch.exceptions import ConfigError
from liqwatch.fundcal.kinds import ORDINARY, kind, kinds, rules
from liqwatch.fundcal.rules import CalendarEvent, year_events

__all__ = ["DayTags", "FundingCalendar", "default_calendar", "events_between", "events_on",
           "tag_days"]

_LAST_YEAR = 2100


@dataclass(frozen=True, slots=True)
class DayTags:
    """The events of one day.

    Attributes
    ----------
    day
        The day.
    events
        Its events, highest-ranked kind first.
    """

    day: date
    events: tuple[CalendarEvent, ...]

    @property
    def kinds(self) -> tuple[str, ...]:
        """Kinds of the day's events, highest rank first (no repeats)."""
        return tuple(dict.fromkeys(e.kind for e in self.events))

    @property
    def principal(self) -> str:
        """The kind that names the day (``ordinary`` when it has no event)."""
        return self.kinds[0] if self.events else ORDINARY

    def names(self, lang: str = "en") -> list[str]:
        """Names of the day's kinds in ``lang``."""
        return [kind(k).name(lang) for k in self.kinds]


def _rank(e: CalendarEvent) -> tuple[int, str]:
    return (-kind(e.kind).rank, e.kind)


@dataclass(frozen=True)
class FundingCalendar:
    """The rule-dated funding calendar plus dated events from data (auction settlements).

    Parameters
    ----------
    extra
        Events from data, e.g. :func:`liqwatch.fundcal.auctions.settlement_events`; each is
        known from its ``known_from`` day (the auction's announcement).

    Examples
    --------
    >>> cal = FundingCalendar()
    >>> cal.on(date(2019, 9, 30)).kinds
    ('quarter_end', 'month_end', 'coupon_end')
    >>> cal.on(date(2019, 9, 16)).principal
    'tax_corporate'
    """

    extra: tuple[CalendarEvent, ...] = ()
    _by_day: dict[date, tuple[CalendarEvent, ...]] = field(default_factory=dict, init=False,
                                                           repr=False, compare=False)

    def __post_init__(self) -> None:
        by: dict[date, list[CalendarEvent]] = {}
        for e in self.extra:
            if e.kind not in kinds():
                raise ConfigError(f"funding calendar: event on {e.day} has unknown kind "
                                  f"{e.kind!r}")
            by.setdefault(e.day, []).append(e)
        self._by_day.update({d: tuple(v) for d, v in by.items()})

    def on(self, day: date | str | pd.Timestamp, *, as_of: date | str | None = None
           ) -> DayTags:
        """The events of ``day`` known on ``as_of`` (default: all known today)."""
        d = to_date(day)
        known = None if as_of is None else to_date(as_of)
        extra = self._by_day.get(d)
        if not extra:
            return _rule_tags(d, known)
        events = [*_year_map(d.year).get(d, ()), *extra]
        kept = sorted((e for e in events if e.known_on(known)), key=_rank)
        return DayTags(d, tuple(kept))

    def between(self, start: date | str, end: date | str, *, as_of: date | str | None = None,
                pressure_only: bool = False) -> list[DayTags]:
        """Every day from ``start`` to ``end`` (inclusive) with at least one event.

        ``pressure_only`` keeps the days whose events include a pressure kind (and only
        those events).
        """
        lo, hi = to_date(start), to_date(end)
        if hi < lo:
            raise ConfigError(f"funding calendar: end {hi} is before start {lo}")
        _check_years(lo, hi)
        days: set[date] = {d for y in range(lo.year, hi.year + 1) for d in _year_map(y)}
        days |= set(self._by_day)
        out = []
        for d in sorted(x for x in days if lo <= x <= hi):
            tags = self.on(d, as_of=as_of)
            if pressure_only:
                tags = DayTags(d, tuple(e for e in tags.events if kind(e.kind).pressure))
            if tags.events:
                out.append(tags)
        return out

    def tag(self, index: Iterable[date | str | pd.Timestamp] | pd.DatetimeIndex, *,
            as_of: date | str | None = None, point_in_time: bool = False) -> pd.DataFrame:
        """Tag each day of ``index``: a frame indexed by the days with ``kinds`` (tuple,
        highest rank first), ``kind`` (the principal kind, ``ordinary`` without events),
        ``name_en`` and ``name_ja`` (the kinds' names joined).

        ``point_in_time`` tags each day with the calendar as known on that day (``as_of``
        is then ignored).
        """
        idx = (index if isinstance(index, pd.DatetimeIndex)
               else pd.DatetimeIndex([pd.Timestamp(d) for d in index]))
        rows = []
        fixed = None if as_of is None else to_date(as_of)
        for ts in idx:
            d = ts.date()
            known = d if point_in_time else fixed
            if d in self._by_day:
                rows.append(_row(self.on(d, as_of=known)))
            else:
                rows.append(_rule_row(d, known))
        frame = pd.DataFrame(rows, index=idx, columns=["kinds", "kind", "name_en", "name_ja"])
        return frame


def _check_years(lo: date, hi: date) -> None:
    first = rules().first_year
    if lo.year < first or hi.year > _LAST_YEAR:
        raise ConfigError(f"funding calendar: dates must fall in {first}-{_LAST_YEAR} "
                          f"(got {lo} to {hi})")


@lru_cache(maxsize=1 << 16)
def _rule_tags(day: date, known: date | None) -> DayTags:
    """The rule-dated events of ``day`` known on ``known`` (cached: turn-aware readings tag
    every print of a spread)."""
    events = _year_map(day.year).get(day, ())
    return DayTags(day, tuple(sorted((e for e in events if e.known_on(known)), key=_rank)))


def _row(t: DayTags) -> tuple[tuple[str, ...], str, str, str]:
    return (t.kinds, t.principal, ", ".join(t.names("en")), "、".join(t.names("ja")))


@lru_cache(maxsize=1 << 16)
def _rule_row(day: date, known: date | None) -> tuple[tuple[str, ...], str, str, str]:
    return _row(_rule_tags(day, known))


@cache
def _year_map(year: int) -> dict[date, list[CalendarEvent]]:
    out: dict[date, list[CalendarEvent]] = {}
    if rules().first_year <= year <= _LAST_YEAR:
        for e in year_events(year):
            out.setdefault(e.day, []).append(e)
    return out


@cache
def default_calendar() -> FundingCalendar:
    """The rule-dated calendar (no events from data)."""
    return FundingCalendar()


def events_on(day: date | str | pd.Timestamp, *, as_of: date | str | None = None,
              calendar: FundingCalendar | None = None) -> DayTags:
    """The funding-calendar events of ``day`` as known on ``as_of``.

    Examples
    --------
    >>> events_on("2025-10-31").kinds
    ('month_end', 'coupon_end')
    >>> events_on("2025-12-31").names("ja")
    ['年末', '四半期末', '月末', '月末の利付国債決済']
    """
    return (calendar or default_calendar()).on(day, as_of=as_of)


def events_between(start: date | str, end: date | str, *, as_of: date | str | None = None,
                   pressure_only: bool = False,
                   calendar: FundingCalendar | None = None) -> list[DayTags]:
    """The days with events from ``start`` to ``end`` (see :meth:`FundingCalendar.between`)."""
    return (calendar or default_calendar()).between(start, end, as_of=as_of,
                                                    pressure_only=pressure_only)


def tag_days(index: Sequence[date | str | pd.Timestamp] | pd.DatetimeIndex, *,
             as_of: date | str | None = None, point_in_time: bool = False,
             calendar: FundingCalendar | None = None) -> pd.DataFrame:
    """Tag every day of ``index`` with its events (see :meth:`FundingCalendar.tag`)."""
    return (calendar or default_calendar()).tag(index, as_of=as_of,
                                                point_in_time=point_in_time)

