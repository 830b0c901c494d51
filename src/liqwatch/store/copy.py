"""Copy a whole store between backends (``liqwatch store copy SRC DST``), losslessly.

Every row of every table goes across as the engine returned it (every vintage with its
real-time interval and ingestion time, the fetch log and update state, the alert log with its
ids, deliveries, acknowledgements and snoozes), in one transaction on the destination: an
interrupted copy leaves the destination as it was. The row counts are checked afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from liqwatch.exceptions import StoreError
from liqwatch.store import db
from liqwatch.store.repository import TABLES, Store

__all__ = ["CopyReport", "copy_store", "memory_copy", "table_counts"]

#: Tables copied (``schema_version`` is each store's own migration history).
DATA_TABLES = tuple(t for t in TABLES if t != "schema_version")
_CHUNK = 50_000


@dataclass
class CopyReport:
    """Rows copied per table."""

    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """Rows copied in all."""
        return sum(self.rows.values())


def table_counts(store: Store) -> dict[str, int]:
    """Rows per data table of ``store``."""
    out = {}
    for table in DATA_TABLES:
        row = store.execute(f"SELECT count(*) FROM {table}").fetchone()
        out[table] = int(row[0]) if row else 0
    return out


def _columns(store: Store, table: str) -> list[str]:
    rows = store.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = ? AND table_schema = current_schema() ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [r[0] for r in rows]


def copy_store(src: Store, dst: Store, *, replace: bool = False) -> CopyReport:
    """Copy every table of ``src`` into ``dst``.

    Parameters
    ----------
    src
        The store to read (read-only is enough).
    dst
        A writable store, empty unless ``replace``.
    replace
        Delete what ``dst`` holds first (in the same transaction).

    Returns
    -------
    CopyReport
        Rows copied per table.

    Raises
    ------
    StoreError
        When the schemas differ, ``dst`` is not empty, or the counts do not match afterwards.
    """
    versions = {s.location.display: db.schema_version(s.backend) for s in (src, dst)}
    if len(set(versions.values())) != 1:
        shown = ", ".join(f"{k}: {v}" for k, v in versions.items())
        raise StoreError(f"the stores have different schema versions ({shown}): run "
                         "`liqwatch store migrate` on the older one")
    before = table_counts(dst)
    if any(before.values()) and not replace:
        held = ", ".join(f"{n} {t}" for t, n in before.items() if n)
        raise StoreError(f"the destination {dst.location.display} is not empty ({held}): "
                         "copy into a new store, or pass --replace to overwrite it")
    report = CopyReport()
    with dst.transaction():
        if replace:
            for table in reversed(DATA_TABLES):
                dst.execute(f"DELETE FROM {table}")
        for table in DATA_TABLES:
            cols = _columns(src, table)
            if cols != _columns(dst, table):
                raise StoreError(f"table {table} has other columns in {dst.location.display}")
            quoted = ", ".join(f'"{c}"' for c in cols)
            result = src.execute(f"SELECT {quoted} FROM {table}")
            n = 0
            while rows := result.fetchmany(_CHUNK):
                dst.backend.insert_rows(table, cols, rows)
                n += len(rows)
            report.rows[table] = n
        top = dst.execute("SELECT max(id) FROM alert_log").fetchone()
        if top and top[0] is not None:
            dst.backend.advance_sequence("alert_log_id", int(top[0]))
    src.release()
    after = table_counts(dst)
    if after != report.rows:
        raise StoreError(f"the copy into {dst.location.display} does not match: copied "
                         f"{report.rows}, found {after}")
    return report


def memory_copy(src: Store) -> Store:
    """A read-only in-memory DuckDB store holding everything ``src`` holds now."""
    mem = Store(":memory:")
    copy_store(src, mem)
    mem.read_only = True
    mem.backend.read_only = True
    return mem
