"""Alert commands: ``liqwatch alerts`` (evaluate, notify, replay, ack, snooze, log, rules) and
``liqwatch watch`` (the unattended loop)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.text import Text

from liqwatch.cli._common import (
    STATUS_STYLES,
    TableJson,
    console,
    db_location,
    emit,
    err_console,
    exit_with,
    open_store,
    parse_date,
    report_day,
    settings,
)
from liqwatch.exceptions import ConfigError

if TYPE_CHECKING:
    from liqwatch.alerts.engine import AlertList

alerts_app = typer.Typer(
    no_args_is_help=False,
    rich_markup_mode="rich",
)

_COLUMNS = ["id", "state", "rule", "subject", "date", "as_of", "value", "threshold", "message"]
_REPLAY_COLUMNS = ["as_of", "date", "state", "previous", "notify", "rule", "subject",
                   "value", "threshold", "unit"]

ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", metavar="FILE",
                 help="Alert configuration TOML (default: the liqwatch config "
                 "file's \\[alerts] table, over the shipped defaults).", envvar=None),
]


def _config(path: Path | None) -> Any:
    from liqwatch.alerts.config import load_alert_config

    return load_alert_config(path)


def _records(events: AlertList, report: str) -> list[dict[str, Any]]:
    return [{**e.to_dict(), "report": report} for e in events]


def _table_rows(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows for a terminal table: the message's first sentence (the full text is in JSON),
    and the threshold marked with what it applies to (``z -1.5``, ``pct 97``)."""
    out = []
    for r in records:
        message = str(r.get("message") or "")
        head, sep, _ = message.partition("). ")
        basis = str(r.get("basis") or "")
        threshold = r.get("threshold")
        if threshold is not None and basis.startswith("z-score"):
            threshold = f"z {threshold:+g}"
        elif threshold is not None and basis.startswith("percentile"):
            threshold = f"pct {threshold:g}"
        out.append({**r, "message": head + ")." if sep else message, "threshold": threshold})
    return out


def _style(rec: dict[str, Any]) -> str | None:
    if rec.get("acknowledged"):
        return "dim"
    return STATUS_STYLES.get(str(rec.get("state")), None)


def _notes(events: AlertList) -> None:
    for note in events.notes:
        err_console.print(f"[dim]note: {escape(note)}[/]")


@alerts_app.callback(invoke_without_command=True)
def alerts(
    ctx: typer.Context,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="DATE",
                     help="Evaluate as of this day, using only data published by "
                     "then (a look: nothing is recorded or sent)."),
    ] = None,
    notify: Annotated[
        bool, typer.Option("--notify", metavar="",
                           help="Send pending changes on the configured channels.")
    ] = False,
    fmt: Annotated[TableJson, typer.Option("--format", "-f")] = TableJson.table,
    replay_range: Annotated[
        str | None,
        typer.Option("--replay", metavar="START:END",
                     help="List, point in time, the alerts that would have fired on each day "
                     "between START and END (nothing is recorded or sent)."),
    ] = None,
    config: ConfigOpt = None,
) -> None:
    """Evaluate the alert rules and show active alerts and changes; ack, snooze, replay.

    Without --as-of the evaluation is recorded in the store's alert_log: a state change is
    recorded once (hysteresis: an alert ends only when its indicator falls below watch) and,
    with --notify, delivered once on every channel; an undelivered change is retried on the
    next run. JSON rows: rule, state, date (observation), as_of (day the data were known),
    value, threshold, message, id, ...

    Examples:

        liqwatch alerts

        liqwatch alerts --notify

        liqwatch alerts --as-of 2019-09-18 --format json

        liqwatch alerts --replay 2019-08-01:2019-10-31
    """
    if ctx.invoked_subcommand is not None:
        return
    cfg = _config(config)
    if replay_range is not None:
        if notify or as_of:
            raise ConfigError("--replay cannot be combined with --notify or --as-of")
        _replay(replay_range, fmt, cfg)
        return
    day = parse_date(as_of)
    if notify and day is not None:
        raise ConfigError("--notify sends today's changes: leave out --as-of")
    from liqwatch.alerts.engine import evaluate

    code = 0
    with open_store(read_only=day is not None) as store:
        report_day(store, as_of)
        events = evaluate(store, day, config=cfg, persist=day is None)
        if notify:
            code = _deliver(store, cfg)
    records = _records(events, cfg.report_link())
    if fmt == TableJson.json:
        emit(records, "json")
    else:
        title = f"liqwatch alerts as of {events.as_of} — {len(events.active)} active, " \
                f"{len(events.changes)} changed"
        if records:
            emit(_table_rows(records), "table", columns=_COLUMNS, title=title,
                 row_style=_style, optional=["as_of", "rule", "date"])
            err_console.print("[dim]Full messages: --format json.[/]")
        else:
            console.print(f"{title}: nothing at watch or alert.")
    _notes(events)
    exit_with(code)


