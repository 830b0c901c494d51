"""A reading older than its inputs' frequency and publication lag allow is no_data."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from liqwatch.exceptions import ConfigError
from liqwatch.indicators import compute, history
from liqwatch.indicators.freshness import series_max_age
from liqwatch.store import Store


def test_limits_follow_frequency_and_publication_lag() -> None:
    assert series_max_age("RPONTTLD_NYFED") == 5  # same-day NY Fed results
    assert series_max_age("SOFR") == 7  # next business day
    assert series_max_age("WREPO") == 10  # H.4.1, the next day
    assert series_max_age("NOT_A_SERIES") == 10


def test_srf_usage_ended_series_is_no_data_with_reason(real_store: Store) -> None:
    """The daily SRF results stop on 2025-12-31 (WREPO on 2025-10-15) in the bundled data."""
    row = compute(real_store, "2026-01-15", ids=["srf_usage_bn"]).iloc[0]
    assert row["status"] == "no_data" and pd.isna(row["value"]) and row["date"] is None
    assert "2025-12-31" in row["reason"] and "RPONTTLD_NYFED" in row["reason"]
    assert "WREPO" in row["reason"] and "2025-10-15" in row["reason"]
    assert "2025-12-31" in row["reason_ja"] and "上限" in row["reason_ja"]
    record = compute(real_store, "2025-10-31", ids=["srf_usage_bn"]).iloc[0]
    assert record["date"] == date(2025, 10, 31) and record["value"] == pytest.approx(50.35)
    assert record["status"] == "alert"
    fresh = compute(real_store, "2026-01-02", ids=["srf_usage_bn"]).iloc[0]
    assert fresh["status"] != "no_data" and fresh["date"] == date(2025, 12, 31)
    h = history(real_store, ids=["srf_usage_bn"], start="2026-01-02", end="2026-01-15")
    by_day = dict(zip(h["date"].dt.date, h["status"], strict=True))
    assert by_day[date(2026, 1, 5)] != "no_data"  # 5 days old
    assert by_day[date(2026, 1, 6)] == "no_data"  # 6 days old
    assert by_day[date(2026, 1, 15)] == "no_data"


def test_max_age_is_configurable_per_indicator(real_store: Store) -> None:
    row = compute(real_store, "2026-01-15", ids=["srf_usage_bn"],
                  thresholds={"srf_usage_bn": {"max_age_days": 20}}).iloc[0]
    assert row["status"] != "no_data" and row["date"] == date(2025, 12, 31)
    assert row["thresholds"]["max_age_days"] == 20
    with pytest.raises(ConfigError, match="max_age_days"):
        compute(real_store, "2026-01-15", ids=["srf_usage_bn"],
                thresholds={"srf_usage_bn": {"max_age_days": 0}})


def _synthetic_repo(store: Store) -> None:
    """Synthetic daily SRF results to 2024-01-12 and weekly WREPO to 2024-01-24 (not real)."""
    days = pd.bdate_range("2024-01-02", "2024-01-12")
    store.write(pd.DataFrame({"series_id": "RPONTTLD_NYFED", "date": days, "value": 0.0}))
    weds = pd.DatetimeIndex(["2024-01-03", "2024-01-10", "2024-01-17", "2024-01-24"])
    store.write(pd.DataFrame({"series_id": "WREPO", "date": weds, "value": 7.0}))


def test_weekly_variant_is_used_only_while_fresh(store: Store) -> None:
    _synthetic_repo(store)
    h = history(store, ids=["srf_usage_bn"], start="2024-01-16", end="2024-02-09")
    h = h.set_index(h["date"].dt.date)
    # After the daily series ends the weekly variant carries on, judged by its own limit.
    assert h.loc[date(2024, 1, 26), "value"] == 7.0
    assert h.loc[date(2024, 2, 2), "value"] == 7.0  # 2024-01-24 is 9 days old
    assert h.loc[date(2024, 2, 5), "status"] == "no_data"  # 12 days old
    assert pd.isna(h.loc[date(2024, 2, 5), "obs_date"])
