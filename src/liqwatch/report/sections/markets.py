"""Market sections: risk appetite, oil, credit and the offshore dollar."""

from __future__ import annotations

from datetime import date

import pandas as pd

from liqwatch.indicators import REGISTRY
from liqwatch.report import derive
from liqwatch.report.charts import COLORS, figure, line
from liqwatch.report.context import Context
from liqwatch.report.model import Chart, Section
from liqwatch.report.panel import last

__all__ = ["credit", "offshore", "oil", "risk_appetite"]

#: The window of the correlation and drawdown indicators the section quotes.
CORR_WINDOW = 60
DRAWDOWN_DAYS = 90


def risk_appetite(ctx: Context) -> Section:
    """Bitcoin against the Nasdaq-100, their rolling correlation, Bitcoin's drawdown."""
    p = ctx.panel
    sec = Section("risk_appetite", ctx.label("risk_appetite"))
    p.prefetch(["BTCUSD", "CBBTCUSD", "NASDAQ100"])
    btc, ndx = derive.btc(p), p.get("NASDAQ100")
    btc_id = "BTCUSD" if not p.get("BTCUSD").empty else "CBBTCUSD"
    if btc.empty or ndx.empty:
        sec.unavailable(ctx.t("Bitcoin or the Nasdaq-100 is not in the store.",
                              "ビットコインかナスダック 100 がストアにありません。"))
        return sec
    start = max(btc.index.min(), ndx.index.min())
    corr = ctx.indicator_history("btc_ndx_corr_60d")
    dd = ctx.indicator_history("btc_drawdown_pct")
    c60, c20 = ctx.reading("btc_ndx_corr_60d"), ctx.reading("btc_ndx_corr_20d")
    if c60.ok:
        short_en = f" ({c20.text} over 20 days)" if c20.ok else ""
        short_ja = f" (20 日相関は {c20.text})" if c20.ok else ""
        sec.sentences.append(ctx.s(
            f"The {CORR_WINDOW}-day correlation of daily Bitcoin and Nasdaq-100 returns was "
            f"{c60.text} on {ctx.d(c60.date)}{short_en}; a high correlation means crypto trades "
            "as a risk asset.",
            f"ビットコインとナスダック 100 の日次リターンの {CORR_WINDOW} 日相関は"
            f"{ctx.d(c60.date)}時点で {c60.text}{short_ja}。相関が高いほど、暗号資産がリスク資産"
            "として売買されていることを示します。",
            btc_id, "NASDAQ100", values=(c60, c20) if c20.ok else (c60,)))
    draw = ctx.reading("btc_drawdown_pct")
    if draw.ok and draw.value is not None:
        close = draw.detail("close")
        px = f" (${close:,.0f})" if close is not None else ""
        px_ja = f" ({close:,.0f}ドル)" if close is not None else ""
        sec.sentences.append(ctx.s(
            f"Bitcoin closed {draw.text} from its {DRAWDOWN_DAYS}-day high on "
            f"{ctx.d(draw.date)}{px}." if draw.value < -0.5 else
            f"Bitcoin was at or near its {DRAWDOWN_DAYS}-day high on {ctx.d(draw.date)}{px}.",
            f"{ctx.d(draw.date)}のビットコイン{px_ja}は {DRAWDOWN_DAYS} 日高値から {draw.text}"
            "でした。" if draw.value < -0.5 else
            f"{ctx.d(draw.date)}のビットコイン{px_ja}は {DRAWDOWN_DAYS} 日高値圏にあります。",
            btc_id, values=(draw,)))
    b = btc[btc.index >= start]
    n = ndx[ndx.index >= start]
    traces = [
        line(b, "Bitcoin (USD)", COLORS["orange"], digits=0, hover="$%{y:,.0f}"),
        line(n, "Nasdaq-100", COLORS["navy"], yaxis="y2", digits=1, hover="%{y:,.0f}"),
        line(corr, ctx.t(f"{CORR_WINDOW}-day correlation", f"{CORR_WINDOW} 日相関"),
             COLORS["purple"], yaxis="y3", digits=3, hover="%{y:+.2f}"),
    ]
    sec.charts.append(Chart(
        "btc_ndx", ctx.t("Bitcoin vs Nasdaq-100 and their rolling correlation",
                         "ビットコインとナスダック 100、ローリング相関"),
        figure(traces, y_title=ctx.t("Bitcoin, USD (log)", "ビットコイン (ドル、対数)"),
               y2_title="Nasdaq-100", y_type="log", lang=ctx.lang, height=440,
               subplot={"title": ctx.t("correlation", "相関"), "share": 0.3}),
        ctx.t("Correlation of daily log returns on the days both trade.",
              "両方が取引された日の日次対数リターンの相関。"),
        (btc_id, "NASDAQ100")))
    sec.charts.append(Chart(
        "btc_drawdown", ctx.t(f"Bitcoin drawdown from its {DRAWDOWN_DAYS}-day high",
                              f"ビットコインの {DRAWDOWN_DAYS} 日高値からの下落率"),
        figure([{**line(dd, ctx.t("Drawdown", "下落率"), COLORS["red"], digits=1,
                        fill="tozeroy", width=1.0, hover="%{y:.0f}%"),
                 "fillcolor": "rgba(185, 28, 28, 0.18)"}],
               y_title="%", lang=ctx.lang, height=240),
        "", (btc_id,)))
    return sec.finish()


