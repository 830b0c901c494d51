"""The claims file: YAML and JSON, values written with units, validation errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from liqwatch.claims import load_claims, parse_claims
from liqwatch.claims.schema import LevelClaim, SpreadClaim, StreakClaim
from liqwatch.exceptions import ConfigError


def test_yaml_and_json_load_the_same(tmp_path: Path) -> None:
    entry = {"id": "a", "kind": "level", "series": "SOFR", "date": "2019-09-17",
             "value": 5.25, "unit": "%"}
    (tmp_path / "c.json").write_text(json.dumps([entry]), encoding="utf-8")
    (tmp_path / "c.yaml").write_text(
        "claims:\n  - {id: a, kind: level, series: SOFR, date: 2019-09-17, value: 5.25, "
        "unit: '%'}\n", encoding="utf-8")
    a = load_claims(tmp_path / "c.json")
    b = load_claims(tmp_path / "c.yaml")
    assert a == b and isinstance(a[0], LevelClaim) and a[0].unit == "percent"


def test_value_with_unit_sets_unit_and_rounding() -> None:
    (c,) = parse_claims([{"kind": "level", "series": "ON RRP", "date": "2022-12-30",
                          "value": "2.55兆ドル"}])
    assert (c.value, c.unit) == (2.55, "兆ドル")
    assert c.tolerance_abs() == pytest.approx(0.005, abs=1e-8)


@pytest.mark.parametrize(
    ("tolerance", "expected"),
    [(0.1, 0.1), ("2%", 0.105), ("5bp", 0.05), (None, 0.005)],
)
def test_tolerance_forms(tolerance: float | str | None, expected: float) -> None:
    (c,) = parse_claims([{"kind": "level", "series": "SOFR", "date": "2019-09-17",
                          "value": 5.25, "unit": "percent", "tolerance": tolerance}])
    assert c.tolerance_abs() == pytest.approx(expected, abs=1e-8)


def test_approx_widens_the_tolerance() -> None:
    """'about $1.4T': 5% of the number (0.07) is wider than the last digit's half unit."""
    (c,) = parse_claims([{"kind": "level", "series": "reserves", "date": "2019-09-17",
                          "value": "$1.4T", "approx": True}])
    assert c.tolerance_abs() == pytest.approx(0.07, abs=1e-8)
    assert "about" in c.band().rule_en
    (big,) = parse_claims([{"kind": "level", "series": "reserves", "date": "2019-09-17",
                            "value": "36000億ドル", "hedge": "about"}])
    assert big.band().rule_en.startswith("±1,800 ")


def test_kind_specific_rules() -> None:
    with pytest.raises(ConfigError, match="a spread needs date, or start and end"):
        parse_claims([{"kind": "spread", "series": "SOFR", "series_b": "IORB", "value": 5,
                       "unit": "bp"}])
    with pytest.raises(ConfigError, match="exactly one of threshold or series_b"):
        parse_claims([{"kind": "streak", "series": "SOFR", "date": "2025-10-29", "value": 3}])
    (s,) = parse_claims([{"kind": "streak", "series": "SOFR", "series_b": "IORB",
                          "date": "2025-10-29", "value": 12}])
    assert isinstance(s, StreakClaim) and s.unit == "days"
    (sp,) = parse_claims([{"kind": "spread", "series": "SOFR", "series_b": "IORB",
                           "date": "2019-09-17", "value": "315bp"}])
    assert isinstance(sp, SpreadClaim) and sp.unit == "bp"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "level"}, "expected a list"),
        ([{"kind": "level", "series": "SOFR", "date": "2019-09-17", "value": 1,
           "unit": "furlongs"}], "furlongs"),
        ([{"kind": "level", "series": "SOFR", "date": "17/09/2019", "value": 1,
           "unit": "%"}], "date"),
        ([{"kind": "level", "series": "SOFR", "date": "2019-09-17", "value": 1, "unit": "%",
           "colour": "red"}], "colour"),
        (["SOFR 5.25"], "expected a mapping"),
    ],
)
def test_errors_name_the_problem(data: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_claims(data)


def test_missing_file_and_bad_yaml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_claims(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("- [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_claims(bad)


def test_parse_errors_are_one_line_with_the_position(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("claims:\n  - id: a\n    kind: level\n   series: SOFR\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_claims(bad)
    msg = str(info.value)
    assert "\n" not in msg and "at line 4, column 4" in msg and "not valid YAML" in msg
    js = tmp_path / "bad.json"
    js.write_text('{"claims": [1,}', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"not valid JSON: .* at line 1, column 15$"):
        load_claims(js)
