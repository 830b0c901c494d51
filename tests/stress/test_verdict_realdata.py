"""The overall status on the real data: regime, funding stress, goals of the early warning."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from liqwatch.store import Store
from liqwatch.stress import analogs, overall_status
from liqwatch.stress.event_study import BacktestResult
from liqwatch.stress.verdict import status_from_history

CliRun = Callable[..., tuple[int, str, str]]
TIGHT = ("tight", "scarce")


def _row(frame: pd.DataFrame, day: str) -> pd.Series:
    return frame.loc[: pd.Timestamp(day)].iloc[-1]


def test_regime_abundant_in_2013_tight_or_scarce_in_mid_2019(real_verdict: pd.DataFrame
                                                              ) -> None:
    year = real_verdict.loc["2013-01-02":"2013-12-31", "regime"]
    assert (year == "abundant").all()
    for day in ("2019-05-15", "2019-06-14", "2019-07-15", "2019-08-15"):
        assert _row(real_verdict, day)["regime"] in TIGHT, day


def test_calm_2026_day_with_on_rrp_near_zero_is_not_alert(real_verdict: pd.DataFrame) -> None:
    """SOFR 6 bp under IORB, ON RRP at $0.2bn: a tight regime is a watch, not an alert."""
    row = _row(real_verdict, "2026-04-08")
    assert row["on_rrp_exhausted"] == 1 and row["on_rrp_exhausted__value"] < 1
    assert row["status"] == "watch" and row["set_by"] == "regime"
    # an exhausted buffer never sets an alert: every alert day has another cause
    alerts = real_verdict[real_verdict["status"] == "alert"]
    assert set(alerts["set_by"]) <= {"event", "discount_window", "composite"}
    regime_only = real_verdict[(real_verdict["stage"] == "regime")
                               & (real_verdict["composite_status"] != "alert")]
    assert not (regime_only["status"] == "alert").any()


def test_sep_2025_tax_date_tightens_the_regime_the_day_sofr_is_published(
        real_verdict: pd.DataFrame) -> None:
    """SOFR for 15 Sep 2025 (1 bp above the SRF rate) is published on the 16th: the regime
    turns tight that day, not before; ON RRP is known the same day."""
    assert _row(real_verdict, "2025-09-15")["regime"] == "ample"
    row = _row(real_verdict, "2025-09-16")
    assert row["regime"] == "tight" and row["since"] == pd.Timestamp("2025-09-16")
    assert row["sofr_at_ceiling"] == 1 and row["on_rrp_exhausted"] == 1
    s = status_from_history(real_verdict, date(2025, 9, 16))
    assert s.reason_en.startswith("Tight regime since 16 Sep 2025 (3 of 5 flags)")
    assert s.reason_ja.startswith("2025年9月16日以降「逼迫」局面 (5 項目中 3 項目)")
    assert s.status == "watch" and s.set_by == "event"  # the event that tightened it


def test_31_oct_2025_alert_names_its_confirming_event(stress_store: Store) -> None:
    s = overall_status(stress_store, date(2025, 10, 31))
    assert (s.status, s.regime, s.set_by, s.stage) == ("alert", "scarce", "event", "confirmed")
    assert s.event is not None and s.event["kind"] == "srf"
    assert s.event["value"] == pytest.approx(50.35)
    assert "Standing Repo Facility take-up $50.4bn on 31 Oct 2025" in s.reason_en
    flags = {f["id"]: f for f in s.flags}
    assert all(f["threshold"] and f["source"] for f in s.flags)
    res = flags["reserves_below_estimate"]
    assert res["set"] and "of GDP" in str(res["threshold"])  # bank assets end in 2021
    assert flags["on_rrp_exhausted"]["value_text"] == "$51.8bn"


def test_plumbing_squeezes_are_warned_ten_days_ahead_held_out(
        real_backtest: BacktestResult) -> None:
    """Every SOFR-era squeeze — listed or found in the data — gets its first alert at least
    10 business days before the peak with parameters chosen without it, in a tight or
    scarce regime."""
    held = real_backtest.held_out.set_index("episode")
    found = set(held.index[held["found"].astype(bool)])
    assert {"Jan 2019 (found)", "Apr 2019 (found)"} <= found
    sofr_era = held[pd.to_datetime(held["peak"]) >= pd.Timestamp("2018-04-03")]
    assert {"Sep 2019", "Oct 2025"} <= set(sofr_era.index)
    for name, row in sofr_era.iterrows():
        assert row["lead_warning"] >= 10, name
        assert row["regime_first_alert"] in TIGHT and row["regime_peak"] in TIGHT, name
    # August 2007: no gauge left its range before BNP Paribas; caught two days before the peak
    aug07 = held.loc["Aug 2007"]
    assert aug07["detected"] and 0 <= aug07["lead_warning"] < 10
    assert "leave-one-episode-out" in real_backtest.selection


def test_broad_crises_keep_their_detection(real_backtest: BacktestResult) -> None:
    ep = real_backtest.episodes
    overall = ep[ep["method"] == "overall"].set_index("episode")
    for name, lead in (("Oct 2008", 19), ("Aug 2011", 38), ("Mar 2020", 4)):
        assert overall.loc[name, "lead_days"] >= lead, name


def test_few_alert_onsets_and_alert_days_on_quiet_days(real_backtest: BacktestResult) -> None:
    fa = real_backtest.false_alarms
    test = fa[(fa["period"] == "test") & (fa["definition"] == "warning")].set_index("method")
    assert test.loc["overall", "false_alarms_per_year"] <= 1.5
    assert test.loc["overall", "alert_share"] <= 0.03
    for published in ("STLFSI4", "OFR_FSI"):
        assert test.loc[published, "false_alarms_per_year"] > test.loc[
            "overall", "false_alarms_per_year"]
    strict = fa[(fa["period"] == "test") & (fa["definition"] == "strict")]
    assert set(strict["method"]) == set(test.index)  # both definitions for every series


def test_top_analog_of_31_oct_2025_is_a_funding_episode(stress_store: Store) -> None:
    res = analogs(stress_store, date(2025, 10, 31), include_current=False)
    assert res.kind == "plumbing"
    top = res.table.iloc[0]
    assert top["type"] == "plumbing" and top["similarity"] > 0.3
    assert any(s.startswith(("sofr_", "effr_", "flag:")) for s in top["decided_by"])


def test_composite_is_not_set_by_oil(real_verdict: pd.DataFrame) -> None:
    """On 31 Oct and 14 Nov 2025 the cross-market composite is not at alert (oil is not in
    it); the overall status is, for funding reasons."""
    for day in ("2025-10-31", "2025-11-14"):
        row = _row(real_verdict, day)
        assert row["composite_status"] != "alert", day
    assert _row(real_verdict, "2025-10-31")["status"] == "alert"


def test_one_day_status_is_the_history_row_and_the_cli_json(
        stress_store: Store, real_verdict: pd.DataFrame, real_db: Path, cli: CliRun) -> None:
    """Every surface reads the same object: the library's one-day call, its history and
    `liqwatch stress status --format json` agree for the same day."""
    for day in (date(2019, 9, 17), date(2025, 10, 31), date(2026, 4, 8)):
        one = overall_status(stress_store, day)
        row = real_verdict.loc[pd.Timestamp(day)]
        assert (one.date, str(one.status), one.regime) == (day, row["status"], row["regime"])
        code, out, err = cli("--db", str(real_db), "stress", "status", "--as-of",
                             day.isoformat(), "--format", "json")
        assert code == 0, err
        assert json.loads(out) == json.loads(json.dumps(one.to_dict()))
    code, out, _ = cli("--db", str(real_db), "stress", "--as-of", "2025-10-31",
                       "--format", "json")
    assert json.loads(out)["overall"]["reason"] == overall_status(
        stress_store, date(2025, 10, 31)).reason_en


def test_status_history_cli_and_table(real_db: Path, cli: CliRun) -> None:
    code, out, _ = cli("--db", str(real_db), "stress", "status", "--start", "2025-10-27",
                       "--end", "2025-10-31", "--format", "csv")
    lines = out.strip().splitlines()
    assert code == 0 and lines[0].startswith("date,status,set_by,stage,regime,since")
    assert [ln.split(",")[0] for ln in lines[1:]] == [
        "2025-10-27", "2025-10-28", "2025-10-29", "2025-10-30", "2025-10-31"]
    code, out, _ = cli("--db", str(real_db), "stress", "status", "--as-of", "2025-10-31",
                       "--lang", "ja")
    assert code == 0 and "総合判定: 警戒" in out and "「不足」局面" in out
    code, _, err = cli("--db", str(real_db), "stress", "status", "--format", "csv")
    assert code == 1 and "--format csv" in err
