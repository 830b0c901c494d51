"""Stress commands: stress (reading and history), backtest, analogs."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from liqwatch.cli._common import (
    STATUS_STYLES,
    TableJson,
    console,
    emit,
    err_console,
    open_store,
    parse_date,
    plain_records,
    report_day,
)
from liqwatch.exceptions import ConfigError, IndicatorError


class Method(StrEnum):
    """Composite methods."""

    zscore = "zscore"
    pca = "pca"
    ciss = "ciss"


class CsvJson(StrEnum):
    """Formats of ``stress history``."""

    csv = "csv"
    json = "json"


MethodOpt = Annotated[
    Method | None,
    typer.Option("--method", "-m", help="zscore, pca or ciss (default: ciss with the "
                 "single-segment guard)."),
]

AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", metavar="DATE",
                 help="Use only data published by this day (YYYY-MM-DD; default: all)."),
]

stress_app = typer.Typer(
    no_args_is_help=False,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def _no_reading(reading: Any, as_of: Any) -> None:
    if reading.date is None:
        from liqwatch.stress.panel import MIN_OBS

        when = f" as of {as_of}" if as_of else ""
        raise IndicatorError(
            f"no stress reading{when}: the indicators need {MIN_OBS} business days of "
            "history before they enter the index (try a later --as-of)"
        )


@stress_app.callback()
def stress(
    ctx: typer.Context,
    as_of: AsOfOpt = None,
    method: MethodOpt = None,
    fmt: Annotated[TableJson, typer.Option("--format", "-f")] = TableJson.table,
) -> None:
    """Composite stress index: level, status and category contributions.

    Status is normal, watch or alert. The default method (ciss) also alerts
    when two gauges of one market are extreme together (trigger: segment).

    Examples:

        liqwatch stress

        liqwatch stress --as-of 2019-09-17 --method zscore --format json

        liqwatch stress history --method pca --start 2020-01-01 --format csv
    """
    if ctx.invoked_subcommand is not None:
        return
    from liqwatch.stress import composite

    with open_store(read_only=True) as store:
        day = report_day(store, as_of).day
        with err_console.status("Computing the stress index…"):
            reading = composite(store, as_of=day, method=method.value if method else None)
    _no_reading(reading, day)
    if fmt == TableJson.json:
        _print_json(reading.to_dict())
        return
    style = STATUS_STYLES.get(reading.status, "")
    trig = f" (trigger: {reading.trigger})" if reading.trigger else ""
    if reading.trigger == "segment":  # the index value may sit below its own levels: say why
        trig = (f" (trigger: segment — {reading.segment} gauges extreme together, segment "
                f"score {reading.segment_score:.1f} ≥ "
                f"{reading.levels.get('segment_' + reading.status, float('nan')):.1f})")
    console.print(
        f"Stress index [bold]{reading.method}[/] as of {reading.date}: "
        f"[bold]{reading.value:.3f}[/] → [{style}]{reading.status.upper()}[/]{trig}"
    )
    console.print("Levels: " + ", ".join(f"{k} {v:.3f}" for k, v in reading.levels.items())
                  + f"; segment score {reading.segment_score:.2f} ({reading.segment}); "
                  f"{reading.n_indicators} indicators in {reading.n_categories} categories")
    if reading.drivers:
        console.print("Most stressed indicators: " + ", ".join(
            f"{d['id']} ({d['category']}) z {d['z']:+.1f}" for d in reading.drivers))
    rows = [{"category": c, "contribution": v, "sub_index": reading.segments.get(c)}
            for c, v in sorted(reading.contributions.items(), key=lambda kv: -kv[1])]
    emit(rows, "table", columns=["category", "contribution", "sub_index"],
         title="Category contributions")


@stress_app.command("history")
def history(
    method: MethodOpt = None,
    start: Annotated[str | None, typer.Option(metavar="DATE", help="First date.")] = None,
    end: Annotated[str | None, typer.Option(metavar="DATE", help="Last date.")] = None,
    fmt: Annotated[CsvJson, typer.Option("--format", "-f")] = CsvJson.csv,
) -> None:
    """Real-time history: each day's value as it was computable that day.

    Rows: date, method, value, status (plus trigger, segment_score,
    segment, n_indicators, n_categories).

    Examples:

        liqwatch stress history --start 2019-09-01 --end 2019-10-31

        liqwatch stress history --method zscore --format json > zscore.json
    """
    from liqwatch.stress import stress_history

    a, b = parse_date(start, "--start"), parse_date(end, "--end")
    if a and b and a > b:
        raise ConfigError(f"--start {a} is after --end {b}")
    with open_store(read_only=True) as store:
        b = b or report_day(store, None).day
        with err_console.status("Computing the history…"):
            frame = stress_history(store, method.value if method else None, a, b)
    records = [{str(k): v for k, v in r.items()} for r in frame.to_dict("records")]
    emit(records, fmt.value, columns=["date", "method", "value", "status", "trigger",
                                      "segment_score", "segment", "n_indicators",
                                      "n_categories"])


def backtest(
    fmt: Annotated[TableJson, typer.Option("--format", "-f")] = TableJson.table,
    plot: Annotated[Path | None, typer.Option("--plot", metavar="FILE",
                                            help="Save a chart (.png or .html).")]
    = None,
) -> None:
    """Event study: each method and STLFSI4/NFCI/OFR FSI over the episodes.

    Per episode: detected, and the lead in business days of the first alert
    before the peak. Outside episodes: false alarms per year (training up
    to 2014, test from 2015). Weekly correlation with STLFSI4 and NFCI.

    Examples:

        liqwatch backtest

        liqwatch backtest --format json | jq .false_alarms_per_year

        liqwatch backtest --plot backtest.html
    """
    from liqwatch.stress import backtest as run

    if plot is not None and plot.suffix.lower() not in (".png", ".html"):
        raise ConfigError(f"--plot {plot}: use a .png or .html file name")
    if plot is not None and not plot.resolve().parent.is_dir():
        raise ConfigError(f"--plot {plot}: folder {plot.resolve().parent} does not exist")
    with open_store(read_only=True) as store, err_console.status("Running the backtest…"):
        result = run(store)
    if plot is not None:
        result.plot(plot)
        err_console.print(f"Chart saved to {plot}")
    if fmt == TableJson.json:
        _print_json(result.to_dict())
        return
    console.print(result.split_note)
    det = result.detection_table().reset_index()
    emit([{str(k): v for k, v in r.items()} for r in det.to_dict("records")], "table",
         title="Detection: lead in business days before the peak (no = missed, — = no data)")
    fa = result.false_alarms
    emit(plain_records(fa.to_dict("records")), "table",
         columns=["method", "period", "false_alarms_per_year", "alert_share", "years"],
         title="False alarms outside episodes")
    emit(plain_records(result.correlations.to_dict("records")), "table",
         title="Weekly correlation with the published indices")


def analogs(
    as_of: AsOfOpt = None,
    fmt: Annotated[TableJson, typer.Option("--format", "-f")] = TableJson.table,
    include_current: Annotated[
        bool,
        typer.Option(
            "--include-current/--exclude-current",
            help="Also compare with an episode whose window contains the day (it then matches "
            "itself).",
        ),
    ] = False,
) -> None:
    """Which past stress episode does a day look like?

    Similarity (-1..1) compares the indicators' z-scores on the day with
    those at each episode's peak, over the indicators available at both
    times; the table lists how many were compared and which match or differ.

    Examples:

        liqwatch analogs

        liqwatch analogs --as-of 2020-03-16 --include-current --format json

    An episode whose window contains the day is left out unless --include-current is given:
    the question is which *past* crisis the day resembles.
    """
    from liqwatch.stress import analogs as run

    with open_store(read_only=True) as store:
        day = report_day(store, as_of).day
        with err_console.status("Comparing with episodes…"):
            result = run(store, day, include_current=include_current)
    if fmt == TableJson.json:
        _print_json(result.to_dict())
        return
    if result.table.empty:
        err_console.print(f"No episode peaked on or before {result.date}; nothing to compare.")
        return
    rows = [dict(r, matching=", ".join(r["matching"][:4]) + (" …" if len(r["matching"]) > 4
                                                            else ""),
                 differing=", ".join(r["differing"][:4]) + (" …" if len(r["differing"]) > 4
                                                           else ""))
            for r in result.table.to_dict("records")]
    emit(rows, "table", columns=["episode", "type", "peak", "similarity", "n_signals",
                                 "matching", "differing"],
         title=f"Crisis analogs as of {result.date} (1 = same pattern and intensity)",
         optional=["type", "differing", "peak"])


def register(app: typer.Typer) -> None:
    """Add the stress commands to ``app``."""
    app.add_typer(stress_app, name="stress")
    app.command("backtest")(backtest)
    app.command("analogs")(analogs)


