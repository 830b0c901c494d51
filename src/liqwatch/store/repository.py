"""Reading and writing observations with their vintages.

The store never overwrites a value. Writing a value that differs from the current one for the
same series and date closes the current row (its ``realtime_end`` becomes the day before the new
``realtime_start``) and opens a new one. Writing the same data again changes nothing.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from liqwatch import catalog, validation
from liqwatch.exceptions import InvalidDataError, StoreError
from liqwatch.store.backend import DEFAULT_LOCK_TIMEOUT, Backend, Result
from liqwatch.store.location import StoreLocation, parse_location

__all__ = ["OPEN_END", "TABLES", "Store", "WriteResult"]

#: The tables of a store, in an order that copies respect (parents first).
TABLES = ("schema_version", "series", "observations", "fetch_log", "fetch_state",
          "source_flags", "alert_log", "alert_delivery")

_ids = itertools.count(1)

#: ``realtime_end`` of a value that is still the published one.
OPEN_END = date(9999, 12, 31)

_OBS_COLUMNS = ["series_id", "date", "value", "realtime_start", "realtime_end"]
# The open end (9999-12-31) does not fit in datetime64[ns]: reads return it as NaT.
_SELECT = (
    "series_id, date, value, realtime_start, "
    "CASE WHEN realtime_end = DATE '9999-12-31' THEN NULL ELSE realtime_end END AS realtime_end"
)


@dataclass
class WriteResult:
    """Rows added by one write, per series."""

    new: dict[str, int] = field(default_factory=dict)
    revised: dict[str, int] = field(default_factory=dict)

    @property
    def total_new(self) -> int:
        """Observations seen for the first time."""
        return sum(self.new.values())

    @property
    def total_revised(self) -> int:
        """Observations whose value changed (a new vintage was opened)."""
        return sum(self.revised.values())


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def placeholders(values: Sequence[Any]) -> str:
    """``?, ?, ?`` for an ``IN (...)`` list of ``values`` (portable across engines)."""
    return ", ".join("?" for _ in values) or "NULL"


def derive_realtime_start(series_id: str, dates: pd.Series) -> pd.Series:
    """Publication dates of ``dates`` from the catalog's schedule (user series: lag of a day)."""
    spec = (
        catalog.get(series_id) if catalog.is_known(series_id) else catalog.user_series(series_id)
    )
    return spec.release.published(dates, spec.frequency)


