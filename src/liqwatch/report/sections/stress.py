"""Sections fed by the stress and scenario modules: composite history, analogs, scenarios."""

from __future__ import annotations

from typing import Any

import pandas as pd

from liqwatch.report.charts import (
    COLORS,
    episode_labels,
    figure,
    line,
    shade,
    threshold_lines,
)
from liqwatch.report.context import Context, Unavailable
from liqwatch.report.model import Cell, Chart, Section, Table
from liqwatch.scenarios.projection import Crossing
from liqwatch.stress import EPISODES
from liqwatch.stress.composite import StressReading

__all__ = ["analogs", "composite", "scenarios"]

PUBLISHED = {
    "STLFSI4": "St. Louis Fed FSI",
    "NFCI": "Chicago Fed NFCI",
    "OFR_FSI": "OFR FSI",
    "KCFSI": "Kansas City Fed FSI",
}


def _episode_shapes(ctx: Context, start: pd.Timestamp
                    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Shaded episodes and their labels (annotations placed so that none overlap)."""
    shapes, spans = [], []
    for ep in EPISODES:
        if pd.Timestamp(ep.end) < start or ep.start > ctx.as_of:
            continue
        shapes.append(shade(ep.start.isoformat(), ep.end.isoformat()))
        spans.append((ep.start.isoformat(), ep.end.isoformat(),
                      _episode_label(ctx, ep.name, "")))
    end = pd.Timestamp(ctx.as_of) if ctx.as_of is not None else pd.Timestamp.now()
    return shapes, episode_labels(spans, start.strftime("%Y-%m-%d"), end.strftime("%Y-%m-%d"))


def composite(ctx: Context) -> Section:
    """The composite index over time, crisis episodes shaded, published indices beside it."""
    sec = Section("composite", ctx.label("composite"))
    traces: list[dict[str, Any]] = []
    start = pd.Timestamp("2000-01-01")
    levels: dict[str, Any] = {}
    try:
        hist = ctx.stress_history()
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
        except Unavailable as exc:
            sec.notes.append(str(exc))
        else:
            levels = dict(reading.levels)
            if reading.date is not None:
                _composite_sentences(ctx, sec, reading, method)
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
    shapes, labels = _episode_shapes(ctx, start)
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
               shapes=shapes, lang=ctx.lang, height=460 if sub else 340, subplot=sub,
               annotations=labels),
        ctx.t("Published indices are standardised over 2000 on for comparison; shaded bands "
              "mark the crisis episodes liqwatch is tested against.",
              "公表指数は比較のため 2000 年以降で標準化。網掛けは liqwatch の検証に使う危機"
              "エピソード。"),
        tuple(PUBLISHED)))
    return sec.finish()


def _composite_sentences(ctx: Context, sec: Section, reading: StressReading,
                         method: str) -> None:
    day = ctx.d(reading.date)
    lab = ctx.label("status_" + reading.status)
    watch, alert = reading.levels.get("watch"), reading.levels.get("alert")
    lv_en = (f" (watch from {watch:.2f}, alert from {alert:.2f})"
             if watch is not None and alert is not None else "")
    lv_ja = (f" (注意 {watch:.2f}、警戒 {alert:.2f} 以上)"
             if watch is not None and alert is not None else "")
    sec.sentences.append(ctx.s(
        f"The composite index ({method}) reads {reading.value:.2f} on {day}: {lab}{lv_en}.",
        f"総合指数 ({method}) は{day}時点で {reading.value:.2f}、判定は「{lab}」です{lv_ja}。"))
    if reading.trigger == "segment" and reading.segment:
        seg_name = ctx.label(f"cat_{reading.segment}")
        score = reading.segment_score
        sc = f" (score {score:.1f})" if pd.notna(score) else ""
        sc_ja = f" (スコア {score:.1f})" if pd.notna(score) else ""
        sec.sentences.append(ctx.s(
            f"The status comes from the single-segment guard: {seg_name.lower()} alone "
            f"is under extreme stress{sc}, which the aggregate index understates.",
            f"判定は単一セグメントの監視によるものです。{seg_name}だけが極端なストレス"
            f"状態にあり{sc_ja}、総合指数だけでは過小に表れます。"))
    contrib = {k: float(v) for k, v in reading.contributions.items()
               if v is not None and pd.notna(v)}
    top = sorted(contrib.items(), key=lambda kv: -abs(kv[1]))[:3]
    if top:
        sec.sentences.append(ctx.s(
            "Largest contributions: " + ", ".join(
                f"{ctx.label('cat_' + k).lower()} {v:+.3f}" for k, v in top) + ".",
            "寄与の大きいカテゴリー: " + "、".join(
                f"{ctx.label('cat_' + k)} {v:+.3f}" for k, v in top) + "。"))


def analogs(ctx: Context) -> Section:
    """Which past crisis today resembles, and on which signals."""
    sec = Section("analogs", ctx.label("analogs"))
    try:
        result = ctx.analogs()
    except Unavailable as exc:
        sec.unavailable(str(exc))
        return sec
    table = result.table
    if not table.empty and "similarity" in table:
        table = table[pd.to_numeric(table["similarity"], errors="coerce").notna()]
    if table.empty:
        sec.unavailable(ctx.t(
            "No analog can be computed for this date (too few signals with data).",
            "この日付ではシグナルが不足しており、類似度を計算できません。"))
        return sec
    names = _indicator_names(ctx)
    key = "title_ja" if ctx.lang == "ja" else "title"
    titles = {ep.name: (ep.title_ja if key == "title_ja" and ep.title_ja else ep.title)
              for ep in EPISODES}
    if key in table:  # squeezes found in the data carry their own titles
        titles.update({str(n): str(t) for n, t in zip(table["episode"], table[key],
                                                      strict=True) if isinstance(t, str)})
    table = table.sort_values("similarity", ascending=False)
    current = _current_episodes(ctx)
    past = table[~table["episode"].astype(str).isin(current)]
    for _, row in table[table["episode"].astype(str).isin(current)].iterrows():
        ep = str(row["episode"])
        label = _episode_label(ctx, ep, titles.get(ep, ""))
        sec.sentences.append(ctx.s(
            f"Today falls inside the {label} episode (similarity to its peak "
            f"{float(row['similarity']):.2f}).",
            f"現在は「{label}」のエピソード期間中です (ピーク時との類似度 "
            f"{float(row['similarity']):.2f})。"))
    if not past.empty:
        top = past.iloc[0]
        matching = _listing(top.get("matching"), names, 5, ctx.lang)
        episode = str(top["episode"])
        label = _episode_label(ctx, episode, titles.get(episode, ""))
        sim = float(top["similarity"])
        day = result.date
        earlier = day is not None and day < ctx.as_of
        if earlier:  # the composite's last reading is older than the report day
            who_en = f"the signals of {ctx.d(day)} (the last day with a stress reading)"
            who_ja = f"{ctx.d(day)} (ストレス指数が計算できる最後の日) のシグナル"
        else:
            who_en, who_ja = "today's signals", "現在のシグナル"
        lead_en = f"Among past episodes, {who_en}" if current else who_en[:1].upper() + who_en[1:]
        lead_ja = f"過去のエピソードの中では、{who_ja}" if current else who_ja
        sec.sentences.append(ctx.s(
            f"{lead_en} resemble {label} most (similarity "
            f"{sim:.2f}" + (f"), matching on {matching}." if matching else ")."),
            f"{lead_ja}は「{label}」に最も近く (類似度 "
            f"{sim:.2f})" + (f"、一致するのは{matching}です。" if matching else "。")))
    rows = [[Cell(_episode_label(ctx, str(r["episode"]), ""), css="nw"),
             Cell(titles.get(str(r["episode"]), "")),
             Cell(f"{float(r['similarity']):.2f}", css="num"),
             Cell(_listing(r.get("matching"), names, 6, ctx.lang)),
             Cell(_listing(r.get("differing"), names, 6, ctx.lang))]
            for _, r in table.head(8).iterrows()]
    sec.tables.append(Table([ctx.label("episode"), ctx.t("What happened", "内容"),
                             ctx.label("similarity"), ctx.label("matching"),
                             ctx.label("differing")], rows,
                            caption=ctx.t("Similarity of today's standardised signals to each "
                                          "episode's peak (1 = identical).",
                                          "現在の標準化シグナルと各エピソードのピーク時との類似度 "
                                          "(1 = 同一)。")))
    return sec.finish()


def _current_episodes(ctx: Context) -> set[str]:
    """Episodes whose window contains the report day."""
    return {ep.name for ep in EPISODES if ep.start <= ctx.as_of <= ep.end}


def _indicator_names(ctx: Context) -> dict[str, str]:
    """Signal id -> name: indicators, and the regime's flags (``flag:<id>``)."""
    from liqwatch.report.sections.summary import names_from
    from liqwatch.stress.verdict import flag_names

    try:
        names = names_from(ctx, ctx.indicators())
    except Unavailable:
        names = ctx.indicator_names()
    names.update({f"flag:{k}": v for k, v in flag_names(ctx.lang).items()})
    return names


def _listing(value: Any, names: dict[str, str] | None = None, limit: int = 0,
             lang: str = "en") -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, (list, tuple, set)):
        items = [(names or {}).get(str(v), str(v)) for v in value]
        sep = "、" if lang == "ja" else ", "
        if limit and len(items) > limit:
            more = len(items) - limit
            tail = f"ほか {more} 件" if lang == "ja" else f" and {more} more"
            return sep.join(items[:limit]) + tail
        return sep.join(items)
    return str(value)


