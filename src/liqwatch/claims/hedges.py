"""Hedges ("about", 約, "nearly", "more than", 台) and the tolerance a claimed number gets.

A number written without a hedge is read to the digits written: ``4.22`` holds for data from
4.215 to 4.225. A hedge widens or bounds that:

======================  ==========================================  ==========================
hedge                   written                                      data that is consistent
======================  ==========================================  ==========================
``about``               about, around, roughly, some, ~, 約, 程度,   within ``t`` either side
                        前後, ほど, くらい, およそ
``nearly``              nearly, almost, close to, just under, 近く,  from ``v - t`` up to ``v``
                        弱
``just_over``           just over, slightly above, 強                from ``v`` up to ``v + t``
``over``                more than, over, above, at least, 超, 以上   ``v`` or more
``under``               less than, under, below, at most, 未満, 以下 ``v`` or less
``band``                2兆9,000億ドル台 ("in the 2.9tn range")      from ``v`` to the next unit
======================  ==========================================  ==========================

``t`` is half a unit of the number's last significant digit (``about $50bn`` → ±5bn,
``約2.9兆ドル`` → ±0.05兆ドル), and at least 5% of the number for ``about``-like hedges.
Every band carries the rule that produced it, in English and Japanese, for the verdict.

Examples
--------
>>> band(50.0, 0.5, "about").lo, band(50.0, 0.5, "about").hi
(45.0, 55.0)
>>> band(4.22, 0.005, None).rule_en
'±0.005 (the digits written)'
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["HEDGES", "Band", "Hedge", "band", "find_hedge", "significant_half_unit"]

Hedge = Literal["about", "nearly", "just_over", "over", "under", "band"]

#: The hedges a claim may state (``hedge:`` in a claims file).
HEDGES: tuple[str, ...] = ("about", "nearly", "just_over", "over", "under", "band")

#: Minimum relative width of an ``about``-like band.
ABOUT_MIN_REL = 0.05

_BEFORE: tuple[tuple[Hedge, re.Pattern[str]], ...] = (
    ("just_over", re.compile(r"(?:just|slightly|a little|a touch)\s+(?:over|above|more than)"
                             r"\s*$", re.I)),
    ("nearly", re.compile(r"(?:nearly|almost|close to|just (?:under|below|shy of)|"
                          r"approaching|a little (?:under|less than)|slightly (?:under|below))"
                          r"\s*$", re.I)),
    ("over", re.compile(r"(?:more than|over|above|at least|in excess of|upwards of|"
                        r"exceeding|no less than|north of|better than)\s*$", re.I)),
    ("under", re.compile(r"(?:less than|under|below|at most|no more than|fewer than|"
                         r"south of|beneath)\s*$", re.I)),
    ("about", re.compile(r"(?:about|around|roughly|approximately|approx\.?|some|circa|"
                         r"an estimated|~|≈|約|およそ|ほぼ|概ね|おおむね)\s*$", re.I)),
)
_AFTER: tuple[tuple[Hedge, re.Pattern[str]], ...] = (
    ("band", re.compile(r"^\s*台")),
    ("nearly", re.compile(r"^\s*(?:近く|弱|に迫|に近い|目前)")),
    ("just_over", re.compile(r"^\s*強")),
    ("over", re.compile(r"^\s*(?:超|以上|を超え|を上回る水準|余り|あまり|or more|and above|"
                        r"plus\b)", re.I)),
    ("under", re.compile(r"^\s*(?:未満|以下|を下回る水準|or less|and below)", re.I)),
    ("about", re.compile(r"^\s*(?:程度|前後|ほど|くらい|ぐらい|見当|or so)", re.I)),
)
_LEAD = r"\s*(?:US)?[$＄]?\s*$"


def find_hedge(text: str, start: int, end: int) -> Hedge | None:
    """The hedge written around the number at ``text[start:end]``, if any."""
    before = re.sub(_LEAD, "", text[max(0, start - 32) : start])
    after = text[end : end + 12]
    for hedge, pattern in _AFTER:
        if pattern.search(after):
            return hedge
    for hedge, pattern in _BEFORE:
        if pattern.search(before):
            return hedge
    return None


def significant_half_unit(value: float, precision: float) -> float:
    """Half a unit of the last significant digit: trailing zeros of an integer are rounding.

    ``precision`` is half a unit of the last digit written (``50`` → 0.5); the result reads
    the zeros as rounding (``50`` → 5, ``2,000`` → 500, ``4.25`` → 0.005).
    """
    if precision < 0.5 or value == 0 or not float(value).is_integer():
        return precision
    n = abs(int(value))
    zeros = 0
    while n and n % 10 == 0:
        n //= 10
        zeros += 1
    return max(precision, 0.5 * 10.0**zeros)


def _fmt(x: float) -> str:
    if x == 0:
        return "0"
    digits = max(0, 3 - math.floor(math.log10(abs(x))))
    text = f"{x:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True, slots=True)
class Band:
    """The data values consistent with a claimed number, and the rule that set them."""

    lo: float
    hi: float
    rule_en: str
    rule_ja: str

    def holds(self, data: float) -> bool:
        """True when ``data`` is inside the band (a tiny float slack on both ends)."""
        eps = 1e-9 * max(1.0, abs(self.lo if math.isfinite(self.lo) else self.hi))
        return self.lo - eps <= data <= self.hi + eps

    @property
    def half_width(self) -> float:
        """The largest distance from the claimed number that is consistent (inf if open)."""
        return (self.hi - self.lo) / 2 if math.isfinite(self.hi - self.lo) else math.inf


def band(value: float, precision: float, hedge: str | None,
         explicit: float | None = None) -> Band:
    """The band of data values consistent with ``value``.

    Parameters
    ----------
    value
        The claimed number.
    precision
        Half a unit of its last digit as written.
    hedge
        One of :data:`HEDGES`, or ``None`` for a number stated flatly.
    explicit
        A tolerance stated in the claims file (absolute, in the claim's unit); it replaces the
        rounding of the digits written and is widened by the hedge like it.
    """
    v = float(value)
    base = explicit if explicit is not None else precision
    why_en = "the stated tolerance" if explicit is not None else "the digits written"
    why_ja = "指定された許容幅" if explicit is not None else "表記の桁"
    t = max(significant_half_unit(v, base) if explicit is None else base,
            ABOUT_MIN_REL * abs(v))
    if hedge is None:
        return Band(v - base, v + base, f"±{_fmt(base)} ({why_en})", f"±{_fmt(base)}（{why_ja}）")
    if hedge == "about":
        return Band(v - t, v + t, f"±{_fmt(t)} ('about': 5% or the precision written)",
                    f"±{_fmt(t)}（「約」: 5% または表記の精度）")
    if hedge == "nearly":
        return Band(v - t, v + base, f"{_fmt(v - t)} to {_fmt(v)} ('nearly': just under)",
                    f"{_fmt(v - t)}〜{_fmt(v)}（「近く・弱」: やや下）")
    if hedge == "just_over":
        return Band(v - base, v + t, f"{_fmt(v)} to {_fmt(v + t)} ('just over')",
                    f"{_fmt(v)}〜{_fmt(v + t)}（「強」: やや上）")
    if hedge == "over":
        return Band(v, math.inf, f"{_fmt(v)} or more ('more than')", f"{_fmt(v)}以上（「超」）")
    if hedge == "under":
        return Band(-math.inf, v, f"{_fmt(v)} or less ('less than')", f"{_fmt(v)}以下（「未満」）")
    if hedge == "band":
        step = 2 * significant_half_unit(v, base)
        return Band(v, v + step, f"{_fmt(v)} to {_fmt(v + step)} (the '台' range)",
                    f"{_fmt(v)}〜{_fmt(v + step)}（「台」）")
    raise ValueError(f"hedge {hedge!r} is not one of {', '.join(HEDGES)}")
