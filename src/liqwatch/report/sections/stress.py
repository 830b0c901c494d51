"""Sections fed by the stress and scenario modules: composite history, analogs, scenarios."""

from __future__ import annotations

from typing import Any

import pandas as pd

from liqwatch.report.charts import COLORS, figure, line, shade
from liqwatch.report.context import Context, Unavailable, attr
from liqwatch.report.model import Cell, Chart, Section, Table
from liqwatch.report.sections.plumbing import SCARCE_HIGH, SCARCE_LOW

__all__ = ["analogs", "composite", "scenarios"]

PUBLISHED = {
    "STLFSI4": "St. Louis Fed FSI",
    "NFCI": "Chicago Fed NFCI",
    "OFR_FSI": "OFR FSI",
    "KCFSI": "Kansas City Fed FSI",
}


def _episodes(ctx: Context) -> list[Any]:
    try:
        mod = ctx.module("stress", "Crisis episodes", "危機エピソード")
    except Unavailable:
        return []
    return list(getattr(mod, "EPISODES", []) or [])


def _episode_shapes(ctx: Context, start: pd.Timestamp) -> list[dict[str, Any]]:
    shapes = []
    for ep in _episodes(ctx):
        s, e = attr(ep, "start"), attr(ep, "end")
        if s is None or e is None or pd.Timestamp(e) < start:
            continue
        if ctx.as_of is not None and pd.Timestamp(s) > pd.Timestamp(ctx.as_of):
            continue
        shapes.append(shade(pd.Timestamp(s).strftime("%Y-%m-%d"),
                            pd.Timestamp(e).strftime("%Y-%m-%d"),
                            label=str(attr(ep, "name", ""))))
    return shapes


def composite(ctx: Context) -> Section:
    """The composite index over time, crisis episodes shaded, published indices beside it."""
    sec = Section("composite", ctx.label("composite"))
    traces: list[dict[str, Any]] = []
    start = pd.Timestamp("2000-01-01")
    levels: dict[str, Any] = {}
    try:
        mod = ctx.module("stress", "The composite stress index", "総合ストレス指数")
        hist = ctx.cached("stress_history", lambda: mod.stress_history(
            ctx.store, end=ctx.as_of))
    except Unavailable as exc:
        sec.notes.append(str(exc))
        hist = None
    if hist is not None and not hist.empty:
        h = hist.dropna(subset=["value"])
        s = pd.Series(h["value"].to_numpy(float), index=pd.DatetimeIndex(h["date"]))
        if ctx.as_of is not None:
            s = s[s.index <= pd.Timestamp(ctx.as_of)]
        method = str(h["method"].iloc[-1]) if "method" in h and not h.empty else ""
        traces.append(line(s, ctx.t(f"liqwatch composite ({method})",
                                    f"liqwatch 総合指数 ({method})"),
                           COLORS["navy"], digits=3, width=1.8))
        start = s.index.min() if not s.empty else start
        try:
            reading = ctx.composite()
            levels = dict(attr(reading, "levels") or {})
            summary = attr(reading, "summary")
            text = summary() if callable(summary) else None
            val, status = attr(reading, "value"), attr(reading, "status")
            sec.sentences.append(ctx.s(
                f"The composite index reads {float(val):.2f} ({ctx.label('status_' + status)}) "
                f"on {ctx.d(pd.Timestamp(attr(reading, 'date')))}.",
                f"総合指数は{ctx.d(pd.Timestamp(attr(reading, 'date')))}時点で "
                f"{float(val):.2f} (「{ctx.label('status_' + status)}」)。"))
            if text and ctx.lang == "en":
                sec.extra["summary_text"] = str(text)
        except (Unavailable, TypeError, ValueError) as exc:
            sec.notes.append(str(exc))
    p = ctx.panel
    p.prefetch(list(PUBLISHED))
    pub_traces = []
    colors = [COLORS["orange"], COLORS["teal"], COLORS["purple"], COLORS["gray"]]
    for (sid, name), color in zip(PUBLISHED.items(), colors, strict=True):
        s = p.get(sid)
        s = s[s.index >= pd.Timestamp("2000-01-01")]
        if s.empty:
            continue
        z = (s - s.mean()) / s.std()
        pub_traces.append(line(z, name, color, yaxis="y3" if traces else "y", digits=2,
                               width=1.1, hover="%{y:.2f}σ"))
    if not traces and not pub_traces:
        sec.unavailable(ctx.t("Neither the composite index nor any published stress index is "
                              "available.", "総合指数も公表ストレス指数も利用できません。"))
        return sec
    shapes = _episode_shapes(ctx, start)
    if levels and traces:
        for key, color in (("watch", "rgba(217,119,6,0.6)"), ("alert", "rgba(185,28,28,0.6)")):
            if key in levels and levels[key] is not None:
                shapes.append({"type": "line", "xref": "paper", "x0": 0, "x1": 1,
                               "yref": "y", "y0": float(levels[key]), "y1": float(levels[key]),
                               "line": {"color": color, "width": 1, "dash": "dash"}})
    sub = {"title": ctx.t("published indices (z)", "公表指数 (z 値)"), "share": 0.38} \
        if traces and pub_traces else None
    sec.charts.append(Chart(
        "composite", ctx.t("Composite stress index with crisis episodes, and published indices",
                           "総合ストレス指数と危機エピソード、公表ストレス指数"),
        figure([*traces, *pub_traces], y_title=ctx.t("index", "指数") if traces else "z",
               shapes=shapes, lang=ctx.lang, height=460 if sub else 340, subplot=sub),
        ctx.t("Published indices are standardised over 2000 on for comparison; shaded bands "
              "mark the crisis episodes liqwatch is tested against.",
              "公表指数は比較のため 2000 年以降で標準化。網掛けは liqwatch の検証に使う危機"
              "エピソード。"),
        tuple(PUBLISHED)))
    return sec.finish()


