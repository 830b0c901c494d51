"""Funding-market indicators: repo and fed funds against the Fed's administered rates."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from liqwatch.indicators.spec import IndicatorSpec, Thresholds
from liqwatch.indicators.transforms import (
    at,
    change,
    consecutive,
    frame,
    splice,
    splice_labelled,
)

__all__ = ["FUNDING"]

S = Mapping[str, pd.Series]

#: The Standing Repo Facility opened on this day (before it, Fed repos were discretionary).
SRF_START = pd.Timestamp("2021-07-28")


def iorb(s: S) -> pd.Series:
    """Interest on reserve balances: IORB, before 2021-07-29 its predecessor IOER."""
    return splice(s["IORB"], s["IOER"])


def on_rrp_rate(s: S) -> pd.Series:
    """ON RRP award rate: RRPONTSYAWARD, else derived from the bottom of the target range.

    From 2021-06-17 to 2024-12-18 the rate was the bottom of the range + 5 bp, since
    2024-12-19 it equals the bottom; the derived rate only fills dates the series lacks.
    """
    lo = s["DFEDTARL"].dropna()
    derived = lo.where(lo.index >= pd.Timestamp("2024-12-19"), lo + 0.05)
    derived = derived[derived.index >= pd.Timestamp("2021-06-17")]
    return splice(s["RRPONTSYAWARD"], derived)


def _sofr_iorb(s: S) -> pd.DataFrame:
    sofr = s["SOFR"].dropna()
    ref = at(iorb(s), sofr.index, max_age_days=5)
    spread = (sofr - ref) * 100.0
    known = spread.dropna()
    above = (known > 0).astype(float)
    return frame(spread, sofr=sofr, iorb=ref,
                 days_above_3m=above.rolling("91D").sum(),
                 days_3m=above.rolling("91D").count())


def _effr_iorb(s: S) -> pd.DataFrame:
    effr = s["EFFR"].dropna()
    ref = at(iorb(s), effr.index, max_age_days=5)
    return frame((effr - ref) * 100.0, effr=effr, iorb=ref)


def _sofr_ceiling(s: S) -> pd.DataFrame:
    sofr = s["SOFR"].dropna()
    ceiling = at(splice(s["SRF_MIN_BID"], s["DFEDTARU"]), sofr.index, max_age_days=5)
    spread = (sofr - ceiling) * 100.0
    at_or_above = consecutive(spread >= 0).where(spread.notna())
    above = (spread > 0).astype(float).where(spread.notna())
    count10 = above.rolling(10, min_periods=1).sum()
    return frame(spread, days_at_or_above_ceiling=at_or_above,
                 days_above_last_10=count10, ceiling=ceiling)


def _sofr_floor(s: S) -> pd.DataFrame:
    sofr = s["SOFR"].dropna()
    floor = at(on_rrp_rate(s), sofr.index, max_age_days=5)
    spread = (sofr - floor) * 100.0
    avg = spread.dropna().rolling(10, min_periods=10).mean()
    return frame(avg, spread_today=spread)


def _sofr_dispersion(s: S) -> pd.DataFrame:
    p99, p1, med = s["SOFR99"].dropna(), s["SOFR1"].dropna(), s["SOFR"].dropna()
    both = pd.concat([p99, p1, med], axis=1, join="inner", keys=["p99", "p1", "med"]).dropna()
    width = (both["p99"] - both["p1"]) * 100.0
    lower = (both["med"] - both["p1"]) * 100.0
    upper = (both["p99"] - both["med"]) * 100.0
    skew = upper / lower.where(lower > 0)
    return frame(width, upper_tail_bp=upper, lower_tail_bp=lower, skew=skew,
                 p99=both["p99"], p1=both["p1"])


def _tgcr_sofr(s: S) -> pd.DataFrame:
    both = pd.concat([s["TGCR"], s["SOFR"]], axis=1, join="inner", keys=["tgcr", "sofr"])
    both = both.dropna()
    return frame((both["tgcr"] - both["sofr"]) * 100.0)


def _term_funding(s: S) -> pd.DataFrame:
    cp_bill = pd.concat([s["RIFSPPFAAD90NB"], s["DTB3"]], axis=1, join="inner").dropna()
    spread = (cp_bill.iloc[:, 0] - cp_bill.iloc[:, 1]) * 100.0
    value, basis = splice_labelled(spread, s["TEDRATE"] * 100.0, ("cp_bill", "ted"))
    return frame(value, basis=basis)


def _discount_window(s: S) -> pd.DataFrame:
    level, basis = splice_labelled(s["WLCFLPCL"], s["WPC"], ("wednesday_level", "week_average"))
    level = level / 1e3
    return frame(level, chg_4w_bn=change(level, 28), basis=basis)


def _srf_usage(s: S) -> pd.DataFrame:
    used, basis = splice_labelled(s["RPONTTLD_NYFED"], s["WREPO"], ("daily", "week_average"))
    srf = pd.Series(used.index >= SRF_START, index=used.index)
    known = used.dropna()
    peak = known.rolling("91D").max()
    # The day of the three-month high: the last day the running maximum was set.
    peak_day = pd.Series(known.index.where(known >= peak), index=known.index).ffill()
    return frame(used, basis=basis, standing_facility=srf, max_3m_bn=peak,
                 max_3m_date=peak_day)


FUNDING: tuple[IndicatorSpec, ...] = (
    IndicatorSpec(
        id="sofr_iorb_bp", category="funding", unit="bp", direction=1,
        en="SOFR − IORB", ja="SOFR − 準備預金付利 (IORB)",
        inputs=("SOFR", "IORB", "IOER"), fn=_sofr_iorb,
        fallbacks={"IOER": "IORB"},
        thresholds=Thresholds("fixed", watch=0.0, alert=10.0),
        stress_en="Repo is trading above what the Fed pays on reserves: banks are not lending "
        "their reserves into repo, a sign reserves are no longer ample. Check SRF take-up and "
        "the reserve level.",
        stress_ja="レポ金利が準備預金付利を上回っています。銀行が準備預金をレポ市場に回して"
        "おらず、準備預金が潤沢でなくなっている兆候です。SRF の利用額と準備預金残高を確認して"
        "ください。",
        note_en="IOER is used before IORB started on 2021-07-29.",
        note_ja="2021-07-29 の IORB 導入前は IOER を使用。",
    ),
    IndicatorSpec(
        id="sofr_ceiling_bp", category="funding", unit="bp", direction=1,
        en="SOFR − top of the target range", ja="SOFR − 誘導目標レンジ上限",
        inputs=("SOFR", "SRF_MIN_BID", "DFEDTARU"), fn=_sofr_ceiling,
        fallbacks={"DFEDTARU": "SRF_MIN_BID"},
        thresholds=Thresholds("fixed", watch=1.0, alert=3.0, on="days_above_last_10"),
        signal_en="business days with SOFR above the ceiling in the last 10",
        signal_ja="直近 10 営業日のうち SOFR が上限を上回った日数",
        stress_en="SOFR above the top of the target range means repo cash is scarce: since "
        "July 2021 it is the Standing Repo Facility's minimum bid rate, so the market trades "
        "above it only when borrowing from the Fed is cheaper (before, nothing capped it, as in "
        "September 2019). Repeated days point to a reserve shortage, not a month-end blip.",
        stress_ja="SOFR が誘導目標レンジの上限を上回るのはレポ資金が不足している証拠です。"
        "2021 年 7 月以降は常設レポファシリティ (SRF) の最低応札金利でもあり、市場がそれを"
        "上回るのは FRB から借りる方が安いときだけです (それ以前は 2019 年 9 月のように上限が"
        "ありませんでした)。複数日続く場合は月末要因ではなく準備預金不足を疑ってください。",
        note_en="Ceiling = SRF minimum bid rate, which equals the top of the fed funds range "
        "(DFEDTARU is used when SRF_MIN_BID is absent).",
        note_ja="上限は SRF の最低応札金利 (= FF 金利誘導目標の上限。SRF_MIN_BID がなければ "
        "DFEDTARU)。",
    ),
    IndicatorSpec(
        id="sofr_floor_bp", category="funding", unit="bp", direction=1,
        en="SOFR − ON RRP rate (10-day average)", ja="SOFR − ON RRP 金利 (10 日平均)",
        inputs=("SOFR", "RRPONTSYAWARD", "DFEDTARL"), fn=_sofr_floor,
        fallbacks={"DFEDTARL": "RRPONTSYAWARD"},
        thresholds=Thresholds("fixed", watch=15.0, alert=20.0),
        stress_en="Repo has moved far off the floor set by the ON RRP rate: money funds have "
        "little cash left at the Fed to lend, so repo rates climb toward the ceiling.",
        stress_ja="レポ金利が ON RRP 金利 (下限) から大きく離れています。MMF が FRB に預けて"
        "いる余剰資金が少なく、レポ金利が上限方向へ上昇しやすい状態です。",
        note_en="ON RRP award rate; where RRPONTSYAWARD is missing it is derived from the "
        "bottom of the target range (+5 bp from 2021-06-17 to 2024-12-18).",
        note_ja="ON RRP 金利。RRPONTSYAWARD がない日は誘導目標下限から算出 (2021-06-17〜"
        "2024-12-18 は下限 +5bp)。",
    ),
    IndicatorSpec(
        id="sofr_dispersion_bp", category="funding", unit="bp", direction=1,
        en="SOFR 99th − 1st percentile", ja="SOFR 99 パーセンタイル − 1 パーセンタイル",
        inputs=("SOFR99", "SOFR1", "SOFR"), fn=_sofr_dispersion,
        thresholds=Thresholds("percentile", watch=90.0, alert=97.0, window_years=None,
                              min_history=120),
        stress_en="Repo trades are spread far apart: some borrowers pay much more than the "
        "median, a sign that cash is not flowing freely between dealers. A large upper tail "
        "(skew above 1) is the warning sign of September 2019.",
        stress_ja="レポ取引の金利のばらつきが大きく、一部の借り手が中央値を大きく上回る金利を"
        "払っています。ディーラー間で資金が円滑に回っていない兆候で、上側の裾 (skew > 1) の"
        "拡大は 2019 年 9 月の前兆でした。",
        note_en="Judged against its own history (percentile rank since 2018).",
        note_ja="自身の過去分布 (2018 年以降のパーセンタイル順位) と比較して判定。",
    ),
    IndicatorSpec(
        id="effr_iorb_bp", category="funding", unit="bp", direction=1,
        en="EFFR − IORB", ja="実効 FF 金利 − IORB",
        inputs=("EFFR", "IORB", "IOER"), fn=_effr_iorb,
        fallbacks={"IOER": "IORB"},
        thresholds=Thresholds("fixed", watch=-5.0, alert=0.0, active_from=None),
        stress_en="Fed funds are drifting up toward the rate on reserves: banks value their "
        "reserves more, the classic sign that reserves are approaching scarcity.",
        stress_ja="FF 金利が準備預金付利に近づいています。銀行が準備預金をより手放したがらない"
        "状態で、準備預金が不足に近づいている典型的なサインです。",
        note_en="IOER before 2021-07-29. Before October 2008 no interest was paid on reserves "
        "(no value).",
        note_ja="2021-07-29 以前は IOER。2008 年 10 月以前は付利がなく値なし。",
    ),
    IndicatorSpec(
        id="tgcr_sofr_bp", category="funding", unit="bp", direction=-1,
        en="TGCR − SOFR", ja="TGCR − SOFR",
        inputs=("TGCR", "SOFR"), fn=_tgcr_sofr,
        thresholds=Thresholds("zscore", watch=-2.0, alert=-3.0, window_years=2.0,
                              min_history=120),
        stress_en="SOFR is well above tri-party general collateral: cleared and bilateral repo "
        "is getting expensive relative to the tri-party market, a sign of dealer balance-sheet "
        "strain.",
        stress_ja="SOFR がトライパーティ GC を大きく上回っています。ディーラーのバランスシート"
        "制約により清算・相対レポが割高になっている兆候です。",
        note_en="Judged as a z-score against the trailing two years.",
        note_ja="過去 2 年の z スコアで判定。",
    ),
    IndicatorSpec(
        id="srf_usage_bn", category="funding", unit="usd_bn", direction=1,
        en="Standing Repo Facility take-up", ja="常設レポファシリティ (SRF) 利用額",
        inputs=("RPONTTLD_NYFED", "WREPO"), fn=_srf_usage,
        fallbacks={"WREPO": "RPONTTLD_NYFED"},
        thresholds=Thresholds("fixed", watch=0.01, alert=50.0, active_from=SRF_START.date()),
        stress_en="Dealers are borrowing from the Fed's repo facility: market cash is more "
        "expensive than the Fed's backstop. Large or repeated take-up means reserves are short.",
        stress_ja="ディーラーが FRB の常設レポファシリティから借り入れています。市場の資金が FRB "
        "の安全網より高くなっており、大口または連日の利用は準備預金の不足を意味します。",
        note_en="Daily operation results (RPONTTLD_NYFED, all collateral, 2022-03 to 2025-10) "
        "where available, else the H.4.1 week average of repurchase agreements (WREPO). Before "
        "2021-07-28 the Fed's repos were discretionary operations, not the standing facility: "
        "the thresholds apply from then.",
        note_ja="日次のオペ結果 (RPONTTLD_NYFED、全担保、2022-03〜2025-10) を優先し、ない期間は "
        "H.4.1 のレポ週平均 (WREPO)。2021-07-28 以前は常設ファシリティではなく裁量的オペのため、"
        "閾値はそれ以降に適用。",
    ),
    IndicatorSpec(
        id="term_funding_bp", category="funding", unit="bp", direction=1,
        en="Term funding premium (AA financial CP − 3-month bill)",
        ja="ターム資金プレミアム (AA 格金融 CP − 3 か月 T-bill)",
        inputs=("RIFSPPFAAD90NB", "DTB3", "TEDRATE"), fn=_term_funding,
        fallbacks={"TEDRATE": "DTB3"},
        thresholds=Thresholds("fixed", watch=50.0, alert=100.0),
        stress_en="Banks pay far more than the Treasury to borrow for three months: lenders "
        "are charging for bank credit risk or hoarding term cash, as in August 2007, 2008 and "
        "March 2020. Check the discount window and the cross-currency basis.",
        stress_ja="銀行の 3 か月物調達コストが国債を大きく上回っています。貸し手が銀行の信用"
        "リスクに対価を求めるか、ターム資金を抱え込んでいる状態で、2007 年 8 月、2008 年、"
        "2020 年 3 月に見られました。連銀貸出とクロスカレンシー・ベーシスを確認してください。",
        note_en="90-day AA financial commercial paper (RIFSPPFAAD90NB) minus the 3-month bill "
        "(DTB3, from 2006-03-27); before that the TED spread (TEDRATE: 3-month LIBOR minus the "
        "bill). details.basis says cp_bill or ted. Calm-period range about 10–60 bp; above "
        "100 bp only in 1998, 2007–2009, March 2020 and the 2022 hiking cycle.",
        note_ja="90 日物 AA 格金融 CP (RIFSPPFAAD90NB) − 3 か月 T-bill (DTB3、2006-03-27 以降)。"
        "それ以前は TED スプレッド (TEDRATE: 3 か月 LIBOR − T-bill)。details.basis に cp_bill "
        "または ted。平常時はおよそ 10〜60bp で、100bp 超は 1998 年、2007〜2009 年、2020 年 3 月、"
        "2022 年の利上げ局面のみ。",
    ),
    IndicatorSpec(
        id="discount_window_bn", category="funding", unit="usd_bn", direction=1,
        en="Discount window (primary credit)", ja="連銀貸出 (プライマリークレジット)",
        inputs=("WLCFLPCL", "WPC"), fn=_discount_window,
        fallbacks={"WPC": "WLCFLPCL"},
        thresholds=Thresholds("fixed", watch=10.0, alert=25.0, on="chg_4w_bn"),
        signal_en="4-week change", signal_ja="4 週間の変化",
        stress_en="Banks are borrowing from the Fed's discount window in size: some cannot "
        "fund themselves in the market, the signature of a run (2008, March 2020, March "
        "2023). Check deposits, the term funding premium and SRF take-up.",
        stress_ja="銀行が FRB の連銀貸出 (ディスカウント・ウィンドウ) から多額を借り入れて"
        "います。市場で資金調達できない銀行がある、取り付けの典型的な兆候です (2008 年、2020 年 "
        "3 月、2023 年 3 月)。預金、ターム資金プレミアム、SRF の利用額を確認してください。",
        note_en="Primary credit, H.4.1: WLCFLPCL (Wednesday level) where available, else the "
        "WPC week average (details.basis). Judged on the 4-week change: a run shows as a surge "
        "(+$150bn in March 2023), while loans kept after a crisis (2009, May 2020) are not news. "
        "Since 2020 a few billion dollars is routine (the Fed encourages use).",
        note_ja="プライマリークレジット (H.4.1): WLCFLPCL (水曜時点) を優先し、ない期間は週平均 "
        "WPC (details.basis)。4 週間の変化で判定: 取り付けは急増として現れ (2023 年 3 月は "
        "+1,500億ドル)、危機後に残った借入 (2009 年、2020 年 5 月) は材料視しない。2020 年以降は"
        "数十億ドルが平常 (FRB が利用を促しているため)。",
    ),
)
