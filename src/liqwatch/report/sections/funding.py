"""Funding markets: SOFR against the policy corridor, EFFR − IORB, Standing Repo Facility."""

from __future__ import annotations

from datetime import date

import pandas as pd

from liqwatch.report import derive
from liqwatch.report.charts import COLORS, band, bars, figure, line
from liqwatch.report.context import Context
from liqwatch.report.model import Chart, Section
from liqwatch.report.panel import last

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
        _narrative(ctx, sec, sofr, ior, top)
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
    end = p.end
    x0 = (end - pd.DateOffset(years=3)).strftime("%Y-%m-%d")
    sec.charts.append(Chart(
        "sofr_corridor",
        ctx.t("SOFR and its 1st–99th percentile band in the policy corridor",
              "SOFR とその 1–99 パーセンタイル幅、政策金利コリドー"),
        figure(traces, y_title="%", x_start=x0, x_end=end.strftime("%Y-%m-%d"), lang=ctx.lang,
               height=380),
        ctx.t("The corridor: ON RRP offering rate (floor), IORB, and the top of the target "
              "range, which is also the Standing Repo Facility's minimum bid rate.",
              "コリドー: ON RRP 金利 (下限)、IORB、誘導目標上限 (常設レポ・ファシリティ (SRF) "
              "の最低入札金利と同じ)。"),
        ("SOFR", "SOFR1", "SOFR99", "IORB", "DFEDTARU", "RRPONTSYAWARD"),
    ))


def _narrative(ctx: Context, sec: Section, sofr: pd.Series, ior: pd.Series,
               top: pd.Series) -> None:
    day, val = last(sofr)
    _, p99 = last(ctx.panel.get("SOFR99"))
    _, ior_now = last(ior)
    spread = (val - ior_now) * 100
    sec.sentences.append(ctx.s(
        f"SOFR was {val:.2f}% on {ctx.d(day)}, {spread:+.0f} bp against IORB "
        f"({ior_now:.2f}%); its 99th percentile was {p99:.2f}%.",
        f"{ctx.d(day)}の SOFR は {val:.2f}% で、IORB ({ior_now:.2f}%) との差は "
        f"{spread:+.0f} bp、取引分布の 99 パーセンタイルは {p99:.2f}% でした。",
        "SOFR", "IORB", "SOFR99"))
    run, last_above = derive.consecutive_above(sofr, top)
    srf = day is not None and day >= SRF_START
    top_en = ("the top of the target range — the rate at which the Standing Repo Facility "
              "lends —" if srf else "the top of the fed funds target range")
    top_short = ("the top of the target range (the Standing Repo Facility rate)" if srf
                 else "the top of the fed funds target range")
    top_ja = "誘導目標上限 (SRF の貸出金利)" if srf else " FF 金利の誘導目標上限"
    if run > 0:
        sec.sentences.append(ctx.s(
            f"SOFR has printed above {top_en} for {run} consecutive business days."
            if run > 1 else f"SOFR printed above {top_en} on its latest fixing.",
            (f"SOFR は{top_ja}を {run} 営業日連続で上回っています。" if run > 1 else
             f"直近の営業日、SOFR は{top_ja}を上回りました。")
            + ("資金が市場で足りず、Fed の常設ファシリティの金利より高く取引されている状態です。"
               if srf else "レポ市場で資金が逼迫している状態です。"),
            "SOFR", "DFEDTARU"))
    elif last_above is not None:
        sec.sentences.append(ctx.s(
            f"SOFR is below {top_short}; it last printed "
            f"above it on {ctx.d(last_above)}.",
            f"SOFR は{top_ja}を下回っています。最後に上回ったのは{ctx.d(last_above)}です。",
            "SOFR", "DFEDTARU"))
    window = sofr[sofr.index > sofr.index.max() - pd.Timedelta(days=91)]
    n_above = int((window > ior.reindex(ior.index.union(window.index)).ffill()
                   .reindex(window.index)).sum())
    sec.sentences.append(ctx.s(
        f"Over the last three months SOFR was above IORB on {n_above} of {len(window)} days.",
        f"直近 3 か月では {len(window)} 営業日のうち {n_above} 日で SOFR が IORB を上回りました。",
        "SOFR", "IORB"))