def oil(ctx: Context) -> Section:
    """WTI price and the futures curve spread (front minus second month)."""
    p = ctx.panel
    sec = Section("oil", ctx.label("oil"))
    p.prefetch(["RCLC1", "RCLC2", "CL_F_YAHOO", "DCOILWTICO"])
    c1, c2 = p.get("RCLC1"), p.get("RCLC2")
    vendor = p.get("CL_F_YAHOO")
    # EIA's front month where published, a vendor's continuous front month after it ends.
    front = c1.combine_first(vendor) if not c1.empty and not vendor.empty else \
        p.first("RCLC1", "CL_F_YAHOO", "DCOILWTICO")
    front_id = next((i for i in ("CL_F_YAHOO", "RCLC1", "DCOILWTICO") if not p.get(i).empty),
                    None)
    if front.empty and c1.empty:
        sec.unavailable(ctx.t("No WTI series is in the store.",
                              "WTI の系列がストアにありません。"))
        return sec
    chg = ctx.reading("wti_front_chg_3m_pct")
    if chg.ok:
        price = chg.detail("price")
        sec.sentences.append(ctx.s(
            f"WTI crude settled at ${price:,.2f} a barrel on {ctx.d(chg.date)} "
            f"({chg.text} over three months).",
            f"{ctx.d(chg.date)}の WTI 原油は 1 バレル {price:,.2f} ドル (3 か月で {chg.text})。",
            front_id or "CL_F_YAHOO", values=(chg,)))
    curve = ctx.reading("wti_m1_m4_usd")
    if curve.ok and curve.value is not None:
        shape_en = "backwardation (front above the fourth month)" if curve.value > 0 else \
            "contango (front below the fourth month)"
        shape_ja = "バックワーデーション (期近が第 4 限月より高い)" if curve.value > 0 else \
            "コンタンゴ (期近が第 4 限月より安い)"
        sec.sentences.append(ctx.s(
            f"The front-to-fourth-month futures spread was {curve.text} on "
            f"{ctx.d(curve.date)}: {shape_en}.",
            f"期近と第 4 限月の先物スプレッドは{ctx.d(curve.date)}時点で {curve.text}、"
            f"{shape_ja}でした。", "RCLC1", "RCLC4", values=(curve,)))
    elif not c1.empty:
        sec.sentences.append(ctx.s(f"WTI futures curve: {curve.reason}",
                                   f"WTI 先物カーブ: {curve.reason}", "RCLC1"))
    traces = []
    if not c1.empty and not c2.empty:
        spread = (c1 - c2).dropna()
        traces.append(line(spread, ctx.t("Front − second month", "期近 − 第 2 限月"),
                           COLORS["teal"], yaxis="y3", digits=2, hover="$%{y:+.2f}"))
    if not front.empty:
        traces.insert(0, line(front, ctx.t("WTI front month", "WTI 期近"), COLORS["navy"],
                              digits=2, hover="$%{y:,.2f}"))
    sec.charts.append(Chart(
        "wti", ctx.t("WTI crude: front-month price and the futures spread",
                     "WTI 原油: 期近価格と先物スプレッド"),
        figure(traces, y_title=ctx.t("USD / barrel", "ドル / バレル"), lang=ctx.lang,
               height=400, subplot={"title": ctx.t("spread, USD", "スプレッド (ドル)"),
                                    "share": 0.32}),
        "", tuple(i for i in ("RCLC1", "RCLC2", front_id) if i)))
    return sec.finish()


