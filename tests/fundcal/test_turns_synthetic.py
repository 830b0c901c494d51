"""Turn-aware baselines and their wording on synthetic prints (made-up spreads on real
calendar days)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from liqwatch.calendar import business_days
from liqwatch.fundcal import ORDINARY
from liqwatch.indicators.turns import MIN_OCCURRENCES, turn_frame, turn_text


def _synthetic(start: str, end: str) -> pd.Series:
    """Synthetic spread: -5 bp on ordinary days, +5 on month-ends, +20 on quarter-ends."""
    from liqwatch.fundcal import tag_days

    days = business_days(start, end)
    kinds = tag_days(days)["kind"]
    values = kinds.map({"month_end": 5.0, "quarter_end": 20.0}).fillna(-5.0)
    return pd.Series(values.to_numpy(), index=days)


def test_each_kind_is_read_against_its_own_past() -> None:
    frame = turn_frame(_synthetic("2022-01-03", "2024-12-31"))
    month_ends = frame[frame["kind"] == "month_end"]
    # the first month-ends have no baseline, then the baseline is the month-end level
    assert month_ends["typical"].iloc[:MIN_OCCURRENCES].isna().all()
    assert (month_ends["typical"].iloc[MIN_OCCURRENCES:] == 5.0).all()
    assert (month_ends["excess"].dropna() == 0.0).all()
    q = frame[frame["kind"] == "quarter_end"]
    assert (q["typical"].dropna() == 20.0).all()
    assert (frame.loc[frame["kind"] == ORDINARY, "typical"].dropna() == -5.0).all()
    # lookbacks: 12 month-ends, 8 quarter-ends, 20 ordinary days
    assert month_ends["n"].max() == 12 and q["n"].max() == 8
    assert frame.loc[frame["kind"] == ORDINARY, "n"].max() == 20


def test_a_jump_on_a_month_end_is_an_excess_over_the_usual_month_end() -> None:
    s = _synthetic("2022-01-03", "2024-12-31")
    s.loc["2024-10-31"] = 14.0
    row = turn_frame(s).loc["2024-10-31"]
    assert row["kind"] == "month_end"
    assert float(row["typical"]) == 5.0 and float(row["excess"]) == 9.0
    text = turn_text(dict(row), "en")
    assert text.startswith("a month-end print (also month-end coupon settlement), 9 bp above "
                           "the usual month-end (median +5 bp over the last 12)")
    ja = turn_text(dict(row), "ja")
    assert ja.startswith("月末の値 (同日に月末の利付国債決済)で、通常の月末")
    assert ja.endswith("を 9bp 上回る")


@pytest.mark.parametrize(("excess", "en", "ja"), [
    (0.4, "no calendar event: in line with the usual day without an event", "並み"),
    (-3.0, "no calendar event: 3 bp below the usual day without an event", "下回る"),
    (3.0, "no calendar event: 3 bp above the usual day without an event", "上回る"),
    (6.0, "no calendar event: unusual, 6 bp above the usual day without an event",
     "上回る異例の値"),
])
def test_ordinary_day_wording(excess: float, en: str, ja: str) -> None:
    row = {"kind": ORDINARY, "kinds": (), "typical": -5.0, "n": 20, "excess": excess}
    assert turn_text(row, "en").startswith(en)
    assert turn_text(row, "ja").endswith(ja)


def test_no_baseline_yet_is_said() -> None:
    row = {"kind": "year_end", "kinds": ("year_end", "quarter_end"), "typical": math.nan,
           "n": 1, "excess": math.nan}
    assert turn_text(row, "en") == ("a year-end print (also quarter-end); no baseline yet "
                                    "(fewer than 3 earlier year-end prints)")
    assert "比較の基準なし" in turn_text(row, "ja")


def test_reading_of_a_print_never_uses_later_prints() -> None:
    s = _synthetic("2022-01-03", "2024-12-31")
    full = turn_frame(s)
    s2 = s.copy()
    s2.loc["2024-06-03":] = 100.0  # the future changes wildly
    part = turn_frame(s2)
    pd.testing.assert_frame_equal(full.loc[:"2024-05-31"], part.loc[:"2024-05-31"])
