"""Identity, projection, nowcast and validation on the real data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from liqwatch.scenarios import balance_sheet, check_identity, nowcast, project, validate_nowcast
from liqwatch.scenarios.announcements import (
    CashAssumption,
    DebtLimitEvent,
    LendingProgram,
    PolicyRow,
    packaged_announcements,
)
from liqwatch.scenarios.validation import (
    END_ERROR_GOAL_BN,
    MAE_GOAL_BN,
    TIMING_GOAL_WEEKS,
    VARIANTS,
    ValidationResult,
    validate,
)
from liqwatch.store import Store


@pytest.fixture(scope="module")
def store_m(real_db: Path) -> Iterator[Store]:
    """One read-only connection for the module's expensive fixtures."""
    with Store(real_db, read_only=True) as store:
        yield store


@pytest.fixture(scope="module")
def validation(store_m: Store) -> ValidationResult:
    return validate(store_m)


def test_identity_holds_to_the_dollar_on_history(real_store: Store, raw_dir: Path) -> None:
    bs = balance_sheet(real_store)
    assert len(bs) > 1000
    # Values are USD millions: a dollar is 1e-6.
    assert check_identity(bs).abs().max() < 1e-6
    raw = pd.read_csv(raw_dir / "WRESBAL.csv", parse_dates=["date"]).set_index("date")["value"]
    np.testing.assert_array_equal(bs["reserves"].to_numpy(), raw.reindex(bs.index).to_numpy())
    # The week of 2019-09-18 (DESIGN facts): 1,394,122 USD millions.
    assert bs.at[pd.Timestamp("2019-09-18"), "reserves"] == 1394122.0


def test_identity_fills_the_wtregen_gap_from_the_daily_tga(real_store: Store) -> None:
    bs = balance_sheet(real_store, start=date(2025, 11, 1))
    assert pd.Timestamp("2025-12-10") in bs.index
    assert bs.loc["2025-12-10", "tga"] > 0


@pytest.mark.parametrize("as_of", [None, date(2025, 10, 31), date(2019, 9, 18)])
def test_projection_starts_from_the_latest_published_week(real_store: Store,
                                                          as_of: date | None) -> None:
    """Week 0 is the latest WRESBAL week published on the as-of day, shown as the published
    actual; every later week is projected and none of them was published by then."""
    res = project(real_store, weeks=12, as_of=as_of)
    known = real_store.read(["WRESBAL"], as_of=as_of)
    latest = known["date"].max().date()
    assert res.start_week == latest
    published = float(known.loc[known["date"] == pd.Timestamp(latest), "value"].iloc[0]) / 1e3
    assert res.start_reserves_bn == pytest.approx(published)
    p = res.path
    assert p["status"].iloc[0] == "actual" and (p["status"].iloc[1:] == "projected").all()
    assert p["reserves_bn"].iloc[0] == pytest.approx(published)
    assert (p["date"].iloc[1:] > pd.Timestamp(latest)).all()
    later = real_store.read(["WRESBAL"], start=p["date"].iloc[1].date())
    if as_of is None:
        assert p["published_bn"].isna().all()
    else:  # what was published afterwards, for comparison only
        by_date = later.set_index("date")["value"] / 1e3
        np.testing.assert_allclose(p["published_bn"].iloc[1:],
                                   by_date.reindex(p["date"].iloc[1:]).to_numpy())


def test_later_announcements_change_nothing_in_a_past_projection(real_store: Store) -> None:
    as_of = date(2024, 6, 6)
    later = (
        PolicyRow("treasury_cap", date(2024, 7, 1), None, 0.0, None, date(2024, 6, 12),
                  "made up for a test", ""),
        CashAssumption(date(2024, 9, 30), 100.0, date(2024, 6, 7), "made up for a test"),
        DebtLimitEvent("test", date(2024, 7, 1), None, date(2024, 6, 20), "made up"),
        LendingProgram("TEST", "NONE", date(2024, 6, 7), date(2024, 12, 1), 90,
                       date(2024, 6, 7), "made up"),
    )
    ann = packaged_announcements()
    base = project(real_store, weeks=26, as_of=as_of)
    same = project(real_store, weeks=26, as_of=as_of, announcements=ann.plus(*later))
    pd.testing.assert_frame_equal(base.path, same.path)
    assert base.assumptions_text() == same.assumptions_text()
    # The same rows announced before the start do change it (the test can fail).
    earlier = [r.__class__(**{**r.__dict__, "announced": date(2024, 6, 1)}) for r in later[:2]]
    moved = project(real_store, weeks=26, as_of=as_of, announcements=ann.plus(*earlier))
    assert moved.path["tga_bn"].iloc[17] < base.path["tga_bn"].iloc[17] - 300
    runoff = moved.resolved.drivers.treasury_runoff, base.resolved.drivers.treasury_runoff
    assert runoff[0][-1] == 0.0 < runoff[1][-1]
    assert abs(moved.path["reserves_bn"].iloc[-1] - base.path["reserves_bn"].iloc[-1]) > 25


