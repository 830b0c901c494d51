"""FRED / ALFRED (``api.stlouisfed.org``) and the keyless ``fredgraph.csv``.

With an API key, observations come from ``fred/series/observations`` with a real-time window
(``output_type=1``), so every revision lands as its own vintage. ALFRED refuses windows holding
more than 2,000 vintages; longer windows are split on the series' vintage dates. Without a key
the keyless ``fredgraph.csv`` is used: current values only, no vintages.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any, ClassVar, NamedTuple

import httpx
import pandas as pd

from liqwatch.exceptions import (
    AuthError,
    HTTPStatusError,
    NotFoundError,
    RateLimitedError,
    SourceError,
)
from liqwatch.sources.base import (
    SeriesData,
    Source,
    SourceSettings,
    frame_from,
    parse_day,
    redact,
    register_secret,
    to_float,
)

__all__ = [
    "FredClient",
    "FredObservation",
    "FredgraphClient",
    "VintageLimitError",
    "parse_last_updated",
]

log = logging.getLogger("liqwatch.sources")

#: ALFRED's cap on vintages per request.
MAX_VINTAGES = 2000
#: Earliest real-time date ALFRED accepts (full revision history).
ALFRED_START = date(1776, 7, 4)
_PAGE = 100_000


class VintageLimitError(HTTPStatusError):
    """ALFRED refused a real-time window holding more than 2,000 vintages."""


class FredObservation(NamedTuple):
    """One ALFRED row: the value of ``day`` during ``[realtime_start, realtime_end]``."""

    day: date
    value: float
    realtime_start: date
    realtime_end: date


def parse_last_updated(text: str) -> datetime:
    """Parse FRED's ``last_updated`` (``2023-09-18 19:10:56-05``, hours-only offset)."""
    raw = text.strip()
    if len(raw) >= 3 and raw[-3] in "+-" and raw[-2:].isdigit():
        raw += "00"
    return datetime.strptime(raw, "%Y-%m-%d %H:%M:%S%z")


