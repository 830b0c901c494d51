"""The request pipeline every source client shares.

A client turns typed parameters into a request, performs it, and parses the payload into typed
records::

    build request ──► perform (rate limiter, timeout, retries with backoff) ──► parse ──► records

Performing a request:

* waits for the source's rate limiter (one minimum interval between requests per source);
* retries on HTTP 429, 5xx, timeouts and connection failures with exponential backoff and
  jitter (``tenacity``), honouring ``Retry-After``;
* maps failures onto the typed errors of :mod:`liqwatch.exceptions` (auth, not found, rate
  limited, schema changed, transport);
* redacts API keys (``api_key=...`` and every secret the client holds) from every log line,
  error message and ``repr`` (:mod:`liqwatch.redaction`).
"""

from __future__ import annotations

import email.utils
import json
import logging
import math
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, ClassVar

import httpx
import pandas as pd
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
)

from liqwatch.exceptions import (
    AuthError,
    HTTPStatusError,
    NotFoundError,
    RateLimitedError,
    RefusedError,
    SchemaError,
    SourceError,
    TransportError,
)
from liqwatch.redaction import redact, register_secret

__all__ = [
    "MAX_PAGES",
    "MISSING",
    "RateLimiter",
    "RetryPolicy",
    "SeriesData",
    "Source",
    "SourceSettings",
    "redact",
    "register_secret",
    "to_float",
]

log = logging.getLogger("liqwatch.sources")

#: Most pages one paged request sequence may take; a source that keeps paging past it (a
#: repeated page, a count it never reaches) is a :class:`SchemaError`, not an endless loop.
MAX_PAGES = 1000

#: Markers the sources use for a missing value.
MISSING = frozenset({".", "", "null", "NULL", "NA", "N/A", "nan", "NaN", "None"})


def to_float(value: Any) -> float:
    """Parse a source value; every missing-value marker becomes NaN."""
    if value is None:
        return math.nan
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, (int, float)):
        try:
            return float(value)
        except OverflowError:  # an integer beyond a double: as "1e309" reads
            return math.inf if value > 0 else -math.inf
    text = str(value).strip()
    if text in MISSING:
        return math.nan
    return float(text.replace(",", ""))


def parse_day(value: Any) -> date:
    """Parse a ``YYYY-MM-DD`` (or ``M/D/YYYY``) date."""
    text = str(value).strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return datetime.strptime(text, "%m/%d/%Y").date()


@dataclass(frozen=True)
class RetryPolicy:
    """Retries of one request.

    Parameters
    ----------
    attempts
        Total tries (first one included).
    initial, maximum
        Exponential backoff: ``initial * 2**(n-1)`` seconds, capped at ``maximum``.
    jitter
        Up to this many seconds of random jitter added to each wait.
    retry_after_cap
        Longest ``Retry-After`` honoured, in seconds (longer values fail the request).
    """

    attempts: int = 4
    initial: float = 1.0
    maximum: float = 30.0
    jitter: float = 1.0
    retry_after_cap: float = 120.0


class RateLimiter:
    """At most one request per ``interval`` seconds (thread-safe).

    ``waited`` accumulates the seconds spent sleeping, for benchmarks and logs.
    """

    def __init__(self, interval: float) -> None:
        self.interval = max(0.0, interval)
        self._next = 0.0
        self._lock = threading.Lock()
        self.waited = 0.0

    def acquire(self) -> None:
        """Block until the next request may go out."""
        with self._lock:
            now = time.monotonic()
            wait = self._next - now
            if wait > 0:
                time.sleep(wait)
                self.waited += wait
                now = time.monotonic()
            self._next = now + self.interval

    def __repr__(self) -> str:
        return f"RateLimiter(interval={self.interval})"


