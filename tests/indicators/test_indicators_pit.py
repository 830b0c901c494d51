"""Point-in-time behaviour: revisions, empty stores, overrides (synthetic data, named so)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from liqwatch.exceptions import ConfigError
from liqwatch.indicators import combination, compute, history
from liqwatch.store import Store


def _synthetic_sofr(store: Store) -> None:
    """Synthetic SOFR (to 01-30) and IORB for January 2024 (not real data)."""
    days = pd.bdate_range("2024-01-02", "2024-01-30")
    store.write(pd.DataFrame({"series_id": "SOFR", "date": days, "value": 5.30}))
    cal = pd.date_range("2024-01-01", "2024-01-31")
    store.write(pd.DataFrame({"series_id": "IORB", "date": cal, "value": 5.40}))


def _synthetic_floor(store: Store) -> None:
    """Synthetic ON RRP award rate 5.25 (not real data)."""
    cal = pd.date_range("2024-01-01", "2024-01-31")
    store.write(pd.DataFrame({"series_id": "RRPONTSYAWARD", "date": cal, "value": 5.25}))


def test_revised_input_is_honoured(store: Store) -> None:
    _synthetic_sofr(store)
    # 2024-01-10's SOFR (first published 01-11) is revised on 01-22 from 5.30 to 5.55.
    store.write(pd.DataFrame({"series_id": ["SOFR"], "date": [pd.Timestamp("2024-01-10")],
                              "value": [5.55]}), vintage_date=date(2024, 1, 22))
    before = compute(store, "2024-01-11", ids=["sofr_iorb_bp"]).iloc[0]
    assert before["date"] == date(2024, 1, 10)
    assert before["value"] == pytest.approx(-10.0)
    assert before["status"] == "normal"
    sofr = next(i for i in before["inputs"] if i["series_id"] == "SOFR")
    assert sofr["value"] == pytest.approx(5.30)
    # The 10-day average of SOFR − ON RRP as of 01-23 covers 01-09..01-22 and includes
    # 01-10: revised (+25 bp on that day, +2.5 bp on the average) only from the revision.
    _synthetic_floor(store)
    hist_floor = history(store, ["sofr_floor_bp"], start="2024-01-19", end="2024-01-23")
    floor = hist_floor.set_index("date")["value"]
    assert floor[pd.Timestamp("2024-01-19")] == pytest.approx(5.0)
    assert floor[pd.Timestamp("2024-01-22")] == pytest.approx(7.5)
    after = compute(store, "2024-01-22", ids=["sofr_floor_bp", "sofr_iorb_bp"])
    assert after.set_index("id").loc["sofr_floor_bp", "value"] == pytest.approx(7.5)
    hist = history(store, ["sofr_iorb_bp"], start="2024-01-11", end="2024-01-23")
    on_11 = hist[hist["date"] == pd.Timestamp("2024-01-11")].iloc[0]
    assert on_11["value"] == pytest.approx(-10.0)
    assert after.set_index("id").loc["sofr_iorb_bp", "value"] == pytest.approx(-10.0)
    # As of a day after the revision, the revised value is the one in force for 01-10.
    rows = store.read(["SOFR"], as_of="2024-01-22")
    assert rows.set_index("date").loc[pd.Timestamp("2024-01-10"), "value"] == 5.55


def test_revision_changes_history_only_from_its_date(store: Store) -> None:
    """A revision of the latest observation shows up on its realtime_start, not before."""
    _synthetic_sofr(store)
    # 01-30's SOFR is first published on 01-31; a revision seen on 01-31 is in force from
    # the next day (the store never lets two vintages start on the same day).
    store.write(pd.DataFrame({"series_id": ["SOFR"], "date": [pd.Timestamp("2024-01-30")],
                              "value": [5.60]}), vintage_date=date(2024, 1, 31))
    hist = history(store, ["sofr_iorb_bp"], start="2024-01-29", end="2024-02-02")
    by_day = hist.set_index("date")["value"]
    assert by_day[pd.Timestamp("2024-01-30")] == pytest.approx(-10.0)  # 01-29's value
    assert by_day[pd.Timestamp("2024-01-31")] == pytest.approx(-10.0)  # 01-30, first vintage
    assert by_day[pd.Timestamp("2024-02-01")] == pytest.approx(20.0)  # 01-30, revised
    assert by_day[pd.Timestamp("2024-02-02")] == pytest.approx(20.0)
    for day, expected in (("2024-01-31", -10.0), ("2024-02-01", 20.0)):
        single = compute(store, day, ids=["sofr_iorb_bp"]).iloc[0]
        assert single["value"] == pytest.approx(expected)
        assert single["date"] == date(2024, 1, 30)


def test_empty_store_gives_no_data_with_reasons(store: Store) -> None:
    frame = compute(store, "2024-06-03")
    assert (frame["status"] == "no_data").all()
    assert frame["reason"].str.contains("not in the store").all()
    assert frame["explanation_ja"].str.contains("判定できません").all()
    hist = history(store, start="2024-06-03", end="2024-06-07")
    assert (hist["status"] == "no_data").all()


def test_threshold_overrides(store: Store) -> None:
    _synthetic_sofr(store)
    base = compute(store, "2024-01-31", ids=["sofr_iorb_bp"]).iloc[0]
    assert base["status"] == "normal"
    tight = compute(store, "2024-01-31", ids=["sofr_iorb_bp"],
                    thresholds={"sofr_iorb_bp": {"watch": -20, "alert": -15}}).iloc[0]
    assert tight["status"] == "alert"
    assert tight["thresholds"]["alert"] == -15.0
    with pytest.raises(ConfigError, match="unknown threshold"):
        compute(store, "2024-01-31", thresholds={"sofr_iorb_bp": {"level": 3}})
    with pytest.raises(ConfigError, match="unknown indicator"):
        compute(store, "2024-01-31", thresholds={"nope": {"alert": 3}})


def test_threshold_overrides_from_config_file(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _synthetic_sofr(store)
    cfg = tmp_path / "config.toml"
    cfg.write_text('[indicators.thresholds.sofr_iorb_bp]\nwatch = -12\nalert = 50\n')
    monkeypatch.setenv("LIQWATCH_CONFIG", str(cfg))
    row = compute(store, "2024-01-31", ids=["sofr_iorb_bp"]).iloc[0]
    assert row["status"] == "watch"
    assert row["thresholds"]["watch"] == -12.0


def test_unknown_ids_and_categories(store: Store) -> None:
    with pytest.raises(ConfigError, match="unknown indicator"):
        compute(store, ids=["sofr_iorb"])
    with pytest.raises(ConfigError, match="unknown category"):
        history(store, categories=["equities"])
    with pytest.raises(ConfigError, match="before start"):
        history(store, start="2024-02-01", end="2024-01-01")


def test_cached_inputs_follow_store_changes(store: Store) -> None:
    """The in-process cache of inputs and indicator frames is dropped when the store changes."""
    _synthetic_sofr(store)
    first = compute(store, "2024-02-05", ids=["sofr_iorb_bp"]).iloc[0]
    assert first["value"] == pytest.approx(-10.0)
    store.write(pd.DataFrame({"series_id": ["SOFR"], "date": [pd.Timestamp("2024-02-01")],
                              "value": [5.52]}))
    second = compute(store, "2024-02-05", ids=["sofr_iorb_bp"]).iloc[0]
    assert second["date"] == date(2024, 2, 1)
    assert second["value"] == pytest.approx(12.0)
    assert second["status"] == "alert"


def test_combination_of_a_history_frame(store: Store) -> None:
    _synthetic_sofr(store)
    store.write(pd.DataFrame({"series_id": ["SOFR"], "date": [pd.Timestamp("2024-02-01")],
                              "value": [5.52]}))
    hist = history(store, ["sofr_iorb_bp", "reserves_tn"], start="2024-02-01",
                   end="2024-02-05")
    comb = combination(hist).set_index(["date", "category"])
    assert comb.loc[(pd.Timestamp("2024-02-01"), "funding"), "status"] == "normal"
    assert comb.loc[(pd.Timestamp("2024-02-02"), "funding"), "status"] == "alert"
    assert comb.loc[(pd.Timestamp("2024-02-02"), "funding"), "flagged"] == ["sofr_iorb_bp"]
    assert comb.loc[(pd.Timestamp("2024-02-02"), "reserves"), "status"] == "no_data"
