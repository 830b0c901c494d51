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
    LangOpt,
    TableJson,
    check_range,
    console,
    emit,
    err_console,
    note_rows,
    open_store,
    parse_date,
    plain_records,
    print_paragraph,
    report_day,
    resolve_lang,
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
        from liqwatch.indicators.engine import HISTORY_START

        when = f" as of {as_of}" if as_of else ""
        raise IndicatorError(
            f"no stress reading{when}: no indicator has a value by then (the history starts "
            f"on {HISTORY_START}; indicators judged statistically also need their own "
            "history first)"
        )




def _print_overall(overall: Any, lang: str) -> None:
    style = STATUS_STYLES.get(str(overall.status), "")
    label = "総合判定" if lang == "ja" else "Overall"
    console.print(f"[bold]{label}: [{style}]{overall.status.label(lang)}[/][/] "
                  f"({overall.date})")
    print_paragraph(overall.reason(lang), lang)


@stress_app.callback()
def stress(
    ctx: typer.Context,
    as_of: AsOfOpt = None,
    method: MethodOpt = None,
    fmt: Annotated[TableJson, typer.Option("--format", "-f")] = TableJson.table,
    lang: LangOpt = None,
) -> None:
    """Overall status, then the composite stress index: level, status, what sets it.

    The overall status (liqwatch stress status) combines the reserve regime
    with confirming events; the composite is the cross-market index (CISS by
    default), whose status is set by its aggregate level, two gauges of one
    market (segment) or gauges of two markets (breadth) at their levels.

    Examples:

        liqwatch stress

        liqwatch stress --as-of 2019-09-17 --method zscore --format json

        liqwatch stress history --method pca --start 2020-01-01 --format csv
    """
    lang_ = resolve_lang(lang)
    if ctx.invoked_subcommand is not None:
        return
    from liqwatch.stress import composite, overall_status

    with open_store(read_only=True) as store:
        day = report_day(store, as_of, lang=lang_).day
        with err_console.status("Computing the stress index…"):
            reading = composite(store, as_of=day, method=method.value if method else None)
            overall = overall_status(store, day)
    _no_reading(reading, day)
    if fmt == TableJson.json:
        _print_json(dict(reading.to_dict(), overall=overall.to_dict(lang_)))
        return
    _print_overall(overall, lang_)
    _print_composite(reading, lang_)


def _print_composite(reading: Any, lang: str) -> None:
    """The composite reading: value, status, what set it, levels, drivers, contributions."""
    from liqwatch.vocab import Status, category_label

    ja = lang == "ja"
    style = STATUS_STYLES.get(reading.status, "")
    label = Status.of(reading.status).label(lang) if ja else reading.status.upper()
    why = ((f" (決め手: {reading.set_by(lang)})" if ja else f" (set by {reading.set_by(lang)})")
           if reading.trigger else "")
    head = "総合ストレス指数" if ja else "Stress index"
    when = f"{reading.date} 時点" if ja else f"as of {reading.date}"
    console.print(f"{head} [bold]{reading.method}[/] {when}: "
                  f"[bold]{reading.value:.3f}[/] → [{style}]{label}[/]{why}")
    levels = ", ".join(f"{Status(k).label(lang) if ja and k in Status.__members__ else k} "
                       f"{v:.3f}" for k, v in reading.levels.items())
    seg = category_label(str(reading.segment), lang) if reading.segment else "—"
    console.print(
        f"水準: {levels}。セグメント・スコア {reading.segment_score:.2f} ({seg})。"
        f"{reading.n_categories} カテゴリーの {reading.n_indicators} 指標" if ja else
        f"Levels: {levels}; segment score {reading.segment_score:.2f} ({reading.segment}); "
        f"{reading.n_indicators} indicators in {reading.n_categories} categories")
    if reading.drivers:
        console.print(("ストレスの大きい指標: " if ja else "Most stressed indicators: ")
                      + ", ".join(f"{d['id']} ({category_label(d['category'], lang)}) "
                                  f"z {d['z']:+.1f}" for d in reading.drivers))
    rows = [{"category": category_label(c, lang) if ja else c, "contribution": v,
             "sub_index": reading.segments.get(c)}
            for c, v in sorted(reading.contributions.items(), key=lambda kv: -kv[1])]
    emit(rows, "table", columns=["category", "contribution", "sub_index"],
         title="カテゴリー別の寄与" if ja else "Category contributions", lang=lang)


