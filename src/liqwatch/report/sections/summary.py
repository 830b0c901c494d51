"""The summary: overall status, composite index, the six-category grid, key numbers."""

from __future__ import annotations

from typing import Any

import pandas as pd

from liqwatch.report.context import Context, Unavailable
from liqwatch.report.model import Cell, Section, Table, Tile
from liqwatch.stress.regime import regime_label
from liqwatch.vocab import CATEGORIES, Status, fmt_value

__all__ = ["STATUS_ORDER", "build", "category_tables", "indicator_table"]

STATUS_ORDER = {s.value: s.rank for s in Status}


def build(ctx: Context, others: list[Section]) -> Section:
    """The summary section; ``others`` lend it their headline sentences."""
    sec = Section("summary", ctx.label("summary"))
    grid = _grid(ctx, sec)
    overall = _overall(ctx, sec, grid)
    sec.extra["overall"] = overall
    sec.extra["tiles"] = _tiles(ctx)
    for other in others:
        if other.sentences:
            sec.sentences.append(other.sentences[0])
    return sec.finish()


def _grid(ctx: Context, sec: Section) -> dict[str, dict[str, Any]]:
    """Per category: worst status and the flagged indicators (the assessment's view)."""
    try:
        frame = ctx.indicators()
    except Unavailable as exc:
        sec.notes.append(str(exc))
        sec.extra["grid"] = {}
        return {}
    names = names_from(ctx, frame)
    combo = ctx.assessment.combination
    grid: dict[str, dict[str, Any]] = {}
    for _, c in combo.iterrows():
        flagged = []
        for ident in c["flagged"]:
            r = ctx.reading(str(ident))
            flagged.append({"name": names.get(r.id, r.id), "status": r.status,
                            "value": r.text})
        grid[str(c["category"])] = {"status": str(c["status"]), "flagged": flagged,
                                    "n": int(c["n_indicators"])}
    sec.extra["grid"] = grid
    sec.tables.append(indicator_table(ctx, frame, names))
    return grid


def indicator_table(ctx: Context, frame: pd.DataFrame, names: dict[str, str],
                    category: str | None = None) -> Table:
    """Indicators (of one category, or all) with value, status, date and explanation."""
    rows = []
    expl = "explanation_ja" if ctx.lang == "ja" else "explanation_en"
    why = "why_ja" if ctx.lang == "ja" else "why_en"
    if category is not None:
        frame = frame[frame["category"] == category]
    for r in frame.to_dict("records"):
        status = str(r.get("status", "no_data"))
        day = r.get("date")
        cells = [Cell(names.get(str(r["id"]), str(r["id"])), title=str(r["id"]))]
        if category is None:
            cells.append(Cell(ctx.label(f"cat_{r.get('category')}")))
        in_force = r.get("in_force") is not False
        shown = (Cell(ctx.label(f"status_{status}"), css=f"st st-{status}",
                      title=str(r.get("reason") or "")) if in_force else
                 Cell(ctx.t("Not in force", "適用外"), css="st st-no_data"))
        cells += [
            Cell(fmt_value(_num(r.get("value")), str(r.get("unit", "")), ctx.lang), css="num"),
            shown,
            Cell(ctx.d(pd.Timestamp(day)) if day is not None and not pd.isna(day) else "—",
                 css="nw"),
            Cell("" if status == "no_data" else str(r.get(why) or "")),
            Cell(str(r.get(expl) or r.get("reason") or "")),
        ]
        rows.append(cells)
    columns = [ctx.label("indicator"), ctx.label("value"), ctx.label("status"),
               ctx.label("date"), ctx.t("Rule", "判定基準"), ctx.t("Why", "解説")]
    if category is None:
        columns.insert(1, ctx.t("Category", "カテゴリー"))
        caption = ctx.t("Every indicator as of the report date.", "基準日時点の全指標。")
    else:
        caption = ctx.t("Indicators of this category as of the report date (liqwatch "
                        "indicators).", "基準日時点のこのカテゴリーの指標 (liqwatch indicators)。")
    return Table(columns, rows, caption=caption)


def names_from(ctx: Context, frame: pd.DataFrame) -> dict[str, str]:
    """Indicator id -> name in the report language."""
    names = ctx.indicator_names()
    col = "name_ja" if ctx.lang == "ja" else "name_en"
    if col in frame:
        for key, name in zip(frame["id"], frame[col], strict=True):
            if isinstance(name, str) and name:
                names[str(key)] = name
    return names


