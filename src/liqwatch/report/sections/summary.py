"""The summary: overall status, composite index, the six-category grid, key numbers."""

from __future__ import annotations

from typing import Any

import pandas as pd

from liqwatch.report import derive
from liqwatch.report.context import Context, Unavailable, attr
from liqwatch.report.model import Cell, Section, Table, Tile
from liqwatch.report.panel import last
from liqwatch.vocab import CATEGORIES, Status, fmt_value, worst

__all__ = ["CATEGORIES", "STATUS_ORDER", "build", "category_tables", "indicator_table", "worst"]

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
    """Per category: worst status and the flagged indicators (from the indicator engine)."""
    try:
        frame = ctx.indicators()
    except Unavailable as exc:
        sec.notes.append(str(exc))
        sec.extra["grid"] = {}
        return {}
    names = names_from(ctx, frame)
    mod = ctx.module("indicators", "The indicator engine", "指標エンジン")
    combo = mod.combination(frame) if hasattr(mod, "combination") else None
    by_id = frame.set_index("id") if not frame.empty else frame
    grid: dict[str, dict[str, Any]] = {}
    for cat in CATEGORIES:
        rows = frame[frame["category"] == cat] if not frame.empty else frame
        if rows.empty:
            continue  # the engine has no indicator in this category (yet)
        if combo is not None and cat in set(combo["category"]):
            c = combo[combo["category"] == cat].iloc[0]
            status, flagged_ids = str(c["status"]), [str(i) for i in c["flagged"]]
        else:
            status = worst([str(s) for s in rows["status"]])
            flagged_ids = [str(i) for i, st in zip(rows["id"], rows["status"], strict=True)
                           if st in ("watch", "alert")]
        flagged = [{"name": names.get(i, i), "status": str(by_id.loc[i, "status"]),
                    "value": fmt_value(_num(by_id.loc[i, "value"]),
                                       str(by_id.loc[i, "unit"]), ctx.lang)}
                   for i in flagged_ids]
        grid[cat] = {"status": status, "flagged": flagged, "n": len(rows)}
    sec.extra["grid"] = grid
    sec.tables.append(indicator_table(ctx, frame, names))
    return grid


def indicator_table(ctx: Context, frame: pd.DataFrame, names: dict[str, str],
                    category: str | None = None) -> Table:
    """Indicators (of one category, or all) with value, status, date and explanation."""
    rows = []
    expl = "explanation_ja" if ctx.lang == "ja" else "explanation_en"
    if category is not None:
        frame = frame[frame["category"] == category]
    for r in frame.to_dict("records"):
        status = str(r.get("status", "no_data"))
        day = r.get("date")
        cells = [Cell(names.get(str(r["id"]), str(r["id"])), title=str(r["id"]))]
        if category is None:
            cells.append(Cell(ctx.label(f"cat_{r.get('category')}")))
        cells += [
            Cell(fmt_value(_num(r.get("value")), str(r.get("unit", "")), ctx.lang), css="num"),
            Cell(ctx.label(f"status_{status}"), css=f"st st-{status}",
                 title=str(r.get("reason") or "")),
            Cell(ctx.d(pd.Timestamp(day)) if day is not None and not pd.isna(day) else "—",
                 css="nw"),
            Cell(str(r.get(expl) or r.get("reason") or "")),
        ]
        rows.append(cells)
    columns = [ctx.label("indicator"), ctx.label("value"), ctx.label("status"),
               ctx.label("date"), ctx.t("Why", "解説")]
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
    out: dict[str, Any] = {"status": worst([g["status"] for g in grid.values()]),
                           "composite": None, "method": None, "levels": None}
    try:
        reading = ctx.composite()
    except Unavailable as exc:
        sec.notes.append(str(exc))
    else:
        value = attr(reading, "value")
        out["composite"] = None if value is None or pd.isna(value) else float(value)
        out["method"] = attr(reading, "method")
        out["levels"] = attr(reading, "levels")
        status = attr(reading, "status")
        day = attr(reading, "date")
        out["composite_note"] = ", ".join(x for x in (
            str(out["method"] or ""),
            ctx.label(f"status_{status}") if status in STATUS_ORDER else "",
            ctx.d(pd.Timestamp(day)) if day is not None else "") if x)
        if status in STATUS_ORDER:
            out["composite_status"] = str(status)
            out["status"] = worst([str(status), out["status"]]) if grid else str(status)
    out["available"] = bool(grid) or out["composite"] is not None
    status = out["status"]
    label = ctx.label(f"status_{status}")
    index_status = out.get("composite_status")
    why_en = why_ja = ""
    if index_status in STATUS_ORDER and index_status != status:
        # The overall status is the worst of the index and the categories: say which drove it.
        index_label = ctx.label(f"status_{index_status}")
        why_en = f" (set by the categories; the composite index is {index_label})"
        why_ja = f" (カテゴリー別の判定による。総合ストレス指数は「{index_label}」)"
    flagged = [ctx.label(f"cat_{c}") for c, g in grid.items() if g["status"] in ("watch",
                                                                                "alert")]
    if grid:
        if flagged:
            sec.sentences.insert(0, ctx.s(
                f"Overall: {label}{why_en}. Categories flashing: {', '.join(flagged)}.",
                f"総合判定は「{label}」{why_ja}。注意・警戒のカテゴリー: {'、'.join(flagged)}。"))
        else:
            sec.sentences.insert(0, ctx.s(
                f"Overall: {label}{why_en}. No category is at watch or alert.",
                f"総合判定は「{label}」{why_ja}。注意・警戒のカテゴリーはありません。"))
    return out


def _tiles(ctx: Context) -> list[Tile]:
    p = ctx.panel
    tiles: list[Tile] = []
    sday, sofr = last(p.get("SOFR"))
    _, ior = last(derive.iorb(p))
    if sday is not None:
        tiles.append(Tile("SOFR", f"{sofr:.2f}%", f"IORB {ior:.2f}%", ref="SOFR"))
        tiles.append(Tile("SOFR − IORB", f"{(sofr - ior) * 100:+.0f} bp", ctx.d(sday),
                          css="warn" if sofr > ior else "", ref="IORB"))
    rday, res = last(derive.reserves_bn(p))
    if rday is not None:
        tiles.append(Tile(ctx.t("Reserves", "準備預金"), ctx.usd(res), ctx.d(rday),
                          ref="WRESBAL"))
    tga = p.first("TGA_DTS", "WTREGEN")
    tday, tval = last(tga / 1000.0)
    if tday is not None:
        tiles.append(Tile("TGA", ctx.usd(tval), ctx.d(tday),
                          ref="TGA_DTS" if not p.get("TGA_DTS").empty else "WTREGEN"))
    oday, rrp = last(p.get("RRPONTSYD"))
    if oday is not None:
        tiles.append(Tile("ON RRP", ctx.usd(rrp), ctx.d(oday), ref="RRPONTSYD"))
    bday, bval = last(derive.btc(p))
    if bday is not None:
        tiles.append(Tile(ctx.t("Bitcoin", "ビットコイン"), f"${bval:,.0f}", ctx.d(bday),
                          ref="BTCUSD" if not p.get("BTCUSD").empty else "CBBTCUSD"))
    return tiles


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
