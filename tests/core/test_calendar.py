"""The US business-day calendars: SIFMA for the bond market, the Fed's, the federal one."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from liqwatch import calendar, catalog
from liqwatch.calendar import business_days, holidays, is_business_day


def _published(series_id: str, obs: str) -> date:
    spec = catalog.get(series_id)
    return spec.release.published_one(date.fromisoformat(obs), spec.frequency)


def test_sofr_follows_the_bond_market_calendar() -> None:
    # Good Friday 2024: SIFMA full close, so Thursday's SOFR came out on Monday 1 April.
    assert _published("SOFR", "2024-03-28") == date(2024, 4, 1)
    # 18 Jun 2021: a new federal holiday, but the bond market was open: SOFR for the 17th
    # came out on the 18th, and the 18th's own rate on Monday the 21st.
    assert _published("SOFR", "2021-06-17") == date(2021, 6, 18)
    assert _published("SOFR", "2021-06-18") == date(2021, 6, 21)
    assert is_business_day(date(2021, 6, 18))
    assert not is_business_day(date(2024, 3, 29))


@pytest.mark.parametrize(
    ("day", "open_"),
    [
        ("2024-03-29", False),  # Good Friday, SIFMA full close
        ("2023-04-07", False),  # Good Friday with a SIFMA early close: no repo settles
        ("2018-12-05", False),  # national day of mourning, SIFMA full close
        ("2020-07-03", False),  # Independence Day observed
        ("2021-12-31", True),   # New Year's Day falls on a Saturday: bond market open
        ("2024-11-29", True),   # day after Thanksgiving: early close only
        ("2025-01-09", True),   # national day of mourning 2025: early close only
        ("2025-11-11", False),  # Veterans Day
        ("2025-10-13", False),  # Columbus Day
        ("2024-12-25", False),
    ],
)
def test_sifma_full_and_early_closes(day: str, open_: bool) -> None:
    assert is_business_day(date.fromisoformat(day)) is open_
    assert bool(np.is_busday(day, holidays=calendar.holiday_array())) is open_


def test_unsecured_rates_and_the_statement_keep_their_publishers_calendars() -> None:
    # EFFR is published on Good Friday (the Fed is open) and on a Friday before a Saturday
    # holiday; the Daily Treasury Statement is not published on a federal holiday.
    assert _published("EFFR", "2024-03-28") == date(2024, 3, 29)
    assert _published("EFFR", "2021-12-30") == date(2021, 12, 31)
    assert _published("TGA_DTS", "2021-06-17") == date(2021, 6, 21)
    assert _published("TGA_DTS", "2024-03-28") == date(2024, 3, 29)


def test_business_days_skip_bond_market_holidays() -> None:
    days = business_days("2024-03-27", "2024-04-02")
    assert [d.date().isoformat() for d in days] == [
        "2024-03-27", "2024-03-28", "2024-04-01", "2024-04-02"]
    assert (pd.Timestamp("2024-03-28") + calendar.BDAY).date() == date(2024, 4, 1)


def test_unknown_calendar_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown calendar 'nyse'"):
        holidays("nyse")  # type: ignore[arg-type]


def test_the_cache_file_is_used_and_a_bad_one_is_rebuilt(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIQWATCH_CACHE_DIR", str(tmp_path))
    fresh = calendar._cached("sifma", "pandas_market_calendars", calendar._sifma)
    files = list(tmp_path.glob("sifma-holidays-pandas_market_calendars-*.npy"))
    assert len(files) == 1
    assert np.array_equal(np.load(files[0]), fresh)
    files[0].write_bytes(b"not an array")
    again = calendar._cached("sifma", "pandas_market_calendars", calendar._sifma)
    assert np.array_equal(again, fresh)
    assert np.array_equal(np.load(files[0]), fresh)
    assert not list(tmp_path.glob(".sifma-*"))  # no temp file left behind


def _weekdays_without(raw: Path, series_id: str, start: str) -> set[date]:
    frame = pd.read_csv(raw / f"{series_id}.csv", parse_dates=["date"]).dropna()
    have = pd.DatetimeIndex(frame["date"])
    have = have[have >= start]
    weekdays = pd.bdate_range(have.min(), have.max())
    return set(weekdays.difference(have).date)


@pytest.mark.realdata
def test_calendars_explain_the_publishers_real_days(raw_dir: Path) -> None:
    """The weekdays without a published value are exactly each calendar's holidays."""
    for series_id, name in (("SOFR", "sifma"), ("TGCR", "sifma"), ("EFFR", "fed")):
        missing = _weekdays_without(raw_dir, series_id, "2016-03-01")
        days = pd.DatetimeIndex(holidays(name))  # type: ignore[arg-type]
        lo, hi = min(missing), max(missing)
        wanted = {d for d in days.date if lo <= d <= hi and d >= date(2018, 4, 3)}
        assert {d for d in missing if d >= date(2018, 4, 3)} == wanted, series_id
