"""The checks every observation passes on its way into the store.

Every reader — the CSV importer (:mod:`liqwatch.importer`) and each source client's payload
(:mod:`liqwatch.update`) — hands its parsed series to this module before anything is written,
and :meth:`liqwatch.store.Store.write` runs the same checks once more as the store's own guard.
A series that fails is refused whole: nothing of it reaches the store.

What is checked:

* **series ids** match :data:`liqwatch.catalog.SERIES_ID` (1–64 letters, digits, ``_``,
  ``.`` or ``-``, starting with a letter or a digit): no empty id, no markup, no control or
  right-to-left characters, no path separators;
* **values** are finite numbers (``inf``, ``-Infinity``, ``1e309`` and NaN are refused);
* **dates** (the observation date, and ``realtime_start`` where given) lie between
  :data:`FIRST_DATE` (1900-01-01) and a year after today. Every such date fits a
  ``datetime64[ns]`` (1677-09-21 to 2262-04-11) with centuries to spare, so no date arithmetic
  on the way to the store (publication schedules, business-day offsets) can overflow;
* a series has at least one row (a header-only file is not a series).

Errors are the project's typed ones: :class:`~liqwatch.exceptions.ImportFileError` (file and
line) for files, :class:`~liqwatch.exceptions.SchemaError` (source and series) for payloads,
:class:`~liqwatch.exceptions.InvalidDataError` (series) for a direct
:meth:`~liqwatch.store.Store.write`. Each names the series, the row and the offending value,
shown with :func:`shown` so that a hostile value prints as inert text.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from liqwatch.catalog import SERIES_ID, SERIES_ID_RULE
from liqwatch.exceptions import ImportFileError, InvalidDataError, SchemaError

__all__ = [
    "FIRST_DATE",
    "Problem",
    "check_file",
    "check_series_id",
    "check_source",
    "check_write",
    "day_problem",
    "find_problem",
    "id_problem",
    "last_date",
    "shown",
    "visible",
]

#: Earliest observation date accepted.
FIRST_DATE = date(1900, 1, 1)
#: Longest excerpt of a bad value quoted in an error.
_SHOWN = 60
#: Unicode categories :func:`visible` writes as escapes (controls, formats, line and paragraph
#: separators, surrogates, private use, unassigned).
_HIDDEN = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


def last_date(today: date | None = None) -> date:
    """Latest date accepted: one year after ``today`` (default: the current day)."""
    day = today or date.today()
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


@dataclass(frozen=True)
class Problem:
    """What is wrong with a parsed series.

    Attributes
    ----------
    message
        The problem in words, quoting the value (see :func:`shown`).
    row
        0-based position of the offending row in the frame, or None for the whole series.
    """

    message: str
    row: int | None = None


def visible(text: str) -> str:
    """``text`` with control and invisible format characters written as ``\\u`` escapes.

    Terminal escape sequences (``\\x1b[...``), right-to-left overrides and isolates, zero-width
    characters and line or paragraph separators can make text display as something else;
    newlines and tabs are kept. Letters, digits, punctuation and spaces of every script
    (Japanese included) are unchanged.

    Examples
    --------
    >>> visible("ab\u202ecd\x1b[31m")
    'ab\\u202ecd\\u001b[31m'
    """
    return "".join(
        f"\\u{ord(ch):04x}" if ch not in "\n\t" and unicodedata.category(ch) in _HIDDEN else ch
        for ch in text
    )


def shown(value: Any, limit: int = _SHOWN) -> str:
    """``value`` quoted for an error message: control, format (right-to-left marks) and other
    invisible characters written as ``\\u`` escapes, cut to ``limit`` characters."""
    text = str(value)
    out = []
    for ch in text[:limit]:
        if unicodedata.category(ch)[0] in ("C", "Z") and ch != " ":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    more = f"… ({len(text):,} characters)" if len(text) > limit else ""
    return "'" + "".join(out).replace("'", "\\'") + "'" + more


def id_problem(series_id: str) -> str | None:
    """Why ``series_id`` is not a valid series id, or None when it is."""
    if not series_id:
        return "the series id is empty"
    if SERIES_ID.fullmatch(series_id):
        return None
    return f"series id {shown(series_id)} is not valid: {SERIES_ID_RULE}"


def day_problem(day: date, what: str, today: date | None = None) -> str | None:
    """Why ``day`` (a vintage or observation date) is outside the accepted range, or None."""
    if FIRST_DATE <= day <= last_date(today):
        return None
    return f"{what} {day} is outside {FIRST_DATE} to {last_date(today)}"


def check_series_id(series_id: str) -> str:
    """Return ``series_id`` when valid; raise :class:`InvalidDataError` naming it otherwise."""
    problem = id_problem(series_id)
    if problem:
        raise InvalidDataError(problem, series_id=series_id)
    return series_id


def _first(mask: np.ndarray[Any, Any]) -> int | None:
    hits = np.flatnonzero(mask)
    return int(hits[0]) if hits.size else None


def _dates_problem(days: pd.Series, what: str, today: date | None) -> Problem | None:
    """The first date of ``days`` that is missing or outside the accepted range."""
    parsed = pd.to_datetime(days, errors="coerce")
    lo, hi = pd.Timestamp(FIRST_DATE), pd.Timestamp(last_date(today))
    bad = (parsed.isna() | (parsed < lo) | (parsed > hi)).to_numpy(dtype=bool)
    row = _first(bad)
    if row is None:
        return None
    raw = days.iloc[row]
    value = raw.date() if isinstance(raw, pd.Timestamp) else raw
    return Problem(f"{what} {shown(value)} is outside {FIRST_DATE} to {last_date(today)}", row)


def _values_problem(values: pd.Series) -> Problem | None:
    """The first value that is not a finite number."""
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    row = _first(~np.isfinite(numbers))
    if row is None:
        return None
    return Problem(f"value {shown(values.iloc[row])} is not a finite number", row)


def find_problem(frame: pd.DataFrame, *, today: date | None = None,
                 allow_empty: bool = False) -> Problem | None:
    """The first problem of a parsed series, or None when it may be stored.

    Parameters
    ----------
    frame
        Columns ``date`` and ``value`` and, optionally, ``realtime_start`` and ``series_id``.
    today
        The day the date range is counted from (default: the current day).
    allow_empty
        Accept a frame without rows (a source that had nothing new); a file must have rows.
    """
    if frame.empty:
        return None if allow_empty else Problem("no observations (a header but no data rows)")
    if "series_id" in frame:
        ids = frame["series_id"].astype(str)
        for sid in ids.unique():
            problem = id_problem(str(sid))
            if problem:
                return Problem(problem, _first((ids == sid).to_numpy()))
    found = _values_problem(frame["value"]) or _dates_problem(frame["date"], "date", today)
    if found is None and "realtime_start" in frame:
        found = _dates_problem(frame["realtime_start"], "realtime_start", today)
    return found


def check_file(path: Path, series_id: str, frame: pd.DataFrame,
               line_of: Callable[[int], int], *, today: date | None = None) -> None:
    """Refuse a parsed file whose id, dates or values are not storable.

    Parameters
    ----------
    path
        The file (named in the error).
    series_id
        The series the file holds.
    frame
        Its rows: ``date`` and ``value`` (the text as read, or parsed numbers).
    line_of
        Maps a 0-based row of ``frame`` to its 1-based line in the file.

    Raises
    ------
    ImportFileError
        Naming the file, the series, the line and the value.
    """
    problem = id_problem(series_id)
    if problem:
        raise ImportFileError(path, problem)
    found = find_problem(frame, today=today)
    if found is not None:
        line = line_of(found.row) if found.row is not None else None
        raise ImportFileError(path, f"series {series_id}: {found.message}", line=line)


def check_source(source: str, series_id: str, frame: pd.DataFrame, *,
                 today: date | None = None) -> None:
    """Refuse a source's parsed series whose dates or values are not storable.

    Raises
    ------
    SchemaError
        Naming the source, the series, the date and the value; nothing of the series is
        stored.
    """
    found = find_problem(frame, today=today, allow_empty=True)
    if found is None:
        return
    where = ""
    if found.row is not None and "date" in frame:
        where = f" (row {found.row + 1}, dated {shown(_day(frame['date'].iloc[found.row]))})"
    raise SchemaError(f"{found.message}{where}; nothing of this series was stored",
                      source=source, series_id=series_id)


def check_write(frame: pd.DataFrame, *, today: date | None = None) -> None:
    """The store's own guard (:meth:`liqwatch.store.Store.write`).

    Raises
    ------
    InvalidDataError
        Naming the series, the row and the value.
    """
    found = find_problem(frame, today=today, allow_empty=True)
    if found is None:
        return
    sid = str(frame["series_id"].iloc[found.row]) if found.row is not None \
        and "series_id" in frame else None
    raise InvalidDataError(f"{found.message}; nothing was written", series_id=sid)


def _day(value: Any) -> Any:
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, float) and math.isnan(value):
        return "missing"
    return value