def analogs(ctx: Context) -> Section:
    """Which past crisis today resembles, and on which signals."""
    sec = Section("analogs", ctx.label("analogs"))
    try:
        mod = ctx.module("stress", "Crisis analogs", "危機類似度")
        result = ctx.cached("analogs", lambda: mod.analogs(ctx.store, as_of=ctx.as_of))
    except Unavailable as exc:
        sec.unavailable(str(exc))
        return sec
    table = attr(result, "table")
    if table is None or table.empty:
        sec.unavailable(ctx.t("No analog could be computed for this date.",
                              "この日付では類似度を計算できません。"))
        return sec
    table = table.sort_values("similarity", ascending=False)
    top = table.iloc[0]
    matching = _listing(top.get("matching"))
    sec.sentences.append(ctx.s(
        f"Today's signals resemble {top['episode']} most (similarity {float(top['similarity']):.2f}"
        + (f"), matching on {matching}." if matching else ")."),
        f"現在のシグナルは「{top['episode']}」に最も近く (類似度 "
        f"{float(top['similarity']):.2f})" + (f"、一致するのは {matching} です。" if matching
                                              else "。")))
    rows = [[Cell(str(r["episode"])), Cell(f"{float(r['similarity']):.2f}", css="num"),
             Cell(_listing(r.get("matching"))), Cell(_listing(r.get("differing")))]
            for _, r in table.head(8).iterrows()]
    sec.tables.append(Table([ctx.label("episode"), ctx.label("similarity"),
                             ctx.label("matching"), ctx.label("differing")], rows))
    return sec.finish()


def _listing(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, (list, tuple, set)):
        return ", ".join(str(v) for v in value)
    return str(value)


def scenarios(ctx: Context) -> Section:
    """Reserve projections under the preset scenarios, and the dates they cross 13% / 12%."""
    sec = Section("scenarios", ctx.label("scenarios"))
    try:
        mod = ctx.module("scenarios", "Reserve scenarios", "準備預金シナリオ")
        presets = list(getattr(mod, "PRESETS", ["current-policy"]))
        results = ctx.cached("scenarios", lambda: {
            str(pr): mod.project(ctx.store, preset=str(pr), weeks=52, as_of=ctx.as_of)
            for pr in presets})
    except Unavailable as exc:
        sec.unavailable(str(exc))
        return sec
    palette = [COLORS["navy"], COLORS["orange"], COLORS["teal"], COLORS["purple"],
               COLORS["red"], COLORS["gray"]]
    traces = []
    rows = []
    for i, (name, res) in enumerate(results.items()):
        path = attr(res, "path")
        if path is None or path.empty:
            continue
        s = pd.Series(path["reserves_bn"].to_numpy(float),
                      index=pd.DatetimeIndex(path["date"])) / 1000.0
        traces.append(line(s, name, palette[i % len(palette)], digits=3,
                           hover="$%{y:.2f}tn"))
        crossings = attr(res, "crossings") or {}
        cells = [Cell(name)]
        for label_, when in crossings.items():
            cells.append(Cell(f"{label_}: " + (ctx.d(pd.Timestamp(when)) if when is not None
                                              and not pd.isna(when) else ctx.label("never"))))
        rows.append([cells[0], Cell("; ".join(c.text for c in cells[1:]))])
        if name == "current-policy":
            first = next(((k, v) for k, v in crossings.items() if v is not None), None)
            if first:
                when = ctx.d(pd.Timestamp(first[1]))
                sec.sentences.append(ctx.s(
                    f"Under current policy, reserves reach {first[0]} on {when}.",
                    f"現行政策シナリオでは、準備預金は{when}に{first[0]}に達します。",
                    "WRESBAL"))
            else:
                sec.sentences.append(ctx.s(
                    "Under current policy, reserves stay above the scarcity thresholds over "
                    "the next 52 weeks.",
                    "現行政策シナリオでは、今後 52 週間に準備預金が希少化の閾値を下回ることは"
                    "ありません。", "WRESBAL"))
    if not traces:
        sec.unavailable(ctx.t("The scenario module returned no projection.",
                              "シナリオ・モジュールが予測を返しませんでした。"))
        return sec
    hist = ctx.panel.get("WRESBAL") / 1e6
    if not hist.empty:
        hist = hist[hist.index >= hist.index.max() - pd.DateOffset(years=3)]
        traces.insert(0, line(hist, ctx.t("Reserves (actual)", "準備預金 (実績)"), "#111827",
                              digits=3, width=2, hover="$%{y:.2f}tn"))
    sec.charts.append(Chart(
        "scenarios", ctx.t("Projected reserves under each scenario, 52 weeks",
                           "シナリオ別の準備預金予測 (52 週)"),
        figure(traces, y_title=ctx.t("USD tn", "兆ドル"), lang=ctx.lang, height=340,
               range_buttons=False), "", ("WRESBAL",)))
    sec.tables.append(Table([ctx.label("preset"), ctx.label("crossing")], rows,
                            caption=ctx.t(f"Thresholds: {SCARCE_HIGH:.0f}% and {SCARCE_LOW:.0f}% "
                                          "of bank assets.",
                                          f"閾値: 銀行総資産の {SCARCE_HIGH:.0f}% と "
                                          f"{SCARCE_LOW:.0f}%。")))
    return sec.finish()
