"""Drafting claims from English and Japanese sentences (no store needed)."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from liqwatch.claims import extract, parse_claims
from liqwatch.claims.extract import split_sentences
from liqwatch.claims.schema import (
    ChangeClaim,
    CorrelationClaim,
    LevelClaim,
    SpreadClaim,
    StatClaim,
    StreakClaim,
)


def test_sentences_keep_abbreviations_and_decimals() -> None:
    text = ("The U.S. Treasury's TGA was $850bn on Nov. 12, 2025. SOFR was 3.98%. "
            "準備預金は2.85兆ドル。リバースレポは60億ドルだった！")
    assert split_sentences(text) == [
        "The U.S. Treasury's TGA was $850bn on Nov. 12, 2025.",
        "SOFR was 3.98%.",
        "準備預金は2.85兆ドル。",
        "リバースレポは60億ドルだった！",
    ]


def test_level_with_quote_and_auto_flag() -> None:
    (c,) = extract("SOFR jumped to 5.25% on September 17, 2019.").claims
    assert isinstance(c, LevelClaim)
    assert (c.series, c.date, c.value, c.unit, c.auto) == ("SOFR", date(2019, 9, 17), 5.25,
                                                           "percent", True)
    assert c.quote == "SOFR jumped to 5.25% on September 17, 2019."


def test_japanese_oku_and_cho_amounts() -> None:
    draft = extract("2022年12月30日のリバースレポ残高は2兆5537億ドルだった。")
    (c,) = draft.claims
    assert isinstance(c, LevelClaim)
    assert (c.series, c.value, c.unit) == ("ON RRP", 25537.0, "億ドル")
    assert draft.lang == "ja"


def test_year_carries_over_from_earlier_sentences() -> None:
    draft = extract("2025年11月12日、SOFRは3.98%だった。11月中旬の準備預金は約2.86兆ドルだった。")
    level = draft.claims[1]
    assert isinstance(level, LevelClaim)
    assert level.window == (date(2025, 11, 11), date(2025, 11, 20))
    assert level.hedge == "about"


def test_default_year_for_english_month_day() -> None:
    (c,) = extract("Reserves were $2.85 trillion as of Nov 12.", default_year=2025).claims
    assert isinstance(c, LevelClaim) and c.date == date(2025, 11, 12)


def test_month_average_in_japanese_is_a_mean() -> None:
    (c,) = extract("SOFRの2019年10月平均は1.86%だった。").claims
    assert isinstance(c, StatClaim) and c.kind == "mean"
    assert (c.start, c.end) == (date(2019, 10, 1), date(2019, 10, 31))


def test_change_by_with_sign() -> None:
    (c,) = extract("Bank reserves fell by $85 billion between October 22, 2025 and "
                   "October 29, 2025.").claims
    assert isinstance(c, ChangeClaim)
    assert (c.value, c.unit, c.start, c.end) == (-85.0, "USD billions", date(2025, 10, 22),
                                                 date(2025, 10, 29))


def test_japanese_change_week_on_week() -> None:
    (c,) = extract("2025年11月12日のTGAは前週比300億ドル減少した。").claims
    assert isinstance(c, ChangeClaim)
    assert (c.value, c.unit, c.start, c.end) == (-300.0, "億ドル", date(2025, 11, 5),
                                                 date(2025, 11, 12))


def test_rate_change_in_percent_leaves_the_mode_open() -> None:
    (c,) = extract("SOFR rose by 116% between September 16, 2019 and September 17, "
                   "2019.").claims
    assert isinstance(c, ChangeClaim) and "mode" not in c.explicit
    (p,) = extract("ON RRP take-up fell by 40% between October 1, 2025 and October 15, "
                   "2025.").claims
    assert isinstance(p, ChangeClaim) and p.mode == "percent" and p.value == -40.0


def test_spread_sign_from_below() -> None:
    (c,) = extract("On November 5, 2025, SOFR was 3 bp below IORB.").claims
    assert isinstance(c, SpreadClaim)
    assert (c.series, c.series_b, c.value, c.unit) == ("SOFR", "IORB", -3.0, "bp")


def test_streak_against_a_level() -> None:
    (c,) = extract("SOFR printed above 5% for 3 consecutive business days up to "
                   "September 20, 2019.").claims
    assert isinstance(c, StreakClaim)
    assert (c.threshold, c.threshold_unit, c.value, c.date) == (5.0, "percent", 3.0,
                                                                date(2019, 9, 20))


def test_correlation_basis_levels_is_kept_when_stated() -> None:
    (c,) = extract("In 2023 the correlation of price levels of bitcoin and the Nasdaq-100 "
                   "was 0.76.").claims
    assert isinstance(c, CorrelationClaim) and c.basis == "levels"
    assert (c.start, c.end) == (date(2023, 1, 1), date(2023, 12, 31))


def test_correlation_over_a_lookback_window() -> None:
    (c,) = extract("Over the past 90 days to March 31, 2024, bitcoin's correlation with the "
                   "Nasdaq 100 was 0.4.").claims
    assert isinstance(c, CorrelationClaim)
    assert (c.start, c.end) == (date(2024, 1, 1), date(2024, 3, 31))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Dealers absorbed $300 billion of bills on October 1, 2025.", "no known series"),
        ("Japanese banks hold ¥50 trillion of Treasuries.", "yen"),
        ("邦銀は50兆円の米国債を保有している。", "yen"),
        ("SOFR was 4.3%.", "no date"),
        ("SOFR and EFFR were 4.3% on October 1, 2025.", "several series"),
        ("Reserves were $3 trillion in 2025.", "too vague"),
    ],
)
def test_unmapped_sentences_are_listed_with_the_reason(text: str, reason: str) -> None:
    draft = extract(text)
    assert draft.claims == []
    assert [u.quote for u in draft.unmapped] == [text]
    assert reason in draft.unmapped[0].reason_en


def test_sentences_without_numbers_are_ignored() -> None:
    draft = extract("Funding markets were calm. 市場は落ち着いていた。")
    assert draft.claims == [] and draft.unmapped == []


def test_draft_yaml_round_trips_through_the_loader() -> None:
    draft = extract("SOFR averaged 2.10% in November 2019. Dealers bought $3bn of bills "
                    "on 1 Nov 2019.")
    text = draft.to_yaml()
    assert "# Not mapped" in text and "Dealers bought" in text
    again = parse_claims(yaml.safe_load(text))
    assert [c.model_dump() for c in again] == [c.model_dump() for c in draft.claims]


def test_english_mid_month_window() -> None:
    (c,) = extract("As of mid-November 2025, reserves were about $2.86 trillion.").claims
    assert isinstance(c, LevelClaim)
    assert c.window == (date(2025, 11, 11), date(2025, 11, 20)) and c.hedge == "about"


def test_foreign_exchange_reserves_are_not_bank_reserves() -> None:
    draft = extract("China's foreign exchange reserves were $3.3 trillion on October 31, 2025. "
                    "中国の外貨準備は2025年10月31日に3.3兆ドルだった。")
    assert draft.claims == []
    assert [u.reason_en for u in draft.unmapped] == ["no known series is named"] * 2


def test_change_and_level_in_one_sentence() -> None:
    change, level = extract("SOFR rose 4 bp to 4.31% on October 28, 2025.").claims
    assert isinstance(change, ChangeClaim) and isinstance(level, LevelClaim)
    # one day given for a daily series: the change over that business day
    assert (change.start, change.end, change.value) == (date(2025, 10, 27),
                                                        date(2025, 10, 28), 4.0)
    assert (level.date, level.value) == (date(2025, 10, 28), 4.31)


def test_one_date_change_of_a_weekly_series_is_the_change_over_the_week() -> None:
    """An H.4.1 item changes from one Wednesday to the next, as a daily series changes over
    the business day."""
    change, level = extract("Reserves fell $50 billion to $2.85 trillion on November 12, "
                            "2025.").claims
    assert isinstance(change, ChangeClaim) and isinstance(level, LevelClaim)
    assert (change.start, change.end, change.value) == (date(2025, 11, 5), date(2025, 11, 12),
                                                        -50.0)


def test_a_change_over_a_period_starts_from_the_observation_before_it() -> None:
    """"rose in September": a monthly series from August, a daily one from the last day
    before September."""
    (monthly, _level) = extract("The unemployment rate rose 0.1 percentage point to 4.4% in "
                                "September 2025.").claims
    (daily,) = extract("ON RRP take-up fell $200 billion in September 2025.").claims
    assert isinstance(monthly, ChangeClaim) and isinstance(daily, ChangeClaim)
    assert (monthly.start, monthly.end) == (date(2025, 8, 1), date(2025, 9, 30))
    assert (daily.start, daily.end) == (date(2025, 8, 31), date(2025, 9, 30))


def test_ratio_to_bank_assets() -> None:
    (c,) = extract("準備預金は2019年9月18日に銀行資産比8.0%だった。").claims
    assert c.kind == "ratio" and (c.series, c.series_b, c.value) == ("reserves", "bank assets",
                                                                     8.0)


def test_full_width_digits_are_read_and_the_quote_kept_verbatim() -> None:
    text = "２０１９年９月１７日、ＳＯＦＲは５．２５％に急騰した。"
    (c,) = extract(text).claims
    assert isinstance(c, LevelClaim)
    assert (c.series, c.date, c.value, c.unit) == ("SOFR", date(2019, 9, 17), 5.25, "percent")
    assert c.quote == text


def test_bullet_list_commentary() -> None:
    text = ("Key levels as of November 12, 2025:\n"
            "- SOFR: 3.98%\n"
            "- Reserves: $2.86 trillion\n"
            "- ON RRP: $5.9 billion\n")
    draft = extract(text)
    assert [(c.series, c.value) for c in draft.claims] == [
        ("SOFR", 3.98), ("reserves", 2.86), ("ON RRP", 5.9)]
    assert all(getattr(c, "date", None) == date(2025, 11, 12) for c in draft.claims)
    assert draft.claims[0].quote == "Key levels as of November 12, 2025: SOFR: 3.98%"


def test_relative_dates_with_and_without_the_writing_date() -> None:
    text = "昨日のSOFRは3.98%だった。Last week reserves were $2.86 trillion."
    dated = extract(text, reference=date(2025, 11, 13))
    assert [(c.kind, getattr(c, "date", None)) for c in dated.claims] == [
        ("level", date(2025, 11, 12)), ("level", date(2025, 11, 5))]
    undated = extract(text)
    assert undated.claims == []
    assert [u.reason_en for u in undated.unmapped] == [
        "no date for 3.98%: '昨日' needs the day the text was written (--date)",
        "no date for $2.86 trillion: 'Last week' needs the day the text was written (--date)",
    ]


@pytest.mark.parametrize(
    "text",
    ["The EUR/USD cross-currency basis hit -86 bp on March 16, 2020.",
     "The EUR/USD basis was minus 86 bp on March 16, 2020.",
     "2020年3月16日のユーロドル・ベーシスはマイナス86bpだった。",
     "2020年3月16日のユーロドル・ベーシスは▲86bpだった。"],
)
def test_negative_numbers_and_indicator_names(text: str) -> None:
    (c,) = extract(text).claims
    assert isinstance(c, LevelClaim)
    assert (c.series, c.value, c.unit, c.date) == ("EUR/USD basis", -86.0, "bp",
                                                   date(2020, 3, 16))
