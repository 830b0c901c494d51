"""Who holds a store, and locks that let one process of a kind run per store.

:func:`process_lock` gives the lock behind "one ``watch`` per store": a file lock beside a
DuckDB file (released by the kernel when the process dies), or a PostgreSQL session advisory
lock (released by the server when the connection ends), so two machines sharing a server
cannot both watch it. Both refuse at once, naming the holder.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import socket
import zlib
from pathlib import Path
from types import TracebackType
from typing import IO, Any, TextIO, cast

from liqwatch.exceptions import StoreError, StoreLockedError
from liqwatch.store.location import StoreLocation

__all__ = ["AdvisoryLock", "FileLock", "application_name", "describe_process", "duckdb_holder",
           "lock_path", "process_lock"]

_PID = re.compile(r"\(PID (\d+)\)")


def describe_process(pid: int) -> str:
    """``pid 4242 (liqwatch update)``: the process and, where readable, its command line."""
    if pid == os.getpid():
        return f"pid {pid} (this process)"
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return f"pid {pid}"
    args = [a for a in raw.decode(errors="replace").split("\0") if a]
    if not args:
        return f"pid {pid}"
    command = " ".join(_command(args))
    if len(command) > 80:
        command = command[:77] + "..."
    return f"pid {pid} ({command})"


def _command(args: list[str]) -> list[str]:
    """``liqwatch update`` for the console script, ``python -m liqwatch`` and the CLI run
    through ``python -c``; otherwise the program's name and arguments (code shown as …)."""
    program = Path(args[0]).name
    if program == "liqwatch":
        return ["liqwatch", *args[1:]]
    if len(args) > 2 and args[1] == "-m" and args[2].split(".")[0] == "liqwatch":
        return ["liqwatch", *args[3:]]
    if len(args) > 2 and args[1] == "-c":
        if "liqwatch.cli" in args[2]:
            return ["liqwatch", *args[3:]]
        return [program, "-c", "…", *args[3:]]
    return [program, *args[1:]]


def duckdb_holder(message: str, path: Path) -> str:
    """The process named in DuckDB's lock error (``... (PID 123)``), else a plain guess."""
    match = _PID.search(message)
    if match:
        return describe_process(int(match.group(1)))
    return f"another process (`fuser {path}` shows which)"


def application_name(role: str) -> str:
    """How a connection introduces itself to PostgreSQL (shown in ``pg_stat_activity`` and
    in lock messages): ``liqwatch <role> <host> pid <pid>``."""
    return f"liqwatch {role} {socket.gethostname()} pid {os.getpid()}"[:63]


def open_no_follow(path: Path, mode: str) -> IO[Any]:
    """Open ``path`` (created when absent, never truncated) for reading and writing, refusing
    a symbolic link (``mode`` ``"r+"`` for text, ``"r+b"`` for bytes).

    Raises
    ------
    StoreError
        When ``path`` is a symbolic link.
    """
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise StoreError(f"{path} is a symbolic link; liqwatch does not follow it "
                             "(remove it)") from None
        raise
    if "b" in mode:
        return os.fdopen(fd, mode)
    return os.fdopen(fd, mode, encoding="utf-8")


def lock_path(db: Path) -> Path:
    """The lock file beside the DuckDB store ``db`` for ``watch``."""
    return db.with_name(db.name + ".watch.lock")


class FileLock:
    """An exclusive, non-blocking lock on a file holding the holder's pid.

    flock locks belong to the open file: the kernel drops them when the process ends, even
    on SIGKILL, so a crashed holder never leaves a stale lock. A symbolic link planted at
    the lock's path is refused, never followed (the pid would overwrite its target).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh: TextIO | None = None

    def __enter__(self) -> FileLock:
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = cast(TextIO, open_no_follow(self.path, "r+"))
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.seek(0)
            text = fh.read().strip()
            fh.close()
            holder = describe_process(int(text)) if text.isdigit() else "an unknown process"
            raise StoreLockedError(f"{self.path}", holder, 0) from None
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        self._fh = fh
        return self

    def __exit__(self, *exc: object) -> None:
        import fcntl

        if self._fh is not None:
            fh, self._fh = self._fh, None
            fh.seek(0)
            fh.truncate()
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
            fh.close()


def advisory_key(name: str, schema: str) -> int:
    """The advisory lock number of ``name`` for the store in ``schema`` (31 bits, stable)."""
    return zlib.crc32(f"liqwatch.{name}:{schema}".encode()) & 0x7FFFFFFF


class AdvisoryLock:
    """A PostgreSQL session advisory lock held on a connection of its own."""

    def __init__(self, location: StoreLocation, name: str) -> None:
        self.location = location
        self.name = name
        self._con: Any = None

    def __enter__(self) -> AdvisoryLock:
        from liqwatch.store.postgres_backend import connect_raw

        con = connect_raw(self.location, role=self.name, autocommit=True)
        try:
            schema = con.execute("SELECT current_schema()").fetchone()[0]
            key = advisory_key(self.name, schema)
            got = con.execute("SELECT pg_try_advisory_lock(%s)", [key]).fetchone()[0]
            if not got:
                holder = self._holder(con, key)
                raise StoreLockedError(self.location.display, holder, 0)
        except BaseException:
            con.close()
            raise
        self._con = con
        return self

    @staticmethod
    def _holder(con: Any, key: int) -> str:
        row = con.execute(
            "SELECT a.application_name, host(a.client_addr), a.backend_start, a.pid "
            "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 "
            "AND l.objid = %s AND l.objsubid = 1",
            [key],
        ).fetchone()
        if row is None:
            return "another connection"
        app, addr, since, backend = row
        who = app or f"server process {backend}"
        where = f" from {addr}" if addr else ""
        return f"{who}{where}, connected since {since:%Y-%m-%d %H:%M} (server time)"

    def alive(self) -> bool:
        """The lock is still held (its connection has not been lost)."""
        if self._con is None:
            return False
        try:
            self._con.execute("SELECT 1")
        except Exception:
            return False
        return True

    def __exit__(self, *exc: object) -> None:
        if self._con is not None:
            con, self._con = self._con, None
            with contextlib.suppress(Exception):
                con.close()  # the server releases the session lock with the connection


class _Lock:
    """``FileLock`` or ``AdvisoryLock``, chosen by the location."""

    def __init__(self, location: StoreLocation, name: str) -> None:
        if location.backend == "postgresql":
            self.inner: FileLock | AdvisoryLock = AdvisoryLock(location, name)
        elif location.is_memory:
            raise StoreError(f"`{name}` needs a store file or server, not :memory:")
        else:
            p = location.path
            self.inner = FileLock(p.with_name(f"{p.name}.{name}.lock"))

    def __enter__(self) -> _Lock:
        self.inner.__enter__()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.inner.__exit__(exc_type, exc, tb)

    def alive(self) -> bool:
        """Still held (a file lock always is while the process lives)."""
        return not isinstance(self.inner, AdvisoryLock) or self.inner.alive()


def process_lock(location: StoreLocation, name: str) -> _Lock:
    """A lock that at most one process per store holds under ``name`` (e.g. ``watch``).

    Raises
    ------
    StoreLockedError
        On entering, when another process holds it (``holder`` names it).
    """
    return _Lock(location, name)
