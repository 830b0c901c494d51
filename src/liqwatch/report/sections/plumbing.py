"""Reserves and plumbing: the Fed's balance sheet, net liquidity, reserves / bank assets."""

from __future__ import annotations

import pandas as pd

from liqwatch.report import derive
from liqwatch.report.charts import COLORS, figure, hband, line
from liqwatch.report.context import Context, Unavailable
from liqwatch.report.model import Chart, Section, Sentence
from liqwatch.report.panel import last, value_at

__all__ = ["SCARCE_HIGH", "SCARCE_LOW", "build"]

#: Reserves become scarce below roughly 12–13% of bank assets (NY Fed Staff Report 1019).
SCARCE_LOW, SCARCE_HIGH = 12.0, 13.0
#: Bank assets older than this (against the reserves date) are too old to judge the ratio.
STALE_DAYS = 45


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
    _reserves_text(ctx, sec, res)
    _stack_chart(ctx, sec, res)
    _net_liquidity(ctx, sec)
    _ratio(ctx, sec, res)
    return sec.finish()


def _reserves_text(ctx: Context, sec: Section, res: pd.Series) -> None:
    day, val = last(res)
    end = res.index.max()
    m1 = value_at(res, end - pd.Timedelta(days=28))
    y1 = value_at(res, end - pd.Timedelta(days=364))
    sec.sentences.append(ctx.s(
        f"Reserve balances averaged {ctx.usd(val)} in the week to {ctx.d(day)}: "
        f"{ctx.change(val - m1)} over four weeks and {ctx.change(val - y1)} over a year.",
        f"{ctx.d(day)}までの週の準備預金残高は平均{ctx.usd(val)}で、4 週間で"
        f"{ctx.change(val - m1)}、1 年で{ctx.change(val - y1)}でした。",
        "WRESBAL"))
    tga = ctx.panel.get("TGA_DTS")
    tga_id = "TGA_DTS"
    if tga.empty:
        tga, tga_id = ctx.panel.get("WTREGEN"), "WTREGEN"
    rrp = ctx.panel.get("RRPONTSYD")
    tday, tval = last(tga / 1000.0)
    rday, rval = last(rrp)
    if tday is not None and rday is not None:
        sec.sentences.append(ctx.s(
            f"The Treasury's cash account (TGA) held {ctx.usd(tval)} on {ctx.d(tday)}, and the "
            f"ON RRP facility {ctx.usd(rval)} on {ctx.d(rday)}.",
            f"財務省の口座 (TGA) は{ctx.d(tday)}時点で{ctx.usd(tval)}、ON RRP の残高は"
            f"{ctx.d(rday)}時点で{ctx.usd(rval)}です。",
            tga_id, "RRPONTSYD"))


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
    net = derive.net_liquidity_bn(ctx.panel)
    if net.empty:
        return
    day, val = last(net)
    m1 = value_at(net, net.index.max() - pd.Timedelta(days=28))
    sec.sentences.append(ctx.s(
        f"Net liquidity (Fed assets − TGA − ON RRP) was {ctx.usd(val)} on {ctx.d(day)}, "
        f"{ctx.change(val - m1)} over four weeks.",
        f"ネット流動性 (Fed 総資産 − TGA − ON RRP) は{ctx.d(day)}時点で{ctx.usd(val)}、"
        f"4 週間で{ctx.change(val - m1)}しました。",
        "WALCL", "WTREGEN", "RRPONTSYD"))
    sec.charts.append(Chart(
        "net_liquidity", ctx.t("Net liquidity: Fed assets − TGA − ON RRP",
                               "ネット流動性: Fed 総資産 − TGA − ON RRP"),
        figure([line(net / 1000.0, ctx.t("Net liquidity", "ネット流動性"), COLORS["blue"],
                     digits=3, hover="$%{y:.2f}tn")],
               y_title=ctx.t("USD tn", "兆ドル"), lang=ctx.lang, height=280),
        "", ("WALCL", "WTREGEN", "RRPONTSYD")))


def _assumed_ratio(ctx: Context) -> Sentence | None:
    """The ratio on the scenario module's extended bank assets, labelled as an assumption."""
    try:
        base = ctx.projections().get("current-policy")
    except Unavailable:
        return None
    path = getattr(base, "path", None)
    if path is None or path.empty or "bank_assets_bn" not in path:
        return None
    row = path.iloc[0]
    bank, res = float(row["bank_assets_bn"]), float(row["reserves_bn"])
    if not (bank > 0 and res > 0):
        return None
    share = 100.0 * res / bank
    gap = res - bank * SCARCE_LOW / 100.0
    when = ctx.d(pd.Timestamp(row["date"]))
    where_en = f"{ctx.usd(gap)} above 12%" if gap >= 0 else f"{ctx.usd(-gap)} below 12%"
    where_ja = f"12% を{ctx.usd(gap)}上回る" if gap >= 0 else f"12% を{ctx.usd(-gap)}下回る"
    return ctx.s(
        f"Assuming bank assets kept growing at their trend since (about {ctx.usd(bank)} for "
        f"the week of {when}, the scenario module's assumption), reserves would be "
        f"{share:.1f}% of them, {where_en}.",
        f"銀行総資産がその後もトレンドで伸びたと仮定すると ({when}の週で約{ctx.usd(bank)}、"
        f"シナリオ・モジュールの前提)、準備預金はその {share:.1f}% で、{where_ja}水準です。",
        "WRESBAL", "TLAACBW027SBOG")