class FredClient(Source):
    """ALFRED observations with vintages, and series metadata.

    Parameters
    ----------
    client, settings
        See :class:`~liqwatch.sources.base.Source`.
    api_key
        The FRED API key (32 lowercase alphanumerics); never logged or shown.
    """

    name: ClassVar[str] = "fred"
    keyed: ClassVar[bool] = True

    def __init__(self, client: httpx.Client, settings: SourceSettings, *, api_key: str,
                 **kw: Any) -> None:
        super().__init__(client, settings, **kw)
        register_secret(api_key)
        self._api_key = api_key

    def classify(self, response: httpx.Response, series_id: str | None) -> SourceError | None:
        if response.status_code not in (400, 401, 403, 404, 423):
            return None
        message = ""
        try:
            body = response.json()
            if isinstance(body, dict):
                message = str(body.get("error_message", ""))
        except ValueError:
            message = response.text[:300]
        low = message.lower()
        status = response.status_code
        if "api_key" in low or "api key" in low or status in (401, 403):
            return self.error(AuthError, f"the FRED API key was refused: {message}",
                              series_id, status_code=status)
        if "does not exist" in low or status == 404:
            return self.error(NotFoundError, f"unknown series: {message}", series_id,
                              status_code=status)
        if "vintage" in low and status == 400:
            return self.error(VintageLimitError, message, series_id, status_code=status)
        if status == 423 or "too many" in low:
            return self.error(RateLimitedError, f"rate limited: {message}", series_id,
                              status_code=status)
        return None

    def _params(self, **extra: Any) -> dict[str, Any]:
        return {"api_key": self._api_key, "file_type": "json", **extra}

    # ------------------------------------------------------------------ metadata
    def series_info(self, series_id: str, source_id: str) -> dict[str, Any]:
        """``fred/series`` metadata: title, units, frequency, last_updated, observation_end."""
        resp = self.get(self.url("fred/series"), self._params(series_id=source_id),
                        series_id=series_id)
        body = self.json(resp, series_id)
        if not isinstance(body, dict):
            raise self.schema_error(series_id, "fred/series body is not an object")
        self.require(body, ["seriess"], series_id, "fred/series")
        rows = body["seriess"]
        if not isinstance(rows, list) or not rows:
            raise self.schema_error(series_id, "'seriess' is empty")
        row = rows[0]
        if not isinstance(row, dict):
            raise self.schema_error(series_id, "'seriess[0]' is not an object")
        self.require(row, ["id", "units", "frequency_short", "last_updated"], series_id,
                     "fred/series.seriess[0]")
        try:
            updated = parse_last_updated(str(row["last_updated"])).isoformat()
        except ValueError:
            raise self.schema_error(series_id, f"bad last_updated {row['last_updated']!r}") \
                from None
        return {
            "title": row.get("title"),
            "units": row["units"],
            "frequency": row["frequency_short"],
            "observation_end": row.get("observation_end"),
            "last_updated": updated,
        }

    # ------------------------------------------------------------------ vintages
    def vintage_dates(self, series_id: str, source_id: str, realtime_start: date,
                      realtime_end: date) -> list[date]:
        """Vintage dates of a series inside a real-time window (paged by 10,000)."""
        out: list[date] = []
        offset = pages = 0
        while True:
            pages = self.next_page(pages, series_id, "fred/series/vintagedates")
            resp = self.get(
                self.url("fred/series/vintagedates"),
                self._params(series_id=source_id, realtime_start=realtime_start.isoformat(),
                             realtime_end=realtime_end.isoformat(), limit=10000,
                             offset=offset),
                series_id=series_id,
            )
            body = self.json(resp, series_id)
            if not isinstance(body, dict):
                raise self.schema_error(series_id, "vintagedates body is not an object")
            self.require(body, ["vintage_dates"], series_id, "fred/series/vintagedates")
            if not isinstance(body["vintage_dates"], list):
                raise self.schema_error(series_id, "'vintage_dates' is not a list")
            try:
                page = [parse_day(v) for v in body["vintage_dates"]]
            except ValueError as exc:
                raise self.schema_error(series_id, f"bad vintage date: {exc}") from None
            out.extend(page)
            count = self.count(body.get("count", len(out)), series_id, "'count'")
            offset += len(page)
            if not page or offset >= count:
                return out

    def windows(self, series_id: str, source_id: str, realtime_start: date,
                realtime_end: date) -> list[tuple[date, date]]:
        """Real-time windows of at most :data:`MAX_VINTAGES` vintages covering the range."""
        vintages = sorted(self.vintage_dates(series_id, source_id, realtime_start,
                                             realtime_end))
        if len(vintages) <= MAX_VINTAGES:
            return [(realtime_start, realtime_end)]
        out: list[tuple[date, date]] = []
        starts = vintages[::MAX_VINTAGES]
        for i, first in enumerate(starts):
            lo = realtime_start if i == 0 else first
            hi = starts[i + 1] - timedelta(days=1) if i + 1 < len(starts) else realtime_end
            out.append((lo, hi))
        return out

    def observations(
        self,
        series_id: str,
        source_id: str,
        *,
        start: date | None = None,
        realtime_start: date = ALFRED_START,
        realtime_end: date = date(9999, 12, 31),
    ) -> list[FredObservation]:
        """Every ALFRED row of ``source_id`` in the real-time window, paged.

        A window ALFRED refuses for holding more than 2,000 vintages is split on the series'
        vintage dates (``fred/series/vintagedates``) and fetched piece by piece.
        """
        try:
            return self._observations(series_id, source_id, start,
                                      [(realtime_start, realtime_end)])
        except VintageLimitError:
            windows = self.windows(series_id, source_id, realtime_start, realtime_end)
            log.info("fred %s: %d real-time windows of <= %d vintages", series_id,
                     len(windows), MAX_VINTAGES)
            return self._observations(series_id, source_id, start, windows)

    def _observations(self, series_id: str, source_id: str, start: date | None,
                      windows: list[tuple[date, date]]) -> list[FredObservation]:
        rows: list[FredObservation] = []
        for lo, hi in windows:
            offset = pages = 0
            while True:
                pages = self.next_page(pages, series_id, "fred/series/observations")
                params = self._params(
                    series_id=source_id, realtime_start=lo.isoformat(),
                    realtime_end=hi.isoformat(), output_type=1, limit=_PAGE, offset=offset,
                    sort_order="asc",
                )
                if start is not None:
                    params["observation_start"] = start.isoformat()
                resp = self.get(self.url("fred/series/observations"), params,
                                series_id=series_id)
                page, count = self._parse_observations(self.json(resp, series_id), series_id)
                rows.extend(page)
                offset += len(page)
                if not page or offset >= count:
                    break
        return rows

    def _parse_observations(self, body: Any, series_id: str) -> tuple[list[FredObservation],
                                                                      int]:
        if not isinstance(body, dict):
            raise self.schema_error(series_id, "observations body is not an object")
        self.require(body, ["observations", "count"], series_id, "fred/series/observations")
        obs = body["observations"]
        if not isinstance(obs, list):
            raise self.schema_error(series_id, "'observations' is not a list")
        out: list[FredObservation] = []
        fields = ("date", "value", "realtime_start", "realtime_end")
        for row in obs:
            if not isinstance(row, dict):
                raise self.schema_error(series_id, "an observation is not an object")
            self.require(row, fields, series_id, "an observation")
            try:
                out.append(FredObservation(
                    parse_day(row["date"]), to_float(row["value"]),
                    parse_day(row["realtime_start"]), parse_day(row["realtime_end"]),
                ))
            except ValueError as exc:
                raise self.schema_error(series_id, f"bad observation {row!r}: {exc}") from None
        return out, self.count(body["count"], series_id, "'count'")

    def fetch(self, items: Sequence[tuple[str, str]], start: date | None, *,
              realtime_from: date | None) -> list[SeriesData]:
        out: list[SeriesData] = []
        for series_id, source_id in items:
            meta: dict[str, Any] = {}
            if realtime_from is None:
                meta = self.series_info(series_id, source_id)
            rows = self.observations(series_id, source_id, start=start,
                                     realtime_start=realtime_from or ALFRED_START)
            out.append(SeriesData(series_id, vintage_frame(rows), vintages=True, meta=meta))
        return out


