"""Drafting claims from a plain-text commentary (English or Japanese).

The text is read paragraph by paragraph, sentence by sentence. In each sentence every number
gets a role (:mod:`~liqwatch.claims.relations` finds the relations):

* a **level** of the series the sentence is about ("SOFR printed 4.22%");
* a **spread** against a named rate ("22 bp above the SRF rate", 「IORBを32bp上回る」);
* a **ratio** ("9.6% of GDP", 「GDP比6.5%」);
* a **change** ("fell $85bn in the week", "up 5 bp from Friday", 「前週比300億ドル減少」);
* **from A to B**: two dated levels and the change between them;
* a **streak** ("12 consecutive business days above IORB");
* an **extremum** over a stated window only ("the lowest since early 2021", "a record",
  "the year's high"); an average ("averaged 4.20% in October", "the 10-day average");
* the level of a **named rate** ("the Standing Repo Facility rate of 4.00%": the SRF rate,
  never the subject's level); a **reference level** ("the $3tn mark") is what a sentence
  compares with, not a claim;
* a **non-claim** (a target, a forecast, a conditional, a threshold to watch, someone else's
  estimate: :mod:`~liqwatch.claims.nonclaims`), listed with the reason, never checked.

Context carries within a paragraph: a sentence without a date takes the paragraph's date
(「11月14日には…」 then 「10日間の平均は…」), dates given relative to it resolve on business days
(同日, 翌日, "the day before", "a year earlier"), relative dates resolve against the day the
text was written (``reference``: "yesterday" on a Monday is the Friday before), and a sentence
that names no series is about the series of the sentence before ("It was 4.04% the day
before"). Hedges ("about", 約, "nearly", "more than", 台) set the tolerance
(:mod:`~liqwatch.claims.hedges`). Every drafted claim quotes its sentence and is marked
``auto``; what cannot be mapped is listed in :attr:`Draft.unmapped` with the reason, never
guessed.

Examples
--------
>>> draft = extract("SOFR jumped to 5.25% on September 17, 2019.")
>>> [(c.kind, c.series, str(c.date), c.value, c.unit) for c in draft.claims]
[('level', 'SOFR', '2019-09-17', 5.25, 'percent')]
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml

from liqwatch.claims.dates import ANAPHORIC_DATE, RELATIVE_DATE, DateSpan, find_dates
from liqwatch.claims.lexicon import Concept, Mention, find_mentions
from liqwatch.claims.nonclaims import clauses, non_claim_kind
from liqwatch.claims.relations import Sentence, Skip, draft_sentence, holds_a_value
from liqwatch.claims.schema import Claim, dump_claims, parse_claims
from liqwatch.claims.units import Amount, find_amounts
from liqwatch.exceptions import ConfigError

__all__ = ["Draft", "SentenceOutcome", "Unmapped", "extract", "split_paragraphs",
           "split_sentences"]


@dataclass(frozen=True, slots=True)
class Unmapped:
    """A sentence with a number that could not be turned into a claim, and why."""

    quote: str
    reason_en: str
    reason_ja: str

    def to_dict(self) -> dict[str, str]:
        """JSON-ready form."""
        return {"quote": self.quote, "reason": self.reason_en, "reason_ja": self.reason_ja}


@dataclass(frozen=True, slots=True)
class SentenceOutcome:
    """What drafting made of one sentence holding a number.

    Attributes
    ----------
    quote
        The sentence.
    claims
        Claims about the data drafted from it.
    non_claims
        Numbers listed as not statements of fact (targets, forecasts ...).
    unmapped
        Numbers (or the whole sentence) left unmapped.
    """

    quote: str
    claims: int
    non_claims: int
    unmapped: int

    @property
    def drafted(self) -> bool:
        """True when the sentence gave at least one claim or non-claim."""
        return self.claims + self.non_claims > 0


@dataclass
class Draft:
    """Claims drafted from a text, and what could not be mapped.

    Iterating a draft yields its claims (non-claims included: they check as not checkable,
    with the reason), so ``check(store, extract(text))`` works.
    """

    claims: list[Claim] = field(default_factory=list)
    unmapped: list[Unmapped] = field(default_factory=list)
    lang: str = "en"
    sentences: list[SentenceOutcome] = field(default_factory=list)

    def __iter__(self) -> Iterator[Claim]:
        return iter(self.claims)

    def __len__(self) -> int:
        return len(self.claims)

    @property
    def coverage(self) -> tuple[int, int]:
        """(sentences with a number that gave a claim or non-claim, sentences with a number)."""
        return sum(s.drafted for s in self.sentences), len(self.sentences)

    def to_yaml(self) -> str:
        """A claims file: the claims, then the unmapped sentences as comments."""
        head = (
            "# Claims drafted automatically by `liqwatch claims extract` (auto: true).\n"
            "# Review each one against its quote before relying on the check.\n"
        )
        body = dump_claims(self.claims) if self.claims else "[]\n"
        tail = ""
        if self.unmapped:
            tail = "\n# Not mapped (left out, not guessed):\n"
            for u in self.unmapped:
                tail += f"#  - {u.quote}\n#    reason: {u.reason_en}\n"
        return head + body + tail

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        drafted, total = self.coverage
        return {
            "lang": self.lang,
            "claims": yaml.safe_load(dump_claims(self.claims)) if self.claims else [],
            "unmapped": [u.to_dict() for u in self.unmapped],
            "sentences": {"with_numbers": total, "drafted": drafted},
        }


# ---------------------------------------------------------------------------- sentences
_ABBREV = re.compile(
    r"(?:\b(?:U\.S|e\.g|i\.e|vs|approx|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|No|"
    r"St|Mr|Ms|Dr|Inc|Co|etc|H\.\d|Fig|est))\.$"
)


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs: blocks separated by a blank line (a date carries only within one)."""
    return [p for p in re.split(r"\n\s*\n", text) if p.strip()]