def credit(ctx: Context) -> Section:
    """Loan delinquency rates against unemployment."""
    p = ctx.panel
    sec = Section("credit", ctx.label("credit"))
    ids = {"DRCCLACBS": ("Credit cards", "クレジットカード", COLORS["red"]),
           "DRCLACBS": ("Consumer loans", "消費者ローン", COLORS["orange"]),
           "DRALACBS": ("All loans", "全貸出", COLORS["purple"]),
           "DRSFRMACBS": ("Residential mortgages", "住宅ローン", COLORS["teal"])}
    p.prefetch([*ids, "UNRATE", "BAMLH0A0HYM2"])
    unrate = p.get("UNRATE")
    traces = []
    used = []
    for sid, (en, ja, color) in ids.items():
        s = p.get(sid)
        if not s.empty:
            used.append(sid)
            traces.append(line(s, ctx.t(f"Delinquency: {en}", f"延滞率: {ja}"), color,
                               digits=2, hover="%{y:.2f}%"))
    if not traces and unrate.empty:
        sec.unavailable(ctx.t("No delinquency or unemployment series is in the store.",
                              "延滞率と失業率の系列がストアにありません。"))
        return sec
    if not unrate.empty:
        traces.append(line(unrate, ctx.t("Unemployment rate (right)", "失業率 (右軸)"),
                           "#111827", yaxis="y2", digits=1, dash="dot", hover="%{y:.1f}%"))
    lead = ctx.reading("delinquency_leads_unemployment")
    if not unrate.empty:
        uday, uval = last(unrate)
        u_yoy = lead.detail("unemployment_yoy_pp") if lead.ok else None
        yoy_en = f", {u_yoy:+.2f} points on a year earlier" if u_yoy is not None else ""
        yoy_ja = f"、前年比 {u_yoy:+.2f} ポイント" if u_yoy is not None else ""
        sec.sentences.append(ctx.s(
            f"Unemployment was {uval:.1f}% in {_month(ctx, uday)} (as published by "
            f"{ctx.d(ctx.as_of)}){yoy_en}.",
            f"{_month(ctx, uday)}の失業率は {uval:.1f}% でした ({ctx.d(ctx.as_of)}時点の公表値)"
            f"{yoy_ja}。", "UNRATE"))
    card = ctx.reading("card_delinquency_pct")
    if card.ok:
        yoy = card.detail("yoy_pp")
        yoy_en = f", {yoy:+.2f} points on a year earlier" if yoy is not None else ""
        yoy_ja = f"で、前年比 {yoy:+.2f} ポイント" if yoy is not None else ""
        sec.sentences.append(ctx.s(
            f"Credit-card delinquency was {card.text} in {_quarter(ctx, card.date)}{yoy_en}.",
            f"クレジットカードの延滞率は{_quarter(ctx, card.date)}に {card.text}{yoy_ja}でした。",
            "DRCCLACBS", values=(card,)))
    if lead.ok and lead.details.get("divergence"):
        sec.sentences.append(ctx.s(
            "Delinquencies are rising while unemployment is not yet: the pattern that has led "
            "unemployment in past cycles.",
            "失業率はまだ上がっていないものの延滞率が上昇しています。過去の景気循環で失業率に"
            "先行したパターンです。", "DRCCLACBS", "UNRATE"))
    starts = [p.get(sid).index.min() for sid in used]
    x0 = min(starts).strftime("%Y-%m-%d") if starts else None
    sec.charts.append(Chart(
        "delinquency", ctx.t("Loan delinquency rates vs unemployment",
                             "貸出の延滞率と失業率"),
        figure(traces, y_title=ctx.t("delinquency, %", "延滞率 (%)"),
               y2_title=ctx.t("unemployment, %", "失業率 (%)"), lang=ctx.lang, height=340,
               x_start=x0, x_end=p.end.strftime("%Y-%m-%d") if x0 else None),
        ctx.t("Delinquency rates of all commercial banks, quarterly; unemployment monthly.",
              "延滞率は全商業銀行の四半期データ、失業率は月次。"),
        (*used, "UNRATE")))
    hy = p.get("BAMLH0A0HYM2")
    oas = ctx.reading("hy_oas_bp")
    if oas.ok:
        sec.sentences.append(ctx.s(
            f"The high-yield option-adjusted spread was {oas.text} on {ctx.d(oas.date)}.",
            f"ハイイールド債の OAS は{ctx.d(oas.date)}時点で {oas.text} でした。",
            "BAMLH0A0HYM2", values=(oas,)))
    if not hy.empty:
        sec.charts.append(Chart(
            "hy_oas", ctx.t("High-yield corporate bond spread (OAS)",
                            "ハイイールド社債スプレッド (OAS)"),
            figure([line(hy * 100, "HY OAS", COLORS["purple"], digits=0,
                         hover="%{y:.0f} bp")], y_title="bp", lang=ctx.lang, height=260),
            "", ("BAMLH0A0HYM2",)))
    return sec.finish()


