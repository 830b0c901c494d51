"""A local stand-in for every source, serving SYNTHETIC data in each documented format.

One :class:`SourceSimulator` generates a random walk per fetchable catalog series (the
"truth" a correct update must store), and answers the FRED/ALFRED, fredgraph, NY Fed,
FiscalData, OFR, EIA and Coinbase endpoints the clients call, honouring their parameters
(date windows, real-time windows, page numbers, offsets). ``revise`` and ``extend`` change the
data between runs. Used by the update tests and ``benchmarks/bench_update.py``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from liqwatch import catalog
from liqwatch.catalog import Frequency, SeriesSpec

FETCHABLE = ("fred", "nyfed", "fiscaldata", "ofr", "eia", "coinbase")
OPEN = date(9999, 12, 31)
EIA_END = date(2024, 4, 5)
#: Layout eras of the DTS operating cash balance table.
DTS_MIDDLE, DTS_NEW = date(2021, 10, 1), date(2022, 4, 18)


@dataclass
class Vintage:
    """One ALFRED row of the simulated FRED."""

    day: date
    value: float | None
    start: date
    end: date = OPEN


def _dates(spec: SeriesSpec, start: date, end: date) -> list[date]:
    if spec.source == "coinbase":
        idx = pd.date_range(start, end, freq="D")
    elif spec.frequency is Frequency.DAILY:
        idx = pd.bdate_range(start, end)
    elif spec.frequency is Frequency.WEEKLY:
        idx = pd.date_range(start, end, freq="W-WED")
    elif spec.frequency is Frequency.MONTHLY:
        idx = pd.date_range(start, end, freq="MS")
    else:
        idx = pd.date_range(start, end, freq="QS")
    return [d.date() for d in idx]


class SourceSimulator:
    """Synthetic data for the fetchable catalog, served the way each source serves it.

    Parameters
    ----------
    years
        History length (ends yesterday, UTC).
    series
        Restrict to these catalog ids (default: every fetchable series).
    missing_every
        Every n-th observation is published as the source's missing-value marker.
    """

    def __init__(self, years: float = 2.0, series: list[str] | None = None,
                 missing_every: int = 97, seed: int = 7) -> None:
        # Data ends a week ago, so that `extend` can publish new days before today.
        self.end = datetime.now(UTC).date() - timedelta(days=8)
        self.start = self.end - timedelta(days=int(365.25 * years))
        rng = np.random.default_rng(seed)
        self.specs = {s.id: s for s in catalog.catalog().values()
                      if s.source in FETCHABLE and (series is None or s.id in series)}
        self.values: dict[str, dict[date, float | None]] = {}
        for sid, spec in self.specs.items():
            if spec.source == "eia":  # the series stopped: same length, ending at EIA_END
                days = _dates(spec, EIA_END - (self.end - self.start), EIA_END)
            else:
                days = _dates(spec, self.start, self.end)
            walk = 100 + np.cumsum(rng.normal(0, 1, len(days)))
            vals: dict[date, float | None] = {
                d: round(float(v), 4) for d, v in zip(days, walk, strict=True)}
            for i, d in enumerate(days):
                if missing_every and i % missing_every == missing_every - 1:
                    vals[d] = None
            self.values[sid] = vals
        self._fix_repo()
        self.fred: dict[str, list[Vintage]] = {}
        for sid, spec in self.specs.items():
            if spec.source == "fred":
                self.fred[spec.source_id] = [Vintage(d, v, d + timedelta(days=1))
                                             for d, v in self.values[sid].items()]
        self.requests: Counter[str] = Counter()
        self.broken: dict[str, Response] = {}
        self.rename: dict[str, tuple[str, str]] = {}
        self.delay = 0.0
        self._lock = threading.Lock()

    def _fix_repo(self) -> None:
        # Treasury-collateral repo must not exceed the total: derive it from the total.
        total, tsy = self.values.get("RPONTTLD_NYFED"), self.values.get("RPONTSYD_NYFED")
        if total is not None and tsy is not None:
            for d, v in total.items():
                tsy[d] = None if v is None else round(v * 0.8, 4)
            for d in total:
                if total[d] is None:
                    tsy[d] = None
        if "SRF_MIN_BID" in self.values and total is not None:
            bid = self.values["SRF_MIN_BID"]
            self.values["SRF_MIN_BID"] = {d: None if total[d] is None else bid.get(d)
                                          for d in total}

    # ------------------------------------------------------------------ truth and changes
    def truth(self, series_id: str) -> pd.Series:
        """What the store should hold as current values (missing markers dropped)."""
        vals = {pd.Timestamp(d): v for d, v in self.values[series_id].items() if v is not None}
        return pd.Series(vals, dtype="float64").sort_index()

    def revise(self, series_id: str, day: date, value: float, on: date | None = None) -> None:
        """Change a published value (FRED: a new ALFRED vintage from ``on``)."""
        self.values[series_id][day] = value
        spec = self.specs[series_id]
        if spec.source == "fred":
            on = on or self.end + timedelta(days=1)
            rows = self.fred[spec.source_id]
            for row in rows:
                if row.day == day and row.end == OPEN:
                    row.end = on - timedelta(days=1)
            rows.append(Vintage(day, value, on))

    def extend(self, days: int = 1) -> None:
        """Publish ``days`` more business days of every daily series (and move 'today')."""
        for _ in range(days):
            nxt = self.end + timedelta(days=1)
            while nxt.weekday() >= 5:
                nxt += timedelta(days=1)
            for sid, spec in self.specs.items():
                if spec.frequency is Frequency.DAILY and spec.source != "eia":
                    last = [v for v in self.values[sid].values() if v is not None][-1]
                    self.values[sid][nxt] = round(last + 0.5, 4)
                    if spec.source == "fred":
                        self.fred[spec.source_id].append(
                            Vintage(nxt, self.values[sid][nxt], nxt + timedelta(days=1)))
            self._fix_repo()
            self.end = nxt

    # ------------------------------------------------------------------ serving
    def env(self, server: HTTPServer) -> dict[str, str]:
        """``LIQWATCH_*_URL`` variables pointing every source at ``server``."""
        url = server.url_for("").rstrip("/")
        return {
            "LIQWATCH_FRED_URL": f"{url}/fred", "LIQWATCH_FREDGRAPH_URL": f"{url}/fredgraph.csv",
            "LIQWATCH_NYFED_URL": f"{url}/nyfed", "LIQWATCH_FISCALDATA_URL": f"{url}/fiscal",
            "LIQWATCH_OFR_URL": f"{url}/ofr", "LIQWATCH_EIA_URL": f"{url}/eia",
            "LIQWATCH_COINBASE_URL": f"{url}/coinbase",
        }

    def install(self, server: HTTPServer) -> None:
        """Answer every request on ``server``."""
        server.expect_request(re.compile(".*")).respond_with_handler(self.handle)

    def handle(self, request: Request) -> Response:
        """Dispatch one request."""
        path = request.path
        source = path.strip("/").split("/", 1)[0].replace(".csv", "")
        with self._lock:
            self.requests[source] += 1
        if self.delay:
            import time

            time.sleep(self.delay)
        if source in self.broken:
            return self.broken[source]
        handler = {
            "fred": self._fred, "fredgraph": self._fredgraph, "nyfed": self._nyfed,
            "fiscal": self._fiscal, "ofr": self._ofr, "eia": self._eia,
            "coinbase": self._coinbase,
        }.get(source)
        if handler is None:
            return Response("not found", status=404)
        with self._lock:
            body = handler(request)
        if isinstance(body, Response):
            return body
        text = body if isinstance(body, str) else json.dumps(body)
        if source in self.rename:
            old, new = self.rename[source]
            text = text.replace(old, new)
        return Response(text, content_type="text/csv" if isinstance(body, str)
                        else "application/json")

    # FRED ------------------------------------------------------------------------------
    def _fred(self, request: Request) -> Any:
        args = request.args
        sid = args.get("series_id", "")
        if args.get("api_key") == "bad":
            return Response(json.dumps({"error_code": 400, "error_message":
                                        "Bad Request.  The value for variable api_key is not "
                                        "registered."}), status=400)
        if sid not in self.fred:
            return Response(json.dumps({"error_code": 400, "error_message":
                                        "Bad Request.  The series does not exist."}), status=400)
        rows = self.fred[sid]
        if request.path.endswith("/fred/series"):
            return {"seriess": [{"id": sid, "title": sid, "units": "Synthetic",
                                 "frequency_short": "D",
                                 "last_updated": "2026-01-08 08:01:12-06",
                                 "observation_end": self.end.isoformat()}]}
        lo = date.fromisoformat(args.get("realtime_start", "1776-07-04"))
        hi = date.fromisoformat(args.get("realtime_end", "9999-12-31"))
        if request.path.endswith("/vintagedates"):
            starts = sorted({r.start for r in rows if lo <= r.start <= hi})
            off = int(args.get("offset", 0))
            lim = int(args.get("limit", 10000))
            return {"count": len(starts),
                    "vintage_dates": [d.isoformat() for d in starts[off:off + lim]]}
        vintages = len({r.start for r in rows if lo <= r.start <= hi})
        if vintages > 2000:
            return Response(json.dumps({"error_code": 400, "error_message": "Bad Request.  "
                                        "This exceeds the maximum number of vintage dates "
                                        "allowed (2000)."}), status=400)
        obs_start = date.fromisoformat(args.get("observation_start", "1600-01-01"))
        picked = sorted((r for r in rows if r.start <= hi and r.end >= lo
                         and r.day >= obs_start), key=lambda r: (r.day, r.start))
        off, lim = int(args.get("offset", 0)), int(args.get("limit", 100000))
        page = picked[off:off + lim]
        return {"realtime_start": lo.isoformat(), "realtime_end": hi.isoformat(),
                "count": len(picked), "offset": off, "limit": lim,
                "observations": [{"realtime_start": max(r.start, lo).isoformat(),
                                  "realtime_end": min(r.end, hi).isoformat(),
                                  "date": r.day.isoformat(),
                                  "value": "." if r.value is None else f"{r.value}"}
                                 for r in page]}

    def _fredgraph(self, request: Request) -> Any:
        sid = request.args["id"]
        sid_map = {s.source_id: k for k, s in self.specs.items() if s.source == "fred"}
        if sid not in sid_map:
            return Response("<html>not found</html>", status=404)
        lo = date.fromisoformat(request.args.get("cosd", "1600-01-01"))
        lines = [f"observation_date,{sid}"]
        for d, v in sorted(self.values[sid_map[sid]].items()):
            if d >= lo:
                lines.append(f"{d.isoformat()},{'' if v is None else v}")
        return "\n".join(lines) + "\n"

    # NY Fed ----------------------------------------------------------------------------
    def _nyfed(self, request: Request) -> Any:
        lo = date.fromisoformat(request.args["startDate"])
        hi = date.fromisoformat(request.args["endDate"])
        if (hi - lo).days > 366:
            return Response(json.dumps({"error": "window too long"}), status=400)
        m = re.match(r"/nyfed/api/rates/(\w+/\w+)/search\.json", request.path)
        if m:
            members = {s.source_id.split(":")[1]: k for k, s in self.specs.items()
                       if s.source == "nyfed" and s.source_id.startswith(m.group(1) + ":")}
            days = sorted({d for k in members.values() for d in self.values[k]
                           if lo <= d <= hi}, reverse=True)
            rows = []
            for d in days:
                row: dict[str, Any] = {"effectiveDate": d.isoformat(),
                                       "type": m.group(1).split("/")[1].upper(),
                                       "revisionIndicator": ""}
                for fld, k in members.items():
                    row[fld] = self.values[k].get(d)
                rows.append(row)
            return {"refRates": rows}
        if request.path == "/nyfed/api/rp/results/search.json":
            return {"repo": {"operations": self._operations(lo, hi)}}
        return Response("{}", status=404)

    def _operations(self, lo: date, hi: date) -> list[dict[str, Any]]:
        total = self.values.get("RPONTTLD_NYFED", {})
        tsy = self.values.get("RPONTSYD_NYFED", {})
        bid = self.values.get("SRF_MIN_BID", {})
        ops: list[dict[str, Any]] = []
        for i, d in enumerate(sorted((d for d in total if lo <= d <= hi), reverse=True)):
            t = total[d]
            if t is None:
                continue
            s = tsy.get(d) or 0.0
            for share, release in ((0.25, "08:15"), (0.75, "13:30")):
                details = [{"securityType": "Treasury", "amtAccepted": round(s * share * 1e9),
                            "minimumBidRate": bid.get(d)},
                           {"securityType": "Mortgage-Backed",
                            "amtAccepted": round((t - s) * share * 1e9),
                            "minimumBidRate": bid.get(d)}]
                ops.append({"operationId": f"RP {d:%m%d%y} {release}", "auctionStatus":
                            "Results", "operationDate": d.isoformat(),
                            "operationType": "Repo", "operationMethod": "Full Allotment",
                            "term": "Overnight", "releaseTime": release,
                            "totalAmtAccepted": sum(x["amtAccepted"] for x in details),
                            "note": "", "details": details})
            ops.append({"operationId": f"RRP {d:%m%d%y}", "auctionStatus": "Results",
                        "operationDate": d.isoformat(), "operationType": "Reverse Repo",
                        "operationMethod": "Fixed Rate", "term": "Overnight",
                        "totalAmtAccepted": 150e9, "note": "", "details": []})
            if i % 20 == 0:
                ops.append({"operationId": f"SVE {d:%m%d%y}", "auctionStatus": "Results",
                            "operationDate": d.isoformat(), "operationType": "Repo",
                            "term": "Overnight", "totalAmtAccepted": 1e6,
                            "note": "Small Value Exercise (SVE)",
                            "details": [{"securityType": "Treasury", "amtAccepted": 1e6,
                                         "minimumBidRate": 9.99}]})
        return ops

    # FiscalData ------------------------------------------------------------------------
    def _fiscal(self, request: Request) -> Any:
        m = re.match(r"record_date:gte:(\d{4}-\d\d-\d\d)", request.args.get("filter", ""))
        lo = date.fromisoformat(m.group(1)) if m else date(2005, 1, 1)
        rows: list[dict[str, Any]] = []
        for d, v in sorted(self.values.get("TGA_DTS", {}).items()):
            if d < lo:
                continue
            bal = "null" if v is None else f"{v:.0f}" if v == int(v) else f"{v}"
            base = {"record_date": d.isoformat(), "open_month_bal": "1",
                    "table_nbr": "I", "table_nm": "Operating Cash Balance",
                    "sub_table_name": "null"}
            if d < DTS_MIDDLE:
                rows.append({**base, "account_type": "Federal Reserve Account",
                             "close_today_bal": bal, "open_today_bal": "5"})
                rows.append({**base, "account_type": "Total Operating Balance",
                             "close_today_bal": "999999", "open_today_bal": "5"})
            elif d < DTS_NEW:
                rows.append({**base, "account_type": "Treasury General Account (TGA)",
                             "close_today_bal": bal, "open_today_bal": "5"})
            else:
                rows.append({**base, "account_type":
                             "Treasury General Account (TGA) Opening Balance",
                             "close_today_bal": "null", "open_today_bal": "5"})
                rows.append({**base, "account_type":
                             "Treasury General Account (TGA) Closing Balance",
                             "close_today_bal": "null", "open_today_bal": bal})
        size = int(request.args.get("page[size]", 100))
        number = int(request.args.get("page[number]", 1))
        pages = max(1, -(-len(rows) // size))
        chunk = rows[(number - 1) * size:number * size]
        return {"data": chunk, "meta": {"count": len(chunk), "total-count": len(rows),
                                        "total-pages": pages},
                "links": {"next": None if number >= pages else
                          f"&page%5Bnumber%5D={number + 1}&page%5Bsize%5D={size}"}}

    # OFR -------------------------------------------------------------------------------
    def _ofr(self, request: Request) -> Any:
        if request.path.endswith("/fsi.csv"):
            cols = {s.source_id.split(":", 1)[1]: k for k, s in self.specs.items()
                    if s.source == "ofr" and s.source_id.startswith("fsi:")}
            days = sorted({d for k in cols.values() for d in self.values[k]})
            buf = io.StringIO()
            w = csv.writer(buf, lineterminator="\n")
            w.writerow(["Date", *cols])
            for d in days:
                w.writerow([d.isoformat(), *("" if self.values[k].get(d) is None
                                             else self.values[k][d] for k in cols.values())])
            return buf.getvalue()
        mnemonic = request.args.get("mnemonic", "")
        sid = next((k for k, s in self.specs.items() if s.source_id == mnemonic), None)
        if sid is None:
            return Response('{"error": "unknown mnemonic"}', status=404)
        lo = date.fromisoformat(request.args.get("start_date", "1901-01-01"))
        scale = 1e9 if "_TV_" in mnemonic else 1.0
        return [[d.isoformat(), None if v is None else v * scale]
                for d, v in sorted(self.values[sid].items()) if d >= lo]

    # EIA -------------------------------------------------------------------------------
    def _eia(self, request: Request) -> Any:
        if not request.args.get("api_key"):
            return Response('{"error":"API_KEY_MISSING","code":403}', status=403)
        codes = request.args.getlist("facets[series][]")
        lo = date.fromisoformat(request.args.get("start", "1900-01-01"))
        rows = [{"period": d.isoformat(), "series": c, "value": v, "units": "$/BBL"}
                for c in codes for d, v in self.values.get(c, {}).items() if d >= lo]
        rows.sort(key=lambda r: (r["period"], r["series"]))
        off, length = int(request.args.get("offset", 0)), int(request.args.get("length", 5000))
        return {"response": {"total": str(len(rows)), "data": rows[off:off + length]}}

    # Coinbase --------------------------------------------------------------------------
    def _coinbase(self, request: Request) -> Any:
        lo = datetime.fromisoformat(request.args["start"].replace("Z", "+00:00")).date()
        hi = datetime.fromisoformat(request.args["end"].replace("Z", "+00:00")).date()
        if (hi - lo).days >= 300:
            return Response('{"message":"too many candles"}', status=400)
        vals = self.values.get("BTCUSD", {})
        today = datetime.now(UTC).date()
        out = []
        for d in sorted(vals, reverse=True):
            v = vals[d]
            if lo <= d <= hi and v is not None:
                ts = int(datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp())
                out.append([ts, v - 1, v + 1, v, v, 10.0])
        if hi >= today:
            ts = int(datetime(today.year, today.month, today.day, tzinfo=UTC).timestamp())
            out.insert(0, [ts, 1.0, 2.0, 1.0, 1.5, 0.1])  # today's moving candle
        return out
