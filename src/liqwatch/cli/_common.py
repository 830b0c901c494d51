"""Shared pieces of the command-line interface: global state, output formats, dates."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import typer
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from liqwatch.exceptions import ConfigError
from liqwatch.jsonsafe import plain_records as plain_records
from liqwatch.validation import day_problem, visible

if TYPE_CHECKING:
    from liqwatch.asof import AsOf

# Piped output is not cut to 80 columns: tables stay readable in files and pagers.
console = Console(highlight=False, width=None if sys.stdout.isatty() else 200)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")
#: Longest text shown in one table cell; JSON and CSV output keep every character.
MAX_CELL = 1000

STATUS_STYLES = {"normal": "green", "watch": "yellow", "alert": "bold red", "no_data": "dim"}


class State:
    """Options given before the command (``liqwatch --db PATH|URL COMMAND``)."""

    db: str | None = None


state = State()


class TableFormat(StrEnum):
    """Output formats of commands that list records."""

    table = "table"
    json = "json"
    csv = "csv"


class TableJson(StrEnum):
    """Output formats of commands without CSV output."""

    table = "table"
    json = "json"


class Lang(StrEnum):
    """Language of explanations and reports."""

    en = "en"
    ja = "ja"


def settings() -> Any:
    """The settings with the global options applied (``--db``)."""
    from liqwatch.config import load_settings

    return load_settings(db=state.db)


def db_location() -> Any:
    """The store named by ``--db``, ``LIQWATCH_DB``, the config file, or the default file.

    Returns
    -------
    liqwatch.store.StoreLocation
    """
    location = settings().store_location
    if location.backend == "duckdb" and not location.is_memory and location.path.is_dir():
        raise ConfigError(f"--db {location.path} is a folder; give a store file such as "
                          f"{location.path / 'liqwatch.duckdb'}")
    return location


def open_store(*, read_only: bool = False) -> Any:
    """Open the store named by the global options, for one command (step).

    Read-only opening never keeps a writer waiting: a DuckDB file is copied into memory and
    closed at once, a PostgreSQL store reads one consistent snapshot. Another process holding
    a DuckDB file is waited for up to ``LIQWATCH_LOCK_TIMEOUT`` seconds (default 15). A
    read-only command never creates a store: when the file does not exist it reads an empty
    in-memory store (and says so), so a mistyped ``--db`` leaves no stray file behind.
    """
    from liqwatch.store import Store

    conf = settings()
    location = db_location()
    if read_only and location.backend == "duckdb" and not location.is_memory \
            and not location.path.exists():
        err_console.print(Text(f"note: there is no store at {location.path} yet (nothing was "
                               "created); load data with `liqwatch import ../shared/data/raw` "
                               "or `liqwatch update`.", style="yellow"))
        return Store(":memory:")
    return Store(location, read_only=read_only, lock_timeout=conf.lock_timeout)


def parse_date(value: str | None, option: str = "--as-of") -> date | None:
    """Parse an ISO date given on the command line (``today`` is accepted).

    An ``--as-of`` day after today is refused: nothing is published in the future; any date
    outside 1900-01-01 to a year ahead (:func:`liqwatch.validation.day_problem`) too.
    """
    if value is None:
        return None
    if value.lower() == "today":
        return date.today()
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"{option}: {value!r} is not a date (use YYYY-MM-DD)") from None
    if option == "--as-of" and day > date.today():
        raise ConfigError(f"--as-of {day} is in the future (today is {date.today()}); leave it "
                          "out for the latest data")
    problem = day_problem(day, option)
    if problem:  # no data exists there, and dates must stay within datetime64[ns]
        raise ConfigError(problem)
    return day


def report_day(store: Any, as_of: str | None, *, lang: str = "en") -> AsOf:
    """Resolve the day a command reports on and say which it is, in one line on standard
    error (standard output keeps only the command's result, so that JSON and CSV stay clean).
    """
    from liqwatch.asof import resolve_as_of

    resolved = resolve_as_of(store, parse_date(as_of))
    err_console.print(Text(resolved.describe(lang), style="dim"))
    return resolved


def check_range(start: date | None, end: date | None) -> None:
    """Refuse a ``--start`` after ``--end``."""
    if start is not None and end is not None and start > end:
        raise ConfigError(f"--start {start} is after --end {end}")


def emit(
    records: Sequence[Mapping[Any, Any]],
    fmt: str,
    *,
    columns: Sequence[str] | None = None,
    title: str | None = None,
    row_style: Callable[[dict[str, Any]], str | None] | None = None,
    formatters: dict[str, Callable[[Any], str]] | None = None,
    optional: Sequence[str] = (),
) -> None:
    """Print ``records`` as a Rich table, JSON (a list of objects) or CSV.

    In a table, cells and the title are plain text (never Rich markup), control and invisible
    format characters (terminal escapes, right-to-left overrides) show as ``\\u`` escapes and
    a cell is cut at :data:`MAX_CELL` characters; dates, numbers and
    short codes are never cut, longer text wraps. When the table is wider than the terminal,
    the ``optional`` columns are left out, in that order, until it fits (a note says which).
    """
    rows = plain_records(records)
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    cols = list(columns or (rows[0].keys() if rows else []))
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for r in rows:
            writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list))
                             else v for k, v in r.items()})
        sys.stdout.write(buf.getvalue())
        return
    fmts = formatters or {}
    cells = [{c: fmts[c](r.get(c)) if c in fmts else _cell(r.get(c)) for c in cols}
             for r in rows]
    styles = [row_style(dict(raw)) if row_style else None for raw in records]
    hidden: list[str] = []
    shown = list(cols)
    for extra in optional:
        if _min_width(cells, shown) <= console.width or extra not in shown:
            continue
        shown.remove(extra)
        hidden.append(extra)
    if _min_width(cells, shown) <= console.width:
        mode = "fit"
    elif _keep_width(cells, shown) <= console.width:
        mode = "keep"  # dates and numbers whole, text folded into what is left
    else:
        mode = "free"
    console.print(_table(rows, cells, styles, shown, visible(title) if title else None,
                         mode=mode))
    if hidden:
        console.print(Text(f"(hidden to fit the terminal: {', '.join(hidden)}; widen it or "
                           "use --format json)", style="dim"))


def _table(rows: Sequence[dict[str, Any]], cells: Sequence[dict[str, str]],
           styles: Sequence[str | None], cols: Sequence[str], title: str | None,
           *, mode: str) -> Table:
    """A Rich table of plain-text ``cells``. ``mode``: ``fit`` (no word, date, number or code
    cut), ``keep`` (dates, numbers and codes whole; text folded), ``free`` (Rich decides)."""
    table = Table(title=Text(title) if title else None, show_lines=False, header_style="bold")
    for c in cols:
        keep = _whole_column(cells, c)
        width: int | None = None
        fixed: int | None = None
        if mode == "fit":
            width = _column_minimum(cells, c, keep)
        elif mode == "keep" and keep:  # a fixed width: Rich then squeezes only the text
            fixed = max([4, *(cell_len(cell[c]) for cell in cells)])
        table.add_column(c, justify="right" if _numeric_column(rows, c) else "left",
                         min_width=width, width=fixed, no_wrap=mode == "fit" and keep,
                         overflow="ellipsis" if mode == "fit" and keep else "fold")
    for cell, style in zip(cells, styles, strict=True):
        table.add_row(*(Text(cell[c]) for c in cols), style=style)
    return table


def _whole_column(cells: Sequence[dict[str, str]], col: str) -> bool:
    """True when no value of ``col`` should be cut: dates, numbers, ids and other codes."""
    vals = [cell[col] for cell in cells]
    return bool(vals) and all(len(v) <= 12 or (" " not in v and len(v) <= 32) for v in vals)


def _column_minimum(cells: Sequence[dict[str, str]], col: str, keep: bool) -> int:
    """Narrowest width of ``col``: its longest value when ``keep``, else its longest word."""
    from rich.cells import cell_len

    def longest_word(text: str) -> int:
        return max((cell_len(w) for w in text.split()), default=0)

    if keep:
        return max([cell_len(col), *(cell_len(cell[col]) for cell in cells)])
    return max([longest_word(col), *(longest_word(cell[col]) for cell in cells)])


def _keep_width(cells: Sequence[dict[str, str]], cols: Sequence[str]) -> int:
    """Width of a table whose dates, numbers and codes are whole and whose text columns get
    at least 8 cells."""
    total = 3 * len(cols) + 1
    for c in cols:
        total += (max((cell_len(cell[c]) for cell in cells), default=0)
                  if _whole_column(cells, c) else 8)
    return total


def _min_width(cells: Sequence[dict[str, str]], cols: Sequence[str]) -> int:
    """Narrowest width of a table of ``cells`` in which no word, date or number is cut."""
    return 3 * len(cols) + 1 + sum(  # padding and borders
        _column_minimum(cells, c, _whole_column(cells, c)) for c in cols)


def _numeric_column(rows: Sequence[dict[str, Any]], col: str) -> bool:
    vals = [r.get(col) for r in rows if r.get(col) is not None]
    return bool(vals) and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                              for v in vals)


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(v) for v in value) or "—"
    if isinstance(value, dict):
        return ", ".join(f"{k}={_cell(v)}" for k, v in value.items()) or "—"
    if isinstance(value, float):
        return f"{value:,.4f}".rstrip("0").rstrip(".") if abs(value) < 1e6 else f"{value:,.0f}"
    text = visible(str(value))
    if _TIMESTAMP.match(text):  # an ISO timestamp: to the second, readable
        return text[:19].replace("T", " ")
    if len(text) > MAX_CELL:
        return f"{text[:MAX_CELL]}… ({len(text):,} characters; --format json shows all)"
    return text


#: Characters a Japanese line must not start with (they stay at the end of the line before).
_NO_LINE_START = set("、。，．・：；？！）」』】〕％ー")
#: Characters a Japanese line must not end with (they move to the next line).
_NO_LINE_END = set("（「『【〔")
_ASCII_RUN = re.compile(r"[\x21-\x7e\u2212\u2013]+| |.", re.S)


def wrap_japanese(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` cells: Japanese breaks between any two characters (not before
    closing punctuation), runs of Latin letters and digits are kept whole."""
    from rich.cells import cell_len

    lines: list[str] = []
    line = ""
    room = width - 2  # closing punctuation may hang into the last cells
    for token in _ASCII_RUN.findall(text):
        if line and cell_len(line + token) > room and token != " " and \
                token[0] not in _NO_LINE_START:
            carry = ""
            while line and line[-1] in _NO_LINE_END:
                carry, line = line[-1] + carry, line[:-1]
            lines.append(line.rstrip())
            line = carry + token
            continue
        line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


def print_paragraph(text: str, lang: str = "en", style: str = "") -> None:
    """Print a paragraph wrapped to the terminal (as plain text, never markup)."""
    if lang == "ja":
        console.print(Text("\n".join(wrap_japanese(text, max(console.width, 20))), style=style),
                      soft_wrap=True)
    else:
        console.print(Text(text, style=style))


def exit_with(code: int) -> None:
    """Leave the command with ``code`` (0 returns normally)."""
    if code:
        raise typer.Exit(code)
