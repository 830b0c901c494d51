"""New York Fed Markets Data API: reference rates and repo / reverse-repo operations.

Catalog ``source_id`` forms:

* ``secured/sofr:percentRate``, ``unsecured/effr:percentPercentile99``,
  ``secured/tgcr:volumeInBillions``: a field of ``/api/rates/{kind}/{rate}/search.json``;
  the ``revisionIndicator`` of every row is kept as a flag.
* ``rp/repo:total``: overnight repo operations accepted per operation date, summed over every
  window of the day (the Standing Repo Facility runs a morning and an afternoon operation),
  USD bn; term operations (the 2019-2020 14-day repos) are not part of it.
* ``rp/repo:treasury``: the Treasury-collateral part of that total, USD bn.
* ``rp/repo:minimumBidRate``: the minimum bid rate of the day's overnight repo operations,
  percent: ``details[].percentOfferingRate`` (the field the service uses for the SRF rate; a
  ``minimumBidRate`` field is read too where present).
* ``rp/reverserepo:total``: overnight reverse repo (ON RRP) take-up, USD bn.

Amounts are whole US dollars in the body. Only rows with ``auctionStatus == "Results"``
count, and small-value exercises (``note`` mentioning "Small Value Exercise" or "SVE") are
excluded. Searches are chunked in one-year windows; results arrive newest first and are
sorted here.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, ClassVar, NamedTuple

from liqwatch.sources.base import (
    SeriesData,
    Source,
    dated_chunks,
    frame_from,
    parse_day,
    to_float,
)

__all__ = ["NyfedClient", "RefRate", "RepoOperation"]

#: First dates the API serves, per rate (full-history fetches start here).
FIRST_DATES = {
    "sofr": date(2018, 4, 2), "tgcr": date(2018, 4, 2), "bgcr": date(2018, 4, 2),
    "sofrai": date(2018, 4, 2), "effr": date(2000, 7, 3), "obfr": date(2016, 3, 1),
}
#: Repo operations are fetched from the Standing Repo Facility's start.
RP_FIRST_DATE = date(2021, 7, 1)
_PERCENTILE_ALIASES = {
    "percentPercentile1": "percentile1", "percentPercentile25": "percentile25",
    "percentPercentile75": "percentile75", "percentPercentile99": "percentile99",
}
_SVE = re.compile(r"small[\s-]*value|\bsve\b", re.IGNORECASE)
_RATE_FIELDS = ("percentRate", "volumeInBillions", *_PERCENTILE_ALIASES)
#: Fields of an operation's ``details`` rows holding its minimum bid (offering) rate.
_BID_FIELDS = ("minimumBidRate", "percentOfferingRate")


class RefRate(NamedTuple):
    """One reference-rate row (rates in percent, volume in USD bn; NaN when absent)."""

    effective_date: date
    rate_type: str
    fields: Mapping[str, float]
    revision: str


class RepoOperation(NamedTuple):
    """One operation result; amounts in USD (as published)."""

    operation_date: date
    operation_type: str
    term: str
    accepted: float
    accepted_treasury: float
    minimum_bid_rate: float
    small_value: bool


class NyfedClient(Source):
    """Reference rates and operation results from ``markets.newyorkfed.org/api``."""

    name: ClassVar[str] = "nyfed"

    def group_key(self, source_id: str) -> str:
        path = source_id.split(":", 1)[0]
        return "rp" if path.startswith("rp/") else path

    def fetch(self, items: Sequence[tuple[str, str]], start: date | None, *,
              realtime_from: date | None) -> list[SeriesData]:
        path = items[0][1].split(":", 1)[0]
        if path.startswith("rp/") or path == "rp":
            return self._fetch_operations(items, start)
        return self._fetch_rates(path, items, start)

    # ------------------------------------------------------------------ reference rates
    def rates(self, path: str, start: date, end: date,
              series_id: str | None = None) -> list[RefRate]:
        """Rows of ``/api/rates/{path}/search.json`` between two dates, oldest first."""
        out: list[RefRate] = []
        for lo, hi in dated_chunks(start, end, 366):
            resp = self.get(self.url(f"api/rates/{path}/search.json"),
                            {"startDate": lo.isoformat(), "endDate": hi.isoformat()},
                            series_id=series_id)
            body = self.json(resp, series_id)
            if not isinstance(body, dict):
                raise self.schema_error(series_id, "rates body is not an object")
            self.require(body, ["refRates"], series_id, f"rates/{path}")
            rows = body["refRates"]
            if not isinstance(rows, list):
                raise self.schema_error(series_id, "'refRates' is not a list")
            for row in rows:
                out.append(self._rate(row, series_id))
        out.sort(key=lambda r: r.effective_date)
        return out

    def _rate(self, row: Any, series_id: str | None) -> RefRate:
        if not isinstance(row, dict):
            raise self.schema_error(series_id, "a refRates row is not an object")
        self.require(row, ["effectiveDate", "type"], series_id, "a refRates row")
        values: dict[str, float] = {}
        for name in _RATE_FIELDS:
            key = name if name in row else _PERCENTILE_ALIASES.get(name)
            if key is None or key not in row:
                continue  # e.g. EFFR before 2016 has no percentiles
            try:
                values[name] = to_float(row[key])
            except ValueError:
                values[name] = float("nan")  # e.g. a percentile given as "NA"
        try:
            day = parse_day(row["effectiveDate"])
        except ValueError:
            raise self.schema_error(series_id, f"bad effectiveDate {row['effectiveDate']!r}") \
                from None
        return RefRate(day, str(row["type"]), values, str(row.get("revisionIndicator") or ""))

    def _fetch_rates(self, path: str, items: Sequence[tuple[str, str]],
                     start: date | None) -> list[SeriesData]:
        rate = path.rsplit("/", 1)[-1]
        first = start or FIRST_DATES.get(rate, date(2000, 1, 1))
        rows = self.rates(path, first, date.today(), series_id=items[0][0])
        out: list[SeriesData] = []
        for series_id, source_id in items:
            field = source_id.split(":", 1)[1] if ":" in source_id else "percentRate"
            if field not in _RATE_FIELDS:
                raise self.schema_error(series_id, f"unknown rate field {field!r} in the catalog")
            if rows and not any(field in r.fields for r in rows):
                raise self.schema_error(
                    series_id, f"field {field!r} missing from every refRates row of {path}")
            flags = tuple((r.effective_date, f"revision:{r.revision}")
                          for r in rows if r.revision)
            frame = frame_from([r.effective_date for r in rows],
                               [r.fields.get(field, float("nan")) for r in rows])
            out.append(SeriesData(series_id, frame, flags=flags))
        return out

    # ------------------------------------------------------------------ operations
    def operations(self, start: date, end: date,
                   series_id: str | None = None) -> list[RepoOperation]:
        """Repo and reverse-repo operation results between two dates (``Results`` only)."""
        out: list[RepoOperation] = []
        for lo, hi in dated_chunks(start, end, 366):
            resp = self.get(self.url("api/rp/results/search.json"),
                            {"startDate": lo.isoformat(), "endDate": hi.isoformat()},
                            series_id=series_id)
            body = self.json(resp, series_id)
            if not isinstance(body, dict):
                raise self.schema_error(series_id, "operations body is not an object")
            self.require(body, ["repo"], series_id, "rp/results")
            repo = body["repo"]
            if not isinstance(repo, dict):
                raise self.schema_error(series_id, "'repo' is not an object")
            self.require(repo, ["operations"], series_id, "rp/results.repo")
            ops = repo["operations"]
            if not isinstance(ops, list):
                raise self.schema_error(series_id, "'repo.operations' is not a list")
            for op in ops:
                parsed = self._operation(op, series_id)
                if parsed is not None:
                    out.append(parsed)
        out.sort(key=lambda o: o.operation_date)
        return out

    def _operation(self, op: Any, series_id: str | None) -> RepoOperation | None:
        if not isinstance(op, dict):
            raise self.schema_error(series_id, "an operation is not an object")
        self.require(op, ["operationDate", "operationType", "auctionStatus"], series_id,
                     "an operation")
        if str(op["auctionStatus"]).strip().lower() != "results":
            return None
        self.require(op, ["totalAmtAccepted"], series_id, "an operation result")
        treasury = 0.0
        min_bid = float("nan")
        details = op.get("details") or []
        try:
            for d in details if isinstance(details, list) else []:
                if not isinstance(d, dict):
                    continue
                if str(d.get("securityType", "")).lower().startswith("treasury"):
                    amt = to_float(d.get("amtAccepted"))
                    treasury += 0.0 if amt != amt else amt
                bid = next((to_float(d[k]) for k in _BID_FIELDS if k in d), float("nan"))
                if bid == bid:
                    min_bid = bid if min_bid != min_bid else max(min_bid, bid)
            return RepoOperation(
                parse_day(op["operationDate"]), str(op["operationType"]),
                str(op.get("term", "")), to_float(op["totalAmtAccepted"]), treasury, min_bid,
                bool(_SVE.search(str(op.get("note") or ""))),
            )
        except ValueError as exc:
            raise self.schema_error(series_id, f"bad operation {op.get('operationId')!r}: "
                                    f"{exc}") from None

    def _fetch_operations(self, items: Sequence[tuple[str, str]],
                          start: date | None) -> list[SeriesData]:
        ops = self.operations(start or RP_FIRST_DATE, date.today(), series_id=items[0][0])
        ops = [o for o in ops if not o.small_value]
        return [SeriesData(sid, _aggregate(ops, source_id)) for sid, source_id in items]


def _aggregate(ops: Sequence[RepoOperation], source_id: str) -> Any:
    """Daily aggregate of the operations a catalog ``source_id`` names (USD bn or percent)."""
    kind, _, measure = source_id.partition(":")
    wanted = "Reverse Repo" if kind.endswith("reverserepo") else "Repo"
    per_day: dict[date, float] = defaultdict(float)
    rates: dict[date, float] = {}
    for o in ops:
        if o.operation_type.strip().lower() != wanted.lower():
            continue
        if o.term and o.term.strip().lower() != "overnight":
            continue
        if measure == "minimumBidRate":
            if o.minimum_bid_rate == o.minimum_bid_rate:
                rates[o.operation_date] = max(rates.get(o.operation_date, -1e9),
                                              o.minimum_bid_rate)
            continue
        amount = o.accepted_treasury if measure == "treasury" else o.accepted
        per_day[o.operation_date] += (0.0 if amount != amount else amount) / 1e9
    if measure == "minimumBidRate":
        days = sorted(rates)
        return frame_from(days, [rates[d] for d in days])
    days = sorted(per_day)
    return frame_from(days, [per_day[d] for d in days])