@stress_app.command("status")
def status(
    as_of: AsOfOpt = None,
    start: Annotated[str | None, typer.Option(metavar="DATE",
                                              help="First day of a history.")] = None,
    end: Annotated[str | None, typer.Option(metavar="DATE",
                                            help="Last day of a history.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f",
                                     help="table or json (one day); csv or json (history)."
                                     )] = "table",
    lang: LangOpt = None,
) -> None:
    """The overall status: reserve regime, funding-stress status, and why.

    Regime (abundant, ample, tight, scarce) from five flags, each shown with
    its value, threshold and where the threshold comes from. Status: watch
    in a tight or scarce regime, alert when a confirming event (SOFR well
    above IORB or above the SRF rate, SRF take-up, a dispersion blow-out,
    the term-funding premium) arrives inside it, a run on the discount
    window, or a broad crisis in the cross-market composite. This is the
    status the report, dashboard, API and alerts show.

    With --start or --end: one row per business day.

    Examples:

        liqwatch stress status

        liqwatch stress status --as-of 2025-10-31 --lang ja

        liqwatch stress status --as-of 2019-09-17 --format json

        liqwatch stress status --start 2025-09-01 --end 2025-11-30 --format csv
    """
    lang_ = resolve_lang(lang)
    from liqwatch.stress import overall_status, verdict_history

    a, b = parse_date(start, "--start"), parse_date(end, "--end")
    check_range(a, b)
    history = a is not None or b is not None
    allowed = ("csv", "json") if history else ("table", "json")
    if fmt not in allowed:
        raise ConfigError(f"--format {fmt}: choose {' or '.join(allowed)}"
                          + (" with --start/--end" if history else ""))
    with open_store(read_only=True) as store:
        if history:
            b = b or report_day(store, None, lang=lang_).day
        else:
            day = report_day(store, as_of, lang=lang_).day
        with err_console.status("Judging the regime…"):
            if history:
                frame = verdict_history(store, a, b)
            else:
                overall = overall_status(store, day)
    if history:
        cols = ["status", "set_by", "stage", "regime", "since", "status_since", "n_flags",
                "n_available", "event_kind", "event_value", "event_obs_date",
                "composite_status", "composite_value", "composite_trigger"]
        records = plain_records(frame[cols].reset_index().to_dict("records"))
        emit(records, fmt, columns=["date", *cols])
        return
    if fmt == "json":
        _print_json(overall.to_dict(lang_))
        return
    if overall.date is None:
        raise IndicatorError(f"no data to judge the regime{f' as of {day}' if day else ''} "
                             "(load data with `liqwatch import` or `liqwatch update`)")
    _print_overall(overall, lang_)
    ja = lang_ == "ja"
    rows = [{"flag": f["name"], "set": "—" if f["set"] is None else ("●" if f["set"] else "○"),
             "value": f["value_text"], "threshold": f["threshold"], "source": f["source"]}
            for f in (overall.flags_ja if ja else overall.flags)]
    emit(rows, "table", columns=["flag", "set", "value", "threshold", "source"],
         title="準備預金の局面を判定する項目" if ja else "Ampleness flags",
         optional=["source"], lang=lang_)
    comp = overall.composite
    if comp.get("value") is not None:
        from liqwatch.vocab import Status

        shown = Status.of(comp["status"]).label(lang_) if ja else comp["status"]
        console.print(("総合ストレス指数" if ja else "Cross-market composite")
                      + f": {comp['value']:.3f} → {shown}"
                      + (f" ({comp['trigger']})" if comp.get("trigger") else ""))


