"""A sentence being drafted, and how its parts relate: the series a number is about, the
date it belongs to, the words around it.

:class:`Sentence` holds what :mod:`~liqwatch.claims.extract` found in one sentence (names,
dates, numbers, clauses) and what its paragraph carries into it (the date and the series it
was about). The functions here answer the questions every role of a number asks
(:mod:`~liqwatch.claims.roles`): which series (:func:`subject_of`), which date
(:func:`date_of`: the one written next to the number, else the nearest free one, else the
latest statement's, else the paragraph's), which words (:func:`words_around`), counted from
when (:func:`since_date`, :func:`lookback_start`).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

from liqwatch import catalog
from liqwatch.calendar import BDAY
from liqwatch.claims.dates import DateSpan
from liqwatch.claims.lexicon import Concept, Mention
from liqwatch.claims.nonclaims import Clause
from liqwatch.claims.units import UNITS, Amount, catalog_unit

__all__ = [
    "NUMBER_WORDS", "Sentence", "Skip", "Subject", "before_period", "clause_of", "date_of",
    "family_of", "fits", "in_non_claim", "is_daily", "is_from", "is_weekly", "lookback_start",
    "masked_amounts", "mention_at", "mention_before", "own_date", "own_dates", "period_of",
    "since_date", "since_dates", "subject_of", "unit_of", "words_around",
]


class Skip(Exception):  # noqa: N818 - control flow with the reason for the reader
    """A number or sentence that cannot be drafted; ``en``/``ja`` say why."""

    def __init__(self, en: str, ja: str) -> None:
        super().__init__(en)
        self.en, self.ja = en, ja


@dataclass
class Sentence:
    """One sentence, scanned, with what the paragraph carries into it.

    Attributes
    ----------
    text
        The sentence (NFKC-normalised; negative signs written as ``-``).
    mentions, dates, amounts
        Series named, date expressions, numbers with a unit.
    bare
        Numbers without a unit ``(value, start, end, text)``.
    yen
        The sentence holds a yen amount.
    reference
        The day the text was written.
    clauses
        The sentence's clauses, non-claims marked.
    carried
        The paragraph's date (used when the sentence has none).
    forced_why
        Why every number is not a fact, for the bullets under a lead-in ("Our estimates:",
        "What we watch:").
    subject
        The series the paragraph was about (used when the sentence names none).
    problems
        ``(en, ja)`` reasons for numbers left out.
    """

    text: str
    mentions: list[Mention]
    dates: list[DateSpan]
    amounts: list[Amount]
    bare: list[tuple[float, int, int, str]]
    yen: bool = False
    reference: date | None = None
    clauses: list[Clause] = field(default_factory=list)
    carried: DateSpan | None = None
    subject: Concept | None = None
    problems: list[tuple[str, str]] = field(default_factory=list)
    forced_why: str | None = None  # under a lead-in such as "Our estimates:" (each bullet)
    used: set[int] = field(default_factory=set)  # positions of numbers given a role
    consumed: set[int] = field(default_factory=set)  # positions of names used as a "B"
    date_roles: set[int] = field(default_factory=set)  # positions of dates used as starts


NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
          "fifty-two": 52}
_LOOKBACK = re.compile(
    r"(?:past|last|previous|trailing|prior)\s+(\d+|" + "|".join(NUMBER_WORDS) + r")[\s-]*"
    r"(business days?|trading days?|days?|sessions?|weeks?|months?)"
    r"|過去\s*(\d+)\s*(営業日|日間?|週間|か月|カ月|ヶ月|ヵ月)"
    r"|(\d+)[-\s](day|week|month)[-\s](?:moving\s+)?average"
    r"|(\d+)\s*(営業日|日|週)(?:間)?(?:の)?(?:移動)?平均",
    re.I,
)
_FILLER = re.compile(r"^(?:\s|the|its|a|an|#|Fed'?s|current|new|administered|prevailing|"
                     r"level of|rate of|,|:)*$", re.I)
# spreads: before the number ("exceeded IORB by 8 bp", "spread to IORB of 8 bp")
_SINCE_BEFORE = re.compile(r"(?:since|from)\s+(?:the\s+|its\s+|their\s+)?"
                           r"(?:(?:level|week)\s+(?:on|of|in|to|ended|ending)\s+)?$", re.I)
_SINCE_AFTER = re.compile(r"^\s*(?:の(?:水準|ピーク|高値|安値|最高値?|最低値?|ボトム|山|底)"
                          r"(?:\s*[（(][^）)]*[）)])?)?\s*(?:から|以降|以来|と比べ|に比べ|比)")


def unit_of(c: Concept) -> str:
    """The canonical unit of the series a concept reads."""
    sid = c.series
    if sid.startswith("indicator:"):
        from liqwatch.indicators import REGISTRY

        spec = REGISTRY.get(sid.split(":", 1)[1])
        return catalog_unit(str(spec.unit)) if spec is not None else "number"
    if sid.startswith("ref:"):
        return "percent"
    return catalog_unit(catalog.get(sid).unit) if catalog.is_known(sid) else "number"


def family_of(c: Concept) -> str:
    """The unit family of a concept (``rate``, ``usd``, ``index``, ``number``)."""
    return UNITS[unit_of(c)].family


def fits(c: Concept, unit: str | None) -> bool:
    """True when a number in ``unit`` (``None``: a plain number) can be a value of ``c``."""
    fam = family_of(c)
    if unit is None:
        return fam in ("index", "number")
    return UNITS[unit].family == fam


def is_daily(c: Concept) -> bool:
    """True for a daily series (reference rates included)."""
    sid = c.series
    if sid.startswith("ref:"):
        return True
    return catalog.is_known(sid) and catalog.get(sid).frequency.value == "daily"


def is_weekly(c: Concept) -> bool:
    """True for a weekly (H.4.1) series."""
    sid = c.series
    return catalog.is_known(sid) and catalog.get(sid).frequency.value == "weekly"


def masked_amounts(sc: Sentence, text: str, offset: int) -> str:
    """``text`` (starting at ``offset`` of the sentence) with every number written as ``#``."""
    chars = list(text)
    for a in sc.amounts:
        for i in range(max(a.start, offset), min(a.end, offset + len(text))):
            chars[i - offset] = "#"
    return re.sub(r"#+", "#", "".join(chars))


