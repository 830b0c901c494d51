"""Offshore-dollar indicators: Fed swap lines, the foreign repo pool, cross-currency basis."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from liqwatch.indicators.spec import IndicatorSpec, Thresholds
from liqwatch.indicators.transforms import change, first_available, frame, splice_labelled

__all__ = ["OFFSHORE", "cip_basis_eur", "cip_basis_jpy"]

S = Mapping[str, pd.Series]

_BASES = ("wednesday_level", "week_average")

#: 3-month accrual fraction (money-market convention, 90/360).
TAU = 0.25


def cip_basis_eur(spot: pd.Series, points: pd.Series, eur_rate: pd.Series,
                  usd_rate: pd.Series) -> pd.Series:
    """EUR/USD 3-month basis in bp from CIP (Du–Tarlow–Schreger sign: negative = dollars dear).

    ``spot`` in USD per EUR, ``points`` in pips (1/10,000), rates in percent. The synthetic
    dollar rate is the cost of dollars raised by borrowing euros and swapping them:
    ``((1 + r_eur τ) F / S − 1) / τ``; the basis is the cash dollar rate minus it.
    """
    df = pd.concat([spot, points, eur_rate, usd_rate], axis=1, join="inner").dropna()
    s, p, r_eur, r_usd = (df.iloc[:, i] for i in range(4))
    fwd = s + p / 1e4
    synthetic = ((1 + r_eur / 100 * TAU) * fwd / s - 1) / TAU
    return (r_usd / 100 - synthetic) * 1e4


def cip_basis_jpy(spot_usd_per_jpy: pd.Series, points: pd.Series, jpy_rate: pd.Series,
                  usd_rate: pd.Series) -> pd.Series:
    """USD/JPY 3-month basis in bp from CIP (negative = dollars dear for yen holders).

    ``spot_usd_per_jpy`` is USD per yen (inverted to yen per dollar), ``points`` are USD/JPY
    forward points in pips (1/100 yen).
    """
    df = pd.concat([spot_usd_per_jpy, points, jpy_rate, usd_rate], axis=1, join="inner")
    df = df.dropna()
    s_inv, p, r_jpy, r_usd = (df.iloc[:, i] for i in range(4))
    spot = 1.0 / s_inv
    fwd = spot + p / 100.0
    synthetic = ((1 + r_jpy / 100 * TAU) * spot / fwd - 1) / TAU
    return (r_usd / 100 - synthetic) * 1e4


def _basis(user: pd.Series, computed: pd.Series) -> pd.DataFrame:
    u = user.dropna()
    value = first_available(u, computed)
    source = pd.Series(np.where(value.index.isin(u.index), "user", "cip"), index=value.index)
    return frame(value, source=source, chg_1m_bp=change(value, 30))


def _eur(s: S) -> pd.DataFrame:
    cip = cip_basis_eur(s["BBG_EURUSD_SPOT"], s["BBG_EURUSD_FWDPTS_3M"],
                        s["BBG_EUR_RATE_3M"], s["BBG_USD_RATE_3M"])
    return _basis(s["XCCY_BASIS_EUR_3M"], cip)


def _jpy(s: S) -> pd.DataFrame:
    cip = cip_basis_jpy(s["BBG_JPY_SPOT"], s["BBG_USDJPY_FWDPTS_3M"],
                        s["BBG_JPY_RATE_3M"], s["BBG_USD_RATE_3M"])
    return _basis(s["XCCY_BASIS_JPY_3M"], cip)


def _swap_lines(s: S) -> pd.DataFrame:
    level, basis = splice_labelled(s["SWPT"], s["WCBLSA"], _BASES)
    level = level / 1e3
    return frame(level, chg_4w_bn=change(level, 28), basis=basis)


def _foreign_repo(s: S) -> pd.DataFrame:
    pool, basis = splice_labelled(s["WLRRAFOIAL"], s["WREPOFOR"], _BASES)
    pool = pool / 1e3
    return frame(pool, chg_4w_bn=change(pool, 28), basis=basis)


_EUR_CIP = ("BBG_EURUSD_SPOT", "BBG_EURUSD_FWDPTS_3M", "BBG_EUR_RATE_3M", "BBG_USD_RATE_3M")
_JPY_CIP = ("BBG_JPY_SPOT", "BBG_USDJPY_FWDPTS_3M", "BBG_JPY_RATE_3M", "BBG_USD_RATE_3M")

_CIP_NOTE_EN = ("From spot, 3-month forward points and 3-month rates (BBG_* inputs, "
                "internal use) by covered interest parity; a user series {id} takes "
                "precedence date by date. The USD rate input is LIBOR-based: when LIBOR-OIS "
                "widens (April 2020) the computed basis turns positive.")
_CIP_NOTE_JA = ("スポット、3 か月フォワードポイント、3 か月金利 (BBG_* 入力、内部利用) から"
                "カバー付き金利平価で算出。ユーザー系列 {id} がある日はそちらを優先。USD 金利"
                "入力は LIBOR ベースのため、LIBOR-OIS が拡大した局面 (2020 年 4 月) では算出値が"
                "プラスになります。")

OFFSHORE: tuple[IndicatorSpec, ...] = (
    IndicatorSpec(
        id="swap_lines_bn", category="offshore", unit="usd_bn", direction=1,
        en="Fed central-bank liquidity swaps", ja="FRB の中央銀行スワップライン残高",
        inputs=("SWPT", "WCBLSA"), fn=_swap_lines,
        fallbacks={'WCBLSA': 'SWPT'},
        thresholds=Thresholds("fixed", watch=5.0, alert=50.0, on="chg_4w_bn"),
        signal_en="4-week change", signal_ja="4 週間の変化",
        stress_en="Foreign central banks are drawing dollars from the Fed to lend to their "
        "banks: offshore dollar funding has dried up in the market.",
        stress_ja="海外中銀が FRB からドルを引き出し自国の銀行に供給しています。オフショアの"
        "ドル調達が市場で干上がっている状態です。",
        note_en="SWPT (Wednesday level) where available, else the WCBLSA week average. Judged "
        "on the 4-week change: new drawing is the news, while swaps left outstanding after a "
        "crisis (May–July 2020, 2009) are not.",
        note_ja="SWPT (水曜時点) を優先し、ない期間は週平均 WCBLSA。4 週間の変化で判定: 新規の"
        "引き出しが材料であり、危機後に残った残高 (2020 年 5〜7 月、2009 年) は材料視しない。",
    ),
    IndicatorSpec(
        id="foreign_repo_pool_bn", category="offshore", unit="usd_bn", direction=-1,
        en="Foreign official repo pool", ja="海外公的機関向けリバースレポ残高",
        inputs=("WLRRAFOIAL", "WREPOFOR"), fn=_foreign_repo,
        fallbacks={'WREPOFOR': 'WLRRAFOIAL'},
        thresholds=Thresholds("zscore", watch=-1.5, alert=-2.5, on="chg_4w_bn",
                              window_years=5.0, min_history=52),
        signal_en="4-week change", signal_ja="4 週間の変化",
        stress_en="Foreign central banks are pulling cash out of the Fed's foreign repo pool, "
        "usually to meet dollar needs at home (to defend a currency or fund their banks).",
        stress_ja="海外中銀が FRB の海外レポ・プールから資金を引き出しています。自国でのドル"
        "需要 (通貨防衛や銀行への供給) に充てるためであることが多いです。",
        note_en="WLRRAFOIAL (Wednesday level), else the WREPOFOR week average.",
        note_ja="WLRRAFOIAL (水曜時点) を優先し、ない期間は週平均 WREPOFOR。",
    ),
    IndicatorSpec(
        id="xccy_basis_eur_bp", category="offshore", unit="bp", direction=-1,
        en="EUR/USD 3-month cross-currency basis", ja="ユーロ/ドル 3 か月ベーシス",
        inputs=("XCCY_BASIS_EUR_3M", *_EUR_CIP), fn=_eur,
        fallbacks=dict.fromkeys(_EUR_CIP, "XCCY_BASIS_EUR_3M"),
        thresholds=Thresholds("fixed", watch=-40.0, alert=-70.0),
        stress_en="Borrowing dollars through the FX swap market costs well above the cash "
        "dollar rate: offshore dollars are scarce (−86 bp on 2020-03-16).",
        stress_ja="為替スワップ経由のドル調達コストが現金のドル金利を大きく上回っています。"
        "オフショアのドルが不足しています (2020-03-16 は −86bp)。",
        note_en=_CIP_NOTE_EN.format(id="XCCY_BASIS_EUR_3M"),
        note_ja=_CIP_NOTE_JA.format(id="XCCY_BASIS_EUR_3M"),
    ),
    IndicatorSpec(
        id="xccy_basis_jpy_bp", category="offshore", unit="bp", direction=-1,
        en="USD/JPY 3-month cross-currency basis", ja="ドル/円 3 か月ベーシス",
        inputs=("XCCY_BASIS_JPY_3M", *_JPY_CIP), fn=_jpy,
        fallbacks=dict.fromkeys(_JPY_CIP, "XCCY_BASIS_JPY_3M"),
        thresholds=Thresholds("fixed", watch=-60.0, alert=-100.0),
        stress_en="Japanese investors pay a large premium to swap yen into dollars: dollar "
        "funding is scarce offshore, and hedged US asset purchases become uneconomic.",
        stress_ja="円をドルに換える為替スワップに大きな上乗せが必要です。オフショアのドル調達が"
        "逼迫しており、ヘッジ付きの米国資産投資が割に合わなくなります。",
        note_en=_CIP_NOTE_EN.format(id="XCCY_BASIS_JPY_3M"),
        note_ja=_CIP_NOTE_JA.format(id="XCCY_BASIS_JPY_3M"),
    ),
)