def test_treasury_cash_path_in_the_2025_rebuild(real_store: Store) -> None:
    """From the week of the refunding of 28 Jul 2025: the Treasury's 850bn for end-September
    (not a flat TGA), tax dates included; no debt-limit hold after the 4 Jul increase."""
    res = project(real_store, weeks=20, as_of=date(2025, 7, 31))
    cash = res.resolved.cash
    assert cash is not None and cash.hold is None
    assert [a.balance_bn for a in cash.anchors] == [850.0, 850.0]
    tga = res.path.set_index("date")["tga_bn"]
    assert tga.iloc[0] < 400 and tga.loc["2025-10-01"] == pytest.approx(850.0, abs=60.0)
    said = " ".join(res.assumptions_text())
    assert "28 Jul 2025" in said and "$850bn at 30 Sep 2025" in said


def test_debt_limit_holds_the_tga_in_2019(real_store: Store) -> None:
    res = project(real_store, weeks=30, as_of=date(2019, 1, 3))
    hold = res.resolved.cash.hold  # type: ignore[union-attr]
    assert hold is not None and hold.period.binding_from == date(2019, 3, 2)
    assert hold.held_until is None  # the Aug 2019 resolution was not known in January
    after = res.path.loc[res.path["date"] >= pd.Timestamp("2019-03-06")]
    assert after["tga_bn"].max() <= hold.level_bn + 120.0  # tax receipts in April only
    assert "no resolution announced by 3 Jan 2019" in " ".join(res.assumptions_text())


def test_runoff_as_it_runs(real_store: Store) -> None:
    # 2017-19 plan, coupons only: runoff is the share of the cap that actually ran off.
    r19 = project(real_store, weeks=8, as_of=date(2019, 1, 3))
    share = r19.resolved.runoff_share
    assert share is not None and 0.6 < share < 0.95
    assert r19.resolved.drivers.treasury_runoff[0] == pytest.approx(30.0 * share)
    # 2022 plan: bills fill the shortfall, runoff at the cap; MBS at its paydown pace.
    r24 = project(real_store, weeks=8, as_of=date(2024, 6, 6))
    d = r24.resolved.drivers
    assert d.treasury_runoff[0] == 25.0
    assert 10.0 < d.mbs_paydown < 25.0 < 35.0 == d.mbs_cap[0]
    # BTFP runs off to zero by 11 Mar 2025.
    (btfp,) = r24.resolved.programs
    assert btfp.ends == date(2025, 3, 11) and 50 < btfp.balance_bn < 200


def test_presets_follow_the_state_on_their_start_date(real_store: Store) -> None:
    day = date(2025, 11, 20)
    base = project(real_store, weeks=26, as_of=day)
    slow = project(real_store, "qt-slowdown", weeks=26, as_of=day)
    # The runoff in force (5bn a month) is halved; the announced end on 1 Dec 2025 applies.
    assert slow.resolved.drivers.treasury_runoff[0] == pytest.approx(2.5)
    assert slow.resolved.drivers.treasury_runoff[-1] == 0.0
    assert slow.path["reserves_bn"].iloc[-1] >= base.path["reserves_bn"].iloc[-1]
    assert slow.path["reserves_bn"].iloc[-1] - base.path["reserves_bn"].iloc[-1] < 30
    # tga-rebuild never moves the TGA down: in Nov 2025 it stood above the Treasury's 850bn.
    rebuild = project(real_store, "tga-rebuild", weeks=26, as_of=day)
    assert rebuild.path["tga_bn"].min() >= rebuild.start.tga - 1e-9
    july = project(real_store, "tga-rebuild", weeks=26, as_of=date(2025, 7, 31))
    assert july.path["tga_bn"].iloc[8] == pytest.approx(850.0)
    assert "850bn" in july.statements[0].text.en
    # 2019-replay: the 2019 runoff scaled by Treasury holdings now against then.
    replay = project(real_store, "2019-replay", weeks=52, as_of=date(2025, 1, 3))
    runoff = replay.resolved.drivers.treasury_runoff
    ratio = replay.start.treasuries / (2222.5)  # TREAST on 26 Dec 2018, USD bn
    assert runoff[0] == pytest.approx(30.0 * ratio, rel=0.01)
    assert runoff[20] == pytest.approx(15.0 * ratio, rel=0.01) and runoff[35] == 0.0
    assert "scaled" in replay.statements[0].text.en


