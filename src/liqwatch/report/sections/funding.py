"""Funding markets: SOFR against the policy corridor, EFFR − IORB, Standing Repo Facility."""

from __future__ import annotations

from datetime import date

import pandas as pd

from liqwatch.report import derive
from liqwatch.report.charts import (
    COLORS,
    band,
    bars,
    event_marks,
    figure,
    line,
    threshold_lines,
)
from liqwatch.report.context import Context
from liqwatch.report.model import Chart, Section

__all__ = ["build"]

START = pd.Timestamp("2018-04-01")
#: The Standing Repo Facility was established on 28 Jul 2021.
SRF_START = date(2021, 7, 28)


def build(ctx: Context) -> Section:
    """The funding section."""
    p = ctx.panel
    sec = Section("funding", ctx.label("funding"))
    p.prefetch(["SOFR", "SOFR1", "SOFR99", "IORB", "IOER", "RRPONTSYAWARD", "DFEDTARU",
                "DFEDTARL", "EFFR", "RPONTSYD", "RPONTTLD_NYFED", "RPONTSYD_NYFED", "WREPO"])
    sofr = p.get("SOFR")
    ior, top, rrp_rate = derive.iorb(p), p.get("DFEDTARU"), derive.on_rrp_rate(p)
    if sofr.empty:
        sec.unavailable(ctx.t(
            "SOFR is not in the store for this date (the New York Fed publishes it from "
            "April 2018).",
            "この日付の SOFR はストアにありません (ニューヨーク連銀の公表は 2018 年 4 月から)。"))
    else:
        _corridor_chart(ctx, sec, sofr, ior, top, rrp_rate)
        _narrative(ctx, sec)
        _sofr_iorb_chart(ctx, sec)
    _effr_chart(ctx, sec, ior)
    _srf(ctx, sec)
    return sec.finish()


def _corridor_chart(ctx: Context, sec: Section, sofr: pd.Series, ior: pd.Series,
                    top: pd.Series, rrp_rate: pd.Series) -> None:
    p = ctx.panel
    lo, hi = p.get("SOFR1"), p.get("SOFR99")
    traces = []
    if not lo.empty and not hi.empty:
        traces += band(lo[lo.index >= START], hi[hi.index >= START],
                       ctx.t("SOFR 1st–99th percentile", "SOFR 1–99 パーセンタイル"))
    for s, name, color, dash in (
        (top, ctx.t("Top of target range (SRF rate)", "誘導目標上限 (SRF 金利)"),
         COLORS["red"], "dot"),
        (ior, "IORB", COLORS["teal"], "dash"),
        (rrp_rate, ctx.t("ON RRP rate", "ON RRP 金利"), COLORS["gray"], "dot"),
    ):
        if not s.empty:
            traces.append(line(s[s.index >= START], name, color, dash=dash, shape="hv",
                               width=1.3, hover="%{y:.2f}%"))
    traces.append(line(sofr[sofr.index >= START], "SOFR", COLORS["navy"], width=1.8,
                       hover="%{y:.2f}%"))
    turns = _turns(ctx)
    if not turns.empty:
        shown = sofr[sofr.index >= START]
        traces += event_marks(shown, turns["kind"], turns["hover"], ctx.lang)
    end = p.end
    x0 = (end - pd.DateOffset(years=3)).strftime("%Y-%m-%d")
    sec.charts.append(Chart(
        "sofr_corridor",
        ctx.t("SOFR and its 1st–99th percentile band in the policy corridor",
              "SOFR とその 1–99 パーセンタイル幅、政策金利コリドー"),
        figure(traces, y_title="%", x_start=x0, x_end=end.strftime("%Y-%m-%d"), lang=ctx.lang,
               height=380),
        ctx.t("The corridor: ON RRP offering rate (floor), IORB, and the top of the target "
              "range, which is also the Standing Repo Facility's minimum bid rate. Markers: "
              "funding-calendar days (month-, quarter- and year-ends, tax dates, coupon "
              "settlements, GSE cash days); hover for the print against the usual one on "
              "that kind of day.",
              "コリドー: ON RRP 金利 (下限)、IORB、誘導目標上限 (常設レポ・ファシリティ (SRF) "
              "の最低入札金利と同じ)。マーカーは資金繰りの暦日 (月末・四半期末・年末、納税日、"
              "国債決済日、GSE 資金支払日)。同じ種類の日の通常の値との比較はマウスオーバーで。"),
        ("SOFR", "SOFR1", "SOFR99", "IORB", "DFEDTARU", "RRPONTSYAWARD"),
    ))


