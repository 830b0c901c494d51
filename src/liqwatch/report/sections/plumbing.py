"""Reserves and plumbing: the Fed's balance sheet, net liquidity, reserves / bank assets."""

from __future__ import annotations

import pandas as pd

from liqwatch.report import derive
from liqwatch.report.charts import COLORS, figure, hband, line, threshold_lines
from liqwatch.report.context import Context, Reading
from liqwatch.report.model import Chart, Section, Sentence

__all__ = ["SCARCE_HIGH", "SCARCE_LOW", "build"]

#: Reserves become scarce below roughly 12–13% of bank assets (NY Fed Staff Report 1019).
SCARCE_LOW, SCARCE_HIGH = 12.0, 13.0


def build(ctx: Context) -> Section:
    """The reserves and plumbing section."""
    p = ctx.panel
    sec = Section("reserves", ctx.label("reserves"))
    p.prefetch(["WRESBAL", "WTREGEN", "TGA_DTS", "RRPONTSYD", "WALCL", "TLAACBW027SBOG"])
    res = derive.reserves_bn(p)
    if res.empty:
        sec.unavailable(ctx.t("Reserve balances (WRESBAL) are not in the store.",
                              "準備預金残高 (WRESBAL) がストアにありません。"))
        return sec
    _reserves_text(ctx, sec)
    _reserves_chart(ctx, sec)
    _stack_chart(ctx, sec, res)
    _net_liquidity(ctx, sec)
    _ratio(ctx, sec)
    return sec.finish()


def _reserves_text(ctx: Context, sec: Section) -> None:
    res = ctx.reading("reserves_tn")
    if res.ok:
        m1, y1 = res.detail("chg_4w_bn"), res.detail("chg_52w_bn")
        en = f"Reserve balances averaged {res.text} in the week to {ctx.d(res.date)}"
        ja = f"{ctx.d(res.date)}までの週の準備預金残高は平均{res.text}"
        if m1 is not None and y1 is not None:
            en += f": {ctx.change(m1)} over four weeks and {ctx.change(y1)} over a year"
            ja += f"で、4 週間で{ctx.change(m1)}、1 年で{ctx.change(y1)}"
        sec.sentences.append(ctx.s(en + ".", ja + "でした。", "WRESBAL", values=(res,)))
    else:
        sec.sentences.append(ctx.s(f"Reserve balances: {res.reason}",
                                   f"準備預金残高: {res.reason}", "WRESBAL"))
    tga, rrp = ctx.reading("tga_bn"), ctx.reading("on_rrp_bn")
    if tga.ok and rrp.ok:
        sec.sentences.append(ctx.s(
            f"The Treasury's cash account (TGA) held {tga.text} on {ctx.d(tga.date)}, and the "
            f"ON RRP facility {rrp.text} on {ctx.d(rrp.date)}.",
            f"財務省一般口座 (TGA) は{ctx.d(tga.date)}時点で{tga.text}、翌日物リバースレポ "
            f"(ON RRP) の残高は{ctx.d(rrp.date)}時点で{rrp.text}です。",
            "TGA_DTS", "RRPONTSYD", values=(tga, rrp)))