def test_2019_replay_from_inside_2019_uses_only_published_weeks(real_store: Store) -> None:
    res = project(real_store, "2019-replay", weeks=52, as_of=date(2019, 9, 18))
    assert "to 11 Sep 2019" in res.statements[0].text.en
    assert not res.resolved.drivers.treasury_purchases.any()  # Oct 2019 not yet announced


def test_bank_assets_published_or_a_range(real_store: Store) -> None:
    fresh = project(real_store, weeks=20, as_of=date(2019, 1, 3))
    assert fresh.bank_assets.kind == "published" and not fresh.bank_assets.uncertain
    c12 = next(c for c in fresh.thresholds if c.label == "12% of bank assets")
    assert c12.earliest == c12.latest == c12.first_week
    stale = project(real_store, weeks=52, as_of=date(2025, 7, 31))
    assert stale.bank_assets.uncertain
    p = stale.path
    assert (p["reserves_to_bank_assets_low_pct"] < p["reserves_to_bank_assets_high_pct"]).all()
    for c in stale.thresholds:
        if c.kind == "ratio" and c.earliest and c.latest:
            assert c.earliest <= c.first_week <= c.latest
    assert "range" in stale.headline() or stale.last_known_ratio is not None
    d, pct = stale.last_known_ratio  # type: ignore[misc]
    assert d == date(2021, 12, 29) and 15 < pct < 20
    user = project(real_store, weeks=20, as_of=date(2025, 7, 31), bank_assets_bn=24000.0)
    assert user.bank_assets.kind == "user"
    assert user.path["reserves_to_bank_assets_pct"].iloc[0] == pytest.approx(
        user.start_reserves_bn / 24000.0 * 100.0)


def test_result_objects_carry_the_narrative(real_store: Store) -> None:
    res = project(real_store, weeks=26, as_of=date(2025, 7, 31), levels={"3.1T": 3100.0})
    assert {c.label for c in res.thresholds} == {"2.5T", "3.0T", "12% of bank assets",
                                                     "13% of bank assets", "3.1T"}
    c3 = next(c for c in res.thresholds if c.label == "3.0T")
    below = res.path.loc[res.path["reserves_bn"] < 3000.0, "date"]
    assert c3.first_week == below.iloc[0].date() == res.crossings["3.0T"]
    assert res.headline().startswith("From the week of 30 Jul 2025 (published reserves $3.35tn)")
    ja = res.headline("ja")
    assert "準備預金" in ja and "兆ドル" in ja and "$" not in ja
    for s in res.statements:
        assert s.text.en and s.text.ja and s.text.en != s.text.ja
    said_ja = " ".join(res.assumptions_text("ja"))
    assert "財務省一般口座" in said_ja and "翌日物リバースレポ" in said_ja
    data = json.loads(json.dumps(res.to_dict()))
    assert data["start"] == "2025-07-30" and data["path"][0]["status"] == "actual"
    assert {"en", "ja"} <= set(data["headline"]) and data["statements"][0]["ja"]
    assert data["thresholds"][1]["text"]["en"].startswith("3.0T")
    assert "<table" in res._repr_html_() and "Thresholds" in res._repr_html_()
    assert "前提" in res.summary("ja") and "assumptions" in res.summary()
    sens = res.sensitivity
    assert len(sens) == 25
    a1, a2 = sens.attrs["axes"]
    infl = sens.attrs["influence"]
    assert infl[a1] >= infl[a2] >= max(v for k, v in infl.items() if k not in (a1, a2))


