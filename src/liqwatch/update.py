"""Incremental update of the store from the official sources.

For each catalogued series the update fetches only what may have changed: observations from
its last known date minus a look-back window that catches revisions (45 days for daily series,
120 for weekly, 400 for monthly, 800 for quarterly), and for FRED/ALFRED the vintages published
since the last successful fetch. A series never fetched is loaded in full.

Sources are fetched concurrently (one worker per source, each with its own rate limiter);
every series is written in its own transaction together with its ``fetch_log`` row and its
``fetch_state``, so a failure or a killed process never leaves a half-written series, and a
failing series or source never blocks the others.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

import httpx
import pandas as pd

from liqwatch import catalog, validation
from liqwatch.catalog import Frequency, SeriesSpec
from liqwatch.config import Settings, load_settings
from liqwatch.exceptions import (
    AuthError,
    ConfigError,
    HTTPStatusError,
    RateLimitedError,
    RefusedError,
    SchemaError,
    SourceError,
    TransportError,
    UnknownSeriesError,
)
from liqwatch.sources import SOURCE_NAMES, RetryPolicy
from liqwatch.sources.base import SeriesData, Source, redact
from liqwatch.sources.clients import USER_AGENT, build_clients
from liqwatch.store import Store

__all__ = ["SeriesOutcome", "UpdateOptions", "UpdateProgress", "UpdateReport", "run_update"]

log = logging.getLogger("liqwatch.update")

#: Look-back (days before the last stored date) per frequency, to catch revisions.
LOOKBACK_DAYS = {
    Frequency.DAILY: 45, Frequency.WEEKLY: 120, Frequency.MONTHLY: 400,
    Frequency.QUARTERLY: 800,
}
#: Real-time look-back for ALFRED vintages before the last successful fetch.
REALTIME_LOOKBACK_DAYS = 7
#: After this many consecutive request sequences of a source fail with transport errors, 5xx
#: or 429 (each after its own retries), the rest of that source is reported failed untried.
SOURCE_DOWN_AFTER = 2


class UpdateProgress(Protocol):
    """Receives progress events (the CLI draws one Rich progress bar per source)."""

    def start(self, source: str, total: int) -> None:
        """``total`` series of ``source`` are about to be fetched."""

    def advance(self, source: str, series_id: str, ok: bool) -> None:
        """One series of ``source`` is done (stored or failed)."""


@dataclass(frozen=True)
class UpdateOptions:
    """Connection options of a run (tests and benchmarks shorten the waits).

    Parameters
    ----------
    env
        Environment used for base URLs and pacing (default: ``os.environ``).
    retry
        Retry policy of every request.
    timeout
        Seconds before a request times out.
    min_interval
        Override of every source's minimum interval between requests.
    today
        The day the run happens (staleness, Coinbase's partial candle), default today UTC.
    """

    env: Mapping[str, str] | None = None
    retry: RetryPolicy | None = None
    timeout: float | None = None
    min_interval: float | None = None
    today: date | None = None


@dataclass(frozen=True)
class SeriesOutcome:
    """What happened to one series in a run."""

    series_id: str
    source: str
    rows_new: int = 0
    rows_revised: int = 0
    last_date: date | None = None
    error: str | None = None
    error_type: str | None = None
    skipped: str | None = None
    stale: bool = False
    started_at: datetime | None = None
    finished_at: datetime | None = None
    rows_fetched: int | None = None

    @property
    def ok(self) -> bool:
        """True when the series was fetched and stored."""
        return self.error is None and self.skipped is None

    @property
    def empty(self) -> bool:
        """True when the source answered successfully but with no observation at all."""
        return self.ok and self.rows_fetched == 0

    @property
    def status(self) -> str:
        """``ok``, ``empty``, ``stale``, ``failed`` or ``skipped``."""
        if self.error is not None:
            return "failed"
        if self.skipped is not None:
            return "skipped"
        if self.empty:
            return "empty"
        return "stale" if self.stale else "ok"

    @property
    def warning(self) -> str | None:
        """Why a successful outcome deserves attention (no rows, a late source), or None."""
        if self.empty:
            return ("the source answered with no observations: a changed field name, a "
                    "discontinued series or a --since after its last date")
        if self.ok and self.stale:
            return "stale: the source has not published recently"
        return None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record."""
        return {
            "series_id": self.series_id, "source": self.source, "status": self.status,
            "rows_new": self.rows_new, "rows_revised": self.rows_revised,
            "rows_fetched": self.rows_fetched,
            "last_date": self.last_date.isoformat() if self.last_date else None,
            "error": self.error, "error_type": self.error_type, "skipped": self.skipped,
            "warning": self.warning,
        }


@dataclass
class UpdateReport:
    """Result of :func:`run_update`.

    Attributes
    ----------
    run_id
        Identifier written to ``fetch_log``.
    outcomes
        One :class:`SeriesOutcome` per selected series, in catalog order.
    notes
        Run-level messages (e.g. FRED without an API key), each said once.
    requests
        HTTP requests made, per source.
    timings
        Seconds spent: ``total``, ``http``, ``rate_limit_wait``, ``parse``, ``store``.
    """

    run_id: str
    started_at: datetime
    dry_run: bool = False
    outcomes: list[SeriesOutcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    requests: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    finished_at: datetime | None = None

    @property
    def failed(self) -> list[SeriesOutcome]:
        """Series that failed."""
        return [o for o in self.outcomes if o.error is not None]

    @property
    def succeeded(self) -> list[SeriesOutcome]:
        """Series fetched and stored."""
        return [o for o in self.outcomes if o.ok]

    @property
    def rows_new(self) -> int:
        """New observations over all series."""
        return sum(o.rows_new for o in self.outcomes)

    @property
    def rows_revised(self) -> int:
        """Revised observations over all series."""
        return sum(o.rows_revised for o in self.outcomes)

    @property
    def empty(self) -> list[SeriesOutcome]:
        """Series the source answered for with no observation at all."""
        return [o for o in self.outcomes if o.empty]

    @property
    def exit_code(self) -> int:
        """0 when every attempted series succeeded, 3 when some failed, 2 when all did."""
        return self.exit_status()

    def exit_status(self, strict: bool = False) -> int:
        """The exit code; with ``strict``, a series that came back empty counts as failed.

        Parameters
        ----------
        strict
            Count series whose successful fetch returned no observation as failures.

        Returns
        -------
        int
            0 when every attempted series succeeded, 3 when some failed, 2 when all did.
        """
        attempted = [o for o in self.outcomes if o.skipped is None]
        failed = [o for o in attempted if o.error is not None or (strict and o.empty)]
        if not failed:
            return 0
        return 2 if len(failed) == len(attempted) else 3

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary."""
        return {
            "run_id": self.run_id, "dry_run": self.dry_run,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "exit_code": self.exit_code, "rows_new": self.rows_new,
            "rows_revised": self.rows_revised, "failed": len(self.failed),
            "requests": dict(self.requests), "notes": list(self.notes),
            "series": [o.to_dict() for o in self.outcomes],
        }

    def summary(self) -> str:
        """One line per run: counts and failures."""
        text = (f"{len(self.succeeded)} series updated ({self.rows_new:,} new rows, "
                f"{self.rows_revised:,} revised), {len(self.failed)} failed")
        if self.empty:
            text += (f"; {len(self.empty)} answered with no rows "
                     f"({', '.join(o.series_id for o in self.empty)})")
        return text + (" [dry run: nothing written]" if self.dry_run else "")


# ---------------------------------------------------------------------------------- planning
@dataclass(frozen=True)
class _Plan:
    spec: SeriesSpec
    start: date | None
    realtime_from: date | None


@dataclass
class _GroupResult:
    source: str
    items: list[tuple[str, str]]
    data: list[SeriesData] | None
    error: Exception | None
    started_at: datetime
    finished_at: datetime
    parse_seconds: float


def select_series(sources: Sequence[str] | None, series: Sequence[str] | None) -> list[SeriesSpec]:
    """Catalog entries the run covers (``user`` series are never fetched)."""
    if sources:
        unknown = [s for s in sources if s not in SOURCE_NAMES]
        if unknown:
            raise ConfigError(f"unknown source {', '.join(unknown)}; choose from "
                              f"{', '.join(SOURCE_NAMES)}")
    cat = catalog.catalog()
    if series:
        missing = [s for s in series if s not in cat]
        if missing:
            raise UnknownSeriesError(f"series {', '.join(missing)} not in the catalog "
                                     "(see `liqwatch catalog`)")
        local = [s for s in series if cat[s].source not in SOURCE_NAMES]
        if local:
            raise ConfigError(f"series {', '.join(local)} have no online source (source "
                              f"'user'); load them with `liqwatch import`")
    picked = [spec for spec in cat.values() if spec.source in SOURCE_NAMES]
    if sources:
        picked = [s for s in picked if s.source in sources]
    if series:
        picked = [s for s in picked if s.id in series]
    return picked


def _plans(store: Store, specs: Sequence[SeriesSpec], since: date | None,
           stored_last: Mapping[str, date]) -> list[_Plan]:
    state = {
        r[0]: (r[1], r[2])
        for r in store.execute(
            "SELECT series_id, last_success_at, last_date FROM fetch_state"
        ).fetchall()
    }
    plans: list[_Plan] = []
    for spec in specs:
        if since is not None:
            plans.append(_Plan(spec, since, since))
            continue
        success_at, last = state.get(spec.id, (None, None))
        if last is None:
            last = stored_last.get(spec.id)
        if last is None:
            plans.append(_Plan(spec, None, None))
            continue
        start = last - timedelta(days=LOOKBACK_DAYS.get(spec.frequency, 45))
        # ALFRED: vintages published since the last successful fetch (a few days of margin).
        seen = (success_at.date() - timedelta(days=REALTIME_LOOKBACK_DAYS)
                if success_at is not None else start)
        plans.append(_Plan(spec, start, min(seen, date.today())))
    return plans


def _groups(client: Source, plans: Sequence[_Plan]) -> list[tuple[list[_Plan], date | None,
                                                                   date | None]]:
    by_key: dict[str, list[_Plan]] = defaultdict(list)
    for p in plans:
        by_key[client.group_key(p.spec.source_id)].append(p)
    out = []
    for members in by_key.values():
        starts = [p.start for p in members]
        rts = [p.realtime_from for p in members]
        start = None if any(s is None for s in starts) else min(s for s in starts if s)
        rt = None if any(r is None for r in rts) else min(r for r in rts if r)
        out.append((members, start, rt))
    return out


# ---------------------------------------------------------------------------------- clients
def _worker(client: Source, name: str, groups: list[tuple[list[_Plan], date | None,
                                                          date | None]],
            results: queue.Queue[_GroupResult | None]) -> None:
    streak: list[SourceError] = []
    refused: SourceError | None = None
    for members, start, rt in groups:
        items = [(p.spec.id, p.spec.source_id) for p in members]
        started = _now()
        if refused is not None:
            # A refused key or a blocked network refuses every later request too.
            stop = SourceError(f"not tried: the first request was refused ({refused})",
                               source=name)
            results.put(_GroupResult(name, items, None, stop, started, started, 0.0))
            continue
        if len(streak) >= SOURCE_DOWN_AFTER:
            down = SourceError(f"not tried: {len(streak)} requests in a row failed "
                               f"(last: {streak[-1]})", source=name)
            results.put(_GroupResult(name, items, None, down, started, started, 0.0))
            continue
        http_before = client.http_seconds + client.limiter.waited
        t0 = time.perf_counter()
        data: list[SeriesData] | None = None
        error: Exception | None = None
        try:
            data = client.fetch(items, start, realtime_from=rt)
        except SourceError as exc:
            error = exc
            if isinstance(exc, (AuthError, RefusedError)):
                refused = exc
            elif _source_down(exc):
                streak.append(exc)
        except Exception as exc:  # a bug or an unexpected payload must not stop the run
            log.exception("%s: unexpected failure", name)
            error = exc
        if error is None:
            streak.clear()
        elapsed = time.perf_counter() - t0
        io = client.http_seconds + client.limiter.waited - http_before
        results.put(_GroupResult(name, items, data, error, started, _now(),
                                 max(0.0, elapsed - io)))
    results.put(None)


def _source_down(exc: SourceError) -> bool:
    """Failures that say the whole source is unreachable or overloaded (after retries)."""
    if isinstance(exc, (TransportError, RateLimitedError)):
        return True
    return isinstance(exc, HTTPStatusError) and exc.status_code >= 500


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class _Known:
    """What the store held before the run: registered series, latest stored dates."""

    registered: frozenset[str]
    last_date: Mapping[str, date]


class _RollbackError(Exception):
    """Internal: undo a dry-run write."""


# ---------------------------------------------------------------------------------- run
def run_update(
    store: Store,
    *,
    sources: Sequence[str] | None = None,
    series: Sequence[str] | None = None,
    since: date | None = None,
    dry_run: bool = False,
    settings: Settings | None = None,
    client: httpx.Client | None = None,
    progress: UpdateProgress | None = None,
    options: UpdateOptions | None = None,
) -> UpdateReport:
    """Bring the store up to date from the official sources.

    Parameters
    ----------
    store
        A writable store.
    sources, series
        Restrict the run to these sources (``fred``, ``nyfed``, ``fiscaldata``, ``ofr``,
        ``eia``, ``coinbase``) and/or catalog series ids.
    since
        Fetch observations (and ALFRED vintages) from this date instead of incrementally.
    dry_run
        Fetch and compare, report what would change, write nothing.
    settings
        API keys (default: :func:`liqwatch.config.load_settings`).
    client
        An :class:`httpx.Client` to use (the caller closes it); default: a new one.
    progress
        Receives per-source progress events.
    options
        URLs, retries, timeouts and pacing (tests, mirrors).

    Returns
    -------
    UpdateReport
        Per series: rows new/revised or the error; ``exit_code`` 0/3/2.

    Examples
    --------
    >>> from liqwatch.store import Store
    >>> report = run_update(Store("liqwatch.duckdb"), sources=["nyfed"])  # doctest: +SKIP
    >>> report.exit_code  # doctest: +SKIP
    0
    """
    t_start = time.perf_counter()
    settings = settings or load_settings()
    options = options or UpdateOptions()
    report = UpdateReport(run_id=uuid.uuid4().hex[:12], started_at=_now(), dry_run=dry_run)
    specs = select_series(sources, series)
    latest = store.latest([s.id for s in specs])
    known = _Known(
        frozenset(r[0] for r in store.execute("SELECT series_id FROM series").fetchall()),
        {str(sid): day.date() for sid, day in zip(latest["series_id"],
                                                  pd.to_datetime(latest["date"]), strict=True)},
    )
    plans = _plans(store, specs, since, known.last_date)
    by_source: dict[str, list[_Plan]] = defaultdict(list)
    for p in plans:
        by_source[p.spec.source].append(p)
    own_client = client is None
    http = client or httpx.Client(headers={"User-Agent": USER_AGENT}, follow_redirects=True)
    outcomes: dict[str, SeriesOutcome] = {}
    timings: defaultdict[str, float] = defaultdict(float)
    try:
        clients = build_clients([s for s in SOURCE_NAMES if s in by_source], http, settings,
                                report.notes, env=options.env, retry=options.retry,
                                timeout=options.timeout, min_interval=options.min_interval)
        for note in report.notes:
            log.warning("%s", note)
        results: queue.Queue[_GroupResult | None] = queue.Queue()
        threads: list[threading.Thread] = []
        for name, made in clients.items():
            if progress is not None:
                progress.start(name, len(by_source[name]))
            if isinstance(made, str):
                for p in by_source[name]:
                    outcomes[p.spec.id] = SeriesOutcome(p.spec.id, name, skipped=made)
                    if progress is not None:
                        progress.advance(name, p.spec.id, True)
                continue
            t = threading.Thread(target=_worker, name=f"liqwatch-{name}", daemon=True,
                                 args=(made, name, _groups(made, by_source[name]), results))
            t.start()
            threads.append(t)
        today = options.today or datetime.now(UTC).date()
        running = len(threads)
        while running:
            if results.empty():
                store.release()  # a DuckDB file is free for other commands while we wait
            item = results.get()
            if item is None:
                running -= 1
                continue
            timings["parse"] += item.parse_seconds
            t0 = time.perf_counter()
            for outcome in _store_group(store, report.run_id, item, dry_run, today, known):
                outcomes[outcome.series_id] = outcome
                if progress is not None:
                    progress.advance(item.source, outcome.series_id, outcome.error is None)
            timings["store"] += time.perf_counter() - t0
        for t in threads:
            t.join()
        for name, made in clients.items():
            if isinstance(made, Source):
                report.requests[name] = made.requests
                timings["http"] += made.http_seconds
                timings["rate_limit_wait"] += made.limiter.waited
    finally:
        if own_client:
            http.close()
    report.outcomes = [outcomes[s.id] for s in specs if s.id in outcomes]
    report.finished_at = _now()
    timings["total"] = time.perf_counter() - t_start
    report.timings = dict(timings)
    return report


def _store_group(store: Store, run_id: str, item: _GroupResult, dry_run: bool,
                 today: date, known: _Known) -> list[SeriesOutcome]:
    """Write each series of a fetched group in its own transaction; log every outcome."""
    out: list[SeriesOutcome] = []
    by_id = {d.series_id: d for d in item.data or []}
    for series_id, _ in item.items:
        data = by_id.get(series_id)
        error: Exception | None = item.error
        if error is None and data is None:
            error = SourceError("the client returned nothing for this series",
                                source=item.source, series_id=series_id)
        if error is not None:
            outcome = SeriesOutcome(
                series_id, item.source, error=redact(_describe(error, series_id)),
                error_type=type(error).__name__, started_at=item.started_at,
                finished_at=item.finished_at)
            if not dry_run:
                _log_row(store, run_id, outcome)
            out.append(outcome)
            continue
        assert data is not None
        try:
            validation.check_source(item.source, series_id, data.frame)
        except SchemaError as exc:
            outcome = SeriesOutcome(
                series_id, item.source, error=redact(str(exc)), error_type=type(exc).__name__,
                started_at=item.started_at, finished_at=item.finished_at)
            if not dry_run:
                _log_row(store, run_id, outcome)
            out.append(outcome)
            continue
        try:
            outcome = _write_series(store, run_id, item, data, dry_run, today, known)
        except Exception as exc:  # a store failure of one series must not stop the others
            log.exception("storing %s failed", series_id)
            outcome = SeriesOutcome(series_id, item.source, error=redact(str(exc)),
                                    error_type=type(exc).__name__,
                                    started_at=item.started_at, finished_at=_now())
            if not dry_run:
                _log_row(store, run_id, outcome)
        out.append(outcome)
    return out


def _describe(error: Exception, series_id: str) -> str:
    text = str(error)
    if isinstance(error, SourceError) and error.series_id and error.series_id != series_id:
        text += f" (while fetching the group of {series_id})"
    elif not isinstance(error, SourceError):
        text = f"internal error {type(error).__name__}: {text}"
    return text


def _unchanged_dropped(store: Store, data: SeriesData) -> pd.DataFrame:
    """The rows of ``data`` the store does not already hold as current values.

    Mirrors the store's own skip rule (same value as the current row, and for source
    vintages a ``realtime_start`` not before the current row's), so that an incremental run
    with nothing new writes nothing and costs one query per series.
    """
    frame = data.frame
    if frame.empty:
        return frame
    current = store.execute(
        "SELECT date, value, realtime_start FROM observations WHERE series_id = ? "
        "AND realtime_end = DATE '9999-12-31' AND date >= ?",
        [data.series_id, pd.Timestamp(frame["date"].min()).date()],
    ).df()
    if current.empty:
        return frame
    current["date"] = pd.to_datetime(current["date"])
    current["realtime_start"] = pd.to_datetime(current["realtime_start"])
    merged = frame.merge(current, on="date", how="left", suffixes=("", "_cur"))
    same = (merged["value"] - merged["value_cur"]).abs() <= 1e-12 * merged["value_cur"].abs(
    ).clip(lower=1.0)
    if data.vintages:
        same &= merged["realtime_start"] >= merged["realtime_start_cur"]
    return frame[~same.fillna(False).to_numpy()]


def _write_series(store: Store, run_id: str, item: _GroupResult, data: SeriesData,
                  dry_run: bool, today: date, known: _Known) -> SeriesOutcome:
    spec = catalog.get(data.series_id)
    frame = _unchanged_dropped(store, data).assign(series_id=data.series_id)
    new = revised = 0
    last = max((d for d in (known.last_date.get(data.series_id), data.last_date) if d),
               default=None)
    try:
        with store.transaction():
            if not frame.empty:
                result = store.write(frame, explicit_vintages=data.vintages,
                                     vintage_date=today)
                new, revised = result.total_new, result.total_revised
            if dry_run:
                raise _RollbackError
            if data.series_id not in known.registered or data.meta:
                provenance: dict[str, Any] = {
                    "source": spec.source, "source_id": spec.source_id,
                    "fetched_at": item.finished_at.isoformat(), "vintages": data.vintages}
                if data.meta:
                    provenance["source_meta"] = dict(data.meta)
                store.register_series(data.series_id, provenance=provenance)
            store.add_source_flags(data.series_id, data.flags)
            store.execute(
                """
                INSERT INTO fetch_state AS s VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (series_id) DO UPDATE SET
                    source = excluded.source, last_success_at = excluded.last_success_at,
                    last_date = greatest(coalesce(s.last_date, excluded.last_date),
                                         coalesce(excluded.last_date, s.last_date)),
                    last_run_id = excluded.last_run_id,
                    detail = coalesce(excluded.detail, s.detail)
                """,
                [data.series_id, spec.source, item.started_at, data.last_date, run_id,
                 json.dumps(dict(data.meta)) if data.meta else None],
            )
            outcome = SeriesOutcome(
                data.series_id, item.source, new, revised, last,
                stale=last is not None and spec.is_stale(last, today),
                started_at=item.started_at, finished_at=_now(), rows_fetched=len(data.frame))
            _log_row(store, run_id, outcome)
    except _RollbackError:
        return SeriesOutcome(data.series_id, item.source, new, revised, last,
                             stale=last is not None and spec.is_stale(last, today),
                             started_at=item.started_at, finished_at=_now(),
                             rows_fetched=len(data.frame))
    return outcome


def _log_row(store: Store, run_id: str, outcome: SeriesOutcome) -> None:
    store.execute(
        "INSERT INTO fetch_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [run_id, outcome.series_id, outcome.source, outcome.started_at or _now(),
         outcome.finished_at or _now(), outcome.rows_new, outcome.rows_revised,
         outcome.error],
    )

