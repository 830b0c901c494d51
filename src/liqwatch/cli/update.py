"""``liqwatch update``: bring the store up to date from the official sources."""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import urlsplit

import typer

from liqwatch.cli._common import (
    TableJson,
    console,
    emit,
    err_console,
    exit_with,
    open_store,
    parse_date,
    state,
)

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from liqwatch.update import UpdateReport

__all__ = ["register", "run_for_demo", "update"]

#: Hosts probed (port 443) before a live demo update.
PROBE_TIMEOUT = 2.0


class _RichProgress:
    """One Rich progress bar per source."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.tasks: dict[str, TaskID] = {}

    def start(self, source: str, total: int) -> None:
        self.tasks[source] = self.progress.add_task(f"{source:<10}", total=total)

    def advance(self, source: str, series_id: str, ok: bool) -> None:
        task = self.tasks.get(source)
        if task is not None:
            self.progress.advance(task)
            mark = "" if ok else " [red](failed)[/]"
            self.progress.update(task, description=f"{source:<10} {series_id}{mark}")


def _run(
    sources: list[str] | None,
    series: list[str] | None,
    since: str | None,
    dry_run: bool,
    fred_api_key: str | None,
    show_progress: bool = True,
) -> UpdateReport:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from liqwatch.config import load_settings
    from liqwatch.update import run_update

    settings = load_settings(db=state.db, fred_api_key=fred_api_key)
    with (
        open_store() as store,
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err_console,
            transient=True,
            disable=not show_progress,
        ) as bar,
    ):
        return run_update(
            store,
            sources=sources or None,
            series=series or None,
            since=parse_date(since, "--since"),
            dry_run=dry_run,
            settings=settings,
            progress=_RichProgress(bar),
        )


def _print_report(report: UpdateReport) -> None:
    for note in report.notes:
        err_console.print(f"[yellow]note:[/] {note}", highlight=False)
    if not report.outcomes:
        console.print(
            "No series selected: --source and --series are combined (both must "
            "match); see `liqwatch catalog`."
        )
        return
    rows: list[dict[str, Any]] = []
    for o in report.outcomes:
        rows.append(
            {
                "series_id": o.series_id,
                "source": o.source,
                "status": o.status,
                "new": o.rows_new,
                "revised": o.rows_revised,
                "last_date": o.last_date,
                "reason": o.error
                or o.skipped
                or ("stale: the source has not published recently" if o.stale else None),
            }
        )
    styles = {"failed": "red", "skipped": "dim", "stale": "yellow"}
    emit(
        rows,
        "table",
        columns=["series_id", "source", "status", "new", "revised", "last_date", "reason"],
        title=f"liqwatch update{' (dry run)' if report.dry_run else ''} — run {report.run_id}",
        row_style=lambda r: styles.get(str(r["status"])),
    )
    colour = "green" if report.exit_code == 0 else "yellow" if report.exit_code == 3 else "red"
    console.print(f"[{colour}]{report.summary()}[/]")
    if report.failed and all(
        "connection failed" in (o.error or "") or "timed out" in (o.error or "")
        for o in report.failed
    ):
        err_console.print(
            "The sources could not be reached: check the network connection, "
            "or point LIQWATCH_<SOURCE>_URL at a mirror (see docs/update.md)."
        )


def update(
    source: Annotated[
        list[str] | None,
        typer.Option(
            "--source",
            "-s",
            metavar="SOURCE",
            help="Only this source (repeatable): fred, nyfed, fiscaldata, ofr, eia, coinbase.",
        ),
    ] = None,
    series: Annotated[
        list[str] | None,
        typer.Option(
            "--series", metavar="ID", help="Only this catalog series (repeatable), e.g. SOFR."
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="DATE",
            help="Fetch from this date (YYYY-MM-DD) instead of incrementally.",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Fetch and compare; write nothing.")
    ] = False,
    fred_api_key: Annotated[
        str | None,
        typer.Option(
            "--fred-api-key",
            metavar="KEY",
            help="FRED API key (else LIQWATCH_FRED_API_KEY, "
            "FRED_API_KEY or the config file; without one, no vintages).",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[TableJson, typer.Option("--format", "-f")] = TableJson.table,
) -> None:
    """Fetch new and revised observations from the official sources.

    Sources: FRED/ALFRED, the New York Fed, Treasury FiscalData, OFR, EIA and Coinbase.

    Each series is fetched from its last stored date minus a look-back window (revisions);
    a series never fetched is loaded in full. Every series is stored in its own transaction:
    a failure never leaves half a series and never stops the others.
    Exit code 0: all succeeded, 3: some failed, 2: all failed.

    Examples:

        liqwatch update

        liqwatch update --series SOFR --series TGA_DTS --dry-run

        FRED_API_KEY=... liqwatch update --source fred --since 2024-01-01
    """
    report = _run(
        source, series, since, dry_run, fred_api_key, show_progress=fmt == TableJson.table
    )
    if fmt == TableJson.json:
        emit([report.to_dict()], "json")
    else:
        _print_report(report)
    exit_with(report.exit_code)


def _reachable(urls: list[str], timeout: float = PROBE_TIMEOUT) -> bool:
    """True when one of ``urls``' hosts accepts a TCP connection within ``timeout``."""
    for url in urls:
        parts = urlsplit(url)
        host = parts.hostname
        if not host:
            continue
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            with socket.create_connection((host, port), timeout=timeout):
                return True
        except OSError:
            continue
    return False


def run_for_demo() -> int | None:
    """Run a live update of the catalog for ``liqwatch demo``.

    Returns
    -------
    int or None
        The update's exit code, or None (quickly) when the sources are unreachable.
    """
    from liqwatch.sources import source_settings

    urls = [source_settings(n).base_url for n in ("nyfed", "fredgraph", "fiscaldata")]
    if not _reachable(urls):
        return None
    console.print("No offline snapshot found: fetching the official sources (`liqwatch update`) …")
    report = _run(None, None, None, False, None)
    _print_report(report)
    return report.exit_code


def register(app: typer.Typer) -> None:
    """Add ``update`` to ``app``."""
    app.command("update")(update)