class Store:
    """The point-in-time store: a DuckDB file (the default), in memory, or on PostgreSQL.

    Parameters
    ----------
    location
        A DuckDB file (created with its parent folders if missing), ``":memory:"``, or a
        ``postgresql://`` URL (see :func:`~liqwatch.store.location.parse_location`).
    read_only
        Read without write access. A DuckDB file is then copied into memory and closed at
        once (other processes may write it meanwhile); on PostgreSQL, every read sees the
        state committed when the first one ran, until :meth:`release`.
    lock_timeout
        Seconds to keep retrying while another process holds a DuckDB file (default 15),
        before :class:`~liqwatch.exceptions.StoreLockedError` names it.

    Examples
    --------
    >>> store = Store(":memory:")
    >>> store.read(["SOFR"]).empty
    True
    """

    def __init__(self, location: Path | str | StoreLocation = ":memory:", *,
                 read_only: bool = False, lock_timeout: float | None = None) -> None:
        self.location = parse_location(location)
        self.path: Path | str = (location if isinstance(location, (Path, str))
                                 and self.location.backend == "duckdb"
                                 else self.location.display)
        self.read_only = read_only
        timeout = DEFAULT_LOCK_TIMEOUT if lock_timeout is None else lock_timeout
        self._backend: Backend = _open_backend(self.location, read_only, timeout)
        self._in_transaction = False
        self._data_id = next(_ids)

    @property
    def dialect(self) -> str:
        """``duckdb`` or ``postgresql``."""
        return self._backend.dialect

    @property
    def backend(self) -> Backend:
        """The engine connection (for :mod:`liqwatch.store` itself: copies, snapshots)."""
        return self._backend

    @property
    def cache_key(self) -> Hashable:
        """Identifies this store object's data source, for caches (which also check that the
        data did not change meanwhile)."""
        return (self.location.display, self._data_id)

    def close(self) -> None:
        """Close the connection."""
        self._backend.close()

    def release(self) -> None:
        """Let other processes at the store until the next call (between command steps).

        A writable DuckDB file is closed (and reopened, waiting for it if need be, on the next
        read or write); a read-only PostgreSQL store ends its snapshot. Inside a transaction
        this does nothing.
        """
        if not self._in_transaction:
            self._backend.release()

    def change_token(self) -> Hashable:
        """A value that changes whenever a committed write changes the store (file times and
        sizes for DuckDB, a counter kept by triggers on PostgreSQL)."""
        return self._backend.change_token()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _writable(self, what: str) -> None:
        if self.read_only:
            raise StoreError(f"the store {self.location.display} is open read-only: cannot "
                             f"{what}")

    # ------------------------------------------------------------------ transactions
    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """Run the block in one transaction: all of its writes land, or none do."""
        if self._in_transaction:
            yield self
            return
        self._backend.begin()
        self._in_transaction = True
        try:
            yield self
        except BaseException:
            self._in_transaction = False
            self._backend.rollback()
            raise
        else:
            self._in_transaction = False
            self._backend.commit()
        finally:
            self._in_transaction = False

    # ------------------------------------------------------------------ series metadata
    def register_series(
        self,
        series_id: str,
        *,
        provenance: dict[str, Any] | None = None,
        unit: str | None = None,
        frequency: str | None = None,
    ) -> None:
        """Insert or refresh the metadata row of ``series_id`` (catalog or ``user`` origin)."""
        self._writable(f"register {series_id}")
        known = catalog.is_known(series_id)
        spec = catalog.get(series_id) if known else catalog.user_series(series_id)
        now = _utcnow()
        prov = json.dumps(provenance, ensure_ascii=False) if provenance else None
        self.execute(
            """
            INSERT INTO series AS s VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (series_id) DO UPDATE SET
                source = excluded.source, source_id = excluded.source_id,
                unit = excluded.unit, frequency = excluded.frequency, title = excluded.title,
                origin = excluded.origin,
                provenance = coalesce(excluded.provenance, s.provenance),
                updated_at = excluded.updated_at
            """,
            [
                series_id,
                spec.source,
                spec.source_id,
                unit or spec.unit,
                frequency or spec.frequency.value,
                spec.en,
                "catalog" if known else "user",
                prov,
                now,
                now,
            ],
        )

    def series_info(self, ids: Sequence[str] | None = None) -> pd.DataFrame:
        """Metadata of stored series with their first/last dates and row counts."""
        where, params = _ids_clause("s.series_id", ids)
        frame = self.execute(
            f"""
            SELECT s.series_id, s.source, s.source_id, s.unit, s.frequency, s.title, s.origin,
                   s.provenance, s.updated_at,
                   min(o.date) AS first_date, max(o.date) AS last_date,
                   count(o.date) AS rows
            FROM series s LEFT JOIN observations o
              ON o.series_id = s.series_id AND o.realtime_end = DATE '9999-12-31'
            {where}
            GROUP BY s.series_id, s.source, s.source_id, s.unit, s.frequency, s.title,
                     s.origin, s.provenance, s.updated_at
            ORDER BY s.series_id
            """,
            params,
        ).df()
        frame["rows"] = frame["rows"].astype("int64")
        return frame

    def known_ids(self) -> list[str]:
        """Ids of every series with at least one stored row."""
        rows = self.execute(
            "SELECT DISTINCT series_id FROM observations ORDER BY series_id"
        ).fetchall()
        return [r[0] for r in rows]

    # ------------------------------------------------------------------ writes
    def write(
        self,
        frame: pd.DataFrame,
        *,
        vintage_date: date | None = None,
        explicit_vintages: bool = False,
    ) -> WriteResult:
        """Store observations, keeping every vintage. Runs in one transaction.

        Parameters
        ----------
        frame
            Columns ``series_id, date, value`` and, optionally, ``realtime_start``. Missing
            values must already be dropped; one row per series and date (per
            ``realtime_start`` with ``explicit_vintages``).
        vintage_date
            Without ``explicit_vintages``: the first day a *changed* value counts as published
            (default: today, UTC). Observations seen for the first time take ``realtime_start``
            from the frame or, when absent, from the catalog's publication schedule: history
            back-filled from a file has no recorded vintage, so its publication date is derived
            from the schedule, not observed.
        explicit_vintages
            The frame's ``realtime_start`` values are the source's own vintages (ALFRED): rows
            already stored are skipped, the rest inserted, and each affected observation's
            ``realtime_end`` recomputed from the next vintage.

        Returns
        -------
        WriteResult
            New and revised observations per series.

        Raises
        ------
        InvalidDataError
            A series id, value or date fails :mod:`liqwatch.validation` (ids of the catalog's
            pattern, finite values, dates from 1900 to a year ahead); nothing is written.
        """
        if frame.empty:
            return WriteResult()
        self._writable("write observations")
        missing = {"series_id", "date", "value"} - set(frame.columns)
        if missing:
            raise StoreError(f"write() needs columns {sorted(missing)}")
        if frame["value"].isna().any():
            raise StoreError("write() got missing values; drop them first")
        validation.check_write(frame)
        if vintage_date is not None:
            problem = validation.day_problem(vintage_date, "the vintage date")
            if problem:
                raise InvalidDataError(f"{problem}; nothing was written")
        data = frame.loc[:, [c for c in [*_OBS_COLUMNS[:3], "realtime_start"] if c in frame]]
        data = data.reset_index(drop=True)
        data["date"] = pd.to_datetime(data["date"])
        if "realtime_start" not in data:
            if explicit_vintages:
                raise StoreError("explicit_vintages needs a realtime_start column")
            parts = [
                derive_realtime_start(str(sid), grp["date"])
                for sid, grp in data.groupby("series_id")
            ]
            data["realtime_start"] = pd.concat(parts)
            kind = "schedule"
        else:
            kind = "source" if explicit_vintages else "observed"
        data["realtime_start"] = pd.to_datetime(data["realtime_start"])
        data["series_id"] = data["series_id"].astype(str)
        data["value"] = data["value"].astype(float)
        if explicit_vintages:
            data = data.drop_duplicates()
        today = vintage_date or datetime.now(UTC).date()
        with self.transaction():
            self._backend.lock_writes()
            self._stage(data)
            if explicit_vintages:
                return self._write_explicit(kind)
            return self._write_current(today, kind)

    def _stage(self, data: pd.DataFrame) -> None:
        """Load the incoming rows into the temporary table ``_in``."""
        self.execute("DROP TABLE IF EXISTS _in")
        self.execute("CREATE TEMP TABLE _in (series_id VARCHAR, date DATE, value DOUBLE "
                     "PRECISION, realtime_start DATE)")
        self._backend.insert("_in", data[["series_id", "date", "value", "realtime_start"]],
                             dates=["date", "realtime_start"])
        self.execute("DROP TABLE IF EXISTS _chg")

    def _write_current(self, vintage_date: date, kind: str) -> WriteResult:
        self.execute(
            """
            CREATE TEMP TABLE _chg AS
            WITH cur AS (
                SELECT o.series_id, o.date, o.value, o.realtime_start
                FROM observations o
                WHERE o.realtime_end = DATE '9999-12-31'
                  AND o.series_id IN (SELECT DISTINCT series_id FROM _in)
            )
            SELECT i.series_id, i.date, i.value,
                   CASE WHEN c.series_id IS NULL THEN i.realtime_start
                        ELSE greatest(CAST(? AS DATE), c.realtime_start + 1) END
                       AS realtime_start,
                   c.series_id IS NOT NULL AS revised
            FROM _in i LEFT JOIN cur c ON i.series_id = c.series_id AND i.date = c.date
            WHERE c.series_id IS NULL
               OR abs(c.value - i.value) > 1e-12 * greatest(1.0, abs(c.value))
            """,
            [vintage_date],
        )
        self.execute(
            """
            UPDATE observations AS o SET realtime_end = c.realtime_start - 1
            FROM _chg c
            WHERE c.revised AND o.series_id = c.series_id AND o.date = c.date
              AND o.realtime_end = DATE '9999-12-31'
            """
        )
        self.execute(
            """
            INSERT INTO observations
            SELECT series_id, date, value, realtime_start, DATE '9999-12-31', ?,
                   CASE WHEN revised THEN 'observed' ELSE ? END
            FROM _chg
            """,
            [_utcnow(), kind],
        )
        return self._counts()

    def _write_explicit(self, kind: str) -> WriteResult:
        self.execute(
            """
            CREATE TEMP TABLE _chg AS
            SELECT i.series_id, i.date, i.value, i.realtime_start,
                   EXISTS (SELECT 1 FROM observations s
                           WHERE s.series_id = i.series_id AND s.date = i.date) AS revised
            FROM _in i
            WHERE NOT EXISTS (
                SELECT 1 FROM observations s
                WHERE s.series_id = i.series_id AND s.date = i.date
                  AND (s.realtime_start = i.realtime_start
                       OR (s.realtime_start <= i.realtime_start
                           AND i.realtime_start <= s.realtime_end
                           AND abs(s.value - i.value) <= 1e-12 * greatest(1.0, abs(s.value))))
            )
            """
        )
        self.execute(
            """
            INSERT INTO observations
            SELECT series_id, date, value, realtime_start, DATE '9999-12-31', ?, ?
            FROM _chg
            """,
            [_utcnow(), kind],
        )
        self.execute(
            """
            UPDATE observations AS o SET realtime_end = x.new_end
            FROM (
                SELECT series_id, date, realtime_start,
                       coalesce(lead(realtime_start) OVER w - 1, DATE '9999-12-31') AS new_end
                FROM observations
                WHERE (series_id, date) IN (SELECT DISTINCT series_id, date FROM _chg)
                WINDOW w AS (PARTITION BY series_id, date ORDER BY realtime_start)
            ) x
            WHERE o.series_id = x.series_id AND o.date = x.date
              AND o.realtime_start = x.realtime_start AND o.realtime_end <> x.new_end
            """
        )
        # The first vintage of a date counts as new, later ones as revisions.
        self.execute(
            """
            UPDATE _chg AS c SET revised = EXISTS (
                SELECT 1 FROM observations o
                WHERE o.series_id = c.series_id AND o.date = c.date
                  AND o.realtime_start < c.realtime_start)
            """
        )
        return self._counts()

    def _counts(self) -> WriteResult:
        result = WriteResult()
        for sid, revised, n in self.execute(
            "SELECT series_id, revised, count(*) FROM _chg GROUP BY series_id, revised"
        ).fetchall():
            target = result.revised if revised else result.new
            target[sid] = int(n)
        return result

    def add_source_flags(self, series_id: str, flags: Sequence[tuple[date, str]]) -> None:
        """Record the source's flags (e.g. the NY Fed ``revisionIndicator``) of dates of
        ``series_id``; a flag already recorded keeps its ``first_seen``."""
        if not flags:
            return
        self._writable(f"record flags of {series_id}")
        now = _utcnow()
        for day, flag in dict.fromkeys(flags):
            self.execute(
                "INSERT INTO source_flags VALUES (?, ?, ?, ?) "
                "ON CONFLICT (series_id, date, flag) DO NOTHING",
                [series_id, day, flag, now],
            )

    # ------------------------------------------------------------------ reads
    def read(
        self,
        ids: Iterable[str],
        start: date | str | None = None,
        end: date | str | None = None,
        as_of: date | str | None = None,
    ) -> pd.DataFrame:
        """Observations of ``ids`` as a long DataFrame.

        Parameters
        ----------
        ids
            Series ids.
        start, end
            Inclusive bounds on the observation date.
        as_of
            Return the values that were published on that day (rows whose
            ``[realtime_start, realtime_end]`` contains it); default: the current values.
            For history imported without vintages, ``realtime_start`` was derived from the
            catalog's publication schedule.

        Returns
        -------
        pandas.DataFrame
            Columns ``series_id, date, value, realtime_start, realtime_end`` (dates as
            ``datetime64``), sorted by series (in the order of ``ids``) and date.
        """
        id_list = list(dict.fromkeys(ids))
        if not id_list:
            return _empty_frame()
        clauses = [f"series_id IN ({placeholders(id_list)})"]
        params: list[Any] = list(id_list)
        if as_of is None:
            clauses.append("realtime_end = DATE '9999-12-31'")
        else:
            clauses.append("realtime_start <= CAST(? AS DATE) AND realtime_end >= CAST(? AS DATE)")
            params += [str(as_of), str(as_of)]
        if start is not None:
            clauses.append("date >= CAST(? AS DATE)")
            params.append(str(start))
        if end is not None:
            clauses.append("date <= CAST(? AS DATE)")
            params.append(str(end))
        frame = self.execute(
            f"SELECT {_SELECT} FROM observations "
            f"WHERE {' AND '.join(clauses)} ORDER BY series_id, date",
            params,
        ).df()
        frame = _typed(frame)
        if len(id_list) > 1 and not frame.empty:
            rank = frame["series_id"].map({sid: i for i, sid in enumerate(id_list)})
            frame = frame.iloc[rank.argsort(kind="stable")].reset_index(drop=True)
        return frame

    def read_wide(
        self,
        ids: Iterable[str],
        start: date | str | None = None,
        end: date | str | None = None,
        as_of: date | str | None = None,
    ) -> pd.DataFrame:
        """Like :meth:`read`, pivoted: one column per series, indexed by date."""
        id_list = list(dict.fromkeys(ids))
        long = self.read(id_list, start, end, as_of)
        wide = long.pivot(index="date", columns="series_id", values="value")
        return wide.reindex(columns=id_list)

    def read_vintages(self, ids: Iterable[str]) -> pd.DataFrame:
        """Every stored vintage of ``ids`` (columns as :meth:`read`, plus ``ingested_at``)."""
        id_list = list(dict.fromkeys(ids))
        frame = self.execute(
            f"SELECT {_SELECT}, ingested_at FROM observations "
            f"WHERE series_id IN ({placeholders(id_list)}) "
            "ORDER BY series_id, date, realtime_start",
            id_list,
        ).df()
        return _typed(frame)

    def first_releases(self, series_id: str) -> pd.Series:
        """The first published value of every date of ``series_id`` that was revised later
        (indexed by date)."""
        rows = self.execute(
            """
            SELECT DISTINCT ON (date) date, value FROM observations
            WHERE series_id = ? AND date IN (
                SELECT date FROM observations WHERE series_id = ?
                GROUP BY date HAVING count(*) > 1)
            ORDER BY date, realtime_start
            """,
            [series_id, series_id],
        ).fetchall()
        return pd.Series(
            [float(v) for _, v in rows],
            index=pd.DatetimeIndex([pd.Timestamp(d) for d, _ in rows]),
            dtype=float,
        )

    def latest(self, ids: Sequence[str] | None = None) -> pd.DataFrame:
        """The latest current observation of each stored series.

        Returns
        -------
        pandas.DataFrame
            Columns ``series_id, date, value, realtime_start, ingested_at``.
        """
        where, params = _ids_clause("series_id", ids, prefix="AND")
        frame = self.execute(
            f"""
            SELECT DISTINCT ON (series_id) series_id, date, value, realtime_start, ingested_at
            FROM observations
            WHERE realtime_end = DATE '9999-12-31' {where}
            ORDER BY series_id, date DESC
            """,
            params,
        ).df()
        for col in ("date", "realtime_start"):
            frame[col] = pd.to_datetime(frame[col])
        return frame

    def row_count(self) -> int:
        """Number of stored observation rows (all vintages)."""
        row = self.execute("SELECT count(*) FROM observations").fetchone()
        return int(row[0]) if row else 0

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Result:
        """Run one SQL statement on the store (for the modules that own their own tables).

        Write portable SQL: ``?`` placeholders, no engine-specific functions; the same
        text runs on DuckDB and PostgreSQL. A read-only store refuses writes.
        """
        if self.read_only and self.dialect == "duckdb":
            _refuse_writes(sql, self.location.display)
        return self._backend.execute(sql, list(params or []))


