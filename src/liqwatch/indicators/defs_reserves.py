"""Reserves and Fed balance-sheet indicators (H.4.1, H.8, Treasury and NY Fed data)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import numpy as np
import pandas as pd

from liqwatch.calendar import holiday_array
from liqwatch.indicators.spec import IndicatorSpec, Thresholds
from liqwatch.indicators.transforms import at, change, frame, known_by

__all__ = ["RESERVES", "tga_wednesday"]

S = Mapping[str, pd.Series]

#: Interest on excess reserves began: the ample-reserves regime the thresholds describe.
AMPLE_REGIME = date(2008, 10, 9)
#: ON RRP take-up became a large buffer of excess cash (March 2021; tiny before).
ON_RRP_BUFFER = date(2021, 3, 1)
#: The 2.5–3.0T reserve band is an estimate for the banking system of the 2020s.
RESERVE_BAND_FROM = date(2022, 1, 1)


def _reserves_tn(s: S) -> pd.DataFrame:
    res = s["WRESBAL"].dropna() / 1e6
    return frame(res, chg_4w_bn=change(res, 28) * 1e3, chg_52w_bn=change(res, 364) * 1e3)


def _reserves_to_assets(s: S) -> pd.DataFrame:
    res = s["WRESBAL"].dropna()
    # USD bn, weekly (Wed), published about nine days later: the latest known by each week.
    assets = known_by(s["TLAACBW027SBOG"], s["TLAACBW027SBOG@published"], res.index,
                      max_age_days=21)
    bn = res / 1e3
    return frame(res / (assets * 1e3) * 100.0, bank_assets_bn=assets, reserves_bn=bn,
                 gap_12pct_bn=bn - 0.12 * assets, gap_13pct_bn=bn - 0.13 * assets)


def _reserves_to_gdp(s: S) -> pd.DataFrame:
    res = s["WRESBAL"].dropna()
    gdp = s["GDP"].dropna()
    # GDP is dated the first day of its quarter: the latest quarter published by each week.
    g = known_by(gdp, s["GDP@published"], res.index, max_age_days=220)
    return frame(res / (g * 1e3) * 100.0, gdp_bn=g)


def tga_wednesday(s: S, index: pd.Index) -> tuple[pd.Series, pd.Series]:
    """TGA at Wednesday's close (TGA_DTS) where known, else the WTREGEN week average.

    Returns the level in USD millions and the basis used (``close`` or ``week_average``).
    """
    close = at(s["TGA_DTS"], index, max_age_days=3)
    avg = at(s["WTREGEN"], index, max_age_days=0)
    level = close.where(close.notna(), avg)
    basis = pd.Series("week_average", index=index, dtype=object)
    basis[close.notna()] = "close"
    basis[level.isna()] = None
    return level, basis


def on_rrp_wednesday(rrp: pd.Series, index: pd.DatetimeIndex) -> pd.Series:
    """ON RRP outstanding on each Wednesday of ``index`` (USD bn).

    On a business day, that day's operation (0 when there was none); on a holiday Wednesday,
    the previous business day's overnight operation, still outstanding over the holiday.
    """
    same_day = at(rrp, index, max_age_days=0)
    days = index.to_numpy().astype("datetime64[D]")
    holiday = ~np.is_busday(days, holidays=holiday_array())
    carried = at(rrp, index, max_age_days=4)
    return same_day.where(~holiday, carried).fillna(0.0)


def _net_liquidity(s: S) -> pd.DataFrame:
    walcl = s["WALCL"].dropna()
    wednesdays = pd.DatetimeIndex(walcl.index)
    tga, basis = tga_wednesday(s, wednesdays)
    rrp = on_rrp_wednesday(s["RRPONTSYD"], wednesdays)
    net = (walcl - tga - rrp * 1e3) / 1e6
    net = net[tga.notna()]
    return frame(net, chg_4w_bn=change(net, 28) * 1e3,
                 chg_13w_bn=change(net, 91) * 1e3, walcl_bn=walcl / 1e3, tga_bn=tga / 1e3,
                 on_rrp_bn=rrp, tga_basis=basis)


def _tga(s: S) -> pd.DataFrame:
    daily = s["TGA_DTS"].dropna()
    weekly = s["WTREGEN"].dropna()
    weekly = weekly[(weekly.index < daily.index.min()) if not daily.empty else slice(None)]
    level = pd.concat([weekly, daily]).sort_index() / 1e3
    basis = pd.Series(np.where(level.index.isin(daily.index), "daily_close", "week_average"),
                      index=level.index)
    return frame(level, chg_4w_bn=change(level, 28), basis=basis)


def _on_rrp(s: S) -> pd.DataFrame:
    rrp = s["RRPONTSYD"].dropna()
    return frame(rrp, drain_4w_bn=change(rrp, 28), drain_13w_bn=change(rrp, 91))


def _qt_pace(s: S) -> pd.DataFrame:
    ust = s["TREAST"].dropna()
    mbs = at(s["WSHOMCB"], ust.index, max_age_days=0)
    total = ust + mbs.fillna(0.0)
    monthly = change(total, 30) / 1e3
    return frame(monthly, treasury_bn=ust / 1e3, mbs_bn=mbs / 1e3,
                 mbs_included=mbs.notna())


_BS_NOTE_EN = ("H.4.1 Wednesday levels; WRESBAL is a Thursday-to-Wednesday week average.")
_BS_NOTE_JA = "H.4.1 の水曜時点残高。WRESBAL は木曜〜水曜の週平均。"

RESERVES: tuple[IndicatorSpec, ...] = (
    IndicatorSpec(
        id="reserves_tn", category="reserves", unit="usd_tn", direction=-1,
        en="Reserve balances", ja="準備預金残高",
        inputs=("WRESBAL",), fn=_reserves_tn,
        thresholds=Thresholds("fixed", watch=3.0, alert=2.5, active_from=RESERVE_BAND_FROM),
        stress_en="Reserves are in or below the 2.5–3.0 trillion band where, for today's "
        "banking system, they stop being abundant; funding rates react more to Treasury "
        "settlements and tax dates.",
        stress_ja="準備預金が 2.5〜3.0 兆ドルの帯域かそれ以下にあり、現在の銀行システムの規模"
        "では潤沢とはいえません。国債決済日や納税日に資金金利が反応しやすくなります。",
        note_en="WRESBAL, week average. The 2.5–3.0T band is an estimate for today's banking "
        "system and applies from 2022; earlier years are judged by reserves_to_bank_assets_pct.",
        note_ja="WRESBAL (週平均)。2.5〜3.0 兆ドルの帯域は現在の銀行システム規模に対する推計で "
        "2022 年以降に適用。それ以前は reserves_to_bank_assets_pct で判定。",
    ),
    IndicatorSpec(
        id="reserves_to_bank_assets_pct", category="reserves", unit="pct", direction=-1,
        en="Reserves / commercial-bank assets", ja="準備預金 / 商業銀行総資産",
        inputs=("WRESBAL", "TLAACBW027SBOG"), fn=_reserves_to_assets,
        by_publication=("TLAACBW027SBOG",),
        thresholds=Thresholds("fixed", watch=13.0, alert=12.0, active_from=AMPLE_REGIME),
        stress_en="Reserves are at or below 12–13% of bank assets, where NY Fed research finds "
        "the demand curve for reserves turns steep: small drains move funding rates a lot.",
        stress_ja="準備預金が銀行総資産の 12〜13% 以下にあり、NY 連銀の研究で準備預金需要曲線が"
        "急になる水準です。わずかな吸収でも資金金利が大きく動きます。",
        note_en="Bank assets from H.8 (TLAACBW027SBOG), which the bundled data has only to "
        "2021-12-29: after that the ratio is no_data rather than a stale number.",
        note_ja="銀行総資産は H.8 (TLAACBW027SBOG)。付属データは 2021-12-29 までのため、以降は"
        "古い値を使わず no_data とします。",
    ),
    IndicatorSpec(
        id="reserves_to_gdp_pct", category="reserves", unit="pct", direction=-1,
        en="Reserves / nominal GDP", ja="準備預金 / 名目 GDP",
        inputs=("WRESBAL", "GDP"), fn=_reserves_to_gdp,
        by_publication=("GDP",),
        thresholds=Thresholds("fixed", watch=10.0, alert=8.0, active_from=AMPLE_REGIME),
        stress_en="Reserves are small relative to the economy; in 2019 the repo spike came "
        "with reserves near 7% of GDP.",
        stress_ja="経済規模に比べ準備預金が少なくなっています。2019 年のレポ金利急騰時は GDP "
        "比約 7% でした。",
        note_en="Latest published quarter of GDP (annual rate).",
        note_ja="公表済みの直近四半期 GDP (年率)。",
    ),
    IndicatorSpec(
        id="net_liquidity_tn", category="reserves", unit="usd_tn", direction=-1,
        en="Net liquidity (Fed assets − TGA − ON RRP)", ja="ネット流動性 (FRB 資産 − TGA − ON RRP)",
        inputs=("WALCL", "TGA_DTS", "WTREGEN", "RRPONTSYD"), fn=_net_liquidity,
        fallbacks={"WTREGEN": "TGA_DTS"},
        thresholds=Thresholds("zscore", watch=-1.5, alert=-2.0, on="chg_13w_bn",
                              window_years=5.0, min_history=52),
        signal_en="13-week change", signal_ja="13 週間の変化",
        stress_en="Net liquidity is falling unusually fast: the Fed's balance sheet, a Treasury "
        "cash build-up or money leaving ON RRP is draining reserves from markets.",
        stress_ja="ネット流動性が異例の速さで減少しています。FRB の資産縮小、財務省の現金積み"
        "増し、または ON RRP の変動が市場の資金を吸収しています。",
        note_en="Wednesday levels: WALCL, the TGA at Wednesday's close (TGA_DTS; before "
        "2022-04 the WTREGEN week average, flagged in tga_basis), ON RRP that Wednesday "
        "(RRPONTSYD, 0 when no operation; on a holiday Wednesday the previous business day's "
        "overnight operation).",
        note_ja="水曜時点: WALCL、水曜終値の TGA (TGA_DTS。2022-04 以前は週平均 WTREGEN で "
        "tga_basis に表示)、当日の ON RRP (RRPONTSYD、オペなしは 0)。",
    ),
    IndicatorSpec(
        id="tga_bn", category="reserves", unit="usd_bn", direction=1,
        en="Treasury General Account", ja="財務省一般勘定 (TGA)",
        inputs=("TGA_DTS", "WTREGEN"), fn=_tga,
        fallbacks={"WTREGEN": "TGA_DTS"},
        thresholds=Thresholds("zscore", watch=1.5, alert=2.0, on="chg_4w_bn",
                              window_years=5.0, min_history=52),
        signal_en="4-week change", signal_ja="4 週間の変化",
        stress_en="Treasury is building cash quickly; every dollar it adds to the TGA leaves "
        "bank reserves or ON RRP. Watch reserves and repo rates around settlement dates.",
        stress_ja="財務省が急速に現金を積み増しています。TGA の増加分は準備預金か ON RRP から"
        "吸収されます。決済日前後の準備預金とレポ金利に注意してください。",
        note_en="Daily close (TGA_DTS) from 2022-04, the WTREGEN week average before.",
        note_ja="2022-04 以降は日次終値 (TGA_DTS)、それ以前は週平均 WTREGEN。",
    ),
    IndicatorSpec(
        id="on_rrp_bn", category="reserves", unit="usd_bn", direction=-1,
        en="ON RRP take-up", ja="ON RRP 残高",
        inputs=("RRPONTSYD",), fn=_on_rrp,
        thresholds=Thresholds("fixed", watch=250.0, alert=100.0, active_from=ON_RRP_BUFFER),
        stress_en="The ON RRP buffer is nearly exhausted: further drains (QT, TGA rebuilds) "
        "now come straight out of bank reserves.",
        stress_ja="ON RRP のバッファーがほぼ枯渇しています。今後の資金吸収 (QT、TGA 積み増し) は"
        "直接準備預金を減らします。",
        note_en="RRPONTSYD, USD bn. Thresholds apply from March 2021, when take-up became a "
        "buffer of excess cash; before it the facility held little and was no buffer.",
        note_ja="RRPONTSYD (10 億ドル)。閾値は残高が余剰資金のバッファーとなった 2021 年 3 月"
        "以降に適用 (それ以前は残高が小さくバッファーではなかった)。",
    ),
    IndicatorSpec(
        id="qt_pace_bn_month", category="reserves", unit="usd_bn", direction=-1,
        en="QT pace (Treasury + MBS, monthly change)",
        ja="QT ペース (国債 + MBS の月間変化)",
        inputs=("TREAST", "WSHOMCB"), fn=_qt_pace,
        thresholds=Thresholds("fixed", watch=-50.0, alert=-90.0),
        stress_en="The Fed's securities holdings are running off fast, draining reserves "
        "month after month.",
        stress_ja="FRB の保有証券が速いペースで減少し、毎月準備預金を吸収しています。",
        note_en="Change over 30 days of TREAST + WSHOMCB (Wednesday levels); MBS holdings are "
        "in the bundled data from 2021-05 only (mbs_included shows it).",
        note_ja="TREAST + WSHOMCB (水曜時点) の 30 日間の変化。付属データの MBS は 2021-05 以降"
        "のみ (mbs_included に表示)。",
    ),
)