def vintage_frame(rows: Sequence[FredObservation]) -> pd.DataFrame:
    """ALFRED rows as a vintage frame; drops missing values and repeats of the same value.

    Chunked windows clip ``realtime_start`` to the window start, which would make an
    unchanged value look like a new vintage: consecutive equal values per date are merged.
    """
    if not rows:
        return frame_from([], [], [])
    frame = pd.DataFrame(rows, columns=list(FredObservation._fields))
    frame = frame[frame["value"].notna()].sort_values(["day", "realtime_start"])
    same = (frame["day"] == frame["day"].shift()) & (frame["value"] == frame["value"].shift())
    frame = frame[~same]
    return frame_from(frame["day"], frame["value"], frame["realtime_start"])


class FredgraphClient(Source):
    """Keyless ``fredgraph.csv``: current values, no vintages."""

    name: ClassVar[str] = "fred"

    def fetch(self, items: Sequence[tuple[str, str]], start: date | None, *,
              realtime_from: date | None) -> list[SeriesData]:
        out: list[SeriesData] = []
        for series_id, source_id in items:
            params: dict[str, str] = {"id": source_id}
            if start is not None:
                params["cosd"] = start.isoformat()
            resp = self.get(self.settings.base_url, params, series_id=series_id)
            out.append(SeriesData(series_id, self.parse(self.csv_text(resp, series_id),
                                                        series_id, source_id, start)))
        return out

    def parse(self, text: str, series_id: str, source_id: str,
              start: date | None) -> pd.DataFrame:
        """Column 0 is the date (``DATE`` or ``observation_date``), column 1 the value."""
        try:
            return self._parse_csv(text, series_id, source_id, start)
        except csv.Error as exc:
            raise self.schema_error(series_id, f"fredgraph.csv is not readable CSV: {exc}") \
                from None

    def _parse_csv(self, text: str, series_id: str, source_id: str,
                   start: date | None) -> pd.DataFrame:
        reader = csv.reader(io.StringIO(text))
        header = next(reader, None)
        if not header or len(header) < 2:
            raise self.schema_error(series_id, f"fredgraph.csv header {header!r} has no value "
                                    "column")
        if header[1].strip().upper() != source_id.upper():
            raise self.schema_error(series_id, f"fredgraph.csv value column is {header[1]!r}, "
                                    f"expected {source_id!r}")
        dates: list[date] = []
        values: list[float] = []
        for n, row in enumerate(reader, start=2):
            if not row:
                continue
            try:
                day = parse_day(row[0])
                value = to_float(row[1] if len(row) > 1 else "")
            except ValueError:
                raise self.schema_error(series_id, f"fredgraph.csv line {n}: "
                                        f"{redact(','.join(row))[:80]!r}") from None
            if start is None or day >= start:
                dates.append(day)
                values.append(value)
        return frame_from(dates, values)
