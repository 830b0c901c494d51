"""Checking claims against the store: verdicts, errors, alternative definitions.

For each claim the data is read under its *primary reading* (the claim's series and
definitions, latest vintage). Then:

- ``consistent``: the claimed value is within tolerance of the data;
- ``ambiguous``: it is not, but it is under another reading a reasonable reader could take
  (the claim names a concept such as "TGA" with several series, or leaves a definition open,
  e.g. a change of a rate given in "%"): both readings are named;
- ``wrong``: neither; the value that would make it right is given, with any other definition
  that reproduces the claimed number (a week average instead of a daily value, correlation of
  levels instead of returns, a unit slip of 10×/1000×, another date);
- ``not_checkable``: the data needed is missing (which is said).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from liqwatch.claims import kinds
from liqwatch.claims.data import (
    DataContext,
    NotCheckable,
    Obs,
    Resolved,
    ratio_indicator,
    spread_indicator,
)
from liqwatch.claims.hedges import Band
from liqwatch.claims.lexicon import concept
from liqwatch.claims.schema import (
    ChangeClaim,
    Claim,
    CorrelationClaim,
    FactClaim,
    LevelClaim,
    NonClaim,
    RatioClaim,
    SpreadClaim,
    StatClaim,
    StreakClaim,
)
from liqwatch.claims.text import fmt_number, fmt_value, fmt_value_ja
from liqwatch.claims.units import UNITS, UnitError, convert
from liqwatch.store import Store

__all__ = ["VERDICTS", "Alternative", "ClaimResult", "check", "check_one"]

#: The verdicts, in the order summaries list them.
VERDICTS = ("consistent", "wrong", "ambiguous", "not_checkable")

#: Oldest "out-of-date figure" named as the source of a wrong number, in days.
STALE_MAX_DAYS = 731


def ja_date(text: str) -> str:
    """``2019-09-17`` -> ``2019年9月17日`` (other text unchanged)."""
    return re.sub(
        r"(\d{4})-(\d\d)-(\d\d)",
        lambda m: f"{m.group(1)}年{int(m.group(2))}月{int(m.group(3))}日",
        text,
    )


@dataclass(frozen=True, slots=True)
class Alternative:
    """Another reading or definition and the value it gives (in the claim's unit)."""

    en: str
    ja: str
    value: float | None
    matches: bool


@dataclass(frozen=True)
class ClaimResult:
    """The check of one claim.

    Attributes
    ----------
    claim
        The claim checked.
    verdict
        ``consistent``, ``wrong``, ``ambiguous`` or ``not_checkable``.
    data_value
        What the data gives under the reading used, in the claim's unit (``None`` when not
        checkable).
    error_abs, error_rel
        Claimed minus data, and that relative to the data's magnitude.
    tolerance
        Allowed absolute error (claim's unit).
    series
        The formula of the series read (``SOFR``, ``SOFR − IOER``, ``WRESBAL / GDP``).
    reading_en, reading_ja
        The reading used.
    observations
        Observations used, with provenance (``realtime_start`` = publication date, source).
    explanation_en, explanation_ja
        One line each.
    right_value
        For wrong claims: the value that would make the claim right (claim's unit).
    alternatives
        Other readings and definitions tried; ``matches`` marks those reproducing the claim.
    missing_en, missing_ja
        For not_checkable claims: which data is missing.
    notes
        How the data was read (week ending, splice, first release ...), (en, ja) pairs.
    extra
        Kind-specific facts (``at`` of a max/min, ``run`` of a streak).
    tolerance_rule_en, tolerance_rule_ja
        Which tolerance applied (the digits written, a hedge such as "about", a bound).
    """

    claim: Claim
    verdict: str
    data_value: float | None
    error_abs: float | None
    error_rel: float | None
    tolerance: float
    series: str
    reading_en: str
    reading_ja: str
    observations: tuple[Obs, ...]
    explanation_en: str
    explanation_ja: str
    right_value: float | None = None
    alternatives: tuple[Alternative, ...] = ()
    missing_en: str | None = None
    missing_ja: str | None = None
    notes: tuple[tuple[str, str], ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    tolerance_rule_en: str = ""
    tolerance_rule_ja: str = ""

    def __post_init__(self) -> None:
        # dates in Japanese text are written the Japanese way
        object.__setattr__(self, "explanation_ja", ja_date(self.explanation_ja))

    @property
    def quote(self) -> str:
        """The sentence the claim comes from."""
        return self.claim.quote

    @property
    def kind(self) -> str:
        """The claim kind."""
        return self.claim.kind

    @property
    def unit(self) -> str:
        """Unit of ``claimed_value`` and ``data_value`` (empty for a non-claim)."""
        return "" if isinstance(self.claim, NonClaim) else self.claim.unit

    @property
    def claimed_value(self) -> float | None:
        """The number the claim states (``None`` for a non-claim)."""
        return None if isinstance(self.claim, NonClaim) else self.claim.value

    @property
    def auto(self) -> bool:
        """True when the claim was drafted automatically from text."""
        return self.claim.auto

    @property
    def date_label(self) -> str:
        """The claim's date, or its period as ``start/end``."""
        return _date_label(self.claim)

    def explanation(self, lang: str = "en") -> str:
        """The one-line explanation in ``lang``."""
        return self.explanation_ja if lang == "ja" else self.explanation_en

    def summary(self, lang: str = "en") -> str:
        """The verdict and explanation, with the observations used, as plain text."""
        lines = [self.explanation(lang)]
        for o in self.observations:
            pub = o.realtime_start.isoformat() if o.realtime_start else "?"
            lines.append(
                f"  {o.series_id} {o.date} = {fmt_number(o.value, 7)} {o.unit} "
                f"(published {pub}; {o.source})"
            )
        lines += [f"  note: {ja if lang == 'ja' else en}" for en, ja in self.notes]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        from liqwatch.claims.render import render_html_section

        return render_html_section([self])

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record (the shape of ``liqwatch check --format json``)."""
        extra = {
            k: (
                v.isoformat()
                if isinstance(v, date)
                else [x.isoformat() for x in v]
                if isinstance(v, tuple)
                else v
            )
            for k, v in self.extra.items()
            if k in ("at", "run", "n")
        }
        return {
            "id": self.claim.id,
            "quote": self.quote,
            "kind": self.kind,
            "series": self.series,
            "series_as_written": [
                n
                for n in (
                    getattr(self.claim, "series", None),
                    getattr(self.claim, "series_b", None),
                )
                if n
            ],
            "date": self.date_label,
            "claimed_value": self.claimed_value,
            "data_value": _clean(self.data_value),
            "unit": self.unit,
            "verdict": self.verdict,
            "error": {"abs": _clean(self.error_abs), "rel": _clean(self.error_rel)},
            "tolerance": _clean(self.tolerance),
            "tolerance_rule": self.tolerance_rule_en or None,
            "tolerance_rule_ja": self.tolerance_rule_ja or None,
            "reading": self.reading_en,
            "reading_ja": self.reading_ja,
            "explanation": self.explanation_en,
            "explanation_ja": self.explanation_ja,
            "right_value": _clean(self.right_value),
            "alternatives": [
                {
                    "definition": a.en,
                    "definition_ja": a.ja,
                    "value": _clean(a.value),
                    "matches": a.matches,
                }
                for a in self.alternatives
            ],
            "missing": self.missing_en,
            "observations": [o.to_dict() for o in self.observations],
            "notes": [n[0] for n in self.notes],
            "auto": self.auto,
            **({"why": self.claim.why} if isinstance(self.claim, NonClaim) else {}),
            **extra,
        }


def _clean(v: float | None) -> float | None:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return None
    return float(v)


def _date_label(c: Claim) -> str:
    if isinstance(c, NonClaim):
        return ""
    if isinstance(c, (LevelClaim, StreakClaim, RatioClaim)):
        if isinstance(c, LevelClaim) and c.window is not None:
            return f"{c.window[0]}/{c.window[1]}"
        return c.date.isoformat()
    if isinstance(c, SpreadClaim) and c.date is not None:
        return c.date.isoformat()
    start, end = getattr(c, "start", None), getattr(c, "end", None)
    return f"{start or '..'}/{end}"


# ---------------------------------------------------------------------------- readings
@dataclass(frozen=True)
class _Candidate:
    en: str
    ja: str
    run: Callable[[], kinds.Outcome]
    reasonable: bool
    series: str
    fallback: bool = False  # read only when the primary reading is not checkable


def _label(ctx: DataContext, name: str, res: Resolved, lang: str) -> str:
    if res.series.startswith(("indicator:", "ref:")):
        return ctx.name(res.series, lang)
    c = concept(name) if res.is_concept else None
    if c is not None:
        base = c.ja[0] if lang == "ja" and c.ja else c.key
        return f"{base} ({res.series})"
    return res.series


def _series_reading(ctx: DataContext, sid: str, lang: str = "en") -> str:
    return sid


def _readings(ctx: DataContext, res: Resolved) -> list[tuple[str, str, str, bool]]:
    """(series, en, ja, reasonable) for each other series the name could be read as."""
    out = [(r.series, r.en, r.ja, res.is_concept) for r in res.readings]
    seen = {res.series, *(r.series for r in res.readings)}
    for r in res.alternatives:
        if r.series not in seen:
            out.append((r.series, r.en, r.ja, False))
            seen.add(r.series)
    return [o for o in out if o[0] in ctx.stored()]


def _with_series(res: Resolved, sid: str) -> Resolved:
    return Resolved(res.name, sid)


def _plan(ctx: DataContext, c: FactClaim) -> tuple[_Candidate, list[_Candidate], str]:
    """Primary reading, other readings/definitions, and the series formula."""
    unit = c.unit
    if isinstance(c, LevelClaim):
        res = ctx.resolve(c.series)
        sid = ctx.series_on(res, c.date)
        prim = _Candidate(
            _series_reading(ctx, sid),
            _series_reading(ctx, sid, "ja"),
            lambda: kinds.resolved_level(ctx, res, c.date, unit, c.window, c.value),
            True,
            sid,
        )
        others = [
            _Candidate(
                f"{s} ({en})",
                f"{s} ({ja})",
                partial(kinds.level, ctx, s, c.date, unit, c.window, c.value),
                ok,
                s,
            )
            for s, en, ja, ok in _readings(ctx, res)
        ]
        return prim, others, sid
    if isinstance(c, ChangeClaim):
        res = ctx.resolve(c.series)
        sid = res.series
        fam = UNITS[ctx.unit(sid)].family
        if "mode" in c.explicit:
            mode = c.mode
            open_mode = False
        else:
            mode = "percent" if (unit == "percent" and fam != "rate") else "absolute"
            open_mode = unit == "percent" and fam == "rate"
        other = "percent" if mode == "absolute" else "absolute"
        names = {"absolute": ("absolute change", "変化幅"), "percent": ("percent change", "変化率")}
        prim = _Candidate(
            f"{names[mode][0]} of {sid}",
            f"{sid} の{names[mode][1]}",
            lambda: kinds.change(ctx, res, c.start, c.end, unit, mode),
            True,
            sid,
        )
        others = []
        if unit == "percent" or other == "absolute":
            others.append(
                _Candidate(
                    f"{names[other][0]} of {sid}"
                    + (" (percentage points)" if fam == "rate" and other == "absolute" else ""),
                    f"{sid} の{names[other][1]}",
                    lambda: kinds.change(ctx, res, c.start, c.end, unit, other),
                    open_mode,
                    sid,
                )
            )
        for s, en, ja, ok in _readings(ctx, res):
            others.append(
                _Candidate(
                    f"{s} ({en})",
                    f"{s} ({ja})",
                    partial(kinds.change, ctx, s, c.start, c.end, unit, mode),
                    ok,
                    s,
                )
            )
        return prim, others, sid
    if isinstance(c, StatClaim):
        res = ctx.resolve(c.series)
        prim = _Candidate(
            _series_reading(ctx, res.series),
            _series_reading(ctx, res.series, "ja"),
            lambda: kinds.stat(ctx, res, c.start, c.end, unit, c.kind),
            True,
            res.series,
        )
        others = [
            _Candidate(
                f"{s} ({en})",
                f"{s} ({ja})",
                partial(kinds.stat, ctx, s, c.start, c.end, unit, c.kind),
                ok,
                s,
            )
            for s, en, ja, ok in _readings(ctx, res)
        ]
        return prim, others, res.series
    if isinstance(c, SpreadClaim):
        ra, rb = ctx.resolve(c.series), ctx.resolve(c.series_b)
        day = c.date
        sa = ctx.series_on(ra, day) if day else ra.series
        sb = ctx.series_on(rb, day) if day else rb.series
        formula = f"{sa} − {sb}"
        prim = _Candidate(
            formula,
            formula,
            lambda: kinds.spread(ctx, ra, rb, unit, c.date, c.start, c.end),
            True,
            formula,
        )
        others = []
        ind = spread_indicator(ra.series, rb.series)
        if ind is not None:
            # the figure the indicator engine computes is read from it, never re-derived;
            # the series themselves only when the indicator has no value for the date
            ind_id, sign = ind
            name_en = ctx.name(f"indicator:{ind_id}")
            name_ja = ctx.name(f"indicator:{ind_id}", "ja")
            raw = prim
            prim = _Candidate(
                f"{formula}: indicator {name_en}",
                f"{formula}: 指標 {name_ja}",
                lambda: kinds.indicator_spread(ctx, ind_id, sign, (ra, rb), unit, c.date,
                                               c.start, c.end),
                True,
                formula,
            )
            others.append(_Candidate(raw.en, raw.ja, raw.run, False, formula, fallback=True))
        for s, en, ja, ok in _readings(ctx, ra):
            others.append(
                _Candidate(
                    f"{s} − {sb} ({en})",
                    f"{s} − {sb} ({ja})",
                    partial(
                        kinds.spread, ctx, _with_series(ra, s), rb, unit, c.date, c.start, c.end
                    ),
                    ok,
                    f"{s} − {sb}",
                )
            )
        for s, en, ja, ok in _readings(ctx, rb):
            others.append(
                _Candidate(
                    f"{sa} − {s} ({en})",
                    f"{sa} − {s} ({ja})",
                    partial(
                        kinds.spread, ctx, ra, _with_series(rb, s), unit, c.date, c.start, c.end
                    ),
                    ok,
                    f"{sa} − {s}",
                )
            )
        return prim, others, formula
    if isinstance(c, StreakClaim):
        ra = ctx.resolve(c.series)
        rs = ctx.resolve(c.series_b) if c.series_b else None
        sid = ctx.series_on(ra, c.date)
        against = (
            ctx.series_on(rs, c.date)
            if rs
            else fmt_value(c.threshold or 0.0, c.threshold_unit or ctx.unit(sid))
        )
        formula = f"{sid} {c.direction} {against}"

        def run(inclusive: bool = False, cal: bool = False) -> kinds.Outcome:
            return kinds.streak(
                ctx, ra, c.date, c.direction, c.threshold, c.threshold_unit, rs, inclusive, cal
            )

        prim = _Candidate(
            f"business days strictly {c.direction}",
            "条件を厳密に満たす営業日数",
            run,
            True,
            formula,
        )
        others = [
            _Candidate(
                f"business days at or {c.direction}",
                "等しい日も含めた営業日数",
                lambda: run(inclusive=True),
                False,
                formula,
            ),
            _Candidate(
                "calendar days from the first to the last day of the run",
                "連続期間の暦日数",
                lambda: run(cal=True),
                False,
                formula,
            ),
        ]
        return prim, others, formula
    if isinstance(c, RatioClaim):
        ra, rb = ctx.resolve(c.series), ctx.resolve(c.series_b)
        formula = f"{ctx.series_on(ra, c.date)} / {ctx.series_on(rb, c.date)}"
        prim = _Candidate(
            f"{formula}, {rb.series} as published by {c.date}",
            f"{formula}（{c.date} 時点で公表済みの {rb.series}）",
            lambda: kinds.ratio(ctx, ra, rb, c.date, unit, True),
            True,
            formula,
        )
        pre: list[_Candidate] = []
        ratio_ind = ratio_indicator(ra.series, rb.series)
        if ratio_ind is not None:
            raw_ratio = prim
            prim = _Candidate(
                f"{formula}: indicator {ctx.name(f'indicator:{ratio_ind}')}",
                f"{formula}: 指標 {ctx.name(f'indicator:{ratio_ind}', 'ja')}",
                partial(kinds.level, ctx, f"indicator:{ratio_ind}", c.date, unit),
                True,
                formula,
            )
            pre.append(_Candidate(raw_ratio.en, raw_ratio.ja, raw_ratio.run, False, formula,
                                  fallback=True))
        others = [*pre,
            _Candidate(
                f"{formula}, {rb.series} of the period containing {c.date} (published later)",
                f"{formula}（{c.date} を含む期間の {rb.series}、後日公表）",
                lambda: kinds.ratio(ctx, ra, rb, c.date, unit, False),
                False,
                formula,
            )
        ]
        for s, en, ja, ok in _readings(ctx, ra):
            others.append(
                _Candidate(
                    f"{s} / {rb.series} ({en})",
                    f"{s} / {rb.series} ({ja})",
                    partial(kinds.ratio, ctx, _with_series(ra, s), rb, c.date, unit, True),
                    ok,
                    f"{s} / {rb.series}",
                )
            )
        return prim, others, formula
    assert isinstance(c, CorrelationClaim)
    ra, rb = ctx.resolve(c.series), ctx.resolve(c.series_b)
    formula = f"corr({ra.series}, {rb.series})"
    names = {
        "returns": ("daily log returns", "日次対数リターン"),
        "changes": ("daily changes", "日次変化幅"),
        "levels": ("levels", "水準"),
    }
    prim = _Candidate(
        f"correlation of {names[c.basis][0]}",
        f"{names[c.basis][1]}の相関",
        lambda: kinds.correlation(ctx, ra, rb, c.start, c.end, c.basis),
        True,
        formula,
    )
    others = [
        _Candidate(
            f"correlation of {names[b][0]}",
            f"{names[b][1]}の相関",
            partial(kinds.correlation, ctx, ra, rb, c.start, c.end, b),
            False,
            formula,
        )
        for b in ("returns", "changes", "levels")
        if b != c.basis
    ]
    return prim, others, formula


# ---------------------------------------------------------------------------- phrases
def _what(ctx: DataContext, c: FactClaim, lang: str) -> str:
    text = _what_raw(ctx, c, lang)
    return ja_date(text) if lang == "ja" else text


def _what_raw(ctx: DataContext, c: FactClaim, lang: str) -> str:
    def name(n: str) -> str:
        try:
            return _label(ctx, n, ctx.resolve(n), lang)
        except NotCheckable:
            return n

    ja = lang == "ja"
    if isinstance(c, LevelClaim):
        when = f"{c.window[0]}〜{c.window[1]}" if c.window else str(c.date)
        if c.window and not ja:
            return f"{name(c.series)} between {c.window[0]} and {c.window[1]}"
        return f"{when}の{name(c.series)}" if ja else f"{name(c.series)} on {when}"
    if isinstance(c, ChangeClaim):
        return (
            f"{c.start}から{c.end}までの{name(c.series)}の変化"
            if ja
            else f"the change in {name(c.series)} from {c.start} to {c.end}"
        )
    if isinstance(c, StatClaim):
        word_en = {"mean": "average", "max": "high", "min": "low"}[c.kind]
        word_ja = {"mean": "平均", "max": "最高値", "min": "最低値"}[c.kind]
        if c.start is None:
            return (f"{c.end}までの全期間の{name(c.series)}の{word_ja}" if ja
                    else f"the {word_en} of {name(c.series)} over all the data to {c.end}")
        return (
            f"{c.start}〜{c.end}の{name(c.series)}の{word_ja}"
            if ja
            else f"the {word_en} of {name(c.series)} from {c.start} to {c.end}"
        )
    if isinstance(c, SpreadClaim):
        when = (
            str(c.date)
            if c.date
            else (f"{c.start}〜{c.end}の平均" if ja else f"averaged from {c.start} to {c.end}")
        )
        if ja:
            return f"{when}の{name(c.series)}と{name(c.series_b)}の差"
        return f"{name(c.series)} minus {name(c.series_b)} " + (f"on {when}" if c.date else when)
    if isinstance(c, StreakClaim):
        thr = (
            name(c.series_b)
            if c.series_b
            else fmt_value(c.threshold or 0.0, c.threshold_unit or "number")
        )
        if ja:
            verb = "上回った" if c.direction == "above" else "下回った"
            return f"{c.date}までに{name(c.series)}が{thr}を{verb}連続営業日数"
        return (
            f"the run of business days {name(c.series)} stayed {c.direction} {thr} up to {c.date}"
        )
    if isinstance(c, RatioClaim):
        return (
            f"{c.date}の{name(c.series)}の{name(c.series_b)}比"
            if ja
            else f"{name(c.series)} / {name(c.series_b)} on {c.date}"
        )
    assert isinstance(c, CorrelationClaim)
    basis_ja = {"returns": "日次対数リターン", "changes": "日次変化幅", "levels": "水準"}[c.basis]
    basis_en = {"returns": "daily log returns", "changes": "daily changes", "levels": "levels"}[
        c.basis
    ]
    return (
        f"{c.start}〜{c.end}の{name(c.series)}と{name(c.series_b)}の{basis_ja}の相関"
        if ja
        else f"the correlation of {basis_en} of {name(c.series)} and {name(c.series_b)} "
        f"from {c.start} to {c.end}"
    )


# ---------------------------------------------------------------------------- checking
_SLIPS = (
    (10.0, "a 10× unit slip (a misplaced digit or decimal point)", "10 倍の桁違い"),
    (100.0, "a 100× unit slip (percent vs basis points)", "100 倍の桁違い (% と bp の取り違え)"),
    (
        1000.0,
        "a 1000× unit slip (millions vs billions, or billions vs trillions)",
        "1000 倍の桁違い (百万と十億、十億と兆の取り違え)",
    ),
    (10000.0, "a 10,000× unit slip (億 vs 兆)", "1 万倍の桁違い (億と兆の取り違え)"),
)


def _slips(claimed: float, data: float, tol: float, unit: str) -> list[Alternative]:
    out: list[Alternative] = []
    fam = UNITS[unit].family
    if fam in ("days", "number") or data == 0 or not math.isfinite(tol):
        return out
    for f, en, ja in _SLIPS:
        if f == 100.0 and fam != "rate":
            continue
        for factor, word_en, word_ja in ((f, "times", "倍"), (1 / f, "divided by", "分の 1")):
            if abs(claimed - data * factor) <= max(tol, 0.005 * abs(claimed)):
                val = data * factor
                ja_f = f"{f:,.0f}{word_ja}".replace(" ", "")
                out.append(
                    Alternative(
                        f"{en}: the data {word_en} {f:,.0f} is {fmt_value(val, unit)}",
                        f"{ja}（データの{ja_f}は{fmt_value_ja(val, unit)}）",
                        val,
                        True,
                    )
                )
    return out


def _other_dates(
    ctx: DataContext,
    c: LevelClaim,
    sid: str,
    used: date,
    band: Band,
) -> list[Alternative]:
    """Another date on which the series had the claimed value: the nearest within ±60 days,
    else the last one before the claim date (out-of-date figures, e.g. an old rate regime)
    when it is at most ``STALE_MAX_DAYS`` old."""
    frame = ctx.frame(sid)
    try:
        vals = frame["value"].to_numpy(float) * convert(1.0, ctx.unit(sid), c.unit)
    except UnitError:
        return []
    if not math.isfinite(band.hi - band.lo):
        return []  # a bound ("more than $3tn") holds on too many days to name one
    hit = (vals >= band.lo) & (vals <= band.hi) & (frame.index != pd.Timestamp(used))
    if not hit.any():
        return []
    dates = pd.DatetimeIndex(frame.index[hit])
    values = vals[hit]
    gaps = np.abs((dates - pd.Timestamp(c.date)).days.to_numpy())
    near = gaps <= 60
    if near.any():
        k = int(np.flatnonzero(near)[np.argmin(gaps[near])])
        ts, v = dates[k], float(values[k])
        return [
            Alternative(
                f"another date: {sid} was {fmt_value(v, c.unit)} on {ts.date()}",
                f"別の日付の値（{ja_date(str(ts.date()))}の{sid}は{fmt_value_ja(v, c.unit)}）",
                v,
                True,
            )
        ]
    before = np.flatnonzero(dates < pd.Timestamp(c.date))
    if len(before) == 0:
        return []
    k = int(before[-1])
    ts, v = dates[k], float(values[k])
    age = (c.date - ts.date()).days
    if age > STALE_MAX_DAYS:  # a value last seen years ago is a coincidence, not a source
        return []
    return [
        Alternative(
            f"an out-of-date figure: {sid} was last {fmt_value(v, c.unit)} on {ts.date()}, "
            f"{age} days before the claim date",
            f"古い数値（{sid}が{fmt_value_ja(v, c.unit)}だったのは{ja_date(str(ts.date()))}"
            f"が最後で、主張の日付の {age} 日前）",
            v,
            True,
        )
    ]


def _band(c: FactClaim) -> Band:
    b = c.band()
    if isinstance(c, CorrelationClaim) and c.tolerance is None and b.half_width < 0.05:
        return Band(c.value - 0.05, c.value + 0.05, "±0.05 (correlations)", "±0.05（相関係数）")
    return b


def _first_release_notes(obs: Iterable[Obs]) -> list[tuple[str, str]]:
    out = []
    for o in obs:
        if o.first_release is not None:
            out.append(
                (
                    f"{o.series_id} {o.date} was first released as "
                    f"{fmt_number(o.first_release, 7)} "
                    f"(now {fmt_number(o.value, 7)})",
                    f"{o.series_id} {o.date} の初回公表値は {fmt_number(o.first_release, 7)} "
                    f"(現在 {fmt_number(o.value, 7)})",
                )
            )
    return out


def _without_data(c: Claim, series: str, en: str, ja: str, band: Band | None = None
                  ) -> ClaimResult:
    """A result that read no data: ``en``/``ja`` say what is missing (or why not checked)."""
    return ClaimResult(
        claim=c,
        verdict="not_checkable",
        data_value=None,
        error_abs=None,
        error_rel=None,
        tolerance=band.half_width if band is not None else 0.0,
        series=series,
        reading_en="",
        reading_ja="",
        observations=(),
        explanation_en=f"Not checkable: {en}.",
        explanation_ja=f"検証不能: {ja}。",
        missing_en=en,
        missing_ja=ja,
        tolerance_rule_en=band.rule_en if band is not None else "",
        tolerance_rule_ja=band.rule_ja if band is not None else "",
    )


#: Why a non-claim is not checked (en, ja).
NON_CLAIM_TEXT = {
    "target": ("a policy target or plan, not a statement about the data",
               "政策目標・計画であり、データについての記述ではありません"),
    "forecast": ("a forecast or expectation, not a statement about the data",
                 "予想・見通しであり、データについての記述ではありません"),
    "conditional": ("a conditional ('if ...'), not a statement about the data",
                    "条件付きの記述 (「〜すれば」) であり、データについての記述ではありません"),
    "threshold": ("a threshold to watch, not a statement about the data",
                  "注目すべき水準であり、データについての記述ではありません"),
    "quotation": ("someone else's estimate, quoted, not a statement about the data",
                  "他者の推計・見方の引用であり、データについての記述ではありません"),
}


def _non_claim(c: NonClaim) -> ClaimResult:
    en, ja = NON_CLAIM_TEXT[c.why]
    nums = ", ".join(c.numbers)
    return _without_data(c, c.series or "", f"{en} ({nums})" if nums else en,
                         f"{ja}（{nums}）" if nums else ja)


def check_one(ctx: DataContext, c: Claim) -> ClaimResult:
    """Check one claim (see the module docstring for the verdicts)."""
    if isinstance(c, NonClaim):
        return _non_claim(c)
    band = _band(c)
    try:
        prim, others, series = _plan(ctx, c)
    except NotCheckable as exc:
        return _without_data(c, getattr(c, "series", ""), exc.en, exc.ja, band)
    used = prim
    notes: list[tuple[str, str]] = []
    try:
        out = prim.run()
    except NotCheckable as exc:
        # a concept may still be checkable on another of its series
        fallback = None
        for cand in others:
            if not (cand.reasonable or cand.fallback):
                continue
            try:
                fallback = (cand, cand.run())
                break
            except NotCheckable:
                continue
        if fallback is None:
            return _without_data(c, series, exc.en, exc.ja, band)
        used, out = fallback
        notes.append((f"{exc.en}; read as {used.en}", f"{exc.ja}。{used.ja}として読みました"))
        others = [o for o in others if o is not used]
    others = [o for o in others if not o.fallback]
    data = out.value
    err = c.value - data
    rel = abs(err) / abs(data) if data else (0.0 if err == 0 else math.inf)
    ok = band.holds(data)
    notes = [*notes, *out.notes, *_first_release_notes(out.obs)]
    what_en, what_ja = _what(ctx, c, "en"), _what(ctx, c, "ja")
    d_en, d_ja = fmt_value(data, c.unit), fmt_value_ja(data, c.unit)
    c_en, c_ja = fmt_value(c.value, c.unit), fmt_value_ja(c.value, c.unit)
    t_en, t_ja = f" (tolerance {band.rule_en})", f"（許容幅 {band.rule_ja}）"
    alts: list[Alternative] = []
    extra = dict(out.extra)
    tol = band.half_width

    # a max/min claimed on a date must also hold on that date
    at_wrong = False
    claimed_at = c.at if isinstance(c, StatClaim) else None
    if claimed_at is not None and "at" in out.extra:
        at_wrong = abs((out.extra["at"] - claimed_at).days) > 7

    def result(
        verdict: str,
        en: str,
        ja: str,
        alternatives: Iterable[Alternative] = (),
        right: float | None = None,
    ) -> ClaimResult:
        return ClaimResult(
            claim=c,
            verdict=verdict,
            data_value=data,
            error_abs=err,
            error_rel=rel,
            tolerance=tol,
            series=used.series if used is not prim else series,
            reading_en=used.en,
            reading_ja=used.ja,
            observations=out.obs,
            explanation_en=en,
            explanation_ja=ja,
            right_value=right,
            alternatives=tuple(alternatives),
            notes=tuple(notes),
            extra=extra,
            tolerance_rule_en=band.rule_en,
            tolerance_rule_ja=band.rule_ja,
        )

    if ok and not at_wrong:
        return result(
            "consistent",
            f"Consistent: {what_en} was {d_en} (claimed {c_en}; tolerance {band.rule_en}).",
            f"整合: {what_ja}は{d_ja}（主張 {c_ja}、許容幅 {band.rule_ja}）。",
        )
    if ok and at_wrong:
        at = out.extra["at"]
        word, word_ja = ("high", "最高値") if c.kind == "max" else ("low", "最低値")
        return result(
            "wrong",
            f"Wrong: the {word} {d_en} was on {at}, not on {claimed_at}.",
            f"誤り: {word_ja} {d_ja} は {at} で、{claimed_at} ではありません。",
            right=data,
        )
    # other readings a reasonable reader could take, then other definitions
    for cand in others:
        try:
            o = cand.run()
        except NotCheckable:
            continue
        match = band.holds(o.value)
        alts.append(Alternative(cand.en, cand.ja, o.value, match))
        if match and cand.reasonable:
            v_en, v_ja = fmt_value(o.value, c.unit), fmt_value_ja(o.value, c.unit)
            return result(
                "ambiguous",
                f"Ambiguous: read as {used.en} (the reading used), {what_en} was {d_en}, "
                f"not {c_en}{t_en}; read as {cand.en} it is {v_en}, which matches.",
                f"解釈次第: {used.ja}（採用した読み方）では{what_ja}は{d_ja}で主張 {c_ja} と"
                f"異なりますが{t_ja}、{cand.ja}として読むと{v_ja}で一致します。",
                alts,
            )
    alts += _slips(c.value, data, tol, c.unit)
    if isinstance(c, LevelClaim) and c.window is None and out.obs:
        alts += _other_dates(ctx, c, out.obs[0].series_id, out.obs[0].date, band)
    matching = [a for a in alts if a.matches]
    tail_en = tail_ja = ""
    if matching:
        tail_en = " The claimed number matches " + "; ".join(a.en for a in matching) + "."
        tail_ja = "主張の数値は" + "、".join(a.ja for a in matching) + "と一致します。"
    return result(
        "wrong",
        f"Wrong: {what_en} was {d_en}, not {c_en}{t_en}; about {d_en} would be right."
        + tail_en,
        f"誤り: {what_ja}は{d_ja}で、{c_ja}ではありません{t_ja}（正しくは約{d_ja}）。" + tail_ja,
        alts,
        right=data,
    )


def check(
    store: Store, claims: Iterable[Claim], *, as_of: date | None = None
) -> list[ClaimResult]:
    """Check ``claims`` against the latest data in ``store``.

    Parameters
    ----------
    store
        The point-in-time store.
    claims
        Claims from :func:`~liqwatch.claims.load_claims` or
        :func:`~liqwatch.claims.extract`.
    as_of
        Check against the data as published on that day (what a writer could know then)
        instead of the latest vintage.

    Returns
    -------
    list of ClaimResult
        One per claim, in order.

    Examples
    --------
    >>> from liqwatch.claims import check, parse_claims
    >>> claims = parse_claims([{"kind": "level", "series": "SOFR", "date": "2019-09-17",
    ...                         "value": "5.25%"}])
    >>> [r.verdict for r in check(store, claims)]  # doctest: +SKIP
    ['consistent']
    """
    ctx = DataContext(store, as_of=as_of)
    return [check_one(ctx, c) for c in claims]


def summary_counts(results: Iterable[ClaimResult]) -> dict[str, int]:
    """Number of results per verdict (every verdict present, in :data:`VERDICTS` order)."""
    counts = dict.fromkeys(VERDICTS, 0)
    for r in results:
        counts[r.verdict] += 1
    return counts
