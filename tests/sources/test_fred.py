"""FRED / ALFRED and fredgraph.csv clients against a local HTTP server (fixture payloads are
hand-made in the documented shapes)."""

from __future__ import annotations

import json
from datetime import date

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from liqwatch.exceptions import AuthError, NotFoundError, SchemaError
from liqwatch.sources.fred import (
    MAX_VINTAGES,
    FredClient,
    FredgraphClient,
    parse_last_updated,
)

from .support import fast, payload

KEY = "abcdefghij0123456789abcdefghij01"


def test_observations_keep_vintages_and_drop_dots(httpserver: HTTPServer,
                                                  http: httpx.Client) -> None:
    httpserver.expect_request(
        "/fred/series/observations",
        query_string={"series_id": "SOFR", "api_key": KEY, "file_type": "json",
                      "realtime_start": "2026-01-01", "realtime_end": "9999-12-31",
                      "output_type": "1", "limit": "100000", "offset": "0",
                      "sort_order": "asc", "observation_start": "2025-12-01"},
    ).respond_with_data(payload("fred_observations.json"), content_type="application/json")
    client = FredClient(http, fast(httpserver), api_key=KEY)
    [data] = client.fetch([("SOFR", "SOFR")], date(2025, 12, 1),
                          realtime_from=date(2026, 1, 1))
    assert data.vintages
    rows = [(r.date.date().isoformat(), r.value, r.realtime_start.date().isoformat())
            for r in data.frame.itertuples()]
    # 2026-01-02 was revised (two vintages); 2026-01-05 is "." (missing) and dropped.
    assert rows == [("2026-01-02", 3.87, "2026-01-05"), ("2026-01-02", 3.88, "2026-01-08"),
                    ("2026-01-06", 3.64, "2026-01-07"), ("2026-01-07", 3.61, "2026-01-08")]


def test_full_history_reads_metadata_and_pages(httpserver: HTTPServer, http: httpx.Client) -> None:
    httpserver.expect_request("/fred/series").respond_with_data(
        payload("fred_series.json"), content_type="application/json")
    body = json.loads(payload("fred_observations.json"))
    obs = body["observations"]

    def page(request: Request) -> Response:
        offset = int(request.args["offset"])
        chunk = obs[offset:offset + 2]  # the server pages by two rows
        return Response(json.dumps({**body, "offset": offset, "observations": chunk}),
                        content_type="application/json")

    httpserver.expect_request("/fred/series/observations").respond_with_handler(page)
    client = FredClient(http, fast(httpserver), api_key=KEY)
    [data] = client.fetch([("SOFR", "SOFR")], None, realtime_from=None)
    assert data.meta["units"] == "Percent"
    assert data.meta["last_updated"] == "2026-01-08T08:01:12-06:00"
    assert len(data.frame) == 4
    offsets = [r.args["offset"] for r, _ in httpserver.log
               if r.path == "/fred/series/observations"]
    assert offsets == ["0", "2", "4"]


def test_long_windows_are_chunked_by_2000_vintages(httpserver: HTTPServer,
                                                   http: httpx.Client) -> None:
    vintages = [date.fromordinal(date(2010, 1, 1).toordinal() + i) for i in range(4500)]
    httpserver.expect_request("/fred/series/vintagedates").respond_with_json(
        {"count": len(vintages), "vintage_dates": [v.isoformat() for v in vintages]})
    windows: list[tuple[str, str]] = []

    def observations(request: Request) -> Response:
        lo, hi = request.args["realtime_start"], request.args["realtime_end"]
        windows.append((lo, hi))
        if sum(lo <= v.isoformat() <= hi for v in vintages) > MAX_VINTAGES:
            return Response(json.dumps({"error_code": 400, "error_message": "Bad Request.  "
                                        "This exceeds the maximum number of vintage dates "
                                        "allowed (2000)."}), status=400)
        # The same unchanged value, clipped to each window: must not look like a revision.
        row = {"date": "2009-12-31", "value": "1.5", "realtime_start": lo, "realtime_end": hi}
        return Response(json.dumps({"count": 1, "offset": 0, "observations": [row]}),
                        content_type="application/json")

    httpserver.expect_request("/fred/series/observations").respond_with_handler(observations)
    client = FredClient(http, fast(httpserver), api_key=KEY)
    rows = client.observations("DFF", "DFF", realtime_start=date(2009, 12, 1))
    assert windows.pop(0) == ("2009-12-01", "9999-12-31")  # refused: too many vintages
    assert len(windows) == 3
    assert windows[0][0] == "2009-12-01"
    assert windows[1][0] == vintages[MAX_VINTAGES].isoformat()
    assert windows[0][1] == date.fromordinal(vintages[MAX_VINTAGES].toordinal() - 1).isoformat()
    assert windows[2][1] == "9999-12-31"
    from liqwatch.sources.fred import vintage_frame

    assert len(rows) == 3 and len(vintage_frame(rows)) == 1


