"""Drafting and checking measured on six analyst-style notes the parser was not written from.

The notes and their answer keys (``tests/fixtures/claims/analysts``, see its README) were
written by another writer; each key lists every number of each sentence, whether it is a fact
about the data (and then whether the note states it correctly) or not (a forecast, a target, a
conditional, a threshold, someone else's estimate). This module drafts each note with the
day it was written (``--date``), checks the draft against the real data and compares:

* sentences with numbers drafted / sentences with numbers (the key's sentences);
* key facts checked (a drafted claim holds that number) and, of those, right (consistent for a
  correct number, wrong for a wrong one);
* key non-facts listed as not checkable, and non-facts checked as facts (should be none);
* true numbers called wrong (should be none).

The figures are recorded in ``docs/claims.md``; the test pins them as lower bounds. Run
``python tests/claims/test_claims_analysts.py`` to print the table.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from liqwatch.claims import extract
from liqwatch.claims.check import ClaimResult, check_one
from liqwatch.claims.data import DataContext
from liqwatch.claims.units import find_amounts
from liqwatch.store import Store

TEXTS = Path(__file__).resolve().parent.parent / "fixtures" / "claims" / "analysts"


@dataclass
class KeyRow:
    """One number of an answer key."""

    number: str
    factual: bool | None  # None: a fact the data does not hold (a policy decision, a date)
    correct: bool | None
    values: list[float]


@dataclass
class KeySentence:
    """One sentence of an answer key and its numbers."""

    quote: str
    rows: list[KeyRow] = field(default_factory=list)


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s\"'「」“”‘’…]+|\.\.\.", "", text)


def _values(cell: str) -> list[float]:
    """The numbers a key cell gives (amounts as written; dates are not values)."""
    from liqwatch.claims.dates import find_dates

    plain = unicodedata.normalize("NFKC", cell)
    plain = re.sub(r"\((?:change|date|implied[^)]*|peak date|dated[^)]*)\)", "", plain)
    for d in sorted(find_dates(plain, default_year=2000), key=lambda d: -d.pos):
        plain = plain[: d.pos] + " " * len(d.text) + plain[d.pos + len(d.text) :]
    out = [abs(a.value) for a in find_amounts(plain) if a.unit is not None]
    spans = [(a.start, a.end) for a in find_amounts(plain) if a.unit is not None]
    for m in re.finditer(r"\d[\d,]*(?:\.\d+)?", plain):
        if any(s <= m.start() < e for s, e in spans):
            continue
        v = float(m.group(0).replace(",", ""))
        if not (1900 <= v <= 2100 and "." not in m.group(0)):
            out.append(v)
    return out


def read_key(path: Path) -> list[KeySentence]:
    """The sentences of an answer key, each with its numbers."""
    out: list[KeySentence] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        head = re.match(r"^### S\d+(?: \([^)]*\))? (.+)$", line)
        if head:
            out.append(KeySentence(head.group(1)))
            continue
        if not line.startswith("| ") or line.startswith(("| number", "|---")) or not out:
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        number, kind = cells[0], cells[1].lower()
        if kind.startswith("not factual"):
            factual: bool | None = False
        elif kind.startswith("factual") and not (len(cells) > 2 and "not in the data" in cells[2]):
            factual = True
        else:
            factual = None
        correct = None
        if factual and len(cells) >= 6:
            correct = "wrong" not in cells[5].lower()
        out[-1].rows.append(KeyRow(number, factual, correct, _values(number)))
    return out


@dataclass
class Score:
    """The figures of one note (or of several, added up)."""

    sentences: int = 0
    drafted: int = 0
    facts: int = 0
    checked: int = 0
    right: int = 0
    true_called_wrong: int = 0
    non_facts: int = 0
    listed: int = 0
    non_facts_checked: int = 0
    extra: int = 0  # drafted claims that match no key number (e.g. the change of "from A to B")

    def __add__(self, other: Score) -> Score:
        return Score(*(a + b for a, b in zip(vars(self).values(), vars(other).values(),
                                             strict=True)))


_EXTREMUM_ROW = re.compile(r"highest|lowest|record|widest|peak|high|low|since|以来|最高|ぶり",
                           re.I)


def _claimed(r: ClaimResult) -> list[float]:
    v = r.claimed_value
    out = [] if v is None else [abs(v)]
    tol = r.claim.tolerance if not isinstance(r.claim.tolerance, str) else None
    if v is not None and isinstance(tol, float) and tol > 0:
        out += [abs(v) - tol, abs(v) + tol]  # "5-10 bp": its two ends
    return out


def score(ctx: DataContext, name: str) -> Score:
    """Draft, check and compare one note with its key.

    A drafted claim holds a key number when it states that number; it also covers the key's
    qualifiers of that number in the same sentence (a date such as "December 2021", an
    extremum such as "the lowest since early 2023"). Its verdict is right when it is
    consistent and every key row it covers is correct, or wrong and one of them is wrong.
    """
    written = date.fromisoformat(name.rsplit("_", 1)[1])
    text = (TEXTS / f"{name}.txt").read_text(encoding="utf-8")
    results = [check_one(ctx, c) for c in extract(text, reference=written).claims]
    used: set[int] = set()
    s = Score()
    for ks in read_key(TEXTS / f"{name}.key.md"):
        key = _norm(ks.quote)[:24]
        mine = [i for i, r in enumerate(results) if key in _norm(r.quote)]
        s.sentences += 1
        s.drafted += bool(mine)
        facts = [row for row in ks.rows if row.factual]
        holder: dict[int, int] = {}  # key row -> drafted claim
        for k, row in enumerate(ks.rows):
            if row.factual is None:
                continue
            hit = _match(results, mine, used, row) if row.values else None
            if row.factual:
                if hit is not None:
                    holder[k] = hit
                continue
            s.non_facts += 1
            hit = hit if hit is not None else next(
                (i for i in mine if results[i].kind == "non_claim"), None)
            if hit is not None and results[hit].kind == "non_claim":
                s.listed += 1
            elif hit is not None:
                s.non_facts_checked += 1
        covered: dict[int, list[KeyRow]] = {}
        for k, i in holder.items():
            covered.setdefault(i, []).append(ks.rows[k])
        for k, row in enumerate(ks.rows):  # qualifiers go with every claim they qualify
            if row.factual and not row.values:
                hits = _qualified(results, sorted(set(holder.values())), row, written)
                for i in hits:
                    covered.setdefault(i, []).append(row)
                if hits:
                    holder[k] = hits[0]
        for k, row in enumerate(ks.rows):
            if not row.factual:
                continue
            s.facts += 1
            i = holder.get(k)
            if i is None or results[i].verdict == "not_checkable":
                continue
            r = results[i]
            ok = all(x.correct for x in covered[i])
            s.checked += 1
            s.right += r.verdict in ("consistent", "wrong") and (r.verdict == "consistent") == ok
            s.true_called_wrong += bool(row.correct) and ok and r.verdict == "wrong"
        del facts
    s.extra = len([i for i, r in enumerate(results) if i not in used and r.kind != "non_claim"])
    return s


def _qualified(results: list[ClaimResult], held: list[int], row: KeyRow, written: date
               ) -> list[int]:
    """The claims a key qualifier (a date, "the lowest since ...") belongs to."""
    from liqwatch.claims.dates import find_dates

    spans = find_dates(unicodedata.normalize("NFKC", row.number), default_year=written.year,
                       reference=written)
    out = []
    for i in held:
        c = results[i].claim
        if spans:
            days = [getattr(c, f, None) for f in ("date", "start", "end", "at")]
            window = getattr(c, "window", None)
            days += list(window) if window else []
            if any(d is not None and sp.start <= d <= sp.end for d in days for sp in spans):
                out.append(i)
        elif _EXTREMUM_ROW.search(row.number) and results[i].kind in ("max", "min"):
            out.append(i)
    return out


def _match(results: list[ClaimResult], mine: list[int], used: set[int], row: KeyRow
           ) -> int | None:
    """The drafted claim that holds the key's number (a non-claim listing it, for a non-fact)."""
    for i in mine:
        r = results[i]
        if r.kind == "non_claim":
            if row.factual is False and any(
                    abs(v - w) < 1e-9 for v in row.values
                    for n in r.claim.numbers for w in _values(n)):
                return i  # a non-claim may list several numbers: not used up
            continue
        if i in used:
            continue
        if any(abs(v - w) < 1e-9 for v in row.values for w in _claimed(r)):
            used.add(i)
            return i
    return None


