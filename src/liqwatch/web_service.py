"""The store as the dashboard's requests see it: one in-memory copy, caches, one lane.

Requests read an in-memory copy of the store, taking turns on it (DuckDB access
serialised); the copy is reloaded in the background when the store changed
(:class:`~liqwatch.store.snapshot.LiveSnapshot`), so the server keeps answering while
``update`` or ``watch`` writes. Everything a request computes from the copy — an assessment,
a page, an API answer — is kept per copy and key, and is computed on the server's one
:class:`~liqwatch.web_lane.Lane`: once per key, one computation at a time, within the request
budget. A request whose answer is cached is answered without waiting for the store.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Generic, TypeVar

from starlette.concurrency import run_in_threadpool

from liqwatch.asof import resolve_as_of
from liqwatch.assessment import Assessment
from liqwatch.exceptions import StoreError
from liqwatch.store import DEFAULT_LOCK_TIMEOUT, Store, StoreLocation
from liqwatch.store.snapshot import LiveSnapshot
from liqwatch.web_lane import BusyError, Lane

__all__ = ["EARLIEST", "ApiError", "Service", "StoreRange"]

#: The earliest day the API computes anything for (no series in the catalog starts before it).
EARLIEST = date(1950, 1, 1)

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


class ApiError(Exception):
    """An error answered as JSON with ``status`` (and ``headers``, e.g. ``Retry-After``)."""

    def __init__(self, status: int, message: str,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


@dataclass(frozen=True)
class StoreRange:
    """First and last observation day in the store (None when it is empty)."""

    first: date | None
    last: date | None

    def asked(self, name: str, day: date | None, *, today: date | None = None) -> date | None:
        """``day`` when the API can answer for it: refused (422) in the future, before
        :data:`EARLIEST` or before the store's first observation — never computed."""
        if day is None:
            return None
        today = today or datetime.now(UTC).date()
        if day > today:
            raise ApiError(422, f"{name}={day}: the day is in the future (today is {today}); "
                                "leave it out for the latest data")
        if day < EARLIEST:
            raise ApiError(422, f"{name}={day}: before {EARLIEST}, where no series starts")
        if name == "as_of" and self.first is not None and day < self.first:
            raise ApiError(422, f"{name}={day}: before the store's first observation "
                                f"({self.first})")
        return day

    def clamped(self, name: str, day: date | None, notes: list[str]) -> date | None:
        """``day`` moved into the store's range, with a note when it moved."""
        if day is None or self.first is None or self.last is None:
            return day
        if day < self.first:
            notes.append(f"{name}={day} is before the store's first observation; read from "
                         f"{self.first}")
            return self.first
        if day > self.last:
            notes.append(f"{name}={day} is after the store's last observation; read to "
                         f"{self.last}")
            return self.last
        return day


