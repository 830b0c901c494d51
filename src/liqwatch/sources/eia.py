"""EIA API v2: NYMEX WTI futures contracts 1–4 (RCLC1..RCLC4), USD per barrel.

Catalog ``source_id`` form: ``petroleum/pri/fut:RCLC1``. The four series come from one
paged request (``offset``/``length``, at most 5,000 rows). EIA stopped publishing these series
(the last observation seen by public clients is 2024-04-05); the update reports them as stale
when the newest date is older than the catalog's schedule allows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any, ClassVar, NamedTuple

import httpx

from liqwatch.exceptions import AuthError, SourceError
from liqwatch.sources.base import (
    SeriesData,
    Source,
    frame_from,
    parse_day,
    register_secret,
    to_float,
)

__all__ = ["EiaClient", "FuturesPrice"]

PAGE = 5000
FIRST_DATE = date(1983, 3, 30)


class FuturesPrice(NamedTuple):
    """One daily settlement price."""

    period: date
    series: str
    value: float


class EiaClient(Source):
    """WTI futures from ``api.eia.gov/v2`` (the API key goes in the query string)."""

    name: ClassVar[str] = "eia"
    keyed: ClassVar[bool] = True

    def __init__(self, client: httpx.Client, settings: Any, *, api_key: str, **kw: Any) -> None:
        super().__init__(client, settings, **kw)
        register_secret(api_key)
        self._api_key = api_key

    def group_key(self, source_id: str) -> str:
        return source_id.split(":", 1)[0]

    def classify(self, response: httpx.Response, series_id: str | None) -> SourceError | None:
        text = response.text[:400]
        if response.status_code in (401, 403) or "API_KEY" in text:
            return self.error(AuthError, "the EIA API key was refused (API_KEY_INVALID or "
                              "missing)", series_id, status_code=response.status_code)
        return None

    def prices(self, route: str, codes: Sequence[str], start: date,
               series_id: str | None = None) -> list[FuturesPrice]:
        """Daily prices of ``codes`` from ``start`` on, paged by :data:`PAGE` rows."""
        out: list[FuturesPrice] = []
        offset = pages = 0
        while True:
            pages = self.next_page(pages, series_id, "the EIA data")
            params: list[tuple[str, str]] = [
                ("api_key", self._api_key), ("frequency", "daily"), ("data[0]", "value"),
                *[("facets[series][]", c) for c in codes],
                ("start", start.isoformat()),
                ("sort[0][column]", "period"), ("sort[0][direction]", "asc"),
                ("offset", str(offset)), ("length", str(PAGE)),
            ]
            resp = self.get(self.url(f"v2/{route}/data/"), params, series_id=series_id)
            body = self.json(resp, series_id)
            if not isinstance(body, dict):
                raise self.schema_error(series_id, "EIA body is not an object")
            self.require(body, ["response"], series_id, "the EIA body")
            inner = body["response"]
            if not isinstance(inner, dict):
                raise self.schema_error(series_id, "'response' is not an object")
            self.require(inner, ["data", "total"], series_id, "the EIA response")
            rows = inner["data"]
            if not isinstance(rows, list):
                raise self.schema_error(series_id, "'response.data' is not a list")
            for row in rows:
                if not isinstance(row, dict):
                    raise self.schema_error(series_id, "an EIA row is not an object")
                self.require(row, ["period", "series", "value"], series_id, "an EIA row")
                try:
                    out.append(FuturesPrice(parse_day(row["period"]), str(row["series"]),
                                            to_float(row["value"])))
                except ValueError:
                    raise self.schema_error(series_id, f"bad EIA row {row!r}") from None
            total = self.count(inner["total"], series_id, "'response.total'")
            offset += len(rows)
            if not rows or offset >= total:
                return out

    def fetch(self, items: Sequence[tuple[str, str]], start: date | None, *,
              realtime_from: date | None) -> list[SeriesData]:
        route = items[0][1].split(":", 1)[0]
        codes = [src.split(":", 1)[1] for _, src in items]
        rows = self.prices(route, codes, start or FIRST_DATE, series_id=items[0][0])
        if not rows and start is None:
            # Facet filters have been seen to return nothing: filter client-side instead.
            wanted = set(codes)
            rows = [r for r in self.prices(route, [], FIRST_DATE, series_id=items[0][0])
                    if r.series in wanted]
        by_code: dict[str, list[FuturesPrice]] = defaultdict(list)
        for r in rows:
            by_code[r.series].append(r)
        return [
            SeriesData(sid, frame_from([r.period for r in by_code[code]],
                                       [r.value for r in by_code[code]]))
            for (sid, _), code in zip(items, codes, strict=True)
        ]