@stress_app.command("history")
def history(
    method: MethodOpt = None,
    start: Annotated[str | None, typer.Option(metavar="DATE", help="First date.")] = None,
    end: Annotated[str | None, typer.Option(metavar="DATE", help="Last date.")] = None,
    fmt: Annotated[CsvJson, typer.Option("--format", "-f")] = CsvJson.csv,
    lang: LangOpt = None,
) -> None:
    """Real-time history: each day's value as it was computable that day.

    Rows: date, method, value, status (plus trigger, segment_score,
    segment, n_indicators, n_categories, markets).

    Examples:

        liqwatch stress history --start 2019-09-01 --end 2019-10-31

        liqwatch stress history --method zscore --format json > zscore.json
    """
    from liqwatch.stress import stress_history

    lang_ = resolve_lang(lang)
    a, b = parse_date(start, "--start"), parse_date(end, "--end")
    if a and b and a > b:
        raise ConfigError(f"--start {a} is after --end {b}")
    with open_store(read_only=True) as store:
        b = b or report_day(store, None, lang=lang_).day
        with err_console.status("履歴を計算中…" if lang_ == "ja" else "Computing the history…"):
            frame = stress_history(store, method.value if method else None, a, b)
    records = [{str(k): v for k, v in r.items()} for r in frame.to_dict("records")]
    note_rows(len(records), a or (records[0]["date"] if records else None), b, lang_)
    emit(records, fmt.value, columns=["date", "method", "value", "status", "trigger",
                                      "segment_score", "segment", "n_indicators",
                                      "n_categories", "markets"])


def backtest(
    fmt: Annotated[TableJson, typer.Option("--format", "-f")] = TableJson.table,
    plot: Annotated[Path | None, typer.Option("--plot", metavar="FILE",
                                            help="Save a chart (.png or .html).")]
    = None,
    calendar: Annotated[bool, typer.Option(
        "--calendar", help="Instead: the overall status with and without the funding "
        "calendar (false onsets, warning leads, held out).")] = False,
    lang: LangOpt = None,
) -> None:
    """Event study: the overall status, each method and STLFSI4/NFCI/OFR FSI.

    Two definitions. Strict: detected when in alert in the episode window,
    lead from the first alert there, false alarms outside the windows.
    Warning: lead from the first alert in the 40 business days before the
    peak, alerts there are warnings, and squeezes found in the data (SOFR
    more than 25 bp above IORB) count as episodes. The overall status is
    also scored with each plumbing episode held out (parameters chosen
    without it). False alarms per year: training to 2014, test from 2015.

    Examples:

        liqwatch backtest

        liqwatch backtest --format json | jq .overall.held_out

        liqwatch backtest --plot backtest.html

        liqwatch backtest --calendar
    """
    from liqwatch.stress import backtest as run

    lang_ = resolve_lang(lang)
    ja = lang_ == "ja"
    if calendar:
        _calendar_effect(fmt, lang_)
        return

    if plot is not None and plot.suffix.lower() not in (".png", ".html"):
        raise ConfigError(f"--plot {plot}: use a .png or .html file name")
    if plot is not None and not plot.resolve().parent.is_dir():
        raise ConfigError(f"--plot {plot}: folder {plot.resolve().parent} does not exist")
    with open_store(read_only=True) as store, err_console.status(
            "バックテストを実行中…" if ja else "Running the backtest…"):
        result = run(store)
    if plot is not None:
        result.plot(plot, lang_)
        err_console.print(f"チャートを {plot} に保存しました" if ja else f"Chart saved to {plot}")
    if fmt == TableJson.json:
        _print_json(result.to_dict())
        return
    console.print(result.split_note_ja if ja else result.split_note)
    for definition, title in (
        ("strict", ("検出 (厳格): ピークの何営業日前に警戒したか (no = 見逃し、— = データなし)"
                    if ja else "Detection, strict: lead in business days before the peak "
                    "(no = missed, — = no data)")),
        ("warning", ("検出 (早期警戒): ピーク前 40 営業日以内の最初の警戒" if ja else
                     "Detection, warning: first alert in the 40 business days before the "
                     "peak")),
    ):
        det = result.detection_table(definition).reset_index()
        emit([{str(k): v for k, v in r.items()} for r in det.to_dict("records")], "table",
             title=title, lang=lang_)
    fa = result.false_alarms
    emit(plain_records(fa[fa["period"] == "test"].to_dict("records")), "table",
         columns=["method", "definition", "false_alarms_per_year", "alert_share", "years"],
         title=("平常時の誤警報、検証期間 (2015 年以降)" if ja
                else "False alarms on quiet days, test period (2015 on)"), lang=lang_)
    held = result.held_out
    if not held.empty:
        emit(plain_records(held.to_dict("records")), "table",
             columns=["episode", "sofr_iorb_bp", "ceiling_bp", "hold_days", "first_alert",
                      "lead_warning", "lead_days", "regime_first_alert"],
             title=("総合判定、各エピソードを除外して推定" if ja
                    else "Overall status, each plumbing episode held out"), lang=lang_)
    emit(plain_records(result.correlations.to_dict("records")), "table",
         title="公表指数との週次相関" if ja else "Weekly correlation with the published indices",
         lang=lang_)