def _usd_signed(x: float) -> str:
    return f"+${x:.2f}" if x >= 0 else f"-${-x:.2f}"


def _month(ctx: Context, day: date | str | None) -> str:
    if day is None:
        return "—"
    ts = pd.Timestamp(day)
    return ctx.t(ts.strftime("%B %Y"), f"{ts.year}年{ts.month}月")


def _quarter(ctx: Context, day: date | str | None) -> str:
    if day is None:
        return "—"
    ts = pd.Timestamp(day)
    q = (ts.month - 1) // 3 + 1
    return ctx.t(f"{ts.year} Q{q}", f"{ts.year}年第{q}四半期")


OFFSHORE_FALLBACK = ("XCCY_BASIS_EUR_3M", "XCCY_BASIS_JPY_3M")


def offshore(ctx: Context) -> Section:
    """The dollar offshore: cross-currency basis, the broad dollar, central-bank swap lines."""
    p = ctx.panel
    sec = Section("offshore", ctx.label("offshore"))
    p.prefetch(["DTWEXBGS", "WCBLSA", *OFFSHORE_FALLBACK])
    _basis(ctx, sec)
    usd = p.get("DTWEXBGS")
    dollar = ctx.reading("broad_dollar_chg_1m_pct")
    if dollar.ok:
        level = dollar.detail("level")
        lvl = f" at {level:.1f}" if level is not None else ""
        lvl_ja = f" {level:.1f}" if level is not None else ""
        sec.sentences.append(ctx.s(
            f"The broad trade-weighted dollar stood{lvl} on {ctx.d(dollar.date)}, "
            f"{dollar.text} over a month; a fast rise tightens dollar funding abroad.",
            f"広義の貿易加重ドル指数は{ctx.d(dollar.date)}時点で{lvl_ja}、1 か月で "
            f"{dollar.text}でした。急速なドル高は海外のドル調達を逼迫させます。",
            "DTWEXBGS", values=(dollar,)))
    swaps = p.get("WCBLSA") / 1000.0
    traces = []
    if not usd.empty:
        traces.append(line(usd, ctx.t("Broad dollar index", "広義ドル指数"), COLORS["navy"],
                           digits=2, hover="%{y:.1f}"))
    lines_reading = ctx.reading("swap_lines_bn")
    if lines_reading.ok:
        sec.sentences.append(ctx.s(
            f"Central-bank liquidity swaps outstanding: {lines_reading.text} (week to "
            f"{ctx.d(lines_reading.date)}).",
            f"中央銀行間ドル・スワップの残高は{lines_reading.text} "
            f"({ctx.d(lines_reading.date)}までの週)。", "WCBLSA", values=(lines_reading,)))
    if not swaps.empty:
        traces.append(line(swaps, ctx.t("Fed swap lines (right, USD bn)",
                                        "Fed スワップライン (右軸、10 億ドル)"),
                           COLORS["red"], yaxis="y2", digits=1, fill="tozeroy",
                           hover="$%{y:,.1f}bn") | {"fillcolor": "rgba(185, 28, 28, 0.25)"})
    if traces:
        sec.charts.append(Chart(
            "dollar", ctx.t("The broad dollar and Fed swap lines",
                            "広義ドル指数と Fed のスワップライン"),
            figure(traces, y_title=ctx.t("index", "指数"),
                   y2_title=ctx.t("USD bn", "10 億ドル") if not swaps.empty else None,
                   lang=ctx.lang, height=320),
            "", ("DTWEXBGS", "WCBLSA")))
    if not sec.sentences and not sec.charts:
        sec.unavailable(ctx.t("No offshore-dollar series is in the store.",
                              "オフショア・ドルの系列がストアにありません。"))
    return sec.finish()