def test_validation_meets_the_goals(validation: ValidationResult) -> None:
    t = validation.table
    assert set(t["window"].str[:4]) == {"2018", "2019", "2022", "2023", "2024", "2025"}
    ann = t[t["variant"] == VARIANTS[0]].set_index("window")
    act = t[t["variant"] == VARIANTS[1]].set_index("window")
    assert (ann["error_bn"].abs() <= END_ERROR_GOAL_BN).all(), ann["error_bn"]
    assert (ann["mean_abs_error_bn"] <= MAE_GOAL_BN).all(), ann["mean_abs_error_bn"]
    # With the TGA and ON RRP that happened, the path is never further off.
    assert (act["mean_abs_error_bn"] <= ann["mean_abs_error_bn"]).all()
    assert (act["error_bn"].abs() <= END_ERROR_GOAL_BN).all()
    goals = validation.goals()
    assert goals["end_error"] and goals["mean_abs_error"] and goals["actual_not_worse"]
    assert (t["error_bn"] == t["projected_bn"] - t["actual_bn"]).all()


def test_validation_crossings_are_timed(validation: ValidationResult) -> None:
    """Each window's levels, on four-week averages: crossed within three weeks of when they
    were, with two known exceptions, asserted as they stand:

    * 2018, 1.8T: four weeks early. Under the 2017 plan only maturing coupons ran off, and in
      late 2018 they fell short of the 30bn cap more often than in the 13 weeks before the
      start; timing it needs the SOMA maturity profile, which the data does not have.
    * 2024, 3.2T: the actual average dipped below it; the projection's lowest four-week
      average stays just above it (within 25bn).
    """
    ann = validation.table[validation.table["variant"] == VARIANTS[0]]
    scored = [(w, th) for w, ths in zip(ann["window"], ann["thresholds"], strict=True)
              for th in ths if th["actual"] is not None]
    assert len(scored) >= 9
    for w, th in scored:
        if w.startswith("2024") and th["label"] == "3.2T":
            assert th["status"] == "missed"
            p = validation.paths
            proj = p.loc[(p["window"] == w) & (p["variant"] == VARIANTS[0]), "projected_bn"]
            assert proj.rolling(4).mean().min() < 3200.0 + 25.0
            continue
        assert th["status"] == "both", (w, th)
        limit = 4 if (w.startswith("2018") and th["label"] == "1.8T") else TIMING_GOAL_WEEKS
        assert abs(th["error_weeks"]) <= limit, (w, th)


def test_validation_2019_ends_before_the_fed_responded(validation: ValidationResult) -> None:
    row = validation.table.iloc[2]
    assert row["window"].startswith("2019") and row["end"] == date(2019, 9, 11)
    said = validation.responses[row["window"]]
    assert "17 Sep 2019" in said.en and "repo" in said.en and "レポ" in said.ja
    assert "goals:" in validation.summary() and "<table" in validation._repr_html_()


def test_nowcast_beats_carrying_forward(real_store: Store) -> None:
    v = validate_nowcast(real_store).to_dict()
    assert v["n"] > 150
    assert v["median_abs_error_bn"] < 0.5 * v["naive_median_abs_error_bn"]
    assert v["p90_abs_error_bn"] < 0.5 * v["naive_p90_abs_error_bn"]


def test_nowcast_as_of_uses_published_data_only(real_store: Store) -> None:
    res = nowcast(real_store, as_of=date(2025, 10, 31))
    assert res.anchor_date == date(2025, 10, 29)
    assert list(res.daily["date"].dt.date) == [date(2025, 10, 30), date(2025, 10, 31)]
    # The DTS for Friday is published the next business day: Thursday's TGA is carried.
    assert res.daily["tga_date"].iloc[-1] == pd.Timestamp("2025-10-30")
    assert res.latest_date == date(2025, 10, 31)
    assert "29 Oct 2025" in res.headline() and "準備預金" in res.headline("ja")
    d = json.loads(json.dumps(res.to_dict()))
    assert d["headline"]["ja"] and d["anchor"]["date"] == "2025-10-29"
    assert "<table" in res._repr_html_() and "ナウキャスト" in res.summary("ja")
