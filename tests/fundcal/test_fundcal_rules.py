"""The funding calendar's rule-dated days, against dates a funding desk knows."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from liqwatch.exceptions import ConfigError
from liqwatch.fundcal import (
    ORDINARY,
    CalendarEvent,
    FundingCalendar,
    events_between,
    events_on,
    kinds,
    tag_days,
)


def test_every_kind_has_both_languages_and_a_lookback() -> None:
    for k in kinds().values():
        assert k.en and k.ja and k.print_en and k.print_ja and k.usual_en and k.usual_ja
        assert k.note_en and k.note_ja
        assert k.lookback >= 3
    ranks = [k.rank for k in kinds().values()]
    assert ranks == sorted(ranks, reverse=True)


@pytest.mark.parametrize(("day", "expected"), [
    # quarter-end 2019 and the mid-September tax date that preceded the repo squeeze
    ("2019-09-30", ("quarter_end", "month_end", "coupon_end")),
    ("2019-09-16", ("tax_corporate", "tax_individual", "coupon_mid")),
    ("2019-09-17", ()),
    # Good Friday 2024: the March month-end is Thursday 28, March's coupons settle on 1 April
    ("2024-03-28", ("quarter_end", "month_end")),
    ("2024-04-01", ("coupon_end", "quarter_start", "month_start")),
    # DC Emancipation Day: 15 Apr 2022 (Friday, observed) and 17 Apr 2023 move the tax day
    ("2022-04-18", ("tax_corporate", "tax_individual", "coupon_mid")),
    ("2023-04-18", ("tax_corporate", "tax_individual")),
    ("2023-04-17", ("coupon_mid",)),
    # 30 Nov 2025 is a Sunday: month-end on Friday 28, coupons settle on Monday 1 Dec
    ("2025-11-28", ("month_end",)),
    ("2025-12-01", ("coupon_end", "month_start")),
    ("2025-10-31", ("month_end", "coupon_end")),
    ("2025-12-31", ("year_end", "quarter_end", "month_end", "coupon_end")),
    ("2025-12-24", ("year_end_turn",)),
    ("2025-12-26", ("year_end_turn", "gse_cash")),
    ("2026-01-02", ("year_start", "quarter_start", "month_start")),
])
def test_days_are_tagged_with_their_events(day: str, expected: tuple[str, ...]) -> None:
    assert events_on(day).kinds == expected


def test_principal_kind_names_the_day() -> None:
    assert events_on("2019-09-16").principal == "tax_corporate"
    assert events_on("2019-09-17").principal == ORDINARY
    assert events_on("2025-12-31").names("en")[0] == "year-end"
    assert events_on("2025-12-31").names("ja")[0] == "年末"


def test_moved_tax_dates_are_point_in_time() -> None:
    # IRS Notice 2020-23 moved April's and June's 2020 payments to 15 July
    assert events_on("2020-04-15").kinds == ("coupon_mid",)
    before = events_on("2020-04-15", as_of="2020-03-01").kinds
    assert before == ("tax_corporate", "tax_individual", "coupon_mid")
    assert events_on("2020-07-15").kinds == ("tax_corporate", "tax_individual", "coupon_mid")
    assert events_on("2020-07-15", as_of="2020-03-01").kinds == ("coupon_mid",)
    # 2021: the individual filing day moved to 17 May; estimated tax stayed on 15 April
    assert "tax_individual" in events_on("2021-05-17").kinds
    assert "tax_individual" in events_on("2021-04-15").kinds
    assert "tax_individual" not in events_on("2021-05-17", as_of="2021-03-01").kinds


def test_every_month_has_one_month_end_on_a_business_day() -> None:
    from liqwatch.calendar import is_business_day

    days = events_between("2018-01-01", "2026-12-31")
    ends = [t.day for t in days if "month_end" in t.kinds]
    assert len(ends) == 9 * 12
    assert all(is_business_day(d) for t in days for d in [t.day])
    assert len({(d.year, d.month) for d in ends}) == 108


def test_pressure_only_drops_calm_kinds() -> None:
    days = events_between("2026-01-01", "2026-01-31", pressure_only=True)
    assert all(not set(t.kinds) & {"year_start", "quarter_start", "month_start"} for t in days)
    assert [t.day for t in days if "tax_individual" in t.kinds] == [date(2026, 1, 15)]


def test_tag_days_frame() -> None:
    idx = pd.DatetimeIndex(["2025-10-30", "2025-10-31", "2025-11-03"])
    frame = tag_days(idx)
    assert list(frame["kind"]) == [ORDINARY, "month_end", "month_start"]
    assert frame.loc["2025-10-31", "name_en"] == "month-end, month-end coupon settlement"
    assert frame.loc["2025-10-31", "name_ja"] == "月末、月末の利付国債決済"


def test_extra_events_from_data_are_known_from_their_announcement() -> None:
    ev = CalendarEvent(date(2025, 11, 4), "auction_settlement", known_from=date(2025, 10, 30),
                       amount_bn=120.0, source="fiscaldata")
    cal = FundingCalendar(extra=(ev,))
    assert cal.on("2025-11-04").kinds == ("auction_settlement",)
    assert cal.on("2025-11-04", as_of="2025-10-29").kinds == ()
    with pytest.raises(ConfigError, match="unknown kind 'nope'"):
        FundingCalendar(extra=(CalendarEvent(date(2025, 1, 2), "nope"),))


def test_bad_ranges_are_clear_errors() -> None:
    with pytest.raises(ConfigError, match="before start"):
        events_between("2025-02-01", "2025-01-01")
    with pytest.raises(ConfigError, match="1990-2100"):
        events_between("1980-01-01", "1980-12-31")
