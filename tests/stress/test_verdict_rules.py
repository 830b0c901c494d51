"""Regime and verdict rules on synthetic indicator histories (named synthetic: made-up values
on a real business-day grid, to pin each rule down; the real data are tested elsewhere)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import pytest

from liqwatch.calendar import business_days
from liqwatch.stress.regime import RELAX_DAYS, IndicatorView, regime_history
from liqwatch.stress.verdict import VerdictParams, status_from_history, verdict_from_history

DAYS = business_days("2023-01-02", "2023-12-29")
CALM = {
    "sofr_iorb_bp": -8.0, "effr_iorb_bp": -7.0, "sofr_ceiling_bp": -18.0,
    "reserves_to_bank_assets_pct": 16.0, "reserves_to_gdp_pct": 13.0, "on_rrp_bn": 2000.0,
    "srf_usage_bn": 0.0, "sofr_dispersion_bp": 15.0, "term_funding_bp": 20.0,
    "discount_window_bn": 0.0,
}
P = VerdictParams(sofr_iorb_bp=15.0, ceiling_bp=3.0, hold_days=3)


def synthetic_history(overrides: Mapping[str, Mapping[str, float]] | None = None,
                      statuses: Mapping[str, Mapping[str, str]] | None = None) -> pd.DataFrame:
    """An indicator history: each as-of day knows the previous day's print (one-day lag),
    values from ``CALM`` unless ``overrides[id][print day]`` says otherwise."""
    rows = []
    for ind, base in CALM.items():
        values = pd.Series(base, index=DAYS)
        for day, v in (overrides or {}).get(ind, {}).items():
            values.loc[pd.Timestamp(day):] = v if ind in ("on_rrp_bn",
                                                         "reserves_to_bank_assets_pct") \
                else values.loc[pd.Timestamp(day):]
            values.loc[pd.Timestamp(day)] = v
        status = pd.Series("normal", index=DAYS, dtype=object)
        for day, st in (statuses or {}).get(ind, {}).items():
            status.loc[pd.Timestamp(day)] = st
        for i, day in enumerate(DAYS[1:], start=1):
            prev = DAYS[i - 1]
            rows.append({"date": day, "id": ind, "value": values.loc[prev],
                         "status": status.loc[prev], "obs_date": prev})
    return pd.DataFrame(rows)


def _regime(hist: pd.DataFrame) -> pd.DataFrame:
    return regime_history(IndicatorView(hist))


def test_calm_inputs_are_an_abundant_regime_and_a_normal_status() -> None:
    hist = synthetic_history()
    reg = _regime(hist)
    assert (reg["regime"].iloc[25:] == "abundant").all()
    v = verdict_from_history(hist, None, P)
    assert (v["status"].iloc[25:] == "normal").all()


def test_an_exhausted_buffer_alone_moves_the_regime_to_ample_at_most() -> None:
    """ON RRP drained from $2tn to $50bn, reserves below 13% of bank assets: two quantity
    flags, no corridor evidence — ample, and never an alert."""
    hist = synthetic_history({"on_rrp_bn": {"2023-06-01": 50.0},
                              "reserves_to_bank_assets_pct": {"2023-06-01": 11.0}})
    reg = _regime(hist)
    after = reg.loc["2023-06-05":]
    assert (after["on_rrp_exhausted"] == 1).all()
    assert (after["regime"] == "ample").all()
    v = verdict_from_history(hist, None, P)
    assert not (v["status"] == "alert").any()


def test_corridor_and_quantity_evidence_make_a_tight_regime_that_relaxes_slowly() -> None:
    """SOFR at the ceiling once (a price flag for 10 prints) with reserves below the estimate:
    tight from the day the print is known; back to abundant (one quantity flag) only
    RELAX_DAYS days after the price flag lapsed."""
    hist = synthetic_history({"sofr_ceiling_bp": {"2023-05-01": 0.0},
                              "reserves_to_bank_assets_pct": {"2023-01-03": 12.5}})
    reg = _regime(hist)
    assert reg.loc["2023-05-01", "regime"] == "abundant"  # the print is published on 2 May
    assert reg.loc["2023-05-02", "regime"] == "tight"
    assert reg.loc["2023-05-02", "since"] == pd.Timestamp("2023-05-02")
    lapse = reg.index[reg["sofr_at_ceiling"].eq(0) & (reg.index > "2023-05-02")][0]
    pos = reg.index.get_loc(lapse)
    # down on the RELAX_DAYS-th consecutive business day of the lower reading
    assert reg["regime"].iloc[pos + RELAX_DAYS - 2] == "tight"
    assert reg["regime"].iloc[pos + RELAX_DAYS - 1] == "abundant"


def test_effr_at_iorb_with_quantity_evidence_is_scarce() -> None:
    hist = synthetic_history({"effr_iorb_bp": dict.fromkeys(DAYS[100:140], 1.0),
                              "reserves_to_bank_assets_pct": {"2023-01-03": 10.0}})
    reg = _regime(hist)
    assert (reg["regime"].iloc[121:141] == "scarce").all()
    assert reg["regime"].iloc[90] == "abundant"


def test_before_interest_on_reserves_the_regime_is_scarce_by_design() -> None:
    days = business_days("2007-01-02", "2007-03-30")
    hist = pd.DataFrame([{"date": d, "id": "term_funding_bp", "value": 40.0,
                          "status": "normal", "obs_date": d} for d in days])
    v = verdict_from_history(hist, None, P)
    assert (v["regime"] == "scarce").all() and (v["n_available"] == 0).all()
    assert (v["status"] == "watch").all()
    s = status_from_history(v, None, P)
    assert "no interest on reserves before 9 Oct 2008" in s.reason_en


def test_an_event_confirms_only_a_regime_already_tight() -> None:
    """The first ceiling print tightens the regime (watch, signal); a SOFR print 20 bp above
    IORB a week later confirms it (alert for hold_days business days)."""
    tight_from = "2023-05-01"
    hist = synthetic_history({
        "sofr_ceiling_bp": {tight_from: 5.0},
        "sofr_iorb_bp": {"2023-05-08": 20.0},
        "reserves_to_bank_assets_pct": {"2023-01-03": 12.5},
    })
    v = verdict_from_history(hist, None, P)
    first = v.loc["2023-05-02"]
    assert (first["status"], first["set_by"], first["regime"]) == ("watch", "event", "tight")
    assert first["stage"] == "regime"
    confirmed = v.loc["2023-05-09":"2023-05-11"]
    assert (confirmed["status"] == "alert").all() and (confirmed["stage"] == "confirmed").all()
    assert (confirmed["event_kind"] == "sofr_iorb").all()
    assert (confirmed["event_obs_date"] == pd.Timestamp("2023-05-08")).all()
    assert v.loc["2023-05-12", "status"] == "watch"  # held 3 business days
    s = status_from_history(v, pd.Timestamp("2023-05-09").date(), P)
    assert "alert: SOFR 20 bp above IORB on 8 May 2023" in s.reason_en


def test_the_same_event_in_an_abundant_regime_is_a_watch() -> None:
    hist = synthetic_history({"sofr_iorb_bp": {"2023-05-08": 20.0}})
    v = verdict_from_history(hist, None, P)
    row = v.loc["2023-05-09"]
    assert (row["status"], row["set_by"], row["regime"]) == ("watch", "event", "abundant")
    s = status_from_history(v, pd.Timestamp("2023-05-09").date(), P)
    assert "outside a tight regime" in s.reason_en


def test_a_run_on_the_discount_window_alerts_in_any_regime() -> None:
    hist = synthetic_history(statuses={"discount_window_bn": {"2023-03-15": "alert"}})
    v = verdict_from_history(hist, None, P)
    row = v.loc["2023-03-16"]
    assert (row["status"], row["set_by"], row["regime"]) == ("alert", "discount_window",
                                                              "abundant")


def test_a_broad_crisis_in_the_composite_alerts_and_is_named() -> None:
    hist = synthetic_history()
    comp = pd.DataFrame({"date": DAYS, "value": 0.3, "status": "normal", "trigger": None,
                         "segment": None, "markets": ""})
    comp.loc[comp["date"] == pd.Timestamp("2023-08-01"),
             ["status", "trigger", "markets", "value"]] = ["alert", "breadth",
                                                           "risk_appetite,offshore", 0.7]
    v = verdict_from_history(hist, comp, P)
    assert v.loc["2023-08-01", "status"] == "alert"
    assert v.loc["2023-08-01", "set_by"] == "composite"
    s = status_from_history(v, pd.Timestamp("2023-08-01").date(), P)
    assert "broad market stress" in s.reason_en
    assert "risk appetite and offshore dollar gauges at their alert levels" in s.reason_en
    assert "リスク選好・オフショア・ドルの指標が警戒水準" in s.reason_ja


@pytest.mark.parametrize("hold", [1, 3, 10])
def test_alerts_hold_for_the_chosen_number_of_days(hold: int) -> None:
    hist = synthetic_history({"sofr_ceiling_bp": {"2023-05-01": 5.0, "2023-05-03": 5.0},
                              "reserves_to_bank_assets_pct": {"2023-01-03": 12.5}})
    p = VerdictParams(sofr_iorb_bp=15.0, ceiling_bp=3.0, hold_days=hold)
    v = verdict_from_history(hist, None, p)
    alert = v.loc["2023-05-04":, "status"] == "alert"
    run = int(np.argmin(alert.to_numpy())) if not alert.all() else len(alert)
    assert run == hold
