"""Whether live data will work from this network: one request per source, nothing stored.

Each source is asked for its first catalog series over the last two weeks, through the same
client and parser as ``liqwatch update``, with a single try and a short timeout; the answer is
classified as reachable, refused, rate limited, schema changed, server error, not found or
unreachable.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from liqwatch import catalog
from liqwatch.config import Settings
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
from liqwatch.sources import SOURCE_NAMES, RetryPolicy
from liqwatch.sources.base import Source, redact
from liqwatch.sources.clients import USER_AGENT, build_clients

__all__ = ["CHECK_WINDOW_DAYS", "SourceCheck", "check_sources"]

#: How far back the probe asks for observations.
CHECK_WINDOW_DAYS = 14
#: Seconds before a probe request times out.
CHECK_TIMEOUT = 15.0
_ONE_TRY = RetryPolicy(attempts=1, initial=0.0, maximum=0.0, jitter=0.0)


@dataclass(frozen=True)
class SourceCheck:
    """The answer of one source to one request.

    Attributes
    ----------
    source
        Source name.
    status
        ``reachable``, ``refused``, ``rate limited``, ``schema changed``, ``server error``,
        ``not found``, ``unreachable``, ``skipped`` or ``failed``.
    series_id
        The catalog series asked for.
    rows
        Observations parsed from the answer (reachable only).
    detail
        The error, the reason for skipping, or the URL host asked.
    seconds
        Time the request took.
    """

    source: str
    status: str
    series_id: str | None = None
    rows: int = 0
    detail: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when the source answered with data in the expected shape."""
        return self.status == "reachable"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record."""
        return {"source": self.source, "status": self.status, "series_id": self.series_id,
                "rows": self.rows, "detail": self.detail, "seconds": round(self.seconds, 3)}


def _classify(exc: SourceError) -> str:
    if isinstance(exc, AuthError | RefusedError):
        return "refused"
    if isinstance(exc, RateLimitedError):
        return "rate limited"
    if isinstance(exc, SchemaError):
        return "schema changed"
    if isinstance(exc, NotFoundError):
        return "not found"
    if isinstance(exc, TransportError):
        return "unreachable"
    if isinstance(exc, HTTPStatusError) and exc.status_code >= 500:
        return "server error"
    return "failed"


def _probe(name: str, client: Source, today: date) -> SourceCheck:
    spec = next(s for s in catalog.catalog().values() if s.source == name)
    start = today - timedelta(days=CHECK_WINDOW_DAYS)
    t0 = time.perf_counter()
    try:
        data = client.fetch([(spec.id, spec.source_id)], start, realtime_from=start)
    except SourceError as exc:
        return SourceCheck(name, _classify(exc), spec.id, detail=redact(str(exc)),
                           seconds=time.perf_counter() - t0)
    rows = sum(len(d.frame) for d in data)
    host = httpx.URL(client.settings.base_url).host
    return SourceCheck(name, "reachable", spec.id, rows, detail=host,
                       seconds=time.perf_counter() - t0)


def check_sources(
    sources: Sequence[str] | None = None,
    *,
    settings: Settings,
    client: httpx.Client | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = CHECK_TIMEOUT,
    today: date | None = None,
) -> list[SourceCheck]:
    """Send one request to each source and say how it answered.

    Parameters
    ----------
    sources
        Source names (default: every fetchable source).
    settings
        API keys (FRED without a key is checked through ``fredgraph.csv``).
    client
        An :class:`httpx.Client` to use (the caller closes it); default: a new one.
    env
        Environment for base URLs (``LIQWATCH_<SOURCE>_URL``); default ``os.environ``.
    timeout
        Seconds before a request times out (one try, no retries).
    today
        The day the window ends (default: today, UTC).

    Returns
    -------
    list of SourceCheck
        One per source, in the order of :data:`~liqwatch.sources.SOURCE_NAMES`.
    """
    names = [n for n in SOURCE_NAMES if not sources or n in sources]
    day = today or datetime.now(UTC).date()
    own = client is None
    http = client or httpx.Client(headers={"User-Agent": USER_AGENT}, follow_redirects=True)
    try:
        notes: list[str] = []
        clients = build_clients(names, http, settings, notes, env=env, retry=_ONE_TRY,
                                timeout=timeout, min_interval=0.0)
        out: list[SourceCheck] = []
        for name in names:
            made = clients[name]
            if isinstance(made, str):
                out.append(SourceCheck(name, "skipped", detail=made))
            else:
                out.append(_probe(name, made, day))
        return out
    finally:
        if own:
            http.close()