def _turns(ctx: Context) -> pd.DataFrame:
    """The turn-aware reading of every SOFR − IORB print known on the report day
    (:func:`liqwatch.indicators.turns.turn_frame`), with its hover text."""
    def run() -> pd.DataFrame:
        from liqwatch.frames import records
        from liqwatch.indicators.turns import turn_frame, turn_text
        from liqwatch.vocab import fmt_bp

        prints = ctx.indicator_prints("sofr_iorb_bp")
        if prints.empty:
            return pd.DataFrame(columns=["print", "kind", "hover"])
        frame = turn_frame(prints)
        frame["hover"] = [f"SOFR − IORB {fmt_bp(r['print'], lang=ctx.lang)}: "
                          f"{turn_text(r, ctx.lang)}" for r in records(frame)]
        return frame

    return ctx.cached("turns:sofr_iorb_bp", run)


def _sofr_iorb_chart(ctx: Context, sec: Section) -> None:
    """SOFR − IORB with the funding-calendar days marked."""
    turns = _turns(ctx)
    if turns.empty:
        return
    spread = turns["print"]
    end = ctx.panel.end
    traces = [line(spread, "SOFR − IORB", COLORS["navy"], digits=1, shape="hv",
                   hover="%{y:+.0f} bp")]
    traces += event_marks(spread, turns["kind"], turns["hover"], ctx.lang, digits=1)
    fig = figure(traces, y_title="bp", lang=ctx.lang, height=330,
                 shapes=threshold_lines(ctx.thresholds("sofr_iorb_bp"), ctx.lang, unit=" bp"),
                 x_start=(end - pd.DateOffset(years=2)).strftime("%Y-%m-%d"),
                 x_end=end.strftime("%Y-%m-%d"))
    # five legend entries: below the plot, clear of the range buttons
    fig["layout"]["legend"].update({"x": 0, "xanchor": "left", "y": -0.12, "yanchor": "top"})
    fig["layout"]["margin"]["b"] = 60
    sec.charts.append(Chart(
        "sofr_iorb", ctx.t("SOFR − IORB (IOER before July 2021) on funding-calendar days",
                           "SOFR − IORB (2021 年 7 月以前は IOER) と資金繰りの暦日"),
        fig,
        ctx.t("Markers: month-, quarter- and year-ends, tax dates, coupon settlements and GSE "
              "cash days; each hover compares the print with the median of the last prints on "
              "the same kind of day (12 month-ends, 8 quarter-ends, ...). Dashed lines: the "
              "indicator's watch and alert levels.",
              "マーカーは月末・四半期末・年末、納税日、国債決済日、GSE 資金支払日。マウスオーバーで"
              "同じ種類の日の直近の中央値 (月末 12 回、四半期末 8 回など) と比較。破線は指標の"
              "注意・警戒水準。"),
        ("SOFR", "IORB", "IOER")))


def _narrative(ctx: Context, sec: Section) -> None:
    """SOFR against IORB and the ceiling, and the spread of the trades (indicator readings)."""
    spread = ctx.reading("sofr_iorb_bp")
    disp = ctx.reading("sofr_dispersion_bp")
    if not spread.ok:
        sec.sentences.append(ctx.s(f"SOFR − IORB: {spread.reason}",
                                   f"SOFR − IORB: {spread.reason}", "SOFR", "IORB"))
    else:
        sofr, ior = spread.detail("sofr"), spread.detail("iorb")
        p99 = disp.detail("p99") if disp.ok else None
        tail_en = (f"; the 99th percentile of trades was {p99:.2f}% (99th − 1st: {disp.text})"
                   if p99 is not None else "")
        tail_ja = (f"、取引分布の 99 パーセンタイルは {p99:.2f}% (99 − 1 パーセンタイル: "
                   f"{disp.text})" if p99 is not None else "")
        sec.sentences.append(ctx.s(
            f"SOFR was {sofr:.2f}% on {ctx.d(spread.date)}, {spread.text} against IORB "
            f"({ior:.2f}%){tail_en}.",
            f"{ctx.d(spread.date)}の SOFR は {sofr:.2f}% で、IORB ({ior:.2f}%) との差は "
            f"{spread.text}{tail_ja}でした。",
            "SOFR", "IORB", "SOFR99", values=(spread, disp) if p99 is not None else (spread,)))
        if spread.details.get("calendar_kind"):
            from liqwatch.indicators.turns import turn_text

            clause_en, clause_ja = (turn_text(spread.details, "en"),
                                    turn_text(spread.details, "ja"))
            sec.sentences.append(ctx.s(
                f"On the calendar: {clause_en}.", f"暦の上では、{clause_ja}。",
                "SOFR", "IORB"))
        above, n = spread.detail("days_above_3m"), spread.detail("days_3m")
        if above is not None and n:
            sec.sentences.append(ctx.s(
                f"Over the last three months SOFR was above IORB on {above:.0f} of {n:.0f} "
                "business days.",
                f"直近 3 か月では {n:.0f} 営業日のうち {above:.0f} 日で SOFR が IORB を上回り"
                "ました。", "SOFR", "IORB"))
    _ceiling(ctx, sec)


