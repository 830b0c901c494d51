"""``liqwatch verdict``: the overall status of a day, why, and the readings that set it."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer
from rich.text import Text

from liqwatch.cli._common import (
    STATUS_STYLES,
    LangOpt,
    TableJson,
    console,
    open_store,
    plain_records,
    print_paragraph,
    report_day,
    resolve_lang,
)

#: Readings listed under the verdict (the most severe first).
TOP = 3


def verdict_data(assessment: Any, lang: str) -> dict[str, Any]:
    """The verdict of an assessment as plain data (what ``--format json`` prints)."""
    frame = assessment.indicators
    flagged = frame[frame["status"].isin(["watch", "alert"])].copy()
    flagged["_rank"] = flagged["status"].map({"alert": 0, "watch": 1})
    flagged = flagged.sort_values("_rank", kind="stable")
    expl = "explanation_ja" if lang == "ja" else "explanation_en"
    name = "name_ja" if lang == "ja" else "name_en"
    rows = [{"id": r["id"], "category": r["category"], "name": r[name], "status": r["status"],
             "value": r["value"], "unit": r["unit"], "date": r["date"],
             "explanation": r[expl]} for _, r in flagged.iterrows()]
    return {"as_of": assessment.as_of.to_dict(), "overall": assessment.overall.to_dict(lang),
            "flagged": plain_records(rows)}


def verdict(
    as_of: Annotated[str | None, typer.Option(
        "--as-of", metavar="DATE", help="The day (default: the latest day the core series "
        "are current).")] = None,
    lang: LangOpt = None,
    fmt: Annotated[TableJson, typer.Option("--format", "-f")] = TableJson.table,
) -> None:
    """The overall status: what it is, why, and the readings behind it.

    The same verdict the report, the dashboard, the API (/api/status) and the alert rule
    `overall` give for the same store and day.

    Examples:

        liqwatch verdict

        liqwatch verdict --as-of 2019-09-18 --lang ja

        liqwatch verdict --format json
    """
    from liqwatch.assessment import Assessment

    lang_ = resolve_lang(lang)
    with open_store(read_only=True) as store:
        day = report_day(store, as_of, lang=lang_)
        data = verdict_data(Assessment(store, day), lang_)
    if fmt == TableJson.json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    print_verdict(data, lang_)


def print_verdict(data: dict[str, Any], lang: str) -> None:
    """Print a verdict (:func:`verdict_data`): the overall status, why, the reserve regime
    with its flags and the (at most :data:`TOP`) readings that matter most."""
    overall = data["overall"]
    status = str(overall["status"])
    ja = lang == "ja"
    label = {"normal": ("NORMAL", "平常"), "watch": ("WATCH", "注意"),
             "alert": ("ALERT", "警戒"), "no_data": ("NO DATA", "データなし")}[status]
    head = Text("総合判定: " if ja else "Overall: ", style="bold")
    head.append(label[1] if ja else label[0], style=STATUS_STYLES.get(status, ""))
    console.print(head)
    print_paragraph(str(overall["reason_ja" if ja else "reason_en"]), lang)
    if overall.get("regime"):
        from liqwatch.stress.regime import regime_label

        since = overall.get("since") or "—"
        console.print(Text(("準備預金の局面: " if ja else "Reserve regime: ")
                           + regime_label(str(overall["regime"]), lang)
                           + (f" ({since} から)" if ja else f" (since {since})"), style="bold"))
        for f in overall.get("flags", []):
            mark = "—" if f.get("set") is None else ("●" if f["set"] else "○")
            console.print(Text(f"  {mark} {f['name']}: {f['value_text']} ({f['threshold']})"),
                          soft_wrap=True)
    if data["flagged"]:
        console.print("注目すべき指標:" if ja else "What matters:", style="bold")
        for row in data["flagged"][:TOP]:
            print_paragraph(f"• {row['explanation']}", lang,
                            STATUS_STYLES.get(str(row["status"]), ""))
        more = len(data["flagged"]) - TOP
        if more > 0:
            console.print(Text(f"(ほか {more} 指標: liqwatch indicators)" if ja else
                               f"({more} more at watch or alert: liqwatch indicators)",
                               style="dim"))


def register(app: typer.Typer) -> None:
    """Add ``verdict`` to ``app``."""
    app.command("verdict")(verdict)