def _episode_label(ctx: Context, name: str, title: str) -> str:
    """``Sep 2019 (Repo-market squeeze)``; in Japanese ``2019年9月（レポ市場の逼迫）``."""
    found = name.endswith(" (found)")  # a squeeze found in the data, not a listed episode
    shown = name.removesuffix(" (found)")
    if found and title:
        title = ctx.t("found in the data: ", "データから検出: ") + title
    if ctx.lang == "ja":
        try:
            ts = pd.Timestamp(pd.to_datetime(shown, format="%b %Y"))
            shown = f"{ts.year}年{ts.month}月"
        except (ValueError, TypeError):
            shown = name
    if not title:
        return shown
    return f"{shown}（{title}）" if ctx.lang == "ja" else f"{shown} ({title})"


def scenarios(ctx: Context) -> Section:
    """Reserve projections under the preset scenarios: the projection's own headline, its
    threshold crossings (bands where bank assets are a range) and its stated assumptions."""
    sec = Section("scenarios", ctx.label("scenarios"))
    try:
        results = ctx.projections()
    except Unavailable as exc:
        sec.unavailable(str(exc))
        return sec
    palette = [COLORS["navy"], COLORS["orange"], COLORS["teal"], COLORS["purple"],
               COLORS["red"], COLORS["gray"]]
    traces = []
    rows = []
    labels: list[str] = []
    for res in results.values():
        for c in res.thresholds:
            if c.label not in labels:
                labels.append(c.label)
    for i, (name, res) in enumerate(results.items()):
        path = res.path
        if path.empty:
            continue
        s = pd.Series(path["reserves_bn"].to_numpy(float),
                      index=pd.DatetimeIndex(path["date"])) / 1000.0
        traces.append(line(s, name, palette[i % len(palette)], digits=3, dash="dot" if i else None,
                           hover="$%{y:.2f}tn"))
        by_label = {c.label: c for c in res.thresholds}
        rows.append([Cell(name), *[Cell(_crossing_cell(ctx, by_label.get(k)), css="nw")
                                   for k in labels]])
        if name == "current-policy":
            sec.sentences.append(ctx.s(res.headline("en"), res.headline("ja"), "WRESBAL"))
            for st in res.statements[:3]:
                sec.notes.append(st.text.get(ctx.lang))
    if not traces:
        sec.unavailable(ctx.t("The scenario module returned no projection.",
                              "シナリオ・モジュールが予測を返しませんでした。"))
        return sec
    base = results.get("current-policy") or next(iter(results.values()))
    hist = base.history
    if not hist.empty:
        actual = pd.Series(hist["reserves_bn"].to_numpy(float),
                           index=pd.DatetimeIndex(hist["date"])) / 1000.0
        traces.insert(0, line(actual, ctx.t("Reserves (published)", "準備預金 (公表値)"),
                              "#111827", digits=3, width=2, hover="$%{y:.2f}tn"))
    later = base.path.dropna(subset=["published_bn"]) if "published_bn" in base.path else None
    if later is not None and not later.empty:
        pub = pd.Series(later["published_bn"].to_numpy(float),
                        index=pd.DatetimeIndex(later["date"])) / 1000.0
        traces.insert(1, line(pub, ctx.t("Published later", "その後の公表値"), COLORS["gray"],
                              digits=3, width=2, dash="dash", hover="$%{y:.2f}tn"))
    sec.charts.append(Chart(
        "scenarios", ctx.t("Projected reserves under each scenario, 52 weeks",
                           "シナリオ別の準備預金予測 (52 週)"),
        figure(traces, y_title=ctx.t("USD tn", "兆ドル"), lang=ctx.lang, height=340,
               range_buttons=False,
               shapes=threshold_lines(ctx.thresholds("reserves_tn"), ctx.lang,
                                      unit="usd_tn")),
        ctx.t("Dashed lines: the 2.5T (alert) and 3.0T (watch) levels of the reserves "
              "indicator; the black line is the published weekly average.",
              "破線は準備預金指標の 2.50兆ドル (警戒) と 3.00兆ドル (注意)。"
              "黒線は公表された週平均。"),
        ("WRESBAL",)))
    names = [c.name(ctx.lang) for c in base.thresholds if c.label in labels] or labels
    sec.tables.append(Table([ctx.label("preset"), *[ctx.t(f"Below {k}", f"{k}を下回る時期")
                                                     for k in names]], rows,
                            caption=ctx.t(
                                "First week reserves are below each threshold in each "
                                "scenario (a band of weeks where bank assets are an assumed "
                                "range); the assumptions are those of liqwatch scenario.",
                                "各シナリオで準備預金が各閾値を初めて下回る週 (銀行総資産が"
                                "仮定の幅の場合は週の範囲)。前提は liqwatch scenario のもの。")))
    return sec.finish()


def _crossing_cell(ctx: Context, crossing: Crossing | None) -> str:
    if crossing is None:
        return "—"
    if crossing.already_below and not crossing.uncertain:
        return ctx.t("already below", "既に下回る")
    if crossing.first_week is None and crossing.earliest is None:
        return ctx.label("never")
    if crossing.uncertain and crossing.earliest is not None:
        latest = ctx.d(crossing.latest) if crossing.latest else ctx.label("never")
        return f"{ctx.d(crossing.earliest)} – {latest}"
    return ctx.d(crossing.first_week)
