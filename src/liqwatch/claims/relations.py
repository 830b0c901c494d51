"""Drafting one sentence: its non-claims, then a role for each of its numbers.

:func:`draft_sentence` takes a scanned :class:`~liqwatch.claims.sentence.Sentence` and returns
claim dicts for the schema: first the clauses that are not statements of fact (a target, a
forecast, a conditional, a threshold to watch, a quoted estimate:
:mod:`~liqwatch.claims.nonclaims`) as ``non_claim`` entries; then a sentence with a
correlation coefficient or a run of days is read whole (correlation, streak); otherwise each
remaining number gets its role (:mod:`~liqwatch.claims.roles`). Problems with single numbers
are collected in ``Sentence.problems``; a sentence with no claim at all raises :class:`Skip`
with the reason.
"""

from __future__ import annotations

import re
from typing import Any

from liqwatch.claims.dates import DateSpan
from liqwatch.claims.lexicon import Mention
from liqwatch.claims.nonclaims import Clause
from liqwatch.claims.roles import index_levels, role
from liqwatch.claims.sentence import (
    NUMBER_WORDS,
    Sentence,
    Skip,
    family_of,
    fits,
    in_non_claim,
    lookback_start,
    period_of,
)
from liqwatch.claims.units import Amount

__all__ = ["Sentence", "Skip", "draft_sentence", "holds_a_value", "states_a_run"]


_CORRELATION = re.compile(r"correlat|相関", re.I)
_STREAK = re.compile(r"consecutive|in a row|straight (?:business |trading )?(?:days|sessions)|"
                     r"連続|running|for \d+ (?:business |trading )?(?:days|sessions)", re.I)
_STREAK_N = re.compile(
    r"\b(\d+|" + "|".join(NUMBER_WORDS) + r")\s*(?:consecutive|straight)?\s*"
    r"(?:business\s+|trading\s+)?(?:days?|sessions?)"
    r"|(\d+)\s*営業日|(\d+)\s*日連続|連続\s*(\d+)\s*(?:営業)?日",
    re.I,
)
_ABOVE = re.compile(r"\babove\b|\bover\b|exceed|higher than|上回|超え|超過|以上", re.I)
_BELOW = re.compile(r"\bbelow\b|\bunder\b|lower than|下回|未満|以下|割り込", re.I)
_LEVELS = re.compile(r"\blevels?\b|price levels|水準|価格そのもの", re.I)
_RETURNS = re.compile(r"returns?|リターン|騰落率", re.I)
_CHANGES = re.compile(r"daily changes|changes|変化幅", re.I)
def states_a_run(text: str) -> bool:
    """True when ``text`` gives a run of days ("12 consecutive business days", 「12営業日連続」)."""
    return bool(_STREAK.search(text) and _STREAK_N.search(text))


def holds_a_value(sc: Sentence) -> bool:
    """True when the sentence writes a value: a number with a unit, a yen amount, a run of
    days, or a plain number next to an index series ("the VIX closed at 20.5")."""
    if sc.yen or any(a.unit is not None for a in sc.amounts) or states_a_run(sc.text):
        return True
    indexed = [m.concept for m in sc.mentions] or ([sc.subject] if sc.subject else [])
    return bool(sc.bare) and any(fits(c, None) for c in indexed)


def draft_sentence(sc: Sentence) -> list[dict[str, Any]]:
    """Claim dicts for one sentence (see the module docstring).

    Raises
    ------
    Skip
        When the sentence gives no claim (the reason says why).
    """
    out: list[dict[str, Any]] = []
    _points_of_rates(sc)
    rated = [a for a in sc.amounts if a.unit is not None]
    if sc.yen and not rated:
        raise Skip("yen amounts are not supported", "円建ての金額には対応していません")
    out += _non_claims(sc)
    facts = [i for i, a in enumerate(sc.amounts) if i not in sc.used]
    if not facts and not [b for b in sc.bare if not in_non_claim(sc, b[1])] and not (
            states_a_run(_factual_text(sc))):
        return out
    text = _factual_text(sc)
    if _CORRELATION.search(text):
        return [*out, _correlation(sc)]
    if states_a_run(text):
        return [*out, _streak(sc)]
    for i in facts:
        if i in sc.used:
            continue
        a = sc.amounts[i]
        try:
            made = role(sc, i)
        except Skip as skip:
            sc.problems.append((skip.en, skip.ja) if a.text in skip.en else
                               (f"{a.text}: {skip.en}" if _several(sc) else skip.en,
                                f"{a.text}: {skip.ja}" if _several(sc) else skip.ja))
            sc.used.add(i)
            continue
        out += made
    out += index_levels(sc)
    if not out and sc.problems:
        en, ja = sc.problems.pop(0)
        raise Skip(en, ja)
    if not out:
        raise Skip("no number with a unit", "単位付きの数値がありません")
    return out


