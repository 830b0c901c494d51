"""Credit-cycle indicators: consumer delinquencies against unemployment, commercial paper."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from liqwatch.indicators.spec import IndicatorSpec, Thresholds
from liqwatch.indicators.transforms import change, consecutive, empty, frame

__all__ = ["CREDIT", "lead_lag"]

S = Mapping[str, pd.Series]

#: Window of the rolling cross-correlation, in quarters (10 years).
WINDOW_Q = 40
#: Lags tried, in quarters (0 to 2 years).
MAX_LAG_Q = 8


def _card(s: S) -> pd.DataFrame:
    d = s["DRCCLACBS"].dropna()
    post = d.where(d.index >= pd.Timestamp("2009-01-01"))
    peak = post.expanding().max()
    return frame(d, yoy_pp=change(d, 365), post_2008_peak_pct=peak, share_of_peak=d / peak)


def lead_lag(delinquency: pd.Series, unemployment: pd.Series) -> pd.DataFrame:
    """Lag (quarters) at which delinquency's year-over-year change best leads unemployment's.

    For each quarter, over the trailing :data:`WINDOW_Q` quarters, the correlation of
    ``delinquency_yoy(q - lag)`` with ``unemployment_yoy(q)`` for lags 0..:data:`MAX_LAG_Q`.

    Returns
    -------
    pandas.DataFrame
        Indexed by quarter: ``lag_q``, ``corr``, ``del_yoy``, ``unemp_yoy``.
    """
    d = delinquency.dropna()
    u = unemployment.dropna().resample("QS").mean()
    q = pd.concat([d, u], axis=1, join="inner", keys=["d", "u"]).dropna()
    dy, uy = q["d"].diff(4), q["u"].diff(4)
    corrs = pd.concat(
        {lag: dy.shift(lag).rolling(WINDOW_Q, min_periods=WINDOW_Q - 4).corr(uy)
         for lag in range(MAX_LAG_Q + 1)}, axis=1)
    valid = corrs.notna().any(axis=1)
    best = corrs[valid].fillna(-np.inf).idxmax(axis=1)
    out = pd.DataFrame({"lag_q": best.astype(float),
                        "corr": corrs[valid].max(axis=1),
                        "del_yoy": dy, "unemp_yoy": uy}).dropna(subset=["lag_q"])
    return out


def _leads(s: S) -> pd.DataFrame:
    ll = lead_lag(s["DRCCLACBS"], s["UNRATE"])
    diverging = (ll["del_yoy"] > 0.3) & (ll["unemp_yoy"] <= 0.1)
    run = consecutive(diverging).astype(float)
    return frame(ll["lag_q"] * 3.0, correlation=ll["corr"], delinquency_yoy_pp=ll["del_yoy"],
                 unemployment_yoy_pp=ll["unemp_yoy"], divergence=diverging,
                 divergence_quarters=run)


def _cp(s: S) -> pd.DataFrame:
    both = pd.concat([s["RIFSPPNA2P2D90NB"], s["RIFSPPFAAD90NB"]], axis=1, join="inner")
    both = both.dropna()
    spread = (both.iloc[:, 0] - both.iloc[:, 1]) * 100.0 if not both.empty else \
        empty()
    return frame(spread)



CREDIT: tuple[IndicatorSpec, ...] = (
    IndicatorSpec(
        id="card_delinquency_pct", category="credit", unit="pct", direction=1,
        en="Credit-card delinquency rate", ja="クレジットカード延滞率",
        inputs=("DRCCLACBS",), fn=_card,
        thresholds=Thresholds("fixed", watch=0.4, alert=0.8, on="yoy_pp"),
        signal_en="year-over-year change (pp)", signal_ja="前年比の変化 (%ポイント)",
        stress_en="Card delinquencies are rising quickly: household cash flow is weakening, "
        "which has preceded rising unemployment and tighter bank lending.",
        stress_ja="カード延滞率が急上昇しています。家計のキャッシュフローが悪化しており、"
        "過去には失業率の上昇と銀行の貸出厳格化に先行しました。",
        note_en="Quarterly (all commercial banks, seasonally adjusted); details give the "
        "post-2008 peak and the share of it reached.",
        note_ja="四半期 (全商業銀行、季節調整済み)。details に 2008 年以降のピークと到達率。",
    ),
    IndicatorSpec(
        id="delinquency_leads_unemployment", category="credit", unit="months", direction=1,
        en="Delinquency lead over unemployment", ja="延滞率の失業率に対する先行期間",
        inputs=("DRCCLACBS", "UNRATE"), fn=_leads,
        thresholds=Thresholds("fixed", watch=1.0, alert=3.0, on="divergence_quarters"),
        signal_en="consecutive quarters of delinquencies rising while unemployment has not",
        signal_ja="失業率が上がらないまま延滞率が上昇した連続四半期数",
        stress_en="Delinquencies are rising while unemployment has not yet: in past cycles "
        "unemployment followed with the lag shown.",
        stress_ja="失業率はまだ上がっていないのに延滞率が上昇しています。過去の局面では表示"
        "された先行期間をおいて失業率が追随しました。",
        note_en="Lag (0–24 months) maximising the correlation of year-over-year changes over "
        "a rolling 10-year window of quarters; divergence = delinquency up more than 0.3 pp "
        "while unemployment is up 0.1 pp or less.",
        note_ja="10 年の移動窓で前年比変化の相関が最大となる先行期間 (0〜24 か月)。乖離 = 延滞率"
        "が 0.3pt 超上昇し失業率の上昇が 0.1pt 以下。",
    ),
    IndicatorSpec(
        id="cp_spread_bp", category="credit", unit="bp", direction=1,
        en="A2/P2 − AA financial CP spread (90-day)",
        ja="CP スプレッド (A2/P2 非金融 − AA 金融、90 日)",
        inputs=("RIFSPPNA2P2D90NB", "RIFSPPFAAD90NB"), fn=_cp,
        thresholds=Thresholds("fixed", watch=50.0, alert=100.0),
        stress_en="Lower-rated companies pay much more than banks for short-term funding: "
        "money funds are pulling back from credit risk in the CP market.",
        stress_ja="格付けの低い企業の短期資金調達コストが金融機関を大きく上回っています。MMF が"
        "CP 市場で信用リスクを避けている状態です。",
    ),
)