def split_sentences(text: str) -> list[str]:
    """Split English and Japanese text into sentences (keeps ``U.S.``, ``Nov.``, decimals);
    each bullet of a list is a sentence."""
    out: list[str] = []
    for para in split_paragraphs(text):
        for block in re.split(r"\n(?=\s*(?:[-*•・]|\d+[.)])\s)", para):
            out += _sentences(block.replace("\n", " "))
    return [re.sub(r"\s+", " ", s).strip(" -*•・\t") for s in out if s.strip(" -*•・\t")]


def _sentences(para: str) -> list[str]:
    out: list[str] = []
    buf = ""
    depth = 0  # inside 「」 or （） a 。 does not end the sentence
    for i, ch in enumerate(para):
        buf += ch
        if ch in "「（(":
            depth += 1
        elif ch in "」）)" and depth:
            depth -= 1
        if ch in "。！？!?" and not depth:
            out.append(buf)
            buf = ""
        elif ch == "." and not depth and (i + 1 == len(para) or para[i + 1] == " "):
            nxt = para[i + 1 :].lstrip()
            if not _ABBREV.search(buf) and (not nxt or not nxt[0].islower()):
                out.append(buf)
                buf = ""
    if buf.strip():
        out.append(buf)
    return out


def _is_heading(para: str) -> bool:
    """A title line: one short line that does not end like a sentence."""
    line = para.strip()
    return "\n" not in line and len(line) <= 90 and not re.search(r"[.。!?！？]$", line)


def _lang(text: str) -> str:
    ja = len(re.findall(r"[\u3040-\u30ff\u4e00-\u9fff]", text))
    return "ja" if ja > len(text) * 0.05 else "en"