class _Lru(Generic[K, T]):
    """A small thread-safe least-recently-used map."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict[K, T] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> T | None:
        with self._lock:
            found = self._data.get(key)
            if found is not None:
                self._data.move_to_end(key)
            return found

    def put(self, key: K, value: T) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def __len__(self) -> int:
        return len(self._data)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


def store_range(store: Store) -> StoreRange:
    """The first and last observation day of ``store``."""
    row = store.execute("SELECT min(date), max(date) FROM observations").fetchone()
    first, last = (row or (None, None))
    return StoreRange(_as_date(first), _as_date(last))


def _as_date(value: Any) -> date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, datetime) else value if isinstance(
        value, date) else date.fromisoformat(str(value)[:10])


class Service:
    """The dashboard's view of the store at ``location``.

    Parameters
    ----------
    location
        The store.
    check_every, lock_timeout
        As for :class:`~liqwatch.store.snapshot.LiveSnapshot`.
    budget
        Seconds a request waits for a computation before it is answered 503 (the
        computation goes on and is cached).
    queue
        Most computations of different keys waiting at once; more are answered 503.
    warm
        Called with each new copy before it is served, after the latest day's assessment
        (e.g. to cache the answers most requests ask for).
    """

    def __init__(self, location: StoreLocation, *, check_every: float = 2.0,
                 lock_timeout: float = DEFAULT_LOCK_TIMEOUT, budget: float = 30.0,
                 queue: int = 4, warm: Callable[[Store], None] | None = None) -> None:
        self.location = location
        self._lock = threading.RLock()
        self._extra_warm = warm
        self.pages: _Lru[Hashable, tuple[str, str]] = _Lru(8)
        self.answers: _Lru[Hashable, Any] = _Lru(256)
        self._ranges: _Lru[Hashable, StoreRange] = _Lru(4)
        self._assessments: _Lru[tuple[Any, date, date | None], Assessment] = _Lru(8)
        self.lane = Lane(budget=budget, queue=queue)
        self._live = LiveSnapshot(location, check_every=check_every, lock_timeout=lock_timeout,
                                  warm=self._warm)

    def _warm(self, store: Store) -> None:
        """Assess the latest day on a new copy before it is served, so that the requests
        after a reload do not wait for it."""
        with self._lock:
            self.range_of(store)
            a = self.assessment(store, None)
            _ = a.overall, a.indicators, a.combination
            if self._extra_warm is not None:
                self._extra_warm(store)

    def _load(self) -> None:
        loc = self.location
        if loc.backend == "duckdb" and not loc.is_memory and not loc.path.exists():
            raise ApiError(503, f"no store at {loc.path}: run liqwatch import or "
                                "liqwatch update first")
        try:
            self._live.current()
        except StoreError as exc:
            raise ApiError(503, str(exc)) from None

    async def _current_key(self) -> Hashable:
        """The cache key of the current copy (loaded in a worker thread the first time)."""
        if not self._live.loaded:
            await run_in_threadpool(self._load)
        else:
            self._load()
        with self._live.use() as (store, _generation):
            return store.cache_key

    @contextmanager
    def store(self) -> Iterator[Store]:
        """The current copy, this thread's turn on it."""
        self._load()
        with self._lock, self._live.use() as (store, _generation):
            yield store

    def range_of(self, store: Store) -> StoreRange:
        """The store's observation range (kept per copy)."""
        found = self._ranges.get(store.cache_key)
        if found is None:
            with self._lock:
                found = store_range(store)
            self._ranges.put(store.cache_key, found)
        return found

    async def range(self) -> StoreRange:
        """The current copy's observation range."""
        found = self._ranges.get(await self._current_key())
        if found is not None:
            return found
        return await self.computed(("range",), self.range_of)

    def assessment(self, store: Store, asked: date | None) -> Assessment:
        """The assessment of the day ``asked`` resolves to (kept for a few days, and for as
        long as the copy it was computed on is served)."""
        with self._lock:
            day = resolve_as_of(store, asked)
            key = (store.cache_key, day.day, day.asked)
            found = self._assessments.get(key)
            if found is None or found.store is not store:
                found = Assessment(store, day)
                self._assessments.put(key, found)
            return found

    async def computed(self, key: tuple[Hashable, ...], build: Callable[[Store], T],
                       cache: _Lru[Hashable, T] | None = None) -> T:
        """``build(store)`` on the current copy: from ``cache`` (default: the answers), else
        computed once on the lane, with the store to itself.

        Raises
        ------
        ApiError
            503 with ``Retry-After`` when the lane is full or the budget runs out.
        """
        where: _Lru[Hashable, Any] = self.answers if cache is None else cache
        current_key = await self._current_key()
        found = where.get((current_key, *key))
        if found is not None:
            return found  # type: ignore[no-any-return]

        def job() -> T:
            with self._live.use() as (current, _generation), self._lock:
                full = (current.cache_key, *key)
                done = where.get(full)
                if done is not None:
                    return done  # type: ignore[no-any-return]
                value = build(current)
            where.put(full, value)
            return value

        try:
            return await self.lane.run((current_key, id(where), *key), job)
        except BusyError as exc:
            raise ApiError(503, str(exc), {"Retry-After": str(exc.retry_after)}) from None

    def cached_pages(self) -> int:
        """Number of rendered pages in the cache (read without waiting for a render)."""
        return len(self.pages)

    def close(self) -> None:
        """Drop the caches, stop the lane, close the copy."""
        self._assessments.clear()
        self.answers.clear()
        self.pages.clear()
        self.lane.close()
        self._live.close()
