"""Risk-appetite and oil indicators: crypto, equities, credit spreads, rates, dollar, WTI."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from liqwatch.indicators.spec import IndicatorFn, IndicatorSpec, Thresholds
from liqwatch.indicators.transforms import (
    change,
    drawdown_pct,
    empty,
    first_available,
    frame,
    pct_change,
    rolling_corr,
    splice_labelled,
)

__all__ = ["OIL", "RISK_APPETITE", "failed_rebounds"]

S = Mapping[str, pd.Series]


def _btc(s: S) -> pd.Series:
    """Bitcoin close: BTCUSD, CBBTCUSD (Coinbase via FRED) where the first is missing."""
    return first_available(s["BTCUSD"], s["CBBTCUSD"])


def _btc_ndx_corr(window: int) -> IndicatorFn:
    def fn(s: S) -> pd.DataFrame:
        both = pd.concat([_btc(s), s["NASDAQ100"].dropna()], axis=1, join="inner").dropna()
        if both.empty:
            return frame(empty())
        both = both[(both > 0).all(axis=1)]
        logs = pd.DataFrame(np.log(both), index=both.index, columns=both.columns)
        rets = logs.diff().dropna()  # returns between common trading days
        corr = rolling_corr(rets.iloc[:, 0], rets.iloc[:, 1], window)
        return frame(corr)

    return fn


def _btc_drawdown(s: S) -> pd.DataFrame:
    btc = _btc(s)
    return frame(drawdown_pct(btc, 90), close=btc)


def failed_rebounds(close: pd.Series, jump: float = 0.05, window: int = 20) -> pd.Series:
    """Count of up-days of ``jump`` or more erased within two sessions, over ``window``.

    A rebound on day t fails when the close of t+1 or t+2 is at or below the close of t-1;
    it is counted on the day it is erased (known then, not before).
    """
    c = close.dropna()
    up = (c / c.shift(1) - 1.0) >= jump
    erased1 = up.shift(1, fill_value=False) & (c <= c.shift(2))
    erased2 = (up.shift(2, fill_value=False) & (c <= c.shift(3))
               & ~erased1.shift(1, fill_value=False))
    events = (erased1 | erased2).astype(float)
    return events.rolling(window, min_periods=window).sum()


def _btc_failed(s: S) -> pd.DataFrame:
    return frame(failed_rebounds(_btc(s)))


def _hy(s: S) -> pd.DataFrame:
    return frame(s["BAMLH0A0HYM2"].dropna() * 100.0)


def _vix(s: S) -> pd.DataFrame:
    return frame(s["VIXCLS"].dropna())


def _sp_drawdown(s: S) -> pd.DataFrame:
    return frame(drawdown_pct(s["SP500"], 365))


def _ust10y(s: S) -> pd.DataFrame:
    chg = change(s["DGS10"], 30) * 100.0
    return frame(chg, abs_chg_bp=chg.abs(), level_pct=s["DGS10"])


def _dollar(s: S) -> pd.DataFrame:
    return frame(pct_change(s["DTWEXBGS"], 30), level=s["DTWEXBGS"])


def _wti_spread(s: S) -> pd.DataFrame:
    both = pd.concat([s["RCLC1"], s["RCLC4"]], axis=1, join="inner").dropna()
    spread = both.iloc[:, 0] - both.iloc[:, 1] if not both.empty else empty()
    tenor = pd.Series("M1-M4", index=spread.index)
    return frame(spread, chg_3m_usd=change(spread, 91), tenor=tenor)


def _wti_front(s: S) -> pd.DataFrame:
    front, source = splice_labelled(s["RCLC1"], s["CL_F_YAHOO"], ("RCLC1", "CL_F_YAHOO"))
    return frame(pct_change(front, 91), price=front, source=source)


RISK_APPETITE: tuple[IndicatorSpec, ...] = (
    IndicatorSpec(
        id="btc_ndx_corr_20d", category="risk_appetite", unit="corr", direction=1,
        en="Bitcoin–Nasdaq-100 correlation (20 days)",
        ja="ビットコインとナスダック100の相関 (20日)",
        inputs=("BTCUSD", "CBBTCUSD", "NASDAQ100"), fn=_btc_ndx_corr(20),
        fallbacks={"CBBTCUSD": "BTCUSD"},
        thresholds=Thresholds("fixed", watch=0.5, alert=0.7),
        stress_en="Bitcoin is trading as a leveraged bet on equities: when liquidity drains, "
        "both fall together and the most speculative positions are cut first.",
        stress_ja="ビットコインが株式のレバレッジ投資のように動いています。流動性が吸収されると"
        "両者が同時に下落し、投機的なポジションから先に解消されます。",
        note_en="Daily log returns between common trading days (Bitcoin closes on Nasdaq days).",
        note_ja="共通の取引日間の日次対数リターン (ナスダック取引日のビットコイン終値)。",
    ),
    IndicatorSpec(
        id="btc_ndx_corr_60d", category="risk_appetite", unit="corr", direction=1,
        en="Bitcoin–Nasdaq-100 correlation (60 days)",
        ja="ビットコインとナスダック100の相関 (60日)",
        inputs=("BTCUSD", "CBBTCUSD", "NASDAQ100"), fn=_btc_ndx_corr(60),
        fallbacks={"CBBTCUSD": "BTCUSD"},
        thresholds=Thresholds("fixed", watch=0.4, alert=0.6),
        stress_en="Over three months Bitcoin has moved with equities: risk appetite is driven "
        "by the same liquidity, so a funding squeeze would hit both.",
        stress_ja="3 か月にわたりビットコインが株式と連動しています。同じ流動性にリスク選好が"
        "左右されており、資金逼迫が起これば両方に波及します。",
    ),
    IndicatorSpec(
        id="btc_drawdown_pct", category="risk_appetite", unit="pct_chg", direction=-1,
        en="Bitcoin drawdown from its 90-day high", ja="ビットコインの 90 日高値からの下落率",
        inputs=("BTCUSD", "CBBTCUSD"), fn=_btc_drawdown,
        fallbacks={"CBBTCUSD": "BTCUSD"},
        thresholds=Thresholds("fixed", watch=-20.0, alert=-35.0),
        stress_en="Bitcoin has fallen far from its recent high: the most liquidity-sensitive "
        "asset is being sold, often the first sign of deleveraging.",
        stress_ja="ビットコインが直近高値から大きく下落しています。最も流動性に敏感な資産が売られ"
        "ており、デレバレッジの最初の兆候であることが多いです。",
    ),
    IndicatorSpec(
        id="btc_failed_rebounds", category="risk_appetite", unit="count", direction=1,
        en="Bitcoin failed rebounds (last 20 sessions)",
        ja="ビットコインの反発失敗回数 (直近 20 日)",
        inputs=("BTCUSD", "CBBTCUSD"), fn=_btc_failed,
        fallbacks={"CBBTCUSD": "BTCUSD"},
        thresholds=Thresholds("fixed", watch=2.0, alert=3.0),
        stress_en="Rallies of 5% or more are being sold within two sessions: buyers are "
        "exhausted and sellers use every bounce to cut risk.",
        stress_ja="5% 以上の反発が 2 日以内に打ち消されています。買い手が尽き、売り手が反発の"
        "たびにリスクを落としている状態です。",
    ),
    IndicatorSpec(
        id="hy_oas_bp", category="risk_appetite", unit="bp", direction=1,
        en="High-yield option-adjusted spread", ja="ハイイールド債 OAS",
        inputs=("BAMLH0A0HYM2",), fn=_hy,
        thresholds=Thresholds("fixed", watch=500.0, alert=700.0),
        stress_en="Junk-bond spreads are wide: lenders demand much more to fund risky firms, "
        "tightening credit for the most leveraged borrowers.",
        stress_ja="ハイイールド債のスプレッドが拡大しています。リスクの高い企業への資金供給に"
        "より高い上乗せが求められ、高レバレッジ企業の資金繰りが厳しくなります。",
    ),
    IndicatorSpec(
        id="vix", category="risk_appetite", unit="index", direction=1,
        en="VIX", ja="VIX 指数",
        inputs=("VIXCLS",), fn=_vix,
        thresholds=Thresholds("fixed", watch=25.0, alert=35.0),
        stress_en="Expected equity volatility is high: dealers and leveraged funds cut "
        "positions as volatility rises, which can spill into funding markets.",
        stress_ja="株式の予想変動率が高まっています。ボラティリティ上昇に応じてディーラーや"
        "レバレッジ型ファンドがポジションを縮小し、資金市場に波及する可能性があります。",
    ),
    IndicatorSpec(
        id="sp500_drawdown_pct", category="risk_appetite", unit="pct_chg", direction=-1,
        en="S&P 500 drawdown from its 1-year high", ja="S&P 500 の 1 年高値からの下落率",
        inputs=("SP500",), fn=_sp_drawdown,
        thresholds=Thresholds("fixed", watch=-10.0, alert=-20.0),
        stress_en="US equities are in a correction or bear market: collateral values fall and "
        "margin calls raise the demand for cash.",
        stress_ja="米国株が調整局面または弱気相場にあります。担保価値の低下と追加証拠金により"
        "現金需要が高まります。",
        note_en="SP500 on FRED covers about ten years.",
        note_ja="FRED の SP500 は約 10 年分のみ。",
    ),
    IndicatorSpec(
        id="ust10y_chg_bp", category="risk_appetite", unit="bp", direction=1,
        en="10-year Treasury yield, 1-month change", ja="米 10 年国債利回りの 1 か月変化",
        inputs=("DGS10",), fn=_ust10y,
        thresholds=Thresholds("percentile", watch=90.0, alert=98.0, on="abs_chg_bp",
                              window_years=None, min_history=250),
        signal_en="size of the 1-month move", signal_ja="1 か月の変動幅",
        stress_en="Treasury yields are moving unusually fast: a disorderly Treasury market "
        "(as in March 2020 or 2023) strains dealers and repo.",
        stress_ja="米国債利回りが異例の速さで動いています。2020 年 3 月や 2023 年のような国債"
        "市場の混乱はディーラーとレポ市場を圧迫します。",
        note_en="Judged on the size of the move (either direction) as a percentile of history.",
        note_ja="変動の大きさ (方向を問わず) を過去分布のパーセンタイルで判定。",
    ),
    IndicatorSpec(
        id="broad_dollar_chg_1m_pct", category="risk_appetite", unit="pct_chg", direction=1,
        en="Broad dollar index, 1-month change", ja="ドル実効為替 (広義) の 1 か月変化",
        inputs=("DTWEXBGS",), fn=_dollar,
        thresholds=Thresholds("fixed", watch=3.0, alert=5.0),
        stress_en="The dollar is surging: the world is scrambling for dollars, which tightens "
        "funding for every borrower outside the US.",
        stress_ja="ドルが急騰しています。世界的なドル需要の高まりで、米国外の借り手のドル調達が"
        "厳しくなります。",
    ),
)

OIL: tuple[IndicatorSpec, ...] = (
    IndicatorSpec(
        id="wti_m1_m4_usd", category="oil", unit="usd", direction=-1,
        en="WTI futures spread M1 − M4", ja="WTI 先物スプレッド (期近 − 第 4 限月)",
        inputs=("RCLC1", "RCLC4"), fn=_wti_spread,
        thresholds=Thresholds("fixed", watch=-2.0, alert=-4.0, on="chg_3m_usd"),
        signal_en="3-month change of the spread (USD)", signal_ja="スプレッドの 3 か月変化 (ドル)",
        stress_en="The oil curve has flattened or flipped into contango: demand is weakening "
        "relative to supply, historically a recession signal.",
        stress_ja="原油先物カーブが平坦化またはコンタンゴに転じています。供給に対して需要が"
        "弱まっており、歴史的に景気後退のシグナルです。",
        note_en="M1 − M4 is the longest spread in the EIA data (RCLC1–4), which ends on "
        "2022-02-15; after it the spread is no_data (the vendor series is front month only).",
        note_ja="EIA データ (RCLC1–4) で取れる最長の M1 − M4。2022-02-15 で終了し、以降は "
        "no_data (ベンダー系列は期近のみ)。",
    ),
    IndicatorSpec(
        id="wti_front_chg_3m_pct", category="oil", unit="pct_chg", direction=-1,
        en="WTI front month, 3-month change", ja="WTI 期近の 3 か月変化率",
        inputs=("RCLC1", "CL_F_YAHOO"), fn=_wti_front,
        fallbacks={"CL_F_YAHOO": "RCLC1"},
        thresholds=Thresholds("fixed", watch=-25.0, alert=-40.0),
        stress_en="Oil has collapsed over three months, as in 2008, 2014–15 and 2020: a "
        "demand shock that hits energy credit and inflation expectations.",
        stress_ja="原油価格が 3 か月で急落しています (2008 年、2014〜15 年、2020 年と同様)。"
        "エネルギー関連の信用とインフレ期待に打撃となる需要ショックです。",
        note_en="EIA RCLC1, extended after 2022-02-15 by a vendor's continuous front month "
        "(CL_F_YAHOO).",
        note_ja="EIA の RCLC1。2022-02-15 以降はベンダーの期近連続足 (CL_F_YAHOO) で延長。",
    ),
)
