"""Import of FRED-format CSV files and of snapshot folders into the store.

A file holds one series: a date column (header ``DATE``, ``observation_date`` or ``date``) and
one value column; ``.`` and empty cells are missing. A folder is imported file by file (file name
= series id), with ``MANIFEST.csv``, when present, giving each series' provenance. Files are
parsed and checked first; the good ones are then written in one transaction, so a bad file
never leaves part of itself behind and never stops the others.
"""

from __future__ import annotations

import csv
import gzip
import io
import logging
import stat
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from liqwatch import catalog, validation
from liqwatch.exceptions import ImportFileError
from liqwatch.store import Store

__all__ = ["ImportReport", "ParsedFile", "import_path", "parse_csv", "read_manifest",
           "read_text"]

log = logging.getLogger(__name__)

DATE_HEADERS = ("date", "observation_date")
MANIFEST = "MANIFEST.csv"
MISSING = {"", ".", "null", "nan", "na", "#n/a"}
#: Largest file (once gunzipped) read, in bytes: a daily series since 1900 is under 1 MB.
MAX_BYTES = 256 * 2**20


@dataclass
class ParsedFile:
    """One parsed file: its series id and observations (missing values dropped)."""

    path: Path
    series_id: str
    frame: pd.DataFrame
    missing: int


