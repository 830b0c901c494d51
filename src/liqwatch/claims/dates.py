"""Date expressions in English and Japanese commentary.

Each expression becomes a :class:`DateSpan`: a single day (``2025年11月12日``, ``Nov 12``), a
fuzzy part of a month (``mid-November``, ``11月中旬``), a month (``October 2025``, ``10月``,
with ``average`` set for ``10月平均`` / ``the October average``), a quarter or a year. A missing
year is taken from ``default_year``.

Examples
--------
>>> parse_date_expr("2025年11月12日").start
datetime.date(2025, 11, 12)
>>> span = parse_date_expr("as of mid-November", default_year=2025)
>>> (span.start, span.end, span.kind)
(datetime.date(2025, 11, 11), datetime.date(2025, 11, 20), 'part')
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from liqwatch.exceptions import ConfigError

__all__ = ["ANAPHORIC_DATE", "RELATIVE_DATE", "DateSpan", "find_dates", "parse_date_expr"]

MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_MON = (
    r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_PART_EN = {"early": (1, 10), "mid": (11, 20), "late": (21, 31), "end": (25, 31),
            "first half": (1, 15), "second half": (16, 31), "latter half": (16, 31)}
_PART_JA = {
    "上旬": (1, 10),
    "初め": (1, 10),
    "初旬": (1, 10),
    "中旬": (11, 20),
    "下旬": (21, 31),
    "末": (25, 31),
    "前半": (1, 15),
    "後半": (16, 31),
}


#: Parts of a year: first and last month.
_YEAR_PARTS = {
    "early": (1, 4), "mid": (5, 8), "late": (9, 12), "the start of": (1, 1),
    "the beginning of": (1, 1), "the first half of": (1, 6), "the second half of": (7, 12),
    "h1": (1, 6), "h2": (7, 12), "初め": (1, 2), "初頭": (1, 2), "年初": (1, 1), "初": (1, 1),
    "前半": (1, 6), "後半": (7, 12), "上半期": (1, 6), "下半期": (7, 12), "上期": (1, 6),
    "下期": (7, 12), "央": (5, 8), "半ば": (5, 8),
}


@dataclass(frozen=True, slots=True)
class DateSpan:
    """A date expression resolved to days.

    Attributes
    ----------
    start, end
        First and last day covered (equal for a single day).
    kind
        ``day``, ``part`` (early/mid/late month), ``month``, ``quarter``, ``year`` or
        ``range`` (from ... to ...).
    average
        The expression asks for an average (``10月平均``, ``the October average``).
    text
        The matched text.
    pos
        Start of the match in the searched string.
    """

    start: date
    end: date
    kind: str
    average: bool = False
    text: str = ""
    pos: int = 0

    @property
    def is_day(self) -> bool:
        """True for a single day."""
        return self.kind == "day"

    @property
    def mid(self) -> date:
        """The middle day of the span."""
        return date.fromordinal((self.start.toordinal() + self.end.toordinal()) // 2)


def _month_end(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _safe_day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _part(year: int, month: int, lo: int, hi: int) -> tuple[date, date]:
    last = _month_end(year, month)
    return date(year, month, min(lo, last)), date(year, month, min(hi, last))


_EN_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<y>(?:19|20)\d\d)[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})\b")),
    (
        "mdy",
        re.compile(
            rf"\b{_MON}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y>(?:19|20)\d\d))?\b", re.I
        ),
    ),
    (
        "dmy",
        re.compile(
            rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON}(?:,?\s+(?P<y>(?:19|20)\d\d))?\b",
            re.I,
        ),
    ),
    (
        "part",
        re.compile(
            rf"\b(?:the\s+)?(?P<part>early|mid|late|end|ended|closed|first half|second half|"
            rf"latter half)(?:-|\s+|\s+of\s+)?{_MON}"
            r"(?:,?\s+(?P<y>(?:19|20)\d\d))?\b",
            re.I,
        ),
    ),
    ("mavg", re.compile(rf"\b(?:the\s+)?{_MON}(?:\s+(?P<y>(?:19|20)\d\d))?\s+average\b", re.I)),
    ("month", re.compile(rf"\b{_MON}(?:,?\s+(?P<y>(?:19|20)\d\d))?\b", re.I)),
    (
        "quarter",
        re.compile(
            r"\b(?:Q(?P<q>[1-4])\s*(?P<y>(?:19|20)\d\d)|(?P<y2>(?:19|20)\d\d)\s*Q(?P<q2>[1-4]))\b"
        ),
    ),
    ("yearend", re.compile(r"\b(?:the\s+)?(?:end|close)\s+of\s+(?P<y>(?:19|20)\d\d)\b", re.I)),
    ("year", re.compile(r"\b(?P<y>(?:19|20)\d\d)(?=\s+(?:peak|high|low|trough|average|"
                        r"levels?|highs|lows|record|top|bottom)\b)", re.I)),
    (
        "ypart",
        re.compile(r"\b(?P<part>early|mid|late|the start of|the beginning of|the first half of|"
                   r"the second half of|H1|H2)[-\s]*(?P<y>(?:19|20)\d\d)\b", re.I),
    ),
    (
        "year",
        re.compile(r"\b(?:in|during|of|for|since|over|throughout)\s+(?P<y>(?:19|20)\d\d)\b", re.I),
    ),
]
_JA_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "jday",
        re.compile(r"(?:(?P<y>(?:19|20)\d\d)\s*年\s*)?(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
                   r"(?:\s*[（(][月火水木金土日](?:曜日?)?[)）])?"),
    ),
    (
        "jpart",
        re.compile(
            r"(?:(?P<y>(?:19|20)\d\d)\s*年\s*)?(?P<m>\d{1,2})\s*月\s*(?P<part>上旬|初旬|初め|中旬|下旬|末|前半|後半)"
        ),
    ),
    (
        "jmonth",
        re.compile(
            r"(?:(?P<y>(?:19|20)\d\d)\s*年\s*)?(?P<m>\d{1,2})\s*月(?:\s*(?:の)?\s*(?P<avg>平均))?"
        ),
    ),
    ("jquarter", re.compile(r"(?P<y>(?:19|20)\d\d)\s*年\s*(?:第\s*)?(?P<q>[1-4])\s*(?:四半期|Q)")),
    ("yearend", re.compile(r"(?P<y>(?:19|20)\d\d)\s*年\s*末")),
    ("jypart", re.compile(r"(?P<y>(?:19|20)\d\d)\s*年\s*(?P<part>初め|初頭|年初|初|前半|後半|"
                          r"上半期|下半期|上期|下期|央|半ば)")),
    ("jyear", re.compile(r"(?P<y>(?:19|20)\d\d)\s*年(?!\s*\d)")),
]


def _year(raw: str | None, default_year: int | None, text: str) -> int:
    if raw:
        return int(raw)
    if default_year is None:
        raise ConfigError(f"date {text!r} has no year and no default year was given")
    return default_year


def _span(kind: str, m: re.Match[str], default_year: int | None) -> DateSpan | None:
    g = m.groupdict()
    text = m.group(0)
    pos = m.start()
    if kind in ("iso",):
        d = _safe_day(int(g["y"]), int(g["m"]), int(g["d"]))
        return DateSpan(d, d, "day", text=text, pos=pos) if d else None
    if kind in ("mdy", "dmy"):
        y = _year(g.get("y"), default_year, text)
        d = _safe_day(y, MONTHS[g["mon"].lower().rstrip(".")], int(g["d"]))
        return DateSpan(d, d, "day", text=text, pos=pos) if d else None
    if kind == "jday":
        y = _year(g.get("y"), default_year, text)
        d = _safe_day(y, int(g["m"]), int(g["d"]))
        return DateSpan(d, d, "day", text=text, pos=pos) if d else None
    if kind in ("part", "jpart"):
        y = _year(g.get("y"), default_year, text)
        month = MONTHS[g["mon"].lower()] if kind == "part" else int(g["m"])
        if not 1 <= month <= 12:
            return None
        part = g["part"].lower() if kind == "part" else g["part"]
        if part in ("ended", "closed"):
            part = "end"
        lo, hi = _PART_EN[part] if kind == "part" else _PART_JA[part]
        a, b = _part(y, month, lo, hi)
        return DateSpan(a, b, "part", text=text, pos=pos)
    if kind in ("month", "mavg", "jmonth"):
        y = _year(g.get("y"), default_year, text)
        month = MONTHS[g["mon"].lower()] if kind != "jmonth" else int(g["m"])
        if not 1 <= month <= 12:
            return None
        avg = kind == "mavg" or bool(g.get("avg"))
        return DateSpan(
            date(y, month, 1),
            date(y, month, _month_end(y, month)),
            "month",
            average=avg,
            text=text,
            pos=pos,
        )
    if kind in ("quarter", "jquarter"):
        y = int(g.get("y") or g.get("y2") or 0)
        q = int(g.get("q") or g.get("q2") or 0)
        a = date(y, 3 * q - 2, 1)
        b = date(y, 3 * q, _month_end(y, 3 * q))
        return DateSpan(a, b, "quarter", text=text, pos=pos)
    if kind in ("ypart", "jypart"):
        y = int(g["y"])
        lo, hi = _YEAR_PARTS[g["part"].lower()]
        return DateSpan(date(y, lo, 1), date(y, hi, _month_end(y, hi)), "part", text=text,
                        pos=pos)
    if kind == "yearend":
        y = int(g["y"])
        return DateSpan(date(y, 12, 15), date(y, 12, 31), "part", text=text, pos=pos)
    if kind in ("year", "jyear"):
        y = int(g["y"])
        return DateSpan(date(y, 1, 1), date(y, 12, 31), "year", text=text, pos=pos)
    return None


_WEEKDAYS_EN = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAYS_JA = "月火水木金土日"
RELATIVE_DATE = re.compile(
    r"\b(?P<en>today|yesterday|this week|last week|this month|last month|this year|last year|"
    r"year[- ]to[- ]date|(?:on |last )?(?:monday|tuesday|wednesday|thursday|friday|saturday|"
    r"sunday))\b"
    r"|(?P<ja>(?:先週の?)?[月火水木金]曜日?|本日|今日|昨日|今週|先週末|先週(?!比)|今月|先月(?!比)|"
    r"今年|昨年|去年|年初来)",
    re.IGNORECASE,
)
# dates written relative to a date given earlier in the paragraph (the anchor)
ANAPHORIC_DATE = re.compile(
    r"\b(?P<same>(?:on\s+)?(?:that|the same) day|at the time|on the same date)\b"
    r"|\b(?P<next>the (?:next|following) (?:business |trading )?day|a (?:business )?day later)\b"
    r"|\b(?P<prev>the (?:previous|prior|preceding) (?:business |trading )?day|the day before|"
    r"a (?:business )?day (?:earlier|before))\b"
    r"|\b(?P<sameweek>(?:that|the same) week)\b"
    r"|\b(?P<ago>(?P<n>a|one|two|three|four|six|\d+)\s+(?P<u>(?:business )?days?|weeks?|months?"
    r"|years?) (?:earlier|before|ago|prior))\b"
    r"|\b(?P<prevweek>the (?:previous|prior|preceding) week|the week before)\b"
    r"|(?P<jsame>同日|当日|その日|この日|当時|同じ日)"
    r"|(?P<jnext>翌営業日|翌日)"
    r"|(?P<jprev>前営業日|前日(?!比))"
    r"|(?P<jsameweek>同週|同じ週|その週)"
    r"|(?P<jago>(?P<jn>\d+|一|二|三)\s*(?P<ju>営業日|日|週間|週|か月|カ月|ヶ月|ヵ月|年)(?:前|後))"
    r"|(?P<jprevweekend>前週末)"
    r"|(?P<jprevweek>前週(?!比|末))|(?P<jprevyear>前年同期|前年同日|前年(?!比))"
    r"|(?P<jprevmonth>前月(?!比))"
    r"|(?P<monthend>(?<![\d月])月末|\bmonth[- ]end\b|\bthe end of the month\b)"
    r"|(?P<yearend>(?<![\d年])年末|\byear[- ]end\b|\bthe end of the year\b)"
    r"|\b(?P<weekend>(?:end(?:ed|ing|s)?|finish(?:ed|ing|es)?|clos(?:ed|ing|es)) the week|"
    r"(?:at|by) the end of the week)\b",
    re.IGNORECASE,
)
_SMALL = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "six": 6, "一": 1, "二": 2,
          "三": 3}


def _bday_shift(day: date, n: int) -> date:
    """``day`` moved by ``n`` business days of the bond-market calendar."""
    from liqwatch.calendar import BDAY

    moved: date = (pd.Timestamp(day) + n * BDAY).date()
    return moved


def _months_back(day: date, n: int) -> date:
    y, m = divmod(day.year * 12 + day.month - 1 - n, 12)
    m += 1
    return date(y, m, min(day.day, _month_end(y, m)))


def _week_of(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=4)


def _relative(m: re.Match[str], ref: date) -> DateSpan:
    word = (m.group("en") or m.group("ja")).lower()
    text, pos = m.group(0), m.start()

    def span(a: date, b: date | None = None, kind: str = "day") -> DateSpan:
        return DateSpan(a, b or a, kind, text=text, pos=pos)

    if word in ("today", "本日", "今日"):
        return span(ref)
    if word in ("yesterday", "昨日"):
        return span(_bday_shift(ref, -1))  # the previous business day: Friday on a Monday
    monday = ref - timedelta(days=ref.weekday())
    if word in ("this week", "今週"):
        return span(monday, ref, "range")
    if word in ("last week", "先週"):
        return span(*_week_of(monday - timedelta(days=7)), "range")
    if word == "先週末":
        return span(monday - timedelta(days=3))
    if word in ("this month", "今月"):
        return span(ref.replace(day=1), ref, "range")
    if word in ("last month", "先月"):
        first = _months_back(ref.replace(day=1), 1)
        return span(first, first.replace(day=_month_end(first.year, first.month)), "month")
    if word in ("this year", "今年") or word.startswith("year") or word == "年初来":
        return span(date(ref.year, 1, 1), ref, "range")
    if word in ("last year", "昨年", "去年"):
        return span(date(ref.year - 1, 1, 1), date(ref.year - 1, 12, 31), "year")
    name = word.removeprefix("on ").removeprefix("last ").removeprefix("先週の").removeprefix(
        "先週")
    wd = (_WEEKDAYS_EN.index(name) if name in _WEEKDAYS_EN
          else _WEEKDAYS_JA.index(name[0]))
    back = (ref.weekday() - wd) % 7
    if word.startswith("last ") and back == 0:
        back = 7  # "last Tuesday" said on a Tuesday: a week ago
    if word.startswith("先週"):
        return span(monday - timedelta(days=7) + timedelta(days=wd))  # weekday of last week
    return span(ref - timedelta(days=back))


def _anaphoric(m: re.Match[str], anchor: DateSpan) -> DateSpan | None:
    """A date given relative to ``anchor`` ("the day before", 同日, 翌日, "a year earlier")."""
    text, pos = m.group(0), m.start()
    day = anchor.end if anchor.kind != "day" else anchor.start
    g = {k: v for k, v in m.groupdict().items() if v}

    def span(a: date, b: date | None = None, kind: str = "day") -> DateSpan:
        return DateSpan(a, b or a, kind, anchor.average and kind == anchor.kind, text, pos)

    if "same" in g or "jsame" in g:
        return DateSpan(anchor.start, anchor.end, anchor.kind, anchor.average, text, pos)
    if "next" in g or "jnext" in g:
        return span(_bday_shift(day, 1))
    if "prev" in g or "jprev" in g:
        return span(_bday_shift(day, -1))
    if "sameweek" in g or "jsameweek" in g:
        if day.weekday() == 2:  # an H.4.1 week: Thursday to Wednesday
            return span(day - timedelta(days=6), day, "range")
        return span(*_week_of(day), "range")
    if "weekend" in g:
        return span(_week_of(day)[1])
    if "prevweek" in g or "jprevweek" in g:
        return span(day - timedelta(days=7))
    if "jprevweekend" in g:
        friday = day - timedelta(days=day.weekday()) - timedelta(days=3)
        return span(friday)
    if "monthend" in g:
        last = _month_end(day.year, day.month)
        return span(date(day.year, day.month, min(25, last)), date(day.year, day.month, last),
                    "part")
    if "yearend" in g:
        return span(date(day.year, 12, 15), date(day.year, 12, 31), "part")
    if "jprevyear" in g:
        return span(date(day.year - 1, day.month, min(day.day, _month_end(day.year - 1,
                                                                          day.month))))
    if "jprevmonth" in g:
        return span(_months_back(day, 1))
    raw_n = (g.get("n") or g.get("jn") or "1").lower()
    n = _SMALL.get(raw_n) or int(raw_n)
    unit = (g.get("u") or g.get("ju") or "").lower()
    sign = 1 if text.endswith("後") else -1
    if unit.startswith("business") or unit == "営業日":
        return span(_bday_shift(day, sign * n))
    if unit.startswith("day") or unit == "日":
        return span(day + timedelta(days=sign * n))
    if unit.startswith("week") or unit.startswith("週"):
        return span(day + timedelta(weeks=sign * n))
    if unit.startswith("month") or "月" in unit:
        return span(_months_back(day, -sign * n))
    if unit.startswith("year") or unit == "年":
        y = day.year + sign * n
        return span(date(y, day.month, min(day.day, _month_end(y, day.month))))
    return None


# a Japanese day of the month without the month: 「14日の SOFR」 (the anchor's month)
_JA_BARE_DAY = re.compile(r"(?<![\d月年/\-.])(?P<d>\d{1,2})\s*日(?!\s*(?:間|連続|移動|平均|物|以内|"
                          r"以降|分|付近|程度|営業日|ぶり|超|で|ほど))"
                          r"(?:\s*[（(][月火水木金土日](?:曜日?)?[)）])?")


def find_dates(text: str, default_year: int | None = None,
               reference: date | None = None, anchor: DateSpan | None = None
               ) -> list[DateSpan]:
    """Every date expression in ``text``, in order, without overlaps (longest form wins).

    Parameters
    ----------
    text
        English or Japanese text.
    default_year
        Year of expressions that do not state one; without it they are skipped.
    reference
        The day the text was written: enables "today", "yesterday" (the previous business
        day), "this/last week", weekdays ("on Tuesday" = the latest Tuesday on or before it),
        "this/last month/year" and 本日/昨日/今週/先週/火曜/今月/先月/年初来.
    anchor
        The date the paragraph has been talking about: enables "that day", "the day before",
        "a year earlier", 同日, 翌日, 前日, 当時, 同週, 1年前 and 「14日」 (a day of its month).
        A date earlier in ``text`` itself takes precedence.
    """
    found: list[DateSpan] = []
    taken: list[tuple[int, int]] = []
    for patterns in (_JA_PATTERNS, _EN_PATTERNS):
        for kind, pattern in patterns:
            for m in pattern.finditer(text):
                s, e = m.span()
                if any(s < te and ts < e for ts, te in taken):
                    continue
                if kind == "month" and not m.group("y") and m.group("mon").lower() == "may":
                    continue  # the verb "may"
                try:
                    span = _span(kind, m, default_year)
                except ConfigError:
                    continue
                if span is None:
                    continue
                if kind == "year":
                    # keep the span on the year itself, not on the preposition
                    ys = m.start("y")
                    span = DateSpan(span.start, span.end, "year", text=m.group("y"), pos=ys)
                    s = ys
                taken.append((s, e))
                found.append(span)
    found = _carry_year(sorted(found, key=lambda d: d.pos), default_year)
    if reference is not None:
        found = [_not_after(d, reference) for d in found]
    explicit = list(found)

    def free(m: re.Match[str]) -> bool:
        s, e = m.span()
        return not any(s < te and ts < e for ts, te in taken)

    def anchor_at(pos: int) -> DateSpan | None:
        near = [d for d in explicit if d.kind in ("day", "part", "month")]
        before = [d for d in near if d.pos < pos]
        if before:
            return before[-1]  # the date written last before it
        if anchor is None and near:
            return near[0]  # "down $85bn from a week earlier at $2.85tn on October 29"
        return anchor

    # relative to the day the text was written: "yesterday", "on Friday", 昨日
    if reference is not None:
        for m in RELATIVE_DATE.finditer(text):
            if free(m):
                taken.append(m.span())
                found.append(_relative(m, reference))
                explicit.append(found[-1])
    # 「14日」 alone: the month of a date written before it in the sentence, else the latest
    # such day up to the day the text was written, else the month of the paragraph's date
    for m in _JA_BARE_DAY.finditer(text):
        if not free(m):
            continue
        n = int(m.group("d"))
        before = [d for d in explicit if d.pos < m.start() and d.kind in ("day", "part", "month")]
        if before:
            y, mo = before[-1].end.year, before[-1].end.month
        elif reference is not None:
            y, mo = reference.year, reference.month
            if n > reference.day:
                y, mo = (y, mo - 1) if mo > 1 else (y - 1, 12)
        elif anchor is not None:
            y, mo = anchor.end.year, anchor.end.month
        else:
            continue
        d = _safe_day(y, mo, n)
        if d is not None:
            taken.append(m.span())
            found.append(DateSpan(d, d, "day", text=m.group(0), pos=m.start()))
            explicit.append(found[-1])
    explicit.sort(key=lambda d: d.pos)
    for m in ANAPHORIC_DATE.finditer(text):
        base = anchor_at(m.start())
        if not free(m):
            continue
        if base is None:
            if reference is None or not (m.group("jprev") or m.group("ago") or m.group("jago")
                                         or m.group("weekend")):
                continue
            base = DateSpan(reference, reference, "day")  # 前日, "a week ago": from today
        span = _anaphoric(m, base)
        if span is not None:
            if reference is not None and span.start > reference:
                span = DateSpan(reference, reference, "day", text=span.text, pos=span.pos)
            taken.append(m.span())
            found.append(span)
    found.sort(key=lambda d: d.pos)
    return found


_HAS_YEAR = re.compile(r"(?:19|20)\d\d")


def _not_after(span: DateSpan, reference: date) -> DateSpan:
    """A date written without a year more than six weeks after the day the text was written is
    in the year before ("December 30" in a note of January 5); a nearer one is ahead ("on
    1 December" in a note of 4 November)."""
    if (_HAS_YEAR.search(span.text) or span.start <= reference + timedelta(days=45)
            or span.start.year != reference.year):
        return span
    try:
        a = span.start.replace(year=span.start.year - 1)
        b = span.end.replace(year=span.end.year - 1)
    except ValueError:
        return span
    return DateSpan(a, b, span.kind, span.average, span.text, span.pos)


def _carry_year(spans: list[DateSpan], default_year: int | None) -> list[DateSpan]:
    """A date without a year takes the year of the previous date written with one in the same
    text ("from 2019年9月16日 to 9月17日"); a year alone or a part of a year ("since early
    2023", "the 2022 peak") is a comparison and carries nothing."""
    out = []
    last: int | None = None
    for sp in spans:
        if _HAS_YEAR.search(sp.text):
            one_month = sp.kind == "part" and sp.start.month == sp.end.month
            if sp.kind in ("day", "month") or one_month:
                last = sp.end.year
        elif last is not None and last != sp.start.year and sp.kind in ("day", "part", "month"):
            try:
                a = sp.start.replace(year=last)
                b = sp.end.replace(year=last)
                if sp.kind != "day" and sp.end.day >= 28:
                    b = date(last, sp.end.month, _month_end(last, sp.end.month))
            except ValueError:
                out.append(sp)
                continue
            sp = DateSpan(a, b, sp.kind, sp.average, sp.text, sp.pos)
        out.append(sp)
    return out


def parse_date_expr(text: str, default_year: int | None = None,
                    reference: date | None = None) -> DateSpan:
    """Parse one date expression (the first one found in ``text``).

    Raises
    ------
    ConfigError
        When ``text`` holds no date expression.
    """
    hits = find_dates(text, default_year, reference)
    if not hits:
        raise ConfigError(f"no date found in {text!r}")
    return hits[0]
