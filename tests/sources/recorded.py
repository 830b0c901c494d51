"""Replay of REAL recorded response bodies (tests/fixtures/recorded, provenance in its README).

The replay server answers like the live service: NY Fed searches return the recorded rows that
fall inside the requested ``startDate``/``endDate`` window (newest first, as recorded), other
endpoints return the recorded body as it is.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

RECORDED = Path(__file__).resolve().parent.parent / "fixtures" / "recorded"

#: Path prefix of each source on the replay server (``LIQWATCH_<SOURCE>_URL``).
PREFIXES = {
    "FRED": "/fred-api", "FREDGRAPH": "/fredgraph.csv", "NYFED": "/nyfed",
    "FISCALDATA": "/fiscaldata", "OFR": "/ofr", "EIA": "/eia", "COINBASE": "/coinbase",
}


def text(name: str) -> str:
    """A recorded body from the fixtures folder."""
    return (RECORDED / name).read_text(encoding="utf-8")


def env(server: HTTPServer) -> dict[str, str]:
    """``LIQWATCH_*_URL`` overrides pointing every source at the replay server."""
    out = {f"LIQWATCH_{k}_URL": server.url_for(v) for k, v in PREFIXES.items()}
    out["LIQWATCH_CONFIG"] = "/nonexistent/liqwatch.toml"
    return out


def _window(request: Request) -> tuple[date, date]:
    lo = request.args.get("startDate", "0001-01-01")
    hi = request.args.get("endDate", "9999-12-31")
    return date.fromisoformat(lo), date.fromisoformat(hi)


def serve_rates(server: HTTPServer, path: str, bodies: list[str]) -> None:
    """Serve ``/api/rates/{path}/search.json`` from recorded bodies, honouring the window."""
    rows: list[dict[str, Any]] = []
    for body in bodies:
        rows.extend(json.loads(body)["refRates"])

    def handler(request: Request) -> Response:
        lo, hi = _window(request)
        picked = [r for r in rows if lo <= date.fromisoformat(r["effectiveDate"]) <= hi]
        return Response(json.dumps({"refRates": picked}), content_type="application/json")

    server.expect_request(f"{PREFIXES['NYFED']}/api/rates/{path}/search.json").respond_with_handler(
        handler)


def serve_operations(server: HTTPServer, bodies: list[str]) -> None:
    """Serve ``/api/rp/results/search.json`` from recorded bodies, honouring the window."""
    ops: list[dict[str, Any]] = []
    for body in bodies:
        ops.extend(json.loads(body)["repo"]["operations"])

    def handler(request: Request) -> Response:
        lo, hi = _window(request)
        picked = [o for o in ops if lo <= date.fromisoformat(o["operationDate"]) <= hi]
        return Response(json.dumps({"repo": {"operations": picked}}),
                        content_type="application/json")

    server.expect_request(f"{PREFIXES['NYFED']}/api/rp/results/search.json").respond_with_handler(
        handler)


def serve(server: HTTPServer, source: str, path: str, body: str,
          content_type: str = "application/json") -> None:
    """Serve a recorded body as it is at ``<source prefix><path>``."""
    server.expect_request(f"{PREFIXES[source]}{path}").respond_with_data(
        body, content_type=content_type)
