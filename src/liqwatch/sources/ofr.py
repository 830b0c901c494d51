"""Office of Financial Research: the Financial Stress Index CSV and the Short-term Funding
Monitor API.

Catalog ``source_id`` forms: ``fsi:<column header>`` (e.g. ``fsi:OFR FSI``, ``fsi:Funding``)
for the FSI CSV, and an STFM mnemonic (``REPO-TRI_AR_OO-P``) for
``/series/timeseries?mnemonic=...``, which answers ``[[date, value|null], ...]``. Transaction
volumes (``_TV_`` mnemonics) are published in USD and stored in USD billions.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from typing import Any, ClassVar

from liqwatch.sources.base import SeriesData, Source, frame_from, parse_day, to_float

__all__ = ["OfrClient"]


class OfrClient(Source):
    """The OFR FSI CSV (``extra_urls['fsi']``) and the STFM API (``base_url``)."""

    name: ClassVar[str] = "ofr"

    def group_key(self, source_id: str) -> str:
        return "fsi" if source_id.startswith("fsi:") else source_id

    def fetch(self, items: Sequence[tuple[str, str]], start: date | None, *,
              realtime_from: date | None) -> list[SeriesData]:
        if items[0][1].startswith("fsi:"):
            return self._fetch_fsi(items, start)
        return [self._fetch_mnemonic(sid, src, start) for sid, src in items]

    # ------------------------------------------------------------------ FSI
    def fsi_url(self) -> str:
        """URL of the FSI CSV."""
        return self.settings.extra_urls.get("fsi") or self.url("fsi.csv")

    def fsi(self, series_id: str | None = None) -> tuple[list[str], list[list[str]]]:
        """Header and rows of the FSI CSV."""
        resp = self.get(self.fsi_url(), series_id=series_id)
        text = self.csv_text(resp, series_id)
        try:
            rows = [r for r in csv.reader(io.StringIO(text)) if r]
        except csv.Error as exc:
            raise self.schema_error(series_id, f"the FSI CSV is not readable: {exc}") from None
        if not rows:
            raise self.schema_error(series_id, "the FSI CSV is empty")
        return [h.strip() for h in rows[0]], rows[1:]

    def _fetch_fsi(self, items: Sequence[tuple[str, str]],
                   start: date | None) -> list[SeriesData]:
        header, rows = self.fsi(items[0][0])
        out: list[SeriesData] = []
        for series_id, source_id in items:
            column = source_id.split(":", 1)[1]
            if column not in header:
                raise self.schema_error(
                    series_id, f"column {column!r} missing from the FSI CSV header "
                    f"({', '.join(header)})")
            idx = header.index(column)
            dates: list[date] = []
            values: list[float] = []
            for n, row in enumerate(rows, start=2):
                try:
                    day = parse_day(row[0])
                    value = to_float(row[idx] if idx < len(row) else "")
                except ValueError:
                    raise self.schema_error(series_id, f"FSI CSV line {n}: {row[:3]!r}") \
                        from None
                if start is None or day >= start:
                    dates.append(day)
                    values.append(value)
            out.append(SeriesData(series_id, frame_from(dates, values)))
        return out

    # ------------------------------------------------------------------ STFM
    def timeseries(self, mnemonic: str, start: date | None,
                   series_id: str | None = None) -> list[tuple[date, float]]:
        """``/series/timeseries`` pairs (NaN for ``null``)."""
        params: dict[str, str] = {"mnemonic": mnemonic}
        if start is not None:
            params["start_date"] = start.isoformat()
        resp = self.get(self.url("series/timeseries"), params, series_id=series_id)
        body: Any = self.json(resp, series_id)
        if isinstance(body, dict):
            raise self.schema_error(series_id, f"expected [[date, value], ...], got an object "
                                    f"with keys {sorted(body)[:6]}")
        if not isinstance(body, list):
            raise self.schema_error(series_id, "timeseries body is not a list")
        out: list[tuple[date, float]] = []
        for pair in body:
            if not isinstance(pair, list) or len(pair) != 2:
                raise self.schema_error(series_id, f"timeseries item {pair!r} is not a pair")
            try:
                out.append((parse_day(pair[0]), to_float(pair[1])))
            except ValueError:
                raise self.schema_error(series_id, f"bad timeseries item {pair!r}") from None
        return out

    def _fetch_mnemonic(self, series_id: str, mnemonic: str, start: date | None) -> SeriesData:
        pairs = self.timeseries(mnemonic, start, series_id)
        scale = 1e-9 if "_TV_" in mnemonic else 1.0
        return SeriesData(series_id, frame_from([d for d, _ in pairs],
                                                [v * scale for _, v in pairs]))
