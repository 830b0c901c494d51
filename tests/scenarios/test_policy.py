"""The announced policy history: known point in time."""

from __future__ import annotations

from datetime import date

import pandas as pd

from liqwatch.scenarios.policy import KINDS, monthly_policy, policy_history


def _at(month: str, known_by: date | None) -> pd.Series:
    return monthly_policy(pd.DatetimeIndex([pd.Timestamp(month)]), known_by).iloc[0]


def test_every_row_has_source_and_announcement_before_start() -> None:
    h = policy_history()
    assert set(h["kind"]) <= set(KINDS)
    assert h["source"].str.len().min() > 5
    assert (h["announced"] <= h["start"]).all()


def test_2019_runoff_as_known_in_january_2019_continues() -> None:
    jan = _at("2019-09-01", date(2019, 1, 3))
    assert jan["treasury_cap"] == 30.0
    assert jan["mbs_cap"] == 20.0


def test_2019_changes_after_their_announcements() -> None:
    after_march = _at("2019-06-01", date(2019, 3, 21))
    assert after_march["treasury_cap"] == 15.0
    assert _at("2019-08-01", date(2019, 3, 21))["treasury_cap"] == 15.0
    assert _at("2019-08-01", date(2019, 8, 1))["treasury_cap"] == 0.0
    assert _at("2019-11-01", date(2019, 10, 1))["bill_purchases"] == 0.0
    assert _at("2019-11-01", date(2019, 10, 11))["bill_purchases"] == 60.0


def test_2022_onward_caps_and_end_of_runoff() -> None:
    assert _at("2023-01-01", date(2023, 1, 1))["treasury_cap"] == 60.0
    assert _at("2024-07-01", date(2024, 4, 30))["treasury_cap"] == 60.0
    assert _at("2024-07-01", date(2024, 5, 1))["treasury_cap"] == 25.0
    assert _at("2025-05-01", date(2025, 3, 19))["treasury_cap"] == 5.0
    dec = _at("2025-12-01", date(2025, 10, 29))
    assert dec["treasury_cap"] == 0.0 and dec["mbs_cap"] == 0.0
    assert dec["mbs_excess_to"] == "treasury"
    assert _at("2026-01-01", date(2025, 12, 9))["bill_purchases"] == 0.0
    assert _at("2026-01-01", date(2025, 12, 10))["bill_purchases"] == 40.0


def test_qe_2020_and_taper() -> None:
    assert _at("2020-08-01", date(2020, 7, 1))["treasury_purchases"] == 80.0
    assert _at("2021-12-01", date(2021, 12, 1))["treasury_purchases"] == 60.0
    assert _at("2022-01-01", date(2021, 12, 1))["treasury_purchases"] == 50.0
    assert _at("2022-01-01", date(2021, 12, 16))["treasury_purchases"] == 40.0
    assert _at("2022-02-01", date(2021, 12, 16))["mbs_purchases"] == 10.0
    assert _at("2022-04-01", date(2022, 4, 1))["treasury_purchases"] == 0.0


def test_bills_fill_coupon_shortfalls_only_under_the_2022_plan() -> None:
    assert not _at("2019-03-01", date(2019, 3, 1))["bills_fill_shortfall"]
    assert _at("2023-03-01", date(2023, 3, 1))["bills_fill_shortfall"]
    assert _at("2025-06-01", date(2025, 6, 1))["bills_fill_shortfall"]
