"""Change sentences and sentences with two numbers, drafted and checked against the real data.

Values looked up in the real series first: WRESBAL 2,933,037 (2025-10-22) and 2,848,021
(2025-10-29) USD millions, a week change of -85.016 bn; TGA_DTS 819,378 (2025-10-01) and
983,859 (2025-10-29), +164.481 bn over four weeks, while the H.4.1 WTREGEN levels 805,139 and
957,990 give +152.851 bn (so "$153bn" is ambiguous: daily vs week-average series);
RRPONTSYD 49.071 (2025-09-30) and 19.504 (2025-10-29) USD billions, -60.25%; SOFR 4.22% on
2025-10-31 and 4.27% on 2025-10-29; DFEDTARU 4.00% on 2025-10-31 and 4.25% on 2025-10-29.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from liqwatch.claims import check, extract
from liqwatch.claims.check import ClaimResult
from liqwatch.store import Store

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "claims"

RESERVES_WEEK = (2848021 - 2933037) / 1000
TGA_4W = (983859 - 819378) / 1000
RRP_PCT = (19.504 / 49.071 - 1) * 100

EXPECTED_EN = [
    ("Reserves rose by $45bn", "change", "wrong", RESERVES_WEEK),
    ("Reserves fell by $85bn", "change", "consistent", RESERVES_WEEK),
    ("TGA fell $120bn", "change", "wrong", TGA_4W),
    ("TGA rose $153bn", "change", "ambiguous", TGA_4W),
    ("ON RRP had dropped 30%", "change", "wrong", RRP_PCT),
    ("ON RRP had dropped 60%", "change", "consistent", RRP_PCT),
    ("SOFR printed 4.22%", "level", "consistent", 4.22),
    ("SOFR printed 4.22%", "spread", "consistent", 22.0),
    ("SOFR printed 4.22%", "level", "consistent", 4.0),  # the 4.00% top of the range
    ("SOFR printed 4.27%", "level", "consistent", 4.27),
    ("SOFR printed 4.27%", "spread", "wrong", 2.0),
    ("SOFR printed 4.27%", "level", "consistent", 4.25),
    ("Reserves fell to $2.83tn", "level", "wrong", 2.848021),
    ("Reserves fell to $2.85tn", "level", "consistent", 2.848021),
]
UNMAPPED_EN = ["ON RRP dropped 30% since the end of September.", "Dealers held $120bn"]

EXPECTED_JA = [
    ("450億ドル増加", "change", "wrong", RESERVES_WEEK * 10),
    ("850億ドル減少", "change", "consistent", RESERVES_WEEK * 10),
    ("1200億ドル減少", "change", "wrong", TGA_4W * 10),
    ("1530億ドル増加", "change", "ambiguous", TGA_4W * 10),
    ("4.22%と", "level", "consistent", 4.22),
    ("上限の4.00%", "level", "consistent", 4.0),
    ("22bp上回った", "spread", "consistent", 22.0),
]


def _run(real_db: Path, name: str) -> tuple[list[ClaimResult], list[str]]:
    draft = extract((FIX / name).read_text(encoding="utf-8"))
    with Store(real_db, read_only=True) as store:
        return check(store, draft), [u.quote for u in draft.unmapped]


def _assert_all(results: list[ClaimResult], expected: list[tuple[str, str, str, float]]
                ) -> None:
    assert len(results) == len(expected), [(r.quote, r.kind, r.verdict) for r in results]
    for (quote, kind, verdict, value), r in zip(expected, results, strict=True):
        where = f"{quote!r}: {r.explanation_en}"
        assert quote in r.quote, where
        assert (r.kind, r.verdict) == (kind, verdict), where
        assert r.auto, where
        assert r.data_value == pytest.approx(value, rel=1e-6, abs=1e-9), where


def test_english_changes_and_two_number_sentences(real_db: Path) -> None:
    results, unmapped = _run(real_db, "commentary_changes_en.txt")
    _assert_all(results, EXPECTED_EN)
    assert len(unmapped) == len(UNMAPPED_EN)
    for part, quote in zip(UNMAPPED_EN, unmapped, strict=True):
        assert part in quote
    # a reference level (the $3tn mark) is never a claim; the top of the range written with
    # its level is a level of the top of the range (DFEDTARU), never of SOFR
    assert not any(r.claimed_value == 3.0 for r in results)
    assert {r.series for r in results if r.claimed_value in (4.0, 4.25)} == {"DFEDTARU"}
    tga = next(r for r in results if "TGA rose $153bn" in r.quote)
    assert any(a.matches and "WTREGEN" in a.en for a in tga.alternatives)


def test_japanese_changes_and_two_number_sentences(real_db: Path) -> None:
    results, unmapped = _run(real_db, "commentary_changes_ja.txt")
    _assert_all(results, EXPECTED_JA)
    assert unmapped == []


@pytest.mark.parametrize(
    ("text", "start", "end", "value", "mode"),
    [
        ("Reserves rose by $45bn in the week to Oct 29, 2025.",
         date(2025, 10, 22), date(2025, 10, 29), 45.0, None),
        ("TGA fell $120bn over the past four weeks to Oct 29, 2025.",
         date(2025, 10, 1), date(2025, 10, 29), -120.0, None),
        ("TGA fell $120bn over the last 4 weeks to Oct 29, 2025.",
         date(2025, 10, 1), date(2025, 10, 29), -120.0, None),
        ("As of Oct 29, 2025, ON RRP had dropped 30% since the end of September.",
         date(2025, 9, 30), date(2025, 10, 29), -30.0, "percent"),
        ("リバースレポ残高は2025年9月末から10月29日までに60%減少した。",
         date(2025, 9, 30), date(2025, 10, 29), -60.0, "percent"),
        ("準備預金は2025年10月29日までの1週間で450億ドル増加した。",
         date(2025, 10, 22), date(2025, 10, 29), 450.0, None),
        ("TGAは2025年10月29日までの過去4週間で1200億ドル減少した。",
         date(2025, 10, 1), date(2025, 10, 29), -1200.0, None),
    ],
)
def test_change_period_and_sign_from_the_text(
    text: str, start: date, end: date, value: float, mode: str | None
) -> None:
    draft = extract(text)
    assert [c.kind for c in draft.claims] == ["change"], draft.unmapped
    c = draft.claims[0]
    assert (c.start, c.end, c.value) == (start, end, value)
    assert (mode is None) or c.mode == mode


def test_since_without_an_end_date_uses_the_day_written() -> None:
    text = "ON RRP dropped 30% since the end of September."
    without = extract(text, default_year=2025)
    assert not without.claims and "--date" in without.unmapped[0].reason_en
    with_day = extract(text, reference=date(2025, 10, 29))
    c = with_day.claims[0]
    assert (c.kind, c.start, c.end, c.value) == ("change", date(2025, 9, 30),
                                                 date(2025, 10, 29), -30.0)


@pytest.mark.parametrize(
    "text",
    [
        "Reserves fell to $2.83tn on Oct 29, 2025, below the $3tn mark.",
        "Reserves fell to $2.83tn on Oct 29, 2025, below the $3tn threshold.",
        "準備預金は2025年10月29日に2兆8300億ドルと、3兆ドルの大台を下回った。",
    ],
)
def test_reference_level_is_not_a_claim(text: str) -> None:
    draft = extract(text)
    assert [(c.kind, c.series) for c in draft.claims] == [("level", "reserves")]
    assert draft.unmapped == []