def _open_backend(location: StoreLocation, read_only: bool, lock_timeout: float) -> Backend:
    if location.backend == "postgresql":
        from liqwatch.store.postgres_backend import PostgresBackend

        return PostgresBackend(location, read_only=read_only, lock_timeout=lock_timeout)
    from liqwatch.store.duckdb_backend import DuckDBBackend

    return DuckDBBackend(location, read_only=read_only, lock_timeout=lock_timeout)


def _refuse_writes(sql: str, where: str) -> None:
    import duckdb

    allowed = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
    for statement in duckdb.extract_statements(sql):
        if statement.type not in allowed:
            raise StoreError(f"the store {where} is open read-only: cannot run "
                             f"{statement.type.name}")


def _ids_clause(
    column: str, ids: Sequence[str] | None, prefix: str = "WHERE"
) -> tuple[str, list[Any]]:
    if ids is None:
        return "", []
    id_list = list(ids)
    return f"{prefix} {column} IN ({placeholders(id_list)})", id_list


def _empty_frame() -> pd.DataFrame:
    return _typed(pd.DataFrame({c: [] for c in _OBS_COLUMNS}))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame["series_id"] = frame["series_id"].astype(str)
    frame["value"] = frame["value"].astype(float)
    for col in ("date", "realtime_start", "realtime_end"):
        if col in frame:
            frame[col] = pd.to_datetime(frame[col])
    return frame
