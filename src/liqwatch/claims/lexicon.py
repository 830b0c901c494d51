"""Names of the series commentary talks about, in English and Japanese.

A *concept* is what a writer names ("reserves", "準備預金", "the TGA", "the SRF rate"); it maps
to the series liqwatch reads by default and to other series a reasonable reader could also mean
(its *readings*, e.g. the daily TGA and its H.4.1 week average). A claim may name a concept
(checked with every reading) or an exact series id (checked on that series only).

The names live in ``names.toml`` next to this module: everyday English and Japanese names of
every catalog series and every indicator, the rates sentences compare with (*references*:
IORB, the ON RRP rate, the SRF minimum bid rate, the target range, the discount rate) and, for
H.4.1 items published on several bases, the series of each basis (Wednesday level, week
average, daily). Every catalog id (``WRESBAL``) is a name of itself.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from liqwatch import catalog
from liqwatch.files import package_path

__all__ = [
    "CONCEPTS",
    "Concept",
    "Mention",
    "Reading",
    "basis_series",
    "concept",
    "find_mentions",
]


@dataclass(frozen=True, slots=True)
class Reading:
    """One series a concept can be read as."""

    series: str
    en: str
    ja: str


@dataclass(frozen=True, slots=True)
class Concept:
    """A thing commentary names, with its default series and other readings.

    Attributes
    ----------
    key
        Name used in claims files (``reserves``, ``TGA``, ``ON RRP``, ...).
    series
        The series read by default (a catalog id, ``indicator:<id>`` or ``ref:<name>``).
    en, ja
        Names in English and Japanese (matched in text; English case-insensitively).
    readings
        Other series a reasonable reader could mean.
    splice
        Older series used for dates before ``splice[1]`` (``IORB`` before 2021-07-29 is IOER).
    reference
        A rate sentences compare with (IORB, the SRF rate, the target range ...).
    range
        ``(bottom, top)`` series of a range ("the target range of 3.75%-4.00%").
    basis
        Series of each publication basis (``wednesday``, ``week_average``, ``daily``).
    indicators
        Indicators showing the same figure as ``series`` (``reserves_tn`` for WRESBAL).
    """

    key: str
    series: str
    en: tuple[str, ...]
    ja: tuple[str, ...] = ()
    readings: tuple[Reading, ...] = ()
    splice: tuple[str, str] | None = None
    reference: bool = False
    range: tuple[str, str] | None = None
    basis: dict[str, str] = field(default_factory=dict)
    indicators: tuple[str, ...] = ()


def _concept(row: dict[str, Any]) -> Concept:
    return Concept(
        key=row["key"],
        series=row["series"],
        en=tuple(row.get("en", ())),
        ja=tuple(row.get("ja", ())),
        readings=tuple(Reading(*r) for r in row.get("readings", ())),
        splice=(row["splice"][0], row["splice"][1]) if "splice" in row else None,
        reference=bool(row.get("reference", False)),
        range=(row["range"][0], row["range"][1]) if "range" in row else None,
        basis=dict(row.get("basis", {})),
        indicators=tuple(row.get("indicators", ())),
    )


def _load() -> dict[str, Concept]:
    text = package_path("claims/names.toml").read_text("utf-8")
    out = {c.key: c for c in (_concept(row) for row in tomllib.loads(text)["concept"])}
    for sid in catalog.catalog():  # every catalog id names itself
        if sid not in out:
            out[sid] = Concept(sid, sid, (sid,), splice=("IOER", "2021-07-29")
                               if sid == "IORB" else None)
    return out


#: Every concept by key.
CONCEPTS: dict[str, Concept] = _load()

_LOWER = {k.lower(): k for k in CONCEPTS}


@cache
def _by_name() -> dict[str, Concept]:
    out: dict[str, Concept] = {}
    for c in CONCEPTS.values():
        for n in (*c.en, *c.ja):
            out.setdefault(_squash(n), c)
    return out


def _squash(name: str) -> str:
    return re.sub(r"[\s\-–’']", "", name.lower())


def concept(name: str) -> Concept | None:
    """The concept called ``name`` (its key or any of its names), or ``None``."""
    key = _LOWER.get(name.strip().lower())
    if key is not None:
        return CONCEPTS[key]
    return _by_name().get(_squash(name.strip()))


def basis_series(c: Concept, basis: str) -> str | None:
    """The series of ``c`` on a publication basis (``wednesday``, ``week_average``, ``daily``)."""
    return c.basis.get(basis)


@dataclass(frozen=True, slots=True)
class Mention:
    """A concept named in a text, at ``start``..``end``."""

    concept: Concept
    text: str
    start: int
    end: int


_SEP, _APOS, _END = "\x00sep", "\x00apos", "\x00end"


def _tokens(name: str) -> list[str]:
    """A name as trie tokens: lower-case characters; a space or hyphen is an optional
    separator ("Nasdaq 100", "Nasdaq-100", "Nasdaq100"), an apostrophe either quote."""
    return [_SEP if ch in " -" else _APOS if ch == "'" else ch for ch in name.lower()]


def _trie_regex(names: list[str]) -> str:
    """One regex matching any of ``names``, as a trie (longest name first at each point)."""
    root: dict[str, Any] = {}
    for n in names:
        node = root
        for tok in _tokens(n):
            node = node.setdefault(tok, {})
        node[_END] = {}

    def build(node: dict[str, Any]) -> str:
        alts = []
        for tok in sorted(k for k in node if k != _END):
            head = {_SEP: r"[\s\-–]?", _APOS: "['’]"}.get(tok, re.escape(tok))
            alts.append(head + build(node[tok]))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if _END in node:
            return f"(?:{body})?"
        return body

    return build(root)


@cache
def _pattern() -> re.Pattern[str]:
    names = {n for c in CONCEPTS.values() for n in (*c.en, *c.ja)}
    ascii_names = sorted(n for n in names if n.isascii())
    other = sorted(n for n in names if not n.isascii())
    # Japanese names can sit inside a run of kana/kanji; ASCII names are whole words. The
    # Japanese ones go first: 「ON RRP金利」 is one name, not "ON RRP" and 金利.
    return re.compile(f"(?:{_trie_regex(other)})|(?<![A-Za-z0-9])(?:{_trie_regex(ascii_names)})"
                      r"(?![A-Za-z])", re.IGNORECASE)


_OTHER_RESERVES = re.compile(
    r"(?:foreign|FX|forex|currency|gold|oil|petroleum|crude|strategic|外貨|外為|金|石油)"
    r"[\s\-]*(?:exchange\s*)?$",
    re.IGNORECASE,
)


_RANGE_END_AFTER = re.compile(r"^\s*(?:の)?\s*(?P<end>上限|下限|上端|下端)")
_RANGE_END_BEFORE = re.compile(r"(?P<end>top|upper end|upper bound|upper limit|ceiling|bottom|"
                               r"lower end|lower bound|lower limit|floor)\s+of\s+(?:the\s+)?$",
                               re.IGNORECASE)


def _range_end(text: str, m: Mention) -> Mention:
    """"the top of <a range>", 「<レンジ>の上限」: the series of that end of the range."""
    rng = m.concept.range
    if rng is None:
        return m
    after = _RANGE_END_AFTER.match(text[m.end : m.end + 6])
    before = _RANGE_END_BEFORE.search(text[max(0, m.start - 24) : m.start])
    hit = after or before
    if hit is None:
        return m
    top = hit.group("end").lower() in ("上限", "上端", "top", "upper end", "upper bound",
                                       "upper limit", "ceiling")
    sid = rng[1] if top else rng[0]
    end_concept = next((c for c in CONCEPTS.values() if c.series == sid and c.reference
                        and c.range is None), None)
    if end_concept is None:
        return m
    if after is not None:
        return Mention(end_concept, text[m.start : m.end + after.end()], m.start,
                       m.end + after.end())
    assert before is not None
    start = m.start - (len(text[max(0, m.start - 24) : m.start]) - before.start())
    return Mention(end_concept, text[start : m.end], start, m.end)


# "the 2.00-2.25% range", "the new range", "lowering the range by 25 bp": the target range
_BARE_RANGE = re.compile(
    r"(?:(?<=%\s)|(?<=%)|(?<=\bthe\s)|(?<=\bnew\s)|(?<=\bold\s)|(?<=\bpolicy\s))range\b",
    re.IGNORECASE)
# the end of a range named with its values: "the top of the 3.75-4.00% target range",
# 「誘導目標レンジ(2.00~2.25%)の上限」
_END_WORD_EN = re.compile(r"\b(?P<end>top|upper end|ceiling|bottom|lower end|floor)\s+of\s+"
                          r"(?:the\s+)?(?:new\s+)?(?:[\d.]+\s*%?\s*[-–—~〜]\s*[\d.]+\s*%\s*)?$",
                          re.IGNORECASE)
_END_WORD_JA = re.compile(r"^\s*(?:[（(][^）)]{0,24}[）)])?\s*の?\s*(?P<end>上限|下限)")


def _end_mention(rng: Mention, end_word: str, start: int, end: int) -> Mention | None:
    top = end_word.lower() in ("上限", "top", "upper end", "ceiling")
    assert rng.concept.range is not None
    sid = rng.concept.range[1] if top else rng.concept.range[0]
    c = next((x for x in CONCEPTS.values() if x.series == sid and x.reference
              and x.range is None), None)
    return Mention(c, end_word, start, end) if c is not None else None


def _range_words(text: str, found: list[Mention]) -> list[Mention]:
    """Add "range" written alone next to rates, and the end of a range named with its values."""
    taken = [(m.start, m.end) for m in found]
    target = CONCEPTS.get("target range")
    out = list(found)
    if target is not None:
        for m in _BARE_RANGE.finditer(text):
            if not any(s < m.end() and m.start() < e for s, e in taken):
                out.append(Mention(target, m.group(0), m.start(), m.end()))
    for rng in [m for m in out if m.concept.range is not None]:
        before = _END_WORD_EN.search(text[max(0, rng.start - 48) : rng.start])
        if before is not None:
            start = max(0, rng.start - 48) + before.start("end")
            hit = _end_mention(rng, before.group("end"), start, start + len(before.group("end")))
            if hit is not None and not any(s < hit.end and hit.start < e for s, e in taken):
                out.append(hit)
        after = _END_WORD_JA.match(text[rng.end : rng.end + 40])
        if after is not None:
            start = rng.end + after.start("end")
            hit = _end_mention(rng, after.group("end"), start, start + 2)
            if hit is not None and not any(s < hit.end and hit.start < e for s, e in taken):
                out.append(hit)
    return sorted(out, key=lambda m: m.start)


def find_mentions(text: str) -> list[Mention]:
    """Every concept named in ``text`` (longest names first, no overlaps), in order.

    The end of a range named as such ("the top of the fed funds target range", 「FF金利の誘導
    目標の上限」, "the top of the 2.00-2.25% range") is that end's series; "range" alone next to
    rates is the target range.
    """
    out = []
    for m in _pattern().finditer(text):
        c = _by_name().get(_squash(m.group(0)))
        if c is not None and c.key == "reserves" and _OTHER_RESERVES.search(
            text[max(0, m.start() - 24):m.start()]
        ):
            continue  # foreign-exchange, gold or oil reserves are not bank reserves
        if c is not None:
            out.append(_range_end(text, Mention(c, m.group(0), m.start(), m.end())))
    return _range_words(text, out)
