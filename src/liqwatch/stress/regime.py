"""Reserve-ampleness regime: ``abundant / ample / tight / scarce``, from persistent evidence.

The regime is the slow axis of the verdict: how close the banking system is to running short
of reserves, judged by five flags anchored to the policy corridor and to a published scarcity
estimate rather than to a sample mean.

Price flags (the corridor)

- ``sofr_above_iorb``: at least half of the last 20 SOFR prints at or above IORB. With ample
  reserves repo trades below the rate the Fed pays on reserves; persistently at or above it,
  banks no longer lend reserves into repo.
- ``effr_near_iorb``: the 20-print mean of EFFR − IORB at or above −3 bp. In the abundant
  2010–14 era it never rose above −4.7 bp; Fed staff read fed funds "slightly below IORB" as the
  edge of ample reserves. At or above 0 bp (fed funds at the rate on reserves) is *scarce*.
- ``sofr_at_ceiling``: SOFR at or above the top of the target range (the Standing Repo
  Facility's minimum bid rate since July 2021) on at least one of the last 10 prints; above it
  on 3 or more of them (the ``sofr_ceiling_bp`` indicator's alert level) is *scarce*.

Quantity flags

- ``reserves_below_estimate``: reserves at or below 13% of commercial-bank assets, the upper end
  of the 12–13% below which the demand curve for reserves turns steep (Afonso, Giannone,
  La Spada and Williams, NY Fed Staff Report 1019). When bank assets are missing, reserves / GDP
  against the same estimate times bank assets / GDP on the last day both were known.
- ``on_rrp_exhausted``: ON RRP take-up below $100bn after the buffer held at least $500bn
  (since March 2021): the excess cash that absorbed drains is gone.

Rule (each as-of day): **tight** when a price flag is set together with a quantity flag (with no
quantity flag available: two price flags); **scarce** when tight and a price flag is at its
scarce level; otherwise **ample** when one price flag or both quantity flags are set, else
**abundant**. A single exhausted buffer therefore moves the regime to ample at most, and only
together with corridor evidence to tight. Before interest on reserves began (2008-10-09) the
Fed kept reserves scarce by design: the regime is ``scarce``.

The regime is slow-moving: it moves up on the day the evidence arrives and moves down only on
the :data:`RELAX_DAYS`-th consecutive business day of a lower reading (to the highest level
seen over those days); ``since`` is the first day of the current regime.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from liqwatch.vocab import fmt_bp, fmt_value, pick

__all__ = [
    "FLAGS",
    "REGIMES",
    "RELAX_DAYS",
    "FlagSpec",
    "IndicatorView",
    "regime_history",
    "regime_label",
]

#: Regimes from most to least reserves.
REGIMES: tuple[str, ...] = ("abundant", "ample", "tight", "scarce")
_LABELS = {"abundant": ("abundant", "潤沢"), "ample": ("ample", "十分"),
           "tight": ("tight", "逼迫"), "scarce": ("scarce", "不足")}

#: Business days a lower regime must hold before the regime moves down.
RELAX_DAYS = 20
#: Interest on reserves began: before it reserves were scarce by design.
IOR_START = date(2008, 10, 9)
#: The ON RRP facility became a buffer of excess cash.
ON_RRP_BUFFER = date(2021, 3, 1)

SHARE_WINDOW = 20
SHARE_MIN = 0.5
EFFR_WINDOW = 20
EFFR_TIGHT_BP = -3.0
EFFR_SCARCE_BP = 0.0
CEILING_WINDOW = 10
CEILING_SCARCE_DAYS = 3
RESERVES_PCT_ASSETS = 13.0
ON_RRP_EXHAUSTED_BN = 100.0
ON_RRP_BUFFER_BN = 500.0


def regime_label(regime: str | None, lang: str = "en") -> str:
    """``tight`` / ``逼迫``; ``no data`` / ``データなし`` for None."""
    if regime is None:
        return pick(lang, "no data", "データなし")
    en, ja = _LABELS[regime]
    return pick(lang, en, ja)


@dataclass(frozen=True, slots=True)
class FlagSpec:
    """One ampleness flag: what it tests, its threshold and where the threshold comes from."""

    id: str
    kind: str  # "price" or "quantity"
    unit: str
    en: str
    ja: str
    threshold_en: str
    threshold_ja: str
    source_en: str
    source_ja: str

    def name(self, lang: str = "en") -> str:
        """Short name in ``lang``."""
        return pick(lang, self.en, self.ja)


FLAGS: tuple[FlagSpec, ...] = (
    FlagSpec(
        "sofr_above_iorb", "price", "share",
        "SOFR at or above IORB, share of the last 20 prints",
        "直近 20 営業日で SOFR が IORB 以上だった割合",
        "≥ 50%", "50% 以上",
        "Corridor: with ample reserves repo trades below the rate on reserves (FOMC, "
        "ample-reserves framework, 2019); a majority of prints at or above it is persistent "
        "pressure.",
        "コリドー: 準備預金が十分なときレポ金利は準備預金付利を下回る (FOMC の十分な準備預金の"
        "枠組み、2019 年)。過半の日でそれ以上なら持続的な圧力。",
    ),
    FlagSpec(
        "effr_near_iorb", "price", "bp",
        "EFFR − IORB, mean of the last 20 prints", "EFFR − IORB の直近 20 営業日平均",
        "≥ −3 bp (scarce at ≥ 0 bp)", "−3bp 以上 (0bp 以上で不足)",
        "In the abundant 2010–14 era the 20-day mean never rose above −4.7 bp; Fed staff "
        "(2025) read fed funds slightly below IORB as the edge of ample reserves.",
        "準備預金が潤沢だった 2010〜14 年は 20 日平均が −4.7bp を超えなかった。FRB スタッフ "
        "(2025 年) は FF 金利が IORB をわずかに下回る水準を「十分」の境界とみる。",
    ),
    FlagSpec(
        "sofr_at_ceiling", "price", "days",
        "SOFR at or above the ceiling (top of the range = SRF rate), days in the last 10",
        "SOFR が上限 (誘導目標上限 = SRF 金利) 以上だった日数 (直近 10 営業日)",
        "≥ 1 day (scarce at 3 days above it)", "1 日以上 (上回る日が 3 日以上で不足)",
        "The Standing Repo Facility lends at the top of the range: the market pays it only "
        "when cash is short (scarce level = the sofr_ceiling_bp alert level).",
        "常設レポファシリティは誘導目標上限で貸し出す。市場がその金利を払うのは資金が不足する"
        "ときだけ (不足の水準は sofr_ceiling_bp の警戒水準)。",
    ),
    FlagSpec(
        "reserves_below_estimate", "quantity", "pct",
        "Reserves / commercial-bank assets (or the GDP equivalent)",
        "準備預金 / 商業銀行総資産 (または GDP 換算)",
        "≤ 13% of bank assets", "銀行総資産の 13% 以下",
        "Afonso, Giannone, La Spada and Williams, NY Fed Staff Report 1019: the reserve "
        "demand curve turns steep below about 12–13% of bank assets. Without bank assets: "
        "reserves / GDP against 13% × bank assets / GDP on the last day both were known.",
        "Afonso・Giannone・La Spada・Williams (NY 連銀スタッフレポート 1019): 準備預金が銀行総資産"
        "の約 12〜13% を下回ると需要曲線が急になる。銀行総資産がない期間は、両方が分かる最後の"
        "日の銀行総資産 / GDP を掛けた GDP 比で判定。",
    ),
    FlagSpec(
        "on_rrp_exhausted", "quantity", "usd_bn",
        "ON RRP take-up (buffer of excess cash)", "ON RRP 残高 (余剰資金のバッファー)",
        "< $100bn after holding ≥ $500bn", "5,000 億ドル以上から 1,000 億ドル未満へ",
        "While money funds park cash at the Fed, drains (QT, TGA) come out of ON RRP; once "
        "it is near zero they come out of reserves (on_rrp_bn alert level).",
        "MMF が FRB に資金を置いている間、資金吸収 (QT、TGA) は ON RRP から出る。ほぼゼロに"
        "なると準備預金から出る (on_rrp_bn の警戒水準)。",
    ),
)
_FLAG_IDS = tuple(f.id for f in FLAGS)
_PRICE = tuple(f.id for f in FLAGS if f.kind == "price")
_QUANTITY = tuple(f.id for f in FLAGS if f.kind == "quantity")


class IndicatorView:
    """Wide, as-of views of the indicator history the verdict reads.

    Parameters
    ----------
    history
        :func:`liqwatch.indicators.history` output (``date, id, value, status, obs_date``;
        a stale row has no ``obs_date``).
    """

    def __init__(self, history: pd.DataFrame) -> None:
        frame = history.drop_duplicates(["date", "id"], keep="last")
        fresh = frame["obs_date"].notna()
        self.days = pd.DatetimeIndex(sorted(frame["date"].unique()))
        self._value = frame.assign(value=frame["value"].where(fresh)).pivot(
            index="date", columns="id", values="value").reindex(self.days)
        self._obs = frame.pivot(index="date", columns="id", values="obs_date").reindex(
            self.days)
        self._status = frame.pivot(index="date", columns="id", values="status").reindex(
            self.days)
        self._memo: dict[tuple[str, str], pd.Series] = {}

    def _cached(self, kind: str, ind: str, build: Callable[[], pd.Series]) -> pd.Series:
        key = (kind, ind)
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    def value(self, ind: str) -> pd.Series:
        """The indicator's value as of each day (NaN when stale or missing), rounded to
        1e-9 so that thresholds compare rates without float noise (2.55 − 2.50 = 0.0499…)."""
        if ind not in self._value:
            return pd.Series(np.nan, index=self.days)
        return self._cached("value", ind, lambda: self._value[ind].astype(float).round(9))

    def obs_date(self, ind: str) -> pd.Series:
        """Observation date of the value known on each day (NaT when stale or missing)."""
        if ind not in self._obs:
            return pd.Series(pd.NaT, index=self.days)
        return self._cached("obs", ind, lambda: pd.to_datetime(self._obs[ind]))

    def status(self, ind: str) -> pd.Series:
        """The indicator's status on each day."""
        if ind not in self._status:
            return pd.Series("no_data", index=self.days, dtype=object)
        return self._cached("status", ind, lambda: self._status[ind].fillna("no_data"))

    def prints(self, ind: str) -> pd.Series:
        """Each observation, as first seen, indexed by observation date."""
        f = pd.DataFrame({"v": self.value(ind), "o": self.obs_date(ind)}).dropna()
        return f.drop_duplicates("o").set_index("o")["v"].sort_index()

    def new_print(self, ind: str) -> pd.Series:
        """True on the as-of days a new observation of ``ind`` became known."""
        def build() -> pd.Series:
            obs = self.obs_date(ind)
            prev = obs.ffill().shift(1)
            return (obs.notna() & (prev.isna() | (obs > prev))).astype(bool)

        return self._cached("new", ind, build)

    def turn_excess(self, ind: str) -> pd.Series:
        """Excess of the print known each day over the usual print on its kind of
        funding-calendar day (:func:`liqwatch.indicators.turns.turn_frame`; NaN without a
        baseline)."""
        return self._turn(ind)[0]

    def turn_event(self, ind: str) -> pd.Series:
        """True on the days whose known print fell on a funding-calendar event day."""
        return self._turn(ind)[1]

    def _turn(self, ind: str) -> tuple[pd.Series, pd.Series]:
        from liqwatch.fundcal import ORDINARY
        from liqwatch.indicators.turns import turn_frame

        def build(which: str) -> pd.Series:
            frame = turn_frame(self.prints(ind))
            if which == "excess":
                return self.over_prints(ind, frame["excess"])
            event = (frame["kind"] != ORDINARY).astype(float)
            return self.over_prints(ind, event).fillna(0.0).astype(bool)

        return (self._cached("turn_excess", ind, lambda: build("excess")),
                self._cached("turn_event", ind, lambda: build("event")))

    def over_prints(self, ind: str, stat: pd.Series) -> pd.Series:
        """Map a statistic computed on :meth:`prints` back to the as-of days."""
        obs = self.obs_date(ind)
        out = stat.reindex(obs.to_numpy()).to_numpy(dtype=float)
        return pd.Series(out, index=self.days)


