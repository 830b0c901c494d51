"""Known facts on the real data, and the point-in-time rule."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from liqwatch.indicators import CATEGORIES, COLUMNS, REGISTRY, combination, compute, history
from liqwatch.store import Store


def _row(frame: pd.DataFrame, ind: str) -> pd.Series:
    return frame.set_index("id").loc[ind]


def test_contract_columns_and_registry(real_store: Store) -> None:
    frame = compute(real_store, "2019-09-18")
    assert list(frame.columns) == COLUMNS
    assert list(frame["id"]) == list(REGISTRY)
    assert set(frame["category"]) <= set(CATEGORIES)
    assert set(frame["status"]) <= {"normal", "watch", "alert", "no_data"}
    for spec in REGISTRY.values():
        assert spec.direction in (1, -1)
        assert spec.en and spec.ja


def test_sofr_iorb_september_2019(real_store: Store) -> None:
    """SOFR 5.25 vs IOER 2.10 on 2019-09-17: +315 bp, published on the 18th."""
    after = _row(compute(real_store, "2019-09-18", ids=["sofr_iorb_bp"]), "sofr_iorb_bp")
    assert after["date"] == date(2019, 9, 17)
    assert after["value"] == pytest.approx(315.0, abs=0.5)
    assert after["status"] == "alert"
    sofr = next(i for i in after["inputs"] if i["series_id"] == "SOFR")
    assert sofr["value"] == pytest.approx(5.25)
    assert sofr["realtime_start"] == date(2019, 9, 18)
    assert {i["series_id"] for i in after["inputs"]} == {"SOFR", "IOER"}
    # As of the 17th the 17th's SOFR is not published: the value is the 16th's.
    same_day = _row(compute(real_store, "2019-09-17", ids=["sofr_iorb_bp"]), "sofr_iorb_bp")
    assert same_day["date"] == date(2019, 9, 16)
    assert same_day["value"] == pytest.approx((2.43 - 2.10) * 100, abs=0.5)


def test_sofr_above_ceiling_october_2025(real_store: Store) -> None:
    row = _row(compute(real_store, "2025-11-03", ids=["sofr_ceiling_bp"]), "sofr_ceiling_bp")
    assert row["date"] == date(2025, 10, 31)
    assert row["value"] == pytest.approx(22.0, abs=0.5)  # 4.22 vs 4.00
    assert row["details"]["ceiling"] == pytest.approx(4.00)
    assert row["details"]["days_at_or_above_ceiling"] >= 1


def test_on_rrp_below_100bn_late_2025(real_store: Store) -> None:
    row = _row(compute(real_store, "2025-11-14", ids=["on_rrp_bn"]), "on_rrp_bn")
    assert row["value"] < 100.0
    assert row["status"] == "alert"


def test_h41_wednesday_value_absent_on_wednesday(real_store: Store) -> None:
    """WALCL for Wednesday 2024-03-13 is published on Thursday the 14th."""
    wed = _row(compute(real_store, "2024-03-13", ids=["net_liquidity_tn"]), "net_liquidity_tn")
    thu = _row(compute(real_store, "2024-03-14", ids=["net_liquidity_tn"]), "net_liquidity_tn")
    assert wed["date"] == date(2024, 3, 6)
    assert thu["date"] == date(2024, 3, 13)
    walcl = next(i for i in thu["inputs"] if i["series_id"] == "WALCL")
    assert walcl["realtime_start"] == date(2024, 3, 14)


def test_series_ending_early_is_no_data_with_reason(real_store: Store) -> None:
    row = _row(compute(real_store, "2024-06-03", ids=["reserves_to_bank_assets_pct"]),
               "reserves_to_bank_assets_pct")
    assert row["status"] == "no_data"
    assert pd.isna(row["value"])
    assert "TLAACBW027SBOG" in row["reason"] and "2021-12-29" in row["reason"]
    early = _row(compute(real_store, "2019-09-18", ids=["reserves_to_bank_assets_pct"]),
                 "reserves_to_bank_assets_pct")
    assert early["value"] < 12.0 and early["status"] == "alert"


def test_history_matches_compute(real_store: Store) -> None:
    days = ["2019-09-17", "2019-09-18", "2020-03-16", "2024-03-13", "2025-10-31"]
    hist = history(real_store, start="2019-09-01", end="2025-11-03")
    assert set(hist["id"]) == set(REGISTRY)
    assert hist["date"].dt.day_of_week.max() <= 4
    for day in days:
        snap = compute(real_store, day).set_index("id")
        h = hist[hist["date"] == pd.Timestamp(day)].set_index("id")
        for ind in REGISTRY:
            assert h.loc[ind, "status"] == snap.loc[ind, "status"], (day, ind)
            a, b = h.loc[ind, "value"], snap.loc[ind, "value"]
            assert (pd.isna(a) and pd.isna(b)) or a == pytest.approx(b), (day, ind)


def test_combination_view(real_store: Store) -> None:
    comb = combination(compute(real_store, "2019-09-18"))
    assert list(comb["category"]) == [c for c in CATEGORIES if c in set(comb["category"])]
    funding = comb.set_index("category").loc["funding"]
    assert funding["status"] == "alert"
    assert "sofr_iorb_bp" in funding["flagged"]


def test_rules_do_not_apply_before_they_exist(real_store: Store) -> None:
    """17 Sep 2019: the SRF (2021-07-28) and the reserves band (2022) were not in force; the
    readings carry that as their reason, and SOFR − IORB its thresholds with their unit."""
    frame = compute(real_store, "2019-09-18").set_index("id")
    srf, band, spread = (frame.loc[i] for i in ("srf_usage_bn", "reserves_tn", "sofr_iorb_bp"))
    assert not srf["in_force"] and not band["in_force"] and spread["in_force"]
    assert srf["why_en"] == "not in force before 2021-07 (the rule starts 2021-07-28)"
    assert srf["why_ja"] == "2021年7月より前は適用外 (規則の開始 2021-07-28)"
    assert band["why_en"].startswith("not in force before 2022-01")
    assert spread["why_en"] == "watch ≥ 0 bp, alert ≥ +10 bp"
    assert spread["why_ja"] == "注意 ≥ 0bp、警戒 ≥ +10bp"
    # A day count is judged on its own signal, not in basis points.
    ceiling = frame.loc["sofr_ceiling_bp"]
    assert ceiling["why_en"] == ("business days with SOFR above the ceiling in the last 10 = "
                                 "2: watch ≥ 1, alert ≥ 3")  # a count of days, not bp
    later = compute(real_store, "2025-11-04", ids=["srf_usage_bn"]).set_index("id")
    assert later.loc["srf_usage_bn", "in_force"]
