"""Provenance: where each series comes from and when it was published and fetched."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from liqwatch import catalog
from liqwatch.report.context import Context
from liqwatch.report.model import Cell, Section, Table

__all__ = ["anchors", "build"]


def anchors(ids: list[str]) -> dict[str, str]:
    """A safe HTML id for each series id (user ids may hold any character)."""
    return {sid: f"prov-{i}" for i, sid in enumerate(ids)}


def _fetched(ctx: Context) -> dict[str, Any]:
    try:
        rows = ctx.store.execute(
            "SELECT series_id, max(finished_at) FROM fetch_log WHERE error IS NULL "
            "AND series_id IS NOT NULL GROUP BY series_id").fetchall()
    except Exception:  # the fetch log is optional for display
        return {}
    return {str(r[0]): r[1] for r in rows}


def build(ctx: Context) -> Section:
    """The provenance table: series used in the report first, then the rest of the store."""
    sec = Section("provenance", ctx.label("provenance"))
    info = ctx.store.series_info()
    if info.empty:
        sec.unavailable(ctx.t("The store is empty.", "ストアが空です。"))
        return sec
    from liqwatch.origin import data_origin

    origin = data_origin(ctx.store, info)
    sec.extra["origin"] = origin.sentence(ctx.lang)
    sec.sentences.append(ctx.s(origin.sentence("en"), origin.sentence("ja")))
    info = info.set_index("series_id")
    latest = ctx.store.execute(
        """
        SELECT DISTINCT ON (series_id) series_id, date, value, realtime_start, ingested_at
        FROM observations
        WHERE realtime_start <= CAST(? AS DATE) AND realtime_end >= CAST(? AS DATE)
          AND date <= CAST(? AS DATE)
        ORDER BY series_id, date DESC
        """,
        [str(d) for d in [ctx.panel.end.date()] * 3] if ctx.as_of else
        ["9999-12-31", "9999-12-31", "9999-12-31"],
    ).df().set_index("series_id")
    fetched = _fetched(ctx)
    used = [s for s in ctx.panel.used if s in info.index]
    rest = [s for s in info.index if s not in used]
    order = [*used, *rest]
    sec.extra["anchors"] = anchors(order)
    sec.extra["n_used"] = len(used)
    rows = []
    for sid in order:
        row = info.loc[sid]
        spec = catalog.get(sid) if catalog.is_known(sid) else None
        desc = spec.description(ctx.lang) if spec else str(row.get("title") or "")
        source = str(row.get("source") or "")
        prov = _provenance_text(row.get("provenance"))
        if spec is None:
            source = f"{source} ({ctx.label('user_series')})"
        obs = latest.loc[sid] if sid in latest.index else None
        ingested = obs["ingested_at"] if obs is not None else None
        fetched_at = fetched.get(sid, ingested)
        rows.append([
            Cell(sid, css="mono"),
            Cell(desc, title=prov),
            Cell(source),
            Cell(ctx.d(pd.Timestamp(obs["date"])) if obs is not None else "—", css="nw"),
            Cell(_plain_number(float(obs["value"])) if obs is not None else "—", css="num"),
            Cell(ctx.d(pd.Timestamp(obs["realtime_start"])) if obs is not None else "—",
                 css="nw"),
            Cell(pd.Timestamp(fetched_at).strftime("%Y-%m-%d %H:%M") + " UTC"
                 if fetched_at is not None and not pd.isna(fetched_at) else "—", css="nw"),
        ])
    sec.tables.append(Table(
        [ctx.label("series"), ctx.label("description"), ctx.label("source"),
         ctx.label("last_obs"), ctx.label("last_value"), ctx.label("published"),
         ctx.label("fetched")], rows,
        caption=ctx.t(
            f"The first {len(used)} rows are the series this report uses; superscript links in "
            "the text point here. 'Published' is the day the last value became public (from "
            "the source's vintages or its publication schedule); 'fetched' is when liqwatch "
            "stored it.",
            f"最初の {len(used)} 行が本レポートで使用した系列で、本文の上付きリンクは"
            "ここを指します。"
            "「公表日」は最終値が公表された日 (出所のビンテージまたは公表スケジュールに基づく)、"
            "「取得日時」は liqwatch が保存した日時です。")))
    return sec.finish()


def _provenance_text(raw: Any) -> str:
    if raw is None or (isinstance(raw, float) and pd.isna(raw)):
        return ""
    try:
        data = json.loads(str(raw))
    except ValueError:
        return str(raw)
    if isinstance(data, dict):
        return "; ".join(f"{k}: {v}" for k, v in data.items() if k in (
            "description", "source_repo", "file", "path", "notes", "frequency"))[:600]
    return str(data)[:600]


def _plain_number(x: float) -> str:
    """A stored value in plain notation with thousands separators (``3,143,000``, ``4.22``)."""
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    text = f"{x:,.4f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"