def _effr_chart(ctx: Context, sec: Section, ior: pd.Series) -> None:
    effr = ctx.panel.get("EFFR")
    if effr.empty or ior.empty:
        sec.unavailable(ctx.t("EFFR − IORB: EFFR or IORB is not in the store.",
                              "EFFR − IORB: EFFR か IORB がストアにありません。"))
        return
    aligned = ior.reindex(ior.index.union(effr.index)).ffill().reindex(effr.index)
    spread = ((effr - aligned) * 100).dropna()
    spread = spread[spread.index >= pd.Timestamp("2008-10-09")]
    day, val = last(spread)
    sec.sentences.append(ctx.s(
        f"The effective fed funds rate sat {val:+.0f} bp from IORB on {ctx.d(day)}; a rise "
        "toward zero or above means reserves are getting scarce.",
        f"{ctx.d(day)}の実効 FF 金利は IORB 比 {val:+.0f} bp でした。この差がゼロ付近や"
        "プラスに近づくほど、準備預金の希少化を示します。",
        "EFFR", "IORB"))
    end = ctx.panel.end
    sec.charts.append(Chart(
        "effr_iorb", ctx.t("EFFR − IORB (IOER before July 2021)",
                           "EFFR − IORB (2021 年 7 月以前は IOER)"),
        figure([line(spread, "EFFR − IORB", COLORS["purple"], digits=1, shape="hv",
                     hover="%{y:+.0f} bp")],
               y_title="bp", lang=ctx.lang, height=280,
               x_start=(end - pd.DateOffset(years=5)).strftime("%Y-%m-%d"),
               x_end=end.strftime("%Y-%m-%d")),
        "", ("EFFR", "IORB", "IOER")))


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
    refs: list[str] = []
    traces = []
    if not weekly.empty:
        refs.append("WREPO")
        wday, wval = last(weekly)
        traces.append(line(weekly, ctx.t("Repo, H.4.1 week average", "レポ (H.4.1 週平均)"),
                           COLORS["gray"], shape="hv", digits=2, hover="$%{y:,.1f}bn"))
    if not take.empty and ref is not None:
        refs.insert(0, ref)
        day, val = last(take)
        recent = take[take.index > take.index.max() - pd.Timedelta(days=91)]
        peak_day = recent.idxmax()
        peak = float(recent.max())
        sec.sentences.append(ctx.s(
            f"Fed repo (Standing Repo Facility) take-up was {ctx.usd(val)} on {ctx.d(day)}; "
            f"the three-month high was {ctx.usd(peak)} on {ctx.d(peak_day)}.",
            f"Fed のレポ・オペ (SRF) の利用額は{ctx.d(day)}に{ctx.usd(val)}、直近 3 か月の最大は"
            f"{ctx.d(peak_day)}の{ctx.usd(peak)}でした。", ref))
        traces.append(bars(take, ctx.t("Daily take-up", "日次利用額"), COLORS["red"],
                           hover="$%{y:,.1f}bn"))
    elif not weekly.empty:
        sec.sentences.append(ctx.s(
            f"Fed repo operations averaged {ctx.usd(wval)} in the week to {ctx.d(wday)} "
            "(H.4.1).",
            f"Fed のレポ・オペ残高は{ctx.d(wday)}までの週の平均で{ctx.usd(wval)}でした (H.4.1)。",
            "WREPO"))
    end = ctx.panel.end
    sec.charts.append(Chart(
        "srf", ctx.t("Fed repo operations and Standing Repo Facility take-up",
                     "Fed のレポ・オペと常設レポ・ファシリティ (SRF) の利用額"),
        figure(traces, y_title=ctx.t("USD bn", "10 億ドル"), lang=ctx.lang, height=280,
               x_start=(end - pd.DateOffset(years=10)).strftime("%Y-%m-%d"),
               x_end=end.strftime("%Y-%m-%d")),
        ctx.t("Daily totals of the New York Fed's repo operation results (the Standing Repo "
              "Facility since July 2021) and the H.4.1 week-average repo line.",
              "ニューヨーク連銀のレポ・オペ結果の日次合計 (2021 年 7 月以降は SRF) と H.4.1 の"
              "レポ残高 (週平均)。"),
        tuple(refs)))