def _flag_values(view: IndicatorView) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """Flag values, flags (1 set, 0 not, NaN not applicable) and the scarce-level evidence."""
    sofr = view.prints("sofr_iorb_bp")
    share = view.over_prints("sofr_iorb_bp", (sofr >= 0).astype(float)
                             .rolling(SHARE_WINDOW, min_periods=SHARE_WINDOW).mean())
    effr = view.prints("effr_iorb_bp")
    effr20 = view.over_prints("effr_iorb_bp",
                              effr.rolling(EFFR_WINDOW, min_periods=EFFR_WINDOW).mean())
    ceil = view.prints("sofr_ceiling_bp")
    at_ceiling = view.over_prints("sofr_ceiling_bp", (ceil >= 0).astype(float)
                                  .rolling(CEILING_WINDOW, min_periods=1).sum())
    above_ceiling = view.over_prints("sofr_ceiling_bp", (ceil > 0).astype(float)
                                     .rolling(CEILING_WINDOW, min_periods=1).sum())
    res_assets = view.value("reserves_to_bank_assets_pct")
    res_gdp = view.value("reserves_to_gdp_pct")
    assets_to_gdp = (res_gdp / res_assets).where(res_assets.notna() & res_gdp.notna()).ffill()
    gdp_threshold = RESERVES_PCT_ASSETS * assets_to_gdp
    use_assets = res_assets.notna()
    reserves = res_assets.where(use_assets, res_gdp)
    reserves_threshold = pd.Series(RESERVES_PCT_ASSETS, index=view.days).where(
        use_assets, gdp_threshold)
    rrp = view.value("on_rrp_bn")
    buffer_era = view.days >= pd.Timestamp(ON_RRP_BUFFER)
    peak = rrp.where(buffer_era).cummax()

    values = pd.DataFrame({
        "sofr_above_iorb": share, "effr_near_iorb": effr20, "sofr_at_ceiling": at_ceiling,
        "reserves_below_estimate": reserves, "on_rrp_exhausted": rrp,
    }, index=view.days)
    thresholds = pd.DataFrame({
        "sofr_above_iorb": SHARE_MIN, "effr_near_iorb": EFFR_TIGHT_BP,
        "sofr_at_ceiling": 1.0, "reserves_below_estimate": reserves_threshold,
        "on_rrp_exhausted": ON_RRP_EXHAUSTED_BN,
    }, index=view.days)

    def flag(cond: pd.Series, ok: pd.Series) -> pd.Series:
        return cond.astype(float).where(ok)

    ior_era = view.days >= pd.Timestamp(IOR_START)
    flags = pd.DataFrame({
        "sofr_above_iorb": flag(share >= SHARE_MIN, share.notna()),
        "effr_near_iorb": flag(effr20 >= EFFR_TIGHT_BP, effr20.notna() & ior_era),
        "sofr_at_ceiling": flag(at_ceiling >= 1, at_ceiling.notna()),
        "reserves_below_estimate": flag(reserves <= reserves_threshold,
                                        reserves.notna() & reserves_threshold.notna()
                                        & ior_era),
        "on_rrp_exhausted": flag((rrp < ON_RRP_EXHAUSTED_BN) & (peak >= ON_RRP_BUFFER_BN),
                                 rrp.notna() & buffer_era & (peak >= ON_RRP_BUFFER_BN)),
    }, index=view.days)
    scarce = ((effr20 >= EFFR_SCARCE_BP).fillna(False)
              | (above_ceiling >= CEILING_SCARCE_DAYS).fillna(False))
    out = pd.concat([values, thresholds.add_suffix("__threshold")], axis=1)
    basis = pd.Series(None, index=view.days, dtype=object)
    basis[reserves.notna()] = "gdp"
    basis[use_assets] = "bank_assets"
    out["reserves_below_estimate__basis"] = basis
    out["reserves_below_estimate__assets_to_gdp"] = assets_to_gdp.where(~use_assets)
    return out, flags, scarce


