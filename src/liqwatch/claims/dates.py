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

from liqwatch.exceptions import ConfigError

__all__ = ["RELATIVE_DATE", "DateSpan", "find_dates", "parse_date_expr"]

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
_PART_EN = {"early": (1, 10), "mid": (11, 20), "late": (21, 31), "end": (25, 31)}
_PART_JA = {
    "上旬": (1, 10),
    "初め": (1, 10),
    "初旬": (1, 10),
    "中旬": (11, 20),
    "下旬": (21, 31),
    "末": (25, 31),
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
            rf"\b(?P<part>early|mid|late|end|ended|closed)(?:-|\s+|\s+of\s+)?{_MON}"
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
    (
        "year",
        re.compile(r"\b(?:in|during|of|for|since|over|throughout)\s+(?P<y>(?:19|20)\d\d)\b", re.I),
    ),
]
_JA_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "jday",
        re.compile(r"(?:(?P<y>(?:19|20)\d\d)\s*年\s*)?(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"),
    ),
    (
        "jpart",
        re.compile(
            r"(?:(?P<y>(?:19|20)\d\d)\s*年\s*)?(?P<m>\d{1,2})\s*月\s*(?P<part>上旬|初旬|初め|中旬|下旬|末)"
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
    r"\b(?P<en>today|yesterday|this week|last week|(?:on |last )?"
    r"(?:monday|tuesday|wednesday|thursday|friday))\b"
    r"|(?P<ja>(?:先週の?)?[月火水木金]曜日?|本日|今日|昨日|前日|今週|先週)",
    re.IGNORECASE,
)


def _relative(m: re.Match[str], ref: date) -> DateSpan:
    word = (m.group("en") or m.group("ja")).lower()
    text, pos = m.group(0), m.start()
    if word in ("today", "本日", "今日"):
        return DateSpan(ref, ref, "day", text=text, pos=pos)
    if word in ("yesterday", "昨日", "前日"):
        d = ref - timedelta(days=1)
        return DateSpan(d, d, "day", text=text, pos=pos)
    monday = ref - timedelta(days=ref.weekday())
    if word in ("this week", "今週"):
        return DateSpan(monday, ref, "range", text=text, pos=pos)
    if word in ("last week", "先週"):
        last = monday - timedelta(days=7)
        return DateSpan(last, last + timedelta(days=4), "range", text=text, pos=pos)
    name = word.removeprefix("on ").removeprefix("last ").removeprefix("先週の").removeprefix(
        "先週")
    wd = (_WEEKDAYS_EN.index(name) if name in _WEEKDAYS_EN
          else _WEEKDAYS_JA.index(name[0]))
    back = (ref.weekday() - wd) % 7
    if word.startswith("last ") and back == 0:
        back = 7  # "last Tuesday" said on a Tuesday: a week ago
    if word.startswith("先週"):
        d = monday - timedelta(days=7) + timedelta(days=wd)  # that weekday of the week before
        return DateSpan(d, d, "day", text=text, pos=pos)
    d = ref - timedelta(days=back)
    return DateSpan(d, d, "day", text=text, pos=pos)


def find_dates(text: str, default_year: int | None = None,
               reference: date | None = None) -> list[DateSpan]:
    """Every date expression in ``text``, in order, without overlaps (longest form wins).

    Parameters
    ----------
    text
        English or Japanese text.
    default_year
        Year of expressions that do not state one; without it they are skipped.
    reference
        The day the text was written: enables "today", "yesterday", "this/last week",
        weekdays ("on Tuesday" = the latest Tuesday on or before it) and 本日/昨日/今週/先週/火曜.
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
    if reference is not None:
        for m in RELATIVE_DATE.finditer(text):
            s, e = m.span()
            if not any(s < te and ts < e for ts, te in taken):
                taken.append((s, e))
                found.append(_relative(m, reference))
    found.sort(key=lambda d: d.pos)
    return _carry_year(found, default_year)


_HAS_YEAR = re.compile(r"(?:19|20)\d\d")


def _carry_year(spans: list[DateSpan], default_year: int | None) -> list[DateSpan]:
    """A date without a year takes the year of the previous dated expression in the same
    text ("from 2019年9月16日 to 9月17日")."""
    out = []
    last: int | None = None
    for sp in spans:
        if _HAS_YEAR.search(sp.text):
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