def _deliver(store: Any, cfg: Any) -> int:
    from liqwatch.alerts.delivery import deliver
    from liqwatch.alerts.notifiers import build_notifiers

    notifiers = build_notifiers(cfg, console=err_console)
    if not notifiers:
        err_console.print("[yellow]No notifier is enabled[/] (\\[alerts.notifiers] in the "
                          "config file); nothing was sent.")
        return 1
    report = deliver(store, cfg, notifiers)
    for ch in report.channels:
        if ch.ok:
            err_console.print(f"[green]sent[/] {len(ch.alert_ids)} change(s) via {ch.channel}"
                              f" ({ch.attempts} attempt(s))")
        else:
            err_console.print(f"[red]{ch.channel} failed[/] after {ch.attempts} attempt(s): "
                              f"{escape(str(ch.error))}; it will be retried on the next run")
    return 3 if report.failed else 0


def _replay(text: str, fmt: TableJson, cfg: Any) -> None:
    from liqwatch.alerts.replay import parse_range, replay

    start, end = parse_range(text)
    with open_store(read_only=True) as store, err_console.status(f"Replaying {start}–{end}…"):
        events = replay(store, start, end, config=cfg)
    records = _records(events, cfg.report_link())
    if fmt == TableJson.json:
        emit(records, "json")
    elif records:
        rows = [{**r, "notify": ("yes" if r["notifies"] else "no") if r["changed"] else ""}
                for r in _table_rows(records)]
        emit(rows, "table", columns=_REPLAY_COLUMNS, optional=["previous", "notify", "unit"],
             row_style=lambda r: _style(r) if r.get("changed") else "dim",
             title=f"Replay {start} to {end}: {len(events.changes)} state changes, "
                   f"{sum(e.notifies for e in events)} notified "
                   "(date = observation, as_of = the day it was known; dim = already active "
                   "at the start; notify = no: recorded silently)")
        err_console.print("[dim]Messages: --format json.[/]")
    else:
        console.print(f"Replay {start} to {end}: no alert would have fired.")
    _notes(events)


@alerts_app.command("ack")
def ack(alert_id: Annotated[int, typer.Argument(metavar="ID", help="Alert id (first column).")]
        ) -> None:
    """Acknowledge an alert: it is shown dimmed and, if still pending, no longer sent.

    Example:

        liqwatch alerts ack 12
    """
    from liqwatch.alerts import log

    with open_store() as store:
        row = log.acknowledge(store, alert_id)
    console.print(Text(f"Acknowledged [{row.id}] {row.message}"), soft_wrap=True)


@alerts_app.command("snooze")
def snooze(
    alert_id: Annotated[int, typer.Argument(metavar="ID", help="Alert id (first column).")],
    duration: Annotated[str, typer.Option("--for", metavar="DURATION",
                                          help="How long: 30m, 24h, 7d.")] = "24h",
) -> None:
    """Hold notifications of an alert's rule instance for a while (they are sent afterwards
    if still pending).

    Example:

        liqwatch alerts snooze 12 --for 24h
    """
    from liqwatch.alerts import log
    from liqwatch.alerts.watch import parse_duration

    seconds = parse_duration(duration)
    with open_store() as store:
        until = log.utcnow() + timedelta(seconds=seconds)
        row = log.snooze(store, alert_id, until)
    console.print(f"Snoozed {row.rule_key} until {until:%Y-%m-%d %H:%M} UTC.")