def clause_of(sc: Sentence, pos: int) -> tuple[int, int]:
    """Start and end of the clause holding position ``pos``."""
    for c in sc.clauses:
        if c.start <= pos < c.start + len(c.text):
            return c.start, c.start + len(c.text)
    return 0, len(sc.text)


def mention_at(sc: Sentence, pos: int, limit: int = 48) -> Mention | None:
    """The first name starting at or after ``pos`` with only filler words before it."""
    for m in sc.mentions:
        if m.start >= pos and m.start - pos <= limit:
            gap = masked_amounts(sc, sc.text[pos : m.start], pos)
            if _FILLER.match(gap):
                return m
            return None
    return None


def mention_before(sc: Sentence, pos: int, pattern: re.Pattern[str], limit: int = 40
                    ) -> tuple[Mention, re.Match[str]] | None:
    """The last name ending before ``pos`` such that the text between matches ``pattern``."""
    for m in sorted(sc.mentions, key=lambda x: -x.end):
        if m.end <= pos and pos - m.end <= limit:
            gap = masked_amounts(sc, sc.text[m.end : pos], m.end)
            hit = pattern.match(gap)
            if hit:
                return m, hit
    return None


@dataclass(frozen=True, slots=True)
class Subject:
    """The series a number is about, and where it is named (``start`` -1: carried)."""

    concept: Concept
    text: str
    start: int


_PRONOUN = re.compile(r"\b(?:it|its|they|their|the rate|the facility|the balance|the fix|"
                      r"the print)\b|同(?:金利|残高|ファシリティ)|これ", re.I)


