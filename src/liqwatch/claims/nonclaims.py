"""Numbers a text gives without stating them as facts about the data.

Commentary mixes facts ("SOFR printed 4.22% on Oct 31") with numbers that are not: a policy
target ("the Treasury targets an $850bn cash balance"), a forecast ("reserves should fall to
$2.7tn by year-end"), a conditional ("if SOFR stays above 4%"), a threshold to watch ("the
level to watch is $2.8tn") or someone else's estimate ("strategists at X estimate reserves
at $2.9tn"). Such numbers are listed as not checkable with the reason, never checked.

A sentence is cut into clauses first ("SOFR was 4.22%, but if it stays above 4% ..." has a
fact and a conditional), so a fact next to a forecast is still checked.

Examples
--------
>>> [(c.text, c.why) for c in clauses("SOFR was 4.22%, but if it stays above 4%, repo "
...                                     "could tighten.")]
[('SOFR was 4.22%', None), (', but if it stays above 4%, repo could tighten.', 'conditional')]
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

__all__ = ["Clause", "clauses", "non_claim_kind"]

# The order is the order of precedence: a conditional forecast is a conditional.
_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("conditional", re.compile(
        r"\b(?:if|unless|in case|provided that|as long as|so long as|in the event|"
        r"were (?:it|they|\w+) to|once (?!again)|whenever)\b"
        r"|\bshould\s+(?:it|they|\w+)\s+(?:rise|fall|drop|climb|stay|remain|exceed|break|"
        r"move|hold)\b"
        r"|(?:[えけせてねべめれげぜぺ]ば(?!か[りし])|たら[、,]|なら(?:ば)?[、,]|場合(?:は|には|に)?[、,]|"
        r"ようであれば|とすれば|としたら|限り[、,]|としても)", re.I)),
    ("threshold", re.compile(
        r"\b(?:watch(?:ing|ed)?|keep an eye|key (?:level|threshold|line)|levels? to watch|"
        r"line in the sand|trip ?wire|red line|would signal|would flag|"
        r"(?:below|above) which|the (?:threshold|line|level) (?:where|at which|that)|"
        r"warning (?:level|sign))\b"
        r"|(?:注目(?:点|水準|すべき|される水準|が集まる水準)|注視|警戒水準|警戒ライン|"
        r"目安(?:と|として|になる|となる)|分水嶺|焦点|しきい値|閾値|を割り込むか|を上回るか|"
        r"を下回るか|かどうか)", re.I)),
    ("target", re.compile(
        r"\b(?:targets?(?! range| rate)(?:ed|ing)?|aims? (?:to|for)|aiming|goal|objective|"
        r"intends?|intention|plans? to|wants to|guidance|cap(?:ped)? (?:of|at)|proposed|"
        r"proposal|(?:being|under) (?:discussed|discussion|considered|debated)|discussed|"
        r"a month\b|per month|monthly pace|"
        r"monthly cap|redemption cap|runoff cap|pledged|committed to)\b"
        r"|(?<!誘導)(?<!政策金利の)目標(?!レンジ|の上限|の下限|上限|下限)|目指|計画|方針|"
        r"上限額|月額|検討|上限\s*(?:約)?\d|\bcapped at\b|\ba cap of\b", re.I)),
    ("quotation", re.compile(
        r"\b(?:estimates?|estimated|reckons?|pegs?|puts? (?:[\w\"“”'’]+\s+){0,5}at|"
        r"assum(?:e|es|ed|ing|ption)|"
        r"according to (?:\w+\s){0,3}(?:estimates?|analysts?|strategists?|economists?|dealers?|"
        r"surveys?|forecasts?)|survey|consensus|median (?:forecast|estimate)|in the view of|"
        r"believes?|thinks?|staff report|research (?:finds|found|suggests)|finds that|"
        r"found that|sees (?:\w+\s){0,3}(?:at|near|around|reaching))\b"
        r"|(?:試算|推計|推定|見積|とみている|と見ている|と予想している|の見方|見立て|コンセンサス|"
        r"市場予想|調査によると|によれば.*(?:見込|予想|推計|試算)|はじ(?:く|いて)|研究|論文)",
        re.I)),
    ("forecast", re.compile(
        r"\b(?:will|would|could|might|shall|going to|"
        r"(?:is|are|was|were|be|been)\s+(?:now\s+)?(?:expected|projected|forecast|predicted|"
        r"likely|set|poised|on track|seen|anticipated|due|scheduled|slated)\s+to|"
        r"expects?|(?<!than )(?<!as )expected|expecting|forecasts?|predicts?|likely|probably|"
        r"by (?:year-end|the end of (?:the|this|next) (?:year|quarter|month))|"
        r"next (?:week|month|quarter|year)|in the coming|going forward|priced in|"
        r"pricing in|fully priced)\b"
        r"|(?-i:\bmay\b)"
        r"|(?:見込み|見込ま|見込む|見通し|予想(?!を上回|を下回|以上|以下|通り|外)|予測|"
        r"想定(?!を上回|を下回|以上|以下|外)|とみられ|と見られ|だろう|でしょう|可能性|公算|予定|"
        r"年末までに|今後|来年|来月|来週|先行き|シナリオ|織り込)", re.I)),
)

# clause boundaries: ";", ", but", ", while", "が、", "ものの、", "一方、" …
_SPLIT = re.compile(
    r"(?=;\s)|(?=,\s+(?:but|while|whereas|although|though|and if|and should|which would|"
    r"which could|with\s+\w+\s+(?:expected|likely))\b)|(?=\s+and\s+(?:will|would|could|may|"
    r"might|is expected|are expected|is likely|are likely)\b)|(?=\s+[—–]\s+)"
    r"|(?<=が、)|(?<=ものの、)|(?<=一方、)|(?<=一方で、)|(?<=；)|(?<=ただし、)|(?<=なお、)"
    r"|(?<=[しり]、)|(?<=して、)",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Clause:
    """Part of a sentence: its text, where it starts and, for a non-claim, why."""

    text: str
    start: int
    why: str | None


def non_claim_kind(text: str) -> str | None:
    """``target``, ``forecast``, ``conditional``, ``threshold``, ``quotation`` or ``None``."""
    for why, pattern in _MARKERS:
        if pattern.search(text):
            return why
    return None


def clauses(sentence: str) -> list[Clause]:
    """The clauses of ``sentence``, each marked with why it is not a fact (or ``None``)."""
    cuts = sorted({0, *(m.start() for m in _SPLIT.finditer(sentence)), len(sentence)})
    out: list[Clause] = []
    for a, b in itertools.pairwise(cuts):
        part = sentence[a:b]
        if part.strip():
            out.append(Clause(part, a, non_claim_kind(part)))
    # a Japanese sentence ends with its main verb: 「…低下し、…戻ると予想する」 is one forecast
    for i in range(len(out) - 2, -1, -1):
        if out[i].why is None and out[i + 1].why and re.search(r"(?:し|して|り|て)[、,]\s*$",
                                                              out[i].text):
            out[i] = Clause(out[i].text, out[i].start, out[i + 1].why)
    if any(c.why == "conditional" for c in out) and len(out) > 1:
        # a Japanese condition ends its clause with ば/たら: what follows is its consequence
        merged: list[Clause] = []
        for c in out:
            if merged and merged[-1].why == "conditional" and c.why is None and re.search(
                    r"(?:れば|たら|なら|場合)[、,]?\s*$", merged[-1].text):
                merged.append(Clause(c.text, c.start, "conditional"))
            else:
                merged.append(c)
        out = merged
    return out