def _raw_regime(flags: pd.DataFrame, scarce: pd.Series, days: pd.DatetimeIndex) -> np.ndarray:
    """Regime code per day before smoothing: -1 no data, 0..3 abundant..scarce."""
    price = flags[list(_PRICE)].fillna(0).sum(axis=1).to_numpy()
    qty = flags[list(_QUANTITY)].fillna(0).sum(axis=1).to_numpy()
    q_avail = flags[list(_QUANTITY)].notna().sum(axis=1).to_numpy()
    any_avail = flags.notna().any(axis=1).to_numpy()
    tight = (price >= 1) & ((qty >= 1) | ((q_avail == 0) & (price >= 2)))
    code = np.where(tight & scarce.to_numpy(), 3,
                    np.where(tight, 2, np.where((price >= 1) | (qty >= 2), 1, 0)))
    code = np.where(any_avail, code, -1)
    pre_ior = days < pd.Timestamp(IOR_START)
    return np.where(pre_ior, 3, code)


def _smooth(raw: np.ndarray, relax: int = RELAX_DAYS) -> np.ndarray:
    """Up at once, down only after ``relax`` days below (to the highest level in that time)."""
    out = np.full(len(raw), -1, dtype=np.int64)
    cur = -1
    below = 0
    best_below = -1
    for i, r in enumerate(raw.tolist()):
        if r < 0:
            out[i] = cur
            continue
        if cur < 0 or r >= cur:
            cur, below, best_below = r, 0, -1
        else:
            below += 1
            best_below = max(best_below, r)
            if below >= relax:
                cur, below, best_below = best_below, 0, -1
        out[i] = cur
    return out