def subject_of(sc: Sentence, a: Amount | None, pos: int, *, exclude: set[str] | None = None,
             prev_end: int = 0, percent_change: bool = False,
             family: str | None = None) -> Subject:
    """The series a number at ``pos`` is about: a name in its clause before it (the nearest;
    one that is not a rate compared with if there is one), else the paragraph's subject when
    a pronoun stands for it ("it fixed at 1.85%"), else a name after it in the clause, else
    the paragraph's subject."""
    exclude = exclude or set()
    unit = a.unit if a is not None else None
    if percent_change and unit == "percent":
        a = None  # a change in percent fits any series (a percent change)
    lo, hi = clause_of(sc, pos)
    pool = [m for m in sc.mentions if m.start not in sc.consumed and m.concept.key not in exclude
            and (a is None or fits(m.concept, unit))
            and (family is None or family_of(m.concept) == family)]
    plain = [m for m in pool if not m.concept.reference]
    pool = plain or pool
    own = {m.concept.key: m for m in pool if max(prev_end, lo) <= m.start < pos}
    if len(own) > 1:
        names = sorted(own.values(), key=lambda m: m.start)
        joined = all(re.match(r"^\s*(?:and|or|&|/|、|と|および|や|,)\s*(?:the\s+)?$",
                              sc.text[x.end : y.start], re.I) for x, y in itertools.pairwise(names))
        if joined:  # "SOFR and EFFR were 4.3%": which one is it?
            keys = list(own)
            raise Skip(f"several series named ({', '.join(keys)}) for {a.text if a else 'it'}",
                       f"{a.text if a else '数値'} に複数の系列 ({'、'.join(keys)}) が対応します")
        own = {names[-1].concept.key: names[-1]}
    if own:
        m = next(iter(own.values()))
        return Subject(m.concept, m.text, m.start)
    before = [m for m in pool if m.end <= pos and m.start >= lo]
    if before:
        m = before[-1]
        return Subject(m.concept, m.text, m.start)
    carried = sc.subject
    carry_ok = carried is not None and carried.key not in exclude and (
        a is None or fits(carried, unit)) and (family is None or family_of(carried) == family)
    if carry_ok and _PRONOUN.search(sc.text[lo:pos]):
        assert carried is not None
        return Subject(carried, "", -1)  # "On Friday it fixed at 1.85%"
    before = [m for m in pool if m.end <= pos]
    after = [m for m in pool if pos <= m.start < hi and not any(
        b.unit is not None and m.end <= b.start < hi for b in sc.amounts)]
    if after:  # 「2022年末に約2.55兆ドルあったリバースレポ」: named after it in its clause
        m = after[0]
        return Subject(m.concept, m.text, m.start)
    if before:
        m = before[-1]
        return Subject(m.concept, m.text, m.start)
    fitting = [m for m in sc.mentions if m.concept.key not in exclude and (
        a is None or fits(m.concept, unit)) and not m.concept.reference]
    if carry_ok and not fitting:
        assert carried is not None
        return Subject(carried, "", -1)
    what = a.text if a is not None else "the number"
    if any(m.concept.key not in exclude for m in sc.mentions) or sc.subject is not None:
        raise Skip(f"{what} fits none of the series named", f"{what} に合う系列がありません")
    raise Skip("no known series is named", "既知の系列名がありません")


def date_of(sc: Sentence, pos: int, end: int, *, skip: set[int] | None = None
                  ) -> DateSpan | None:
    """The date of the number at ``pos..end``: the date written next to it, else the nearest
    date not written next to another number, else the date of the sentence's first number
    (the rest of the sentence is about that day), else the paragraph's date."""
    skip = (skip if skip is not None else sc.date_roles) | since_dates(sc)
    owners = own_dates(sc)
    mine = owners.get(pos)
    if mine is not None and mine.pos not in skip:
        return mine
    if _ENDS_PERIOD.search(sc.text[max(0, pos - 48) : pos]) \
            or _ENDS_PERIOD_JA.match(sc.text[end : end + 12]):
        closing = period_close(sc, pos)
        if closing is not None:
            return closing
    others = {d.pos for p, d in owners.items() if p != pos}
    dates = [d for d in sc.dates if d.pos not in skip and d.pos not in others]
    if not dates:
        # every date belongs to another number: the latest statement before this one (not a
        # "from" value), else the first
        main = [p for p in sorted(owners) if owners[p].pos not in skip and not is_from(sc, p)]
        before = [p for p in main if p < pos]
        if before:
            return owners[before[-1]]
        return owners[main[0]] if main else sc.carried

    def dist(d: DateSpan) -> int:
        ds, de = d.pos, d.pos + len(d.text)
        if de <= pos:
            return pos - de
        if ds >= end:
            return ds - end
        return 0

    best = min(dates, key=dist)
    if not best.is_day and best.pos < pos:
        # "this week SOFR rose from X on Monday to Y on Thursday, Z bp above IORB": the latest
        # dated statement after the period named, not the whole period
        later = [p for p in sorted(owners) if best.pos < owners[p].pos < pos and p < pos
                 and owners[p].is_day and not is_from(sc, p)]
        if later:
            return owners[later[-1]]
    return best