def _ceiling(ctx: Context, sec: Section) -> None:
    ceil = ctx.reading("sofr_ceiling_bp")
    if not ceil.ok or ceil.date is None:
        return
    srf = ceil.date >= SRF_START
    top_en = ("the top of the target range — the rate at which the Standing Repo Facility "
              "lends" if srf else "the top of the fed funds target range")
    top_ja = "誘導目標上限 (SRF の貸出金利)" if srf else " FF 金利の誘導目標上限"
    level = ceil.detail("ceiling")
    run = ceil.detail("days_at_or_above_ceiling") or 0.0
    last10 = ceil.detail("days_above_last_10") or 0.0
    lvl = f" ({level:.2f}%)" if level is not None else ""
    if ceil.value is not None and ceil.value > 0:
        en = (f"SOFR printed {ceil.text} above {top_en}{lvl} on {ctx.d(ceil.date)}, and above "
              f"it on {last10:.0f} of the last 10 business days")
        ja = (f"{ctx.d(ceil.date)}の SOFR は{top_ja}{lvl}を {ceil.text} 上回り、直近 10 営業日"
              f"のうち {last10:.0f} 日で上回りました")
        if run > 1:
            en += f" ({run:.0f} in a row at or above it)"
            ja += f" (上限以上が {run:.0f} 営業日連続)"
        sec.sentences.append(ctx.s(
            en + ".", ja + "。" + ("資金が市場で足りず、Fed の常設ファシリティの金利より高く"
                                  "取引されている状態です。" if srf else
                                  "レポ市場で資金が逼迫している状態です。"),
            "SOFR", "DFEDTARU", values=(ceil,)))
    else:
        en = f"SOFR was {ceil.text} against {top_en}{lvl} on {ctx.d(ceil.date)}"
        ja = f"{ctx.d(ceil.date)}の SOFR は{top_ja}{lvl}に対して {ceil.text}"
        if last10:
            en += f"; it printed above it on {last10:.0f} of the last 10 business days"
            ja += f"。直近 10 営業日のうち {last10:.0f} 日は上回りました"
        sec.sentences.append(ctx.s(en + ".", ja + "。", "SOFR", "DFEDTARU", values=(ceil,)))


def _effr_chart(ctx: Context, sec: Section, ior: pd.Series) -> None:
    effr = ctx.panel.get("EFFR")
    if effr.empty or ior.empty:
        sec.unavailable(ctx.t("EFFR − IORB: EFFR or IORB is not in the store.",
                              "EFFR − IORB: EFFR か IORB がストアにありません。"))
        return
    reading = ctx.reading("effr_iorb_bp")
    if reading.ok:
        sec.sentences.append(ctx.s(
            f"The effective fed funds rate sat {reading.text} from IORB on "
            f"{ctx.d(reading.date)}; a rise toward zero or above means reserves are getting "
            "scarce.",
            f"{ctx.d(reading.date)}の実効 FF 金利は IORB 比 {reading.text}でした。この差が"
            "ゼロ付近やプラスに近づくほど、準備預金の希少化を示します。",
            "EFFR", "IORB", values=(reading,)))
    aligned = ior.reindex(ior.index.union(effr.index)).ffill().reindex(effr.index)
    spread = ((effr - aligned) * 100).dropna()
    spread = spread[spread.index >= pd.Timestamp("2008-10-09")]
    end = ctx.panel.end
    sec.charts.append(Chart(
        "effr_iorb", ctx.t("EFFR − IORB (IOER before July 2021)",
                           "EFFR − IORB (2021 年 7 月以前は IOER)"),
        figure([line(spread, "EFFR − IORB", COLORS["purple"], digits=1, shape="hv",
                     hover="%{y:+.0f} bp")],
               y_title="bp", lang=ctx.lang, height=280,
               shapes=threshold_lines(ctx.thresholds("effr_iorb_bp"), ctx.lang, unit=" bp"),
               x_start=(end - pd.DateOffset(years=5)).strftime("%Y-%m-%d"),
               x_end=end.strftime("%Y-%m-%d")),
        ctx.t("Dashed lines: the indicator's watch and alert levels.",
              "破線は指標の注意・警戒水準。"), ("EFFR", "IORB", "IOER")))


