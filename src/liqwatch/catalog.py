"""The catalog of every series liqwatch tracks, loaded from ``catalog.toml``.

Each series has a source and the source's own id, a unit, a frequency, a publication
schedule (``Release``) and a one-line description in English and Japanese. Series that stand
in for a preferred series (week averages for Wednesday levels, a vendor close for a missing
official one) name it in ``variant_of`` so that indicators can fall back to them.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cache

import numpy as np
import pandas as pd

from liqwatch import calendar as us_calendar
from liqwatch.calendar import CALENDARS, CalendarName, holidays
from liqwatch.exceptions import UnknownSeriesError
from liqwatch.files import package_path

__all__ = [
    "SERIES_ID",
    "SERIES_ID_RULE",
    "SOURCES",
    "UNIT_LABELS",
    "Frequency",
    "Release",
    "SeriesSpec",
    "catalog",
    "get",
    "is_known",
    "parse_release_dates",
    "release",
    "user_series",
]

#: Sources liqwatch knows.
SOURCES = ("fred", "nyfed", "fiscaldata", "ofr", "eia", "coinbase", "user")

#: The pattern of a series id, catalogued or user (``SOFR``, ``XCCY_BASIS_EUR_3M``, ``my.basis``).
SERIES_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}")
#: :data:`SERIES_ID` in words, for error messages.
SERIES_ID_RULE = ("an id is 1 to 64 ASCII letters, digits, '_', '.' or '-', starting with a "
                  "letter or a digit")

#: Human labels of the unit codes used in the catalog.
UNIT_LABELS: dict[str, str] = {
    "percent": "percent",
    "bp": "bp",
    "usd_mn": "USD millions",
    "usd_bn": "USD billions",
    "index": "index",
    "usd": "USD",
    "number": "number",
}


class Frequency(StrEnum):
    """Observation frequency."""

    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"

    @property
    def period(self) -> pd.DateOffset:
        """Typical spacing between two observations."""
        return {
            Frequency.DAILY: pd.DateOffset(days=1),
            Frequency.WEEKLY: pd.DateOffset(weeks=1),
            Frequency.MONTHLY: pd.DateOffset(months=1),
            Frequency.QUARTERLY: pd.DateOffset(months=3),
        }[self]


@dataclass(frozen=True, slots=True)
class Release:
    """When a source publishes an observation.

    Attributes
    ----------
    name
        Key of the release in the catalog.
    anchor
        ``"date"`` (lag counted from the observation date) or ``"period_end"`` (from the last
        day of the month or quarter the observation describes).
    days
        The lag.
    business
        Whether ``days`` counts US business days rather than calendar days.
    calendar
        The business-day calendar of the publisher (``sifma``: the bond market, ``fed``: the
        Federal Reserve Banks, ``federal``: the federal government; see
        :mod:`liqwatch.calendar`).
    exceptions
        ``(observation date, actual publication date)`` pairs where the release departed from
        the rule (``release_dates.toml``: shutdown delays, holiday shifts).
    time
        Local release time (America/New_York), for information.
    grace_days
        Calendar days of tolerance before a late series counts as stale.
    en, ja
        The schedule in words.
    """

    name: str
    anchor: str
    days: int
    business: bool
    time: str
    grace_days: int
    en: str
    ja: str
    calendar: CalendarName = "sifma"
    exceptions: tuple[tuple[date, date], ...] = ()

    def published(self, dates: pd.DatetimeIndex | pd.Series, frequency: Frequency) -> pd.Series:
        """Return the publication date of observations dated ``dates`` (vectorised).

        Parameters
        ----------
        dates
            Observation dates.
        frequency
            Frequency of the series (used by the ``period_end`` anchor).

        Returns
        -------
        pandas.Series
            Datetime64 publication dates aligned with ``dates``.
        """
        observed = pd.DatetimeIndex(pd.to_datetime(dates))
        idx = observed
        if self.anchor == "period_end":
            if frequency is Frequency.QUARTERLY:
                idx = idx + pd.offsets.QuarterEnd(0)
            elif frequency is Frequency.MONTHLY:
                idx = idx + pd.offsets.MonthEnd(0)
        if self.days == 0:
            out = idx
        elif self.business:
            # Counting n business days after a date that is itself a holiday or weekend still
            # means n full business days after it.
            out = pd.DatetimeIndex(
                np.busday_offset(
                    idx.values.astype("datetime64[D]"),
                    self.days,
                    roll="forward",
                    holidays=holidays(self.calendar),
                ).astype(f"datetime64[{idx.unit}]")  # the input's unit: never an overflow
            )
        else:
            out = idx + pd.Timedelta(days=self.days)
        if self.exceptions:
            actual = {pd.Timestamp(obs): pd.Timestamp(pub) for obs, pub in self.exceptions}
            known = observed.isin(list(actual))
            if known.any():
                out = pd.DatetimeIndex(np.where(known, observed.map(lambda d: actual.get(d, d)),
                                                out))
        return pd.Series(out, index=getattr(dates, "index", None))

    def published_one(self, day: date, frequency: Frequency) -> date:
        """Return the publication date of one observation dated ``day``."""
        ts = self.published(pd.DatetimeIndex([pd.Timestamp(day)]), frequency).iloc[0]
        day_out: date = pd.Timestamp(ts).date()
        return day_out


@dataclass(frozen=True, slots=True)
class SeriesSpec:
    """One catalogued series.

    Attributes
    ----------
    id
        liqwatch id (also the file name in a snapshot folder).
    source
        One of :data:`SOURCES`.
    source_id
        The source's own id (a FRED id, an API path and field, ...).
    unit
        Unit code (see :data:`UNIT_LABELS`).
    frequency
        Observation frequency.
    release
        Publication schedule.
    en, ja
        One-line description in English and Japanese.
    variant_of
        The preferred series this one can stand in for, if any.
    note
        How the series differs from what its name suggests, if it does.
    ended
        Last date of a series known to be discontinued.
    """

    id: str
    source: str
    source_id: str
    unit: str
    frequency: Frequency
    release: Release
    en: str
    ja: str
    variant_of: str | None = None
    note: str | None = None
    ended: date | None = None

    @property
    def unit_label(self) -> str:
        """Human label of the unit."""
        return UNIT_LABELS.get(self.unit, self.unit)

    def description(self, lang: str = "en") -> str:
        """Return the description in ``lang`` (``en`` or ``ja``)."""
        return self.ja if lang == "ja" else self.en

    def is_stale(self, last_date: date, today: date) -> bool:
        """Return True when the observation after ``last_date`` should be out by ``today``.

        The next observation is expected one period after ``last_date`` (one business day for
        daily series); it is late once its publication date plus the grace period has passed.
        """
        if self.frequency is Frequency.DAILY:
            nxt = (pd.Timestamp(last_date) + us_calendar.BDAY).date()
        else:
            nxt = (pd.Timestamp(last_date) + self.frequency.period).date()
        due = self.release.published_one(nxt, self.frequency)
        return today > due + timedelta(days=self.release.grace_days)


def parse_release_dates(text: str, names: set[str]) -> dict[str, tuple[tuple[date, date], ...]]:
    """Actual publication dates per release from the text of ``release_dates.toml``.

    Parameters
    ----------
    text
        The TOML text: ``[[release]]`` entries with ``release``, ``observation``,
        ``published`` (TOML dates) and ``source``.
    names
        The release names the catalog defines.

    Raises
    ------
    ValueError
        An entry names an unknown release, lacks a date or a source, is listed twice, or says
        it was published before the day it describes.
    """
    out: dict[str, dict[date, date]] = {}
    for n, entry in enumerate(tomllib.loads(text).get("release", []), start=1):
        where = f"release_dates.toml: entry {n}"
        name = entry.get("release")
        if name not in names:
            raise ValueError(f"{where} names unknown release {name!r}")
        obs, pub = entry.get("observation"), entry.get("published")
        if not isinstance(obs, date) or not isinstance(pub, date):
            raise ValueError(f"{where} ({name}) needs TOML dates 'observation' and 'published'")
        if pub < obs:
            raise ValueError(f"{where} ({name}): published {pub} is before observation {obs}")
        if not entry.get("source"):
            raise ValueError(f"{where} ({name} {obs}) has no 'source'")
        if obs in out.setdefault(name, {}):
            raise ValueError(f"{where}: {name} {obs} is listed twice")
        out[name][obs] = pub
    return {name: tuple(sorted(days.items())) for name, days in out.items()}


@cache
def _load() -> tuple[dict[str, Release], dict[str, SeriesSpec]]:
    text = package_path("catalog.toml").read_text(encoding="utf-8")
    raw = tomllib.loads(text)
    dates_text = package_path("release_dates.toml").read_text("utf-8")
    exceptions = parse_release_dates(dates_text, set(raw["releases"]))
    releases = {name: Release(name=name, exceptions=exceptions.get(name, ()), **fields)
                for name, fields in raw["releases"].items()}
    for rel in releases.values():
        if rel.calendar not in CALENDARS:
            raise ValueError(f"catalog.toml: release {rel.name} has unknown calendar "
                             f"{rel.calendar!r}; choose from {', '.join(CALENDARS)}")
    series: dict[str, SeriesSpec] = {}
    for entry in raw["series"]:
        fields = dict(entry)
        ended = fields.pop("ended", None)
        spec = SeriesSpec(
            id=fields.pop("id"),
            source=fields.pop("source"),
            source_id=fields.pop("source_id"),
            unit=fields.pop("unit"),
            frequency=Frequency(fields.pop("frequency")),
            release=releases[fields.pop("release")],
            ended=date.fromisoformat(ended) if isinstance(ended, str) else ended,
            **fields,
        )
        if not SERIES_ID.fullmatch(spec.id):
            raise ValueError(f"catalog.toml: series id {spec.id!r} is not valid: "
                             f"{SERIES_ID_RULE}")
        if spec.source not in SOURCES:
            raise ValueError(f"catalog.toml: series {spec.id} has unknown source {spec.source!r}")
        if spec.unit not in UNIT_LABELS:
            raise ValueError(f"catalog.toml: series {spec.id} has unknown unit {spec.unit!r}")
        series[spec.id] = spec
    return releases, series


def catalog() -> dict[str, SeriesSpec]:
    """Return every catalogued series, keyed by liqwatch id, in catalog order."""
    return dict(_load()[1])


def release(name: str) -> Release:
    """Return the named publication schedule."""
    return _load()[0][name]


def is_known(series_id: str) -> bool:
    """Return True when ``series_id`` is in the catalog."""
    return series_id in _load()[1]


def get(series_id: str) -> SeriesSpec:
    """Return the catalog entry of ``series_id``.

    Raises
    ------
    UnknownSeriesError
        When the id is not catalogued.
    """
    try:
        return _load()[1][series_id]
    except KeyError:
        raise UnknownSeriesError(f"series {series_id!r} is not in the catalog") from None


def user_series(series_id: str, unit: str = "number", frequency: str = "daily") -> SeriesSpec:
    """Return a catalog-like entry for a user series that is not catalogued."""
    return SeriesSpec(
        id=series_id,
        source="user",
        source_id=series_id,
        unit=unit if unit in UNIT_LABELS else "number",
        frequency=Frequency(frequency),
        release=release("user_daily"),
        en=f"User series {series_id}",
        ja=f"ユーザー系列 {series_id}",
    )
