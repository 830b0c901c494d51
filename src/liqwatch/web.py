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

Errors are JSON ``{"error": {"status": int, "message": str}}``, never a stack trace; a user
error is a 4xx. When a token is configured every request needs ``Authorization: Bearer
<token>`` (or the session cookie set by ``POST /login``; :mod:`liqwatch.web_auth`).

One request cannot take the server down: a day outside the store's range or after today is
refused (422) or clamped with a note, never computed; each expensive answer is computed once
per copy of the store and kept, one computation at a time, and a request waits for it at most
its time budget (503 with ``Retry-After`` beyond; :mod:`liqwatch.web_service`). Request bodies
are capped before they are read, a foreign ``Host`` is refused, and every response carries
the security headers (:mod:`liqwatch.web_guard`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from liqwatch.exceptions import (
    ConfigError,
    LiqwatchError,
    StoreError,
    StoreLockedError,
    UnknownSeriesError,
)
from liqwatch.hosts import is_loopback
from liqwatch.indicators.engine import HISTORY_START
from liqwatch.jsonsafe import jsonable as _jsonable
from liqwatch.redaction import register_secret
from liqwatch.scenarios import PRESETS
from liqwatch.store import DEFAULT_LOCK_TIMEOUT, Store, StoreLocation, parse_location
from liqwatch.stress import METHODS
from liqwatch.vocab import CATEGORIES
from liqwatch.web_auth import (
    SESSION_SECONDS,
    Sessions,
    Throttle,
    check_token,
    same_token,
)
from liqwatch.web_guard import (
    LOOPBACK_NAMES,
    AllowedHosts,
    BodyLimit,
    SecurityHeaders,
    host_name,
    page_csp,
)
from liqwatch.web_service import EARLIEST, ApiError, Service, StoreRange

__all__ = ["ApiError", "create_app", "is_loopback", "serve"]

log = logging.getLogger(__name__)

COOKIE = "liqwatch_session"
#: Largest request body of ``POST /login`` (the form holds one token).
LOGIN_BODY_LIMIT = 4096
#: Largest request body anywhere else (the API only reads query parameters).
BODY_LIMIT = 1024
#: Longest range ``/api/calendar`` lists at once, and how far ahead it looks (days).
CALENDAR_SPAN_DAYS = 731
CALENDAR_AHEAD_DAYS = 5 * 366


def default_hosts(bind: str = "127.0.0.1") -> list[str]:
    """Host names served by default: the loopback names, and ``bind`` itself."""
    names = list(LOOPBACK_NAMES)
    if bind not in ("0.0.0.0", "::", "") and host_name(bind) not in names:
        names.append(host_name(bind))
    return names


def _records(frame: Any) -> list[Any]:
    result: list[Any] = _jsonable(frame.to_dict("records"))
    return result


def _lang(lang: str) -> str:
    if lang not in ("en", "ja"):
        raise ApiError(400, f"lang={lang!r}: use en or ja")
    return lang


def _client(request: Request) -> str:
    return request.client.host if request.client else "?"


def create_app(
    db_path: Path | str | StoreLocation, *, token: str | None = None, prewarm: bool = False,
    check_every: float = 2.0, lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    allowed_hosts: Sequence[str] | None = None, budget: float = 30.0, queue: int = 4,
    secure_cookie: bool = False, lang: str = "en",
) -> FastAPI:
    """Build the dashboard and JSON API over the store at ``db_path`` (a DuckDB file or a
    PostgreSQL URL), read-only.

    ``lang`` is the language of pages asked for without ``?lang=``; ``prewarm`` renders the
    latest dashboard in it in the background at start-up, so the first visitor does not wait
    for it. The server answers from an in-memory copy of the store, checked for changes every
    ``check_every`` seconds; loading it waits up to ``lock_timeout`` seconds for a DuckDB
    file a writer holds. ``allowed_hosts`` are the ``Host`` names served (default: the
    loopback names); a computation a request waits for longer than ``budget`` seconds, or
    beyond ``queue`` waiting ones, is answered 503. ``secure_cookie`` marks the session
    cookie ``Secure`` even when the request does not arrive over HTTPS (as the server sees
    it).

    Raises
    ------
    ConfigError
        When ``token`` is shorter than 16 characters.
    """
    token = check_token(token)
    register_secret(token)
    default_lang = _lang(lang)
    sessions, throttle = Sessions(), Throttle()

    def warm_answers(store: Store) -> None:
        """The answers most requests ask for, computed before a copy is served."""
        today = datetime.now(UTC).date()
        service.answers.put((store.cache_key, "status", today, None),
                            status_answer(store, today, None))
        service.answers.put((store.cache_key, "indicators", None, None),
                            indicators_answer(store, None, None))

    service = Service(parse_location(db_path), check_every=check_every,
                      lock_timeout=lock_timeout, budget=budget, queue=queue,
                      warm=warm_answers)

    def status_answer(store: Store, today: date, asked: date | None) -> dict[str, Any]:
        from liqwatch.status import series_status, summary

        frame = series_status(store, today)
        a = service.assessment(store, asked)
        counts = summary(frame)  # live, stale and discontinued apart
        return cast(dict[str, Any], _jsonable(
            {"as_of": a.as_of.to_dict(), "overall": a.overall.to_dict(),
             "series": _records(frame), "n_series": len(frame),
             "n_stale": counts["stale"], "states": counts}))

    def indicators_answer(store: Store, asked: date | None,
                          category: str | None) -> dict[str, Any]:
        a = service.assessment(store, asked)
        frame, combo = a.indicators, a.combination
        if category is not None:
            frame = frame[frame["category"] == category]
            combo = combo[combo["category"] == category]
        return {"as_of": a.as_of.to_dict(), "indicators": _records(frame),
                "combination": _records(combo)}

    def dashboard_build(as_of: date | None, lang: str) -> Callable[[Store], tuple[str, str]]:
        from liqwatch.report import build_report

        def build(store: Store) -> tuple[str, str]:
            a = service.assessment(store, as_of)
            first = service.range_of(store).first
            query = f"?lang={lang}" + (f"&as_of={as_of.isoformat()}" if as_of else "")
            settings = {
                "base": "/", "plotly_src": "/static/plotly.min.js",
                "report_url": "/api/report" + query, "docs_url": "/docs",
                "min_date": max(first or EARLIEST, HISTORY_START).isoformat(),
                "max_date": datetime.now(UTC).date().isoformat(),
            }
            html = build_report(store, lang=lang, dashboard=settings, assessment=a)
            return html, page_csp(html)

        return build

    def _prewarm() -> None:
        try:
            with service.store() as store:
                html = dashboard_build(None, default_lang)(store)
                service.pages.put((store.cache_key, "dash", None, default_lang), html)
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

    def _throttled(request: Request) -> Response | None:
        wait = throttle.wait(_client(request))
        if not wait:
            return None
        return JSONResponse({"error": {"status": 429, "message": "too many wrong tokens from "
                                       f"this address; retry in {wait} s"}},
                            status_code=429, headers={"Retry-After": str(wait)})

    @app.middleware("http")
    async def _auth(request: Request,
                    call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        if token is None or request.url.path in ("/login", "/healthz"):
            return await call_next(request)
        if sessions.valid(request.cookies.get(COOKIE, "")):
            return await call_next(request)
        given = request.headers.get("authorization", "")
        bearer = given[7:] if given.lower().startswith("bearer ") else ""
        if bearer:
            refused = _throttled(request)
            if refused is not None:
                return refused
            if same_token(bearer, token):
                return await call_next(request)
            throttle.failed(_client(request))
        if request.url.path.startswith("/api") or "text/html" not in request.headers.get(
                "accept", ""):
            return JSONResponse({"error": {"status": 401, "message": "missing or wrong bearer "
                                           "token (Authorization: Bearer <token>)"}},
                                status_code=401, headers={"WWW-Authenticate": "Bearer"})
        return _login_page(401)

    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, default=BODY_LIMIT, limits={"/login": LOGIN_BODY_LIMIT})
    app.add_middleware(AllowedHosts, hosts=list(allowed_hosts or default_hosts()))

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse({"error": {"status": exc.status, "message": exc.message}},
                            status_code=exc.status, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "path"))
            hint = " (use YYYY-MM-DD)" if "date" in str(err.get("msg", "")) else ""
            problems.append(f"{where}: {err.get('msg', 'invalid')}{hint}")
        return JSONResponse({"error": {"status": 422, "message": "; ".join(problems)[:2000],
                                       "details": _jsonable(
                                           [{"loc": e.get("loc"), "msg": e.get("msg")}
                                            for e in exc.errors()][:20])}}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = str(exc.detail)
        if exc.status_code in (404, 405) and message in ("Not Found", "Method Not Allowed"):
            message = (f"{message}: {request.method} {request.url.path[:200]} "
                       "(the endpoints are listed at /docs)")
        return JSONResponse({"error": {"status": exc.status_code, "message": message}},
                            status_code=exc.status_code)

    @app.exception_handler(LiqwatchError)
    async def _liqwatch(_request: Request, exc: LiqwatchError) -> JSONResponse:
        status = 404 if isinstance(exc, UnknownSeriesError) else 400 if isinstance(
            exc, ConfigError) else 503 if isinstance(exc, StoreLockedError) else 500
        return JSONResponse({"error": {"status": status, "message": str(exc)}},
                            status_code=status)

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.error("unhandled error: %s", exc, exc_info=True)
        return JSONResponse({"error": {"status": 500, "message": "internal error; see the "
                                       "server log"}}, status_code=500)

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs() -> HTMLResponse:
        html = _docs_page(app.openapi())
        return HTMLResponse(html, headers={"Content-Security-Policy": page_csp(html)})

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, Any]:
        return {"status": "ok", "pages_cached": service.cached_pages(),
                "computations": service.lane.completed}

    @app.post("/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        from urllib.parse import parse_qs

        refused = _throttled(request)
        if refused is not None:
            return refused
        form = parse_qs((await request.body()).decode("utf-8", "replace"))
        token_field = (form.get("token") or [""])[0]
        if token is None or not same_token(token_field, token):
            throttle.failed(_client(request))
            return _login_page(401)
        resp = RedirectResponse("/", status_code=303)
        resp.set_cookie(COOKIE, sessions.open(), max_age=SESSION_SECONDS, httponly=True,
                        samesite="strict", path="/",
                        secure=secure_cookie or request.url.scheme == "https")
        return resp

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_bundle() -> Response:
        from liqwatch.report.charts import plotly_js

        return Response(plotly_js(), media_type="application/javascript",
                        headers={"Cache-Control": "public, max-age=86400"})

    def _page(found: tuple[str, str]) -> HTMLResponse:
        html, csp = found
        return HTMLResponse(html, headers={"Content-Security-Policy": csp})

    async def _day(as_of: date | None, name: str = "as_of") -> date | None:
        StoreRange(None, None).asked(name, as_of)  # refused before the store is looked at
        return (await service.range()).asked(name, as_of)

    async def _page_day(as_of: date | None) -> date | None:
        """A day for a page: also not before the indicator history the charts draw."""
        if as_of is not None and as_of < HISTORY_START:
            StoreRange(None, None).asked("as_of", as_of)
            raise ApiError(422, f"as_of={as_of}: the report's charts start on {HISTORY_START} "
                                "(the indicator history); the JSON API answers for earlier "
                                "days")
        return await _day(as_of)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def dashboard(as_of: date | None = None, lang: str | None = None) -> HTMLResponse:
        lang, asked = _lang(lang or default_lang), await _page_day(as_of)
        return _page(await service.computed(("dash", asked, lang), dashboard_build(asked, lang),
                                            service.pages))

    @app.get("/api/report", response_class=HTMLResponse,
             summary="The self-contained HTML report")
    async def report(as_of: date | None = None, lang: str | None = None) -> HTMLResponse:
        from liqwatch.report import build_report

        lang, asked = _lang(lang or default_lang), await _page_day(as_of)

        def build(store: Store) -> tuple[str, str]:
            html = build_report(store, lang=lang, assessment=service.assessment(store, asked))
            return html, page_csp(html)

        return _page(await service.computed(("report", asked, lang), build, service.pages))

    @app.get("/api/status", summary="Overall status, and the latest value and staleness of "
             "every stored series")
    async def status(today: date | None = None, as_of: date | None = None) -> Any:
        """Every stored series with its staleness on ``today``, and the overall status of the
        day ``as_of`` resolves to (default: the latest day the core series are current)."""
        day = await _day(today, "today") or datetime.now(UTC).date()
        asked = await _day(as_of)
        return await service.computed(("status", day, asked),
                                      lambda store: status_answer(store, day, asked))

    @app.get("/api/indicators", summary="Indicator readings as of a day")
    async def indicators(as_of: date | None = None,
                         category: str | None = None) -> dict[str, Any]:
        if category is not None and category not in CATEGORIES:
            raise ApiError(400, f"category={category!r}: use one of {', '.join(CATEGORIES)}")
        asked = await _day(as_of)
        return await service.computed(("indicators", asked, category),
                                      lambda store: indicators_answer(store, asked, category))

    @app.get("/api/stress", summary="Composite stress index as of a day")
    async def stress(as_of: date | None = None, method: str | None = None) -> Any:
        if method is not None and method not in METHODS:
            raise ApiError(400, f"method={method!r}: use one of {', '.join(METHODS)}")
        asked = await _day(as_of)

        def build(store: Store) -> Any:
            a = service.assessment(store, asked)
            reading = a.composite if method is None else a.composite_method(method)
            return _jsonable({"as_of": a.as_of.to_dict(), **reading.to_dict()})

        return await service.computed(("stress", asked, method), build)

    @app.get("/api/analogs", summary="Crisis analogs as of a day")
    async def analogs(as_of: date | None = None, include_current: bool = False) -> Any:
        """Past episodes ranked by similarity; the one under way only with include_current."""
        asked = await _day(as_of)

        def build(store: Store) -> Any:
            a = service.assessment(store, asked)
            result = a.analogs_with(include_current)
            return {"as_of": _jsonable(a.as_of.to_dict()), "compared_day": _jsonable(
                result.date), "table": _records(result.table)}

        return await service.computed(("analogs", asked, include_current), build)

    @app.get("/api/scenario", summary="Reserve projection under a preset scenario")
    async def scenario(preset: str = "current-policy",
                       weeks: int = Query(52, ge=1, le=520),
                       as_of: date | None = None) -> Any:
        if preset not in PRESETS:
            raise ApiError(400, f"preset={preset!r}: use one of {', '.join(PRESETS)}")
        asked = await _day(as_of)

        def build(store: Store) -> Any:
            a = service.assessment(store, asked)
            try:
                result = a.projection(preset, weeks)
            except StoreError as exc:
                if isinstance(exc, StoreLockedError):
                    raise
                raise ApiError(422, f"as_of={a.day}: no projection: {exc}") from None
            return _jsonable({"preset": preset, "weeks": weeks, "as_of": a.as_of.to_dict(),
                              "path": _records(result.path), "crossings": result.crossings})

        return await service.computed(("scenario", asked, preset, weeks), build)

    @app.get("/api/calendar", summary="Funding-pressure days, with the usual SOFR − IORB "
             "on each kind of day")
    async def calendar(start: date | None = None, end: date | None = None, lang: str = "en",
                       every: bool = Query(False, alias="all")) -> Any:
        """Month-, quarter- and year-ends, tax dates, coupon settlements, GSE cash days and
        the year-end turn from ``start`` (default: today) to ``end`` (default: 45 days on),
        as ``liqwatch calendar`` lists them; at most two years, from 1950 to five years
        ahead."""
        from liqwatch.indicators.pressure_days import pressure_days

        lang = _lang(lang)
        lo = start or datetime.now(UTC).date()
        hi = end or lo + timedelta(days=45)
        if hi < lo:
            raise ApiError(400, f"end {hi} is before start {lo}")
        latest = datetime.now(UTC).date() + timedelta(days=CALENDAR_AHEAD_DAYS)
        for name, day in (("start", lo), ("end", hi)):
            if not EARLIEST <= day <= latest:
                raise ApiError(422, f"{name}={day}: the calendar covers {EARLIEST} to {latest}")
        if (hi - lo).days > CALENDAR_SPAN_DAYS:
            raise ApiError(422, f"start={lo}, end={hi}: at most {CALENDAR_SPAN_DAYS} days at "
                                "once")

        def build(store: Store) -> Any:
            rows = pressure_days(lo, hi, lang, every=every, store=store)
            return _jsonable({"start": lo, "end": hi, "days": rows})

        return await service.computed(("calendar", lo, hi, lang, every), build)

    @app.get("/api/series/{series_id}", summary="Observations of a series, point in time")
    def series(series_id: str, start: date | None = None, end: date | None = None,
               as_of: date | None = None) -> Any:
        """Observations from ``start`` to ``end`` (clamped to the store's range, with a note)
        as published on ``as_of``."""
        if start and end and start > end:
            raise ApiError(400, f"start {start} is after end {end}")
        notes: list[str] = []
        with service.store() as store:
            bounds = service.range_of(store)
            bounds.asked("as_of", as_of)
            start = bounds.clamped("start", start, notes)
            end = bounds.clamped("end", end, notes)
            if series_id not in store.known_ids():
                raise ApiError(404, f"no data for series {series_id!r} in the store")
            frame = store.read([series_id], start=start, end=end, as_of=as_of)
        body = {"series_id": series_id, "as_of": as_of, "start": start, "end": end,
                "observations": _records(frame.drop(columns=["series_id"]))}
        return _jsonable({**body, "notes": notes} if notes else body)

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


def _login_page(status: int) -> HTMLResponse:
    return HTMLResponse(_LOGIN_PAGE, status_code=status,
                        headers={"Content-Security-Policy": page_csp(_LOGIN_PAGE)})


def check_tls(cert: Path | None, key: Path | None) -> None:
    """Refuse a certificate without its key (or the reverse) and paths that are not files."""
    if (cert is None) != (key is None):
        raise ConfigError("--tls-cert and --tls-key go together")
    for name, path in (("--tls-cert", cert), ("--tls-key", key)):
        if path is not None and not path.is_file():
            raise ConfigError(f"{name} {path}: not a file")


def serve(db_path: Path | str | StoreLocation, host: str = "127.0.0.1", port: int = 8000,
          token: str | None = None, lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
          allowed_hosts: Sequence[str] = (), secure_cookie: bool = False,
          tls_cert: Path | None = None, tls_key: Path | None = None,
          lang: str = "en") -> None:
    """Run the dashboard with uvicorn (``lang``: the language of pages asked for without
    ``?lang=``).

    ``allowed_hosts`` are added to the ``Host`` names served (the loopback names and
    ``host``). Headers must arrive within :data:`liqwatch.web_http.HEADER_SECONDS`, and an
    idle kept-alive connection is closed after 5 s. With ``tls_cert`` and ``tls_key`` (PEM
    files) the server speaks HTTPS itself (a reverse proxy in front is the usual set-up:
    docs/deploy.md).

    Raises
    ------
    ConfigError
        When ``host`` is not a loopback address and no ``token`` is given, or the token is
        shorter than 16 characters.
    """
    if not is_loopback(host) and not token:
        raise ConfigError(f"refusing to serve on {host}: binding to a non-loopback address "
                          "needs --token (clients then send Authorization: Bearer <token>)")
    check_tls(tls_cert, tls_key)
    import uvicorn

    from liqwatch.web_http import GuardedH11Protocol

    app = create_app(db_path, token=token, prewarm=True, lock_timeout=lock_timeout,
                     allowed_hosts=[*default_hosts(host), *allowed_hosts],
                     secure_cookie=secure_cookie, lang=lang)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False,
                http=GuardedH11Protocol, timeout_keep_alive=5,
                ssl_certfile=str(tls_cert) if tls_cert else None,
                ssl_keyfile=str(tls_key) if tls_key else None)
