"""Import of FRED-format CSV files and of snapshot folders into the store.

A file holds one series: a date column (header ``DATE``, ``observation_date`` or ``date``) and
one value column; ``.`` and empty cells are missing. A folder is imported file by file (file name
= series id), with ``MANIFEST.csv``, when present, giving each series' provenance. Files are
parsed and checked first; the good ones are then written in one transaction, so a bad file
never leaves part of itself behind and never stops the others.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from liqwatch import catalog
from liqwatch.exceptions import ImportFileError
from liqwatch.store import Store

__all__ = ["ImportReport", "ParsedFile", "import_path", "parse_csv", "read_manifest"]

log = logging.getLogger(__name__)

DATE_HEADERS = ("date", "observation_date")
MANIFEST = "MANIFEST.csv"
MISSING = {"", ".", "null", "nan", "na", "#n/a"}


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
    """

    imported: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    user_series: list[str] = field(default_factory=list)
    errors: list[ImportFileError] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 all imported, 3 partial, 2 nothing could be imported."""
        if not self.errors:
            return 0
        return 3 if self.imported else 2


def _series_id_from(path: Path) -> str:
    name = path.name
    for suffix in (".csv.gz", ".csv", ".txt"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def parse_csv(path: Path, series_id: str | None = None) -> ParsedFile:
    """Parse one FRED-format CSV file.

    Parameters
    ----------
    path
        The file.
    series_id
        Series id; default: the file name without extension.

    Raises
    ------
    ImportFileError
        Naming the file, the line and the problem: wrong columns, an unparsable date or number,
        a duplicated date.
    """
    sid = series_id or _series_id_from(path)
    try:
        raw = pd.read_csv(
            path, dtype=str, keep_default_na=False, skip_blank_lines=True, encoding="utf-8-sig"
        )
    except pd.errors.EmptyDataError:
        raise ImportFileError(path, "the file is empty (expected a header `date,value`)") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise ImportFileError(path, f"not a readable CSV file: {exc}") from None
    cols = list(raw.columns)
    if len(cols) != 2:
        raise ImportFileError(
            path, f"expected 2 columns (date and value), found {len(cols)}: {cols}", line=1
        )
    if cols[0].strip().lower() not in DATE_HEADERS:
        raise ImportFileError(
            path,
            f"first column must be DATE, observation_date or date, not {cols[0]!r}",
            line=1,
        )
    raw.columns = ["date", "value"]
    dates = pd.to_datetime(raw["date"].str.strip(), format="%Y-%m-%d", errors="coerce")
    bad = dates.isna()
    if bad.any():
        i = int(bad.to_numpy().argmax())
        problem = f"unparsable date {raw['date'].iloc[i]!r} (expected YYYY-MM-DD)"
        raise ImportFileError(path, problem, line=_line_of(path, i))
    text = raw["value"].str.strip()
    missing = text.str.lower().isin(MISSING)
    values = pd.to_numeric(text.where(~missing), errors="coerce")
    bad = values.isna() & ~missing
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise ImportFileError(path, f"unparsable number {text.iloc[i]!r}", line=_line_of(path, i))
    dup = dates.duplicated()
    if dup.any():
        i = int(dup.to_numpy().argmax())
        problem = f"date {dates.iloc[i].date()} appears twice"
        raise ImportFileError(path, problem, line=_line_of(path, i))
    keep = ~missing
    frame = pd.DataFrame(
        {"series_id": sid, "date": dates[keep].to_numpy(), "value": values[keep].to_numpy()}
    )
    return ParsedFile(path=path, series_id=sid, frame=frame, missing=int(missing.sum()))


def _line_of(path: Path, row: int) -> int:
    """1-based line number in ``path`` of data row ``row`` (0-based; blank lines skipped)."""
    opener: Callable[..., Any] = open
    if path.suffix == ".gz":
        import gzip

        opener = gzip.open
    seen = -1
    with opener(path, "rt", encoding="utf-8-sig", newline="") as fh:
        for lineno, line in enumerate(fh, start=1):
            if lineno == 1 or not line.strip():
                continue
            seen += 1
            if seen == row:
                return lineno
    return row + 2


def read_manifest(folder: Path) -> dict[str, dict[str, str]]:
    """Provenance rows of ``folder/MANIFEST.csv`` keyed by ``series_id`` (empty if absent)."""
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return {r["series_id"]: dict(r) for r in rows if r.get("series_id")}


def _files_in(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise ImportFileError(path, "no such file or folder")
    files = [
        p
        for p in sorted(path.iterdir())
        if p.is_file()
        and p.name != MANIFEST
        and (p.name.lower().endswith(".csv") or p.name.lower().endswith(".csv.gz"))
    ]
    return files


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
    files = _files_in(root)
    manifest = read_manifest(root if root.is_dir() else root.parent)
    report = ImportReport()

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
    report.errors = [p for p in parsed if isinstance(p, ImportFileError)]
    if not good:
        return report
    with store.transaction():
        for pf in good:
            if not catalog.is_known(pf.series_id):
                report.user_series.append(pf.series_id)
                log.warning(
                    "%s: series %s is not in the catalog; imported as a user series",
                    pf.path,
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
