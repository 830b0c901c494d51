"""Export indicators, the composite index or raw series as Parquet, CSV or JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from liqwatch import indicators
from liqwatch.exceptions import ConfigError, UnknownSeriesError
from liqwatch.files import atomic_write, write_text
from liqwatch.jsonsafe import jsonable
from liqwatch.store import Store
from liqwatch.stress import stress_history

__all__ = ["ExportResult", "export", "export_frame"]

What = Literal["indicators", "stress", "series"]
Format = Literal["parquet", "csv", "json"]
WHATS: tuple[str, ...] = ("indicators", "stress", "series")
FORMATS: tuple[str, ...] = ("parquet", "csv", "json")


@dataclass(frozen=True)
class ExportResult:
    """Where an export went and how many rows it holds."""

    path: Path
    rows: int
    columns: list[str]


def export_frame(
    store: Store,
    what: str,
    *,
    as_of: date | None = None,
    ids: list[str] | None = None,
    start: date | None = None,
    end: date | None = None,
) -> pd.DataFrame:
    """The table an export writes.

    ``indicators``: the history of every indicator (``date, id, category, value, status``), or
    with ``as_of`` the full reading of that day (``liqwatch.indicators.compute``).
    ``stress``: the composite index history (``date, method, value, status``).
    ``series``: observations (``series_id, date, value, realtime_start, realtime_end``) as
    published on ``as_of`` (default: current values), all stored series unless ``ids``.
    """
    if what == "series":
        known = store.known_ids()
        chosen = ids or known
        unknown = [i for i in chosen if i not in known]
        if unknown:
            raise UnknownSeriesError(f"no data for {', '.join(unknown)} in the store")
        return store.read(chosen, start=start, end=end, as_of=as_of)
    if what == "indicators":
        if as_of is not None:
            return indicators.compute(store, as_of=as_of)
        return indicators.history(store, ids=ids, start=start, end=end)
    if what == "stress":
        return stress_history(store, start=start, end=end or as_of)
    raise ConfigError(f"--what {what!r}: choose one of {', '.join(WHATS)}")


def _flat(frame: pd.DataFrame) -> pd.DataFrame:
    """Nested values (dicts, lists) as JSON text, for CSV and Parquet."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object and out[col].map(
                lambda v: isinstance(v, (dict, list, tuple))).any():
            out[col] = out[col].map(
                lambda v: json.dumps(jsonable(v), ensure_ascii=False)
                if isinstance(v, (dict, list, tuple)) else v)
    return out


def export(
    store: Store,
    what: str,
    fmt: str,
    out: Path | str,
    **kwargs: Any,
) -> ExportResult:
    """Write :func:`export_frame` to ``out`` as ``parquet``, ``csv`` or ``json``.

    The file is written to a unique temporary name and moved into place, so a failed export
    never leaves a half-written file; the folder must exist (a mistyped path is refused, not
    created).
    """
    if fmt not in FORMATS:
        raise ConfigError(f"--format {fmt!r}: choose one of {', '.join(FORMATS)}")
    folder = Path(out).resolve().parent
    if not folder.is_dir():
        raise ConfigError(f"--out {out}: folder {folder} does not exist")
    frame = export_frame(store, what, **kwargs)
    if fmt == "json":
        records = [jsonable(r) for r in frame.to_dict("records")]
        write_text(out, json.dumps(records, ensure_ascii=False, indent=1))
    elif fmt == "csv":
        atomic_write(out, lambda tmp: _flat(frame).to_csv(tmp, index=False,
                                                          date_format="%Y-%m-%d"))
    else:
        atomic_write(out, lambda tmp: _parquet(_flat(frame), tmp))
    return ExportResult(Path(out), len(frame), [str(c) for c in frame.columns])


def _parquet(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` as Parquet with DuckDB's writer."""
    import duckdb

    con = duckdb.connect(":memory:")
    try:
        con.register("frame", frame)
        con.execute(f"COPY frame TO '{_sql_path(path)}' (FORMAT parquet)")
    finally:
        con.close()


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")
