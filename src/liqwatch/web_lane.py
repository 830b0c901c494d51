"""One lane for the server's expensive work: computed once, one at a time, within a budget.

A dashboard page or an assessment of a past day takes up to a second of CPU and holds the
store while it runs. :class:`Lane` runs such jobs on one worker thread, so that however many
requests arrive, at most one computation runs and the event loop stays free for the requests
that are answered from a cache:

- **single flight**: requests for a key already being computed wait for that computation
  instead of starting another;
- **bounded queue**: when ``queue`` different keys already wait, a new key is refused at once
  (:class:`BusyError`, answered 503 with ``Retry-After``);
- **time budget**: a request waits at most ``budget`` seconds; the computation then goes on
  and keeps its result in the cache for the next request.

>>> import asyncio
>>> lane = Lane(budget=5.0, queue=2)
>>> asyncio.run(lane.run("k", lambda: 6 * 7))
42
>>> lane.close()
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

__all__ = ["BusyError", "Lane"]

T = TypeVar("T")


class BusyError(Exception):
    """The lane cannot take or finish a job within the budget.

    Attributes
    ----------
    retry_after
        Seconds after which a retry is likely to be answered.
    """

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Lane:
    """Runs keyed jobs on one worker thread, once per key, within a time budget.

    Parameters
    ----------
    budget
        Seconds a caller waits for its job (queueing included).
    queue
        Most jobs waiting to start; more are refused with :class:`BusyError`.
    """

    def __init__(self, *, budget: float = 30.0, queue: int = 4) -> None:
        self.budget = budget
        self.queue = queue
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="liqwatch-lane")
        self._flights: dict[Hashable, Future[Any]] = {}
        self._waiting = 0
        self._lock = threading.Lock()
        #: Jobs run to the end (successful or not).
        self.completed = 0

    @property
    def in_flight(self) -> int:
        """Jobs queued or running."""
        return len(self._flights)

    def submit(self, key: Hashable, job: Callable[[], T]) -> Future[T]:
        """The future of ``key``'s job: the one already under way, or a new one.

        Raises
        ------
        BusyError
            When ``queue`` other jobs are waiting to start.
        """
        with self._lock:
            found = self._flights.get(key)
            if found is not None:
                return found
            if self._waiting >= self.queue:
                raise BusyError(f"the server is busy with {self._waiting + 1} other computations; "
                           "retry shortly", retry_after=max(1, round(self.budget / 2)))
            self._waiting += 1

        def work() -> T:
            with self._lock:
                self._waiting -= 1
            return job()

        future: Future[T] = self._pool.submit(work)
        with self._lock:
            self._flights[key] = future
        future.add_done_callback(lambda _f: self._done(key, future))
        return future

    def _done(self, key: Hashable, future: Future[Any]) -> None:
        with self._lock:
            self.completed += 1
            if self._flights.get(key) is future:
                del self._flights[key]

    async def run(self, key: Hashable, job: Callable[[], T]) -> T:
        """Await ``key``'s job (started here or by another request) for at most the budget.

        Raises
        ------
        BusyError
            When the queue is full, or the job did not finish within the budget (it goes on).
        """
        future = self.submit(key, job)
        try:
            return await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(future)),
                                          timeout=self.budget)
        except TimeoutError:
            raise BusyError(f"not computed within the {self.budget:g} s budget; the result will "
                       "be ready for a retry", retry_after=max(1, round(self.budget))) from None

    def close(self) -> None:
        """Stop the worker (jobs not started are dropped)."""
        self._pool.shutdown(wait=False, cancel_futures=True)
