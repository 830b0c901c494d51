"""Market sections: risk appetite, oil, credit and the offshore dollar."""

from __future__ import annotations

import pandas as pd

from liqwatch.report import derive
from liqwatch.report.charts import COLORS, figure, line
from liqwatch.report.context import Context, Unavailable
from liqwatch.report.model import Chart, Section
from liqwatch.report.panel import last, value_at

__all__ = ["credit", "offshore", "oil", "risk_appetite"]

CORR_WINDOW = 60


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
    corr = derive.rolling_corr(btc, ndx, CORR_WINDOW)
    dd = derive.drawdown_pct(btc)
    cday, cval = last(corr)
    dday, dval = last(dd)
    peak_day = btc[btc.index <= btc.index.max()].idxmax()
    year = corr[corr.index > corr.index.max() - pd.Timedelta(days=365)]
    sec.sentences.append(ctx.s(
        f"The {CORR_WINDOW}-day correlation of daily Bitcoin and Nasdaq-100 returns was "
        f"{cval:+.2f} on {ctx.d(cday)} (range over the past year {year.min():+.2f} to "
        f"{year.max():+.2f}); a high correlation means crypto trades as a risk asset.",
        f"ビットコインとナスダック 100 の日次リターンの {CORR_WINDOW} 日相関は{ctx.d(cday)}"
        f"時点で {cval:+.2f} (過去 1 年のレンジは {year.min():+.2f}〜{year.max():+.2f})。"
        "相関が高いほど、暗号資産がリスク資産として売買されていることを示します。",
        btc_id, "NASDAQ100"))
    sec.sentences.append(ctx.s(
        f"Bitcoin closed {abs(dval):.0f}% below its peak of {ctx.d(peak_day)} on {ctx.d(dday)}."
        if dval < -0.5 else f"Bitcoin was at or near its all-time high on {ctx.d(dday)}.",
        f"{ctx.d(dday)}のビットコインは{ctx.d(peak_day)}の高値を {abs(dval):.0f}% 下回って"
        "います。" if dval < -0.5 else f"{ctx.d(dday)}のビットコインは最高値圏にあります。",
        btc_id))
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
        "btc_drawdown", ctx.t("Bitcoin drawdown from its running peak",
                              "ビットコインの高値からの下落率"),
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
    if front_id is not None:
        day, val = last(front)
        m1 = value_at(front, front.index.max() - pd.Timedelta(days=30))
        sec.sentences.append(ctx.s(
            f"WTI crude settled at ${val:,.2f} a barrel on {ctx.d(day)} "
            f"({100 * (val / m1 - 1):+.0f}% over a month).",
            f"{ctx.d(day)}の WTI 原油は 1 バレル {val:,.2f} ドル (1 か月で "
            f"{100 * (val / m1 - 1):+.0f}%)。", front_id))
    traces = []
    if not c1.empty and not c2.empty:
        spread = (c1 - c2).dropna()
        sday, sval = last(spread)
        shape_en = "backwardation (front above second month)" if sval > 0 else \
            "contango (front below second month)"
        shape_ja = "バックワーデーション (期近が第 2 限月より高い)" if sval > 0 else \
            "コンタンゴ (期近が第 2 限月より安い)"
        sec.sentences.append(ctx.s(
            f"The front-to-second-month futures spread was {_usd_signed(sval)} on {ctx.d(sday)}: "
            f"{shape_en}. A deep contango has accompanied demand shocks such as April 2020.",
            f"期近と第 2 限月の先物スプレッドは{ctx.d(sday)}時点で {sval:+.2f} ドル、"
            f"{shape_ja}でした。2020 年 4 月のような需要ショックでは深いコンタンゴになります。",
            "RCLC1", "RCLC2"))
        if sday is not None and (p.end.date() - sday).days > 60:
            sec.sentences.append(ctx.s(
                f"The EIA futures series behind the spread end on {ctx.d(sday)}; the price "
                "line continues with a vendor's front-month close.",
                f"スプレッドの元となる EIA の先物系列は{ctx.d(sday)}で終了しており、価格は"
                "それ以降ベンダーの期近終値で延長しています。", "RCLC1", front_id or "RCLC1"))
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
        uday, uval = last(unrate)
        avg3 = unrate.rolling(3).mean()
        low12 = avg3.rolling(12).min().shift(1)
        gap = float((avg3 - low12).dropna().iloc[-1]) if (avg3 - low12).notna().any() else 0.0
        sec.sentences.append(ctx.s(
            f"Unemployment was {uval:.1f}% in {_month(ctx, uday)}; its three-month average is "
            f"{gap:.2f} points above the low of the prior twelve months (a rise of 0.5 point "
            "has marked past recessions).",
            f"{_month(ctx, uday)}の失業率は {uval:.1f}% で、3 か月平均は過去 12 か月の最低値を"
            f" {gap:.2f} ポイント上回っています (0.5 ポイントの上昇は過去の景気後退の目安)。",
            "UNRATE"))
    if "DRCCLACBS" in used:
        cc = p.get("DRCCLACBS")
        cday, cval = last(cc)
        prev = value_at(cc, cc.index.max() - pd.Timedelta(days=360))
        sec.sentences.append(ctx.s(
            f"Credit-card delinquency was {cval:.2f}% in {_quarter(ctx, cday)}, "
            f"{cval - prev:+.2f} points on a year earlier.",
            f"クレジットカードの延滞率は{_quarter(ctx, cday)}に {cval:.2f}% で、前年比 "
            f"{cval - prev:+.2f} ポイントでした。", "DRCCLACBS"))
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
    if not hy.empty:
        hday, hval = last(hy)
        sec.sentences.append(ctx.s(
            f"The high-yield option-adjusted spread was {hval * 100:.0f} bp on {ctx.d(hday)}.",
            f"ハイイールド債の OAS は{ctx.d(hday)}時点で {hval * 100:.0f} bp でした。",
            "BAMLH0A0HYM2"))
        sec.charts.append(Chart(
            "hy_oas", ctx.t("High-yield corporate bond spread (OAS)",
                            "ハイイールド社債スプレッド (OAS)"),
            figure([line(hy * 100, "HY OAS", COLORS["purple"], digits=0,
                         hover="%{y:.0f} bp")], y_title="bp", lang=ctx.lang, height=260),
            "", ("BAMLH0A0HYM2",)))
    return sec.finish()


