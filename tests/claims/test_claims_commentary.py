"""The test commentaries (English and Japanese), drafted and checked against the real data.

Expected values were looked up in the real series first: SOFR 5.25% on 2019-09-17 and 2.43% the
day before; WRESBAL 1,394,122 USD millions for the week to 2019-09-18 (a week average);
RRPONTSYD 2,553.716 USD billions on 2022-12-30 (its 2022 high; 2022 low 1,461.227 on
2022-03-07); IOER 2.10% on 2019-09-17; SOFR averaged 1.864% in October 2019 and 1.573% in
November 2019; SOFR stayed above IORB from 2025-10-14 to 2025-10-29 (12 business days); GDP
for 2019Q2 (published by 2019-09-18) 21,397.938 USD billions; bitcoin and Nasdaq-100 in 2023:
correlation of levels 0.76, of daily log returns 0.18; TGA on 2025-11-12: daily 943,145, week
average (WTREGEN) 953,816 USD millions; RPONTTLD_NYFED 50.35 USD billions on 2025-10-31
(the record SRF take-up), ending 2025-12-31; UNRATE has no October
2025 value; IORB was 5.40% until 2024-09-18 and 3.90% on 2025-11-12.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from liqwatch.claims import check, extract
from liqwatch.claims.check import ClaimResult
from liqwatch.store import Store

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "claims"

# (part of the quote, kind, verdict, data value in the claim's unit or None); several claims
# from one sentence are listed in order.
EXPECTED_EN = [
    ("SOFR jumped to 5.25%", "level", "consistent", 5.25),
    ("SOFR jumped to 5.25%", "level", "consistent", 2.43),
    ("SOFR jumped to 5.25%", "change", "consistent", 2.82),  # from 2.43% to 5.25%
    ("SOFR rose by 282 bp", "change", "consistent", 282.0),
    ("$1.394 trillion in the week", "level", "consistent", 1.394122),
    ("stood at $1.8 trillion", "level", "wrong", 1.394122),
    ("SOFR averaged 1.86%", "mean", "consistent", 1.8640909),
    ("SOFR averaged 2.10%", "mean", "wrong", 1.5726316),
    ("315 bp above IORB", "spread", "consistent", 315.0),
    ("averaged 20 bp above IORB", "spread", "wrong", 7.4444444),
    ("peaked at $2.55 trillion", "max", "consistent", 2.553716),
    ("low for the year of $1.2 trillion", "min", "wrong", 1.461227),
    ("only $255.4 billion", "level", "wrong", 2553.716),
    ("12 consecutive business days", "streak", "consistent", 12.0),
    ("3 consecutive business days", "streak", "wrong", 1.0),
    ("about 6.5% of GDP", "ratio", "consistent", 1394.122 / 21397.938 * 100),
    ("10% of GDP", "ratio", "wrong", 1394.122 / 21397.938 * 100),
    ("correlation of 0.76", "correlation", "wrong", None),
    ("daily returns between bitcoin", "correlation", "consistent", None),
    ("IORB was 5.40%", "level", "wrong", 3.90),
    ("The TGA stood at $954 billion", "level", "ambiguous", 943.145),
    ("fell by $85 billion", "change", "consistent", -85.016),
    ("Standing Repo Facility took in", "level", "consistent", 50.35),
    ("unemployment rate was 4.4%", "level", "not_checkable", None),
]
UNMAPPED_EN = ["Dealers absorbed about $300 billion", "¥50 trillion"]

EXPECTED_JA = [
    ("SOFRは5.25%に急騰", "level", "consistent", 5.25),
    ("1兆3941億ドル", "level", "consistent", 13941.22),
    ("1兆8000億ドル", "level", "wrong", 13941.22),
    ("10月平均は1.86%", "mean", "consistent", 1.8640909),
    ("IORBを315bp上回った", "spread", "consistent", 315.0),
    ("2兆5537億ドルと過去最高", "max", "consistent", 25537.16),
    ("2554億ドルにとどまった", "level", "wrong", 25537.16),
    ("282bp上昇", "change", "consistent", 282.0),
    ("12営業日連続", "streak", "consistent", 12.0),
    ("GDP比6.5%", "ratio", "consistent", 1394.122 / 21397.938 * 100),
    ("相関は0.76", "correlation", "wrong", None),
    ("9540億ドル", "level", "ambiguous", 9431.45),
    ("11月中旬の準備預金", "level", "consistent", 2.85503),
    ("常設レポファシリティ", "level", "consistent", 503.5),
    ("10年債利回り", "level", "consistent", 4.08),
    ("失業率は2025年9月に4.4%", "level", "consistent", 4.4),
]
UNMAPPED_JA = ["50兆円"]


def _assert_all(results: list[ClaimResult], expected: list[tuple[str, str, str, float | None]]
                ) -> None:
    got = [(r.quote, r.kind, r.verdict, r.data_value) for r in results]
    assert len(got) == len(expected), [g[:3] for g in got]
    for (quote, kind, verdict, value), r in zip(expected, results, strict=True):
        where = f"{quote!r}: {r.explanation_en}"
        assert quote in r.quote, where
        assert (r.kind, r.verdict) == (kind, verdict), where
        assert r.auto, where
        if value is not None:
            assert r.data_value == pytest.approx(value, rel=1e-6), where


def _run(real_db: Path, name: str) -> tuple[list[ClaimResult], list[str]]:
    draft = extract((FIX / name).read_text(encoding="utf-8"))
    with Store(real_db, read_only=True) as store:
        return check(store, draft), [u.quote for u in draft.unmapped]


@pytest.fixture(scope="module")
def en_results(real_db: Path) -> tuple[list[ClaimResult], list[str]]:
    """The English commentary, drafted and checked once for this module."""
    return _run(real_db, "commentary_en.txt")


@pytest.fixture(scope="module")
def ja_results(real_db: Path) -> tuple[list[ClaimResult], list[str]]:
    """The Japanese commentary, drafted and checked once for this module."""
    assert extract((FIX / "commentary_ja.txt").read_text(encoding="utf-8")).lang == "ja"
    return _run(real_db, "commentary_ja.txt")


def test_english_commentary_every_verdict(
    en_results: tuple[list[ClaimResult], list[str]],
) -> None:
    results, unmapped = en_results
    _assert_all(results, EXPECTED_EN)
    assert len(unmapped) == len(UNMAPPED_EN)
    for part, quote in zip(UNMAPPED_EN, unmapped, strict=True):
        assert part in quote


def test_japanese_commentary_every_verdict(
    ja_results: tuple[list[ClaimResult], list[str]],
) -> None:
    results, unmapped = ja_results
    _assert_all(results, EXPECTED_JA)
    assert len(unmapped) == len(UNMAPPED_JA) and UNMAPPED_JA[0] in unmapped[0]


def _by_quote(results: list[ClaimResult], part: str) -> ClaimResult:
    return next(r for r in results if part in r.quote)


def test_ten_times_slip_is_named_in_both_languages(
    en_results: tuple[list[ClaimResult], list[str]],
    ja_results: tuple[list[ClaimResult], list[str]],
) -> None:
    en = _by_quote(en_results[0], "only $255.4 billion")
    assert any(a.matches and "10×" in a.en for a in en.alternatives)
    assert en.right_value == pytest.approx(2553.716)
    ja = _by_quote(ja_results[0], "2554億ドル")
    assert "10 倍の桁違い" in ja.explanation_ja


def test_correlation_of_levels_is_named(
    en_results: tuple[list[ClaimResult], list[str]],
) -> None:
    r = _by_quote(en_results[0], "correlation of 0.76")
    assert r.data_value is not None and r.data_value < 0.3  # daily log returns
    levels = next(a for a in r.alternatives if a.en == "correlation of levels")
    assert levels.matches and levels.value == pytest.approx(0.76, abs=0.005)
    assert "correlation of levels" in r.explanation_en


def test_out_of_date_figure_is_named(en_results: tuple[list[ClaimResult], list[str]]) -> None:
    r = _by_quote(en_results[0], "IORB was 5.40%")
    (alt,) = [a for a in r.alternatives if a.matches]
    assert alt.en.startswith("an out-of-date figure: IORB was last 5.4% on 2024-09-18")
    assert "420 days before" in r.explanation_en


def test_figures_older_than_two_years_are_not_named_as_the_source(real_db: Path) -> None:
    """A 10-year yield of 4.5% was last seen in 2007: naming that as the source is noise."""
    draft = extract("The 10-year Treasury yield was 4.5% on March 13, 2023.")
    with Store(real_db, read_only=True) as store:
        (r,) = check(store, draft)
    assert r.verdict == "wrong" and r.data_value == pytest.approx(3.55)
    assert not [a for a in r.alternatives if a.matches]
    assert "out-of-date" not in r.explanation_en and "古い数値" not in r.explanation_ja


def test_japanese_explanation_names_the_other_date_in_a_sentence(real_db: Path) -> None:
    draft = extract("2023年3月13日のON RRP残高は2.2兆ドルだった。")
    with Store(real_db, read_only=True) as store:
        (r,) = check(store, draft)
    assert r.verdict == "wrong"
    assert "主張の数値は別の日付の値（2023年3月10日のRRPONTSYDは" in r.explanation_ja
    tail = r.explanation_ja.split("。主張", 1)[1]
    assert tail.endswith("と一致します。") and ": " not in tail


def test_week_average_reading_of_the_tga(
    en_results: tuple[list[ClaimResult], list[str]],
) -> None:
    r = _by_quote(en_results[0], "The TGA stood at $954 billion")
    assert "TGA_DTS" in r.reading_en
    assert "WTREGEN" in r.explanation_en and "week average" in r.explanation_en
    assert "週平均" in r.explanation_ja


def test_reserves_are_read_as_the_week_average_of_the_week_containing_the_date(
    en_results: tuple[list[ClaimResult], list[str]],
) -> None:
    r = _by_quote(en_results[0], "stood at $1.8 trillion")
    ob = r.observations[0]
    assert (ob.series_id, ob.date.isoformat(), ob.value) == ("WRESBAL", "2019-09-18", 1394122.0)
    assert ob.realtime_start is not None and ob.realtime_start.isoformat() == "2019-09-19"
    assert "fred:WRESBAL" in ob.source


def test_spread_before_2021_uses_ioer(en_results: tuple[list[ClaimResult], list[str]]) -> None:
    """The spread is the indicator's value; the two rates behind it are listed too."""
    r = _by_quote(en_results[0], "315 bp above IORB")
    assert r.series == "SOFR − IOER"
    assert [o.series_id for o in r.observations] == ["indicator:sofr_iorb_bp", "SOFR", "IOER"]