def _since(code: np.ndarray, days: pd.DatetimeIndex) -> pd.Series:
    """First day of the run of equal regime codes each day belongs to."""
    change = np.r_[True, code[1:] != code[:-1]]
    start = pd.Series(np.where(change, days.to_numpy(), np.datetime64("NaT")), index=days)
    return start.ffill()


def regime_history(view: IndicatorView) -> pd.DataFrame:
    """The regime on every as-of day of ``view``.

    Returns
    -------
    pandas.DataFrame
        Indexed by as-of day: ``regime`` (abundant/ample/tight/scarce or None), ``since``
        (first day of the current regime), ``raw_regime`` (before smoothing), ``n_flags`` /
        ``n_available``, and per flag ``<id>`` (1 set, 0 not, NaN not applicable),
        ``<id>__value`` and ``<id>__threshold``; ``reserves_below_estimate__basis``
        (``bank_assets`` or ``gdp``) and ``reserves_below_estimate__assets_to_gdp`` (the
        bank assets / GDP ratio of the GDP equivalent).
    """
    values, flags, scarce = _flag_values(view)
    raw = _raw_regime(flags, scarce, view.days)
    code = _smooth(raw)
    names = np.array([None, *REGIMES], dtype=object)
    out = pd.DataFrame({
        "regime": names[code + 1],
        "since": _since(code, view.days).where(code >= 0),
        "raw_regime": names[raw + 1],
        "n_flags": flags.fillna(0).sum(axis=1).astype(int),
        "n_available": flags.notna().sum(axis=1).astype(int),
    }, index=view.days)
    for fid in _FLAG_IDS:
        out[fid] = flags[fid]
        out[f"{fid}__value"] = values[fid]
        out[f"{fid}__threshold"] = values[f"{fid}__threshold"]
    for extra in ("reserves_below_estimate__basis", "reserves_below_estimate__assets_to_gdp"):
        out[extra] = values[extra]
    return out


