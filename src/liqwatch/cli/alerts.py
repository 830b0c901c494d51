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
    LangOpt,
    TableJson,
    console,
    db_location,
    emit,
    err_console,
    exit_with,
    open_store,
    parse_date,
    report_day,
    resolve_lang,
    settings,
    state,
)
from liqwatch.exceptions import ConfigError

if TYPE_CHECKING:
    from liqwatch.alerts.engine import AlertList

alerts_app = typer.Typer(
    no_args_is_help=False,
    rich_markup_mode="rich",
)

_COLUMNS = ["id", "state", "rule", "subject", "date", "as_of", "value", "threshold", "why",
            "message"]
_REPLAY_COLUMNS = ["as_of", "date", "state", "previous", "notify", "rule", "subject",
                   "value", "threshold", "why"]

ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", metavar="FILE",
                 help="Alert configuration TOML (default: the liqwatch config "
                 "file's \\[alerts] table, over the shipped defaults).", envvar=None),
]


def _config(path: Path | None, lang: str | None = None) -> Any:
    """The alert configuration; a command's ``--lang`` (or the global one) overrides its
    ``lang``."""
    from liqwatch.alerts.config import load_alert_config

    cfg = load_alert_config(path)
    if lang is not None or state.lang is not None:
        cfg = cfg.model_copy(update={"lang": resolve_lang(lang)})
    return cfg


def _records(events: AlertList, report: str, lang: str = "en") -> list[dict[str, Any]]:
    return [{**e.to_dict(), "why": e.why(lang), "report": report} for e in events]


def _table_rows(records: list[dict[str, Any]], lang: str = "en") -> list[dict[str, Any]]:
    """Rows for a terminal table: the message's first sentence (the full text is in JSON),
    the value and threshold in their unit, the threshold marked with what it applies to
    (``z -1.5``, ``pct 97``; a count of days has no unit) and the state in ``lang``."""
    from liqwatch.alerts.message import fmt_number, fmt_number_ja, state_label

    num = fmt_number_ja if lang == "ja" else fmt_number
    out = []
    for r in records:
        message = str(r.get("message") or "")
        head, sep, _ = message.partition("). ")
        if lang == "ja":
            head, sep, _ = message.partition(")。")
        basis = str(r.get("basis") or "")
        threshold = r.get("threshold")
        unit = r.get("unit")
        if threshold is not None and basis.startswith("z-score"):
            threshold = f"z {threshold:+g}"
        elif threshold is not None and basis.startswith("percentile"):
            threshold = f"pct {threshold:g}"
        elif threshold is not None and basis:
            threshold = f"{threshold:g}"  # a count (days, prints): the unit is the value's
        elif threshold is not None:
            threshold = num(threshold, unit)
        end = (")。" if lang == "ja" else ").") if sep else ""
        out.append({**r, "message": head + end if sep else message, "threshold": threshold,
                    "value": num(r.get("value"), unit) if r.get("value") is not None else None,
                    "state": state_label(str(r.get("state")), lang, resolved=False)
                    if lang == "ja" else r.get("state")})
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
    lang: LangOpt = None,
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
    cfg = _config(config, lang)
    ja = cfg.lang == "ja"
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
        report_day(store, as_of, lang=cfg.lang)
        events = evaluate(store, day, config=cfg, persist=day is None)
        if notify:
            code = _deliver(store, cfg)
    records = _records(events, cfg.report_link(), cfg.lang)
    if fmt == TableJson.json:
        emit(records, "json")
    else:
        title = (f"liqwatch アラート {events.as_of} 時点 — 継続中 {len(events.active)} 件、"
                 f"変化 {len(events.changes)} 件" if ja else
                 f"liqwatch alerts as of {events.as_of} — {len(events.active)} active, "
                 f"{len(events.changes)} changed")
        if records:
            emit(_table_rows(records, cfg.lang), "table", columns=_COLUMNS, title=title,
                 row_style=_style, optional=["as_of", "rule", "date"], lang=cfg.lang)
            err_console.print("[dim]全文は --format json。[/]" if ja
                              else "[dim]Full messages: --format json.[/]")
        else:
            console.print(f"{title}: 注意・警戒はありません。" if ja
                          else f"{title}: nothing at watch or alert.")
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

    ja = cfg.lang == "ja"
    start, end = parse_range(text)
    with open_store(read_only=True) as store, err_console.status(f"Replaying {start}–{end}…"):
        events = replay(store, start, end, config=cfg)
    records = _records(events, cfg.report_link(), cfg.lang)
    if fmt == TableJson.json:
        emit(records, "json")
    elif records:
        yes, no = ("はい", "いいえ") if ja else ("yes", "no")
        rows = [{**r, "notify": (yes if r["notifies"] else no) if r["changed"] else "",
                 "_changed": r["changed"]}
                for r in _table_rows(records, cfg.lang)]
        n_changes, n_notified = len(events.changes), sum(e.notifies for e in events)
        emit(rows, "table", columns=_REPLAY_COLUMNS, optional=["previous", "notify", "why"],
             row_style=lambda r: _style(r) if r.get("_changed") else "dim",
             title=(f"{start} から {end} の再生: 状態の変化 {n_changes} 件、通知 {n_notified} 件 "
                    "(日付 = 観測日、基準日 = 判明した日。薄い行 = 開始時点で継続中。"
                    "通知 = いいえ: 記録のみ)" if ja else
                    f"Replay {start} to {end}: {n_changes} state changes, "
                    f"{n_notified} notified "
                    "(date = observation, as_of = the day it was known; dim = already active "
                    "at the start; notify = no: recorded silently)"), lang=cfg.lang)
        err_console.print("[dim]メッセージ全文は --format json。[/]" if ja
                          else "[dim]Messages: --format json.[/]")
    else:
        console.print(f"{start} から {end} の再生: 発生したはずのアラートはありません。" if ja
                      else f"Replay {start} to {end}: no alert would have fired.")
    _notes(events)


