"""Drafting claims from a plain-text commentary (English or Japanese).

Each sentence holding a number is scanned for series names (:mod:`~liqwatch.claims.lexicon`),
numbers with units (:mod:`~liqwatch.claims.units`) and date expressions
(:mod:`~liqwatch.claims.dates`). Cue words pick the kind (``peaked`` → max, ``平均`` → mean,
``consecutive``/``連続`` → streak, ``correlation``/``相関`` → correlation, ``% of GDP``/
``GDP比`` → ratio, ``spread``/``above``/``上回`` with two series → spread, ``by``/``増加`` →
change, otherwise level). A sentence may give several claims ("SOFR printed 4.22%, 22 bp above
the top of the range" → a level and a spread); reference levels ("the $3tn mark", 「上限の
4.00%」) are what a claim is compared with, never claims. Every drafted claim quotes its sentence
and is marked ``auto``.
Sentences with numbers that cannot be mapped to a series, a unit and a date are listed in
:attr:`Draft.unmapped` with the reason, never guessed.

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
from datetime import date, timedelta
from typing import Any

import pandas as pd
import yaml

from liqwatch import catalog
from liqwatch.calendar import BDAY
from liqwatch.claims.dates import RELATIVE_DATE, DateSpan, find_dates
from liqwatch.claims.lexicon import Mention, find_mentions
from liqwatch.claims.schema import Claim, dump_claims, parse_claims
from liqwatch.claims.units import UNITS, Amount, catalog_unit, find_amounts
from liqwatch.exceptions import ConfigError

__all__ = ["Draft", "Unmapped", "extract", "split_sentences"]


@dataclass(frozen=True, slots=True)
class Unmapped:
    """A sentence with a number that could not be turned into a claim, and why."""

    quote: str
    reason_en: str
    reason_ja: str

    def to_dict(self) -> dict[str, str]:
        """JSON-ready form."""
        return {"quote": self.quote, "reason": self.reason_en, "reason_ja": self.reason_ja}


@dataclass
class Draft:
    """Claims drafted from a text, and what could not be mapped.

    Iterating a draft yields its claims, so ``check(store, extract(text))`` works.
    """

    claims: list[Claim] = field(default_factory=list)
    unmapped: list[Unmapped] = field(default_factory=list)
    lang: str = "en"

    def __iter__(self) -> Iterator[Claim]:
        return iter(self.claims)

    def __len__(self) -> int:
        return len(self.claims)

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
        return {
            "lang": self.lang,
            "claims": yaml.safe_load(dump_claims(self.claims)) if self.claims else [],
            "unmapped": [u.to_dict() for u in self.unmapped],
        }


# ---------------------------------------------------------------------------- sentences
_ABBREV = re.compile(
    r"(?:\b(?:U\.S|e\.g|i\.e|vs|approx|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|No|"
    r"St|Mr|Ms|Dr|Inc|Co|etc))\.$"
)


def split_sentences(text: str) -> list[str]:
    """Split English and Japanese text into sentences (keeps ``U.S.``, ``Nov.``, decimals)."""
    out: list[str] = []
    for para in re.split(r"\n\s*\n|\n(?=\s*[-*•・]\s)", text):
        buf = ""
        i = 0
        para = para.replace("\n", " ")
        while i < len(para):
            ch = para[i]
            buf += ch
            if ch in "。！？!?":
                out.append(buf)
                buf = ""
            elif ch == "." and (i + 1 == len(para) or para[i + 1] == " "):
                nxt = para[i + 1 :].lstrip()
                if not _ABBREV.search(buf) and (not nxt or not nxt[0].islower()):
                    out.append(buf)
                    buf = ""
            i += 1
        if buf.strip():
            out.append(buf)
    return [re.sub(r"\s+", " ", s).strip(" -*•・\t") for s in out if s.strip(" -*•・\t")]


def _lang(text: str) -> str:
    ja = len(re.findall(r"[\u3040-\u30ff\u4e00-\u9fff]", text))
    return "ja" if ja > len(text) * 0.05 else "en"


# ---------------------------------------------------------------------------- cues
_CUE = {
    "correlation": re.compile(r"correlat|相関", re.I),
    "streak": re.compile(r"consecutive|in a row|straight (?:business |trading )?days|連続", re.I),
    "ratio": re.compile(
        r"of (?:nominal )?GDP|GDP比|対GDP|GDPの|of (?:commercial[- ])?bank assets|銀行資産比|"
        r"銀行(?:の)?総資産(?:比|の)",
        re.I,
    ),
    "mean": re.compile(r"averag|平均|\bmean\b", re.I),
    "max": re.compile(
        r"\bpeak|\bhighs?\b|highest|record high|\bmaximum|\btopped|最高|ピーク|最大|高値", re.I
    ),
    "min": re.compile(
        r"\btrough|\blows?\b|lowest|record low|\bminimum|bottomed|最低|最小|底|安値", re.I
    ),
    "spread": re.compile(
        r"spread|\bminus\b|\babove\b|\bbelow\b|\bover\b|\bunder\b|差|上回|下回|"
        r"スプレッド|乖離|上乗せ",
        re.I,
    ),
}
_DOWN = re.compile(
    r"\b(?:fell|fall|falls|decreas\w*|dropp?\w*|declin\w*|down|lost|shr[ai]nk\w*|"
    r"plung\w*|slid|drain\w*|tumbl\w*|lower)\b|減|低下|下落|縮小|急落|落ち",
    re.I,
)
_EN_BY = re.compile(
    r"(?:\bby|\b(?:rise|increase|jump|drop|decline|fall|gain|loss|decrease|"
    r"change|swing|move)\s+of|\b(?:up|down|rose|fell|jumped|climbed|dropped|declined|gained|"
    r"lost|added|shed|increased|decreased|widened|narrowed|surged|plunged|slipped|soared|"
    r"tumbled|sank|grew|shrank))\s*(?:about|around|roughly|some|nearly|almost)?\s*$",
    re.I,
)
_JA_CHANGE_AFTER = re.compile(
    r"^\s*(?:の|も|ほど|程度|近く|超)?\s*(?:増加|減少|上昇|低下|拡大|縮小|下落|"
    r"急増|急減|急騰|急落|増|減|伸び|縮み|落ち込)"
)
_APPROX_BEFORE = re.compile(
    r"(?:about|around|near|nearly|roughly|approximately|some|almost|"
    r"close to|約|ほぼ|およそ)\s*[$＄]?\s*$",
    re.I,
)
_APPROX_AFTER = re.compile(r"^\s*(?:程度|前後|近く|強|弱|台)")
_SINCE = re.compile(r"\bsince\b|以降|から", re.I)
_WOW = re.compile(
    r"week[- ]on[- ]week|over the (?:past |last )?week|in the week (?:to|ended|ending|through)"
    r"|during the week|前週比|週間で",
    re.I,
)
_MOM = re.compile(
    r"month[- ]on[- ]month|over the (?:past |last )?month|前月比|1か月で|1カ月で", re.I
)
_YOY = re.compile(r"year[- ]on[- ]year|over the (?:past |last )?year|前年比|1年で", re.I)
_DOD = re.compile(r"on the day|day[- ]on[- ]day|前日比|1日で", re.I)
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fifty-two": 52,
}
_LOOKBACK = re.compile(
    r"(?:past|last|previous|trailing)\s+(\d+|" + "|".join(_NUMBER_WORDS) + r")[\s-]*"
    r"(days?|weeks?|months?)"
    r"|過去\s*(\d+)\s*(日|週間|か月|カ月|ヶ月)",
    re.I,
)
_STREAK_N = re.compile(
    r"(\d+)\s*(?:consecutive|straight)?\s*(?:business\s+|trading\s+)?days?"
    r"|(\d+)\s*営業日|(\d+)\s*日連続|連続\s*(\d+)\s*(?:営業)?日",
    re.I,
)
_ABOVE = re.compile(r"\babove\b|\bover\b|exceed|higher than|上回|超え|超過|以上|上", re.I)
_BELOW = re.compile(r"\bbelow\b|\bunder\b|lower than|下回|未満|以下|下", re.I)
_BARE = re.compile(r"(?<![A-Za-z0-9_.,])[-−]?\d+(?:\.\d+)?(?![A-Za-z0-9_,%％]|\.\d)")
_YEN_AMOUNT = re.compile(
    r"[¥￥]\s*[\d,.]+\s*(?:trillion|billion|million|tn|bn|mn)?"
    r"|[\d,.]+\s*(?:兆|億|万)?\s*円",
    re.I,
)
# "マイナス86bp", "▲300億ドル", "minus 86 bp", "negative 20bp" are negative numbers
_NEGATIVE = re.compile(r"(?:マイナス|▲|△|\bminus\s+|\bnegative\s+)(?=\$?\d)", re.I)
# "the $3tn mark", "the 4.00% top of the range", "上限の4.00%", "3兆ドルの大台": reference
# levels the sentence compares with, not claimed values
_REF_AFTER = re.compile(
    r"^\s*(?:mark|threshold|line|barrier|handle|floor|ceiling|cap|"
    r"(?:top|bottom|upper end|lower end|ceiling|floor) of|upper bound|lower bound)\b"
    r"|^\s*(?:の|という)?\s*(?:上限|下限|大台|節目|目安)",
    re.I,
)
_REF_BEFORE = re.compile(
    r"(?:threshold|mark|floor|ceiling|cap|bound|top of the range|bottom of the range)"
    r"\s+(?:of|at)\s*[$＄]?\s*$|(?:上限|下限|大台|節目|目安|基準)\s*(?:の|である|は)?\s*$",
    re.I,
)
_LEVELS = re.compile(r"\blevels?\b|price levels|水準|価格そのもの", re.I)
_RETURNS = re.compile(r"returns?|リターン|騰落率", re.I)
_CHANGES = re.compile(r"daily changes|changes|変化幅", re.I)


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for s, e in spans:
        for i in range(s, e):
            chars[i] = " "
    return "".join(chars)


def _series_unit(m: Mention) -> str:
    sid = m.concept.series
    if sid.startswith("indicator:"):
        from liqwatch.indicators import REGISTRY

        spec = REGISTRY.get(sid.split(":", 1)[1])
        return catalog_unit(str(spec.unit)) if spec is not None else "number"
    return catalog_unit(catalog.get(sid).unit) if catalog.is_known(sid) else "number"


def _fits(m: Mention, unit: str | None) -> bool:
    fam = UNITS[_series_unit(m)].family
    if unit is None:
        return fam in ("index", "number")
    ufam = UNITS[unit].family
    return ufam == fam or (fam == "rate" and ufam == "rate")


def _nearest(pos: int, items: list[Any], key: Any, prefer_before: bool = True) -> Any:
    before = [x for x in items if key(x)[1] <= pos]
    if prefer_before and before:
        return max(before, key=lambda x: key(x)[1])
    if not items:
        return None
    return min(items, key=lambda x: min(abs(pos - key(x)[0]), abs(pos - key(x)[1])))


def _nearest_date(pos: int, end: int, dates: list[DateSpan]) -> DateSpan | None:
    if not dates:
        return None

    def dist(d: DateSpan) -> int:
        ds, de = d.pos, d.pos + len(d.text)
        if de <= pos:
            return pos - de
        if ds >= end:
            return ds - end
        return 0

    return min(dates, key=dist)


# ---------------------------------------------------------------------------- drafting
@dataclass
class _Sentence:
    text: str
    mentions: list[Mention]
    dates: list[DateSpan]
    amounts: list[Amount]
    bare: list[tuple[float, int, int, str]]
    yen: bool = False
    refs: list[Amount] = field(default_factory=list)
    reference: date | None = None
    problems: list[tuple[str, str]] = field(default_factory=list)


def _scan(sentence: str, year: int, reference: date | None = None) -> _Sentence:
    dates = find_dates(sentence, default_year=year, reference=reference)
    mentions = []
    seen: set[tuple[int, int]] = set()
    for m in find_mentions(sentence):
        if (m.start, m.end) not in seen:
            mentions.append(m)
            seen.add((m.start, m.end))
    spans = [(d.pos, d.pos + len(d.text)) for d in dates] + [(m.start, m.end) for m in mentions]
    yen = [(m.start(), m.end()) for m in _YEN_AMOUNT.finditer(sentence)]
    spans += yen
    masked = _mask(sentence, spans)
    # ordinals, percentiles and durations are not claimed values
    masked = re.sub(
        r"\d+(?:st|nd|rd|th)\b|\d+-(?:year|month|day|week)\b|Q[1-4]",
        lambda m: " " * len(m.group(0)),
        masked,
    )
    amounts = find_amounts(masked)
    refs = [a for a in amounts if a.unit is not None and _is_reference(sentence, a)]
    taken = [(a.start, a.end) for a in amounts]
    bare = []
    for hit in _BARE.finditer(masked):
        if any(hit.start() < e and s < hit.end() for s, e in taken):
            continue
        raw = hit.group(0)
        bare.append((float(raw.replace("−", "-")), hit.start(), hit.end(), raw))
    amounts = [a for a in amounts if a not in refs]
    return _Sentence(sentence, mentions, dates, amounts, bare, bool(yen), refs, reference)


def _is_reference(s: str, a: Amount) -> bool:
    """A reference level ("the $3tn mark", "上限の4.00%"), not a claimed value."""
    return bool(
        _REF_AFTER.search(s[a.end : a.end + 24])
        or _REF_BEFORE.search(s[max(0, a.start - 24) : a.start])
    )


def _approx(s: str, a_start: int, a_end: int) -> bool:
    return bool(
        _APPROX_BEFORE.search(s[max(0, a_start - 16) : a_start])
        or _APPROX_AFTER.search(s[a_end : a_end + 4])
    )


def _base(quote: str, amount: Amount, sentence: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "quote": quote,
        "value": amount.value,
        "unit": amount.unit,
        "precision": amount.half_unit,
        "auto": True,
    }
    if _approx(sentence, amount.start, amount.end):
        out["approx"] = True
    return out


def _period(dates: list[DateSpan]) -> tuple[date, date] | None:
    """A period: one span longer than a day, or two days (from ... to ...)."""
    long = [d for d in dates if not d.is_day]
    if long:
        d = long[0]
        return d.start, d.end
    days = sorted(d.start for d in dates if d.is_day)
    if len(days) >= 2:
        return days[0], days[-1]
    return None


def _lookback(s: str, end: date) -> date | None:
    m = _LOOKBACK.search(s)
    if not m:
        return None
    word = (m.group(1) or m.group(3)).lower()
    n = _NUMBER_WORDS[word] if word in _NUMBER_WORDS else int(word)
    unit = (m.group(2) or m.group(4)).lower()
    if unit.startswith("day") or unit == "日":
        return end - timedelta(days=n)
    if unit.startswith("week") or unit == "週間":
        return end - timedelta(weeks=n)
    return end - timedelta(days=round(30.44 * n))


class _Skip(Exception):  # noqa: N818 - control flow
    def __init__(self, en: str, ja: str) -> None:
        super().__init__(en)
        self.en, self.ja = en, ja


def _one_series(sc: _Sentence) -> Mention:
    concepts = {m.concept.key: m for m in sc.mentions}
    if not concepts:
        raise _Skip("no known series is named", "既知の系列名がありません")
    if len(concepts) > 1:
        raise _Skip(
            f"several series named ({', '.join(concepts)}) for one number",
            f"1 つの数値に複数の系列 ({'、'.join(concepts)}) が対応します",
        )
    return next(iter(concepts.values()))


def _two_series(sc: _Sentence, exclude: str | None = None) -> tuple[Mention, Mention]:
    uniq: list[Mention] = []
    for m in sc.mentions:
        if m.concept.key != exclude and m.concept.key not in {u.concept.key for u in uniq}:
            uniq.append(m)
    if len(uniq) != 2:
        raise _Skip(
            f"needs two series, found {len(uniq)}", f"2 つの系列が必要ですが {len(uniq)} 個です"
        )
    return uniq[0], uniq[1]


def _claimed_amount(sc: _Sentence, units: tuple[str, ...] | None = None) -> Amount:
    hits = [
        a
        for a in sc.amounts
        if a.unit is not None and (units is None or UNITS[a.unit].family in units)
    ]
    if not hits:
        raise _Skip("no number with a unit", "単位付きの数値がありません")
    if len(hits) > 1:
        raise _Skip(
            "several numbers; cannot tell which is claimed",
            "数値が複数あり、どれが主張か判別できません",
        )
    return hits[0]


def _draft_sentence(sc: _Sentence) -> list[dict[str, Any]]:
    s = sc.text
    if sc.yen and not sc.amounts:
        raise _Skip("yen amounts are not supported", "円建ての金額には対応していません")
    if _CUE["correlation"].search(s):
        a, b = _two_series(sc)
        nums = [x for x in sc.bare if -1.0 <= x[0] <= 1.0]
        if len(nums) != 1:
            raise _Skip("no single correlation coefficient", "相関係数を 1 つに特定できません")
        period = _period(sc.dates)
        if period is None:
            day = next((d.start for d in sc.dates if d.is_day), None)
            start = _lookback(s, day) if day else None
            if day is None or start is None:
                raise _Skip("no window for the correlation", "相関の計測期間がありません")
            period = (start, day)
        value, _, _, _raw = nums[0]
        out: dict[str, Any] = {
            "quote": s,
            "kind": "correlation",
            "series": a.concept.key,
            "series_b": b.concept.key,
            "start": period[0],
            "end": period[1],
            "value": value,
            "unit": "number",
            "auto": True,
        }
        if _LEVELS.search(s):
            out["basis"] = "levels"
        elif _CHANGES.search(s):
            out["basis"] = "changes"
        elif _RETURNS.search(s):
            out["basis"] = "returns"
        return [out]
    if _CUE["streak"].search(s):
        m = _STREAK_N.search(s)
        if not m:
            raise _Skip("no number of days for the run", "連続日数がありません")
        n = int(next(g for g in m.groups() if g))
        direction = "below" if _BELOW.search(s) and not _ABOVE.search(s) else "above"
        day = next((d.end for d in reversed(sc.dates)), None)
        if day is None:
            raise _Skip("no end date for the run", "連続期間の終了日がありません")
        uniq = {x.concept.key: x for x in sc.mentions}
        out = {
            "quote": s,
            "kind": "streak",
            "date": day,
            "value": n,
            "unit": "days",
            "direction": direction,
            "auto": True,
        }
        keys = list(uniq)
        if len(keys) == 2:
            out.update(series=keys[0], series_b=keys[1])
        elif len(keys) == 1:
            thr = [a for a in sc.amounts if a.unit is not None]
            if len(thr) != 1:
                raise _Skip("no level for the run", "連続判定の水準がありません")
            out.update(series=keys[0], threshold=thr[0].value, threshold_unit=thr[0].unit)
        else:
            raise _Skip("no known series is named", "既知の系列名がありません")
        return [out]
    if _CUE["ratio"].search(s):
        denom = "GDP" if any(x.concept.key == "GDP" for x in sc.mentions) else "bank assets"
        numer = [x for x in sc.mentions if x.concept.key not in ("GDP", "bank assets")]
        if not numer:
            raise _Skip("no numerator series", "分子の系列がありません")
        amount = _claimed_amount(sc, ("rate",))
        d = _nearest_date(amount.start, amount.end, sc.dates)
        if d is None:
            raise _Skip("no date", "日付がありません")
        out = _base(s, amount, s) | {
            "kind": "ratio",
            "series": numer[0].concept.key,
            "series_b": denom,
            "date": d.end if not d.is_day else d.start,
        }
        return [out]
    keys = list(dict.fromkeys(x.concept.key for x in sc.mentions))
    if (
        len(keys) == 2
        and _CUE["spread"].search(s)
        and any(a.unit in ("bp", "percent") for a in sc.amounts)
        and all(_series_unit(x) == "percent" for x in sc.mentions)
    ):
        a, b = _two_series(sc)
        rates = [x for x in sc.amounts if x.unit is not None and UNITS[x.unit].family == "rate"]
        amount = _spread_amount(s, rates) if len(rates) > 1 else _claimed_amount(sc, ("rate",))
        levels: list[dict[str, Any]] = []
        if len(rates) > 1:
            # "SOFR printed 4.22%, 22 bp above the top of the range": the other numbers
            # are levels of the series named before them
            levels = _draft_levels(sc, [x for x in sc.amounts if x is not amount])
            if _CUE["mean"].search(s):  # "averaged 4.20% in October, 5 bp below ..."
                for lv in levels:
                    if "window" in lv:
                        w = lv.pop("window")
                        lv.pop("date")
                        lv.update(kind="mean", start=w[0], end=w[1])
        sign = -1.0 if _BELOW.search(s) and not _ABOVE.search(s) else 1.0
        out = _base(s, amount, s) | {
            "kind": "spread",
            "series": a.concept.key,
            "series_b": b.concept.key,
        }
        out["value"] = sign * amount.value
        if _CUE["mean"].search(s) and _period(sc.dates):
            p = _period(sc.dates)
            assert p is not None
            out.update(start=p[0], end=p[1])
        else:
            d = _nearest_date(amount.start, amount.end, sc.dates)
            if d is None:
                raise _Skip("no date", "日付がありません")
            if d.is_day:
                out["date"] = d.start
            else:
                out.update(start=d.start, end=d.end)
        return [*levels, out]
    for kind in ("mean", "max", "min"):
        if _CUE[kind].search(s):
            return [_draft_stat(sc, kind)]
    return _draft_changes_and_levels(sc)


def _spread_amount(s: str, rates: list[Amount]) -> Amount:
    """The number that is the gap: the one followed by above/below, else the only bp."""
    gap = re.compile(
        r"^\s*(?:higher|lower|more|less|wider|tighter)?\s*(?:above|below|over|under|than)\b"
        r"|^\s*(?:も|ほど)?\s*(?:上回|下回|高|低)",
        re.I,
    )
    hits = [a for a in rates if gap.search(s[a.end : a.end + 16])]
    if len(hits) != 1:
        hits = [a for a in rates if a.unit == "bp"]
    if len(hits) != 1:
        raise _Skip(
            "several numbers; cannot tell which is the spread",
            "数値が複数あり、どれがスプレッドか判別できません",
        )
    return hits[0]


def _draft_changes_and_levels(sc: _Sentence) -> list[dict[str, Any]]:
    """Changes ("fell by $85bn") and the levels left in the sentence ("to 4.31%")."""
    changes = [a for a in sc.amounts if a.unit is not None and _is_change(sc.text, a)]
    drafted: list[dict[str, Any]] = []
    for amount in changes:
        try:
            drafted.append(_draft_change(sc, amount))
        except _Skip as skip:
            sc.problems.append((f"{amount.text}: {skip.en}", f"{amount.text}: {skip.ja}"))
    rest = [a for a in sc.amounts if a not in changes]
    if rest or not changes:
        try:
            drafted += _draft_levels(sc, rest)
        except _Skip as skip:
            if not drafted and not sc.problems:
                raise
            sc.problems.append((skip.en, skip.ja))
    if not drafted and sc.problems:
        en, ja = sc.problems.pop(0)
        raise _Skip(en, ja)
    return drafted


def _is_change(s: str, a: Amount) -> bool:
    return bool(
        _EN_BY.search(s[max(0, a.start - 30) : a.start])
        or _JA_CHANGE_AFTER.search(s[a.end : a.end + 8])
        or (
            _JA_CHANGE_AFTER.search(s[a.end : a.end + 8]) is None
            and re.search(
                r"(?:前週比|前月比|前年比|前日比)\s*(?:で)?\s*$", s[max(0, a.start - 8) : a.start]
            )
            is not None
        )
    )


def _daily(m: Mention) -> bool:
    sid = m.concept.series
    return catalog.is_known(sid) and catalog.get(sid).frequency.value == "daily"


def _draft_change(sc: _Sentence, amount: Amount) -> dict[str, Any]:
    s = sc.text
    m = _one_series(sc)
    assert amount.unit is not None
    clause = s[max(0, amount.start - 40) : amount.end + 12]
    sign = -1.0 if _DOWN.search(clause) else 1.0
    since = _since(s, sc.dates)
    days = sorted({d.start for d in sc.dates if d.is_day and d is not since})
    period = _period(sc.dates)
    lookback = _lookback(s, days[0]) if len(days) == 1 else None
    if since is not None:
        # "dropped 30% since the end of September" (to the day stated, else the text's day)
        start = since.end if since.kind == "part" and re.search(
            r"end|late|末|下旬", since.text, re.I) else since.start
        end_day = days[-1] if days else sc.reference
        if end_day is None:
            raise _Skip(
                f"a change since {since.text} needs an end date (a date in the sentence, "
                "or the day the text was written: --date)",
                f"{since.text}からの変化には終了日 (文中の日付、または執筆日の指定 --date) "
                "が必要です",
            )
        end = end_day
    elif lookback is not None:
        # "over the past four weeks to Oct 29", 「10月29日までの過去4週間で」
        start, end = lookback, days[0]
    elif len(days) >= 2:
        start, end = days[0], days[-1]
    elif len(days) == 1 and (_WOW.search(s) or _MOM.search(s) or _YOY.search(s) or _DOD.search(s)
                             or _daily(m)):
        # one day: a change over the stated horizon, else (daily series) over the day
        end = days[0]
        if _WOW.search(s):
            start = end - timedelta(days=7)
        elif _MOM.search(s):
            start = end - timedelta(days=30)
        elif _YOY.search(s):
            start = end - timedelta(days=365)
        else:
            start = (pd.Timestamp(end) - BDAY).date()
    elif period is not None and not any(d.is_day for d in sc.dates):
        start, end = period
    else:
        raise _Skip("a change needs a start and an end date", "変化には開始日と終了日が必要です")
    out = _base(s, amount, s) | {
        "kind": "change",
        "series": m.concept.key,
        "start": start,
        "end": end,
    }
    out["value"] = sign * amount.value
    fam = UNITS[_series_unit(m)].family
    if amount.unit == "percent":
        if re.search(r"point|pp|ポイント", amount.text + s[amount.end : amount.end + 8], re.I):
            out["mode"] = "absolute"
        elif fam != "rate":
            out["mode"] = "percent"
    if not _fits(m, amount.unit) and out.get("mode") != "percent":
        raise _Skip(
            f"{amount.text} does not fit {m.concept.key}",
            f"{amount.text} は {m.concept.key} の単位に合いません",
        )
    return out


def _since(s: str, dates: list[DateSpan]) -> DateSpan | None:
    """The date a change is counted from: "since the end of September", 「9月末から」."""
    for d in dates:
        before = s[max(0, d.pos - 12) : d.pos]
        after = s[d.pos + len(d.text) : d.pos + len(d.text) + 4]
        if re.search(r"since\s+(?:the\s+)?$", before, re.I) or re.match(r"\s*(?:から|以降)", after):
            return d
    return None


def _draft_stat(sc: _Sentence, kind: str) -> dict[str, Any]:
    s = sc.text
    m = _one_series(sc)
    amount = _claimed_amount(sc)
    if not _fits(m, amount.unit):
        raise _Skip(
            f"{amount.text} does not fit {m.concept.key}",
            f"{amount.text} は {m.concept.key} の単位に合いません",
        )
    out = _base(s, amount, s) | {"kind": kind, "series": m.concept.key}
    long = [d for d in sc.dates if not d.is_day]
    days = [d for d in sc.dates if d.is_day]
    if kind == "mean":
        p = _period(sc.dates)
        if p is None:
            raise _Skip("an average needs a period", "平均には期間が必要です")
        out.update(start=p[0], end=p[1])
        return out
    if long:
        span = max(long, key=lambda d: (d.end - d.start).days)
        start, end = span.start, span.end
        if span.kind == "part":  # "peaked at the end of 2022": the year up to then
            start = date(span.end.year, 1, 1)
    elif days:
        end = days[-1].start
        start = date(end.year, 1, 1)
    else:
        raise _Skip("a high/low needs a period", "最高値・最低値には期間が必要です")
    out.update(start=start, end=end)
    if days:
        out["at"] = days[-1].start
    return out


def _draft_levels(sc: _Sentence, amounts: list[Amount]) -> list[dict[str, Any]]:
    s = sc.text
    if not sc.mentions:
        if amounts:
            raise _Skip("no known series is named", "既知の系列名がありません")
        return []
    out = []
    index_mentions = [m for m in sc.mentions if _fits(m, None)]
    items: list[Amount] = [a for a in amounts if a.unit is not None]
    if index_mentions:
        items += [
            Amount(
                v, None, 0.5 if "." not in raw else 0.5 * 10 ** -len(raw.split(".")[1]), raw, st, en
            )
            for v, st, en, raw in sc.bare
            if abs(v) >= 2
        ]
    if not items:
        return []
    problems: list[tuple[str, str]] = []
    items.sort(key=lambda x: x.start)
    day_spans = [d for d in sc.dates if d.is_day]
    # "X on D1, from Y on D2": as many numbers as days -> pair them in order
    paired = len(items) > 1 and len(items) == len(day_spans) == len(sc.dates)
    for i, a in enumerate(items):
        fitting = [m for m in sc.mentions if _fits(m, a.unit)]
        if not fitting:
            problems.append(
                (f"{a.text} fits none of the series named", f"{a.text} に合う系列がありません")
            )
            continue
        # the series named between the previous number and this one belong to this number
        prev_end = items[i - 1].end if i else 0
        own = {m.concept.key: m for m in fitting if prev_end <= m.start < a.start}
        if len(own) > 1:
            problems.append((
                f"several series named ({', '.join(own)}) for {a.text}",
                f"{a.text} に複数の系列 ({'、'.join(own)}) が対応します",
            ))
            continue
        m = next(iter(own.values())) if own else _nearest(
            a.start, fitting, lambda x: (x.start, x.end))
        d = day_spans[i] if paired else _nearest_date(a.start, a.end, sc.dates)
        if d is None:
            problems.append((f"no date for {a.text}", f"{a.text} の日付がありません"))
            continue
        if d.kind in ("year", "quarter") and not d.average:
            problems.append(
                (
                    f"the date of {a.text} is too vague ({d.text})",
                    f"{a.text} の日付が曖昧です ({d.text})",
                )
            )
            continue
        base = {
            "quote": s,
            "value": a.value,
            "unit": a.unit or _series_unit(m),
            "precision": a.half_unit,
            "auto": True,
        }
        if _approx(s, a.start, a.end):
            base["approx"] = True
        if d.average:
            out.append(
                base | {"kind": "mean", "series": m.concept.key, "start": d.start, "end": d.end}
            )
        elif d.is_day:
            out.append(base | {"kind": "level", "series": m.concept.key, "date": d.start})
        else:
            out.append(
                base
                | {
                    "kind": "level",
                    "series": m.concept.key,
                    "date": d.mid,
                    "window": [d.start, d.end],
                }
            )
    if problems and not out:
        raise _Skip(problems[0][0], problems[0][1])
    sc.problems.extend(problems)
    return out


def _relative_hint(plain: str, reference: date | None, en: str, ja: str) -> tuple[str, str]:
    """Say that a relative date ("yesterday", 先週) needs the day the text was written."""
    m = RELATIVE_DATE.search(plain)
    if reference is None and m and ("no date" in en or "start and an end" in en):
        return (f"{en}: '{m.group(0)}' needs the day the text was written (--date)",
                f"{ja}: 「{m.group(0)}」には執筆日の指定 (--date) が必要です")
    return en, ja


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
        The day the text was written; enables relative dates ("yesterday", "on Tuesday",
        "last week", 昨日, 先週, 火曜). Without it such sentences are listed as unmapped.

    Returns
    -------
    Draft
        The claims (each quoting its sentence, ``auto: true``) and the unmapped sentences.
    """
    draft = Draft(lang=_lang(text))
    first_year = re.search(r"(?:19|20)\d\d", unicodedata.normalize("NFKC", text))
    year = default_year or (reference.year if reference else None) or (
        int(first_year.group(0)) if first_year else date.today().year)
    n = 0
    heading: tuple[str, str] | None = None
    for sentence in split_sentences(text):
        # full-width digits and signs (５．２５％) are read as ASCII; quotes stay verbatim
        plain = _NEGATIVE.sub("-", unicodedata.normalize("NFKC", sentence))
        if not re.search(r"\d", plain):
            continue
        found = find_dates(plain, default_year=year, reference=reference)
        explicit = [d for d in found if re.search(r"(?:19|20)\d\d", d.text)]
        quote = sentence
        if plain.rstrip().endswith((":", "：")) and found:
            heading = (sentence, found[-1].text)  # "Key levels as of Nov 12, 2025:"
        elif heading is not None and not found:
            # a bullet under a dated heading takes the heading's date
            plain = f"{plain} ({heading[1]})"
            quote = f"{heading[0]} {sentence}"
        else:
            heading = None
        sc = _scan(plain, year, reference)
        if explicit:
            year = explicit[-1].end.year
        try:
            raw = _draft_sentence(sc)
        except _Skip as skip:
            if sc.amounts or sc.bare or sc.mentions or sc.yen:
                en, ja = _relative_hint(plain, reference, skip.en, skip.ja)
                draft.unmapped.append(Unmapped(quote, en, ja))
            continue
        for en, ja in sc.problems:
            draft.unmapped.append(Unmapped(quote, en, ja))
        for entry in raw:
            n += 1
            entry = {k: v for k, v in entry.items() if v is not None}
            entry["id"] = f"auto-{n}"
            entry["quote"] = quote
            try:
                draft.claims.extend(parse_claims([entry], source="draft"))
            except ConfigError as exc:
                draft.unmapped.append(Unmapped(sentence, str(exc), str(exc)))
    return draft