def _stack_chart(ctx: Context, sec: Section, res: pd.Series) -> None:
    p = ctx.panel
    assets = derive.fed_assets_bn(p)
    tga = derive.tga_bn_weekly(p)
    if assets.empty:
        return
    idx = pd.DatetimeIndex(assets.index)
    rrp = derive.on_rrp_bn_weekly(p, idx).reindex(idx).fillna(0.0)
    r = res.reindex(idx)
    t = tga.reindex(idx)
    other = assets - r - t - rrp
    ok = r.notna() & t.notna()
    tn = 1 / 1000.0
    traces = [
        line(r[ok] * tn, ctx.t("Reserves", "準備預金"), COLORS["navy"], stackgroup="liab",
             width=0.5, digits=3, hover="$%{y:.2f}tn"),
        line(t[ok] * tn, "TGA", COLORS["orange"], stackgroup="liab", width=0.5, digits=3,
             hover="$%{y:.2f}tn"),
        line(rrp[ok] * tn, "ON RRP", COLORS["teal"], stackgroup="liab", width=0.5, digits=3,
             hover="$%{y:.2f}tn"),
        line(other[ok] * tn, ctx.t("Currency and other", "銀行券・その他"), "#cbd5e1",
             stackgroup="liab", width=0.5, digits=3, hover="$%{y:.2f}tn"),
        line(assets * tn, ctx.t("Fed total assets", "Fed 総資産"), "#111827", width=1.4,
             digits=3, hover="$%{y:.2f}tn"),
    ]
    sec.charts.append(Chart(
        "balance_sheet",
        ctx.t("Where the Fed's assets sit: reserves, TGA, ON RRP and the rest",
              "Fed の資産の行き先: 準備預金・TGA・ON RRP・その他"),
        figure(traces, y_title=ctx.t("USD tn", "兆ドル"), lang=ctx.lang, height=380),
        ctx.t("Reserves and TGA are H.4.1 week averages (TGA gaps filled from Treasury's daily "
              "statement), total assets and ON RRP are Wednesday levels; 'currency and other' "
              "is the remainder, so it absorbs the difference between the two bases.",
              "準備預金と TGA は H.4.1 の週平均 (TGA の欠損は財務省の日次財務諸表で補完)、"
              "総資産と ON RRP は水曜時点の残高です。「銀行券・その他」は差額なので、"
              "両者の基準の違いもここに含まれます。"),
        ("WRESBAL", "WTREGEN", "TGA_DTS", "RRPONTSYD", "WALCL"),
    ))


def _net_liquidity(ctx: Context, sec: Section) -> None:
    reading = ctx.reading("net_liquidity_tn")
    if reading.ok:
        m1 = reading.detail("chg_4w_bn")
        chg_en = f", {ctx.change(m1)} over four weeks" if m1 is not None else ""
        chg_ja = f"、4 週間で{ctx.change(m1)}しました" if m1 is not None else "でした"
        sec.sentences.append(ctx.s(
            f"Net liquidity (Fed assets − TGA − ON RRP) was {reading.text} on "
            f"{ctx.d(reading.date)}{chg_en}.",
            f"ネット流動性 (Fed 総資産 − TGA − ON RRP) は{ctx.d(reading.date)}時点で"
            f"{reading.text}{chg_ja}。",
            "WALCL", "TGA_DTS", "RRPONTSYD", values=(reading,)))
    net = ctx.indicator_history("net_liquidity_tn")
    if net.empty:
        return
    sec.charts.append(Chart(
        "net_liquidity", ctx.t("Net liquidity: Fed assets − TGA − ON RRP",
                               "ネット流動性: Fed 総資産 − TGA − ON RRP"),
        figure([line(net, ctx.t("Net liquidity", "ネット流動性"), COLORS["blue"],
                     digits=3, hover="$%{y:.2f}tn")],
               y_title=ctx.t("USD tn", "兆ドル"), lang=ctx.lang, height=280),
        ctx.t("The indicator as it was known each business day (Wednesday levels).",
              "各営業日時点で判明していた指標値 (水曜時点残高)。"),
        ("WALCL", "WTREGEN", "RRPONTSYD")))


def _ratio_sentence(ctx: Context, ratio: Reading) -> Sentence:
    gap12, gap13 = ratio.detail("gap_12pct_bn"), ratio.detail("gap_13pct_bn")
    share = ratio.text
    when = ctx.d(ratio.date)
    if gap13 is not None and gap13 > 0:
        return ctx.s(
            f"Reserves were {share} of commercial-bank assets in the week to {when}, "
            f"{ctx.usd(gap13)} above the 13% line where research finds reserves become scarce "
            f"({ctx.usd(gap12)} above 12%).",
            f"{when}までの週の準備預金は銀行総資産の {share} で、希少化が始まるとされる 13% の"
            f"水準を{ctx.usd(gap13)}上回っています (12% までは{ctx.usd(gap12)})。",
            "WRESBAL", "TLAACBW027SBOG", values=(ratio,))
    if gap12 is not None and gap12 > 0:
        return ctx.s(
            f"Reserves were {share} of commercial-bank assets in the week to {when}, inside "
            f"the 12–13% zone where research finds them becoming scarce; {ctx.usd(gap12)} "
            "above 12%.",
            f"{when}までの週の準備預金は銀行総資産の {share} で、希少化が始まるとされる 12–13% "
            f"の範囲内にあります (12% まで{ctx.usd(gap12)})。",
            "WRESBAL", "TLAACBW027SBOG", values=(ratio,))
    short = ctx.usd(-gap12) if gap12 is not None else "—"
    return ctx.s(
        f"Reserves were {share} of commercial-bank assets in the week to {when}, below the "
        f"12% line: {short} short of it.",
        f"{when}までの週の準備預金は銀行総資産の {share} で、12% を{short}下回っています。",
        "WRESBAL", "TLAACBW027SBOG", values=(ratio,))