NOTES = ["en_daily_2025-11-04", "en_weekly_2020-03-20", "en_outlook_2019-10-15",
         "ja_daily_2019-09-18", "ja_weekly_2025-11-14", "ja_outlook_2025-12-19"]


@pytest.fixture(scope="module")
def scores(real_db: Path) -> dict[str, Score]:
    """Every note scored once for the module."""
    with Store(real_db, read_only=True) as store:
        ctx = DataContext(store)
        return {name: score(ctx, name) for name in NOTES}


# Lower bounds of the figures recorded in docs/claims.md (per language: sentences drafted,
# key facts checked, right among checked).
BOUNDS = {"en": (0.95, 0.85, 0.93), "ja": (0.9, 0.85, 0.9)}


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_most_numeric_sentences_are_drafted(scores: dict[str, Score], lang: str) -> None:
    total = sum((s for n, s in scores.items() if n.startswith(lang)), Score())
    assert total.drafted >= BOUNDS[lang][0] * total.sentences, total


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_key_facts_are_checked_and_mostly_right(scores: dict[str, Score], lang: str) -> None:
    total = sum((s for n, s in scores.items() if n.startswith(lang)), Score())
    assert total.checked >= BOUNDS[lang][1] * total.facts, total
    assert total.right >= BOUNDS[lang][2] * total.checked, total


def test_non_facts_are_listed_and_never_checked_as_facts(scores: dict[str, Score]) -> None:
    total = sum(scores.values(), Score())
    assert total.non_facts_checked == 0, total
    assert total.listed >= 0.9 * total.non_facts, total


def test_no_true_number_is_called_wrong(scores: dict[str, Score]) -> None:
    total = sum(scores.values(), Score())
    assert total.true_called_wrong == 0, total


def _table(results: dict[str, Score]) -> str:
    head = ("| note | sentences drafted | key facts checked | right / checked | true called "
            "wrong | non-facts listed | non-facts checked as facts | other claims |\n"
            "|---|---|---|---|---|---|---|---|\n")
    rows = []
    for name, s in [*results.items(), ("all", sum(results.values(), Score()))]:
        rows.append(f"| {name} | {s.drafted}/{s.sentences} | {s.checked}/{s.facts} | "
                    f"{s.right}/{s.checked} | {s.true_called_wrong} | {s.listed}/{s.non_facts} "
                    f"| {s.non_facts_checked} | {s.extra} |")
    return head + "\n".join(rows)


if __name__ == "__main__":  # print the figures for docs/claims.md
    from liqwatch.importer import import_path

    db = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/tmp/liqwatch-claims-measure.duckdb")
    if not db.exists():
        with Store(db) as st:
            import_path(st, TEXTS.parents[3].parent / "shared" / "data" / "raw")
    with Store(db, read_only=True) as st:
        context = DataContext(st)
        print(_table({n: score(context, n) for n in NOTES}))
