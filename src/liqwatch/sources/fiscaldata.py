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

Account names are matched on a normalised prefix (case, punctuation and spacing ignored), so
that a truncated, re-punctuated or shifted name (the table has carried ``Financial Institution
Accoun``, ``Supplementary Financing Prog`` and ``Account Tax and Loan Note Accounts (Table V)``)
still counts; names that match none of the known rows are logged once per fetch, never
silently dropped.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any, ClassVar, NamedTuple

from liqwatch.sources.base import (
    MAX_PAGES,
    SeriesData,
    Source,
    frame_from,
    parse_day,
    to_float,
)

__all__ = ["AUCTIONS_PATH", "DTS_PATH", "AuctionRow", "CashBalanceRow", "FiscalDataClient",
           "account_kind", "tga_closing"]

log = logging.getLogger("liqwatch.sources")

DTS_PATH = "v1/accounting/dts/operating_cash_balance"
#: Treasury securities auctions data: one row per auctioned security (announced ones too).
AUCTIONS_PATH = "v1/accounting/od/auctions_query"
_AUCTION_FIELDS = ("cusip", "security_type", "security_term", "auction_date", "issue_date",
                   "announcemt_date", "offering_amt", "total_accepted")
FIRST_DATE = date(2005, 10, 3)
PAGE_SIZE = 10000
#: Normalised name prefixes of the rows that hold the TGA, best first (see the table above).
_TGA_ROWS = (
    ("closing", ("treasury general account tga closing", "tga closing balance")),
    ("tga", ("treasury general account tga", "treasury general account")),
    ("fra", ("federal reserve account",)),
)
#: Rows of the same table that are known and deliberately not used.
_OTHER_ROWS = (
    "treasury general account tga opening", "tga opening balance", "total tga deposits",
    "total tga withdrawals", "tax and loan note accounts", "total operating balance",
    "short term cash investments", "supplementary financing prog", "financial institution accoun",
)
_RANK = {"closing": 0, "tga": 1, "fra": 2}
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def _normalise(name: str) -> str:
    # The table's own column label sometimes leaks into the value ("Account Tax and Loan
    # Note Accounts (Table V)"): a leading "account" word is dropped.
    text = _NON_ALNUM.sub(" ", name.lower()).strip()
    return text[len("account "):] if text.startswith("account ") else text


def account_kind(account_type: str) -> str | None:
    """Which TGA row an ``account_type`` is: ``closing``, ``tga``, ``fra``, ``other`` or None.

    ``other`` is a known row that does not hold the TGA balance; None a name not recognised.

    Examples
    --------
    >>> account_kind("Treasury General Account (TGA) Closing Balance")
    'closing'
    >>> account_kind("Treasury General Account (TGA) Opening Balance")
    'other'
    >>> account_kind("FEDERAL RESERVE ACCOUNT")
    'fra'
    """
    name = _normalise(account_type)
    if any(name.startswith(p) for p in _OTHER_ROWS):
        return "other"
    for kind, prefixes in _TGA_ROWS:
        if any(name.startswith(p) for p in prefixes):
            if kind == "tga" and name not in prefixes:
                return None  # a longer TGA name that is neither the opening nor the closing row
            return kind
    return None


def unmatched_accounts(rows: Iterable[CashBalanceRow]) -> list[str]:
    """Distinct ``account_type`` names no known row matches, in order of appearance."""
    seen: dict[str, None] = {}
    for r in rows:
        if account_kind(r.account_type) is None:
            seen.setdefault(r.account_type, None)
    return list(seen)


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
        kind = account_kind(r.account_type)
        if kind not in _RANK:
            continue
        rank = _RANK[kind]
        value = r.close_today_bal
        if kind == "closing":
            value = r.open_today_bal if r.open_today_bal == r.open_today_bal else value
        if value != value:
            continue
        held = best.get(r.record_date)
        if held is None or rank < held[0]:
            best[r.record_date] = (rank, value)
    return {d: v for d, (_, v) in sorted(best.items())}


class AuctionRow(NamedTuple):
    """One auctioned (or announced) Treasury security.

    ``offering_bn`` is the amount offered (known at the announcement), ``accepted_bn`` the
    amount sold (NaN until the auction); both USD billions. ``announced`` is the
    announcement day (``announcemt_date``, the service's spelling).
    """

    cusip: str
    security_type: str
    security_term: str
    auction_date: date
    issue_date: date
    announced: date | None
    offering_bn: float
    accepted_bn: float


