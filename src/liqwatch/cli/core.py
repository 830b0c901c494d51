"""Core commands: status, series, import, catalog, demo."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.text import Text

from liqwatch import validation
from liqwatch.cli._common import (
    TableFormat,
    TableJson,
    check_range,
    console,
    emit,
    err_console,
    exit_with,
    open_store,
    parse_date,
)
from liqwatch.exceptions import ConfigError, UnknownSeriesError
from liqwatch.validation import visible


def status(
    fmt: Annotated[TableJson, typer.Option("--format", "-f")] = TableJson.table,
    include_missing: Annotated[
        bool, typer.Option("--all", metavar="", help="Also list catalogued series with no data.")
    ] = False,
    today: Annotated[
        str | None,
        typer.Option("--today", metavar="DATE", help="Judge staleness on this day (YYYY-MM-DD)."),
    ] = None,
) -> None:
    """Latest value of every stored series, its date, unit, source and staleness.

    A series is stale when its next observation should have been published by now (its
    publication schedule plus a grace period) but is not in the store. Stale rows are
    highlighted.

    Examples:

        liqwatch status

        liqwatch status --format json | jq '.[] | select(.stale)'
    """
    from liqwatch.status import series_status

    with open_store(read_only=True) as store:
        frame = series_status(store, parse_date(today, "--today"), include_missing=include_missing)
    if frame.empty:
        err_console.print(
            "[yellow]The store is empty.[/] Load data with [bold]liqwatch import "
            "../shared/data/raw[/] (offline) or [bold]liqwatch update[/] (online)."
        )
    records = [{str(k): v for k, v in r.items()} for r in frame.to_dict("records")]
    if fmt == TableJson.json:
        emit(records, "json")
        return
    emit(
        records,
        "table",
        columns=["series_id", "date", "value", "unit", "source", "published", "stale", "ended"],
        title=f"liqwatch status — {len(records)} series",
        optional=["ended", "published", "source"],
        row_style=lambda r: (
            "yellow" if r["stale"] and not r.get("ended") else ("dim" if r.get("ended") else None)
        ),
    )
    n_stale = int(frame["stale"].sum()) if not frame.empty else 0
    if n_stale:
        console.print(
            f"[yellow]{n_stale} stale series[/] (dim rows are discontinued). "
            "Refresh with [bold]liqwatch update[/]."
        )


def series(
    ids: Annotated[list[str], typer.Argument(metavar="ID", help="Series ids, e.g. SOFR IORB.")],
    start: Annotated[
        str | None, typer.Option(metavar="DATE", help="First date (YYYY-MM-DD).")
    ] = None,
    end: Annotated[str | None, typer.Option(metavar="DATE", help="Last date (YYYY-MM-DD).")] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="DATE", help="Show the values as published on this day."),
    ] = None,
    fmt: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
) -> None:
    """Observations of one or more series, optionally as published on a past day.

    Examples:

        liqwatch series SOFR --start 2019-09-13 --end 2019-09-20

        liqwatch series WRESBAL --as-of 2019-09-19 --format csv
    """
    lo, hi, day = parse_date(start, "--start"), parse_date(end, "--end"), parse_date(as_of)
    check_range(lo, hi)
    with open_store(read_only=True) as store:
        stored = set(store.known_ids())
        unknown = [i for i in ids if i not in stored]
        if unknown:
            raise UnknownSeriesError(_unknown_message(unknown, stored))
        frame = store.read(ids, start=lo, end=hi, as_of=day)
    records = [{str(k): v for k, v in r.items()} for r in frame.to_dict("records")]
    if not records:
        span = f" between {lo or 'the start'} and {hi or 'the end'}" if lo or hi else ""
        err_console.print(Text(visible(f"no observations of {', '.join(ids)}{span}")
                               + (f" published by {day}" if day else "") + ".",
                               style="yellow"))
    emit(
        records,
        fmt.value,
        columns=["series_id", "date", "value", "realtime_start", "realtime_end"],
        title=f"{', '.join(ids)}" + (f" as of {as_of}" if as_of else "") + _units(ids),
    )


def _unknown_message(unknown: list[str], stored: set[str]) -> str:
    """``no data for X``, with the stored ids it resembles and how to load catalogued ones."""
    import difflib

    from liqwatch import catalog

    msg = f"no data for {', '.join(unknown)}"
    by_upper = {s.upper(): s for s in stored}
    close = []
    for i in unknown:
        match = by_upper.get(i.upper()) or next(
            iter(difflib.get_close_matches(i, sorted(stored), n=1)), None)
        if match:
            close.append(match)
    if close:
        msg += f" (did you mean {', '.join(close)}?)"
    if any(catalog.is_known(i) for i in unknown):
        msg += " (catalogued but not loaded: run liqwatch update or import)"
    return msg + "; `liqwatch status` lists the stored series"


def _units(ids: list[str]) -> str:
    """`` (USD millions)`` when every series is catalogued in one unit."""
    from liqwatch import catalog

    units = {catalog.get(i).unit_label for i in ids if catalog.is_known(i)}
    return f" ({units.pop()})" if len(units) == 1 and all(map(catalog.is_known, ids)) else ""


def import_(
    path: Annotated[Path, typer.Argument(metavar="PATH", help="A CSV file or a folder of them.")],
    vintage: Annotated[
        str | None,
        typer.Option(
            metavar="DATE", help="Day revised values count as published from (default today)."
        ),
    ] = None,
    series_id: Annotated[
        str | None, typer.Option("--series", metavar="ID",
                                 help="Series id of a single file (default: name).")
    ] = None,
) -> None:
    """Import FRED-format CSV files (DATE/observation_date/date, value) into the store.

    A folder is imported file by file (file name = series id); MANIFEST.csv, if present, gives
    provenance. Re-importing the same data changes nothing; a changed value opens a new
    vintage. A bad file is reported with its line number and skipped whole.
    Exit code 0: all imported, 3: some files failed, 2: none could be imported.

    Examples:

        liqwatch import ../shared/data/raw

        liqwatch import revised_sofr.csv --series SOFR --vintage 2024-06-01
    """
    from rich.progress import Progress

    from liqwatch.importer import import_path

    if not path.exists():
        raise ConfigError(f"{path}: no such file or folder")
    if path.is_dir() and not any(p.name != "MANIFEST.csv"
                                 and p.name.lower().endswith((".csv", ".csv.gz"))
                                 for p in path.iterdir()):
        raise ConfigError(f"{path}: no CSV files in this folder (one file per series is "
                          "expected, e.g. SOFR.csv)")
    vintage_day = parse_date(vintage, "--vintage")
    if vintage_day is not None:
        problem = validation.day_problem(vintage_day, "--vintage")
        if problem:
            raise ConfigError(problem)
    with open_store() as store, Progress(console=err_console, transient=True) as progress:
        total = 1 if path.is_file() else len(list(path.glob("*.csv*"))) if path.is_dir() else 1
        task = progress.add_task(f"Importing {path}", total=total)
        report = import_path(
            store,
            path,
            vintage_date=vintage_day,
            series_id=series_id,
            on_file=lambda _p: progress.advance(task),
        )
    new = sum(v[1] for v in report.imported.values())
    revised = sum(v[2] for v in report.imported.values())
    for sid in report.user_series:
        err_console.print(Text.assemble(("warning:", "yellow"), f" {sid} is not in the catalog; "
                                        "imported as a user series"))
    for skipped, reason in report.skipped:
        err_console.print(Text.assemble(("skipped:", "yellow"),
                                        f" {visible(str(skipped))}: {reason}"))
    for err in report.errors:
        err_console.print(Text.assemble(("error:", "red"), f" {visible(str(err))}"))
    console.print(
        f"Imported {len(report.imported)} series: {new:,} new observations, "
        f"{revised:,} revised; {len(report.errors)} file(s) failed"
        + (f", {len(report.skipped)} skipped." if report.skipped else ".")
    )
    exit_with(report.exit_code)


def catalog_(
    fmt: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
    lang: Annotated[str, typer.Option(metavar="en|ja",
                                      help="Description language: en or ja.")] = "en",
    source: Annotated[str | None, typer.Option(metavar="SOURCE",
                                               help="Only this source (fred, nyfed, ...).")] = None,
) -> None:
    """Every series liqwatch knows: source, unit, frequency, publication schedule.

    Examples:

        liqwatch catalog

        liqwatch catalog --source nyfed --lang ja
    """
    from liqwatch import catalog

    if lang not in ("en", "ja"):
        raise ConfigError(f"--lang {lang!r}: choose en or ja")
    sources = sorted({spec.source for spec in catalog.catalog().values()})
    if source and source not in sources:
        raise ConfigError(f"--source {source!r}: choose one of {', '.join(sources)}")
    records: list[dict[str, Any]] = []
    for spec in catalog.catalog().values():
        if source and spec.source != source:
            continue
        records.append(
            {
                "series_id": spec.id,
                "source": spec.source,
                "source_id": spec.source_id,
                "unit": spec.unit_label,
                "frequency": spec.frequency.value,
                "release": spec.release.ja if lang == "ja" else spec.release.en,
                "lag_days": spec.release.days,
                "lag_business_days": spec.release.business,
                "variant_of": spec.variant_of,
                "ended": spec.ended,
                "description": spec.description(lang),
                "note": spec.note,
            }
        )
    emit(
        records,
        fmt.value,
        columns=None
        if fmt != TableFormat.table
        else ["series_id", "source", "unit", "frequency", "release", "description"],
        title=f"liqwatch catalog — {len(records)} series",
        optional=["release", "frequency", "source"],
    )


def demo_source() -> tuple[str, Path | None]:
    """Where demo data comes from: ``snapshot`` or ``shared`` with a folder, else ``live``."""
    env = os.environ.get("LIQWATCH_SNAPSHOT_DIR")
    if env:
        return "snapshot", Path(env)
    shared = Path("..") / "shared" / "data" / "raw"
    if shared.is_dir():
        return "shared", shared
    return "live", None


def demo(
    today: Annotated[
        str | None, typer.Option(metavar="DATE", help="Judge staleness on this day.")
    ] = None,
    report_path: Annotated[
        Path, typer.Option("--report", metavar="FILE", help="Where to write the HTML report.")
    ] = Path("report.html"),
) -> None:
    """Load data into the store (offline if possible), show the status, write the report.

    Data comes from, in order: $LIQWATCH_SNAPSHOT_DIR, ../shared/data/raw, or a live
    `liqwatch update`. The last line printed is the path of the report.

    Example:

        liqwatch --db demo.duckdb demo
    """
    from liqwatch.importer import import_path

    _kind, folder = demo_source()
    if folder is not None:
        if not folder.is_dir():
            err_console.print(Text(f"LIQWATCH_SNAPSHOT_DIR={folder} is not a folder.",
                                   style="red"))
            raise typer.Exit(1)
        console.print(f"Loading the offline snapshot from [bold]{escape(str(folder))}[/] …")
        with open_store() as store:
            report = import_path(store, folder)
        for err in report.errors:
            err_console.print(Text.assemble(("error:", "red"), f" {visible(str(err))}"))
        console.print(f"{len(report.imported)} series loaded.")
    else:
        live = _live_update()
        if live is None:
            err_console.print(
                "[red]No data available.[/] Set LIQWATCH_SNAPSHOT_DIR to a folder of "
                "FRED-format CSV files (one per series, e.g. SOFR.csv), or run from a checkout "
                "with ../shared/data/raw beside it, or connect to the internet so that "
                "`liqwatch update` can fetch the official sources."
            )
            raise typer.Exit(2)
    status(fmt=TableJson.table, include_missing=False, today=today)
    _demo_report(report_path)


def _demo_report(path: Path) -> None:
    """Write the HTML report of the demo store and print its path last."""
    from liqwatch.report import write_report

    console.print("Writing the HTML report …")
    with open_store(read_only=True) as store:
        written = write_report(store, path)
    console.print(f"Report: {written.resolve()}", soft_wrap=True)


def _live_update() -> int | None:
    """Run ``liqwatch update`` when that command exists; None when it cannot run."""
    try:
        from liqwatch.cli import update as update_cli
    except ImportError:
        return None
    runner = getattr(update_cli, "run_for_demo", None)
    if runner is None:
        return None
    result: int | None = runner()
    return result


def register(app: typer.Typer) -> None:
    """Add the core commands to ``app``."""
    app.command("status")(status)
    app.command("series")(series)
    app.command("import")(import_)
    app.command("catalog")(catalog_)
    app.command("demo")(demo)