def flag_records(row: Mapping[Any, object], lang: str = "en") -> list[dict[str, object]]:
    """The flags of one :func:`regime_history` row as records: id, kind, name, set (None: not
    applicable), value, unit, value_text, threshold (text), threshold_value, source."""
    out: list[dict[str, object]] = []
    for spec in FLAGS:
        state = _num(row.get(spec.id))
        value = _num(row.get(f"{spec.id}__value"))
        limit = _num(row.get(f"{spec.id}__threshold"))
        threshold = pick(lang, spec.threshold_en, spec.threshold_ja)
        text = _value_text(spec, value, row, lang)
        if spec.id == "reserves_below_estimate" and row.get(f"{spec.id}__basis") == "gdp":
            ratio = _num(row.get(f"{spec.id}__assets_to_gdp"))
            threshold = pick(
                lang, f"≤ {limit:.1f}% of GDP (13% of bank assets × bank assets / GDP "
                f"{ratio:.2f})", f"GDP 比 {limit:.1f}% 以下 (銀行総資産の 13% × 銀行総資産 / "
                f"GDP {ratio:.2f})") if limit is not None and ratio is not None else threshold
        out.append({
            "id": spec.id, "kind": spec.kind, "name": spec.name(lang),
            "set": None if state is None else bool(state),
            "value": value, "unit": spec.unit, "value_text": text,
            "threshold": threshold, "threshold_value": limit,
            "source": pick(lang, spec.source_en, spec.source_ja),
        })
    return out


def _value_text(spec: FlagSpec, value: float | None, row: Mapping[str, object],
                lang: str) -> str:
    if value is None:
        return "—"
    if spec.unit == "share":
        return f"{value * 100:.0f}%"
    if spec.unit == "bp":
        return fmt_bp(value, lang=lang) if abs(value) >= 1 else fmt_value(value, "", lang)
    if spec.unit == "days":
        return pick(lang, f"{value:.0f} of 10", f"10 日中 {value:.0f} 日")
    if spec.unit == "pct":
        basis = row.get(f"{spec.id}__basis")
        of = (pick(lang, " of GDP", " (GDP 比)") if basis == "gdp"
              else pick(lang, " of bank assets", " (銀行総資産比)"))
        return f"{value:.1f}%{of}"
    return fmt_value(value, spec.unit, lang)


def _num(x: object) -> float | None:
    if x is None or isinstance(x, str):
        return None
    try:
        v = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if np.isnan(v) else v
