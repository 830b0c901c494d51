"""Identity, projection, nowcast and validation on the real data."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from liqwatch.cli import app
from liqwatch.scenarios import balance_sheet, check_identity, nowcast, project, validate_nowcast
from liqwatch.scenarios.validation import validate
from liqwatch.store import Store


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


def test_projection_point_in_time_uses_only_announced_policy(real_store: Store) -> None:
    res = project(real_store, weeks=20, as_of=date(2019, 1, 3))
    assert res.start.date == date(2019, 1, 2)
    assert res.assumptions["treasury_cap"]["value"] == 30.0
    assert res.path["date"].iloc[-1] == pd.Timestamp("2019-05-22")
    later = project(real_store, weeks=20, as_of=date(2019, 8, 2))
    assert later.assumptions["treasury_cap"]["value"] == 0.0


def test_projection_shape_crossings_and_sensitivity(real_store: Store) -> None:
    res = project(real_store, "tga-rebuild", weeks=26, as_of=date(2025, 7, 3),
                  levels={"3.1T": 3100.0})
    cols = {"week", "date", "reserves_bn", "tga_bn", "on_rrp_bn", "soma_bn",
            "reserves_to_bank_assets_pct"}
    assert cols <= set(res.path.columns)
    assert len(res.path) == 27
    assert res.path["tga_bn"].iloc[8] == pytest.approx(850.0)
    assert set(res.crossings) == {"2.5T", "3.0T", "12% of bank assets", "13% of bank assets",
                                  "3.1T"}
    below = res.path.loc[res.path["reserves_bn"] < 3000.0, "date"]
    first = below.iloc[0].date() if len(below) else None
    assert res.crossings["3.0T"] == first
    sens = res.sensitivity
    assert len(sens) == 25
    a1, a2 = sens.attrs["axes"]
    assert sens[a1].nunique() == 5 and sens[a2].nunique() == 5
    infl = sens.attrs["influence"]
    assert infl[a1] >= infl[a2] >= max(v for k, v in infl.items() if k not in (a1, a2))
    assert "ASSUMED" in " ".join(res.notes)  # bank assets carried past 2021-12
    assert "Reserve projection" in res.summary() and "<table" in res._repr_html_()


def test_more_runoff_lowers_reserves_on_real_start(real_store: Store) -> None:
    ends = [project(real_store, weeks=26, as_of=date(2023, 6, 1), treasury_cap=c)
            .path["reserves_bn"].iloc[-1] for c in (0.0, 30.0, 60.0, 90.0)]
    assert ends == sorted(ends, reverse=True) and ends[0] - ends[-1] > 400


def test_presets_run(real_store: Store) -> None:
    base = project(real_store, weeks=26, as_of=date(2025, 6, 5))
    end = {"current-policy": base.path["reserves_bn"].iloc[-1]}
    for name in ("qt-slowdown", "qt-end-bill-purchases", "2019-replay"):
        end[name] = project(real_store, name, weeks=26, as_of=date(2025, 6, 5)).path[
            "reserves_bn"].iloc[-1]
    assert end["qt-end-bill-purchases"] > end["current-policy"]


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


def test_validation_runs_on_real_data(real_store: Store) -> None:
    v = validate(real_store)
    t = v.table
    assert {"2019 runoff to repo stress", "2025 TGA rebuild to QT end"} <= set(t["window"])
    first = t.iloc[0]
    assert first["start"] == date(2019, 1, 2) and first["end"] == date(2019, 9, 25)
    assert first["actual_bn"] == pytest.approx(1399.999, abs=500)  # published WRESBAL
    assert np.isfinite(t["error_bn"]).all()
    assert (t["error_bn"] == t["projected_bn"] - t["actual_bn"]).all()


def test_cli_json_shapes(real_db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"LIQWATCH_DB": str(real_db)}
    r = runner.invoke(app, ["scenario", "--weeks", "8", "--as-of", "2025-07-03",
                            "--format", "json", "--plot", str(tmp_path / "p.png")], env=env)
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert {"path", "crossings", "assumptions", "sensitivity"} <= set(data)
    assert {"week", "date", "reserves_bn", "reserves_to_bank_assets_pct"} <= set(data["path"][0])
    assert (tmp_path / "p.png").stat().st_size > 10_000
    r = runner.invoke(app, ["scenario", "validate", "--format", "json"], env=env)
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert {"start", "end", "projected_bn", "actual_bn", "error_bn"} <= set(rows[0])
    r = runner.invoke(app, ["nowcast", "--validate", "--format", "json"], env=env)
    assert r.exit_code == 0, r.output
    assert {"median_abs_error_bn", "p90_abs_error_bn", "naive_median_abs_error_bn", "n"} <= set(
        json.loads(r.stdout))
    r = runner.invoke(app, ["scenario", "--preset", "nope"], env=env)
    assert r.exit_code != 0


def test_2019_replay_replays_the_2019_policy_months(real_store: Store) -> None:
    res = project(real_store, "2019-replay", weeks=52, as_of=date(2025, 1, 3))
    caps = res.resolved.drivers.treasury_cap
    # Jan-Apr 2019: 30bn; May-Jul: 15bn; from August 2019: 0 (runoff ended early).
    assert caps[0] == 30.0 and caps[20] == 15.0 and caps[35] == 0.0
    assert res.resolved.drivers.treasury_purchases[45] == 60.0  # bill purchases from Oct


def test_tga_seasonality_adds_no_trend(real_store: Store) -> None:
    flat = project(real_store, weeks=52, as_of=date(2025, 1, 3))
    seas = project(real_store, weeks=52, as_of=date(2025, 1, 3), tga_seasonality=True)
    diff = (seas.path["tga_bn"] - flat.path["tga_bn"]).to_numpy()
    assert abs(diff[-1]) < 25.0
    dates = seas.path["date"]
    at = {d: diff[(dates == d).to_numpy()][0] for d in ("2025-04-09", "2025-04-30")}
    april = at["2025-04-30"] - at["2025-04-09"]
    assert april > 50.0  # individual tax receipts in the second half of April
