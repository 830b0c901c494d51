"""Actual release dates (``release_dates.toml``) override the schedule for imported history."""

from __future__ import annotations

import tomllib
from datetime import date
from importlib import resources

import pandas as pd
import pytest

from liqwatch import catalog
from liqwatch.store import Store


def _latest_known(store: Store, series_id: str, as_of: str) -> date:
    frame = store.read([series_id], as_of=as_of)
    return pd.Timestamp(frame["date"].max()).date()


def test_shutdown_delays_keep_q3_gdp_and_september_unemployment_unknown(
        real_store: Store) -> None:
    """As of 3 Nov 2025 neither Q3 2025 GDP nor the September 2025 unemployment rate was out."""
    assert _latest_known(real_store, "GDP", "2025-11-03") == date(2025, 4, 1)
    assert _latest_known(real_store, "UNRATE", "2025-11-03") == date(2025, 8, 1)
    # Published on 20 Nov (BLS) and 23 Dec 2025 (BEA): known from those days, not before.
    assert _latest_known(real_store, "UNRATE", "2025-11-19") == date(2025, 8, 1)
    assert _latest_known(real_store, "UNRATE", "2025-11-20") == date(2025, 9, 1)
    assert _latest_known(real_store, "GDP", "2025-12-22") == date(2025, 4, 1)
    assert _latest_known(real_store, "GDP", "2025-12-23") == date(2025, 7, 1)


def test_exceptions_apply_to_their_release_only() -> None:
    unrate, gdp = catalog.get("UNRATE"), catalog.get("GDP")
    assert unrate.release.published_one(date(2025, 9, 1), unrate.frequency) == date(2025, 11, 20)
    assert unrate.release.published_one(date(2025, 12, 1), unrate.frequency) == date(2026, 1, 9)
    # A month without an entry keeps the rule (7 days after month end).
    assert unrate.release.published_one(date(2025, 8, 1), unrate.frequency) == date(2025, 9, 7)
    assert gdp.release.published_one(date(2025, 7, 1), gdp.frequency) == date(2025, 12, 23)
    assert gdp.release.published_one(date(2025, 4, 1), gdp.frequency) == date(2025, 7, 30)
    # Vectorised over a mixed index, in its order.
    out = unrate.release.published(pd.DatetimeIndex(["2025-11-01", "2025-07-01"]),
                                   unrate.frequency)
    assert list(out) == [pd.Timestamp("2025-12-16"), pd.Timestamp("2025-08-07")]


def test_every_entry_is_dated_sourced_and_later_than_its_observation() -> None:
    text = resources.files("liqwatch").joinpath("release_dates.toml").read_text("utf-8")
    raw = tomllib.loads(text)
    assert isinstance(raw["updated"], date)
    for entry in raw["release"]:
        assert entry["release"] in {r.name for r in map(catalog.release, [entry["release"]])}
        assert entry["published"] >= entry["observation"]
        assert entry["source"] and entry["reason"]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('release = "nope"\nobservation = 2025-09-01\npublished = 2025-11-20\nsource = "x"',
         "entry 1 names unknown release 'nope'"),
        ('release = "gdp"\nobservation = 2025-07-01\npublished = 2025-12-23',
         "has no 'source'"),
        ('release = "gdp"\nobservation = 2025-07-01\npublished = 2025-06-01\nsource = "x"',
         "published 2025-06-01 is before observation 2025-07-01"),
        ('release = "gdp"\nobservation = "2025-07-01"\npublished = 2025-12-23\nsource = "x"',
         "needs TOML dates"),
    ],
)
def test_a_bad_entry_is_a_clear_error(entry: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        catalog.parse_release_dates(f"[[release]]\n{entry}\n", {"gdp", "employment"})


def test_a_date_listed_twice_is_an_error() -> None:
    one = ("[[release]]\nrelease = \"gdp\"\nobservation = 2025-07-01\n"
           "published = 2025-12-23\nsource = \"x\"\n")
    with pytest.raises(ValueError, match="gdp 2025-07-01 is listed twice"):
        catalog.parse_release_dates(one + one, {"gdp"})
