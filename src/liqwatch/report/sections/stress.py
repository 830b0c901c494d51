"""Sections fed by the stress and scenario modules: composite history, analogs, scenarios."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from liqwatch.report.charts import COLORS, figure, line, shade, threshold_lines
from liqwatch.report.context import Context, Unavailable
from liqwatch.report.model import Cell, Chart, Section, Sentence, Table
from liqwatch.stress import EPISODES
from liqwatch.stress.composite import StressReading

__all__ = ["analogs", "composite", "scenarios"]

PUBLISHED = {
    "STLFSI4": "St. Louis Fed FSI",
    "NFCI": "Chicago Fed NFCI",
    "OFR_FSI": "OFR FSI",
    "KCFSI": "Kansas City Fed FSI",
}


def _episode_shapes(ctx: Context, start: pd.Timestamp) -> list[dict[str, Any]]:
    shapes = []
    for ep in EPISODES:
        if pd.Timestamp(ep.end) < start or ep.start > ctx.as_of:
            continue
        shapes.append(shade(ep.start.isoformat(), ep.end.isoformat(),
                            label=_episode_label(ctx, ep.name, "")))
    return shapes


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
    try:
        from liqwatch.report.sections.summary import names_from

        return names_from(ctx, ctx.indicators())
    except Unavailable:
        return ctx.indicator_names()


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
    shown = name
    if ctx.lang == "ja":
        try:
            ts = pd.Timestamp(pd.to_datetime(name, format="%b %Y"))
            shown = f"{ts.year}年{ts.month}月"
        except (ValueError, TypeError):
            shown = name
    if not title:
        return shown
    return f"{shown}（{title}）" if ctx.lang == "ja" else f"{shown} ({title})"


def _threshold_label(ctx: Context, label: str) -> str:
    """Scenario threshold labels ("2.5T", "12% of bank assets") in the report language."""
    if ctx.lang != "ja":
        m = re.fullmatch(r"([\d.]+)T", label)
        return f"${m.group(1)}tn" if m else label
    m = re.fullmatch(r"([\d.]+)% of bank assets", label)
    if m:
        return f"銀行総資産の {m.group(1)}%"
    m = re.fullmatch(r"([\d.]+)T", label)
    if m:
        return f"{m.group(1)}兆ドル"
    return label


def _crossing_text(ctx: Context, when: Any, start: pd.Timestamp) -> str:
    if when is None or (isinstance(when, float) and pd.isna(when)):
        return ctx.label("never")
    ts = pd.Timestamp(when)
    if ts <= start:
        return ctx.t("already below", "既に下回る")
    return ctx.d(ts)


def _scenario_sentence(ctx: Context, crossings: dict[str, Any], start: pd.Timestamp,
                       path_tn: pd.Series) -> Sentence:
    named = {_threshold_label(ctx, str(k)): v for k, v in crossings.items()}
    below = [k for k, v in named.items() if v is not None and pd.Timestamp(v) <= start]
    ahead = [(k, pd.Timestamp(v)) for k, v in named.items()
             if v is not None and pd.Timestamp(v) > start]
    clear = [k for k, v in named.items() if v is None]
    end_val = float(path_tn.iloc[-1]) * 1000.0
    start_val = ctx.usd(float(path_tn.iloc[0]) * 1000)
    en = [f"Under current policy, reserves go from {start_val} in the week of {ctx.d(start)} "
          "(the latest week the balance-sheet identity can be built) "
          f"to {ctx.usd(end_val)} in 52 weeks"]
    ja = [f"現行政策シナリオでは、準備預金は{ctx.d(start)}の週 (バランスシート恒等式を組める"
          f"直近の週) の{start_val}から 52 週間で{ctx.usd(end_val)}へ推移します"]
    if below:
        en.append(f"they are already below {', '.join(below)}")
        ja.append(f"{'、'.join(below)}は既に下回っています")
    for k, when in ahead:
        en.append(f"they fall below {k} in the week of {ctx.d(when)}")
        ja.append(f"{ctx.d(when)}の週に{k}を下回ります")
    if clear:
        en.append(f"they stay above {', '.join(clear)}")
        ja.append(f"{'、'.join(clear)}は上回ったままです")
    return ctx.s("; ".join(en) + ".", "。".join(ja) + "。", "WRESBAL")


def scenarios(ctx: Context) -> Section:
    """Reserve projections under the preset scenarios, and the dates they cross 13% / 12%."""
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
        for key in res.crossings:
            if key not in labels:
                labels.append(str(key))
    for i, (name, res) in enumerate(results.items()):
        path = res.path
        if path.empty:
            continue
        s = pd.Series(path["reserves_bn"].to_numpy(float),
                      index=pd.DatetimeIndex(path["date"])) / 1000.0
        traces.append(line(s, name, palette[i % len(palette)], digits=3, dash="dot" if i else None,
                           hover="$%{y:.2f}tn"))
        start = pd.Timestamp(path["date"].iloc[0])
        crossings = dict(res.crossings)
        rows.append([Cell(name), *[Cell(_crossing_text(ctx, crossings.get(k), start), css="nw")
                                   for k in labels]])
        if name == "current-policy":
            sec.sentences.append(_scenario_sentence(ctx, crossings, start, s))
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
               range_buttons=False,
               shapes=threshold_lines(ctx.thresholds("reserves_tn"), ctx.lang, unit="T")),
        ctx.t("Dashed lines: the 2.5T (alert) and 3.0T (watch) levels of the reserves "
              "indicator.", "破線は準備預金指標の 2.5 兆ドル (警戒) と 3.0 兆ドル (注意)。"),
        ("WRESBAL",)))
    names = [_threshold_label(ctx, k) for k in labels]
    sec.tables.append(Table([ctx.label("preset"), *[ctx.t(f"Below {k}", f"{k}を下回る時期")
                                                     for k in names]], rows,
                            caption=ctx.t(
                                "First week reserves are below each threshold in each "
                                "scenario; the assumptions are those of liqwatch scenario "
                                "(see its notes for how bank assets are extended).",
                                "各シナリオで準備預金が各閾値を初めて下回る週。前提は liqwatch "
                                "scenario のもの (銀行総資産の延長方法はその注記を参照)。")))
    return sec.finish()