def _calendar_effect(fmt: TableJson, lang: str = "en") -> None:
    from liqwatch.stress.calendar_effect import calendar_effect

    with open_store(read_only=True) as store, err_console.status("Running the backtest…"):
        effect = calendar_effect(store)
    if fmt == TableJson.json:
        _print_json(effect.to_dict())
        return
    rows = []
    for r in effect.table.to_dict("records"):
        row = {"variant": r["variant"], "onsets_strict": f"{r['onsets_strict']:.2f}",
               "onsets_warning": f"{r['onsets_warning']:.2f}",
               "quiet_in_alert": f"{100 * r['alert_share_warning']:.1f}%"}
        for e in effect.episodes:
            lead, held = r[f"lead:{e}"], r[f"held_out:{e}"]
            row[e] = (f"{'no' if lead is None else f'{int(lead):+d}'} "
                      f"({'no' if held is None else f'{int(held):+d}'})")
        rows.append(row)
    emit(plain_records(rows), "table", lang=lang,
         title=("資金繰りカレンダーの有無による総合判定: 平常な検証日の年間警戒開始回数、"
                "早期警戒の先行 (除外推定)") if lang == "ja" else
               "Overall status with and without the funding calendar: alert onsets per year "
               "on quiet test days; warning lead (held out)")


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
    lang: LangOpt = None,
) -> None:
    """Which past stress episode does a day look like — like with like?

    A plumbing day (funding gauges and ampleness flags carry the stress) is
    compared with plumbing episodes on those signals, a broad day with broad
    episodes on risk, credit and offshore signals. Similarity (-1..1) over
    the signals available at both times; the table lists how many, which
    decided the similarity, and which differ.

    Examples:

        liqwatch analogs

        liqwatch analogs --as-of 2020-03-16 --include-current --format json

    An episode whose window contains the day is left out unless --include-current is given:
    the question is which *past* crisis the day resembles.
    """
    from liqwatch.stress import analogs as run

    lang_ = resolve_lang(lang)
    ja = lang_ == "ja"
    with open_store(read_only=True) as store:
        day = report_day(store, as_of, lang=lang_).day
        with err_console.status("過去のエピソードと比較中…" if ja else "Comparing with episodes…"):
            result = run(store, day, include_current=include_current)
    if fmt == TableJson.json:
        _print_json(result.to_dict())
        return
    if result.table.empty:
        err_console.print(f"{result.date} までにピークを迎えたエピソードがなく、比較できません。"
                          if ja else
                          f"No episode peaked on or before {result.date}; nothing to compare.")
        return
    def listing(items: list[str], n: int) -> str:
        return ", ".join(items[:n]) + (" …" if len(items) > n else "")

    rows = [{**{str(k): v for k, v in r.items()}, "decided_by": listing(r["decided_by"], 3),
             "differing": listing(r["differing"], 4)}
            for r in result.table.to_dict("records")]
    emit(rows, "table", columns=["episode", "peak", "similarity", "n_signals", "decided_by",
                                 "differing"],
         title=(f"{result.date} 時点の過去の危機との類似度 "
                f"({_KIND_JA.get(result.kind, result.kind)}の日、"
                "1 = 同じパターンと強さ)") if ja else
               f"Crisis analogs as of {result.date}, a {result.kind} day "
               "(1 = same pattern and intensity)",
         optional=["differing", "peak"], lang=lang_)


#: Kinds of day (:func:`liqwatch.stress.crisis_analogs.day_kind`) in Japanese.
_KIND_JA = {"plumbing": "資金の流れ型", "broad": "広範型", "calm": "平穏"}


def register(app: typer.Typer) -> None:
    """Add the stress commands to ``app``."""
    app.add_typer(stress_app, name="stress")
    app.command("backtest")(backtest)
    app.command("analogs")(analogs)