_ENDS_PERIOD = re.compile(
    r"\b(?:end(?:ed|ing|s)?|clos(?:ed|ing|es)|finish(?:ed|ing|es)|settl(?:ed|ing|es))"
    r"(?:\s+the\s+(?:week|session|day))?\s+(?:at|on)\s+(?:about\s+|around\s+|roughly\s+)?"
    r"[$＄]?\s*$", re.I)

_ENDS_PERIOD_JA = re.compile(r"^\s*(?:程度|近辺)?で(?:週を|週の取引を|取引を)?(?:終え|終わ|引け)")


def period_close(sc: Sentence, pos: int) -> DateSpan | None:
    """The day a number "ending at" / "closed the week at" stands for, when no date is written
    next to it: the end of the week of the latest day written in the sentence ("from 0.73% on
    Monday to 1.12% on Wednesday before ending at 0.92%" is Friday's), no later than the day the
    text was written."""
    days = [d.end for d in sc.dates if d.end <= (sc.reference or date.max)]
    if not days and sc.carried is not None:
        days = [sc.carried.end]
    if not days:
        return None
    latest = max(days)
    close = latest + timedelta(days=max(0, 4 - latest.weekday()))
    if sc.reference is not None and latest <= sc.reference < close:
        close = sc.reference
    return DateSpan(close, close, "day", text="", pos=pos)


def is_from(sc: Sentence, pos: int) -> bool:
    """The number at ``pos`` is where a change starts ("from Friday's 4.22%", 「2.43%から」)."""
    before = sc.text[max(0, pos - 30) : pos]
    after = sc.text[pos : pos + 24]
    return bool(re.search(r"\bfrom\s+(?:\w+['’]s\s+)?(?:about\s+|around\s+)?[$＄]?\s*$", before,
                          re.I) or re.match(r"^[^、。から]{0,14}から", after))


def own_dates(sc: Sentence) -> dict[int, DateSpan]:
    """Each number's own date (written right next to it), by the number's position."""
    out: dict[int, DateSpan] = {}
    for a in sc.amounts:
        if a.unit is not None:
            d = own_date(sc, a)
            if d is not None:
                out[a.start] = d
    return out


def lookback_start(text: str, end: date) -> date | None:
    """The start of a window written back from ``end`` ("the past four weeks", "the 10-day
    average": ten observations, 「過去4週間」), or ``None``."""
    m = _LOOKBACK.search(text)
    if not m:
        return None
    groups = [g for g in m.groups() if g]
    raw, unit = groups[0].lower(), groups[1].lower()
    n = NUMBER_WORDS[raw] if raw in NUMBER_WORDS else int(raw)
    average = bool(m.group(5) or m.group(7))  # "the 10-day average": ten observations
    if "business" in unit or "trading" in unit or "session" in unit or unit == "営業日" or (
            average and unit in ("day", "日")):
        start: date = (pd.Timestamp(end) - (n - 1) * BDAY).date()
        return start
    if unit.startswith("day") or unit.startswith("日"):
        return end - timedelta(days=n)
    if unit.startswith("week") or unit.startswith("週"):
        return end - timedelta(weeks=n)
    return end - timedelta(days=round(30.44 * n))


def before_period(c: Concept, span: DateSpan) -> date:
    """The day whose observation a change over ``span`` starts from: the period before for a
    monthly or quarterly series, else the last observation before the span."""
    freq = catalog.get(c.series).frequency.value if catalog.is_known(c.series) else "daily"
    if freq == "monthly":
        return _shift_months(span.start, -1)
    if freq == "quarterly":
        return _shift_months(span.start, -3)
    return span.start - timedelta(days=1)


