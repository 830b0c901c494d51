"""The last committed state of a store, held in memory for a server.

A dashboard must keep answering while ``update`` or ``watch`` writes, and must never keep them
waiting. :class:`LiveSnapshot` serves every request from an in-memory DuckDB copy of the
store, and refreshes that copy in a background thread when the store changed (a DuckDB file's
size and time, a PostgreSQL change counter; checked at most every ``check_every`` seconds) and
has stopped changing — or at least every ``max_age`` seconds during a long write. A
refresh opens the store only for the copy; when a writer holds a DuckDB file the old copy is
served until the next check. Requests in flight finish on the copy they started with.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from liqwatch.exceptions import LiqwatchError
from liqwatch.store.backend import DEFAULT_LOCK_TIMEOUT
from liqwatch.store.location import StoreLocation
from liqwatch.store.repository import Store

__all__ = ["LiveSnapshot", "Snapshot"]

log = logging.getLogger(__name__)


@dataclass
class Snapshot:
    """One in-memory copy and the change token it was taken at."""

    store: Store
    token: Hashable
    generation: int
    taken_at: datetime
    loaded: float = field(default_factory=time.monotonic)
    users: int = 0
    retired: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def close_if_unused(self) -> None:
        """Close the copy once it is retired and no request uses it."""
        with self.lock:
            if self.retired and self.users == 0:
                self.store.close()


def take(location: StoreLocation, lock_timeout: float) -> Store:
    """A read-only in-memory copy of the store at ``location``."""
    if location.backend == "duckdb":
        return Store(location, read_only=True, lock_timeout=lock_timeout)
    from liqwatch.store.copy import memory_copy

    with Store(location, read_only=True, lock_timeout=lock_timeout) as src:
        return memory_copy(src)


class LiveSnapshot:
    """The latest committed state of the store at ``location``, for many reader threads.

    Parameters
    ----------
    location
        The store.
    check_every
        Seconds between two checks for changes.
    lock_timeout
        Seconds a refresh waits for a DuckDB file a writer holds (then it tries again later).
    max_age
        While the store keeps changing, reload at least this often (seconds).
    warm
        Called with each new copy before it is served (e.g. to compute what most requests
        read), in the thread that loaded it; its errors are logged, not raised.
    """

    def __init__(self, location: StoreLocation, *, check_every: float = 2.0,
                 lock_timeout: float = DEFAULT_LOCK_TIMEOUT, max_age: float = 20.0,
                 warm: Callable[[Store], None] | None = None) -> None:
        self.location = location
        self.warm = warm
        self.check_every = check_every
        self.max_age = max_age
        self._seen: Hashable = None
        self.lock_timeout = lock_timeout
        self._current: Snapshot | None = None
        self._lock = threading.Lock()
        self._first = threading.Lock()
        self._refreshing = False
        self._checked = 0.0
        self._probe: Store | None = None
        self.last_error: str | None = None

    def _token(self) -> Hashable:
        if self.location.backend == "duckdb":
            # the file's stat, without opening it
            from liqwatch.store.duckdb_backend import file_token

            return file_token(self.location.path)
        if self._probe is None:
            self._probe = Store(self.location, read_only=True, lock_timeout=self.lock_timeout)
        return self._probe.change_token()

    def _load(self) -> Snapshot:
        token = self._token()
        store = take(self.location, self.lock_timeout)
        if self.warm is not None:
            try:
                self.warm(store)
            except Exception:  # the requests will compute it, and report what fails
                log.exception("preparing the new copy of %s failed", self.location)
        generation = (self._current.generation + 1) if self._current else 1
        return Snapshot(store, token, generation, datetime.now(UTC))

    def _swap(self, new: Snapshot) -> None:
        with self._lock:
            old, self._current = self._current, new
        if old is not None:
            with old.lock:
                old.retired = True
            old.close_if_unused()

    def refresh(self, *, settled: bool = False) -> bool:
        """Check for changes now and reload when there are any; True when reloaded.

        With ``settled``, a change is taken only once the store has stopped changing (the
        same token at two checks in a row), or when the copy is older than ``max_age``: a
        long update then costs one reload at its end, not one per series it writes.
        """
        current = self._current
        try:
            token = self._token()
            if current is not None and token == current.token:
                self._seen = None
                return False
            if settled and current is not None and token != self._seen \
                    and time.monotonic() - current.loaded < self.max_age:
                self._seen = token  # still changing: look again at the next check
                return False
            self._seen = None
            self._swap(self._load())
        except LiqwatchError as exc:
            if current is None:
                raise
            self.last_error = str(exc)
            log.warning("keeping the copy of %s taken at %s: %s", self.location,
                        current.taken_at.isoformat(timespec="seconds"), exc)
            return False
        self.last_error = None
        return True

    def _refresh_in_background(self) -> None:
        try:
            self.refresh(settled=True)
        except Exception:  # the server goes on with the copy it has
            log.exception("refreshing the copy of %s failed", self.location)
        finally:
            with self._lock:
                self._refreshing = False

    def _maybe_refresh(self) -> None:
        now = time.monotonic()
        with self._lock:
            if self._refreshing or now - self._checked < self.check_every:
                return
            self._refreshing = True
            self._checked = now
        threading.Thread(target=self._refresh_in_background, name="liqwatch-snapshot",
                         daemon=True).start()

    @property
    def loaded(self) -> bool:
        """True once the first copy is loaded (:meth:`current` then returns at once)."""
        return self._current is not None

    def current(self) -> Snapshot:
        """The copy requests use now (the first call loads it, and may raise)."""
        if self._current is None:
            with self._first:  # one thread loads; the others wait for it
                if self._current is None:
                    self._checked = time.monotonic()
                    self.refresh()
        else:
            self._maybe_refresh()
        assert self._current is not None
        return self._current

    @contextmanager
    def use(self) -> Iterator[tuple[Store, int]]:
        """The current copy and its generation, kept open until the block ends (a reload
        meanwhile serves later requests; this copy is closed when its last user is done).
        One DuckDB connection: callers in several threads take turns on it."""
        self.current()
        with self._lock:
            snap = self._current
            assert snap is not None
            with snap.lock:
                snap.users += 1
        try:
            yield snap.store, snap.generation
        finally:
            with snap.lock:
                snap.users -= 1
            snap.close_if_unused()

    def close(self) -> None:
        """Close the copy and the change probe."""
        with self._lock:
            snap, self._current = self._current, None
            probe, self._probe = self._probe, None
        if snap is not None:
            with snap.lock:
                snap.retired = True
            snap.close_if_unused()
        if probe is not None:
            probe.close()