def _ratio_sentence(ctx: Context, rval: float, aval: float) -> Sentence:
    share = 100.0 * rval / aval
    need_hi = aval * SCARCE_HIGH / 100.0
    need_lo = aval * SCARCE_LOW / 100.0
    if share > SCARCE_HIGH:
        return ctx.s(
            f"Reserves are {share:.1f}% of commercial-bank assets, {ctx.usd(rval - need_hi)} "
            f"above the 13% line where research finds reserves become scarce "
            f"({ctx.usd(rval - need_lo)} above 12%).",
            f"準備預金は銀行総資産の {share:.1f}% で、希少化が始まるとされる 13% の水準を"
            f"{ctx.usd(rval - need_hi)}上回っています (12% までは{ctx.usd(rval - need_lo)})。",
            "WRESBAL", "TLAACBW027SBOG")
    if share > SCARCE_LOW:
        return ctx.s(
            f"Reserves are {share:.1f}% of commercial-bank assets, inside the 12–13% zone where "
            f"research finds them becoming scarce; {ctx.usd(rval - need_lo)} above 12%.",
            f"準備預金は銀行総資産の {share:.1f}% で、希少化が始まるとされる 12–13% の範囲内に"
            f"あります (12% まで{ctx.usd(rval - need_lo)})。", "WRESBAL", "TLAACBW027SBOG")
    return ctx.s(
        f"Reserves are {share:.1f}% of commercial-bank assets, below the 12% line: "
        f"{ctx.usd(need_lo - rval)} short of it.",
        f"準備預金は銀行総資産の {share:.1f}% で、12% を{ctx.usd(need_lo - rval)}下回って"
        "います。", "WRESBAL", "TLAACBW027SBOG")


def _ratio(ctx: Context, sec: Section, res: pd.Series) -> None:
    ratio = derive.reserves_to_assets_pct(ctx.panel)
    assets = derive.bank_assets_bn(ctx.panel)
    if ratio.empty or assets.empty:
        sec.unavailable(ctx.t("Reserves / bank assets: commercial-bank assets (H.8) are not in "
                              "the store.", "準備預金 / 銀行総資産: 銀行総資産 (H.8) がストアに"
                              "ありません。"))
        return
    rday, rval = last(res)
    aday, aval = last(assets)
    if rday is not None and aday is not None and (rday - aday).days > STALE_DAYS:
        _, lval = last(ratio)
        sec.sentences.append(ctx.s(
            f"Reserves against the 12–13% scarcity zone cannot be judged for "
            f"{ctx.d(rday)}: commercial-bank assets (H.8) in the store end on {ctx.d(aday)}, "
            f"when reserves were {lval:.1f}% of them.",
            f"{ctx.d(rday)}時点の準備預金を希少化ゾーン (12–13%) と比べることはできません。"
            f"ストアの銀行総資産 (H.8) は{ctx.d(aday)}で終わっており、その時点の比率は "
            f"{lval:.1f}% でした。", "WRESBAL", "TLAACBW027SBOG"))
        assumed = _assumed_ratio(ctx)
        if assumed is not None:
            sec.sentences.append(assumed)
    else:
        sec.sentences.append(_ratio_sentence(ctx, rval, aval))
    sec.charts.append(Chart(
        "reserves_ratio",
        ctx.t("Reserves / commercial-bank assets, with the 12–13% scarcity zone",
              "準備預金 / 銀行総資産と希少化ゾーン (12–13%)"),
        figure([line(ratio, ctx.t("Reserves / bank assets", "準備預金 / 銀行総資産"),
                     COLORS["navy"], digits=2, hover="%{y:.1f}%")],
               y_title="%", lang=ctx.lang, height=300,
               shapes=[hband(SCARCE_LOW, SCARCE_HIGH,
                             label=ctx.t("scarcity zone 12–13%", "希少化ゾーン 12–13%"))]),
        ctx.t("The 12–13% zone follows NY Fed Staff Report 1019 on the demand for reserves.",
              "12–13% はニューヨーク連銀スタッフレポート 1019 (準備預金需要の推計) に基づきます。"),
        ("WRESBAL", "TLAACBW027SBOG")))