def test_not_checkable_names_the_missing_data(
    en_results: tuple[list[ClaimResult], list[str]],
) -> None:
    srf = _by_quote(en_results[0], "Standing Repo Facility")
    assert [o.series_id for o in srf.observations] == ["RPONTTLD_NYFED"]
    assert srf.observations[0].date.isoformat() == "2025-10-31"
    un = _by_quote(en_results[0], "unemployment rate")
    assert un.missing_en is not None and "UNRATE" in un.missing_en


def test_claims_about_indicators(real_store: Store) -> None:
    from liqwatch.claims import parse_claims

    claims = parse_claims([
        {"kind": "level", "series": "sofr_iorb_bp", "date": "2019-09-17", "value": "315bp"},
        {"kind": "level", "series": "reserves_tn", "date": "2019-09-17", "value": "$1.8T"},
    ])
    spread, reserves = check(real_store, claims)
    assert spread.verdict == "consistent" and spread.data_value == pytest.approx(315.0)
    assert spread.observations[0].realtime_start is not None
    assert spread.observations[0].realtime_start.isoformat() == "2019-09-18"
    assert "SOFR − IORB" in spread.explanation_en
    assert reserves.verdict == "wrong"
    assert reserves.data_value == pytest.approx(1.394122)
    assert reserves.observations[0].date.isoformat() == "2019-09-18"


def test_cross_currency_basis_through_the_indicator(real_store: Store) -> None:
    draft = extract("The EUR/USD cross-currency basis was about -86 bp on March 16, 2020. "
                    "The EUR/USD basis averaged -20 bp in June 2019.")
    march, june = check(real_store, draft)
    assert march.verdict == "consistent"
    assert march.data_value == pytest.approx(-86.0, abs=0.5)
    assert march.series == "indicator:xccy_basis_eur_bp"
    assert june.kind == "mean" and june.data_value == pytest.approx(-20.0, abs=1.0)


def test_target_range_top_in_japanese_is_not_read_as_sofr() -> None:
    """「誘導目標の上限4.00%」 is the target range, not a second SOFR level (a false 'wrong')."""
    draft = extract("2025年10月31日のSOFRは4.22%で、誘導目標の上限4.00%を上回った。")
    assert not [c for c in draft.claims if getattr(c, "value", None) == 4.0
                and getattr(c, "series", None) == "SOFR"]