def _usd_signed(x: float) -> str:
    return f"+${x:.2f}" if x >= 0 else f"-${-x:.2f}"


def _month(ctx: Context, day: object) -> str:
    if day is None:
        return "—"
    ts = pd.Timestamp(day)
    return ctx.t(ts.strftime("%B %Y"), f"{ts.year}年{ts.month}月")


def _quarter(ctx: Context, day: object) -> str:
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
    if not usd.empty:
        day, val = last(usd)
        m3 = value_at(usd, usd.index.max() - pd.Timedelta(days=91))
        sec.sentences.append(ctx.s(
            f"The broad trade-weighted dollar stood at {val:.1f} on {ctx.d(day)}, "
            f"{100 * (val / m3 - 1):+.1f}% over three months; a fast rise tightens dollar "
            "funding abroad.",
            f"広義の貿易加重ドル指数は{ctx.d(day)}時点で {val:.1f}、3 か月で "
            f"{100 * (val / m3 - 1):+.1f}% でした。急速なドル高は海外のドル調達を"
            "逼迫させます。", "DTWEXBGS"))
    swaps = p.get("WCBLSA") / 1000.0
    traces = []
    if not usd.empty:
        traces.append(line(usd, ctx.t("Broad dollar index", "広義ドル指数"), COLORS["navy"],
                           digits=2, hover="%{y:.1f}"))
    if not swaps.empty:
        sday, sval = last(swaps)
        sec.sentences.append(ctx.s(
            f"Central-bank liquidity swaps outstanding: {ctx.usd(sval)} (week to "
            f"{ctx.d(sday)}).",
            f"中央銀行間ドル・スワップの残高は{ctx.usd(sval)} ({ctx.d(sday)}までの週)。",
            "WCBLSA"))
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
    if frame is not None and not frame.empty:
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
    mod = ctx.module("indicators", "The indicator engine", "指標エンジン")
    out: list[str] = []
    for ind in ids:
        for sid in getattr(mod.REGISTRY.get(ind), "inputs", ()) or ():
            if sid not in out and not ctx.panel.get(str(sid)).empty:
                out.append(str(sid))
    return out


def _offshore_history(ctx: Context) -> pd.DataFrame | None:
    try:
        mod = ctx.module("indicators", "The indicator engine", "指標エンジン")
    except Unavailable:
        return None

    def run() -> pd.DataFrame:
        # Basis-point indicators only (swap lines are charted from the series directly).
        ids = [k for k, spec in mod.REGISTRY.items()
               if getattr(spec, "category", None) == "offshore"
               and getattr(spec, "unit", None) == "bp"]
        if not ids:
            return pd.DataFrame(columns=["date", "id", "value"])
        end = ctx.as_of
        start = (ctx.panel.end - pd.DateOffset(years=10)).date()
        frame: pd.DataFrame = mod.history(ctx.store, ids=ids, start=start, end=end)
        return frame

    try:
        return ctx.cached("offshore_history", run)
    except Unavailable:
        return None
