"""The embedded DuckDB store: one file, one writing process at a time.

DuckDB lets either one process write a file or several processes read it, never both. So:

- a writable store opens the file when first used and closes it on :meth:`release`, so that a
  long command (``update`` waiting on the sources, ``watch`` sleeping) holds it only while it
  writes;
- a read-only store copies the file into memory (a few hundred milliseconds for the real
  data) and closes it at once: readers — ``status``, ``report``, the dashboard — then never
  keep a writer waiting, and see one consistent committed state;
- opening a file another process holds is retried with a short backoff for
  ``lock_timeout`` seconds; then :class:`~liqwatch.store.locks.StoreLockedError` names the
  process that holds it.
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar, cast

import duckdb
import pandas as pd

from liqwatch.exceptions import StoreError, StoreLockedError
from liqwatch.store import db
from liqwatch.store.backend import Backend, Result, plain
from liqwatch.store.location import StoreLocation
from liqwatch.store.locks import duckdb_holder, open_no_follow

__all__ = ["DuckDBBackend", "file_token", "retry_locked"]

T = TypeVar("T")

# Connections of one process to one file share a database: their transactions take turns
# (DuckDB would abort the later of two that touch the same rows).
_WRITERS: dict[str, threading.Lock] = {}
_WRITERS_GUARD = threading.Lock()


def _writer_lock(target: str) -> threading.Lock:
    with _WRITERS_GUARD:
        return _WRITERS.setdefault(target, threading.Lock())


def _is_lock_error(exc: duckdb.Error) -> bool:
    return "lock" in str(exc).lower()


def queue_path(path: Path) -> Path:
    """The file beside a DuckDB store that processes waiting for it queue on."""
    return path.with_name(path.name + ".queue")


@contextmanager
def _in_turn(path: Path, deadline: float) -> Iterator[bool]:
    """Hold the store's queue lock while waiting for the store, so that a process that
    closes the file and reopens it at once cannot overtake one already waiting (True when
    the turn was had before ``deadline``)."""
    import fcntl

    try:
        fh = open_no_follow(queue_path(path), "r+b")
    except OSError:  # a read-only folder: no queue, plain retries
        yield True
        return
    try:
        got = False
        delay = 0.01
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                got = True
                break
            except OSError:
                if time.monotonic() >= deadline:
                    break
                time.sleep(min(delay, max(deadline - time.monotonic(), 0)))
                delay = min(delay * 2, 0.2)
        yield got
    finally:
        fh.close()  # releases the lock


def retry_locked(what: Callable[[], T], path: Path, timeout: float) -> T:
    """Run ``what`` (which opens ``path``), retrying a lock conflict with a short backoff
    for ``timeout`` seconds, in turn with other waiting processes; then
    :class:`StoreLockedError`."""
    deadline = time.monotonic() + timeout
    with _in_turn(path, deadline):
        return _retry(what, path, timeout, deadline)


def _retry(what: Callable[[], T], path: Path, timeout: float, deadline: float) -> T:
    delay = 0.02
    while True:
        try:
            return what()
        except duckdb.Error as exc:
            if not _is_lock_error(exc):
                raise StoreError(f"cannot open the store {path}: {exc}") from exc
            if time.monotonic() >= deadline:
                raise StoreLockedError(str(path), duckdb_holder(str(exc), path), timeout
                                       ) from None
        time.sleep(min(delay * (0.5 + random.random()), max(deadline - time.monotonic(), 0)))
        delay = min(delay * 2, 0.5)


def file_token(path: Path) -> Hashable:
    """Modification times and sizes of a DuckDB file and its write-ahead log: they change
    with every committed write (read without opening the file)."""
    stats: list[tuple[int, int] | None] = []
    for p in (path, path.with_name(path.name + ".wal")):
        try:
            st = p.stat()
        except FileNotFoundError:
            stats.append(None)
        else:
            stats.append((st.st_mtime_ns, st.st_size))
    return tuple(stats)


class DuckDBBackend(Backend):
    """A DuckDB file or in-memory database."""

    dialect = "duckdb"

    def __init__(self, location: StoreLocation, *, read_only: bool, lock_timeout: float) -> None:
        super().__init__(location, read_only=read_only, lock_timeout=lock_timeout)
        self._con: duckdb.DuckDBPyConnection | None = None
        self._in_transaction = False
        try:
            if location.is_memory:
                self._con = duckdb.connect(":memory:")
                db.migrate(self)
            elif read_only:
                self._con = self._snapshot(location.path)
            else:
                self._open_file()
                db.migrate(self)
        except BaseException:
            self.close()
            raise

    # ------------------------------------------------------------------ connections
    def _open_file(self) -> None:
        path = self.location.path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._con = retry_locked(lambda: duckdb.connect(str(path)), path, self.lock_timeout)

    def _snapshot(self, path: Path) -> duckdb.DuckDBPyConnection:
        if not path.exists():
            raise StoreError(f"no store at {path}: run `liqwatch import` or `liqwatch update` "
                             "first")
        con = duckdb.connect(":memory:")
        self._con = con  # closed by __init__ on failure
        quoted = str(path).replace("'", "''")

        def attach() -> None:
            con.execute(f"ATTACH '{quoted}' AS src (READ_ONLY)")

        retry_locked(attach, path, self.lock_timeout)
        try:
            tables = {r[0] for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = 'src'").fetchall()}
            if "schema_version" in tables:
                row = con.execute("SELECT coalesce(max(version), 0) FROM src.schema_version"
                                  ).fetchone()
                db.check_version(int(row[0]) if row else 0, str(path))
            con.execute("COPY FROM DATABASE src TO memory")
        finally:
            con.execute("DETACH src")
        db.migrate(self)  # an older file is read in the current schema (the file is untouched)
        return con

    def connection(self) -> duckdb.DuckDBPyConnection:
        """The open connection (reopening the file after :meth:`release`)."""
        if self._con is None:
            self._open_file()
        assert self._con is not None
        return self._con

    def release(self) -> None:
        """Close a writable file between steps (it reopens on the next statement)."""
        if (self._con is not None and not self.read_only and not self.location.is_memory
                and not self._in_transaction):
            self._con.close()
            self._con = None

    # ------------------------------------------------------------------ statements
    def execute(self, sql: str, params: Sequence[Any] = ()) -> Result:
        con = self.connection()
        return cast(Result, con.execute(sql, [plain(p) for p in params]))

    def insert(self, table: str, frame: pd.DataFrame, *, dates: Sequence[str] = ()) -> None:
        con = self.connection()
        name = f"_bulk_{os.getpid()}_{id(frame)}"
        cols = ", ".join(f'"{c}"' for c in frame.columns)
        select = ", ".join(
            f'CAST("{c}" AS DATE)' if c in dates else f'"{c}"' for c in frame.columns)
        con.register(name, frame)
        try:
            con.execute(f"INSERT INTO {table} ({cols}) SELECT {select} FROM {name}")
        finally:
            con.unregister(name)

    def insert_rows(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
                    ) -> None:
        con = self.connection()
        types = dict(con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = ? AND table_schema = current_schema()", [table]).fetchall())
        data = pd.DataFrame.from_records([tuple(r) for r in rows], columns=list(columns))
        name = f"_rows_{os.getpid()}_{id(data)}"
        cols = ", ".join(f'"{c}"' for c in columns)
        # each value cast to the column's type, whatever pandas made of a column of objects
        select = ", ".join(f'CAST("{c}" AS {types[c]})' for c in columns)
        con.register(name, data)
        try:
            con.execute(f"INSERT INTO {table} ({cols}) SELECT {select} FROM {name}")
        finally:
            con.unregister(name)

    def begin(self) -> None:
        turn = _writer_lock(self.location.target)
        if not turn.acquire(timeout=self.lock_timeout):
            raise StoreLockedError(self.location.display, "another thread of this process",
                                   self.lock_timeout)
        try:
            self.connection().execute("BEGIN TRANSACTION")
        except BaseException:
            turn.release()
            raise
        self._in_transaction = True

    def _end(self, statement: str) -> None:
        if not self._in_transaction:
            return
        self._in_transaction = False
        try:
            if self._con is not None:
                self._con.execute(statement)
        finally:
            _writer_lock(self.location.target).release()

    def commit(self) -> None:
        self._end("COMMIT")

    def rollback(self) -> None:
        self._end("ROLLBACK")

    def change_token(self) -> Hashable:
        """The size and modification time of the file and its write-ahead log."""
        if self.location.is_memory:
            return id(self._con)
        return file_token(self.location.path)

    def advance_sequence(self, name: str, value: int) -> None:
        row = self.execute(
            "SELECT coalesce(last_value, start_value - 1) FROM duckdb_sequences() "
            "WHERE sequence_name = ?", [name]).fetchone()
        current = int(row[0]) if row else 0
        if value > current:
            self.execute(f"SELECT max(nextval('{name}')) FROM range(?)", [value - current])

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None
