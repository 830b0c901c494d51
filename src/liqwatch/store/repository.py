"""Reading and writing observations with their vintages.

The store never overwrites a value. Writing a value that differs from the current one for the
same series and date closes the current row (its ``realtime_end`` becomes the day before the new
``realtime_start``) and opens a new one. Writing the same data again changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from liqwatch import catalog
from liqwatch.exceptions import StoreError
from liqwatch.store.db import connect

__all__ = ["OPEN_END", "Store", "WriteResult"]

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


def derive_realtime_start(series_id: str, dates: pd.Series) -> pd.Series:
    """Publication dates of ``dates`` from the catalog's schedule (user series: lag of a day)."""
    spec = (
        catalog.get(series_id) if catalog.is_known(series_id) else catalog.user_series(series_id)
    )
    return spec.release.published(dates, spec.frequency)


class Store:
    """The point-in-time store in one DuckDB file.

    Parameters
    ----------
    path
        DuckDB file (created with its parent folders if missing) or ``":memory:"``.
    read_only
        Open the file without write access.

    Examples
    --------
    >>> store = Store(":memory:")
    >>> store.read(["SOFR"]).empty
    True
    """

    def __init__(self, path: Path | str, *, read_only: bool = False) -> None:
        self.path = path
        self.con = connect(path, read_only=read_only)
        self._in_transaction = False

    def close(self) -> None:
        """Close the connection."""
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ transactions
    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """Run the block in one transaction: all of its writes land, or none do."""
        if self._in_transaction:
            yield self
            return
        self.con.execute("BEGIN TRANSACTION")
        self._in_transaction = True
        try:
            yield self
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        else:
            self.con.execute("COMMIT")
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
        known = catalog.is_known(series_id)
        spec = catalog.get(series_id) if known else catalog.user_series(series_id)
        now = datetime.now(UTC).replace(tzinfo=None)
        prov = json.dumps(provenance, ensure_ascii=False) if provenance else None
        self.con.execute(
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
        return self.con.execute(
            f"""
            SELECT s.series_id, s.source, s.source_id, s.unit, s.frequency, s.title, s.origin,
                   s.provenance, s.updated_at,
                   min(o.date) AS first_date, max(o.date) AS last_date,
                   count(o.date) AS rows
            FROM series s LEFT JOIN observations o
              ON o.series_id = s.series_id AND o.realtime_end = DATE '9999-12-31'
            {where}
            GROUP BY ALL ORDER BY s.series_id
            """,
            params,
        ).df()

    def known_ids(self) -> list[str]:
        """Ids of every series with at least one stored row."""
        rows = self.con.execute(
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
        """
        if frame.empty:
            return WriteResult()
        missing = {"series_id", "date", "value"} - set(frame.columns)
        if missing:
            raise StoreError(f"write() needs columns {sorted(missing)}")
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
        if data["value"].isna().any():
            raise StoreError("write() got missing values; drop them first")
        today = vintage_date or datetime.now(UTC).date()
        with self.transaction():
            self.con.register("_incoming_df", data)
            try:
                if explicit_vintages:
                    return self._write_explicit(kind)
                return self._write_current(today, kind)
            finally:
                self.con.unregister("_incoming_df")

    def _write_current(self, vintage_date: date, kind: str) -> WriteResult:
        con = self.con
        con.execute(
            """
            CREATE OR REPLACE TEMP TABLE _in AS
            SELECT CAST(series_id AS VARCHAR) AS series_id, CAST(date AS DATE) AS date,
                   CAST(value AS DOUBLE) AS value,
                   CAST(realtime_start AS DATE) AS realtime_start
            FROM _incoming_df
            """
        )
        con.execute(
            """
            CREATE OR REPLACE TEMP TABLE _chg AS
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
        con.execute(
            """
            UPDATE observations AS o SET realtime_end = c.realtime_start - 1
            FROM _chg c
            WHERE c.revised AND o.series_id = c.series_id AND o.date = c.date
              AND o.realtime_end = DATE '9999-12-31'
            """
        )
        con.execute(
            """
            INSERT INTO observations
            SELECT series_id, date, value, realtime_start, DATE '9999-12-31', now(),
                   CASE WHEN revised THEN 'observed' ELSE ? END
            FROM _chg
            """,
            [kind],
        )
        return self._counts()

    def _write_explicit(self, kind: str) -> WriteResult:
        con = self.con
        con.execute(
            """
            CREATE OR REPLACE TEMP TABLE _in AS
            SELECT DISTINCT CAST(series_id AS VARCHAR) AS series_id, CAST(date AS DATE) AS date,
                   CAST(value AS DOUBLE) AS value,
                   CAST(realtime_start AS DATE) AS realtime_start
            FROM _incoming_df
            """
        )
        con.execute(
            """
            CREATE OR REPLACE TEMP TABLE _chg AS
            WITH stored AS (
                SELECT o.* FROM observations o
                WHERE o.series_id IN (SELECT DISTINCT series_id FROM _in)
            )
            SELECT i.series_id, i.date, i.value, i.realtime_start,
                   EXISTS (SELECT 1 FROM stored s
                           WHERE s.series_id = i.series_id AND s.date = i.date) AS revised
            FROM _in i
            WHERE NOT EXISTS (
                SELECT 1 FROM stored s
                WHERE s.series_id = i.series_id AND s.date = i.date
                  AND (s.realtime_start = i.realtime_start
                       OR (s.realtime_start <= i.realtime_start
                           AND i.realtime_start <= s.realtime_end
                           AND abs(s.value - i.value) <= 1e-12 * greatest(1.0, abs(s.value))))
            )
            """
        )
        con.execute(
            """
            INSERT INTO observations
            SELECT series_id, date, value, realtime_start, DATE '9999-12-31', now(), ?
            FROM _chg
            """,
            [kind],
        )
        con.execute(
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
        con.execute(
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
        for sid, revised, n in self.con.execute(
            "SELECT series_id, revised, count(*) FROM _chg GROUP BY ALL"
        ).fetchall():
            target = result.revised if revised else result.new
            target[sid] = int(n)
        return result

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
            ``datetime64``), sorted by series and date.
        """
        id_list = list(dict.fromkeys(ids))
        if not id_list:
            return _empty_frame()
        clauses = ["series_id IN (SELECT unnest(?))"]
        params: list[Any] = [id_list]
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
        frame = self.con.execute(
            f"SELECT {_SELECT} FROM observations "
            f"WHERE {' AND '.join(clauses)} ORDER BY list_position(?, series_id), date",
            [*params, id_list],
        ).df()
        return _typed(frame)

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
        frame = self.con.execute(
            f"SELECT {_SELECT}, ingested_at FROM observations "
            "WHERE series_id IN (SELECT unnest(?)) ORDER BY series_id, date, realtime_start",
            [id_list],
        ).df()
        return _typed(frame)

    def latest(self, ids: Sequence[str] | None = None) -> pd.DataFrame:
        """The latest current observation of each stored series.

        Returns
        -------
        pandas.DataFrame
            Columns ``series_id, date, value, realtime_start, ingested_at``.
        """
        where, params = _ids_clause("series_id", ids, prefix="AND")
        frame = self.con.execute(
            f"""
            SELECT series_id, date, value, realtime_start, ingested_at
            FROM observations
            WHERE realtime_end = DATE '9999-12-31' {where}
            QUALIFY row_number() OVER (PARTITION BY series_id ORDER BY date DESC) = 1
            ORDER BY series_id
            """,
            params,
        ).df()
        for col in ("date", "realtime_start"):
            frame[col] = pd.to_datetime(frame[col])
        return frame

    def row_count(self) -> int:
        """Number of stored observation rows (all vintages)."""
        row = self.con.execute("SELECT count(*) FROM observations").fetchone()
        return int(row[0]) if row else 0

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> duckdb.DuckDBPyConnection:
        """Run raw SQL on the store (for the modules that own their own tables)."""
        return self.con.execute(sql, params or [])


def _ids_clause(
    column: str, ids: Sequence[str] | None, prefix: str = "WHERE"
) -> tuple[str, list[Any]]:
    if ids is None:
        return "", []
    return f"{prefix} {column} IN (SELECT unnest(?))", [list(ids)]


def _empty_frame() -> pd.DataFrame:
    return _typed(pd.DataFrame({c: [] for c in _OBS_COLUMNS}))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame["series_id"] = frame["series_id"].astype(str)
    frame["value"] = frame["value"].astype(float)
    for col in ("date", "realtime_start", "realtime_end"):
        if col in frame:
            frame[col] = pd.to_datetime(frame[col])
    return frame