def _srf(ctx: Context, sec: Section) -> None:
    take, ref = derive.srf_takeup_bn(ctx.panel)
    weekly = ctx.panel.get("WREPO")
    if take.empty and weekly.empty:
        sec.unavailable(ctx.t(
            "No Fed repo take-up is stored up to this date (Standing Repo Facility results, "
            "or the H.4.1 repo line WREPO).",
            "この日付までの Fed のレポ・オペ利用額 (SRF の結果または H.4.1 の WREPO) は"
            "ストアにありません。"))
        return
    reading = ctx.reading("srf_usage_bn")
    if reading.ok:
        peak, peak_day = reading.detail("max_3m_bn"), reading.details.get("max_3m_date")
        basis = reading.details.get("basis")
        what_en = ("Fed repo (Standing Repo Facility) take-up was" if basis == "daily"
                   else "Fed repo operations averaged")
        what_ja = "Fed のレポ・オペ (SRF) の利用額は" if basis == "daily" else \
            "Fed のレポ・オペ残高 (週平均) は"
        peak_en = peak_ja = ""
        if peak is not None and basis == "daily":
            peak_txt = ctx.value_text(peak, "usd_bn")
            peak_en = f"; the three-month high was {peak_txt} on {ctx.d(peak_day)}"
            peak_ja = f"、直近 3 か月の最大は{ctx.d(peak_day)}の{peak_txt}"
        sec.sentences.append(ctx.s(
            f"{what_en} {reading.text} on {ctx.d(reading.date)}{peak_en}.",
            f"{what_ja}{ctx.d(reading.date)}に{reading.text}{peak_ja}でした。",
            ref or "WREPO", values=(reading,)))
    else:
        sec.sentences.append(ctx.s(
            f"Standing Repo Facility take-up: {reading.reason}",
            f"常設レポファシリティ (SRF) の利用額: {reading.reason}", ref or "WREPO"))
    refs: list[str] = []
    traces = []
    if not weekly.empty:
        refs.append("WREPO")
        traces.append(line(weekly, ctx.t("Repo, H.4.1 week average", "レポ (H.4.1 週平均)"),
                           COLORS["gray"], shape="hv", digits=2, hover="$%{y:,.1f}bn"))
    if not take.empty and ref is not None:
        refs.insert(0, ref)
        traces.append(bars(take, ctx.t("Daily take-up", "日次利用額"), COLORS["red"],
                           hover="$%{y:,.1f}bn"))
    end = ctx.panel.end
    sec.charts.append(Chart(
        "srf", ctx.t("Fed repo operations and Standing Repo Facility take-up",
                     "Fed のレポ・オペと常設レポ・ファシリティ (SRF) の利用額"),
        figure(traces, y_title=ctx.t("USD bn", "10 億ドル"), lang=ctx.lang, height=280,
               shapes=threshold_lines(ctx.thresholds("srf_usage_bn"), ctx.lang)[1:],
               x_start=(end - pd.DateOffset(years=1)).strftime("%Y-%m-%d"),
               x_end=end.strftime("%Y-%m-%d")),
        ctx.t("Daily totals of the New York Fed's repo operation results (the Standing Repo "
              "Facility since July 2021) and the H.4.1 week-average repo line; the dashed line "
              "is the indicator's alert level.",
              "ニューヨーク連銀のレポ・オペ結果の日次合計 (2021 年 7 月以降は SRF) と H.4.1 の"
              "レポ残高 (週平均)。破線は指標の警戒水準。"),
        tuple(refs)))
