"""The shared store on a PostgreSQL server (psycopg 3, the ``postgresql`` extra).

Many processes on many machines read and write at once: PostgreSQL's MVCC lets readers see
the last committed state while a writer's transaction is open. What the engine does not do for
us:

- observation writes are serialised by a transaction advisory lock, because closing the current
  vintage reads, then updates: two concurrent ``update`` runs must not both close the same row;
- a read-only store works in one ``REPEATABLE READ READ ONLY`` transaction, so a report sees
  one consistent state even while an update commits; :meth:`release` ends it;
- every connection runs in UTC and names itself (``application_name``) so that lock messages
  and ``pg_stat_activity`` say which machine and process it is;
- a connection the server dropped (restart, idle timeout) is reopened on the next statement
  outside a transaction.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import pandas as pd

from liqwatch.exceptions import StoreError
from liqwatch.store import db
from liqwatch.store.backend import Backend, Result, datetime_columns, frame_rows, plain
from liqwatch.store.location import StoreLocation
from liqwatch.store.locks import advisory_key, application_name

__all__ = ["PostgresBackend", "connect_raw"]

_DATE_OIDS = {1082, 1114, 1184}  # date, timestamp, timestamptz


def _driver() -> Any:
    try:
        import psycopg
    except ImportError:
        raise StoreError(
            "a postgresql:// store needs the PostgreSQL driver: pip install 'liqwatch[postgresql]'"
        ) from None
    return psycopg


def connect_raw(location: StoreLocation, *, role: str, autocommit: bool,
                read_only: bool = False) -> Any:
    """A psycopg connection to ``location`` in UTC, named after ``role``."""
    psycopg = _driver()
    try:
        params = psycopg.conninfo.conninfo_to_dict(location.target)
        options = f"{params.get('options') or ''} -c TimeZone=UTC".strip()
        con = psycopg.connect(location.target, autocommit=autocommit,
                              application_name=application_name(role), options=options,
                              connect_timeout=int(params.get("connect_timeout") or 10))
    except psycopg.Error as exc:
        # The driver's message names host and user, never the password.
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StoreError(f"cannot connect to the store {location.display}: {detail}") from None
    if read_only:
        con.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        con.read_only = True
    return con


def to_pyformat(sql: str) -> str:
    """``?`` placeholders as psycopg's ``%s`` (``%`` escaped; quoted text left alone)."""
    out: list[str] = []
    quote: str | None = None
    for ch in sql:
        if quote:
            out.append("%%" if ch == "%" else ch)
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
            out.append(ch)
        elif ch == "?":
            out.append("%s")
        elif ch == "%":
            out.append("%%")
        else:
            out.append(ch)
    return "".join(out)


class _PgResult:
    def __init__(self, cursor: Any) -> None:
        self._cur = cursor

    def fetchone(self) -> Any:
        return self._cur.fetchone() if self._cur.description else None

    def fetchall(self) -> list[Any]:
        return list(self._cur.fetchall()) if self._cur.description else []

    def fetchmany(self, size: int) -> list[Any]:
        return list(self._cur.fetchmany(size)) if self._cur.description else []

    def df(self) -> pd.DataFrame:
        desc = self._cur.description or []
        names = [d.name for d in desc]
        frame = pd.DataFrame.from_records(self.fetchall(), columns=names)
        return datetime_columns(frame, [d.name for d in desc if d.type_code in _DATE_OIDS])


class PostgresBackend(Backend):
    """A connection to a PostgreSQL database holding one liqwatch store."""

    dialect = "postgresql"

    def __init__(self, location: StoreLocation, *, read_only: bool, lock_timeout: float) -> None:
        super().__init__(location, read_only=read_only, lock_timeout=lock_timeout)
        self._psycopg = _driver()
        self._in_transaction = False
        self._con: Any = None
        self._connect()
        try:
            self._prepare()
        except BaseException:
            self.close()
            raise

    def _prepare(self) -> None:
        """Check (read-only) or bring up to date (writable) the schema."""
        location = self.location
        row = self.execute("SELECT current_schema()").fetchone()
        self.schema = str(row[0]) if row and row[0] else "public"
        if self.read_only:
            current = db.schema_version(self) if self._has_schema() else 0
            if current == 0:
                raise StoreError(f"no store at {location.display}: run `liqwatch import` or "
                                 "`liqwatch update` with --db set to it first")
            db.check_version(current, location.display)
            if current < db.SCHEMA_VERSION:
                raise StoreError(
                    f"the store {location.display} has schema version {current}, older than "
                    f"this liqwatch ({db.SCHEMA_VERSION}): upgrade it with `liqwatch --db URL "
                    "store migrate` (or any writing command)")
            self.release()
        else:
            key = advisory_key("migrate", self.schema)
            self.execute("SELECT pg_advisory_lock(?)", [key])
            try:
                db.migrate(self)
            finally:
                self.execute("SELECT pg_advisory_unlock(?)", [key])

    def _connect(self) -> None:
        role = "reader" if self.read_only else "writer"
        self._con = connect_raw(self.location, role=role, autocommit=not self.read_only,
                                read_only=self.read_only)

    def _has_schema(self) -> bool:
        row = self.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()
        return bool(row and row[0])

    def _connection(self) -> Any:
        if self._con is None or (self._con.broken and not self._in_transaction):
            self._connect()
        return self._con

    # ------------------------------------------------------------------ statements
    def execute(self, sql: str, params: Sequence[Any] = ()) -> Result:
        con = self._connection()
        try:
            cur = con.execute(to_pyformat(sql), [plain(p) for p in params])
        except self._psycopg.errors.ReadOnlySqlTransaction:
            con.rollback()
            raise StoreError(f"the store {self.location.display} is open read-only") from None
        except self._psycopg.OperationalError as exc:
            detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StoreError(f"the store {self.location.display} failed: {detail}") from exc
        except self._psycopg.Error:
            if self.read_only:
                con.rollback()  # a failed statement would abort the whole read snapshot
            raise
        return _PgResult(cur)

    def insert(self, table: str, frame: pd.DataFrame, *, dates: Sequence[str] = ()) -> None:
        self.insert_rows(table, list(frame.columns), frame_rows(frame, dates))

    def insert_rows(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
                    ) -> None:
        cols = ", ".join(f'"{c}"' for c in columns)
        con = self._connection()
        with con.cursor() as cur, cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def begin(self) -> None:
        self._connection().execute("BEGIN")
        self._in_transaction = True

    def commit(self) -> None:
        self._in_transaction = False
        self._connection().execute("COMMIT")

    def rollback(self) -> None:
        self._in_transaction = False
        if self._con is not None and not self._con.closed:
            self._con.execute("ROLLBACK")

    def lock_writes(self) -> None:
        """Wait for other observation writers (held until this transaction ends)."""
        self.execute("SELECT pg_advisory_xact_lock(?)", [advisory_key("write", self.schema)])

    def release(self) -> None:
        """End the read snapshot (the next statement sees the latest committed state)."""
        if self.read_only and self._con is not None and not self._con.closed:
            self._con.rollback()

    def change_token(self) -> Hashable:
        """The change counter the triggers of migration 4 bump on every write."""
        row = self.execute("SELECT revision FROM store_revision").fetchone()
        if self.read_only:
            self.release()
        return int(row[0]) if row else 0

    def advance_sequence(self, name: str, value: int) -> None:
        self.execute("SELECT setval(?, greatest(?, (SELECT last_value FROM "
                     f"{name})), true)", [name, plain(value)])

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None
