"""``liqwatch update``: bring the store up to date from the official sources."""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import urlsplit

import typer

from liqwatch.cli._common import (
    LangOpt,
    TableJson,
    console,
    emit,
    err_console,
    exit_with,
    open_store,
    parse_date,
    resolve_lang,
    state,
)

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from liqwatch.sources.check import SourceCheck
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


def _print_report(report: UpdateReport, strict: bool = False, lang: str = "en") -> None:
    ja = lang == "ja"
    for note in report.notes:
        err_console.print(f"[yellow]note:[/] {note}", highlight=False)
    if not report.outcomes:
        console.print(
            "対象の系列がありません: --source と --series は両方に一致する系列だけを選びます "
            "(liqwatch catalog を参照)。" if ja else
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
                "reason": o.error or o.skipped or o.warning,
            }
        )
    styles = {"failed": "red", "skipped": "dim", "stale": "yellow", "empty": "yellow"}
    emit(
        rows,
        "table",
        columns=["series_id", "source", "status", "new", "revised", "last_date", "reason"],
        title=(f"liqwatch 更新{' (試行、保存せず)' if report.dry_run else ''} — 実行 "
               f"{report.run_id}" if ja else
               f"liqwatch update{' (dry run)' if report.dry_run else ''} — run {report.run_id}"),
        row_style=lambda r: styles.get(str(r["status"])),
        lang=lang,
    )
    code = report.exit_status(strict)
    colour = "green" if code == 0 and not report.empty else "yellow" if code in (0, 3) else "red"
    console.print(f"[{colour}]{report.summary()}[/]")
    if report.empty and not strict:
        err_console.print("[yellow]warning:[/] some series came back with no rows (see the "
                          "reason column); --strict makes this a non-zero exit.")
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
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Exit non-zero (3, or 2 when nothing worked) when a source answers a "
            "series with no rows.",
        ),
    ] = False,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Send one request to each source and say whether it is reachable, refused "
            "or changed its schema; store nothing.",
        ),
    ] = False,
    fmt: Annotated[TableJson, typer.Option("--format", "-f")] = TableJson.table,
    lang: LangOpt = None,
) -> None:
    """Fetch new and revised observations from the official sources.

    Sources: FRED/ALFRED, the New York Fed, Treasury FiscalData, OFR, EIA and Coinbase.

    Each series is fetched from its last stored date minus a look-back window (revisions);
    a series never fetched is loaded in full. Every series is stored in its own transaction:
    a failure never leaves half a series and never stops the others.
    Exit code 0: all succeeded, 3: some failed, 2: all failed. A series the source
    answers with no rows is a warning (an error under --strict). A refused API key or a
    source that refuses this network stops that source after its first answer.

    --check sends one request per source (the last two weeks of its first series, one try)
    and prints reachable / refused / rate limited / schema changed / unreachable: whether
    live data will work from this network. Exit code 0 when every source answered.

    Examples:

        liqwatch update

        liqwatch update --check

        liqwatch update --series SOFR --series TGA_DTS --dry-run

        FRED_API_KEY=... liqwatch update --source fred --since 2024-01-01
    """
    lang_ = resolve_lang(lang)
    if check:
        checks = _check(source, fred_api_key)
        if fmt == TableJson.json:
            emit([c.to_dict() for c in checks], "json")
        else:
            _print_checks(checks)
        exit_with(0 if all(c.ok or c.status == "skipped" for c in checks) else 2)
        return
    report = _run(
        source, series, since, dry_run, fred_api_key, show_progress=fmt == TableJson.table
    )
    if fmt == TableJson.json:
        emit([{**report.to_dict(), "exit_code": report.exit_status(strict)}], "json")
    else:
        _print_report(report, strict, lang_)
    exit_with(report.exit_status(strict))


def _check(sources: list[str] | None, fred_api_key: str | None) -> list[SourceCheck]:
    from liqwatch.config import load_settings
    from liqwatch.exceptions import ConfigError
    from liqwatch.sources import SOURCE_NAMES
    from liqwatch.sources.check import check_sources

    unknown = [s for s in sources or [] if s not in SOURCE_NAMES]
    if unknown:
        raise ConfigError(f"unknown source {', '.join(unknown)}; choose from "
                          f"{', '.join(SOURCE_NAMES)}")
    settings = load_settings(db=state.db, fred_api_key=fred_api_key)
    return check_sources(sources or None, settings=settings)


def _print_checks(checks: list[SourceCheck]) -> None:
    styles = {"reachable": "green", "skipped": "dim"}
    rows = [{"source": c.source, "status": c.status, "series": c.series_id, "rows": c.rows,
             "seconds": round(c.seconds, 2), "detail": c.detail} for c in checks]
    emit(rows, "table", columns=["source", "status", "series", "rows", "seconds", "detail"],
         title="liqwatch update --check: one request per source",
         row_style=lambda r: styles.get(str(r["status"]), "red"))
    bad = [c for c in checks if not c.ok and c.status != "skipped"]
    if any(c.status == "refused" for c in bad):
        err_console.print("A source refused the request: for a keyless source this is usually "
                          "a network or rate block (a proxy, a VPN, a cloud address); try "
                          "another network or a mirror (LIQWATCH_<SOURCE>_URL).")


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
