"""Ways analysts write numbers and dates, drafted (no store needed).

Each case is a phrasing an analyst note commonly uses; the assertions are what the drafted
claims must be (kind, series, date or period, value).
"""

from __future__ import annotations

from datetime import date

import pytest

from liqwatch.claims import extract
from liqwatch.claims.schema import ChangeClaim, LevelClaim, NonClaim, SpreadClaim, StatClaim
from liqwatch.claims.units import find_amounts

TUESDAY = date(2025, 11, 4)


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("$2.55trn", 2.55, "USD trillions"), ("$1.2 trln", 1.2, "USD trillions"),
    ("$45m", 45.0, "USD millions"), ("$500 mln", 500.0, "USD millions"),
    ("$3 bln", 3.0, "USD billions"), ("503億5000万ドル", 503.5, "億ドル"),
])
def test_amount_abbreviations(text: str, value: float, unit: str) -> None:
    (a,) = find_amounts(text)
    assert (a.value, a.unit) == (value, unit)


def test_a_dash_after_a_number_is_a_range_not_a_minus() -> None:
    low, high = extract("The target range was 3.75%-4.00% on October 31, 2025.").claims
    assert isinstance(low, LevelClaim) and isinstance(high, LevelClaim)
    assert (low.series, low.value, high.series, high.value) == ("DFEDTARL", 3.75, "DFEDTARU", 4.0)


def test_japanese_days_with_a_weekday_and_without_a_month() -> None:
    draft = extract("SOFRは13日(金)の2.20%から16日(月)の2.43%に上昇した。",
                    reference=date(2019, 9, 18))
    first, last, _change = draft.claims
    assert isinstance(first, LevelClaim) and isinstance(last, LevelClaim)
    assert (first.date, first.value) == (date(2019, 9, 13), 2.2)
    assert (last.date, last.value) == (date(2019, 9, 16), 2.43)


def test_a_bare_day_after_the_writing_day_is_last_month() -> None:
    (c,) = extract("SOFRは28日に4.31%だった。", reference=TUESDAY).claims
    assert isinstance(c, LevelClaim) and c.date == date(2025, 10, 28)


def test_weekend_days_and_possessives_with_the_writing_day() -> None:
    sunday, friday = extract("Sunday's move took IOER to 0.10%. SOFR was 4.22% on Friday.",
                             reference=TUESDAY).claims
    assert isinstance(friday, LevelClaim) and friday.date == date(2025, 10, 31)
    assert isinstance(sunday, LevelClaim) and sunday.series == "IORB"
    assert sunday.date == date(2025, 11, 3)  # set on Sunday, in force the next business day


def test_a_comparison_year_carries_to_no_later_date() -> None:
    draft = extract("The ON RRP peak of $2.55trn came in December 2022. SOFR was 4.22% on "
                    "October 31.", reference=TUESDAY)
    level = draft.claims[-1]
    assert isinstance(level, LevelClaim) and level.date == date(2025, 10, 31)


@pytest.mark.parametrize(("text", "series"), [
    ("The 99th percentile reached 4.35% on October 31, 2025.", "SOFR 99th percentile"),
    ("Total assets stood at $6.59trn on October 29, 2025.", "Fed balance sheet"),
    ("3-month bills yielded 3.9% on October 31, 2025.", "3-month bill"),
    ("Tri-party repo traded at 4.15% on October 31, 2025.", "TGCR"),
    ("FRBの国債保有は2025年10月29日に約4.20兆ドルだった。", "Fed Treasury holdings"),
    ("2025年10月29日の総資産は6兆5870億ドルだった。", "Fed balance sheet"),
])
def test_everyday_names(text: str, series: str) -> None:
    (c,) = extract(text).claims
    assert isinstance(c, LevelClaim) and c.series == series


def test_the_date_of_a_number_is_its_own_or_the_latest_statement() -> None:
    """In "fixed at 4.13% for Monday, down 9 bp from Friday's 4.22% but still 23 bp above
    IORB", Friday's number is where the change starts: the spread is Monday's."""
    claims = extract("SOFR fixed at 4.13% for Monday, down 9 bp from Friday's 4.22% but still "
                     "23 bp above IORB.", reference=TUESDAY).claims
    spread = next(c for c in claims if isinstance(c, SpreadClaim))
    assert spread.date == date(2025, 11, 3)
    change = next(c for c in claims if isinstance(c, ChangeClaim))
    assert (change.start, change.end, change.value) == (date(2025, 10, 31), date(2025, 11, 3),
                                                        -9.0)


def test_a_record_goes_with_its_own_number_only() -> None:
    record, drawn = extract("SRF take-up hit a record $50.35bn on Friday, and a further $22bn was "
                            "drawn on Monday.", reference=TUESDAY).claims
    assert isinstance(record, StatClaim) and record.kind == "max" and record.start is None
    assert isinstance(drawn, LevelClaim) and drawn.value == 22.0


def test_bullets_under_a_lead_in_are_what_it_says() -> None:
    text = ("Our estimates:\n- Reserves back above $3trn by March.\n"
            "- The TGA stays around $850bn into year-end.")
    claims = extract(text, reference=TUESDAY).claims
    assert [c.why for c in claims if isinstance(c, NonClaim)] == ["quotation", "quotation"]
    assert len(claims) == 2


def test_a_policy_move_is_a_change_of_the_target_range_the_next_business_day() -> None:
    (move,) = extract("That was the second cut in two weeks, after the 50 bp move on 3 March "
                      "2020.").claims
    assert isinstance(move, ChangeClaim) and move.series == "target range top"
    assert (move.start, move.end, move.value) == (date(2020, 3, 3), date(2020, 3, 4), -50.0)


def test_a_japanese_sentence_final_forecast_governs_its_clauses() -> None:
    claims = extract("当社はTGAが年末にかけて8,500億ドル程度まで低下し、準備預金は3兆ドル近くまで"
                     "戻ると予想する。").claims
    assert [c.kind for c in claims] == ["non_claim", "non_claim"]
