"""Named scenarios, each defined relative to the state on its start date.

* ``current-policy`` — the announced policy, the Treasury's cash path, estimated drivers.
* ``qt-slowdown`` — the runoff in force each month halved; an announced end still applies.
* ``tga-rebuild`` — the TGA raised within 8 weeks to the Treasury's highest end-of-quarter
  assumption known on the start date (never lowered).
* ``qt-end-bill-purchases`` — runoff ended at the start (paydowns reinvested) and bill
  purchases at the latest reserve-management pace announced (40bn a month if none was).
* ``2019-replay`` — the 2019 path scaled to the start: runoff and bill purchases as shares of
  holdings, TGA changes in proportion to the TGA, currency growth as in 2019, using only the
  part of 2019 published by the as-of date.

:func:`preset_assumptions` returns the assumptions and a sentence (English and Japanese)
stating what the preset assumes on the day it is run.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from liqwatch.exceptions import ConfigError
from liqwatch.scenarios.announcements import Announcements
from liqwatch.scenarios.drivers import Assumptions
from liqwatch.scenarios.engine import StartState
from liqwatch.scenarios.identity import balance_sheet
from liqwatch.scenarios.policy import monthly_policy
from liqwatch.scenarios.wording import Text
from liqwatch.store import Store
from liqwatch.vocab import fmt_date, fmt_usd_bn

__all__ = ["PRESETS", "REPLAY_YEAR", "preset_assumptions"]

#: Preset names and what they assume.
PRESETS: dict[str, str] = {
    "current-policy": (
        "Announced policy as of the start date, the Treasury's own cash path (its "
        "end-of-quarter assumptions, tax dates, debt limits), other drivers estimated."
    ),
    "qt-slowdown": "The runoff in force each month halved; an announced end of runoff applies.",
    "tga-rebuild": (
        "TGA raised within 8 weeks to the Treasury's highest end-of-quarter assumption known "
        "on the start date (held when already above it)."
    ),
    "qt-end-bill-purchases": (
        "Runoff ended at the start (paydowns reinvested) and bill purchases at the latest "
        "announced reserve-management pace (40bn a month if none was announced)."
    ),
    "2019-replay": (
        "The 2019 path scaled to the start: runoff and bill purchases as shares of holdings, "
        "weekly TGA changes in proportion to the TGA, 2019 currency growth."
    ),
}

REPLAY_YEAR = 2019
_REBUILD_WEEKS = 8
_DEFAULT_BILLS = 40.0


def preset_assumptions(
    name: str, store: Store, s0: StartState, known_by: date, ann: Announcements
) -> tuple[Assumptions, Text]:
    """Assumptions of preset ``name`` from start state ``s0``, and what it assumes.

    ``ann`` holds the announcements known on ``known_by``.
    """
    if name not in PRESETS:
        raise ConfigError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}")
    if name == "current-policy":
        return Assumptions(), Text(
            "Announced policy, the Treasury's cash path and estimated drivers.",
            "公表済みの政策、財務省の現金残高見通し、推計した要因を前提とします。")
    if name == "qt-slowdown":
        return _slowdown(s0, known_by, ann)
    if name == "tga-rebuild":
        return _rebuild(s0, ann)
    if name == "qt-end-bill-purchases":
        return _qt_end(ann)
    return _replay(store, s0, known_by)


def _slowdown(s0: StartState, known_by: date, ann: Announcements) -> tuple[Assumptions, Text]:
    month = pd.DatetimeIndex([pd.Timestamp(s0.date).to_period("M").to_timestamp()])
    pol = monthly_policy(month, known_by, ann).iloc[0]
    t, m = float(pol["treasury_cap"]), float(pol["mbs_cap"])
    if t == 0 and m == 0:
        return Assumptions(runoff_scale=0.5), Text(
            f"No runoff is in force on {fmt_date(s0.date)}: halving it changes nothing.",
            f"{fmt_date(s0.date, 'ja')}時点で縮小 (ランオフ) は行われておらず、半減しても"
            "変わりません。")
    return Assumptions(runoff_scale=0.5), Text(
        f"Runoff in force on {fmt_date(s0.date)} (Treasury cap {fmt_usd_bn(t)} a month, MBS "
        f"cap {fmt_usd_bn(m)}) halved each month; announced changes, such as an end of "
        "runoff, still apply.",
        f"{fmt_date(s0.date, 'ja')}時点のランオフ (国債上限 月{fmt_usd_bn(t, 'ja')}、MBS上限 "
        f"月{fmt_usd_bn(m, 'ja')}) を毎月半分にします。ランオフ終了など公表済みの変更は"
        "そのまま適用します。")


def _rebuild(s0: StartState, ann: Announcements) -> tuple[Assumptions, Text]:
    known = ann.cash_assumptions()
    ahead = [a for a in known.values() if a.quarter_end > s0.date]
    pool = ahead or list(known.values())[-1:]
    if not pool:
        raise ConfigError("the tga-rebuild preset needs a Treasury cash-balance assumption "
                          f"announced by {ann.cutoff}; none is in the announcements")
    target = max(pool, key=lambda a: a.balance_bn)
    by = s0.date + timedelta(weeks=_REBUILD_WEEKS)
    src = f"{fmt_usd_bn(target.balance_bn)} for {fmt_date(target.quarter_end)} ({target.source})"
    src_ja = (f"{fmt_date(target.quarter_end, 'ja')}末の{fmt_usd_bn(target.balance_bn, 'ja')}"
              f" ({target.source})")
    if s0.tga >= target.balance_bn:
        return Assumptions(tga_target=s0.tga, tga_by=by), Text(
            f"The TGA ({fmt_usd_bn(s0.tga)}) already stands at or above the Treasury's "
            f"assumption, {src}: held at its start level.",
            f"財務省一般口座 ({fmt_usd_bn(s0.tga, 'ja')}) はすでに財務省の想定 {src_ja} 以上"
            "のため、開始時の水準で据え置きます。")
    return Assumptions(tga_target=target.balance_bn, tga_by=by), Text(
        f"TGA raised from {fmt_usd_bn(s0.tga)} to the Treasury's assumption, {src}, by "
        f"{fmt_date(by)} and held there.",
        f"財務省一般口座を{fmt_usd_bn(s0.tga, 'ja')}から財務省の想定 {src_ja} まで"
        f"{fmt_date(by, 'ja')}までに引き上げ、その後は据え置きます。")


def _qt_end(ann: Announcements) -> tuple[Assumptions, Text]:
    bills = [r for r in sorted(ann.policy, key=lambda r: r.announced)
             if r.kind == "bill_purchases" and r.value_bn_month > 0]
    pace = bills[-1].value_bn_month if bills else _DEFAULT_BILLS
    why = (f"the pace announced on {fmt_date(bills[-1].announced)} ({bills[-1].source})"
           if bills else "assumed: no reserve-management pace had been announced")
    why_ja = (f"{fmt_date(bills[-1].announced, 'ja')}に公表されたペース" if bills
              else "仮定: 準備預金管理目的の購入ペースは未公表")
    return Assumptions(treasury_cap=0.0, mbs_cap=0.0, purchases=pace), Text(
        f"Runoff ended at the start (paydowns reinvested); bill purchases of "
        f"{fmt_usd_bn(pace)} a month, {why}.",
        f"開始時点でランオフを終了 (償還分は再投資) し、短期国債を月{fmt_usd_bn(pace, 'ja')}"
        f"購入します ({why_ja})。")


def _replay(store: Store, s0: StartState, known_by: date) -> tuple[Assumptions, Text]:
    year = REPLAY_YEAR
    first = date(year - 1, 12, 26)
    if known_by <= date(year, 1, 10):
        raise ConfigError(f"the {year}-replay preset replays {year} as published; on "
                          f"{known_by} no week of {year} had been published")
    bs = balance_sheet(store, as_of=known_by, start=date(year - 1, 12, 20))
    bs = bs.loc[(bs.index >= pd.Timestamp(first)) & (bs.index <= pd.Timestamp(f"{year}-12-31"))]
    if len(bs) < 4:
        raise ConfigError(f"the {year}-replay preset needs the H.4.1 weeks of {year} in the "
                          "store")
    months = pd.date_range(f"{year}-01-01", f"{year}-12-01", freq="MS")
    policy = monthly_policy(months, min(known_by, date(year, 12, 31))).reset_index(drop=True)
    base = bs.drop(columns=["estimated"]).iloc[0].fillna(0.0) / 1e3
    tsy_x = s0.treasuries / float(base["treasuries"])
    mbs_then = float(base["total_assets"] - base["treasuries"] - base["repo"])
    mbs_x = (s0.mbs / mbs_then) if s0.mbs > 0 and mbs_then > 0 else 1.0
    for col in ("treasury_cap", "treasury_purchases", "bill_purchases"):
        policy[col] = policy[col] * tsy_x
    for col in ("mbs_cap", "mbs_purchases"):
        policy[col] = policy[col] * mbs_x
    tga_x = s0.tga / float(base["tga"]) if base["tga"] > 0 else 1.0
    tga = (bs["tga"] / 1e3).diff().dropna().to_numpy(float) * tga_x
    cur = bs["currency"].to_numpy(float)
    years = (bs.index - bs.index[0]).days.to_numpy(float) / 365.25
    growth = float(np.expm1(np.polyfit(years, np.log(cur), 1)[0]) * 100.0)
    last = pd.Timestamp(bs.index[-1]).date()
    part = (f"to {fmt_date(last)} (published by {fmt_date(known_by)})"
            if last < date(year, 12, 25) else "the whole year")
    part_ja = (f"{fmt_date(last, 'ja')}まで ({fmt_date(known_by, 'ja')}までの公表分)"
               if last < date(year, 12, 25) else "通年")
    return Assumptions(monthly_override=policy, tga_changes=tuple(tga),
                       currency_growth_pct=growth), Text(
        f"{year} replayed, {part}, scaled to the start: Treasury runoff and purchases x"
        f"{tsy_x:.2f} (Treasury holdings now / on {fmt_date(bs.index[0].date())}), MBS x"
        f"{mbs_x:.2f}, weekly TGA changes x{tga_x:.2f}, currency growth {growth:.1f}% a year.",
        f"{year}年の推移 ({part_ja}) を開始時の規模に合わせて再現します: 国債のランオフと購入"
        f"は×{tsy_x:.2f} (保有国債の比)、MBSは×{mbs_x:.2f}、財務省一般口座の週次変化は"
        f"×{tga_x:.2f}、通貨の伸びは年{growth:.1f}%。")