class FiscalDataClient(Source):
    """``api.fiscaldata.treasury.gov``: the DTS operating cash balance and the Treasury
    securities auctions data."""

    name: ClassVar[str] = "fiscaldata"

    def auctions(self, start: date, end: date | None = None) -> list[AuctionRow]:
        """Every auction whose securities settle (``issue_date``) from ``start`` to ``end``,
        walking page numbers; amounts arrive as strings in US dollars (``"null"`` before the
        auction)."""
        flt = f"issue_date:gte:{start.isoformat()}"
        if end is not None:
            flt += f",issue_date:lte:{end.isoformat()}"
        out: list[AuctionRow] = []
        for row in self._pages(AUCTIONS_PATH, {"fields": ",".join(_AUCTION_FIELDS),
                                              "filter": flt, "sort": "issue_date"},
                               None, "the auctions response"):
            out.append(self._auction(row))
        return out

    def _pages(self, path: str, params: dict[str, str], series_id: str | None,
               what: str) -> Iterator[Any]:
        page = 1
        while True:
            query = dict(params, **{"page[number]": str(page), "page[size]": str(PAGE_SIZE),
                                    "format": "json"})
            body = self.json(self.get(self.url(path), query, series_id=series_id), series_id)
            if not isinstance(body, dict):
                raise self.schema_error(series_id, f"{what}: the body is not an object")
            self.require(body, ["data", "meta"], series_id, what)
            data, meta = body["data"], body["meta"]
            if not isinstance(data, list) or not isinstance(meta, dict):
                raise self.schema_error(series_id, f"{what}: 'data' is not a list or 'meta' "
                                        "not an object")
            yield from data
            total_pages = int(meta.get("total-pages") or 1)
            if page >= total_pages or not data:
                return
            page += 1

    def _auction(self, row: Any) -> AuctionRow:
        if not isinstance(row, dict):
            raise self.schema_error(None, "an auctions row is not an object")
        self.require(row, ["cusip", "security_type", "auction_date", "issue_date",
                           "offering_amt"], None, "an auctions row")
        try:
            ann = row.get("announcemt_date")
            announced = None if ann in (None, "", "null") else parse_day(ann)
            return AuctionRow(
                str(row["cusip"]), str(row["security_type"]),
                str(row.get("security_term") or ""), parse_day(row["auction_date"]),
                parse_day(row["issue_date"]), announced,
                to_float(row["offering_amt"]) / 1e9,
                to_float(row.get("total_accepted")) / 1e9,
            )
        except ValueError as exc:
            raise self.schema_error(None, f"bad auctions row for CUSIP {row.get('cusip')} "
                                    f"(issue date {row.get('issue_date')}): {exc}") from None

    def cash_balance(self, start: date, series_id: str | None = None) -> list[CashBalanceRow]:
        """Every operating-cash-balance row from ``start`` on, walking page numbers."""
        out: list[CashBalanceRow] = []
        page = 1
        while True:
            if page > MAX_PAGES:
                raise self.schema_error(series_id, f"the DTS is still paging after {MAX_PAGES} "
                                        "pages (a repeated page or a total never reached)")
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
            total_pages = self.count(meta.get("total-pages") or 1, series_id,
                                     "'meta.total-pages'")
            if page >= total_pages or not data:
                return out
            page += 1

    def _row(self, row: Any, series_id: str | None) -> CashBalanceRow:
        if not isinstance(row, dict):
            raise self.schema_error(series_id, "a DTS row is not an object")
        self.require(row, ["record_date", "account_type"], series_id, "a DTS row")
        kind = str(row["account_type"])
        match = account_kind(kind)
        if match == "closing":
            self.require(row, ["open_today_bal"], series_id, f"the DTS row {kind!r}")
        elif match in ("tga", "fra"):
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
        for name in unmatched_accounts(rows):
            log.warning("fiscaldata: account_type %r matches no known row of the operating "
                        "cash balance table; ignored", name)
        closing = tga_closing(rows)
        for series_id, source_id in items:
            if "tga" not in source_id.lower():
                raise self.schema_error(series_id, f"unsupported source_id {source_id!r}")
            out.append(SeriesData(series_id, frame_from(list(closing), list(closing.values()))))
        return out

    def group_key(self, source_id: str) -> str:
        return "dts"
