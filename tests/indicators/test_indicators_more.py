"""More facts on the real data: CIP basis, fallbacks to variant series, CLI output."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from liqwatch.cli import app
from liqwatch.indicators import compute, history
from liqwatch.indicators.defs_markets import failed_rebounds
from liqwatch.indicators.transforms import at, known_by, zscore
from liqwatch.store import Store


def _one(store: Store, day: str, ind: str) -> pd.Series:
    return compute(store, day, ids=[ind]).iloc[0]


def test_cip_basis_calm_2019_and_march_2020(real_store: Store) -> None:
    calm = _one(real_store, "2019-06-17", "xccy_basis_eur_bp")
    assert calm["date"] == date(2019, 6, 14)
    assert -30 < calm["value"] < -10
    assert calm["status"] == "normal"
    assert calm["details"]["source"] == "cip"
    march = _one(real_store, "2020-03-17", "xccy_basis_eur_bp")
    assert march["value"] == pytest.approx(-86, abs=3)
    assert march["status"] == "alert"
    jpy = _one(real_store, "2020-03-17", "xccy_basis_jpy_bp")
    assert jpy["value"] < -100 and jpy["status"] == "alert"
    # The JPY rate input ends in 2022-12: the yen basis stops, with a reason.
    later = _one(real_store, "2023-06-01", "xccy_basis_jpy_bp")
    assert later["status"] == "no_data" and "BBG_JPY_RATE_3M" in later["reason"]


def test_fallbacks_to_variant_series(real_store: Store) -> None:
    swaps = _one(real_store, "2020-05-01", "swap_lines_bn")
    assert swaps["details"]["basis"] == "week_average"  # WCBLSA stands in for SWPT
    assert swaps["value"] > 300 and swaps["status"] == "alert"
    # judged on new drawing: swaps left outstanding after the crisis are not an alert
    legacy = _one(real_store, "2020-07-01", "swap_lines_bn")
    assert legacy["value"] > 200 and legacy["details"]["chg_4w_bn"] < 0
    assert legacy["status"] == "normal"
    srf_2019 = _one(real_store, "2019-12-31", "srf_usage_bn")
    assert srf_2019["details"]["basis"] == "week_average"
    assert srf_2019["details"]["standing_facility"] is False
    srf_2023 = _one(real_store, "2023-06-01", "srf_usage_bn")
    assert srf_2023["details"]["basis"] == "daily"
    assert {i["series_id"] for i in srf_2023["inputs"]} == {"RPONTTLD_NYFED"}
    oil = _one(real_store, "2024-06-03", "wti_front_chg_3m_pct")
    assert oil["details"]["source"] == "CL_F_YAHOO"
    spread = _one(real_store, "2024-06-03", "wti_m1_m4_usd")
    assert spread["status"] == "no_data" and "RCLC4" in spread["reason"]
    pre = _one(real_store, "2021-07-01", "sofr_iorb_bp")
    post = _one(real_store, "2021-08-02", "sofr_iorb_bp")
    assert {i["series_id"] for i in pre["inputs"]} == {"SOFR", "IOER"}
    assert {i["series_id"] for i in post["inputs"]} == {"SOFR", "IORB"}


def test_net_liquidity_uses_wednesday_levels(real_store: Store) -> None:
    early = _one(real_store, "2019-09-19", "net_liquidity_tn")
    assert early["details"]["tga_basis"] == "week_average"
    late = _one(real_store, "2024-03-14", "net_liquidity_tn")
    assert late["details"]["tga_basis"] == "close"
    d = late["details"]
    assert late["value"] == pytest.approx((d["walcl_bn"] - d["tga_bn"] - d["on_rrp_bn"]) / 1e3)
    used = {i["series_id"]: i for i in late["inputs"]}
    assert used["TGA_DTS"]["date"] == date(2024, 3, 13)
    assert used["RRPONTSYD"]["date"] == date(2024, 3, 13)


def test_history_covers_every_business_day_since_2003(real_store: Store) -> None:
    hist = history(real_store, ["reserves_tn", "sofr_iorb_bp"], end="2025-12-31")
    days = hist["date"].drop_duplicates()
    assert days.iloc[0] == pd.Timestamp("2003-01-02")
    assert len(days) > 5700
    res = hist[hist["id"] == "reserves_tn"].set_index("date")
    assert res.loc["2003-06-02", "status"] == "normal"  # before the ample-reserves regime
    assert res.loc["2019-09-18", "value"] == pytest.approx(1.4568, abs=1e-3)
    sofr = hist[hist["id"] == "sofr_iorb_bp"].set_index("date")
    assert sofr.loc["2010-01-04", "status"] == "no_data"  # SOFR starts in 2018-04


def test_synthetic_transforms() -> None:
    """Synthetic series (not real data) for the building blocks."""
    idx = pd.bdate_range("2024-01-01", periods=8)
    close = pd.Series([100, 106, 99, 100, 107, 104, 101, 100.0], index=idx)
    # +6% on day 1 erased on day 2 (99 <= 100); +7% on day 4 erased on day 6 (101 > 100? no)
    events = failed_rebounds(close, window=3)
    assert events.iloc[2] == 1 and events.iloc[-1] == 0
    s = pd.Series([1.0, 2.0, 3.0], index=pd.to_datetime(["2024-01-01", "2024-01-10",
                                                        "2024-02-01"]))
    looked = at(s, pd.to_datetime(["2023-12-31", "2024-01-05", "2024-01-25"]), max_age_days=10)
    assert looked.isna().iloc[0] and looked.iloc[1] == 1.0 and looked.isna().iloc[2]
    pub = pd.Series(pd.to_datetime(["2024-01-20", "2024-02-15", "2024-03-01"]), index=s.index)
    kb = known_by(s, pub, pd.to_datetime(["2024-01-19", "2024-01-20", "2024-02-20"]))
    assert kb.isna().iloc[0] and kb.iloc[1] == 1.0 and kb.iloc[2] == 2.0
    x = pd.Series(range(100), index=pd.date_range("2020-01-01", periods=100), dtype=float)
    z1 = zscore(x, None, 10)
    x2 = x.copy()
    x2.iloc[-1] = 1e6  # changing the future leaves the past unchanged
    assert zscore(x2, None, 10).iloc[:-1].equals(z1.iloc[:-1])


def test_cli_indicators_json_and_history(real_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIQWATCH_DB", str(real_db))
    runner = CliRunner()
    res = runner.invoke(app, ["indicators", "--as-of", "2019-09-18", "--category", "funding",
                              "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    first = rows[0]
    for key in ("id", "category", "value", "unit", "status", "date", "thresholds", "inputs",
                "explanation"):
        assert key in first
    assert set(first["explanation"]) == {"en", "ja"}
    assert {r["category"] for r in rows} == {"funding"}
    assert set(first["inputs"][0]) == {"series_id", "date", "value", "realtime_start"}
    res = runner.invoke(app, ["indicators", "--as-of", "2019-09-18"])
    assert res.exit_code == 0 and "Combination view" in res.stdout
    res = runner.invoke(app, ["indicators", "history", "sofr_iorb_bp", "--start", "2019-09-16",
                              "--end", "2019-09-18"])
    assert res.exit_code == 0
    lines = res.stdout.strip().splitlines()
    assert lines[0] == "date,id,category,value,status,score,obs_date,judged"
    assert lines[-1].startswith("2019-09-18,sofr_iorb_bp,funding,315,alert")
    res = runner.invoke(app, ["indicators", "history", "nope"])
    assert res.exit_code != 0


def test_cli_history_chart(real_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIQWATCH_DB", str(real_db))
    out = tmp_path / "chart.html"
    res = CliRunner().invoke(app, ["indicators", "history", "sofr_iorb_bp", "reserves_tn",
                                   "--start", "2019-06-01", "--end", "2019-12-31",
                                   "--chart", str(out)])
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert "Plotly.newPlot" in html and "SOFR \\u2212 IORB" in html
    res = CliRunner().invoke(app, ["indicators", "history", "--start", "2019-06-03",
                                   "--end", "2019-06-04", "--chart", str(out)])
    assert res.exit_code == 1  # 32 panels is too many: a clear error, not an unreadable chart


def test_net_liquidity_on_a_holiday_wednesday(real_store: Store) -> None:
    """Juneteenth 2024 was a Wednesday: no ON RRP operation that day, Tuesday's still out."""
    row = _one(real_store, "2024-06-21", "net_liquidity_tn")
    assert row["date"] == date(2024, 6, 19)
    assert row["details"]["on_rrp_bn"] == pytest.approx(375.542)
    assert row["details"]["tga_bn"] == pytest.approx(782.158)