@dataclass
class ImportReport:
    """What an import did.

    Attributes
    ----------
    imported
        Per series id: ``(rows in file, new observations, revised observations)``.
    user_series
        Ids imported as ``user`` series because they are not catalogued.
    errors
        Files that could not be imported, with the reason (nothing from them was written).
    skipped
        Folder entries with a series file name that are not readable files, with the reason:
        symbolic links to a missing file or in a loop, folders, devices.
    """

    imported: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    user_series: list[str] = field(default_factory=list)
    errors: list[ImportFileError] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 all imported, 3 partial (a file failed or was skipped), 2 nothing imported."""
        if not self.errors and not self.skipped:
            return 0
        return 3 if self.imported else 2


def _series_id_from(path: Path) -> str:
    name = path.name
    for suffix in (".csv.gz", ".csv", ".txt"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def read_text(path: Path) -> str:
    """The text of a CSV file, gunzipped when its name ends in ``.gz``.

    Raises
    ------
    ImportFileError
        The file cannot be read, is not a complete gzip stream (corrupt or truncated), is
        larger than :data:`MAX_BYTES`, or is not UTF-8 text.
    """
    try:
        if path.name.lower().endswith(".gz"):
            with gzip.open(path, "rb") as fh:
                data = fh.read(MAX_BYTES + 1)
        else:
            with path.open("rb") as fh:
                data = fh.read(MAX_BYTES + 1)
    except EOFError:
        raise ImportFileError(path, "the gzip file is truncated (it ends before its last "
                              "block)") from None
    except (gzip.BadGzipFile, zlib.error) as exc:
        raise ImportFileError(path, f"not a readable gzip file ({exc})") from None
    except OSError as exc:
        raise ImportFileError(path, f"cannot be read: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise ImportFileError(path, f"larger than {MAX_BYTES // 2**20} MB once read; a "
                              "series file is far smaller")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFileError(path, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset "
                              f"{exc.start})", line=line) from None


def _rows(path: Path, text: str) -> list[tuple[int, str, str]]:
    """The data rows ``(line, date, value)`` of a two-column CSV text, its header checked.

    Blank lines are skipped; empty fields after the second (a trailing comma) are dropped.
    """
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ImportFileError(path, "holds a NUL byte: not a text CSV file", line=line)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    rows: list[tuple[int, str, str]] = []
    try:
        for fields in reader:
            while len(fields) > 2 and not fields[-1].strip():
                fields.pop()
            if not any(f.strip() for f in fields):
                continue
            if header is None:
                _check_header(path, fields, reader.line_num)
                header = fields
                continue
            if len(fields) != 2:
                raise ImportFileError(path, f"expected 2 fields (date and value), found "
                                      f"{len(fields)}", line=reader.line_num)
            rows.append((reader.line_num, fields[0], fields[1]))
    except csv.Error as exc:
        raise ImportFileError(path, f"not a readable CSV file: {exc}",
                              line=reader.line_num) from None
    if header is None:
        raise ImportFileError(path, "the file is empty (expected a header `date,value`)")
    return rows


def _check_header(path: Path, header: list[str], line: int) -> None:
    if len(header) != 2:
        shown = [validation.shown(h, 40) for h in header[:6]]
        raise ImportFileError(
            path, f"expected 2 columns (date and value), found {len(header)}: "
            f"[{', '.join(shown)}]", line=line)
    if header[0].strip().lower() not in DATE_HEADERS:
        raise ImportFileError(
            path,
            "first column must be DATE, observation_date or date, not "
            f"{validation.shown(header[0], 40)}",
            line=line,
        )


def parse_csv(path: Path, series_id: str | None = None) -> ParsedFile:
    """Parse one FRED-format CSV file (``.csv`` or ``.csv.gz``).

    Parameters
    ----------
    path
        The file.
    series_id
        Series id; default: the file name without extension.

    Raises
    ------
    ImportFileError
        Naming the file, the line and the problem: unreadable or corrupt, wrong columns, no
        data rows, an unparsable or out-of-range date, a number that is not finite, a
        duplicated date, an invalid series id (see :mod:`liqwatch.validation`).
    """
    sid = series_id or _series_id_from(path)
    problem = validation.id_problem(sid)
    if problem:
        hint = "" if series_id else " (name the series with --series ID)"
        raise ImportFileError(path, problem + hint)
    rows = _rows(path, read_text(path))
    if not rows:
        raise ImportFileError(path, f"series {sid}: no data rows (a header but no "
                              "observations): not a series")
    lines = [r[0] for r in rows]
    raw_dates = pd.Series([r[1].strip() for r in rows], dtype=object)
    text = pd.Series([r[2].strip() for r in rows], dtype=object)
    dates = pd.to_datetime(raw_dates, format="%Y-%m-%d", errors="coerce")
    bad = dates.isna()
    if bad.any():
        i = int(bad.to_numpy().argmax())
        problem = f"unparsable date {validation.shown(raw_dates.iloc[i])} (expected YYYY-MM-DD)"
        raise ImportFileError(path, problem, line=lines[i])
    missing = text.str.lower().isin(MISSING)
    values = pd.to_numeric(text.where(~missing), errors="coerce")
    bad = values.isna() & ~missing
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise ImportFileError(path, f"unparsable number {validation.shown(text.iloc[i])}",
                              line=lines[i])
    keep = (~missing).to_numpy()
    # Every date and value is checked before any date arithmetic (publication schedules).
    checked = pd.DataFrame({"date": dates, "value": text})[keep]
    kept_lines = [n for n, k in zip(lines, keep, strict=True) if k]
    if not keep.any():
        raise ImportFileError(path, f"series {sid}: every value is missing: no observations")
    validation.check_file(path, sid, checked.reset_index(drop=True),
                          lambda row: kept_lines[row])
    dup = dates.duplicated()
    if dup.any():
        i = int(dup.to_numpy().argmax())
        problem = f"date {dates.iloc[i].date()} appears twice"
        raise ImportFileError(path, problem, line=lines[i])
    frame = pd.DataFrame(
        {"series_id": sid, "date": dates[keep].to_numpy(), "value": values[keep].to_numpy()}
    )
    return ParsedFile(path=path, series_id=sid, frame=frame, missing=int(missing.sum()))


def read_manifest(folder: Path) -> dict[str, dict[str, str]]:
    """Provenance rows of ``folder/MANIFEST.csv`` keyed by ``series_id`` (empty if absent)."""
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    text = read_text(path)
    try:
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ImportFileError(path, f"not a readable CSV file: {exc}") from None
    return {str(r["series_id"]): {str(k): str(v) for k, v in r.items() if k is not None}
            for r in rows if r.get("series_id")}


def _is_series_file(name: str) -> bool:
    low = name.lower()
    return name != MANIFEST and (low.endswith(".csv") or low.endswith(".csv.gz"))


def _skip_reason(p: Path) -> str | None:
    """Why the folder entry ``p`` cannot be read as a file, or None when it can."""
    try:
        st = p.stat()  # follows a symbolic link
    except FileNotFoundError:
        return "a symbolic link to a missing file" if p.is_symlink() else "vanished"
    except OSError as exc:
        if p.is_symlink():
            return f"a symbolic link that cannot be followed ({exc.strerror or exc})"
        return f"cannot be read ({exc.strerror or exc})"
    if not stat.S_ISREG(st.st_mode):
        kind = "a folder" if stat.S_ISDIR(st.st_mode) else "not a regular file"
        return kind + (" (through a symbolic link)" if p.is_symlink() else "")
    return None


def _files_in(path: Path, report: ImportReport) -> list[Path]:
    """The series files of ``path`` (a file or a folder), recording in ``report`` the entries
    skipped (links that lead nowhere, folders, devices) and the names that collide."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise ImportFileError(path, "no such file or folder")
    candidates: list[Path] = []
    for p in sorted(path.iterdir()):
        if not _is_series_file(p.name):
            continue
        reason = _skip_reason(p)
        if reason is not None:
            report.skipped.append((p, reason))
            continue
        candidates.append(p)
    groups: dict[str, list[Path]] = {}
    for p in candidates:
        groups.setdefault(_series_id_from(p).casefold(), []).append(p)
    files: list[Path] = []
    for same in groups.values():
        if len(same) == 1:
            files.append(same[0])
            continue
        for p in same:
            others = ", ".join(o.name for o in same if o != p)
            report.errors.append(ImportFileError(
                p, f"the same series as {others} (the names differ only in case or in .gz); "
                "keep one of them: none was imported"))
    return sorted(files)