# ---------------------------------------------------------------------------- scanning
_YEN_AMOUNT = re.compile(
    r"[¥￥]\s*[\d,.]+\s*(?:trillion|billion|million|tn|bn|mn)?"
    r"|[\d,.]+\s*(?:兆|億|万)?\s*円",
    re.I,
)
# "マイナス86bp", "▲300億ドル", "minus 86 bp", "negative 20bp" are negative numbers
_NEGATIVE = re.compile(r"(?:マイナス|▲|△|\bminus\s+|\bnegative\s+)(?=\$?\d)", re.I)
# numbers that are names, not values: ordinals, durations, H.4.1, report numbers, times
_NOT_VALUES = re.compile(
    r"\d+(?:st|nd|rd|th)\b|\d+[-\s](?:year|month|day|week|quarter)s?\b|\bQ[1-4]\b|"
    r"\bH\.\d+(?:\.\d+)?|\b(?:Report|No\.|Number|Section|Table|Chart|Figure)\s+\d+|"
    r"\d{1,2}:\d\d|\d+\s*(?:営業日|日間|週間|か月|カ月|ヶ月|ヵ月|年間)|第\s*\d+|"
    r"\d+\s*(?:days?|weeks?|months?|years?|sessions?|business days|trading days)\b",
    re.I,
)
_BARE = re.compile(r"(?<![A-Za-z0-9_.,])[-−]?\d+(?:\.\d+)?(?![A-Za-z0-9_,%％]|\.\d)")


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for s, e in spans:
        for i in range(s, e):
            chars[i] = " "
    return "".join(chars)


def _scan(text: str, year: int, reference: date | None, anchor: DateSpan | None) -> Sentence:
    dates = find_dates(text, default_year=year, reference=reference, anchor=anchor)
    mentions: list[Mention] = []
    seen: set[tuple[int, int]] = set()
    for m in find_mentions(text):
        if (m.start, m.end) not in seen:
            mentions.append(m)
            seen.add((m.start, m.end))
    spans = [(d.pos, d.pos + len(d.text)) for d in dates] + [(m.start, m.end) for m in mentions]
    yen = [(m.start(), m.end()) for m in _YEN_AMOUNT.finditer(text)]
    masked = _mask(text, spans + yen)
    # numbers that are not values (ordinals, durations, "H.4.1") are not claimed values
    masked_names = _NOT_VALUES.sub(lambda m: " " * len(m.group(0)), masked)
    amounts = [_unsigned_range_end(masked_names, a) for a in find_amounts(masked_names)]
    taken = [(a.start, a.end) for a in amounts]
    bare = []
    for hit in _BARE.finditer(masked_names):
        if not any(hit.start() < e and s < hit.end() for s, e in taken):
            raw = hit.group(0)
            bare.append((float(raw.replace("−", "-")), hit.start(), hit.end(), raw))
    return Sentence(text=text, mentions=mentions, dates=dates, amounts=amounts, bare=bare,
                    yen=bool(yen), reference=reference, clauses=clauses(text))


def _unsigned_range_end(text: str, a: Amount) -> Amount:
    """"3.75%-4.00%": a dash right after a number is a range, not a minus sign."""
    if a.text[:1] in "-−–" and a.start > 0 and re.match(r"[\d%％]", text[a.start - 1]):
        return Amount(abs(a.value), a.unit, a.half_unit, a.text[1:], a.start + 1, a.end)
    return a


def _relative_hint(plain: str, reference: date | None, en: str, ja: str) -> tuple[str, str]:
    """Say that a relative date ("yesterday", 先週) needs the day the text was written."""
    m = RELATIVE_DATE.search(plain)
    if reference is None and m and ("no date" in en or "start and an end" in en):
        return (f"{en}: '{m.group(0)}' needs the day the text was written (--date)",
                f"{ja}: 「{m.group(0)}」には執筆日の指定 (--date) が必要です")
    return en, ja


def _subject_of(sc: Sentence) -> Concept | None:
    """The series a sentence is about: the first one it names that is not a rate it compares
    with (IORB, the SRF rate ...)."""
    for m in sc.mentions:
        if not m.concept.reference:
            return m.concept
    return sc.mentions[0].concept if sc.mentions else None


def _anchor_of(sc: Sentence) -> DateSpan | None:
    """The date a sentence is about, for the next ones: its first date that is not written
    relative to another ("the week before", 前日) unless it names the same day (同日)."""
    days = [d for d in sc.dates if d.kind in ("day", "part", "month", "range")]
    for d in days:
        m = ANAPHORIC_DATE.fullmatch(d.text)
        if m is None or m.group("same") or m.group("jsame"):
            return d
    return None


