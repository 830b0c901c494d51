"""What the store needs from a database engine, implemented for DuckDB and PostgreSQL.

The repository (:mod:`liqwatch.store.repository`) and the modules that own tables write one
portable SQL text with ``?`` placeholders; a backend runs it on its engine, inserts frames in
bulk, brackets transactions, serialises writers and says when the data last changed.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Hashable, Sequence
from typing import Any, ClassVar, Protocol

import numpy as np
import pandas as pd

from liqwatch.store.location import StoreLocation

__all__ = ["DEFAULT_LOCK_TIMEOUT", "Backend", "Result", "plain"]

#: Seconds a command waits for a store another process holds before it gives up.
DEFAULT_LOCK_TIMEOUT = 15.0


class Result(Protocol):
    """The rows of one statement."""

    def fetchone(self) -> Any:
        """The next row (a tuple), or None."""

    def fetchall(self) -> list[Any]:
        """Every remaining row."""

    def fetchmany(self, size: int) -> list[Any]:
        """Up to ``size`` more rows (an empty list at the end)."""

    def df(self) -> pd.DataFrame:
        """Every remaining row as a DataFrame (dates and timestamps as ``datetime64``)."""


def plain(value: Any) -> Any:
    """``value`` as a plain Python object a database driver accepts (numpy and pandas
    scalars unwrapped; NaT and NaN as None; pandas timestamps as ``datetime``)."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def frame_rows(frame: pd.DataFrame, dates: Sequence[str] = ()) -> list[tuple[Any, ...]]:
    """Rows of ``frame`` as tuples of plain values; the ``dates`` columns as ``date``."""
    cols: list[list[Any]] = []
    for name in frame.columns:
        col = frame[name]
        if name in dates:
            values = [None if pd.isna(v) else pd.Timestamp(v).date() for v in col]
        elif pd.api.types.is_datetime64_any_dtype(col):
            values = [None if pd.isna(v) else pd.Timestamp(v).to_pydatetime() for v in col]
        else:
            values = [plain(v) for v in col.tolist()]
        cols.append(values)
    return list(zip(*cols, strict=True)) if cols else []


def datetime_columns(frame: pd.DataFrame, names: Sequence[str]) -> pd.DataFrame:
    """Turn the ``names`` columns of Python dates/datetimes into ``datetime64[us]`` (as
    DuckDB returns them; ``9999-12-31`` fits)."""
    for name in names:
        frame[name] = pd.to_datetime(frame[name].astype(object)).astype("datetime64[us]")
    return frame


class Backend(ABC):
    """One connection to a store's database, as the repository uses it."""

    dialect: ClassVar[str]

    def __init__(self, location: StoreLocation, *, read_only: bool, lock_timeout: float) -> None:
        self.location = location
        self.read_only = read_only
        self.lock_timeout = lock_timeout

    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] = ()) -> Result:
        """Run one statement with ``?`` placeholders."""

    @abstractmethod
    def insert(self, table: str, frame: pd.DataFrame, *, dates: Sequence[str] = ()) -> None:
        """Append ``frame`` to ``table`` (columns by name; ``dates`` columns hold days)."""

    @abstractmethod
    def insert_rows(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
                    ) -> None:
        """Append ``rows`` (tuples of plain Python values, as fetched) to ``table``."""

    @abstractmethod
    def begin(self) -> None:
        """Start a transaction."""

    @abstractmethod
    def commit(self) -> None:
        """Commit the transaction."""

    @abstractmethod
    def rollback(self) -> None:
        """Roll the transaction back."""

    def lock_writes(self) -> None:  # noqa: B027 - a no-op where the engine has one writer
        """Inside a transaction: wait until no other process writes observations."""

    def release(self) -> None:  # noqa: B027 - a no-op where nothing is held
        """Let other processes at the store until the next statement (outside transactions)."""

    @abstractmethod
    def change_token(self) -> Hashable:
        """A value that differs whenever a committed write changed the store."""

    @abstractmethod
    def advance_sequence(self, name: str, value: int) -> None:
        """Make the next value of sequence ``name`` greater than ``value``."""

    @abstractmethod
    def close(self) -> None:
        """Close the connection."""