def test_invalid_key_is_auth_error_without_the_key(httpserver: HTTPServer,
                                                   http: httpx.Client) -> None:
    httpserver.expect_request("/fred/series/observations").respond_with_json(
        {"error_code": 400, "error_message": f"Bad Request.  The value for variable api_key "
         f"is not registered. ({KEY})"}, status=400)
    client = FredClient(http, fast(httpserver), api_key=KEY)
    with pytest.raises(AuthError) as info:
        client.fetch([("SOFR", "SOFR")], date(2026, 1, 1), realtime_from=date(2026, 1, 1))
    err = info.value
    assert "api_key" in str(err) and "fred series SOFR" in str(err)
    assert KEY not in str(err) and KEY not in repr(err) and KEY not in repr(client)
    assert KEY not in str(err.__context__) and KEY not in str(err.__cause__)


def test_unknown_series_is_not_found(httpserver: HTTPServer, http: httpx.Client) -> None:
    httpserver.expect_request("/fred/series/observations").respond_with_json(
        {"error_code": 400, "error_message": "Bad Request.  The series does not exist."},
        status=400)
    client = FredClient(http, fast(httpserver), api_key=KEY)
    with pytest.raises(NotFoundError, match="does not exist"):
        client.fetch([("NOPE", "NOPE")], date(2026, 1, 1), realtime_from=date(2026, 1, 1))


def test_changed_field_name_names_the_field(httpserver: HTTPServer, http: httpx.Client) -> None:
    body = payload("fred_observations.json").replace('"value"', '"val"')
    httpserver.expect_request("/fred/series/observations").respond_with_data(
        body, content_type="application/json")
    client = FredClient(http, fast(httpserver), api_key=KEY)
    with pytest.raises(SchemaError, match=r"fred series SOFR: .*field 'value' missing"):
        client.fetch([("SOFR", "SOFR")], date(2026, 1, 1), realtime_from=date(2026, 1, 1))


def test_fredgraph_csv_uses_column_positions_and_missing_markers(
        httpserver: HTTPServer, http: httpx.Client) -> None:
    httpserver.expect_request("/graph/fredgraph.csv", query_string={"id": "DGS10"}) \
        .respond_with_data(payload("fredgraph.csv"), content_type="text/csv")
    client = FredgraphClient(http, fast(httpserver, "/graph/fredgraph.csv"))
    [data] = client.fetch([("DGS10", "DGS10")], None, realtime_from=None)
    assert not data.vintages
    assert [(d.date().isoformat(), v) for d, v in zip(data.frame["date"], data.frame["value"],
                                                      strict=True)] == [
        ("2026-01-02", 4.12), ("2026-01-07", 4.18)]


def test_fredgraph_old_header_and_wrong_column(httpserver: HTTPServer,
                                               http: httpx.Client) -> None:
    httpserver.expect_request("/g.csv", query_string={"id": "DGS10"}).respond_with_data(
        "DATE,DGS10\n2020-01-02,1.88\n")
    httpserver.expect_request("/g.csv", query_string={"id": "DGS2"}).respond_with_data(
        "DATE,DGS10\n2020-01-02,1.88\n")
    client = FredgraphClient(http, fast(httpserver, "/g.csv"))
    [ok] = client.fetch([("DGS10", "DGS10")], None, realtime_from=None)
    assert ok.frame["value"].tolist() == [1.88]
    with pytest.raises(SchemaError, match="value column is 'DGS10', expected 'DGS2'"):
        client.fetch([("DGS2", "DGS2")], None, realtime_from=None)


def test_last_updated_hours_only_offset() -> None:
    parsed = parse_last_updated("2023-09-18 19:10:56-05")
    assert parsed.utcoffset() is not None
    assert parsed.isoformat() == "2023-09-18T19:10:56-05:00"
