"""Driver assumptions: what the user sets, and defaults estimated from data known at the start.

Every field of :class:`Assumptions` left as ``None`` is filled from data published by the
as-of date and announcements made by then (see :func:`resolve`); each resolved value records
where it came from.

Default models (all in USD bn):

* **Treasury runoff** — the announced cap in force each month. Where a SOMA maturity profile
  (``SOMA_TSY_MATURING``, principal maturing each month) is in the store, runoff is the
  smaller of the cap and what matures. Without it: under plans that redeem bills when coupon
  maturities fall short (2022 on), runoff equals the cap; under the 2017-19 plan (coupons
  only, no bills held) it is the cap times the share of the cap that actually ran off over
  the last 13 weeks.
* **MBS runoff** — paydowns at the pace of the last 13 weeks (decline of ``WSHOMCB``; before
  2021 of non-Treasury, non-repo assets), up to the cap; when that decline was held at the
  cap (excess reinvested in MBS), paydowns are at least the cap. 15bn a month when paydowns
  are not observable (principal reinvested).
* **TGA** — the Treasury's cash path (:mod:`liqwatch.scenarios.treasury`): its end-of-quarter
  assumptions, tax dates, debt-limit holds.
* **ON RRP** — funds the net drains while above its floor (share 1), plus its recent
  unexplained trend (:mod:`liqwatch.scenarios.engine`).
* **Programme lending** — run-off of programmes with announced ends (:mod:`.lending`); other
  assets at their 52-week trend.
* **Currency** — its 52-week log-linear growth rate.
* **Other liabilities and capital** — revert to their 8-week median, then their 52-week
  linear trend.
* **SRF / repo** — the average of the last 4 weeks.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from liqwatch.exceptions import ConfigError
from liqwatch.scenarios.announcements import Announcements
from liqwatch.scenarios.engine import (
    RRP_ABUNDANT_BN,
    RRP_SPEED,
    WEEK_FACTOR,
    Drivers,
    StartState,
    week_dates,
)
from liqwatch.scenarios.lending import ProgramRunoff, program_runoff
from liqwatch.scenarios.policy import monthly_policy
from liqwatch.scenarios.treasury import CashPath, cash_path
from liqwatch.scenarios.wording import Text
from liqwatch.store import Store

__all__ = ["SOMA_MATURITIES", "Assumptions", "Resolved", "resolve", "start_state",
           "tga_seasonal"]

#: Store series of SOMA Treasury principal maturing each month (USD millions, dated the
#: first of the month, one vintage per holdings date).
SOMA_MATURITIES = "SOMA_TSY_MATURING"
_MBS_FALLBACK = 15.0
_TRAIL = 13


@dataclass(frozen=True)
class Assumptions:
    """User-settable assumptions (``None`` = announced policy or estimated default).

    Attributes
    ----------
    treasury_cap, mbs_cap
        Monthly runoff caps, USD bn a month, for the whole horizon.
    runoff_scale
        Multiplies the runoff in force each month (0.5 halves it).
    purchases
        Net Treasury (bill) purchases, USD bn a month, replacing every announced purchase.
    mbs_paydown
        Monthly MBS paydowns.
    tga_target, tga_by
        TGA level reached linearly by ``tga_by``, replacing the Treasury's assumptions.
    tga_seasonality
        Include the seasonal pattern of TGA changes (tax dates); default on.
    debt_limit_resolved
        Assumed resolution of a debt limit not yet resolved on the start date.
    rrp_floor, rrp_share
        ON RRP floor, and the share of net drains it funds while above it (0..1).
    currency_growth_pct
        Annual currency growth in percent.
    other_trend
        Weekly change of other liabilities and capital.
    other_assets_trend
        Weekly change of other assets outside lending programmes.
    lending_bn
        Balance of the lending programme with an announced end outstanding at the start.
    srf
        Standing Repo Facility usage (level).
    bank_assets_bn, bank_assets_growth_pct
        Commercial-bank assets now (held), and their trend growth for the range.
    monthly_override, tga_changes, rrp_changes
        Replays and validation: monthly policy rows, explicit weekly TGA / ON RRP changes.
    """

    treasury_cap: float | None = None
    mbs_cap: float | None = None
    runoff_scale: float | None = None
    purchases: float | None = None
    mbs_paydown: float | None = None
    tga_target: float | None = None
    tga_by: date | None = None
    tga_seasonality: bool | None = None
    debt_limit_resolved: date | None = None
    rrp_floor: float | None = None
    rrp_share: float | None = None
    currency_growth_pct: float | None = None
    other_trend: float | None = None
    other_assets_trend: float | None = None
    lending_bn: float | None = None
    srf: float | None = None
    bank_assets_bn: float | None = None
    bank_assets_growth_pct: float | None = None
    monthly_override: pd.DataFrame | None = None
    tga_changes: tuple[float, ...] | None = None
    rrp_changes: tuple[float, ...] | None = None

    def updated(self, **overrides: Any) -> Assumptions:
        """A copy with the given non-``None`` fields replaced; unknown names raise."""
        names = {f.name for f in fields(self)}
        bad = sorted(set(overrides) - names)
        if bad:
            raise ConfigError(
                f"unknown scenario assumption(s) {bad}; known: {sorted(names)}"
            )
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


@dataclass(frozen=True)
class Resolved:
    """Drivers ready for the engine, where each assumption came from, and what it rests on.

    Attributes
    ----------
    drivers
        The engine's input.
    said, values
        Assumption name -> where its value came from (English and Japanese) / its value
        (first week for arrays).
    cash
        The Treasury's cash path behind the TGA (``None`` for explicit TGA changes).
    programs
        Lending programmes running off.
    policy
        The monthly policy of each projected week (caps, purchases, ``sources``).
    runoff_share
        Share of the Treasury cap that ran off over the last 13 weeks (2017-19 plan only).
    replayed
        The policy is a replay (not announcements).
    """

    drivers: Drivers
    said: dict[str, Text]
    values: dict[str, Any]
    cash: CashPath | None = None
    programs: tuple[ProgramRunoff, ...] = ()
    policy: pd.DataFrame = field(default_factory=pd.DataFrame)
    runoff_share: float | None = None
    replayed: bool = False

    @property
    def origin(self) -> dict[str, str]:
        """Assumption name -> where its value came from (English)."""
        return {k: v.en for k, v in self.said.items()}


def start_state(bs: pd.DataFrame) -> StartState:
    """Week-0 state (USD bn) from the last row of a :func:`balance_sheet` frame."""
    row = bs.iloc[-1]
    mbs = row["mbs"]
    return StartState(
        date=pd.Timestamp(bs.index[-1]).date(),
        reserves=float(row["reserves"]) / 1e3,
        total_assets=float(row["total_assets"]) / 1e3,
        tga=float(row["tga"]) / 1e3,
        on_rrp=float(row["on_rrp"]) / 1e3,
        foreign_rrp=float(row["foreign_rrp"]) / 1e3,
        currency=float(row["currency"]) / 1e3,
        treasuries=float(row["treasuries"]) / 1e3,
        mbs=0.0 if pd.isna(mbs) else float(mbs) / 1e3,
        repo=0.0 if pd.isna(row["repo"]) else float(row["repo"]) / 1e3,
    )


def _slope(values: pd.Series) -> float:
    v = values.dropna()
    if len(v) < 3:
        return 0.0
    return float(np.polyfit(np.arange(len(v), dtype=float), v.to_numpy(float), 1)[0])


def _months(index: pd.DatetimeIndex) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(index.to_period("M").to_timestamp())


def _trailing_policy(bs: pd.DataFrame, known_by: date, ann: Announcements) -> pd.DataFrame:
    weeks = _months(pd.DatetimeIndex(bs.index[-_TRAIL:]))
    return monthly_policy(weeks.unique(), known_by, ann).reindex(weeks)


def _runoff_share(bn: pd.DataFrame, trail: pd.DataFrame) -> float | None:
    """Share of the Treasury cap that ran off over the last 13 weeks (``None``: no cap)."""
    cap = float(trail["treasury_cap"].mean())
    if cap <= 0 or len(bn) < _TRAIL + 1:
        return None
    fell = -(bn["treasuries"].iloc[-1] - bn["treasuries"].iloc[-_TRAIL - 1])
    per_month = fell / _TRAIL / WEEK_FACTOR
    return float(np.clip(per_month / cap, 0.0, 1.0))


def _maturities(store: Store, months: pd.DatetimeIndex, as_of: date | None) -> np.ndarray:
    """SOMA Treasury principal maturing in each month (USD bn; NaN where unknown)."""
    frame = store.read([SOMA_MATURITIES], start=months.min().date(), end=months.max().date(),
                       as_of=as_of)
    if frame.empty:
        return np.full(len(months), np.nan)
    s = frame.set_index("date")["value"] / 1e3
    return np.asarray(s.reindex(months).to_numpy(float), float)


def _paydown(bn: pd.DataFrame, trail: pd.DataFrame, policy0: pd.Series,
             caps_ahead: np.ndarray) -> tuple[float, Text]:
    """Monthly MBS paydowns and how they were estimated."""
    tail = bn.iloc[-(_TRAIL + 1):]
    mbs = tail["mbs"]
    if mbs.notna().all() and len(mbs) == _TRAIL + 1:
        drop = -(mbs.iloc[-1] - mbs.iloc[0]) / _TRAIL / WEEK_FACTOR
        how = Text("estimated: 13-week decline of MBS holdings (WSHOMCB)",
                   "推計: MBS保有残高 (WSHOMCB) の13週間の減少")
    else:
        other = tail["total_assets"] - tail["treasuries"] - tail["repo"].fillna(0.0)
        drop = -(other.iloc[-1] - other.iloc[0]) / _TRAIL / WEEK_FACTOR
        how = Text("estimated: 13-week decline of non-Treasury, non-repo assets (MBS proxy "
                   "before WSHOMCB)",
                   "推計: 国債・レポ以外の資産の13週間の減少 (WSHOMCB以前のMBSの代替)")
    reinvesting = policy0["mbs_cap"] == 0 and policy0["mbs_excess_to"] == "mbs"
    if drop <= 0.5 or reinvesting or policy0["mbs_purchases"] > 0:
        return _MBS_FALLBACK, Text("assumed: paydowns are not observable while reinvested",
                                   "仮定: 再投資中のため元本償還は観測できません")
    # MBS settle with a lag: the lowest cap of the 13 weeks is the one that bound.
    cap = float(trail["mbs_cap"].min())
    held_at_cap = (trail["mbs_excess_to"] == "mbs").all() and cap > 0 and drop >= 0.8 * cap
    if held_at_cap:
        ahead = float(caps_ahead.max()) if len(caps_ahead) else 0.0
        return max(float(drop), ahead), Text(
            f"at least the cap: holdings fell by the cap ({drop:.1f}bn a month over 13 weeks, "
            "the excess reinvested), so paydowns are taken at the highest cap ahead",
            f"少なくとも上限: 保有残高は上限まで減少 (13週間で月{drop:.1f}bn、超過分は再投資) "
            "したため、元本償還は今後の最大の上限とします")
    return float(drop), how


def _rrp_drift(bn: pd.DataFrame, share: float, floor: float) -> float:
    """ON RRP's trend over the last 13 weeks not explained by the drains it funded.

    The engine's own ON RRP response (share, adjustment speed) is run over those weeks on
    the drains that happened; the drift is the weekly gap between its end point and the
    published ON RRP.
    """
    tail = bn.iloc[-(_TRAIL + 1):]
    if len(tail) < _TRAIL + 1:
        return 0.0
    rrp = tail["on_rrp"].to_numpy(float)
    drain = -(tail["reserves"].to_numpy(float) + rrp)
    drain = drain - drain[0]
    level = target = rrp[0]
    for step in np.diff(drain):
        if target > floor + RRP_ABUNDANT_BN:
            target = max(target - share * step, floor)
        level += RRP_SPEED * (target - level)
    return float(rrp[-1] - level) / _TRAIL


def _explicit(start: float, changes: tuple[float, ...], weeks: int) -> np.ndarray:
    steps = np.zeros(weeks)
    n = min(weeks, len(changes))
    steps[:n] = np.asarray(changes[:n], float)
    return np.asarray(start + np.concatenate([[0.0], np.cumsum(steps)]), float)


def resolve(bs: pd.DataFrame, a: Assumptions, weeks: int, known_by: date, *,
            store: Store, ann: Announcements, as_of: date | None,
            preset: str | None = None, preset_fields: frozenset[str] = frozenset()) -> Resolved:
    """Turn assumptions into engine drivers, filling defaults from ``bs`` and announcements.

    ``ann`` must already be restricted to announcements known on ``known_by``; fields named
    in ``preset_fields`` were set by ``preset`` (their origin says so).
    """
    s0 = start_state(bs)
    dates = week_dates(s0.date, weeks)
    months = _months(pd.DatetimeIndex(dates[1:]))
    said: dict[str, Text] = {}
    values: dict[str, Any] = {}
    set_by = Text("user", "利用者指定")

    def given(name: str) -> Text:
        if name in preset_fields:
            return Text(f"preset {preset}", f"プリセット {preset}")
        return set_by

    if a.monthly_override is not None:
        pol = a.monthly_override.iloc[np.minimum(np.arange(weeks) * 12 // 52,
                                                 len(a.monthly_override) - 1)]
        pol = pol.set_axis(months)
        pol_said = given("monthly_override")
    else:
        pol = monthly_policy(months.unique(), known_by, ann).reindex(months)
        pol_said = Text(f"announced policy as known on {known_by}",
                        f"{known_by}時点で公表済みの政策")
    bn = bs.drop(columns=["estimated"]) / 1e3
    trail = _trailing_policy(bs, known_by, ann)
    month0 = _months(pd.DatetimeIndex([pd.Timestamp(s0.date)]))
    policy0 = monthly_policy(month0, known_by, ann).iloc[0]

    def pick(name: str, default: float, how: Text) -> float:
        user = getattr(a, name)
        if user is not None:
            said[name], values[name] = given(name), float(user)
            return float(user)
        said[name], values[name] = how, float(default)
        return float(default)

    def cap(name: str) -> np.ndarray:
        """The cap in force each week: the user's for the whole horizon, or the policy's."""
        user = getattr(a, name)
        arr = (np.full(weeks, float(user)) if user is not None
               else np.asarray(pol[name].to_numpy(float), float))
        said[name] = given(name) if user is not None else pol_said
        values[name] = float(arr[0]) if weeks else 0.0
        return arr

    # Treasury runoff.
    caps = cap("treasury_cap")
    matures = _maturities(store, months, as_of)
    bills = pol["bills_fill_shortfall"].to_numpy(bool)
    share = _runoff_share(bn, trail)
    runoff = np.where(np.isnan(matures), caps, np.minimum(caps, np.nan_to_num(matures)))
    coupons_only = np.isnan(matures) & ~bills & (caps > 0) & (a.monthly_override is None)
    if coupons_only.any():
        runoff = np.where(coupons_only, caps * (1.0 if share is None else share), runoff)
    if not np.isnan(matures).all():
        how = Text("the smaller of the cap and the SOMA maturities", "上限とSOMAの償還額の小さい方")
    elif coupons_only.any():
        pct = 100.0 if share is None else share * 100.0
        how = Text(f"{pct:.0f}% of the cap, the share that ran off over the last 13 weeks "
                   "(coupons only; no SOMA maturity profile in the store)",
                   f"上限の{pct:.0f}% (直近13週間の実績比率。利付債のみが対象で、SOMAの償還"
                   "予定はストアにありません)")
    else:
        how = Text("the cap (bills are redeemed when coupon maturities fall short)",
                   "上限どおり (利付債の償還が上限に満たない分は短期国債で償還)")
    scale = a.runoff_scale if a.runoff_scale is not None else 1.0
    if not 0.0 <= scale <= 10.0:
        raise ConfigError(f"runoff_scale {scale} must be between 0 and 10")
    runoff = runoff * scale
    if scale != 1.0:
        how = Text(f"{how.en}, times {scale:g} ({given('runoff_scale').en})",
                   f"{how.ja}、×{scale:g} ({given('runoff_scale').ja})")
    said["treasury_runoff"], values["treasury_runoff"] = how, float(runoff[0]) if weeks else 0.0
    mbs_caps = cap("mbs_cap")
    pay_est, pay_how = _paydown(bn, trail, policy0, mbs_caps)
    pay = pick("mbs_paydown", pay_est, pay_how)
    if scale != 1.0:
        mbs_caps = np.minimum(pay, mbs_caps) * scale
    if a.purchases is not None:
        tsy_buy = np.full(weeks, float(a.purchases))
        mbs_buy = np.zeros(weeks)
        said["purchases"], values["purchases"] = given("purchases"), float(a.purchases)
    else:
        tsy_buy = (pol["treasury_purchases"] + pol["bill_purchases"]).to_numpy(float)
        mbs_buy = pol["mbs_purchases"].to_numpy(float)
        said["purchases"] = pol_said
        values["purchases"] = float(tsy_buy[0] + mbs_buy[0]) if weeks else 0.0
    # TGA.
    if a.tga_target is not None and a.tga_by is None:
        raise ConfigError(
            "tga_target (--tga-target) needs tga_by (--tga-by): the date the target is reached"
        )
    if a.tga_by is not None and a.tga_by <= s0.date:
        raise ConfigError(f"tga_by {a.tga_by} must be after the start week {s0.date}")
    cash: CashPath | None = None
    if a.tga_changes is not None:
        tga = _explicit(s0.tga, a.tga_changes, weeks)
        said["tga"] = given("tga_changes")
    else:
        seasonal = None if a.tga_seasonality is False else tga_seasonal(bs, dates[1:])
        cash = cash_path(s0.date, s0.tga, dates, ann, seasonal_steps=seasonal,
                         target=a.tga_target, target_by=a.tga_by,
                         debt_limit_resolved=a.debt_limit_resolved)
        tga = cash.values
        said["tga"] = (given("tga_target") if cash.user else
                       Text("the Treasury's cash path", "財務省の現金残高見通し")
                       if cash.anchors else
                       Text("held at the start level", "開始時の水準で据え置き"))
    values["tga"] = float(tga[-1])
    values["tga_target"] = a.tga_target if a.tga_target is not None else float(tga[-1])
    values["tga_by"] = a.tga_by
    said["tga_target"] = said["tga"]
    # ON RRP.
    floor = pick("rrp_floor", 0.0, Text("assumed: ON RRP can fall to zero",
                                        "仮定: 翌日物リバースレポはゼロまで減少しうる"))
    share_rrp = pick("rrp_share", 1.0, Text(
        "assumed: ON RRP funds the net drains while above its floor",
        "仮定: 翌日物リバースレポは下限を上回る間、資金流出を吸収する"))
    if not 0.0 <= share_rrp <= 1.0:
        raise ConfigError(f"rrp_share {share_rrp} must be between 0 and 1")
    drift = _rrp_drift(bn, share_rrp, floor)
    said["rrp_drift"], values["rrp_drift"] = Text(
        "estimated: 13-week ON RRP change not explained by the drains it funded",
        "推計: 吸収した資金流出で説明できない翌日物リバースレポの13週間の変化"), drift
    rrp_explicit = None if a.rrp_changes is None else _explicit(s0.on_rrp, a.rrp_changes, weeks)
    # Currency, other items.
    cur = bn["currency"].iloc[-53:].dropna()
    x = (cur.index - cur.index[0]).days.to_numpy(float) / 365.25
    g = float(np.expm1(np.polyfit(x, np.log(cur.to_numpy(float)), 1)[0]) * 100.0)
    growth = pick("currency_growth_pct", g, Text(
        "estimated: 52-week log-linear trend of currency",
        "推計: 流通現金の52週間の対数線形トレンド"))
    other_trend = pick("other_trend", _slope(bn["other"].iloc[-53:]), Text(
        "estimated: 52-week linear trend, fading, after reverting to its 8-week median",
        "推計: 8週間の中央値に戻った後、52週間の線形トレンド (減衰)"))
    other_level = float(bn["other"].iloc[-8:].median())
    oa = pick("other_assets_trend", 0.0, Text(
        "facilities without an announced end are not extrapolated",
        "終了が公表されていない制度は延長しません"))
    programs = tuple(program_runoff(store, bs, ann, dates, as_of, a.lending_bn))
    lending = np.zeros(weeks + 1)
    for p in programs:
        lending = lending + p.path
    if programs:
        said["lending_bn"] = given("lending_bn") if a.lending_bn is not None else Text(
            "; ".join(f"{p.program.program}: {'estimated' if p.estimated else p.program.series_id}"
                      f", runs off to zero by {p.ends}" for p in programs),
            "、".join(f"{p.program.program}: {'推計' if p.estimated else p.program.series_id}、"
                     f"{p.ends}までにゼロへ" for p in programs))
        values["lending_bn"] = float(lending[0])
    srf = pick("srf", float(bn["repo"].iloc[-4:].fillna(0.0).mean()), Text(
        "estimated: 4-week average of repo / SRF usage",
        "推計: レポ・常設レポファシリティ利用の4週間平均"))
    if a.tga_seasonality is not None:
        said["tga_seasonality"], values["tga_seasonality"] = (given("tga_seasonality"),
                                                               bool(a.tga_seasonality))
    drivers = Drivers(
        treasury_runoff=np.asarray(runoff, float),
        mbs_cap=np.asarray(mbs_caps, float),
        mbs_excess_to_treasury=(pol["mbs_excess_to"] == "treasury").to_numpy(bool),
        treasury_purchases=np.asarray(tsy_buy, float),
        mbs_purchases=np.asarray(mbs_buy, float),
        mbs_paydown=pay,
        tga=np.asarray(tga, float),
        rrp_floor=floor,
        rrp_share=share_rrp,
        rrp_drift=drift,
        currency_growth_pct=growth,
        other_level=other_level,
        other_trend=other_trend,
        other_assets_trend=oa,
        lending=lending,
        srf=srf,
        rrp_path=rrp_explicit,
    )
    return Resolved(drivers=drivers, said=said, values=values, cash=cash, programs=programs,
                    policy=pol, runoff_share=share, replayed=a.monthly_override is not None)


def tga_seasonal(bs: pd.DataFrame, dates: pd.DatetimeIndex, years: int = 5) -> np.ndarray:
    """Seasonal weekly TGA changes (USD bn) for ``dates`` from the last ``years`` of ``bs``.

    The median weekly change by week of the year (robust to debt-limit episodes), less its
    mean (so it adds no trend), smoothed over three weeks.
    """
    tga = bs["tga"] / 1e3
    tga = tga.loc[tga.index > tga.index[-1] - pd.Timedelta(days=int(365.25 * years))]
    change = tga.diff().dropna()
    if len(change) < 52:
        return np.zeros(len(dates))
    woy = np.minimum(change.index.isocalendar().week.to_numpy(int), 52)
    profile = pd.Series(change.to_numpy(float)).groupby(woy).median().reindex(
        range(1, 53), fill_value=0.0)
    smooth = profile.to_numpy(float)
    smooth = (np.roll(smooth, 1) + smooth + np.roll(smooth, -1)) / 3.0
    smooth -= smooth.mean()
    want = np.minimum(dates.isocalendar().week.to_numpy(int), 52)
    return np.asarray(smooth[want - 1], dtype=float)