@alerts_app.command("ack")
def ack(alert_id: Annotated[int, typer.Argument(metavar="ID", help="Alert id (first column).")],
        lang: LangOpt = None) -> None:
    """Acknowledge an alert: it is shown dimmed and, if still pending, no longer sent.

    Example:

        liqwatch alerts ack 12
    """
    from liqwatch.alerts import log

    lang_ = resolve_lang(lang)
    with open_store() as store:
        row = log.acknowledge(store, alert_id)
    console.print(Text(f"確認済み [{row.id}] {row.message}" if lang_ == "ja"
                       else f"Acknowledged [{row.id}] {row.message}"), soft_wrap=True)


@alerts_app.command("snooze")
def snooze(
    alert_id: Annotated[int, typer.Argument(metavar="ID", help="Alert id (first column).")],
    duration: Annotated[str, typer.Option("--for", metavar="DURATION",
                                          help="How long: 30m, 24h, 7d.")] = "24h",
    lang: LangOpt = None,
) -> None:
    """Hold notifications of an alert's rule instance for a while (they are sent afterwards
    if still pending).

    Example:

        liqwatch alerts snooze 12 --for 24h
    """
    from liqwatch.alerts import log
    from liqwatch.alerts.watch import parse_duration

    lang_ = resolve_lang(lang)
    seconds = parse_duration(duration)
    with open_store() as store:
        until = log.utcnow() + timedelta(seconds=seconds)
        row = log.snooze(store, alert_id, until)
    console.print(f"{row.rule_key} の通知を {until:%Y-%m-%d %H:%M} UTC まで止めました。"
                  if lang_ == "ja" else
                  f"Snoozed {row.rule_key} until {until:%Y-%m-%d %H:%M} UTC.")


@alerts_app.command("log")
def log_(
    limit: Annotated[int, typer.Option(metavar="N", help="How many state changes.")] = 50,
    fmt: Annotated[TableJson, typer.Option("--format", "-f")] = TableJson.table,
    lang: LangOpt = None,
) -> None:
    """The recorded state changes, newest first, with delivery status.

    Example:

        liqwatch alerts log --limit 20
    """
    from dataclasses import asdict

    from liqwatch.alerts import log

    lang_ = resolve_lang(lang)
    with open_store(read_only=True) as store:
        rows = [asdict(r) for r in log.history(store, limit)]
    cols = ["id", "state", "previous", "rule_key", "as_of", "value", "threshold", "notified_at",
            "acknowledged_at", "snoozed_until", "delivery_attempts", "delivery_error"]
    emit(rows, fmt.value, columns=cols, title="アラート履歴" if lang_ == "ja" else "alert log",
         row_style=_style, lang=lang_,
         optional=["delivery_error", "snoozed_until", "delivery_attempts", "threshold",
                   "previous", "acknowledged_at"])


@alerts_app.command("rules")
def rules_(
    config: ConfigOpt = None,
    fmt: Annotated[TableJson, typer.Option("--format", "-f")] = TableJson.table,
    lang: LangOpt = None,
) -> None:
    """The configured rules (shipped defaults merged with your \\[alerts] settings).

    Example:

        liqwatch alerts rules
    """
    cfg = _config(config, lang)
    rows = [r.model_dump(mode="json") for r in cfg.rules]
    emit(rows, fmt.value, columns=["name", "kind", "enabled", "notify", "level",
                                   "min_categories", "min_consecutive", "hold_no_data_days",
                                   "resolve_after_days"],
         title="アラートのルール" if cfg.lang == "ja" else "alert rules", lang=cfg.lang,
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
    lang: LangOpt = None,
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
    cfg = _config(config, lang)
    notifiers = build_notifiers(cfg)
    channels = ", ".join(n.channel for n in notifiers) or "none"
    ja = cfg.lang == "ja"
    if once:
        err_console.print(Text(f"{db_location()} の監視を 1 回実行 (通知先: {channels})" if ja
                               else f"one watch cycle on {db_location()} (notifiers: {channels})"))
    else:
        err_console.print(Text(f"{db_location()} を {every} ごとに監視 (通知先: {channels})。"
                               "Ctrl-C または SIGTERM で停止" if ja else
                               f"watching {db_location()} every {every} (notifiers: {channels}); "
                               "stop with Ctrl-C or SIGTERM"))

    def show(result: CycleResult) -> None:
        err_console.print(result.summary(cfg.lang), soft_wrap=True, markup=False)

    code = run(db_location(), cfg, notifiers, every=seconds, once=once, update=update,
               on_cycle=show, lock_timeout=settings().lock_timeout)
    err_console.print("監視を停止しました。" if ja else "watch stopped.")
    exit_with(code)


def register(app: typer.Typer) -> None:
    """Add ``alerts`` and ``watch`` to ``app``."""
    app.add_typer(alerts_app, name="alerts")
    app.command("watch")(watch)
