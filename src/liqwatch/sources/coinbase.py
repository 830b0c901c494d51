"""Coinbase Exchange daily candles (``/products/{id}/candles``), keyless.

Candles arrive newest first as ``[time, low, high, open, close, volume]`` (low before high),
at most 300 per request: history is paged in 300-day windows. Buckets are UTC days; today's
candle is still moving and is dropped. The stored value is the close, in USD.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, ClassVar, NamedTuple

from liqwatch.sources.base import SeriesData, Source, frame_from

__all__ = ["Candle", "CoinbaseClient"]

MAX_CANDLES = 300
FIRST_DATE = date(2015, 7, 20)


class Candle(NamedTuple):
    """One daily candle (UTC day)."""

    day: date
    low: float
    high: float
    open: float
    close: float
    volume: float


class CoinbaseClient(Source):
    """Daily candles of a product such as ``BTC-USD``."""

    name: ClassVar[str] = "coinbase"

    def candles(self, product: str, start: date, end: date,
                series_id: str | None = None) -> list[Candle]:
        """Complete daily candles from ``start`` to ``end`` (inclusive), oldest first."""
        out: dict[date, Candle] = {}
        cur = start
        while cur <= end:
            stop = min(end, cur + timedelta(days=MAX_CANDLES - 1))
            params = {
                "granularity": "86400",
                "start": datetime.combine(cur, time(), UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "end": datetime.combine(stop, time(), UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            }
            resp = self.get(self.url(f"products/{product}/candles"), params,
                            series_id=series_id)
            body: Any = self.json(resp, series_id)
            if not isinstance(body, list):
                keys = sorted(body)[:5] if isinstance(body, dict) else type(body).__name__
                raise self.schema_error(series_id, f"candles are not a list (got {keys})")
            for row in body:
                candle = self._candle(row, series_id)
                if cur <= candle.day <= stop:
                    out[candle.day] = candle
            cur = stop + timedelta(days=1)
        return [out[d] for d in sorted(out)]

    def _candle(self, row: Any, series_id: str | None) -> Candle:
        if not isinstance(row, list) or len(row) < 6:
            raise self.schema_error(series_id, f"candle {row!r} is not "
                                    "[time, low, high, open, close, volume]")
        try:
            day = datetime.fromtimestamp(int(row[0]), UTC).date()
            return Candle(day, *(float(v) for v in row[1:6]))
        except (TypeError, ValueError, OverflowError, OSError):
            raise self.schema_error(series_id, f"bad candle {str(row)[:200]}") from None

    def fetch(self, items: Sequence[tuple[str, str]], start: date | None, *,
              realtime_from: date | None) -> list[SeriesData]:
        yesterday = datetime.now(UTC).date() - timedelta(days=1)  # today's candle is partial
        out: list[SeriesData] = []
        for series_id, product in items:
            rows = self.candles(product, start or FIRST_DATE, yesterday, series_id)
            out.append(SeriesData(series_id, frame_from([c.day for c in rows],
                                                        [c.close for c in rows])))
        return out