def _shift_months(day: date, n: int) -> date:
    y, m = divmod(day.year * 12 + day.month - 1 + n, 12)
    return date(y, m + 1, 1)


def since_date(sc: Sentence, a: Amount | None = None) -> DateSpan | None:
    """The date a change is counted from: "since the end of September", "from Friday",
    「9月末から」, 「前年同期と比べ」 (the one nearest the number, in its clause)."""
    hits = []
    for d in sc.dates:
        before = sc.text[max(0, d.pos - 24) : d.pos]
        after = sc.text[d.pos + len(d.text) : d.pos + len(d.text) + 40]
        if _SINCE_BEFORE.search(before) or _SINCE_AFTER.match(after):
            hits.append(d)
    if not hits or a is None:
        return hits[0] if hits else None
    lo, hi = clause_of(sc, a.start)
    local = [d for d in hits if lo <= d.pos < hi] or hits
    return min(local, key=lambda d: abs(d.pos - a.end) if d.pos >= a.end else
               abs(a.start - d.pos) + 1)


def in_non_claim(sc: Sentence, pos: int) -> bool:
    """True when position ``pos`` is in a clause that is not a statement of fact."""
    return any(c.why and c.start <= pos < c.start + len(c.text) for c in sc.clauses)


def own_date(sc: Sentence, a: Amount, exclude: DateSpan | None = None) -> DateSpan | None:
    """A date written next to a number ("$3.2tn at the end of 2024", 「2024年末の3.2兆ドル」)."""
    s = sc.text
    for d in sc.dates:
        if exclude is not None and d.pos == exclude.pos:
            continue
        de = d.pos + len(d.text)
        if 0 <= d.pos - a.end <= 14 and re.match(r"^\s*(?:on|in|at|as of|for|by|,)?\s*"
                                                   r"(?:the\s+)?(?:week\s+(?:to|ended|ending)\s+)?$",
                                                   s[a.end : d.pos], re.I):
            return d
        if 0 <= a.start - de <= 16 and re.match(
                r"^\s*(?:['’]s|までの週|の週|までの1週間|時点)?\s*(?:の|には|は|に|で|時点の|時点で|末の|"
                r"末に|[（(])?\s*(?:ピーク|高値|安値|最高値?|最低値?|平均|水準)?\s*(?:は|の|で|が)?\s*"
                r"(?:約|およそ|ほぼ)?\s*[$＄]?$", s[de : a.start], re.I):
            return d
    return None


def period_of(sc: Sentence) -> tuple[date, date] | None:
    """A period written in the sentence: one span longer than a day, or two days."""
    long = [d for d in sc.dates if not d.is_day]
    if long:
        return long[0].start, long[0].end
    days = sorted(d.start for d in sc.dates if d.is_day)
    if len(days) >= 2:
        return days[0], days[-1]
    return None


def words_around(sc: Sentence, a: Amount) -> str:
    """The words around one number: from the number before it to the number after it, within
    its clause (where "a record", "averaged", "week average" apply)."""
    lo, hi = clause_of(sc, a.start)
    prev = [b.end for b in sc.amounts if b.unit is not None and b.end <= a.start and b.end > lo]
    nxt = [b.start for b in sc.amounts if b.unit is not None and b.start >= a.end and b.start < hi]
    start, end = max([lo, *prev]), min([hi, *nxt])
    if nxt:  # "X, a record Y", 「X、過去最高のY」: the words after the last comma go with Y
        cut = max(sc.text.rfind(c, a.end, end) for c in (",", "、", " and ", "と、"))
        if cut >= a.end:
            end = cut
    if prev:  # likewise the words before this number, after the previous number's comma
        cut = max(sc.text.rfind(c, start, a.start) for c in (",", "、", " and "))
        if cut >= start:
            start = cut
    return sc.text[start:end]


def since_dates(sc: Sentence) -> set[int]:
    """Positions of dates a window is counted from ("since March", 「9月17日以来」)."""
    return {x.pos for x in sc.dates
            if re.search(r"\bsince\b[^,;.%$]{0,44}$", sc.text[max(0, x.pos - 48) : x.pos], re.I)
            or re.match(r"^\s*(?:以来|ぶり)", sc.text[x.pos + len(x.text) :])}


