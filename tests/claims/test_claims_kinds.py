"""Each claim kind, checked against a small SYNTHETIC store (values invented for the tests)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from liqwatch.claims import check, parse_claims
from liqwatch.claims.check import ClaimResult
from liqwatch.store import Store

BDAYS = pd.bdate_range("2024-01-02", "2024-03-29")


def _frame(series_id: str, dates: pd.DatetimeIndex, values: np.ndarray | list[float]) -> \
        pd.DataFrame:
    return pd.DataFrame({"series_id": series_id, "date": dates, "value": values})


@pytest.fixture
def synth(store: Store) -> Store:
    """Synthetic series: SOFR with a spike, IORB flat, weekly reserves, GDP, BTC/NDX, TGA."""
    sofr = np.full(len(BDAYS), 5.31)
    sofr[BDAYS.get_loc(pd.Timestamp("2024-02-15"))] = 5.60
    sofr[BDAYS.get_loc(pd.Timestamp("2024-02-16"))] = 5.45
    sofr[BDAYS.get_loc(pd.Timestamp("2024-02-20"))] = 5.42
    # the 2024-02-19 holiday is not in the bdate_range calendar: drop it
    keep = pd.Timestamp("2024-02-19") != BDAYS
    days = BDAYS[keep]
    sofr = sofr[keep]
    cal = pd.date_range("2024-01-01", "2024-03-31")
    weds = pd.date_range("2024-01-03", "2024-03-27", freq="W-WED")
    rng = np.random.default_rng(7)
    trend = np.linspace(0, 1, len(days))
    btc = 40_000 * np.exp(trend + 0.02 * rng.standard_normal(len(days)).cumsum() * 0.1)
    ndx = 16_000 * np.exp(0.5 * trend + 0.01 * rng.standard_normal(len(days)))
    frames = [
        _frame("SOFR", days, sofr),
        _frame("IORB", cal, np.full(len(cal), 5.40)),
        _frame("WRESBAL", weds, 3_500_000 + 10_000 * np.arange(len(weds))),
        _frame("GDP", pd.DatetimeIndex(["2023-10-01", "2024-01-01"]), [28_000.0, 28_500.0]),
        _frame("BTCUSD", days, btc),
        _frame("NASDAQ100", days, ndx),
        _frame("TGA_DTS", days, np.where(days.day_of_week == 2, 700_000.0, 760_000.0)),
        _frame("WTREGEN", weds, np.full(len(weds), 748_000.0)),
    ]
    store.write(pd.concat(frames), vintage_date=date(2024, 4, 1))
    return store


def one(store: Store, **claim: object) -> ClaimResult:
    return check(store, parse_claims([claim]))[0]


def test_level_consistent_and_explained(synth: Store) -> None:
    r = one(synth, kind="level", series="SOFR", date="2024-02-15", value="5.60%")
    assert r.verdict == "consistent"
    assert r.data_value == pytest.approx(5.60)
    assert r.error_abs == pytest.approx(0.0)
    assert "5.6%" in r.explanation_en and "整合" in r.explanation_ja
    ob = r.observations[0]
    assert (ob.series_id, ob.date, ob.realtime_start) == ("SOFR", date(2024, 2, 15),
                                                          date(2024, 2, 16))
    assert ob.source.startswith("nyfed:") or ob.source.startswith("fred:")


def test_level_wrong_names_the_ten_times_slip(synth: Store) -> None:
    r = one(synth, kind="level", series="WRESBAL", date="2024-01-03", value="$350bn")
    assert r.verdict == "wrong"
    assert r.data_value == pytest.approx(3500.0)
    assert r.right_value == pytest.approx(3500.0)
    assert r.error_rel == pytest.approx(0.9)
    assert any(a.matches and "10×" in a.en for a in r.alternatives)
    assert "10×" in r.explanation_en and "10 倍" in r.explanation_ja


def test_level_wrong_names_a_nearby_date(synth: Store) -> None:
    r = one(synth, kind="level", series="SOFR", date="2024-02-14", value=5.60, unit="percent")
    assert r.verdict == "wrong"
    assert any(a.matches and "2024-02-15" in a.en for a in r.alternatives)


def test_weekly_series_reads_the_week_containing_the_date(synth: Store) -> None:
    r = one(synth, kind="level", series="WRESBAL", date="2024-01-08", value=3_510_000,
            unit="USD millions")
    assert r.verdict == "consistent"
    assert r.observations[0].date == date(2024, 1, 10)
    (note_en, note_ja), = r.notes
    assert note_en.startswith("week ending 2024-01-10; WRESBAL is a week average")
    assert note_ja.startswith("2024-01-10 に終わる週。WRESBAL は木曜〜水曜の週平均")


def test_fuzzy_date_takes_the_closest_day_in_its_window(synth: Store) -> None:
    r = one(synth, kind="level", series="SOFR", date="2024-02-15",
            window=["2024-02-11", "2024-02-20"], value=5.45, unit="percent")
    assert r.verdict == "consistent"
    assert r.observations[0].date == date(2024, 2, 16)


def test_change_in_bp(synth: Store) -> None:
    r = one(synth, kind="change", series="SOFR", start="2024-02-14", end="2024-02-15",
            value=29, unit="bp")
    assert r.verdict == "consistent"
    assert r.data_value == pytest.approx(29.0)


def test_change_of_a_rate_in_percent_is_ambiguous_when_mode_is_open(synth: Store) -> None:
    # +5.46% is the relative change; in percentage points the change is 0.29
    r = one(synth, kind="change", series="SOFR", start="2024-02-14", end="2024-02-15",
            value=5.46, unit="percent")
    assert r.verdict == "ambiguous"
    assert r.data_value == pytest.approx(0.29)
    assert "percent change" in r.explanation_en


def test_change_with_stated_mode_is_wrong_and_names_the_other_mode(synth: Store) -> None:
    r = one(synth, kind="change", series="SOFR", start="2024-02-14", end="2024-02-15",
            value=5.46, unit="percent", mode="absolute")
    assert r.verdict == "wrong"
    assert any(a.matches and a.en.startswith("percent change") for a in r.alternatives)


def test_mean_max_min(synth: Store) -> None:
    # 20 business days in Feb 2024 (Presidents' Day off): 17 x 5.31, then 5.60, 5.45, 5.42
    mean = one(synth, kind="mean", series="SOFR", start="2024-02-01", end="2024-02-29",
               value=5.34, unit="percent")
    assert mean.verdict == "consistent"
    assert mean.extra["n"] == 20
    assert mean.data_value == pytest.approx((17 * 5.31 + 5.60 + 5.45 + 5.42) / 20)
    top = one(synth, kind="max", series="SOFR", start="2024-01-01", end="2024-03-31",
              value=5.6, unit="percent", at="2024-02-15")
    assert top.verdict == "consistent" and top.extra["at"] == date(2024, 2, 15)
    low = one(synth, kind="min", series="SOFR", start="2024-01-01", end="2024-03-31",
              value=5.2, unit="percent")
    assert low.verdict == "wrong" and low.data_value == pytest.approx(5.31)


def test_max_on_the_wrong_date_is_wrong(synth: Store) -> None:
    r = one(synth, kind="max", series="SOFR", start="2024-01-01", end="2024-03-31",
            value=5.6, unit="percent", at="2024-03-20")
    assert r.verdict == "wrong"
    assert "2024-02-15" in r.explanation_en


def test_spread_on_a_day_and_averaged(synth: Store) -> None:
    day = one(synth, kind="spread", series="SOFR", series_b="IORB", date="2024-02-15",
              value=20, unit="bp")
    assert day.verdict == "consistent"
    avg = one(synth, kind="spread", series="SOFR", series_b="IORB", start="2024-02-12",
              end="2024-02-16", value=-9, unit="bp")
    # (-9 -9 -9 +20 +5) / 5 = -0.4 bp
    assert avg.verdict == "wrong"
    assert avg.data_value == pytest.approx(-0.4)


def test_streak_against_a_level_and_a_series(synth: Store) -> None:
    lvl = one(synth, kind="streak", series="SOFR", date="2024-02-22", threshold=5.4,
              threshold_unit="percent", value=3)
    # 02-15 (5.60), 02-16 (5.45), 02-20 (5.42): three business days above 5.40
    assert lvl.verdict == "consistent"
    assert lvl.extra["run"] == (date(2024, 2, 15), date(2024, 2, 20))
    ser = one(synth, kind="streak", series="SOFR", series_b="IORB", date="2024-03-01",
              value=6)
    assert ser.verdict == "wrong" and ser.data_value == pytest.approx(3.0)
    assert any(a.en.startswith("calendar days") and a.value == pytest.approx(6.0)
               and a.matches for a in ser.alternatives)


def test_ratio_uses_the_denominator_known_at_the_date(synth: Store) -> None:
    # 2024-03-20: GDP for 2024Q1 is not out yet, so 2023Q4 (28,000) is used.
    r = one(synth, kind="ratio", series="WRESBAL", series_b="GDP", date="2024-03-20",
            value=12.89, unit="percent")
    wres = 3_500_000 + 10_000 * 11
    assert r.data_value == pytest.approx(wres / 1000 / 28_000 * 100)
    assert r.verdict == "consistent"
    later = one(synth, kind="ratio", series="WRESBAL", series_b="GDP", date="2024-03-20",
                value=12.67, unit="percent")
    assert later.verdict == "wrong"
    assert any(a.matches and "published later" in a.en for a in later.alternatives)


def test_correlation_of_levels_is_named(synth: Store) -> None:
    frame = synth.read_wide(["BTCUSD", "NASDAQ100"])
    levels = float(frame["BTCUSD"].corr(frame["NASDAQ100"]))
    rets = np.log(frame).diff().dropna()
    returns = float(rets["BTCUSD"].corr(rets["NASDAQ100"]))
    assert abs(levels - returns) > 0.3
    r = one(synth, kind="correlation", series="BTCUSD", series_b="NASDAQ100",
            start="2024-01-01", end="2024-03-31", value=round(levels, 2))
    assert r.verdict == "wrong"
    assert r.data_value == pytest.approx(returns)
    assert any(a.matches and a.en == "correlation of levels" for a in r.alternatives)
    ok = one(synth, kind="correlation", series="BTCUSD", series_b="NASDAQ100",
             start="2024-01-01", end="2024-03-31", value=round(levels, 2), basis="levels")
    assert ok.verdict == "consistent"


def test_concept_with_two_readings_is_ambiguous(synth: Store) -> None:
    # Wednesday 2024-01-10: daily TGA 700bn, H.4.1 week average 748bn
    r = one(synth, kind="level", series="TGA", date="2024-01-10", value="$748bn")
    assert r.verdict == "ambiguous"
    assert r.data_value == pytest.approx(700.0)
    assert "WTREGEN" in r.explanation_en and "TGA_DTS" in r.reading_en


def test_exact_series_id_with_other_basis_is_wrong_with_the_definition(synth: Store) -> None:
    r = one(synth, kind="level", series="TGA_DTS", date="2024-01-10", value="$748bn")
    assert r.verdict == "wrong"
    assert any(a.matches and "WTREGEN" in a.en for a in r.alternatives)


@pytest.mark.parametrize(
    ("claim", "missing"),
    [
        ({"series": "NOPE", "date": "2024-01-10"}, "neither a catalog series"),
        ({"series": "SOFR", "date": "2024-06-03"}, "no data after 2024-03-29"),
        ({"series": "EFFR", "date": "2024-01-10"}, "no data for EFFR in the store"),
    ],
)
def test_not_checkable_says_what_is_missing(synth: Store, claim: dict[str, str],
                                            missing: str) -> None:
    r = one(synth, kind="level", value=5.3, unit="percent", **claim)
    assert r.verdict == "not_checkable"
    assert r.data_value is None
    assert r.missing_en is not None and missing in r.missing_en
    assert r.explanation_ja.startswith("検証不能")


def test_first_release_is_noted_when_revised(synth: Store) -> None:
    synth.write(_frame("SOFR", pd.DatetimeIndex(["2024-02-15"]), [5.55]),
                vintage_date=date(2024, 4, 10))
    r = one(synth, kind="level", series="SOFR", date="2024-02-15", value=5.55, unit="percent")
    assert r.verdict == "consistent"
    assert r.observations[0].first_release == pytest.approx(5.60)
    assert r.observations[0].realtime_start == date(2024, 4, 10)
    assert any("first released as 5.6" in en for en, _ in r.notes)


def test_json_record_shape(synth: Store) -> None:
    r = one(synth, kind="level", series="SOFR", date="2024-02-15", value=5.6, unit="percent",
            quote="SOFR hit 5.60%.")
    rec = r.to_dict()
    for key in ("quote", "kind", "series", "date", "claimed_value", "data_value", "unit",
                "verdict", "error", "explanation", "explanation_ja", "observations"):
        assert key in rec
    assert rec["date"] == "2024-02-15" and rec["unit"] == "percent"
    assert rec["error"] == {"abs": 0.0, "rel": 0.0}
    assert rec["observations"][0]["realtime_start"] == "2024-02-16"


def test_concept_falls_back_to_another_reading_when_its_series_is_missing(store: Store) -> None:
    weds = pd.date_range("2024-01-03", "2024-01-31", freq="W-WED")
    store.write(_frame("WTREGEN", weds, np.full(len(weds), 748_000.0)),
                vintage_date=date(2024, 4, 1))
    r = one(store, kind="level", series="TGA", date="2024-01-10", value="$748bn")
    assert r.verdict == "consistent"
    assert r.observations[0].series_id == "WTREGEN"
    assert any("no data for TGA_DTS" in en for en, _ in r.notes)


def test_summary_and_notebook_repr(synth: Store) -> None:
    r = one(synth, kind="level", series="reserves", date="2024-01-08", value="$3.51T")
    text = r.summary()
    assert text.splitlines()[0].startswith("Consistent: reserves (WRESBAL)")
    assert "WRESBAL 2024-01-10 = 3,510,000 USD millions (published 2024-01-11" in text
    assert "note: week ending 2024-01-10" in text
    assert '<section class="lw-claims"' in r._repr_html_()
    assert r.to_dict()["series_as_written"] == ["reserves"]


def test_fuzzy_window_partly_after_the_data_still_checks(synth: Store) -> None:
    r = one(synth, kind="level", series="SOFR", date="2024-03-31",
            window=["2024-03-25", "2024-04-05"], value=5.31, unit="percent")
    assert r.verdict == "consistent"
    assert r.observations[0].date <= date(2024, 3, 29)
    after = one(synth, kind="level", series="SOFR", date="2024-04-10",
                window=["2024-04-08", "2024-04-12"], value=5.31, unit="percent")
    assert after.verdict == "not_checkable"


def test_as_of_checks_what_was_published_then(synth: Store) -> None:
    synth.write(_frame("SOFR", pd.DatetimeIndex(["2024-02-15"]), [5.55]),
                vintage_date=date(2024, 4, 10))
    (claim,) = parse_claims([{"kind": "level", "series": "SOFR", "date": "2024-02-15",
                              "value": "5.60", "unit": "percent"}])
    (now,) = check(synth, [claim])
    (then,) = check(synth, [claim], as_of=date(2024, 3, 1))
    assert (now.verdict, now.data_value) == ("wrong", pytest.approx(5.55))
    assert (then.verdict, then.data_value) == ("consistent", pytest.approx(5.60))
    assert then.observations[0].realtime_start == date(2024, 2, 16)
    (early,) = check(synth, [claim], as_of=date(2024, 2, 15))
    assert early.verdict == "not_checkable"
    assert early.missing_en == "SOFR has no data after 2024-02-14 (claim date 2024-02-15)"