def _basis(ctx: Context, sec: Section) -> None:
    """Cross-currency basis: the indicator engine's, else user-supplied basis series."""
    frame = _offshore_history(ctx)
    names = ctx.indicator_names()
    traces = []
    refs: list[str] = []
    if not frame.empty:
        for i, (ind, g) in enumerate(frame.groupby("id")):
            s = pd.Series(g["value"].to_numpy(float), index=pd.DatetimeIndex(g["date"]))
            s = s.dropna()
            if s.empty:
                continue
            traces.append(line(s, names.get(str(ind), str(ind)),
                               (COLORS["blue"], COLORS["pink"], COLORS["teal"])[i % 3],
                               digits=2))
        refs = _input_series(ctx, sorted({str(i) for i in frame["id"]}))
    else:
        for sid, color in zip(OFFSHORE_FALLBACK, (COLORS["blue"], COLORS["pink"]), strict=True):
            s = ctx.panel.get(sid)
            if not s.empty:
                day, val = last(s)
                traces.append(line(s, sid, color, digits=1, hover="%{y:.0f} bp"))
                sec.sentences.append(ctx.s(
                    f"{sid}: {val:+.0f} bp on {ctx.d(day)} (negative when dollars are dear "
                    "offshore).",
                    f"{sid}: {ctx.d(day)}時点で {val:+.0f} bp (マイナスは海外でドルが割高)。",
                    sid))
    if traces:
        sec.charts.append(Chart(
            "basis", ctx.t("Offshore dollar funding indicators", "オフショア・ドル調達の指標"),
            figure(traces, y_title="", lang=ctx.lang, height=300), "", tuple(refs)))


def _input_series(ctx: Context, ids: list[str]) -> list[str]:
    """The stored series the indicators ``ids`` read (for the provenance links)."""
    out: list[str] = []
    for ind in ids:
        spec = REGISTRY.get(ind)
        for sid in spec.inputs if spec is not None else ():
            if sid not in out and not ctx.panel.get(sid).empty:
                out.append(sid)
    return out


def _offshore_history(ctx: Context) -> pd.DataFrame:
    """The basis-point offshore indicators as known each business day (swap lines are
    charted from the series directly)."""
    ids = [k for k, spec in REGISTRY.items() if spec.category == "offshore" and spec.unit == "bp"]
    frames = [pd.DataFrame({"date": h.index, "id": ident, "value": h.to_numpy()})
              for ident in ids if not (h := ctx.indicator_history(ident, years=10)).empty]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["date", "id", "value"])