@dataclass(frozen=True)
class SourceSettings:
    """Connection settings of one source (URLs, pacing, retries); never holds a secret."""

    base_url: str
    min_interval: float = 1.0
    timeout: float = 30.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    extra_urls: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SeriesData:
    """What a client returns for one catalog series.

    Attributes
    ----------
    series_id
        The catalog id.
    frame
        Columns ``date`` (datetime64), ``value`` (float, no NaN) and, when ``vintages``, the
        source's ``realtime_start``.
    vintages
        True when ``realtime_start`` holds the source's own vintages (ALFRED).
    flags
        ``(date, flag)`` pairs the source attached (the NY Fed's revision indicator).
    meta
        Source metadata worth keeping (units, last_updated, ...).
    """

    series_id: str
    frame: pd.DataFrame
    vintages: bool = False
    flags: tuple[tuple[date, str], ...] = ()
    meta: Mapping[str, Any] = field(default_factory=dict)

    @property
    def last_date(self) -> date | None:
        """Latest observation date returned, or None when nothing came back."""
        if self.frame.empty:
            return None
        last: date = pd.Timestamp(self.frame["date"].max()).date()
        return last


def frame_from(
    dates: Sequence[date] | pd.Series,
    values: Sequence[float] | pd.Series,
    realtime_start: Sequence[date] | pd.Series | None = None,
) -> pd.DataFrame:
    """Build a :attr:`SeriesData.frame`: NaN values dropped, sorted, one row per key."""
    data: dict[str, Any] = {
        "date": pd.to_datetime(pd.Series(list(dates), dtype="object")),
        "value": pd.Series(list(values), dtype="float64"),
    }
    keys = ["date"]
    if realtime_start is not None:
        data["realtime_start"] = pd.to_datetime(pd.Series(list(realtime_start), dtype="object"))
        keys.append("realtime_start")
    frame = pd.DataFrame(data)
    frame = frame[frame["value"].notna()]
    frame = frame.drop_duplicates(subset=keys, keep="last").sort_values(keys)
    return frame.reset_index(drop=True)


