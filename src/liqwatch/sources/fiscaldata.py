"""Treasury FiscalData: the Daily Treasury Statement's operating cash balance → daily TGA.

The table changed layout twice; per record date the closing balance is:

=========================  ==================================================  =================
era (record_date)          row (``account_type``)                              column
=========================  ==================================================  =================
to about 2021-09-30        ``Federal Reserve Account``                         ``close_today_bal``
about 2021-10 to 2022-04   ``Treasury General Account (TGA)``                  ``close_today_bal``
from about 2022-04-18      ``Treasury General Account (TGA) Closing Balance``  ``open_today_bal``
=========================  ==================================================  =================

The rule never depends on the cut-over dates: the "Closing Balance" row wins when present,
otherwise the single TGA or Federal Reserve Account row's ``close_today_bal``. Values are
strings in USD millions, ``"null"`` when missing. Pages are walked by ``page[number]`` until
``meta.total-pages``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, ClassVar, NamedTuple

from liqwatch.sources.base import SeriesData, Source, frame_from, parse_day, to_float

__all__ = ["DTS_PATH", "CashBalanceRow", "FiscalDataClient", "tga_closing"]

DTS_PATH = "v1/accounting/dts/operating_cash_balance"
FIRST_DATE = date(2005, 10, 3)
PAGE_SIZE = 10000
_CLOSING = "treasury general account (tga) closing balance"
_OLD_ROWS = ("treasury general account (tga)", "federal reserve account")


class CashBalanceRow(NamedTuple):
    """One row of the operating cash balance table (USD millions, NaN when ``"null"``)."""

    record_date: date
    account_type: str
    open_today_bal: float
    close_today_bal: float


def tga_closing(rows: Sequence[CashBalanceRow]) -> dict[date, float]:
    """Daily TGA closing balance from rows of any of the three layouts (never summed)."""
    best: dict[date, tuple[int, float]] = {}
    for r in rows:
        kind = r.account_type.strip().lower()
        if kind == _CLOSING:
            rank, value = 0, r.open_today_bal
            if value != value:
                rank, value = 0, r.close_today_bal
        elif kind in _OLD_ROWS:
            rank, value = 1 + _OLD_ROWS.index(kind), r.close_today_bal
        else:
            continue
        if value != value:
            continue
        held = best.get(r.record_date)
        if held is None or rank < held[0]:
            best[r.record_date] = (rank, value)
    return {d: v for d, (_, v) in sorted(best.items())}


class FiscalDataClient(Source):
    """``api.fiscaldata.treasury.gov``: the DTS operating cash balance."""

    name: ClassVar[str] = "fiscaldata"

    def cash_balance(self, start: date, series_id: str | None = None) -> list[CashBalanceRow]:
        """Every operating-cash-balance row from ``start`` on, walking page numbers."""
        out: list[CashBalanceRow] = []
        page = 1
        while True:
            params = {
                "filter": f"record_date:gte:{start.isoformat()}",
                "sort": "record_date",
                "page[number]": str(page),
                "page[size]": str(PAGE_SIZE),
                "format": "json",
            }
            resp = self.get(self.url(DTS_PATH), params, series_id=series_id)
            body = self.json(resp, series_id)
            if not isinstance(body, dict):
                raise self.schema_error(series_id, "DTS body is not an object")
            self.require(body, ["data", "meta"], series_id, "the DTS response")
            data, meta = body["data"], body["meta"]
            if not isinstance(data, list) or not isinstance(meta, dict):
                raise self.schema_error(series_id, "'data' is not a list or 'meta' not an object")
            out.extend(self._row(r, series_id) for r in data)
            total_pages = int(meta.get("total-pages") or 1)
            if page >= total_pages or not data:
                return out
            page += 1

    def _row(self, row: Any, series_id: str | None) -> CashBalanceRow:
        if not isinstance(row, dict):
            raise self.schema_error(series_id, "a DTS row is not an object")
        self.require(row, ["record_date", "account_type"], series_id, "a DTS row")
        kind = str(row["account_type"])
        low = kind.strip().lower()
        if low == _CLOSING:
            self.require(row, ["open_today_bal"], series_id, f"the DTS row {kind!r}")
        elif low in _OLD_ROWS:
            self.require(row, ["close_today_bal"], series_id, f"the DTS row {kind!r}")
        try:
            return CashBalanceRow(
                parse_day(row["record_date"]), kind,
                to_float(row.get("open_today_bal")), to_float(row.get("close_today_bal")),
            )
        except ValueError as exc:
            raise self.schema_error(series_id, f"bad DTS row for {row.get('record_date')}: "
                                    f"{exc}") from None

    def fetch(self, items: Sequence[tuple[str, str]], start: date | None, *,
              realtime_from: date | None) -> list[SeriesData]:
        out: list[SeriesData] = []
        rows = self.cash_balance(start or FIRST_DATE, series_id=items[0][0])
        closing = tga_closing(rows)
        for series_id, source_id in items:
            if "tga" not in source_id.lower():
                raise self.schema_error(series_id, f"unsupported source_id {source_id!r}")
            out.append(SeriesData(series_id, frame_from(list(closing), list(closing.values()))))
        return out

    def group_key(self, source_id: str) -> str:
        return "dts"
