"""``liqwatch indicators``: every indicator as of a day, the combination view, and history."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.text import Text

from liqwatch.cli._common import (
    STATUS_STYLES,
    LangOpt,
    TableFormat,
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
from liqwatch.vocab import CATEGORIES, category_label
from liqwatch.vocab import CATEGORIES as _CATEGORIES

#: Table labels in Japanese (JSON and CSV keep the English codes).
_CATEGORY_JA = {c: category_label(c, "ja") for c in CATEGORIES}
_STATUS_JA = {"normal": "平常", "watch": "注意", "alert": "警戒", "no_data": "データなし"}
_HEADERS_JA = {"category": "カテゴリー", "indicator": "指標", "id": "ID", "value": "値",
               "status": "状態", "date": "観測日", "note": "備考", "watch": "注意",
               "alert": "警戒", "no data": "データなし", "flagged": "該当指標", "why": "理由"}


def _label(kind: str, code: str, lang: str) -> str:
    if lang != "ja":
        return code
    table = _CATEGORY_JA if kind == "category" else _STATUS_JA
    return table.get(code, code)


class HistoryFormat(StrEnum):
    """Output formats of ``indicators history``."""

    csv = "csv"
    json = "json"


def _json_record(r: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": r["id"], "category": r["category"], "name": {"en": r["name_en"], "ja": r["name_ja"]},
        "value": r["value"], "unit": r["unit"], "status": r["status"], "date": r["date"],
        "as_of": r["as_of"], "direction": r["direction"], "thresholds": r["thresholds"],
        "score": r["score"], "inputs": r["inputs"],
        "explanation": {"en": r["explanation_en"], "ja": r["explanation_ja"]},
        "reason": r["reason"], "reason_ja": r["reason_ja"], "details": r["details"],
        "note": {"en": r["note_en"], "ja": r["note_ja"]},
        "why": {"en": r["why_en"], "ja": r["why_ja"]}, "in_force": r["in_force"],
    }


def _check_categories(categories: list[str] | None) -> None:
    from liqwatch.exceptions import ConfigError

    for c in categories or []:
        if c not in _CATEGORIES:
            raise ConfigError(f"--category: unknown category {c!r}; choose from "
                              f"{', '.join(_CATEGORIES)}")


def indicators(
    ctx: typer.Context,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="DATE",
                     help="Use only data published by this day (YYYY-MM-DD; default today)."),
    ] = None,
    category: Annotated[
        list[str] | None,
        typer.Option("--category", "-c", metavar="CATEGORY",
                     help=f"Only this category (repeatable): {', '.join(_CATEGORIES)}."),
    ] = None,
    fmt: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
    lang: LangOpt = None,
) -> None:
    """Every liquidity indicator as of a day, with status and the combination view.

    Values use only data published by --as-of (SOFR for day D is known on D+1, a Wednesday
    H.4.1 level on Thursday). The table is coloured by status; below it, the combination
    view shows which categories are at watch or alert together, then what each warning
    means.

    Examples:

        liqwatch indicators

        liqwatch indicators --as-of 2019-09-18 --category funding

        liqwatch indicators -f json | jq '.[] | select(.status=="alert") | .id'

        liqwatch indicators history sofr_iorb_bp --start 2019-09-01 -f json
    """
    lang_ = resolve_lang(lang)
    if ctx.invoked_subcommand is not None:
        return
    from liqwatch.indicators import combination, compute

    _check_categories(category)
    with open_store(read_only=True) as store:
        day = report_day(store, as_of, lang=lang_).day
        frame = compute(store, day, categories=category or None)
        newest = None
        if (frame["status"] == "no_data").all():
            latest = store.latest(["SOFR", "WRESBAL", "VIXCLS", "DGS10"])
            newest = latest["realtime_start"].max().date() if not latest.empty else None
    records = [{str(k): v for k, v in r.items()} for r in frame.to_dict("records")]
    if fmt == TableFormat.json:
        emit([_json_record(r) for r in records], "json")
        return
    if fmt == TableFormat.csv:
        emit(records, "csv", columns=["as_of", "id", "category", "value", "unit", "status",
                                      "date", "score", "reason", "thresholds",
                                      "explanation_en", "explanation_ja"])
        return
    _print_table(records, lang_)
    _print_combination(combination(frame), lang_)
    ja = lang_ == "ja"
    flagged = [r for r in records if r["status"] in ("watch", "alert")]
    if flagged:
        console.print("警告の意味:" if ja else "What the warnings mean:", style="bold")
        for r in sorted(flagged, key=lambda r: r["status"] != "alert"):
            print_paragraph(f"• {r['explanation_' + lang_]}", lang_,
                            STATUS_STYLES.get(r["status"], ""))
    missing = [r for r in records if r["status"] == "no_data"]
    if missing:
        console.print("データなし:" if ja else "No data:", style="bold")
        for r in missing:
            name = r["name_ja" if ja else "name_en"]
            reason = r["reason_ja" if ja else "reason"] or ""
            print_paragraph(f"• {name}: {reason}", lang_, "dim")
    if records and len(missing) == len(records):
        if newest is None:
            err_console.print("[yellow]No indicator has data.[/] Load data with [bold]liqwatch "
                              "import ../shared/data/raw[/] or [bold]liqwatch update[/].")
        else:
            err_console.print(Text(
                f"No indicator can be judged as of {records[0]['as_of']}: the stored data is "
                f"too old (the newest core series was published on {newest}). Run `liqwatch "
                f"update`, or look at a day the data covers, e.g. --as-of {newest}.",
                style="yellow"))


def _print_table(records: list[dict[str, Any]], lang: str) -> None:
    from liqwatch.vocab import fmt_value as format_value

    ja = lang == "ja"
    head = _HEADERS_JA if ja else {}
    rows = []
    for r in records:
        note = ("下記参照" if ja else "see below") if r["status"] == "no_data" else _score(r)
        status = _label("status", r["status"], lang)
        if r.get("in_force") is False:  # the reading predates its rule: no status
            status = "適用外" if ja else "n/a"
        row = {"category": _label("category", r["category"], lang),
               "indicator": r["name_ja" if ja else "name_en"], "id": r["id"],
               "value": format_value(r["value"], r["unit"], lang),
               "status": status, "date": r["date"],
               "why": "" if r["status"] == "no_data"  # the reason is given below the table
               else r.get("why_ja" if ja else "why_en") or "", "note": note}
        rows.append({head.get(k, k): v for k, v in row.items()} | {"_status": r["status"]})
    as_of = records[0]["as_of"] if records else None
    title = f"流動性指標 ({as_of} 時点)" if ja else f"Liquidity indicators as of {as_of}"
    shown = [c for c in rows[0] if c != "_status"] if rows else None
    emit(rows, "table", title=title, columns=shown, row_style=_row_style,
         optional=[head.get("note", "note"), head.get("id", "id"),
                   head.get("category", "category")])


def _row_style(row: dict[str, Any]) -> str | None:
    return STATUS_STYLES.get(str(row.get("_status")))


def _score(r: dict[str, Any]) -> str:
    score = r.get("score")
    if score is None or score != score:  # None or NaN
        return ""
    kind = r["thresholds"].get("kind")
    return f"z {score:+.1f}" if kind == "zscore" else f"pct {score:.0f}"


def _print_combination(comb: Any, lang: str) -> None:
    ja = lang == "ja"
    head = _HEADERS_JA if ja else {}
    records = comb.to_dict("records")
    rows = [{head.get(k, k): v for k, v in {
        "category": _label("category", r["category"], lang),
        "status": _label("status", r["status"], lang), "watch": r["n_watch"],
        "alert": r["n_alert"], "no data": r["n_no_data"],
        "flagged": ", ".join(r["flagged"]) or "—"}.items()} | {"_status": r["status"]}
        for r in records]
    emit(rows, "table", title="組み合わせビュー" if ja else "Combination view",
         columns=[c for c in rows[0] if c != "_status"] if rows else None, row_style=_row_style)
    hot = [_label("category", r["category"], lang) for r in records
           if r["status"] in ("watch", "alert")]
    if len(hot) >= 2:
        msg = (f"{len(hot)} つのカテゴリーが同時に注意・警戒水準です: {'、'.join(hot)}。"
               "2019 年、2020 年、2023 年の局面もこのような組み合わせでした。"
               if ja else
               f"{len(hot)} categories under stress together: {', '.join(hot)}. The "
               "episodes of 2019, 2020 and 2023 were combinations like this.")
        print_paragraph(msg, lang, "bold")


def history_cmd(
    ids: Annotated[
        list[str] | None,
        typer.Argument(metavar="ID", help="Indicator ids (default: all)."),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option("--start", metavar="DATE", help="First as-of day (default 2003-01-02)."),
    ] = None,
    end: Annotated[
        str | None, typer.Option("--end", metavar="DATE",
                                 help="Last as-of day (default: the report day, see "
                                      "`liqwatch indicators`).")
    ] = None,
    category: Annotated[
        list[str] | None,
        typer.Option("--category", "-c", metavar="CATEGORY",
                     help="Only this category (repeatable)."),
    ] = None,
    fmt: Annotated[HistoryFormat, typer.Option("--format", "-f")] = HistoryFormat.csv,
    chart: Annotated[
        Path | None,
        typer.Option("--chart", metavar="FILE.html",
                     help="Write an HTML chart (one panel per indicator, coloured by status) to "
                     "this file instead."),
    ] = None,
    lang: LangOpt = None,
) -> None:
    """Indicator values and statuses on every US business day, point in time.

    One row per as-of day and indicator: date, id, category, value, status, score (z-score
    or percentile when judged statistically) and obs_date (the observation the value is for).

    Examples:

        liqwatch indicators history sofr_iorb_bp --start 2019-09-01

        liqwatch indicators history --category reserves -f json > r.json

        liqwatch indicators history reserves_tn --start 2019-01-01 --chart r.html
    """
    lang_ = resolve_lang(lang)
    from liqwatch.indicators import history

    _check_categories(category)
    if chart is not None and chart.suffix.lower() not in (".html", ".htm"):
        from liqwatch.exceptions import ConfigError

        raise ConfigError(f"--chart {chart}: the chart is HTML; use a .html file name")
    lo = parse_date(start, "--start")
    with open_store(read_only=True) as store:
        hi = parse_date(end, "--end") or report_day(store, None, lang=lang_).day
        frame = history(store, ids or None, lo, hi, categories=category or None)
    if chart is not None:
        from liqwatch.indicators.chart import history_chart

        history_chart(frame, chart, lang=lang_)
        err_console.print(f"チャートを [bold]{escape(str(chart))}[/] に書き出しました"
                          if lang_ == "ja" else
                          f"Chart written to [bold]{escape(str(chart))}[/]")
        return
    note_rows(len(frame), lo, hi, lang_)
    frame = frame.copy()
    frame["date"] = frame["date"].dt.strftime("%Y-%m-%d")
    frame["obs_date"] = frame["obs_date"].dt.strftime("%Y-%m-%d")
    if fmt == HistoryFormat.json:
        rows = plain_records(frame.astype(object).where(frame.notna(), None).to_dict("records"))
        sys.stdout.write(json.dumps(rows, ensure_ascii=False) + "\n")
        return
    frame.to_csv(sys.stdout, index=False, lineterminator="\n", float_format="%.6g")


def register(app: typer.Typer) -> None:
    """Add ``indicators`` (and ``indicators history``) to ``app``."""
    group = typer.Typer(invoke_without_command=True, no_args_is_help=False,
                        rich_markup_mode="rich")
    group.callback()(indicators)
    group.command("history")(history_cmd)
    app.add_typer(group, name="indicators")