def extract(text: str, *, default_year: int | None = None,
            reference: date | None = None) -> Draft:
    """Draft claims from a commentary in English or Japanese.

    Parameters
    ----------
    text
        Plain text.
    default_year
        Year of dates written without one, when the text never states a year before them
        (default: the year of ``reference``, else the first year the text mentions, else the
        current year).
    reference
        The day the text was written; enables relative dates ("yesterday" = the previous
        business day, "on Tuesday", "last week", 昨日, 先週, 火曜). Without it such sentences
        are listed as unmapped.

    Returns
    -------
    Draft
        The claims (each quoting its sentence, ``auto: true``), the non-claims, the unmapped
        sentences and what became of each sentence holding a number.
    """
    draft = Draft(lang=_lang(text))
    first_year = re.search(r"(?:19|20)\d\d", unicodedata.normalize("NFKC", text))
    year = default_year or (reference.year if reference else None) or (
        int(first_year.group(0)) if first_year else date.today().year)
    n = 0
    section: DateSpan | None = None  # the date of the last heading ("Week ended Nov 12")
    for para in split_paragraphs(text):
        if _is_heading(para):
            found = find_dates(unicodedata.normalize("NFKC", para), year, reference, None)
            if found:
                section = found[-1]
        anchor: DateSpan | None = section
        subject: Concept | None = None
        heading: tuple[str, str] | None = None
        listed_why: str | None = None  # "Our estimates:", 「注目点:」: what the list below is
        for sentence in split_sentences(para):
            # full-width digits and signs (５．２５％) are read as ASCII; quotes stay verbatim
            plain = _NEGATIVE.sub("-", unicodedata.normalize("NFKC", sentence))
            quote = sentence
            if heading is not None and not find_dates(plain, year, reference, None):
                # a bullet under a dated heading takes the heading's date
                plain = f"{plain} ({heading[1]})"
                quote = f"{heading[0]} {sentence}"
            sc = _scan(plain, year, reference, anchor)
            sc.forced_why = listed_why
            if plain.rstrip().endswith((":", "：")):
                if sc.dates:
                    heading = (sentence, sc.dates[-1].text)  # "Key levels as of Nov 12, 2025:"
                listed_why = non_claim_kind(plain)
            # the year of the last date written with one carries to later dates without one;
            # a bare year is a comparison ("since 2019", "the 2022 peak"), not the context
            explicit = [d for d in sc.dates if re.search(r"(?:19|20)\d\d", d.text)
                        and d.kind in ("day", "part", "month")
                        and not re.search(r"since\s+(?:the\s+)?(?:\w+\s+)?$",
                                          plain[max(0, d.pos - 16) : d.pos], re.I)
                        and not re.match(r"\s*(?:以来|ぶり|から|以降)",
                                         plain[d.pos + len(d.text) :])]
            if explicit and reference is None:
                # with the day the text was written, a day without a year is the latest such
                # day up to then; without it, the year of the last date written carries
                year = explicit[-1].end.year
            sc.carried = anchor
            sc.subject = subject
            has_number = holds_a_value(sc)
            claims_made = non_claims = unmapped = 0
            try:
                raw = draft_sentence(sc) if has_number else []
            except Skip as skip:
                en, ja = _relative_hint(plain, reference, skip.en, skip.ja)
                draft.unmapped.append(Unmapped(quote, en, ja))
                raw = []
                unmapped += 1
            for en, ja in sc.problems:
                en, ja = _relative_hint(plain, reference, en, ja)
                draft.unmapped.append(Unmapped(quote, en, ja))
                unmapped += 1
            for entry in raw:
                n += 1
                entry = {k: v for k, v in entry.items() if v is not None}
                entry["id"] = f"auto-{n}"
                entry["quote"] = quote
                try:
                    draft.claims.extend(parse_claims([entry], source="draft"))
                except ConfigError as exc:
                    draft.unmapped.append(Unmapped(sentence, str(exc), str(exc)))
                    unmapped += 1
                    continue
                if entry["kind"] == "non_claim":
                    non_claims += 1
                else:
                    claims_made += 1
            if has_number:
                draft.sentences.append(SentenceOutcome(quote, claims_made, non_claims, unmapped))
            anchor = _anchor_of(sc) or anchor
            subject = _subject_of(sc) or subject
    return draft