def _points_of_rates(sc: Sentence) -> None:
    """「0.1ポイント上昇」, "0.1 pt" about a rate are percentage points, not index points."""
    names = [m.concept for m in sc.mentions] or ([sc.subject] if sc.subject else [])
    if not names or any(fits(c, "index") for c in names):
        return
    if not any(family_of(c) == "rate" for c in names):
        return
    sc.amounts = [Amount(a.value, "percent", a.half_unit, a.text, a.start, a.end)
                  if a.unit == "index" and re.search(r"(?:ポイント|pts?\.?)$", a.text) else a
                  for a in sc.amounts]


def _several(sc: Sentence) -> bool:
    return len([a for a in sc.amounts if a.unit is not None]) > 1


def _factual_text(sc: Sentence) -> str:
    return "".join(c.text if not c.why else " " * len(c.text) for c in sc.clauses) or sc.text


def _non_claims(sc: Sentence) -> list[dict[str, Any]]:
    out = []
    if sc.forced_why is not None:
        sc.clauses = [Clause(c.text, c.start, c.why or sc.forced_why) for c in sc.clauses]
    for c in sc.clauses:
        if not c.why:
            continue
        lo, hi = c.start, c.start + len(c.text)
        idx = [i for i, a in enumerate(sc.amounts) if lo <= a.start < hi]
        nums = [sc.amounts[i].text for i in idx]
        nums += [raw for _, s, _e, raw in sc.bare if lo <= s < hi and abs(float(raw)) >= 1]
        if not nums:
            continue
        sc.used.update(idx)
        names = [m.concept.key for m in sc.mentions if lo <= m.start < hi]
        series = names[0] if names else (sc.subject.key if sc.subject else None)
        out.append({"kind": "non_claim", "why": c.why, "quote": sc.text, "numbers": nums,
                    "series": series, "auto": True})
    return out


def _correlation(sc: Sentence) -> dict[str, Any]:
    s = sc.text
    uniq: list[Mention] = []
    for m in sc.mentions:
        if m.concept.key not in {u.concept.key for u in uniq}:
            uniq.append(m)
    if len(uniq) != 2:
        raise Skip(f"needs two series, found {len(uniq)}",
                   f"2 つの系列が必要ですが {len(uniq)} 個です")
    nums = [x for x in sc.bare if -1.0 <= x[0] <= 1.0]
    if len(nums) != 1:
        raise Skip("no single correlation coefficient", "相関係数を 1 つに特定できません")
    period = period_of(sc)
    if period is None:
        day = next((d.start for d in sc.dates if d.is_day), None)
        start = lookback_start(s, day) if day else None
        if day is None or start is None:
            raise Skip("no window for the correlation", "相関の計測期間がありません")
        period = (start, day)
    out: dict[str, Any] = {
        "quote": s, "kind": "correlation", "series": uniq[0].concept.key,
        "series_b": uniq[1].concept.key, "start": period[0], "end": period[1],
        "value": nums[0][0], "unit": "number", "auto": True,
    }
    if _LEVELS.search(s):
        out["basis"] = "levels"
    elif _CHANGES.search(s):
        out["basis"] = "changes"
    elif _RETURNS.search(s):
        out["basis"] = "returns"
    sc.used.update(range(len(sc.amounts)))
    return out


def _streak(sc: Sentence) -> dict[str, Any]:
    s = sc.text
    m = _STREAK_N.search(s)
    assert m is not None
    raw = next(g for g in m.groups() if g).lower()
    n = NUMBER_WORDS[raw] if raw in NUMBER_WORDS else int(raw)
    direction = "below" if _BELOW.search(s) and not _ABOVE.search(s) else "above"
    ends = [d for d in sc.dates if d.is_day] or list(sc.dates)
    d = ends[-1] if ends else sc.carried
    if d is None and sc.reference is not None:  # "has been above IORB for 6 sessions": to date
        d = DateSpan(sc.reference, sc.reference, "day")
    if d is None:
        raise Skip("no end date for the run", "連続期間の終了日がありません")
    out: dict[str, Any] = {"quote": s, "kind": "streak", "date": d.end, "value": n,
                           "unit": "days", "direction": direction, "auto": True}
    others = [x for x in sc.mentions if x.concept.reference]
    plain = [x for x in sc.mentions if not x.concept.reference]
    subject = plain[0].concept if plain else (sc.subject if sc.subject is not None and not
                                              others else None)
    if subject is None and len(others) >= 2:
        subject = others[0].concept
        others = others[1:]
    if subject is None and others and sc.subject is not None:
        subject = sc.subject
    if subject is None:
        raise Skip("no known series is named", "既知の系列名がありません")
    target = next((x for x in [*others, *plain[1:]] if x.concept.key != subject.key), None)
    thr = [a for a in sc.amounts if a.unit is not None and a.unit != "days"
           and not _STREAK_N.match(s[a.start :])]
    if target is not None and not thr:
        out.update(series=subject.key, series_b=target.concept.key)
    elif len(thr) == 1:
        out.update(series=subject.key, threshold=thr[0].value, threshold_unit=thr[0].unit)
    else:
        raise Skip("no level for the run", "連続判定の水準がありません")
    sc.used.update(range(len(sc.amounts)))
    return out

