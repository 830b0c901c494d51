"""Date expressions in Japanese and English."""

from __future__ import annotations

from datetime import date

import pytest

from liqwatch.claims.dates import find_dates, parse_date_expr
from liqwatch.exceptions import ConfigError


@pytest.mark.parametrize(
    ("text", "start", "end", "kind"),
    [
        ("2025年11月12日", date(2025, 11, 12), date(2025, 11, 12), "day"),
        ("11月12日", date(2025, 11, 12), date(2025, 11, 12), "day"),
        ("11月中旬", date(2025, 11, 11), date(2025, 11, 20), "part"),
        ("10月上旬", date(2025, 10, 1), date(2025, 10, 10), "part"),
        ("2月下旬", date(2025, 2, 21), date(2025, 2, 28), "part"),
        ("2019年9月", date(2019, 9, 1), date(2019, 9, 30), "month"),
        ("2022年末", date(2022, 12, 15), date(2022, 12, 31), "part"),
        ("2025年第3四半期", date(2025, 7, 1), date(2025, 9, 30), "quarter"),
        ("Nov 12", date(2025, 11, 12), date(2025, 11, 12), "day"),
        ("Nov. 12, 2024", date(2024, 11, 12), date(2024, 11, 12), "day"),
        ("September 17, 2019", date(2019, 9, 17), date(2019, 9, 17), "day"),
        ("17 September 2019", date(2019, 9, 17), date(2019, 9, 17), "day"),
        ("2019-09-17", date(2019, 9, 17), date(2019, 9, 17), "day"),
        ("as of mid-November", date(2025, 11, 11), date(2025, 11, 20), "part"),
        ("late October", date(2025, 10, 21), date(2025, 10, 31), "part"),
        ("at the end of 2022", date(2022, 12, 15), date(2022, 12, 31), "part"),
        ("in October 2019", date(2019, 10, 1), date(2019, 10, 31), "month"),
        ("Q3 2025", date(2025, 7, 1), date(2025, 9, 30), "quarter"),
        ("over 2023", date(2023, 1, 1), date(2023, 12, 31), "year"),
    ],
)
def test_parse(text: str, start: date, end: date, kind: str) -> None:
    span = parse_date_expr(text, default_year=2025)
    assert (span.start, span.end, span.kind) == (start, end, kind)


def test_month_average_japanese_and_english() -> None:
    ja = parse_date_expr("10月平均", default_year=2025)
    en = parse_date_expr("the October average", default_year=2025)
    for span in (ja, en):
        assert (span.start, span.end, span.average) == (date(2025, 10, 1), date(2025, 10, 31),
                                                         True)
    assert not parse_date_expr("October 2025").average


def test_a_date_without_year_takes_the_year_before_it_in_the_text() -> None:
    spans = find_dates("2019年9月16日から9月17日にかけて", default_year=2025)
    assert [s.start for s in spans] == [date(2019, 9, 16), date(2019, 9, 17)]


def test_no_year_and_no_default_is_skipped() -> None:
    assert find_dates("on Nov 12") == []
    with pytest.raises(ConfigError):
        parse_date_expr("on Nov 12")


def test_the_verb_may_is_not_a_month() -> None:
    assert find_dates("SOFR may rise", default_year=2025) == []


def test_an_impossible_day_falls_back_to_its_month() -> None:
    spans = find_dates("2025年2月30日")
    assert [(s.kind, s.start, s.end) for s in spans] == [
        ("month", date(2025, 2, 1), date(2025, 2, 28))
    ]


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("today", date(2025, 11, 13), date(2025, 11, 13)),
        ("yesterday", date(2025, 11, 12), date(2025, 11, 12)),
        ("on Tuesday", date(2025, 11, 11), date(2025, 11, 11)),
        ("last Thursday", date(2025, 11, 6), date(2025, 11, 6)),
        ("this week", date(2025, 11, 10), date(2025, 11, 13)),
        ("last week", date(2025, 11, 3), date(2025, 11, 7)),
        ("昨日", date(2025, 11, 12), date(2025, 11, 12)),
        ("本日", date(2025, 11, 13), date(2025, 11, 13)),
        ("火曜日", date(2025, 11, 11), date(2025, 11, 11)),
        ("先週の水曜日", date(2025, 11, 5), date(2025, 11, 5)),
        ("先週", date(2025, 11, 3), date(2025, 11, 7)),
    ],
)
def test_relative_dates_need_a_reference(text: str, start: date, end: date) -> None:
    thursday = date(2025, 11, 13)
    span = parse_date_expr(text, reference=thursday)
    assert (span.start, span.end) == (start, end)
    assert find_dates(text, default_year=2025) == []
