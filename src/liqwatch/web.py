"""Read-only web dashboard and JSON API over the store.

``create_app(db_path, token=None)`` builds the FastAPI application; ``liqwatch serve`` runs it
with uvicorn. The dashboard is the HTML report with an as-of date picker and a language switch;
the API returns the same data as JSON:

- ``GET /api/status`` — every stored series: latest value, date, staleness; overall status
- ``GET /api/indicators?as_of=`` — indicator readings (``liqwatch.indicators.compute``)
- ``GET /api/stress?as_of=&method=`` — composite index reading
- ``GET /api/analogs?as_of=`` — crisis analogs
- ``GET /api/scenario?preset=&weeks=&as_of=`` — reserve projection
- ``GET /api/series/{id}?start=&end=&as_of=`` — observations as published on a day
- ``GET /api/report?as_of=&lang=`` — the self-contained HTML report

Errors are JSON ``{"error": {"status": int, "message": str}}``, never a stack trace. When a
token is configured every request needs ``Authorization: Bearer <token>`` (or the cookie set
by ``POST /login``).
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from liqwatch.asof import resolve_as_of
from liqwatch.assessment import Assessment
from liqwatch.exceptions import ConfigError, LiqwatchError, StoreError, UnknownSeriesError
from liqwatch.jsonsafe import jsonable as _jsonable
from liqwatch.scenarios import PRESETS
from liqwatch.store import DEFAULT_LOCK_TIMEOUT, Store, StoreLocation, parse_location
from liqwatch.store.snapshot import LiveSnapshot
from liqwatch.stress import METHODS
from liqwatch.vocab import CATEGORIES

__all__ = ["ApiError", "create_app", "is_loopback", "serve"]

log = logging.getLogger(__name__)

COOKIE = "liqwatch_token"
#: The earliest as-of day the API computes (no series in the catalog starts before it).
EARLIEST = date(1950, 1, 1)


class ApiError(Exception):
    """An error answered as JSON with ``status``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _records(frame: Any) -> list[Any]:
    result: list[Any] = _jsonable(frame.to_dict("records"))
    return result


