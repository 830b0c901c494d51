"""The sentences of a projection, in English and Japanese, built from its resolved drivers.

Every figure in these sentences comes from the projection's own result (the resolved drivers,
the Treasury's cash path, the announcements used); nothing is recomputed here. Japanese terms
follow the project's glossary: 準備預金 (reserve balances), 財務省一般口座 (TGA),
翌日物リバースレポ (ON RRP), 常設レポファシリティ (SRF).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from liqwatch.scenarios.policy import rows_in_force
from liqwatch.vocab import fmt_date, fmt_usd_bn, pick

if TYPE_CHECKING:
    from liqwatch.scenarios.announcements import Announcements
    from liqwatch.scenarios.drivers import Resolved
    from liqwatch.scenarios.engine import StartState

__all__ = ["Statement", "Text", "statements", "threshold_name"]


@dataclass(frozen=True)
class Text:
    """One sentence in English and Japanese."""

    en: str
    ja: str

    def get(self, lang: str = "en") -> str:
        """The sentence in ``lang``."""
        return pick(lang, self.en, self.ja)


@dataclass(frozen=True)
class Statement:
    """An assumption stated on the run day: its key (``start``, ``treasury``, ``tga``...) and
    text."""

    key: str
    text: Text


def threshold_name(label: str, lang: str = "en") -> str:
    """A threshold label in ``lang``: ``3.0T`` / ``3兆ドル``, ``12% of bank assets`` /
    ``銀行総資産の12%``."""
    if lang != "ja":
        return label
    if label.endswith("% of bank assets"):
        return f"銀行総資産の{label.split('%')[0]}%"
    if label.endswith("T"):
        try:
            return f"{float(label[:-1]):g}兆ドル"
        except ValueError:
            return label
    return label


def _bn(x: float, lang: str = "en") -> str:
    return fmt_usd_bn(float(x), lang)


def _said(r: Resolved, name: str, lang: str) -> str:
    t = r.said.get(name)
    return "" if t is None else t.get(lang)


def _weekly(x: float, lang: str = "en") -> str:
    """``+$1.0bn a week`` / ``週+10億ドル``."""
    sign = "+" if x >= 0 else "-"
    amount = fmt_usd_bn(abs(x), lang)
    return f"週{sign}{amount}" if lang == "ja" else f"{sign}{amount} a week"


def _month_label(day: date, lang: str) -> str:
    return f"{day.year}年{day.month}月" if lang == "ja" else day.strftime("%b %Y")


def _changes(dates: pd.DatetimeIndex, arr: np.ndarray) -> list[tuple[date, float]]:
    """(week, new value) wherever a weekly policy array changes, after week 1."""
    out = []
    for i in range(1, len(arr)):
        if abs(arr[i] - arr[i - 1]) > 1e-9:
            out.append((pd.Timestamp(dates[i + 1]).date(), float(arr[i])))
    return out


def _source(kind: str, day: date, known_by: date, ann: Announcements, r: Resolved) -> str:
    if r.replayed:
        return r.said["treasury_cap"].en
    row = rows_in_force(day, known_by, ann).get(kind)
    return "" if row is None else row.source


def _policy(r: Resolved, dates: pd.DatetimeIndex, known_by: date,
            ann: Announcements) -> list[Statement]:
    d = r.drivers
    out: list[Statement] = []
    runoff = d.treasury_runoff
    if not len(runoff):
        return out
    cap = r.values.get("treasury_cap", 0.0)
    first = pd.Timestamp(dates[1]).date()
    src = (_source("treasury_cap", first, known_by, ann, r)
           if r.origin.get("treasury_cap", "").startswith("announced") else
           _said(r, "treasury_cap", "en"))
    en = (f"Treasury runoff {_bn(runoff[0])} a month against a cap of {_bn(cap)} ({src}): "
          f"{_said(r, 'treasury_runoff', 'en')}")
    ja = (f"国債のランオフは月{_bn(runoff[0], 'ja')} (上限 月{_bn(cap, 'ja')}、{src}): "
          f"{_said(r, 'treasury_runoff', 'ja')}")
    later = _changes(dates, runoff)
    if later:
        en += "; then " + ", ".join(
            f"{_bn(v)} from {_month_label(w, 'en')} "
            f"({_source('treasury_cap', w, known_by, ann, r)})" for w, v in later[:4])
        ja += "。その後 " + "、".join(f"{_month_label(w, 'ja')}から{_bn(v, 'ja')}"
                                     for w, v in later[:4])
    out.append(Statement("treasury_runoff", Text(en + ".", ja + "。")))
    caps = d.mbs_cap
    ran = np.minimum(d.mbs_paydown, caps)
    to_t = bool(d.mbs_excess_to_treasury[0]) if len(d.mbs_excess_to_treasury) else False
    where, where_ja = ("Treasuries", "国債") if to_t else ("MBS", "MBS")
    out.append(Statement("mbs_runoff", Text(
        f"MBS paydowns {_bn(d.mbs_paydown)} a month ({_said(r, 'mbs_paydown', 'en')}); "
        f"{_bn(ran[0])} run off under the cap of {_bn(caps[0])}, the rest reinvested in "
        f"{where}.",
        f"MBSの元本償還は月{_bn(d.mbs_paydown, 'ja')} ({_said(r, 'mbs_paydown', 'ja')})。"
        f"上限 月{_bn(caps[0], 'ja')}のもとで{_bn(ran[0], 'ja')}を削減し、残りは"
        f"{where_ja}に再投資します。")))
    buys = d.treasury_purchases + d.mbs_purchases
    if buys.any():
        i = int(np.flatnonzero(buys > 0)[0])
        day = pd.Timestamp(dates[i + 1]).date()
        out.append(Statement("purchases", Text(
            f"Purchases of {_bn(buys[i])} a month from {fmt_date(day)} "
            f"({_said(r, 'purchases', 'en')}).",
            f"{fmt_date(day, 'ja')}から月{_bn(buys[i], 'ja')}の買い入れ "
            f"({_said(r, 'purchases', 'ja')})。")))
    return out


def _tga(s0: StartState, r: Resolved, known_by: date) -> Statement:
    cash = r.cash
    end = r.drivers.tga[-1]
    if cash is None:
        return Statement("tga", Text(
            f"TGA from {_bn(s0.tga)} by explicit weekly changes, to {_bn(end)}.",
            f"財務省一般口座は{_bn(s0.tga, 'ja')}から指定された週次変化で{_bn(end, 'ja')}へ。"))
    if cash.user:
        by = r.values.get("tga_by")
        return Statement("tga", Text(
            f"TGA from {_bn(s0.tga)} to {_bn(end)} by {fmt_date(by)} (user), then held.",
            f"財務省一般口座は{_bn(s0.tga, 'ja')}から{fmt_date(by, 'ja')}までに"
            f"{_bn(end, 'ja')}へ (利用者指定)、その後は据え置き。"))
    parts_en, parts_ja = [], []
    for a in cash.anchors:
        parts_en.append(f"{_bn(a.balance_bn)} at {fmt_date(a.quarter_end)} ({a.source})")
        parts_ja.append(f"{fmt_date(a.quarter_end, 'ja')}に{_bn(a.balance_bn, 'ja')}"
                        f" ({a.source})")
    if parts_en:
        en = ("TGA on the Treasury's own cash path, through its end-of-quarter assumptions "
              "known on " + fmt_date(known_by) + ": " + "; ".join(parts_en))
        ja = ("財務省一般口座は" + fmt_date(known_by, "ja") + "時点で公表済みの財務省の四半期末"
              "想定に沿って推移: " + "、".join(parts_ja))
        if cash.after_last is not None:
            en += f"; held after {fmt_date(cash.after_last)}"
            ja += f"。{fmt_date(cash.after_last, 'ja')}以降は据え置き"
    else:
        en = (f"TGA: no Treasury end-of-quarter assumption known on {fmt_date(known_by)} "
              f"covers the horizon; held at its start level, {_bn(s0.tga)}")
        ja = (f"財務省一般口座: {fmt_date(known_by, 'ja')}時点で期間をカバーする財務省の"
              f"四半期末想定がないため、開始時の{_bn(s0.tga, 'ja')}で据え置き")
    if cash.seasonal:
        en += "; the seasonal pattern of tax dates is included"
        ja += "。納税日の季節パターンを含みます"
    h = cash.hold
    if h is not None:
        if h.held_until is None:
            en += (f". Debt limit binding from {fmt_date(h.period.binding_from)} with no "
                   f"resolution announced by {fmt_date(known_by)}: the TGA cannot rise above "
                   f"{_bn(h.level_bn)} for the rest of the horizon")
            ja += (f"。{fmt_date(h.period.binding_from, 'ja')}から債務上限に抵触しており、"
                   f"{fmt_date(known_by, 'ja')}までに解決が公表されていないため、財務省一般口座"
                   f"は期間中{_bn(h.level_bn, 'ja')}を上回りません")
        else:
            kind = "assumed" if h.resolution_assumed else "announced"
            kind_ja = "仮定" if h.resolution_assumed else "公表済み"
            en += (f". Debt limit binding from {fmt_date(h.period.binding_from)}: the TGA is "
                   f"held at or below {_bn(h.level_bn)} until the {kind} resolution on "
                   f"{fmt_date(h.held_until)}, then rebuilt")
            ja += (f"。{fmt_date(h.period.binding_from, 'ja')}から債務上限に抵触: "
                   f"{fmt_date(h.held_until, 'ja')}の解決 ({kind_ja}) まで財務省一般口座は"
                   f"{_bn(h.level_bn, 'ja')}以下にとどまり、その後積み上がります")
    return Statement("tga", Text(en + ".", ja + "。"))


def _rrp(s0: StartState, r: Resolved) -> Statement:
    d = r.drivers
    if d.rrp_path is not None:
        return Statement("on_rrp", Text(
            f"ON RRP from {_bn(s0.on_rrp)} by explicit weekly changes.",
            f"翌日物リバースレポは{_bn(s0.on_rrp, 'ja')}から指定された週次変化で推移。"))
    if s0.on_rrp <= d.rrp_floor + 50.0:
        return Statement("on_rrp", Text(
            f"ON RRP ({_bn(s0.on_rrp)}) is at its floor: drains fall on reserves.",
            f"翌日物リバースレポ ({_bn(s0.on_rrp, 'ja')}) は下限にあり、資金の流出は準備預金の"
            "減少になります。"))
    return Statement("on_rrp", Text(
        f"ON RRP ({_bn(s0.on_rrp)}) funds {d.rrp_share:.0%} of the net drains while above "
        f"its floor of {_bn(d.rrp_floor)} (money funds buy the bills), adjusting over weeks; "
        f"its recent unexplained trend, {_weekly(d.rrp_drift)}, fades with a 4-week half-life.",
        f"翌日物リバースレポ ({_bn(s0.on_rrp, 'ja')}) は下限{_bn(d.rrp_floor, 'ja')}を上回る間、"
        f"資金流出の{d.rrp_share:.0%}を吸収します (MMFが短期国債に移る)。数週間かけて調整し、"
        f"最近の説明できない動き ({_weekly(d.rrp_drift, 'ja')}) は半減期4週で消えます。"))


def _other(r: Resolved) -> list[Statement]:
    d = r.drivers
    out = [Statement("currency", Text(
        f"Currency in circulation grows {d.currency_growth_pct:.1f}% a year "
        f"({_said(r, 'currency_growth_pct', 'en')}).",
        f"流通現金は年{d.currency_growth_pct:.1f}%増加 "
        f"({_said(r, 'currency_growth_pct', 'ja')})。"))]
    for p in r.programs:
        how = (Text("estimated: other assets above their trend before the programme opened",
                    "推計: 制度開始前のトレンドを上回るその他資産") if p.estimated else
               Text(f"H.4.1 {p.program.series_id}", f"H.4.1 {p.program.series_id}"))
        out.append(Statement("lending", Text(
            f"{p.program.program}: {_bn(p.balance_bn)} outstanding at the start ({how.en}), "
            f"held until new loans end on {fmt_date(p.program.new_loans_until)}, then running "
            f"off to zero by {fmt_date(p.ends)} ({p.program.source}).",
            f"{p.program.program}: 開始時残高{_bn(p.balance_bn, 'ja')} ({how.ja})。"
            f"{fmt_date(p.program.new_loans_until, 'ja')}の新規貸出終了まで維持し、"
            f"{fmt_date(p.ends, 'ja')}までにゼロへ減少 ({p.program.source})。")))
    moves = (Text("held at their start level", "開始時の水準で据え置き")
             if d.other_assets_trend == 0 else
             Text(f"move {_weekly(d.other_assets_trend)}", f"{_weekly(d.other_assets_trend, 'ja')}"
                  "変化"))
    out.append(Statement("other", Text(
        f"Other assets {moves.en} ({_said(r, 'other_assets_trend', 'en')}); other liabilities "
        f"and capital revert to {_bn(d.other_level)}, then move {_weekly(d.other_trend)} "
        f"(fading); SRF / repo {_bn(d.srf)}.",
        f"その他資産は{moves.ja} ({_said(r, 'other_assets_trend', 'ja')})。その他負債・資本は"
        f"{_bn(d.other_level, 'ja')}に戻った後 {_weekly(d.other_trend, 'ja')}変化 (減衰)。"
        f"常設レポファシリティ等は{_bn(d.srf, 'ja')}。")))
    return out


def statements(s0: StartState, r: Resolved, dates: pd.DatetimeIndex, known_by: date,
               ann: Announcements, preset: Text) -> tuple[Statement, ...]:
    """What a projection assumes, as stated on its run day (``known_by``); ``ann`` holds the
    announcements known then."""
    head = Statement("preset", preset)
    return (head, *_policy(r, dates, known_by, ann), _tga(s0, r, known_by), _rrp(s0, r),
            *_other(r))