@alerts_app.command("log")
def log_(
    limit: Annotated[int, typer.Option(metavar="N", help="How many state changes.")] = 50,
    fmt: Annotated[TableJson, typer.Option("--format", "-f")] = TableJson.table,
) -> None:
    """The recorded state changes, newest first, with delivery status.

    Example:

        liqwatch alerts log --limit 20
    """
    from dataclasses import asdict

    from liqwatch.alerts import log

    with open_store(read_only=True) as store:
        rows = [asdict(r) for r in log.history(store, limit)]
    cols = ["id", "state", "previous", "rule_key", "as_of", "value", "threshold", "notified_at",
            "acknowledged_at", "snoozed_until", "delivery_attempts", "delivery_error"]
    emit(rows, fmt.value, columns=cols, title="alert log", row_style=_style,
         optional=["delivery_error", "snoozed_until", "delivery_attempts", "threshold",
                   "previous", "acknowledged_at"])


@alerts_app.command("rules")
def rules_(
    config: ConfigOpt = None,
    fmt: Annotated[TableJson, typer.Option("--format", "-f")] = TableJson.table,
) -> None:
    """The configured rules (shipped defaults merged with your \\[alerts] settings).

    Example:

        liqwatch alerts rules
    """
    cfg = _config(config)
    rows = [r.model_dump(mode="json") for r in cfg.rules]
    emit(rows, fmt.value, columns=["name", "kind", "enabled", "notify", "level",
                                   "min_categories", "min_consecutive", "hold_no_data_days",
                                   "resolve_after_days"],
         title="alert rules",
         optional=["hold_no_data_days", "min_consecutive", "resolve_after_days"])


def watch(
    every: Annotated[str, typer.Option("--every", metavar="DURATION",
                                       help="Time between cycles: 15m, 1h, 1d.")]
    = "1h",
    once: Annotated[bool, typer.Option("--once", metavar="",
                                       help="One cycle, then exit (cron).")] = False,
    update: Annotated[
        bool, typer.Option("--update/--no-update", metavar="", help="Fetch new data each cycle.")
    ] = True,
    config: ConfigOpt = None,
) -> None:
    """Monitor unattended: update → evaluate → notify, every --every, until SIGTERM/SIGINT.

    One watch runs per store (a lock file beside a DuckDB file, an advisory lock on a
    PostgreSQL server, so one per team); a second refuses to start and names the first. The
    store is open only while a step writes, so `serve` and `status` work meanwhile.

    Examples:

        liqwatch watch --every 1h

        liqwatch watch --once        # for cron or a systemd timer

        liqwatch --db postgresql://liqwatch@db.internal/liqwatch watch --every 1h
    """
    from liqwatch.alerts.notifiers import build_notifiers
    from liqwatch.alerts.watch import CycleResult, parse_duration
    from liqwatch.alerts.watch import watch as run

    seconds = parse_duration(every)
    cfg = _config(config)
    notifiers = build_notifiers(cfg)
    channels = ", ".join(n.channel for n in notifiers) or "none"
    if once:
        err_console.print(Text(f"one watch cycle on {db_location()} (notifiers: {channels})"))
    else:
        err_console.print(Text(f"watching {db_location()} every {every} (notifiers: {channels}); "
                               "stop with Ctrl-C or SIGTERM"))

    def show(result: CycleResult) -> None:
        err_console.print(result.summary(), soft_wrap=True, markup=False)

    code = run(db_location(), cfg, notifiers, every=seconds, once=once, update=update,
               on_cycle=show, lock_timeout=settings().lock_timeout)
    err_console.print("watch stopped.")
    exit_with(code)


def register(app: typer.Typer) -> None:
    """Add ``alerts`` and ``watch`` to ``app``."""
    app.add_typer(alerts_app, name="alerts")
    app.command("watch")(watch)