class _Service:
    """The store as the request threads see it: the last committed state, in memory.

    Requests read an in-memory copy of the store, taking turns on it (DuckDB access
    serialised); the copy is reloaded in the background when the store changed
    (:class:`~liqwatch.store.snapshot.LiveSnapshot`). The server therefore keeps answering
    while ``update`` or ``watch`` writes, and never keeps them waiting. Rendered pages and
    assessments are kept per copy.
    """

    def __init__(self, location: StoreLocation, *, check_every: float = 2.0,
                 lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> None:
        self.location = location
        self._lock = threading.RLock()
        self._pages: OrderedDict[tuple[Any, ...], str] = OrderedDict()
        self._assessments: OrderedDict[tuple[Any, date, date | None], Assessment] = OrderedDict()
        self._live = LiveSnapshot(location, check_every=check_every, lock_timeout=lock_timeout,
                                  warm=self._warm)

    def _warm(self, store: Store) -> None:
        """Assess the latest day on a new copy before it is served, so that the requests
        after a reload do not wait for it."""
        a = self.assessment(store, None)
        _ = a.overall, a.indicators, a.combination

    def _load(self) -> None:
        loc = self.location
        if loc.backend == "duckdb" and not loc.is_memory and not loc.path.exists():
            raise ApiError(503, f"no store at {loc.path}: run liqwatch import or "
                                "liqwatch update first")
        try:
            self._live.current()
        except StoreError as exc:
            raise ApiError(503, str(exc)) from None

    @contextmanager
    def store(self) -> Iterator[Store]:
        self._load()
        with self._lock, self._live.use() as (store, _generation):
            yield store

    def page(self, key: tuple[Any, ...], build: Callable[[Store], str]) -> str:
        """A rendered page from a small cache of the pages of the current copy."""
        self._load()
        with self._lock, self._live.use() as (store, generation):
            full = (generation, *key)
            if full in self._pages:
                self._pages.move_to_end(full)
                return self._pages[full]
            html = build(store)
            self._pages[full] = html
            while len(self._pages) > 16:
                self._pages.popitem(last=False)
            return html

    def assessment(self, store: Store, asked: date | None) -> Assessment:
        """The assessment of the day ``asked`` resolves to (kept for a few days, and for as
        long as the copy it was computed on is served)."""
        day = resolve_as_of(store, asked)
        key = (store.cache_key, day.day, day.asked)
        with self._lock:
            found = self._assessments.get(key)
            if found is None or found.store is not store:
                found = Assessment(store, day)
                self._assessments[key] = found
                while len(self._assessments) > 8:
                    self._assessments.popitem(last=False)
            return found

    def cached_pages(self) -> int:
        """Number of rendered pages in the cache (read without waiting for a render)."""
        return len(self._pages)

    def close(self) -> None:
        with self._lock:
            self._assessments.clear()
        self._live.close()


def _asked(as_of: date | None) -> date | None:
    """A requested day, refused when no data can exist for it (4xx, never computed)."""
    if as_of is None:
        return None
    today = datetime.now(UTC).date()
    if as_of > today:
        raise ApiError(422, f"as_of={as_of}: the day is in the future (today is {today}); "
                            "leave it out for the latest data")
    if as_of < EARLIEST:
        raise ApiError(422, f"as_of={as_of}: before {EARLIEST}, where no series starts")
    return as_of


def _lang(lang: str) -> str:
    if lang not in ("en", "ja"):
        raise ApiError(400, f"lang={lang!r}: use en or ja")
    return lang


def create_app(
    db_path: Path | str | StoreLocation, *, token: str | None = None, prewarm: bool = False,
    check_every: float = 2.0, lock_timeout: float = DEFAULT_LOCK_TIMEOUT, lang: str = "en",
) -> FastAPI:
    """Build the dashboard and JSON API over the store at ``db_path`` (a DuckDB file or a
    PostgreSQL URL), read-only.

    ``lang`` is the language of pages asked for without ``?lang=``. ``prewarm`` renders the
    latest dashboard in that language in the background at start-up, so the
    first visitor does not wait for it. The server answers from an in-memory copy of the
    store, checked for changes every ``check_every`` seconds; loading it waits up to
    ``lock_timeout`` seconds for a DuckDB file a writer holds.
    """
    service = _Service(parse_location(db_path), check_every=check_every,
                       lock_timeout=lock_timeout)
    default_lang = _lang(lang)

    def dashboard_page(as_of: date | None, lang: str) -> str:
        from liqwatch.report import build_report

        def build(store: Store) -> str:
            a = service.assessment(store, as_of)
            query = f"?lang={lang}" + (f"&as_of={as_of.isoformat()}" if as_of else "")
            settings = {
                "base": "/", "plotly_src": "/static/plotly.min.js",
                "report_url": "/api/report" + query, "docs_url": "/docs",
                "min_date": EARLIEST.isoformat(),
                "max_date": datetime.now(UTC).date().isoformat(),
            }
            return build_report(store, lang=lang, dashboard=settings, assessment=a)

        return service.page(("dash", as_of, lang), build)

    def _prewarm() -> None:
        try:
            dashboard_page(None, default_lang)
        except Exception as exc:  # the request will report it
            log.warning("could not pre-render the dashboard: %s", exc)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if prewarm:
            threading.Thread(target=_prewarm, name="liqwatch-prewarm", daemon=True).start()
        yield
        service.close()

    app = FastAPI(
        lifespan=lifespan,
        title="liqwatch",
        summary="US-dollar funding liquidity monitor: read-only JSON API and dashboard.",
        version="1",
        docs_url=None,
        redoc_url=None,
    )
    app.state.service = service

    @app.middleware("http")
    async def _auth(request: Request,
                    call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        if token is None or request.url.path in ("/login", "/healthz"):
            return await call_next(request)
        given = request.headers.get("authorization", "")
        bearer = given[7:] if given.lower().startswith("bearer ") else ""
        cookie = request.cookies.get(COOKIE, "")
        if any(v and hmac.compare_digest(v.encode(), token.encode()) for v in (bearer, cookie)):
            return await call_next(request)
        if request.url.path.startswith("/api") or "text/html" not in request.headers.get(
                "accept", ""):
            return JSONResponse({"error": {"status": 401, "message": "missing or wrong bearer "
                                           "token (Authorization: Bearer <token>)"}},
                                status_code=401, headers={"WWW-Authenticate": "Bearer"})
        return HTMLResponse(_LOGIN_PAGE, status_code=401)

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse({"error": {"status": exc.status, "message": exc.message}},
                            status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "path"))
            hint = " (use YYYY-MM-DD)" if "date" in str(err.get("msg", "")) else ""
            problems.append(f"{where}: {err.get('msg', 'invalid')}{hint}")
        return JSONResponse({"error": {"status": 422, "message": "; ".join(problems),
                                       "details": _jsonable(
                                           [{"loc": e.get("loc"), "msg": e.get("msg")}
                                            for e in exc.errors()])}}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = str(exc.detail)
        if exc.status_code in (404, 405) and message in ("Not Found", "Method Not Allowed"):
            message = (f"{message}: {request.method} {request.url.path} "
                       "(the endpoints are listed at /docs)")
        return JSONResponse({"error": {"status": exc.status_code, "message": message}},
                            status_code=exc.status_code)

    @app.exception_handler(LiqwatchError)
    async def _liqwatch(_request: Request, exc: LiqwatchError) -> JSONResponse:
        status = 404 if isinstance(exc, UnknownSeriesError) else 400 if isinstance(
            exc, ConfigError) else 500
        return JSONResponse({"error": {"status": status, "message": str(exc)}},
                            status_code=status)

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.error("unhandled error: %s", exc, exc_info=True)
        return JSONResponse({"error": {"status": 500, "message": "internal error; see the "
                                       "server log"}}, status_code=500)

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(_docs_page(app.openapi()))

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, Any]:
        return {"status": "ok", "pages_cached": service.cached_pages()}

    @app.post("/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        from urllib.parse import parse_qs

        form = parse_qs((await request.body()).decode("utf-8", "replace"))
        token_field = (form.get("token") or [""])[0]
        if token is None or not hmac.compare_digest(token_field.encode(), token.encode()):
            return HTMLResponse(_LOGIN_PAGE, status_code=401)
        resp = RedirectResponse("/", status_code=303)
        resp.set_cookie(COOKIE, token, httponly=True, samesite="strict")
        return resp

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_bundle() -> Response:
        from liqwatch.report.charts import plotly_js

        return Response(plotly_js(), media_type="application/javascript",
                        headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def dashboard(as_of: date | None = None, lang: str | None = None) -> HTMLResponse:
        return HTMLResponse(dashboard_page(_asked(as_of), _lang(lang or default_lang)))

    @app.get("/api/report", response_class=HTMLResponse,
             summary="The self-contained HTML report")
    def report(as_of: date | None = None, lang: str | None = None) -> HTMLResponse:
        from liqwatch.report import build_report

        lang, asked = _lang(lang or default_lang), _asked(as_of)

        def build(store: Store) -> str:
            return build_report(store, lang=lang, assessment=service.assessment(store, asked))

        return HTMLResponse(service.page(("report", asked, lang), build))

    @app.get("/api/status", summary="Overall status, and the latest value and staleness of "
             "every stored series")
    def status(today: date | None = None, as_of: date | None = None) -> Any:
        """Every stored series with its staleness on ``today``, and the overall status of the
        day ``as_of`` resolves to (default: the latest day the core series are current)."""
        from liqwatch.status import series_status, summary

        with service.store() as store:
            frame = series_status(store, today)
            a = service.assessment(store, _asked(as_of))
            overall = a.overall.to_dict()
            day = a.as_of.to_dict()
        counts = summary(frame)
        return _jsonable({"as_of": day, "overall": overall, "series": _records(frame),
                          "n_series": len(frame), "n_stale": counts["stale"],
                          "states": counts})

    @app.get("/api/indicators", summary="Indicator readings as of a day")
    def indicators(as_of: date | None = None,
                   category: str | None = None) -> dict[str, Any]:
        if category is not None and category not in CATEGORIES:
            raise ApiError(400, f"category={category!r}: use one of {', '.join(CATEGORIES)}")
        with service.store() as store:
            a = service.assessment(store, _asked(as_of))
            frame, combo = a.indicators, a.combination
            day = a.as_of.to_dict()
        if category is not None:
            frame = frame[frame["category"] == category]
            combo = combo[combo["category"] == category]
        return {"as_of": day, "indicators": _records(frame), "combination": _records(combo)}

    @app.get("/api/stress", summary="Composite stress index as of a day")
    def stress(as_of: date | None = None, method: str | None = None) -> Any:
        if method is not None and method not in METHODS:
            raise ApiError(400, f"method={method!r}: use one of {', '.join(METHODS)}")
        with service.store() as store:
            a = service.assessment(store, _asked(as_of))
            reading = a.composite if method is None else a.composite_method(method)
            return _jsonable({"as_of": a.as_of.to_dict(), **reading.to_dict()})

    @app.get("/api/analogs", summary="Crisis analogs as of a day")
    def analogs(as_of: date | None = None, include_current: bool = False) -> Any:
        """Past episodes ranked by similarity; the one under way only with include_current."""
        with service.store() as store:
            a = service.assessment(store, _asked(as_of))
            result = a.analogs_with(include_current)
            return {"as_of": _jsonable(a.as_of.to_dict()), "compared_day": _jsonable(
                result.date), "table": _records(result.table)}

    @app.get("/api/scenario", summary="Reserve projection under a preset scenario")
    def scenario(preset: str = "current-policy",
                 weeks: int = Query(52, ge=1, le=520),
                 as_of: date | None = None) -> Any:
        if preset not in PRESETS:
            raise ApiError(400, f"preset={preset!r}: use one of {', '.join(PRESETS)}")
        with service.store() as store:
            a = service.assessment(store, _asked(as_of))
            result = a.projection(preset, weeks)
            return _jsonable({"preset": preset, "weeks": weeks, "as_of": a.as_of.to_dict(),
                              "path": _records(result.path), "crossings": result.crossings})

    @app.get("/api/calendar", summary="Funding-pressure days, with the usual SOFR − IORB "
             "on each kind of day")
    def calendar(start: date | None = None, end: date | None = None, lang: str = "en",
                 every: bool = Query(False, alias="all")) -> Any:
        """Month-, quarter- and year-ends, tax dates, coupon settlements, GSE cash days and
        the year-end turn from ``start`` (default: today) to ``end`` (default: 45 days on),
        as ``liqwatch calendar`` lists them."""
        from liqwatch.indicators.pressure_days import pressure_days

        lo = start or date.today()
        hi = end or lo + timedelta(days=45)
        if hi < lo:
            raise ApiError(400, f"end {hi} is before start {lo}")
        with service.store() as store:
            rows = pressure_days(lo, hi, _lang(lang), every=every, store=store)
        return _jsonable({"start": lo, "end": hi, "days": rows})

    @app.get("/api/series/{series_id}", summary="Observations of a series, point in time")
    def series(series_id: str, start: date | None = None, end: date | None = None,
               as_of: date | None = None) -> Any:
        if start and end and start > end:
            raise ApiError(400, f"start {start} is after end {end}")
        with service.store() as store:
            if series_id not in store.known_ids():
                raise ApiError(404, f"no data for series {series_id!r} in the store")
            frame = store.read([series_id], start=start, end=end, as_of=as_of)
        return _jsonable({"series_id": series_id, "as_of": as_of, "start": start, "end": end,
                          "observations": _records(frame.drop(columns=["series_id"]))})

    return app


def _docs_page(spec: dict[str, Any]) -> str:
    """The OpenAPI description as one offline HTML page (no external assets)."""
    from html import escape

    parts = [f"<h1>{escape(spec['info']['title'])} API</h1>",
             f"<p>{escape(spec['info'].get('summary', ''))} Machine-readable: "
             "<a href='/openapi.json'>/openapi.json</a>.</p>"]
    for path, ops in spec.get("paths", {}).items():
        for method, op in ops.items():
            params = op.get("parameters", [])
            rows = "".join(
                f"<tr><td><code>{escape(p['name'])}</code></td><td>{escape(p['in'])}</td>"
                f"<td>{escape(_schema_type(p.get('schema', {})))}</td>"
                f"<td>{'yes' if p.get('required') else 'no'}</td></tr>" for p in params)
            table = ("<table><tr><th>parameter</th><th>in</th><th>type</th><th>required</th>"
                     f"</tr>{rows}</table>") if params else "<p>No parameters.</p>"
            link = f" <a href='{escape(path)}'>try</a>" if "{" not in path else ""
            parts.append(f"<section><h2><span class='m'>{escape(method.upper())}</span> "
                         f"<code>{escape(path)}</code>{link}</h2>"
                         f"<p>{escape(op.get('summary', ''))}</p>{table}</section>")
    style = ("body{font-family:system-ui,sans-serif;max-width:900px;margin:30px auto;"
             "color:#111827;padding:0 16px}section{border:1px solid #e5e7eb;border-radius:10px;"
             "padding:6px 18px;margin:14px 0}h2{font-size:16px}.m{background:#1f3b73;"
             "color:#fff;border-radius:4px;padding:2px 7px;font-size:12px}table{"
             "border-collapse:collapse;font-size:13px}td,th{border-bottom:1px solid #eee;"
             "padding:4px 10px;text-align:left}")
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>liqwatch API"
            f"</title><style>{style}</style></head><body>{''.join(parts)}</body></html>")


def _schema_type(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        return " | ".join(_schema_type(s) for s in schema["anyOf"])
    kind = str(schema.get("type", "any"))
    return f"{kind} ({schema['format']})" if "format" in schema else kind


_LOGIN_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>liqwatch — sign in</title><style>body{font-family:system-ui,sans-serif;background:#f6f7f9;
display:grid;place-items:center;height:100vh;margin:0}form{background:#fff;padding:28px;
border-radius:12px;border:1px solid #e5e7eb}input{font:inherit;padding:6px 10px;margin:0 8px}
</style></head><body><form method="post" action="/login"><b>liqwatch</b>
<label>Token <input type="password" name="token" autocomplete="current-password"></label>
<button type="submit">Sign in</button></form></body></html>"""


def serve(db_path: Path | str | StoreLocation, host: str = "127.0.0.1", port: int = 8000,
          token: str | None = None, lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
          lang: str = "en") -> None:
    """Run the dashboard with uvicorn (``lang``: the language of pages asked for without
    ``?lang=``).

    Raises
    ------
    ConfigError
        When ``host`` is not a loopback address and no ``token`` is given.
    """
    if not is_loopback(host) and not token:
        raise ConfigError(f"refusing to serve on {host}: binding to a non-loopback address "
                          "needs --token (clients then send Authorization: Bearer <token>)")
    import uvicorn

    app = create_app(db_path, token=token, prewarm=True, lock_timeout=lock_timeout, lang=lang)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