def import_path(
    store: Store,
    path: Path | str,
    *,
    vintage_date: date | None = None,
    series_id: str | None = None,
    on_file: Callable[[Path], None] | None = None,
) -> ImportReport:
    """Import a CSV file or a snapshot folder into ``store``.

    Parameters
    ----------
    store
        Target store.
    path
        A CSV file or a folder of them (``MANIFEST.csv`` optional).
    vintage_date
        First day a value that differs from the stored one counts as published (default
        today); see :meth:`liqwatch.store.Store.write`.
    series_id
        Series id for a single file whose name is not the id.
    on_file
        Called after each file is parsed (progress reporting).

    Returns
    -------
    ImportReport
        What was imported and which files failed. Failed files wrote nothing; the others were
        written together in one transaction.
    """
    root = Path(path)
    report = ImportReport()
    files = _files_in(root, report)
    try:
        manifest = read_manifest(root if root.is_dir() else root.parent)
    except ImportFileError as exc:
        report.errors.append(exc)
        manifest = {}

    def parse(p: Path) -> ParsedFile | ImportFileError:
        try:
            return parse_csv(p, series_id if root.is_file() else None)
        except ImportFileError as exc:
            return exc
        finally:
            if on_file is not None:
                on_file(p)

    with ThreadPoolExecutor(max_workers=4) as pool:
        parsed = list(pool.map(parse, files))
    good = [p for p in parsed if isinstance(p, ParsedFile)]
    report.errors += [p for p in parsed if isinstance(p, ImportFileError)]
    if not good:
        return report
    with store.transaction():
        for pf in good:
            if not catalog.is_known(pf.series_id):
                report.user_series.append(pf.series_id)
                log.warning(
                    "%s: series %s is not in the catalog; imported as a user series",
                    validation.visible(str(pf.path)),
                    pf.series_id,
                )
            prov: dict[str, Any] = {"file": str(pf.path.resolve())}
            prov.update(manifest.get(pf.series_id, {}))
            store.register_series(pf.series_id, provenance=prov)
        frames = [pf.frame for pf in good if not pf.frame.empty]
        result = store.write(pd.concat(frames, ignore_index=True), vintage_date=vintage_date) \
            if frames else None
    for pf in good:
        new = result.new.get(pf.series_id, 0) if result else 0
        rev = result.revised.get(pf.series_id, 0) if result else 0
        report.imported[pf.series_id] = (len(pf.frame), new, rev)
    return report
