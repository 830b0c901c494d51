"""Units: 億/兆/bp and English amounts, conversion, rounding tolerance."""

from __future__ import annotations

import pytest

from liqwatch.claims.units import (
    UnitError,
    convert,
    decimal_half_unit,
    find_amounts,
    normalize_unit,
    parse_amount,
)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("60億ドル", 60.0, "億ドル"),
        ("2.55兆ドル", 2.55, "兆ドル"),
        ("2兆5537億ドル", 25537.0, "億ドル"),
        ("1兆3941億ドル", 13941.0, "億ドル"),
        ("10万ドル", 10.0, "万ドル"),
        ("25bp", 25.0, "bp"),
        ("315 bps", 315.0, "bp"),
        ("12 basis points", 12.0, "bp"),
        ("15ベーシスポイント", 15.0, "bp"),
        ("5.25%", 5.25, "percent"),
        ("4.4％", 4.4, "percent"),
        ("$1.8T", 1.8, "USD trillions"),
        ("$6bn", 6.0, "USD billions"),
        ("$2.55 trillion", 2.55, "USD trillions"),
        ("1,394,122 million", 1_394_122.0, "USD millions"),
        ("$500 billion", 500.0, "USD billions"),
        ("US$ 300mn", 300.0, "USD millions"),
    ],
)
def test_parse_amount(text: str, value: float, unit: str) -> None:
    amount = parse_amount(text)
    assert amount.value == pytest.approx(value)
    assert amount.unit == unit


def test_oku_cho_convert_to_usd_units() -> None:
    assert convert(25537, "億ドル", "USD billions") == pytest.approx(2553.7)
    assert convert(2.55, "兆ドル", "USD billions") == pytest.approx(2550.0)
    assert convert(1, "兆ドル", "億ドル") == pytest.approx(10_000)
    assert convert(1_394_122, "USD millions", "USD trillions") == pytest.approx(1.394122)


def test_bp_and_percent_convert() -> None:
    assert convert(2.82, "percent", "bp") == pytest.approx(282.0)
    assert convert(15, "bp", "percent") == pytest.approx(0.15)


def test_units_of_different_families_do_not_convert() -> None:
    with pytest.raises(UnitError, match="cannot express"):
        convert(1.0, "percent", "USD billions")


def test_unknown_unit_is_named() -> None:
    with pytest.raises(UnitError, match="furlongs"):
        normalize_unit("furlongs")


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [("%", "percent"), ("bps", "bp"), ("bn", "USD billions"), ("兆", "兆ドル"),
     ("億", "億ドル"), ("usd_mn", "USD millions"), ("trillion", "USD trillions"),
     ("営業日", "days")],
)
def test_unit_aliases(alias: str, canonical: str) -> None:
    assert normalize_unit(alias) == canonical


@pytest.mark.parametrize(
    ("value", "half"),
    [(1.4, 0.05), ("1.40", 0.005), (5.25, 0.005), (6.0, 0.5), (10.0, 0.5), (2500.0, 50.0),
     (1_394_122.0, 0.5), ("25500", 50.0)],
)
def test_rounding_tolerance_follows_the_written_digits(value: float | str, half: float) -> None:
    assert decimal_half_unit(value) == pytest.approx(half)


def test_find_amounts_in_a_japanese_sentence() -> None:
    hits = find_amounts("リバースレポは2兆5537億ドルから60億ドルに減り、SOFRは25bp上昇した。")
    assert [(a.value, a.unit) for a in hits] == [
        (25537.0, "億ドル"), (60.0, "億ドル"), (25.0, "bp")
    ]


def test_no_number_is_an_error() -> None:
    with pytest.raises(UnitError):
        parse_amount("no number here")