class _RetryableError(Exception):
    """Internal: a failure worth retrying, carrying the typed error to raise at the end."""

    def __init__(self, error: SourceError, retry_after: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after


def _name_not_resolved(exc: BaseException) -> bool:
    """Whether a transport error comes from a failed host-name lookup (``socket.gaierror``)."""
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            return False
        if isinstance(seen, socket.gaierror):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _retry_after(response: httpx.Response) -> float | None:
    raw = response.headers.get("Retry-After")
    if not raw:
        return None
    raw = raw.strip()
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class Source:
    """Base class of the source clients.

    Parameters
    ----------
    client
        An injected :class:`httpx.Client` (the caller owns and closes it).
    settings
        URLs, pacing and retry policy of this source.
    limiter
        Share one limiter between clients of the same source; default: a new one.
    sleep
        Function used to wait between retries (tests may pass a recorder).
    """

    #: Short name used in errors, logs, ``fetch_log`` and ``--source``.
    name: ClassVar[str] = "source"
    #: Whether requests carry an API key (a 401/403 then means the key was refused).
    keyed: ClassVar[bool] = False

    def __init__(
        self,
        client: httpx.Client,
        settings: SourceSettings,
        *,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = client
        self.settings = settings
        self.limiter = limiter or RateLimiter(settings.min_interval)
        self._sleep = sleep
        self.requests = 0
        self.http_seconds = 0.0

    def __repr__(self) -> str:
        return redact(f"{type(self).__name__}(base_url={self.settings.base_url!r})")

    # ------------------------------------------------------------------ interface
    def group_key(self, source_id: str) -> str:
        """Series whose ``source_id`` share a key are fetched by one request sequence."""
        return source_id

    def fetch(
        self, items: Sequence[tuple[str, str]], start: date | None, *, realtime_from: date | None
    ) -> list[SeriesData]:
        """Fetch one group of ``(series_id, source_id)`` pairs from ``start`` on."""
        raise NotImplementedError

    # ------------------------------------------------------------------ helpers for clients
    def url(self, path: str, base: str | None = None) -> str:
        """Join ``path`` onto the base URL."""
        root = (base or self.settings.base_url).rstrip("/")
        return f"{root}/{path.lstrip('/')}" if path else root

    def error(self, cls: type[SourceError], message: str, series_id: str | None,
              **kw: Any) -> SourceError:
        """Build a typed error with a redacted message."""
        return cls(redact(message), source=self.name, series_id=series_id, **kw)

    def schema_error(self, series_id: str | None, problem: str) -> SchemaError:
        """A payload does not have the documented shape."""
        err = self.error(SchemaError, f"unexpected payload: {problem}", series_id)
        assert isinstance(err, SchemaError)
        return err

    def classify(self, response: httpx.Response, series_id: str | None) -> SourceError | None:
        """Source-specific mapping of an error response (hook; None = default mapping)."""
        return None

    def get(
        self,
        url: str,
        params: Mapping[str, Any] | Sequence[tuple[str, Any]] | None = None,
        *,
        series_id: str | None = None,
    ) -> httpx.Response:
        """GET with rate limiting, timeout, retries and typed errors; returns a 2xx response."""
        policy = self.settings.retry

        def wait(state: RetryCallState) -> float:
            exc = state.outcome.exception() if state.outcome else None
            if isinstance(exc, _RetryableError) and exc.retry_after is not None:
                return exc.retry_after
            n = state.attempt_number
            backoff = min(policy.maximum, policy.initial * 2 ** (n - 1))
            jitter = policy.jitter * _uniform()
            return float(min(policy.maximum, backoff) + jitter)

        def before_sleep(state: RetryCallState) -> None:
            exc = state.outcome.exception() if state.outcome else None
            delay = state.upcoming_sleep
            log.warning("%s: %s; retry %d in %.2fs", self.name, exc, state.attempt_number, delay)

        retrying = Retrying(
            stop=stop_after_attempt(max(1, policy.attempts)),
            wait=wait,
            retry=retry_if_exception(lambda e: isinstance(e, _RetryableError)),
            before_sleep=before_sleep,
            sleep=self._sleep,
            reraise=True,
        )
        try:
            response: httpx.Response = retrying(self._once, url, params, series_id)
        except _RetryableError as exc:
            raise exc.error from None
        return response

    def _once(
        self,
        url: str,
        params: Mapping[str, Any] | Sequence[tuple[str, Any]] | None,
        series_id: str | None,
    ) -> httpx.Response:
        self.limiter.acquire()
        self.requests += 1
        t0 = time.perf_counter()
        try:
            query: Any = params
            response = self.client.get(url, params=query, timeout=self.settings.timeout)
            response.read()
        except httpx.TimeoutException as exc:
            err = self.error(TransportError, f"timed out: {type(exc).__name__}", series_id)
            raise _RetryableError(err) from None
        except httpx.TransportError as exc:
            if _name_not_resolved(exc):
                # No DNS answer: offline or a wrong host; retrying only makes the user wait.
                raise self.error(TransportError, f"connection failed: {exc} (host "
                                 f"{httpx.URL(url).host!r} could not be resolved)",
                                 series_id) from None
            err = self.error(TransportError, f"connection failed: {exc}", series_id)
            raise _RetryableError(err) from None
        finally:
            self.http_seconds += time.perf_counter() - t0
        log.info("%s GET %s -> %d", self.name, redact(str(response.url)), response.status_code)
        status = response.status_code
        if 200 <= status < 300:
            return response
        custom = self.classify(response, series_id)
        if custom is not None:
            raise custom
        detail = _error_detail(response)
        if status == 429:
            rl = self.error(RateLimitedError, f"rate limited{detail}", series_id,
                            status_code=status)
            after = _retry_after(response)
            if after is not None and after > self.settings.retry.retry_after_cap:
                raise rl
            raise _RetryableError(rl, after)
        if status >= 500:
            err = self.error(HTTPStatusError, f"server error{detail}", series_id,
                             status_code=status)
            raise _RetryableError(err, _retry_after(response))
        if status in (401, 403):
            if self.keyed:
                raise self.error(AuthError, f"not authorised (check the API key){detail}",
                                 series_id, status_code=status)
            raise self.error(RefusedError, "refused by the server (a network or rate block; "
                             f"this source needs no key){detail}", series_id,
                             status_code=status)
        if status == 404:
            raise self.error(NotFoundError, f"not found{detail}", series_id, status_code=status)
        raise self.error(HTTPStatusError, f"unexpected status{detail}", series_id,
                         status_code=status)

    def json(self, response: httpx.Response, series_id: str | None) -> Any:
        """Decode a JSON body; an HTML page or a truncated body is a :class:`SchemaError`."""
        text = response.text
        head = text.lstrip()[:200].lower()
        if head.startswith("<!doctype html") or head.startswith("<html"):
            raise self.schema_error(series_id, "got an HTML page instead of JSON "
                                    f"(HTTP {response.status_code})")
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise self.schema_error(
                series_id, f"body is not valid JSON ({exc.msg} at char {exc.pos} of "
                f"{len(text)}; truncated?)") from None
        except RecursionError:
            raise self.schema_error(series_id, "body is JSON nested too deeply to read") \
                from None

    def count(self, value: Any, series_id: str | None, what: str) -> int:
        """A whole non-negative number the payload gives (a row count, a page total)."""
        try:
            number = to_float(value)
        except (TypeError, ValueError):
            number = math.nan
        if not math.isfinite(number) or number < 0:
            raise self.schema_error(series_id, f"{what} {str(value)[:40]!r} is not a count")
        return int(number)

    def next_page(self, pages: int, series_id: str | None, what: str) -> int:
        """``pages + 1``, or a :class:`SchemaError` past :data:`MAX_PAGES`."""
        if pages >= MAX_PAGES:
            raise self.schema_error(series_id, f"{what} is still paging after {MAX_PAGES} "
                                    "pages (a repeated page or a count never reached)")
        return pages + 1

    def csv_text(self, response: httpx.Response, series_id: str | None) -> str:
        """Return a CSV body; an HTML page instead is a :class:`SchemaError`."""
        text = response.text
        head = text.lstrip()[:200].lower()
        if head.startswith("<!doctype html") or head.startswith("<html") or head.startswith("{"):
            raise self.schema_error(series_id, "expected CSV, got another document "
                                    f"(HTTP {response.status_code})")
        return text

    def require(self, record: Mapping[str, Any], fields: Iterable[str],
                series_id: str | None, where: str) -> None:
        """Raise a :class:`SchemaError` naming the first field ``record`` lacks."""
        for name in fields:
            if name not in record:
                present = ", ".join(sorted(record)[:12])
                raise self.schema_error(
                    series_id, f"field {name!r} missing from {where} (fields present: {present})"
                )


def _uniform() -> float:
    import random

    return random.random()


def _error_detail(response: httpx.Response) -> str:
    """A short, redacted excerpt of an error body (JSON message fields when present)."""
    text = response.text.strip()
    if not text:
        return ""
    try:
        body = json.loads(text)
    except json.JSONDecodeError:
        body = None
    if isinstance(body, dict):
        for key in ("error_message", "message", "error", "detail"):
            val = body.get(key)
            if isinstance(val, str) and val:
                return ": " + redact(val[:300])
            if isinstance(val, dict) and isinstance(val.get("message"), str):
                return ": " + redact(str(val["message"])[:300])
    if text.lower().startswith(("<!doctype", "<html")):
        return " (HTML error page)"
    return ": " + redact(text[:200])


def dated_chunks(start: date, end: date, days: int) -> list[tuple[date, date]]:
    """Split ``[start, end]`` into consecutive windows of at most ``days`` days."""
    from datetime import timedelta

    out: list[tuple[date, date]] = []
    cur = start
    while cur <= end:
        stop = min(end, cur + timedelta(days=days - 1))
        out.append((cur, stop))
        cur = stop + timedelta(days=1)
    return out