def _ratio(ctx: Context, sec: Section) -> None:
    ratio = ctx.reading("reserves_to_bank_assets_pct")
    if ratio.ok:
        sec.sentences.append(_ratio_sentence(ctx, ratio))
    else:
        gdp = ctx.reading("reserves_to_gdp_pct")
        gdp_en = gdp_ja = ""
        if gdp.ok:
            gdp_en = (f" Against GDP, reserves were {gdp.text} in the week to "
                      f"{ctx.d(gdp.date)}.")
            gdp_ja = f"GDP 比では{ctx.d(gdp.date)}までの週に {gdp.text} でした。"
        sec.sentences.append(ctx.s(
            f"Reserves against the 12–13% scarcity zone cannot be judged: {ratio.reason}"
            f"{gdp_en}",
            f"準備預金を希少化ゾーン (12–13%) と比べることはできません: {ratio.reason}"
            f"{gdp_ja}", "WRESBAL", "TLAACBW027SBOG", "GDP",
            values=(gdp,) if gdp.ok else ()))
    hist = ctx.indicator_history("reserves_to_bank_assets_pct")
    if hist.empty:
        return
    sec.charts.append(Chart(
        "reserves_ratio",
        ctx.t("Reserves / commercial-bank assets, with the 12–13% scarcity zone",
              "準備預金 / 銀行総資産と希少化ゾーン (12–13%)"),
        figure([line(hist, ctx.t("Reserves / bank assets", "準備預金 / 銀行総資産"),
                     COLORS["navy"], digits=2, hover="%{y:.1f}%")],
               y_title="%", lang=ctx.lang, height=300,
               shapes=[hband(SCARCE_LOW, SCARCE_HIGH,
                             label=ctx.t("scarcity zone 12–13%", "希少化ゾーン 12–13%"))]),
        ctx.t("The 12–13% zone follows NY Fed Staff Report 1019 on the demand for reserves.",
              "12–13% はニューヨーク連銀スタッフレポート 1019 (準備預金需要の推計) に基づきます。"),
        ("WRESBAL", "TLAACBW027SBOG")))


def _reserves_chart(ctx: Context, sec: Section) -> None:
    """Reserves against the 2.5–3.0T band the indicator is judged on."""
    hist = ctx.indicator_history("reserves_tn")
    if hist.empty:
        return
    end = ctx.panel.end
    th = ctx.thresholds("reserves_tn")
    band = ([hband(float(th["alert"]), float(th["watch"]), "rgba(217,119,6,0.08)",
                   label=ctx.t("scarcity band", "準備預金の希少域"))]
            if th.get("alert") is not None and th.get("watch") is not None else [])
    sec.charts.append(Chart(
        "reserves", ctx.t("Reserve balances against the 2.5–3.0 trillion band",
                          "準備預金残高と 2.5〜3.0兆ドルの帯域"),
        figure([line(hist, ctx.t("Reserves", "準備預金"), COLORS["navy"], digits=3,
                     shape="hv", hover="$%{y:.2f}tn")],
               y_title=ctx.t("USD tn", "兆ドル"), lang=ctx.lang, height=300,
               shapes=[*band, *threshold_lines(th, ctx.lang, unit="usd_tn")],
               x_start=(end - pd.DateOffset(years=5)).strftime("%Y-%m-%d"),
               x_end=end.strftime("%Y-%m-%d")),
        ctx.t("H.4.1 week averages as known each business day; the band is an estimate for the "
              "banking system of the 2020s (it applies from 2022).",
              "各営業日時点で判明していた H.4.1 週平均。帯域は 2020 年代の銀行システムに対する"
              "推計で、2022 年以降に適用。"),
        ("WRESBAL",)))
