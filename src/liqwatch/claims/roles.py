"""The role of each number in a sentence, and the claim dict it gives.

:func:`role` tries, in order: the two rates of a range ("the target range of 3.75%-4.00%"),
"from A to B" (a level at each end and the change between them), a spread against a named
rate ("22 bp above the SRF rate", 「IORBを32bp上回った」), a ratio ("9.6% of GDP"), the level
of a named rate written next to it ("the SRF rate of 4.00%"), a reference level ("the $3tn
mark": nothing), a change ("fell $85bn", 「前週比300億ドル減少」) and otherwise a level of the
sentence's subject: a mean when its words average, an extremum when they state the window
("the lowest since early 2021"). :func:`index_levels` reads plain numbers of index series.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pandas as pd

from liqwatch.calendar import BDAY
from liqwatch.claims.dates import DateSpan
from liqwatch.claims.hedges import find_hedge, significant_half_unit
from liqwatch.claims.lexicon import CONCEPTS as CONCEPTS_BY_KEY
from liqwatch.claims.lexicon import Concept, Mention, basis_series
from liqwatch.claims.sentence import (
    NUMBER_WORDS,
    Sentence,
    Skip,
    Subject,
    before_period,
    clause_of,
    date_of,
    family_of,
    fits,
    in_non_claim,
    is_daily,
    is_from,
    is_weekly,
    lookback_start,
    masked_amounts,
    mention_at,
    mention_before,
    own_date,
    own_dates,
    period_of,
    since_date,
    since_dates,
    subject_of,
    unit_of,
    words_around,
)
from liqwatch.claims.units import UNITS, Amount

__all__ = ["index_levels", "role"]




_MEAN = re.compile(r"averag|平均|\bmean\b", re.I)
_MAX = re.compile(r"\bpeak|\bhighs?\b|highest|record|\bmaximum|\btopped out|all[- ]time|"
                  r"最高|ピーク|最大|高値|高水準", re.I)
_MIN = re.compile(r"\btrough|\blows?\b|lowest|\bminimum|bottomed|最低|最小|安値|低水準|底", re.I)
_STRONG_EXTREMUM = re.compile(r"highest|lowest|\bpeak|\bhigh of|\blow of|\btrough|最高|最低|"
                              r"ピーク|高値|安値|\bhigh for|\blow for", re.I)
_IN_N = re.compile(r"(?:highest|lowest|high|low)\s+(?:level\s+)?in\s+(\d+|one|two|three|four|five|"
                   r"six|seven|eight|nine|ten|twelve)\s+(day|week|month|year)s?", re.I)
_RECORD = re.compile(r"\brecord\b|all[- ]time|\bever\b|on record|過去最高|過去最低|史上|"
                     r"最高を更新|最低を更新|\bpeak(?:ed|s)?\b|ピーク", re.I)
_YTD = re.compile(r"year[- ]to[- ]date|this year|for the year|the year's|so far this year|"
                  r"年初来|今年", re.I)
_N_BACK = re.compile(r"(\d+|one|two|three|six|twelve)[-\s](day|week|month|year)[-\s]"
                     r"(?:high|low)|(\d+)\s*(日|週間|カ月|か月|ヶ月|ヵ月|年)ぶり(?:の)?"
                     r"(?:高|低|最高|最低)", re.I)
_DOWN = re.compile(
    r"\b(?:fell|fall|falls|decreas\w*|dropp?\w*|declin\w*|down|lost|shr[ai]nk\w*|"
    r"plung\w*|slid|slipped|drain\w*|tumbl\w*|lower|sank|shed|collaps\w*|contract\w*|"
    r"narrow\w*|eased)\b|減|低下|下落|縮小|急落|落ち|目減り",
    re.I,
)
_EN_BY = re.compile(
    r"(?:\bby|\b(?:rise|increase|jump|drop|decline|fall|gain|loss|decrease|drain|"
    r"change|swing|move|climb|surge|plunge|contraction|expansion)\s+of|"
    r"\b(?:up|down|rose|fell|jumped|climbed|dropped|declined|gained|"
    r"lost|added|shed|increased|decreased|widened|narrowed|surged|plunged|slipped|soared|"
    r"tumbled|sank|grew|shrank|drained|eased|firmed|rallied|slid))\s*"
    r"(?:about|around|roughly|some|nearly|almost|more than|less than|over|under|another|"
    r"a further|just over|just under|an additional)?\s*[$＄]?\s*$",
    re.I,
)
_JA_CHANGE_AFTER = re.compile(
    r"^\s*(?:の|も|ほど|程度|近く|超|強|弱|前後)?\s*(?:の)?\s*(?:増加|減少|上昇|低下|拡大|縮小|下落|"
    r"急増|急減|急騰|急落|増|減|伸び|縮み|落ち込|目減り|積み増|取り崩)"
)
_JA_CHANGE_BEFORE = re.compile(r"(?:前週比|前月比|前年比|前日比|前年同期比|前年同月比|"
                               r"週間で|比で|から|と比べ(?:て)?|に比べ(?:て)?)\s*(?:で|約|およそ)?"
                               r"\s*[+＋-]?\s*$")
_EN_CHANGE_AFTER = re.compile(
    r"^\s*(?:higher|lower|more|less|above|below|up|down|over|under)\s+"
    r"(?:than\s+|from\s+|on\s+|versus\s+|vs\.?\s+)?(?:(?:its|the)\s+level\s+(?:of\s+|on\s+|in\s+|at\s+)?)?"
    r"(?:(?:on|in|at|of)\s+)?$",
    re.I,
)
_WOW = re.compile(
    r"week[- ]on[- ]week|w/w|over the (?:past |last )?week|in the (?:latest |past )?week"
    r"(?: to| ended| ending| through)?|during the week|前週比|週間で|1週間で", re.I)
_MOM = re.compile(r"month[- ]on[- ]month|m/m|over the (?:past |last )?month|前月比|1か月で|"
                  r"1カ月で|1ヶ月で", re.I)
_YOY = re.compile(r"year[- ]on[- ]year|y/y|over the (?:past |last )?year|from a year (?:earlier|"
                  r"ago)|前年比|前年同期比|前年同月比|1年で", re.I)
_DOD = re.compile(r"on the day|day[- ]on[- ]day|d/d|overnight|前日比|1日で", re.I)
_REF_AFTER = re.compile(
    r"^\s*(?:mark|threshold|line|barrier|handle|level mark|floor|ceiling|cap|milestone)\b"
    r"|^\s*(?:の|という)?\s*(?:大台|節目|目安|水準の大台)",
    re.I,
)
_REF_BEFORE = re.compile(
    r"(?:threshold|mark|milestone|barrier)\s+(?:of|at)\s*[$＄]?\s*$|(?:大台|節目|目安|基準)\s*"
    r"(?:の|である|は)?\s*$",
    re.I,
)
_DECISION = re.compile(r"\b(?:cut|cuts|hike|hikes|hiked|raised|lowered|lowering|raising|"
                       r"decided|decision|FOMC|emergency move|move)\b|利下げ|利上げ|引き下げ|"
                       r"引き上げ|決め|決定|FOMC", re.I)
_RATE_MOVE = re.compile(r"\b(?:cut|cuts|hike|hikes|hiked|rate move|move|easing|tightening)\b|"
                        r"利下げ|利上げ", re.I)
_WEEK_AVERAGE = re.compile(r"week(?:ly)?[- ]average|averaged over the week|週平均", re.I)
_WEDNESDAY = re.compile(r"wednesday level|on wednesday|as of wednesday|wednesday's level|"
                        r"水曜時点|水曜日時点|水曜日の残高|水曜の残高", re.I)
# spreads: after the number ("22 bp above the SRF rate", "5 bp through IORB")
_SPREAD_AFTER = re.compile(
    r"^\s*[,)）]?\s*(?:(?P<cmp>higher|lower|more|less|wider|tighter|richer|cheaper)\s+)?"
    r"(?P<rel>above|below|over|under|beneath|than|through|on top of)\s+",
    re.I,
)
_SPREAD_VERB_BEFORE = re.compile(
    r"(?P<verb>exceed(?:ed|s|ing)?|topped|tops|beat|outpaced|trail(?:ed|s)?|lag(?:ged|s)?|"
    r"was above|was below|sat above|sat below|traded above|traded below)\s+(?:the\s+)?$", re.I)
_BY_BEFORE = re.compile(r"\bby\s+(?:about|around|roughly|some|nearly|almost|more than|"
                        r"less than)?\s*[$＄]?\s*$", re.I)
_SPREAD_NOUN = re.compile(r"(?:spread|gap|premium|discount)\s+(?:to|over|versus|vs\.?|against|"
                          r"relative to|with|above|below)\s+(?:the\s+)?$", re.I)
_JA_SPREAD_BEFORE = re.compile(r"(?:の#|[（(]#[）)]|[（(][^）)#]{0,12}[、,]\s*#\s*[）)])?\s*"
                               r"(?:を|より|"
                               r"に比べ(?:て)?|と比べ(?:て)?|"
                               r"に対して|"
                               r"対比で?|比で?)\s*(?:約|およそ|ほぼ)?\s*$")
_JA_SPREAD_AFTER = re.compile(r"^\s*(?:ほど|程度|前後|近く|強|弱)?\s*(?:も)?\s*(?:の)?\s*"
                              r"(?P<rel>上回|下回|高|低|上乗せ|上振れ|下振れ|超え|上|下)")
_JA_GAP = re.compile(r"(?:との|の)(?:差|スプレッド|乖離|格差|金利差)(?:は|が|を|も)?\s*"
                     r"(?:約|およそ)?\s*$")
_EN_GAP = re.compile(r"(?:spread|gap|difference)\s+between\s+(?:the\s+)?$", re.I)
_PREMIUM_AFTER = re.compile(r"^\s*(?P<kind>premium|spread|discount|gap)\s+(?:to|over|above|"
                            r"below|versus|vs\.?|against)\s+", re.I)
# ratios: "9.6% of GDP", 「GDP比6.5%」
_RATIO_AFTER = re.compile(r"^\s*of\s+(?:the\s+)?(?:U\.S\.\s+|US\s+|nominal\s+|total\s+)?", re.I)
_JA_RATIO_BEFORE = re.compile(r"^\s*(?:比|の|に対する比率は|に占める割合は|比で|比率は|比率が|"
                              r"に対して)\s*(?:約|およそ|ほぼ)?\s*$")
# a named rate's own level: "the SRF rate of 4.00%", "IORB (3.90%)", 「上限の4.00%」
_ATTACH_AFTER_NAME = re.compile(r"^\s*(?:rate\s+)?(?:of|at|was|is|stood at|sits at|set at|"
                                r"=|:|\(|（|の|は|が|、|,)?\s*(?:about|around|roughly|約)?"
                                r"\s*[$＄]?\s*$", re.I)
_ATTACH_BEFORE_NAME = re.compile(r"^\s*$")
_RANGE_SEP = re.compile(r"^\s*%?\s*(?:-|–|—|〜|～|~|to|から)\s*$", re.I)
_HEDGE_WORDS = (r"(?:about|around|roughly|some|nearly|almost|more than|less than|over|under|"
                r"just over|just under|close to|approximately)\s+")
_FROM_BEFORE = re.compile(r"\bfrom\s+(?:" + _HEDGE_WORDS + r"|an?\s+(?:[\w-]+\s+){0,3}(?:of|at)"
                          r"\s+|its\s+(?:[\w-]+\s+){0,3}(?:of|at)\s+|the\s+(?:[\w-]+\s+){0,3}"
                          r"(?:of|at)\s+)?\s*[$＄]?\s*$", re.I)
_TO_BEFORE = re.compile(r"\b(?:to|at)\s+(?:" + _HEDGE_WORDS + r"|an?\s+(?:[\w-]+\s+){0,3}"
                        r"(?:of\s+)?|(?:a\s+)?(?:fresh|new|record)\s+(?:[\w-]+\s+){0,2}(?:of\s+)?)?"
                        r"\s*[$＄]?\s*$", re.I)
_JA_FROM_AFTER = re.compile(r"^\s*(?:程度|前後|ほど|近く)?\s*から")
_JA_TO_AFTER = re.compile(r"^\s*(?:程度|前後|ほど|近く)?\s*(?:に|へ|まで|と)")
def _base(sc: Sentence, a: Amount, value: float | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "quote": sc.text,
        "value": a.value if value is None else value,
        "unit": a.unit,
        "precision": a.half_unit,
        "auto": True,
    }
    hedge = find_hedge(sc.text, a.start, a.end)
    if hedge is not None:
        out["hedge"] = hedge
    return out


def _half_width(a: Amount, hedge: str | None) -> float:
    if hedge in ("about", "nearly", "just_over"):
        return max(significant_half_unit(a.value, a.half_unit), 0.05 * abs(a.value))
    return a.half_unit


_UP_WORDS = re.compile(r"\b(?:rose|rise|rises|up|increas\w*|jump\w*|climb\w*|gain\w*|added|grew|"
                       r"higher|raised|raising|hik\w*|surg\w*|soar\w*|widen\w*|rebuil\w*|"
                       r"firm\w*)\b|増|上昇|拡大|回復|積み上が|急騰|上振れ|引き上げ|利上げ", re.I)
_DOWN_WORDS = re.compile(_DOWN.pattern + r"|\bcut\b|\bcuts\b|\blowered\b|\blowering\b|"
                         r"引き下げ|利下げ", re.I)


def _direction(sc: Sentence, a: Amount) -> float:
    """+1 or -1: the direction word nearest the number (a Japanese verb after it first)."""
    s = sc.text
    after = s[a.end : a.end + 12]
    up_a, down_a = _UP_WORDS.search(after), _DOWN_WORDS.search(after)
    if re.match(r"^\s*(?:lower|less|below|down|under)\b", after, re.I):
        return -1.0
    if up_a or down_a:
        first = min((m for m in (up_a, down_a) if m), key=lambda m: m.start())
        return -1.0 if first is down_a else 1.0
    lo, _hi = clause_of(sc, a.start)
    before = s[max(lo, a.start - 90) : a.start]
    ups = [m.end() for m in _UP_WORDS.finditer(before)]
    downs = [m.end() for m in _DOWN_WORDS.finditer(before)]
    if not ups and not downs:
        return 1.0
    return -1.0 if max(downs, default=-1) > max(ups, default=-1) else 1.0


def _level_dict(sc: Sentence, a: Amount, subject: Subject, d: DateSpan,
                series: str | None = None) -> dict[str, Any]:
    base = _base(sc, a)
    key = series or _basis(sc, subject.concept, a)
    if subject.concept.reference and d.is_day and _DECISION.search(sc.text):
        # a rate set at a meeting applies from the next business day
        nxt = (pd.Timestamp(d.start) + BDAY).date()
        d = DateSpan(nxt, nxt, "day", text=d.text, pos=d.pos)
    if d.average:
        return base | {"kind": "mean", "series": key, "start": d.start, "end": d.end}
    if d.kind in ("year", "quarter"):
        raise Skip(f"the date of {a.text} is too vague ({d.text})",
                   f"{a.text} の日付が曖昧です ({d.text})")
    if d.is_day:
        return base | {"kind": "level", "series": key, "date": d.start}
    return base | {"kind": "level", "series": key, "date": d.mid, "window": [d.start, d.end]}


def _basis(sc: Sentence, c: Concept, a: Amount | None = None) -> str:
    """The concept, or the series of the publication basis written with the number (an H.4.1
    item's week average or Wednesday level)."""
    text = words_around(sc, a) if a is not None else sc.text
    if _WEEK_AVERAGE.search(text):
        sid = basis_series(c, "week_average")
        if sid is not None:
            return sid
    if _WEDNESDAY.search(text):
        sid = basis_series(c, "wednesday")
        if sid is not None:
            return sid
    return c.key


def role(sc: Sentence, i: int) -> list[dict[str, Any]]:
    """The claim dicts of number ``i`` (the first role that fits; see the module docstring).

    Raises
    ------
    Skip
        When the number cannot be drafted (the reason says why).
    """
    a = sc.amounts[i]
    if a.unit is None:
        sc.used.add(i)
        return []
    for finder in (_range_pair, _from_to, _spread, _ratio, _named_rate_level):
        made = finder(sc, i)
        if made is not None:
            return made
    if _is_reference(sc, a):
        sc.used.add(i)
        return []
    if _is_change(sc, a):
        sc.used.add(i)
        return [_change(sc, a)]
    sc.used.add(i)
    return [_level(sc, i)]


def _is_reference(sc: Sentence, a: Amount) -> bool:
    """A reference level ("the $3tn mark", 「3兆ドルの大台」), not a claimed value."""
    s = sc.text
    return bool(_REF_AFTER.search(s[a.end : a.end + 24])
                or _REF_BEFORE.search(s[max(0, a.start - 24) : a.start]))


def _range_pair(sc: Sentence, i: int) -> list[dict[str, Any]] | None:
    """"the target range of 3.75%-4.00%", 「誘導目標レンジは3.75〜4.00%」: bottom and top."""
    a = sc.amounts[i]
    if a.unit not in ("percent", None):
        return None
    ranged = [m for m in sc.mentions if m.concept.range is not None
              and abs(m.end - a.start) <= 30]
    if not ranged:
        return None
    m = ranged[0]
    assert m.concept.range is not None
    # the bottom is a number before the top: "3.75%-4.00%" or "3.75-4.00%" (a bare number)
    lows = [(v, s, e, raw) for v, s, e, raw in sc.bare if e <= a.start
            and _RANGE_SEP.match(sc.text[e : a.start])]
    prev = [b for b in sc.amounts[:i] if _RANGE_SEP.match(sc.text[b.end : a.start])]
    nxt = [b for b in sc.amounts[i + 1 :] if _RANGE_SEP.match(sc.text[a.end : b.start])]
    d = date_of(sc, a.start, a.end)
    if d is None:
        raise Skip(f"no date for {a.text}", f"{a.text} の日付がありません")
    bottom, top = m.concept.range
    if nxt:
        b = nxt[0]
        sc.used.update({i, sc.amounts.index(b)})
        return [_named(sc, a, bottom, d), _named(sc, b, top, d)]
    if prev:
        return None  # the pair is drafted from its first number
    if lows:
        v, s, e, raw = lows[0]
        low = Amount(v, "percent", a.half_unit, raw, s, e)
        sc.used.add(i)
        return [_named(sc, low, bottom, d), _named(sc, a, top, d)]
    return None


def _named(sc: Sentence, a: Amount, series: str, d: DateSpan) -> dict[str, Any]:
    c = next((x for x in CONCEPTS_BY_KEY.values() if x.series == series and x.reference
              and x.range is None), Concept(series, series, ()))
    return _level_dict(sc, a, Subject(c, "", -1), d, series)


def _from_to(sc: Sentence, i: int) -> list[dict[str, Any]] | None:
    """"fell from $3.2tn to $2.9tn", "rose to 4.31% from 4.27%", 「AからBに減少」: a level at
    each end and the change between them."""
    a = sc.amounts[i]
    s = sc.text
    fam = UNITS[a.unit].family if a.unit else None
    later = [(j, b) for j, b in enumerate(sc.amounts) if j > i and j not in sc.used
             and b.unit is not None and UNITS[b.unit].family == fam]
    if not later:
        return None
    j, b = later[0]
    if _is_change(sc, a) or _is_change(sc, b):
        return None  # "down $85bn from a week earlier at $2.85tn": a change and a level
    between = masked_amounts(sc, s[a.end : b.start], a.end)
    if "#" in between or re.search(r"[;；。]", between):
        return None
    en_from = _FROM_BEFORE.search(s[max(0, a.start - 40) : a.start])
    en_to = _TO_BEFORE.search(s[max(0, b.start - 40) : b.start])
    ja_from = _JA_FROM_AFTER.match(s[a.end : a.end + 6])
    ja_to = _JA_TO_AFTER.match(s[b.end : b.end + 4])
    ja_rev = (_JA_TO_AFTER.match(s[a.end : a.end + 4])
              and _JA_FROM_AFTER.match(s[b.end : b.end + 6])
              and _JA_CHANGE_AFTER.search(re.sub(r"^\s*(?:程度|前後|ほど|近く)?\s*から", "",
                                                 s[b.end : b.end + 12])))
    en_rev_from = _FROM_BEFORE.search(s[max(0, b.start - 40) : b.start])
    if (en_from and en_to) or (ja_from and ja_to):
        first, last = a, b
    elif (en_rev_from and len(between) < 64 and not re.search(r"\bto\b", between[:-6], re.I)
          ) or ja_rev:
        # "rose to 4.31% from 4.27%", "$51.8bn, down from $400bn", 「Bと、前日のAから急増」
        first, last = b, a
    else:
        return None
    subject = subject_of(sc, a, a.start)
    d_first = own_date(sc, first)
    d_last = own_date(sc, last, exclude=d_first)
    if d_first is None and d_last is None:
        span = _two_days(sc, last)
        if span is not None:  # "from 4.04% to 4.22% between October 30 and October 31"
            d_first, d_last = span
    if d_last is None:
        d_last = date_of(sc, last.start, last.end, skip={d_first.pos} if d_first else None)
    if d_last is None:
        raise Skip(f"no date for {last.text}", f"{last.text} の日付がありません")
    if d_first is None or (d_first.pos == d_last.pos and d_first is not sc.carried):
        d_first = _previous(sc, subject.concept, d_last)
        if d_first is None:
            return None
    sc.used.update({i, j})
    if d_first is not sc.carried and d_first in sc.dates:
        sc.date_roles.add(d_first.pos)
    lv_first = _level_dict(sc, first, subject, d_first)
    lv_last = _level_dict(sc, last, subject, d_last)
    lv_last = _with_extremum(sc, last, d_last, lv_last)
    out = [lv_first, lv_last] if first is a else [lv_last, lv_first]  # in the text's order
    change = _implied_change(sc, first, last, lv_first, lv_last)
    return out if change is None else [*out, change]


#: The bound a change gets from hedged ends: (hedge of A, hedge of B) -> hedge of B - A.
_CHANGE_BOUND = {("over", None): "under", ("under", None): "over", (None, "over"): "over",
                 (None, "under"): "under", ("over", "under"): "under",
                 ("under", "over"): "over"}


def _implied_change(sc: Sentence, first: Amount, last: Amount, lv_first: dict[str, Any],
                    lv_last: dict[str, Any]) -> dict[str, Any] | None:
    """B - A between the two dated levels of "from A to B" (a bound when an end is one)."""
    if lv_first["kind"] != "level" or lv_last["kind"] not in ("level", "max", "min"):
        return None  # a fuzzy end ("2024年末", "in November") is read at its middle day
    assert first.unit is not None and last.unit is not None
    h1, h2 = lv_first.get("hedge"), lv_last.get("hedge")
    bounds = ("over", "under", "band")
    out: dict[str, Any] = {
        "quote": sc.text, "kind": "change", "series": lv_last["series"],
        "start": lv_first["date"], "end": lv_last.get("date") or lv_last.get("at"),
        "value": round(last.value - first.value * _scale(first, last), 10),
        "unit": last.unit, "auto": True,
    }
    if out["end"] is None:
        return None
    if h1 in bounds or h2 in bounds:
        key = (h1 if h1 in bounds else None, h2 if h2 in bounds else None)
        if key not in _CHANGE_BOUND:
            return None
        out["hedge"] = _CHANGE_BOUND[key]
    else:
        out["tolerance"] = _half_width(first, h1) * _scale(first, last) + _half_width(last, h2)
    if last.unit == "percent":
        out["mode"] = "absolute"
    return out


def _with_extremum(sc: Sentence, a: Amount, d: DateSpan, row: dict[str, Any]
                   ) -> dict[str, Any]:
    """"jumped to a record $50.35bn": the level is also the high of the stated window."""
    if row["kind"] != "level" or "window" in row:
        return row
    near = sc.text[max(0, a.start - 28) : a.end + 40]
    ext = _extremum(sc, near, d)
    if ext is None:
        return row
    kind, start, end, at = ext
    out = {k: v for k, v in row.items() if k not in ("date", "kind")}
    out.update(kind=kind, end=end)
    if start is not None:
        out["start"] = start
    if at is not None:
        out["at"] = at
    return out


def _two_days(sc: Sentence, after: Amount) -> tuple[DateSpan, DateSpan] | None:
    """"between D1 and D2" / "from D1 to D2" written after the numbers of a "from A to B"."""
    days = [d for d in sc.dates if d.is_day and d.pos >= after.end]
    if len(days) >= 2 and re.match(r"^\s*(?:and|to|through|-|–|〜|から)\s*$",
                                    sc.text[days[0].pos + len(days[0].text) : days[1].pos], re.I):
        return days[0], days[1]
    return None


def _scale(first: Amount, last: Amount) -> float:
    """``first`` expressed in the unit of ``last`` (both US-dollar or both rate units)."""
    assert first.unit is not None and last.unit is not None
    return UNITS[first.unit].scale / UNITS[last.unit].scale


def _previous(sc: Sentence, c: Concept, d: DateSpan) -> DateSpan | None:
    """The observation before ``d``: the business day before for a daily series, the week
    before for a weekly one (a "from A" with no date of its own)."""
    if not d.is_day:
        return None
    if is_daily(c):
        day = (pd.Timestamp(d.start) - BDAY).date()
    elif is_weekly(c):
        day = d.start - timedelta(days=7)
    else:
        return None
    return DateSpan(day, day, "day", text="", pos=-1)


def _spread(sc: Sentence, i: int) -> list[dict[str, Any]] | None:
    a = sc.amounts[i]
    if a.unit is None or UNITS[a.unit].family != "rate":
        return None
    s = sc.text
    target: Mention | None = None
    sign = 1.0
    subject_key: str | None = None
    hit = _SPREAD_AFTER.match(s[a.end : a.end + 40])
    premium = _PREMIUM_AFTER.match(s[a.end : a.end + 40])
    if premium is not None:  # "a 22 bp premium to the SRF rate", "a 5 bp discount to IORB"
        target = mention_at(sc, a.end + premium.end())
        sign = -1.0 if premium.group("kind").lower() == "discount" else 1.0
    if hit and target is None:
        target = mention_at(sc, a.end + hit.end())
        rel = hit.group("rel").lower()
        cmp = (hit.group("cmp") or "").lower()
        if rel == "than":
            sign = -1.0 if cmp in ("lower", "less", "tighter", "richer") else 1.0
        elif rel == "through":  # through the top: above it; through the floor: below it
            sign = -1.0 if target is not None and target.concept.series in (
                "DFEDTARL", "ref:on_rrp_rate") else 1.0
        else:
            sign = -1.0 if rel in ("below", "under", "beneath") else 1.0
    if target is None:
        pair = _named_pair(sc, a)
        if pair is not None:  # "SOFR-IORB was +8 bp", "SOFR minus IORB at 8 bp"
            subject_key, target = pair[0].concept.key, pair[1]
    if target is None:
        by = _BY_BEFORE.search(s[max(0, a.start - 24) : a.start])
        if by is not None:
            found = mention_before(sc, a.start - len(by.group(0)), re.compile(r"^\s*$"))
            if found is not None:
                m = found[0]
                verb = _SPREAD_VERB_BEFORE.search(s[max(0, m.start - 30) : m.start])
                if verb is not None:
                    target = m
                    sign = -1.0 if re.search(r"trail|lag|below", verb.group("verb"), re.I) else 1.0
    if target is None:
        found = mention_before(sc, a.start, re.compile(r"^\s*(?:was|of|at|stood at|is|widened "
                                                        r"to|narrowed to|:|,)?\s*$", re.I))
        if found is not None and _SPREAD_NOUN.search(s[max(0, found[0].start - 30) :
                                                         found[0].start]):
            target = found[0]
    if target is None:
        found = mention_before(sc, a.start, _JA_SPREAD_BEFORE)
        after = _JA_SPREAD_AFTER.match(s[a.end : a.end + 10])
        if found is not None and after is not None:
            target = found[0]
            sign = -1.0 if after.group("rel") in ("下回", "低", "下", "下振れ") else 1.0
    if target is None:
        found = mention_before(sc, a.start, _JA_GAP)
        if found is not None:
            target = found[0]
            joined = [m for m in sc.mentions if m.end <= target.start
                      and re.match(r"^\s*と\s*$", s[m.end : target.start])]
            if joined:  # 「SOFRとIORBの差は8bp」
                subject_key = joined[-1].concept.key
    if target is None:
        pair = _spread_between(sc, a)
        if pair is not None:  # "the spread between SOFR and IORB was 32 bp"
            subject_key, target = pair[0].concept.key, pair[1]
    if target is None:
        return None
    if target.concept.range is not None:
        return None  # "above the target range": not one rate
    if family_of(target.concept) != "rate":
        return None
    sc.consumed.add(target.start)
    if subject_key is not None:
        subject_c = next(m.concept for m in sc.mentions if m.concept.key == subject_key)
    else:
        subject_c = subject_of(sc, None, a.start, exclude={target.concept.key},
                             family="rate").concept
    if family_of(subject_c) != "rate":
        raise Skip(f"{a.text} is a spread, but {subject_c.key} is not a rate",
                   f"{a.text} はスプレッドですが {subject_c.key} は金利ではありません")
    sc.used.add(i)
    out = _base(sc, a, sign * a.value) | {"kind": "spread", "series": subject_c.key,
                                          "series_b": target.concept.key}
    low = _range_low(sc, a)
    if low is not None:  # "5-10 bp above IORB": anywhere in the range
        out["value"] = sign * (low + a.value) / 2
        out["tolerance"] = (a.value - low) / 2 + a.half_unit
    lookback = lookback_start(s, _end_day(sc, a) or date.min) if _MEAN.search(s) else None
    if _MEAN.search(s) and period_of(sc):
        p = period_of(sc)
        assert p is not None
        out.update(start=p[0], end=p[1])
        return [out]
    d = date_of(sc, a.start, a.end)
    if d is None:
        raise Skip(f"no date for {a.text}", f"{a.text} の日付がありません")
    if lookback is not None and d.is_day:
        out.update(start=lookback, end=d.start)
    elif d.is_day:
        out["date"] = d.start
    else:
        out.update(start=d.start, end=d.end)
    return [out]


def _spread_between(sc: Sentence, a: Amount) -> tuple[Mention, Mention] | None:
    """"the spread between SOFR and IORB was 32 bp": the two rates before the number."""
    for m in sc.mentions:
        if m.end > a.start or not _EN_GAP.search(sc.text[max(0, m.start - 30) : m.start]):
            continue
        rest = [x for x in sc.mentions if x.start > m.end and x.end <= a.start
                and re.match(r"^\s*and\s+(?:the\s+)?$", sc.text[m.end : x.start], re.I)]
        if rest and family_of(m.concept) == family_of(rest[0].concept) == "rate":
            return m, rest[0]
    return None


_PAIR_LINK = re.compile(r"^\s*(?:-|–|—|minus|over|versus|vs\.?|と)\s*$", re.I)
_PAIR_VERB = re.compile(r"^\s*(?:spread|gap|差|スプレッド)?\s*(?:was|is|at|stood at|of|"
                        r"widened to|narrowed to|rose to|fell to|came in at|:|,|は|が|で)?\s*"
                        r"(?:about|around|roughly|約)?\s*[+＋]?\s*$", re.I)


def _named_pair(sc: Sentence, a: Amount) -> tuple[Mention, Mention] | None:
    """"SOFR-IORB was +8 bp", 「SOFRとIORBのスプレッドは8bp」: the two rates of a spread."""
    for b in sorted(sc.mentions, key=lambda x: -x.end):
        if b.end > a.start or a.start - b.end > 24:
            continue
        gap = masked_amounts(sc, sc.text[b.end : a.start], b.end)
        if not _PAIR_VERB.match(gap):
            return None
        first = [m for m in sc.mentions if m.end <= b.start and _PAIR_LINK.match(
            sc.text[m.end : b.start])]
        if first and family_of(first[-1].concept) == family_of(b.concept) == "rate":
            return first[-1], b
        return None
    return None


def _range_low(sc: Sentence, a: Amount) -> float | None:
    """The first number of a range written "5-10 bp" / "5 to 10 bp" / 「5〜10bp」."""
    for v, _s, e, _raw in sc.bare:
        if (e <= a.start and 0 <= v < a.value
                and re.match(r"^\s*(?:-|–|—|〜|～|~|to)\s*$", sc.text[e : a.start], re.I)):
            return v
    return None


def _end_day(sc: Sentence, a: Amount) -> date | None:
    d = date_of(sc, a.start, a.end)
    return d.end if d is not None else None


def _ratio(sc: Sentence, i: int) -> list[dict[str, Any]] | None:
    a = sc.amounts[i]
    if a.unit != "percent":
        return None
    s = sc.text
    denom: Mention | None = None
    after = _RATIO_AFTER.match(s[a.end : a.end + 24])
    if after:
        denom = mention_at(sc, a.end + after.end())
    if denom is None:
        found = mention_before(sc, a.start, _JA_RATIO_BEFORE, limit=16)
        if found is not None and family_of(found[0].concept) == "usd":
            denom = found[0]
    if denom is None or family_of(denom.concept) != "usd":
        return None
    sc.consumed.add(denom.start)
    numer = subject_of(sc, None, a.start, exclude={denom.concept.key})
    if family_of(numer.concept) != "usd":
        raise Skip(f"{a.text} is a share of {denom.concept.key}, but {numer.concept.key} is not "
                   "an amount", f"{a.text} は {denom.concept.key} に対する比率ですが "
                   f"{numer.concept.key} は金額ではありません")
    d = date_of(sc, a.start, a.end)
    if d is None:
        raise Skip(f"no date for {a.text}", f"{a.text} の日付がありません")
    sc.used.add(i)
    return [_base(sc, a) | {"kind": "ratio", "series": numer.concept.key,
                            "series_b": denom.concept.key,
                            "date": d.start if d.is_day else d.end}]


def _named_rate_level(sc: Sentence, i: int) -> list[dict[str, Any]] | None:
    """The level of a rate written next to its name: "the SRF rate of 4.00%", "the 4.00% top
    of the range", "IORB (3.90%)", 「誘導目標上限の4.00%」."""
    a = sc.amounts[i]
    if a.unit is None or UNITS[a.unit].family != "rate" or a.unit == "bp":
        return None
    s = sc.text
    m: Mention | None = None
    found = mention_before(sc, a.start, _ATTACH_AFTER_NAME, limit=14)
    if found is not None and found[0].concept.reference:
        m = found[0]
    if m is None:
        nxt = mention_at(sc, a.end, limit=2)
        if nxt is not None and nxt.concept.reference and re.match(r"^\s*$", s[a.end : nxt.start]):
            m = nxt
    if m is None or m.concept.range is not None:
        return None
    if not [x for x in sc.mentions if not x.concept.reference]:
        return None  # the only series named: the sentence's subject, an ordinary level
    d = date_of(sc, a.start, a.end)
    if d is None:
        raise Skip(f"no date for {a.text}", f"{a.text} の日付がありません")
    sc.used.add(i)
    sc.consumed.add(m.start)
    return [_level_dict(sc, a, Subject(m.concept, m.text, m.start), d)]


_MOVE_AFTER = re.compile(r"^\s*(?:rate\s+)?(?:cut|hike|move|reduction|increase|decrease|easing|"
                         r"tightening|rise|drop|fall|jump|decline)\b|^\s*の?(?:利下げ|利上げ|引き下げ|"
                         r"引き上げ)", re.I)


def _is_change(sc: Sentence, a: Amount) -> bool:
    s = sc.text
    if a.unit in ("bp", "percent") and _MOVE_AFTER.match(s[a.end : a.end + 16]):
        return True  # "the 50 bp move", "a 25 bp cut", 「25bpの利下げ」
    if _EN_BY.search(s[max(0, a.start - 34) : a.start]):
        return True
    if _JA_CHANGE_AFTER.search(s[a.end : a.end + 8]):
        return True
    if _JA_CHANGE_BEFORE.search(s[max(0, a.start - 10) : a.start]) and not re.search(
            r"から\s*$", s[max(0, a.start - 4) : a.start]):
        return True
    after = s[a.end : a.end + 48]
    for d in sc.dates:
        if a.end <= d.pos <= a.end + 48 and _EN_CHANGE_AFTER.match(after[: d.pos - a.end]):
            return True  # "5 bp lower than a week earlier", "$40bn above its level in June"
    return False


def _change(sc: Sentence, a: Amount) -> dict[str, Any]:
    s = sc.text
    prev_end = max((b.end for b in sc.amounts if b.unit is not None and b.end <= a.start),
                   default=0)
    try:
        subject = subject_of(sc, a, a.start, percent_change=True, prev_end=prev_end)
    except Skip:
        policy = CONCEPTS_BY_KEY.get("target range top")
        if policy is None or a.unit not in ("bp", "percent") or not _RATE_MOVE.search(s):
            raise
        subject = Subject(policy, "", -1)  # "the 25 bp cut": the target range
    c = subject.concept
    assert a.unit is not None
    sign = _direction(sc, a)
    own = own_dates(sc).get(a.start)
    if own is not None and not own.is_day and since_date(sc, a) is None:
        # "last week's 25 bp cut", "rose $40bn in September": over that period
        return _base(sc, a, sign * a.value) | {
            "kind": "change", "series": _basis(sc, c, a),
            "start": before_period(c, own), "end": own.end} | _change_mode(sc, a, c)
    since = since_date(sc, a)
    start_value = _from_value_before(sc, a)
    if since is None and start_value is not None:
        # 「2022年4月のピーク約8.97兆ドルから約2.1兆ドル縮小」: from that number's date to the
        # sentence's later date, else the day the text was written
        d0 = own_dates(sc)[start_value.start]
        _lo, hi = clause_of(sc, a.start)
        later = [d for d in sc.dates if a.end < d.pos < hi and d.start > d0.end]
        end_day = later[0].end if later else sc.reference
        if end_day is not None:
            return _base(sc, a, sign * a.value) | {
                "kind": "change", "series": _basis(sc, c, a), "start": d0.end,
                "end": end_day} | _change_mode(sc, a, c)
    days = sorted({d.start for d in sc.dates if d.is_day and d is not since})
    if not days and sc.carried is not None and sc.carried.is_day:
        days = [sc.carried.start]
    if len(days) == 1 and since is None and len([d for d in sc.dates if d.is_day]) == 1 \
            and sc.carried is not None and sc.carried.is_day and sc.dates[0].start < \
            sc.carried.start and not sc.dates[0].text[:1].isdigit():
        days = [sc.dates[0].start, sc.carried.start]  # "up 5 bp from a week earlier"
    lookback = lookback_start(s, days[-1]) if days else None
    long = [d for d in sc.dates if not d.is_day]
    if since is not None and since.kind in ("year", "quarter"):
        raise Skip(f"{a.text}: a change from {since.text} needs the day it is counted from",
                   f"{a.text}: {since.text}からの変化には起点の日付が必要です")
    if since is not None:
        start = since.end if since.kind == "part" and re.search(
            r"end|late|末|下旬", since.text, re.I) else since.start
        end_day = days[-1] if days else sc.reference
        if end_day is None:
            raise Skip(
                f"a change since {since.text} needs an end date (a date in the sentence, "
                "or the day the text was written: --date)",
                f"{since.text}からの変化には終了日 (文中の日付、または執筆日の指定 --date) "
                "が必要です",
            )
        end = end_day
    elif lookback is not None:
        start, end = lookback, days[-1]
    elif len(days) >= 2:
        start, end = days[0], days[-1]
    elif days and c.reference and len(days) == 1:
        # a policy rate set on a day (an FOMC decision) moves the next business day
        start = days[0]
        end = (pd.Timestamp(start) + BDAY).date()
    elif days and (_WOW.search(s) or _MOM.search(s) or _YOY.search(s) or _DOD.search(s)
                   or is_daily(c) or is_weekly(c)):
        # one day: the change over the horizon stated, else over the series' own step (the
        # business day for a daily series, the week for an H.4.1 item)
        end = days[-1]
        if _WOW.search(s) or (is_weekly(c) and not (_MOM.search(s) or _YOY.search(s))):
            start = end - timedelta(days=7)
        elif _MOM.search(s):
            start = end - timedelta(days=30)
        elif _YOY.search(s):
            start = end - timedelta(days=365)
        else:
            start = (pd.Timestamp(end) - BDAY).date()
    elif long and not days:
        # "rose in September": from the observation before the period to its last one
        start, end = before_period(c, long[0]), long[0].end
    else:
        raise Skip(f"{a.text}: a change needs a start and an end date",
                   f"{a.text}: 変化には開始日と終了日が必要です")
    out = _base(sc, a, sign * a.value) | {"kind": "change", "series": _basis(sc, c, a),
                                          "start": start, "end": end} | _change_mode(sc, a, c)
    if not fits(c, a.unit) and out.get("mode") != "percent":
        raise Skip(f"{a.text} does not fit {c.key}", f"{a.text} は {c.key} の単位に合いません")
    return out


def _from_value_before(sc: Sentence, a: Amount) -> Amount | None:
    """A dated number the change at ``a`` is counted from, written just before it ("from its
    April peak of $8.97tn, down $2.1tn", 「8.97兆ドルから約2.1兆ドル縮小」)."""
    owners = own_dates(sc)
    for b in reversed([b for b in sc.amounts if b.unit is not None and b.end <= a.start]):
        if a.start - b.end > 12:
            return None
        same = b.unit is not None and a.unit is not None and (
            UNITS[b.unit].family == UNITS[a.unit].family)
        if b.start in owners and is_from(sc, b.start) and same:
            return b
        return None
    return None


def _change_mode(sc: Sentence, a: Amount, c: Concept) -> dict[str, Any]:
    """A change in percent: percentage points when written so, a percent change of an amount."""
    if a.unit != "percent":
        return {}
    if re.search(r"point|pp|ポイント", a.text + sc.text[a.end : a.end + 8], re.I):
        return {"mode": "absolute"}
    return {"mode": "percent"} if family_of(c) != "rate" else {}


_DIFFERENCE = re.compile(r"^\s*(?:below|above|under|over|short of|shy of|more than|less than|"
                         r"higher than|lower than)\s+(?:the|its|their|a|an)\b", re.I)


def _level(sc: Sentence, i: int) -> dict[str, Any]:
    a = sc.amounts[i]
    if _DIFFERENCE.match(sc.text[a.end : a.end + 24]):
        raise Skip(f"{a.text} is a difference from another level, not a level",
                   f"{a.text} は別の水準との差で、水準そのものではありません")
    prev_end = max((b.end for b in sc.amounts[:i] if b.unit is not None), default=0)
    subject = subject_of(sc, a, a.start, prev_end=prev_end)
    d = _paired_date(sc, i) or date_of(sc, a.start, a.end)
    if d is None:
        raise Skip(f"no date for {a.text}", f"{a.text} の日付がありません")
    local = words_around(sc, a)
    ext = _extremum(sc, local, d)
    if ext is not None:
        kind, start, end, at = ext
        out = _base(sc, a) | {"kind": kind, "series": _basis(sc, subject.concept, a),
                              "end": end}
        if start is not None:
            out["start"] = start
        if at is not None:
            out["at"] = at
        return out
    if _MEAN.search(local) and not d.average:
        end = d.end
        start = lookback_start(local, end)
        if start is None and _WOW.search(local):
            # "averaged X over the week (to D)": an H.4.1 item's week average is its own series
            week_average = basis_series(subject.concept, "week_average")
            if week_average is not None:
                return _level_dict(sc, a, subject, d, week_average)
            start = end - timedelta(days=6)
        if start is None and not d.is_day:
            start = d.start
        if start is not None:
            return _base(sc, a) | {"kind": "mean", "series": _basis(sc, subject.concept, a),
                                   "start": start, "end": end}
    return _level_dict(sc, a, subject, d)


def _paired_date(sc: Sentence, i: int) -> DateSpan | None:
    """"X on D1, Y on D2": as many numbers as days, in order."""
    nums = [a for a in sc.amounts if a.unit is not None]
    days = [d for d in sc.dates if d.is_day]
    if len(nums) > 1 and len(nums) == len(days) == len(sc.dates):
        k = [j for j, a in enumerate(nums) if a is sc.amounts[i]]
        return days[k[0]] if k else None
    return None


def _extremum(sc: Sentence, local: str, d: DateSpan) -> tuple[str, date | None, date,
                                                               date | None] | None:
    """``(max|min, start, end, at)`` when the clause states an extremum and its window:
    "since D", "an N-month high", "this year's", "a record"/"peaked" (all the data), or a
    period written in the sentence ("the low for the year ... in 2022")."""
    is_max, is_min = bool(_MAX.search(local)), bool(_MIN.search(local))
    if is_max == is_min:
        return None
    kind = "max" if is_max else "min"
    at = d.start if d.is_day else None
    end = d.end
    since = next((x for x in sc.dates if x.pos in since_dates(sc)), None)
    if since is not None and since is not d:
        return kind, since.end + timedelta(days=1), end, at
    n_back = _N_BACK.search(local) or _IN_N.search(local)
    if n_back is not None:
        groups = [g for g in n_back.groups() if g]
        n = NUMBER_WORDS.get(groups[0].lower()) or int(groups[0])
        unit = groups[1].lower()
        days = {"day": 1, "日": 1, "week": 7, "週間": 7, "month": 30, "カ月": 30, "か月": 30,
                "ヶ月": 30, "ヵ月": 30, "year": 365, "年": 365}[unit] * n
        return kind, end - timedelta(days=days), end, at
    if _YTD.search(local):
        return kind, date(end.year, 1, 1), end, at
    if not d.is_day and d.kind in ("year", "quarter", "month", "range") and _STRONG_EXTREMUM.search(
            local):
        return kind, d.start, d.end, None
    if _RECORD.search(local):
        return kind, None, end, at
    return None


def index_levels(sc: Sentence) -> list[dict[str, Any]]:
    """Levels of index series written as bare numbers ("the VIX closed at 20.5")."""
    out: list[dict[str, Any]] = []
    index_mentions = [m for m in sc.mentions if fits(m.concept, None)]
    if not index_mentions:
        return out
    for v, st, en, raw in sc.bare:
        if abs(v) < 2 or in_non_claim(sc, st):
            continue
        a = Amount(v, None, 0.5 if "." not in raw else 0.5 * 10 ** -len(raw.split(".")[1]),
                   raw, st, en)
        before = [m for m in index_mentions if m.end <= st] or index_mentions
        m = before[-1]
        d = date_of(sc, st, en)
        if d is None:
            sc.problems.append((f"no date for {raw}", f"{raw} の日付がありません"))
            continue
        try:
            row = _level_dict(sc, a, Subject(m.concept, m.text, m.start), d)
        except Skip as skip:
            sc.problems.append((skip.en, skip.ja))
            continue
        row["unit"] = unit_of(m.concept)
        out.append(row)
    return out