def _overall(ctx: Context, sec: Section, grid: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The overall status of the assessment, with the sentence that explains it."""
    overall = ctx.assessment.overall
    status = str(overall.status)
    out: dict[str, Any] = {"status": status, "composite": None, "method": None,
                           "levels": None, "available": status != "no_data",
                           "reason": overall.reason(ctx.lang), "set_by": overall.set_by,
                           "regime": overall.regime,
                           "regime_label": regime_label(overall.regime, ctx.lang)
                           if overall.regime else None,
                           "since": ctx.d(overall.since) if overall.since else None,
                           "flags": [dict(f) for f in (overall.flags_ja if ctx.lang == "ja"
                                                       and overall.flags_ja else overall.flags)]}
    try:
        reading = ctx.composite()
    except Unavailable as exc:
        sec.notes.append(str(exc))
    else:
        if reading.date is not None and reading.value is not None and pd.notna(reading.value):
            out["composite"] = float(reading.value)
            out["method"] = reading.method
            out["levels"] = dict(reading.levels)
            out["composite_status"] = str(reading.status)
            out["composite_note"] = ", ".join(x for x in (
                reading.method, ctx.label(f"status_{reading.status}"),
                ctx.d(reading.date)) if x)
    label = ctx.label(f"status_{status}")
    sec.sentences.insert(0, ctx.s(f"Overall: {label}. {overall.reason_en}",
                                  f"総合判定は「{label}」。{overall.reason_ja}"))
    return out


def _tiles(ctx: Context) -> list[Tile]:
    """Headline numbers, each the value of an indicator reading."""
    tiles: list[Tile] = []
    spread = ctx.reading("sofr_iorb_bp")
    if spread.ok:
        sofr, ior = spread.detail("sofr"), spread.detail("iorb")
        tiles.append(Tile("SOFR", f"{sofr:.2f}%", f"IORB {ior:.2f}%", ref="SOFR",
                          indicator="sofr_iorb_bp"))
        tiles.append(Tile("SOFR − IORB", spread.text, ctx.d(spread.date),
                          css="warn" if (spread.value or 0) > 0 else "", ref="IORB",
                          indicator="sofr_iorb_bp"))
    for ident, label, ref in (("reserves_tn", ctx.t("Reserves", "準備預金"), "WRESBAL"),
                              ("tga_bn", ctx.term("tga_short"), "TGA_DTS"),
                              ("on_rrp_bn", ctx.term("on_rrp"), "RRPONTSYD")):
        r = ctx.reading(ident)
        if r.ok:
            tiles.append(Tile(label, r.text, ctx.d(r.date), ref=ref, indicator=ident,
                              css="warn" if r.status in ("watch", "alert") else ""))
        else:
            tiles.append(_gap_tile(ctx, label, ref, ident))
    draw = ctx.reading("btc_drawdown_pct")
    close = draw.detail("close") if draw.ok else None
    if close is not None:
        tiles.append(Tile(ctx.t("Bitcoin", "ビットコイン"), fmt_value(close, "usd", ctx.lang),
                          ctx.d(draw.date), ref="BTCUSD", indicator="btc_drawdown_pct"))
    else:
        tiles.append(_gap_tile(ctx, ctx.t("Bitcoin", "ビットコイン"), "BTCUSD",
                               "btc_drawdown_pct"))
    return tiles


def _gap_tile(ctx: Context, label: str, ref: str, ident: str) -> Tile:
    """A headline whose reading is missing: "no data since D" (the last observation known
    by the report day), never the old value as if it were current."""
    last = ctx.panel.get(ref)
    if last.empty:
        return Tile(label, ctx.label("no_data"), "", css="gap", ref=ref, indicator=ident)
    day = ctx.d(pd.Timestamp(last.index.max()))
    return Tile(label, ctx.t("no data", "データなし"),
                ctx.t(f"no data since {day}", f"{day}以降データなし"), css="gap", ref=ref,
                indicator=ident)


def category_tables(ctx: Context, sections: list[Section]) -> None:
    """Add each category's indicator table to its section (when the engine is available)."""
    try:
        frame = ctx.indicators()
    except Unavailable:
        return
    names = names_from(ctx, frame)
    for sec in sections:
        rows = frame[frame["category"] == sec.key]
        if sec.key in CATEGORIES and (rows["status"] != "no_data").any():
            sec.tables.append(indicator_table(ctx, frame, names, category=sec.key))
            sec.finish()


def _num(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
