"""The point-in-time store: vintages, idempotence, transactions, migrations."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from liqwatch.exceptions import StoreError
from liqwatch.store import SCHEMA_VERSION, Store


def _frame(values: dict[str, float], series_id: str = "SOFR") -> pd.DataFrame:
    return pd.DataFrame(
        {"series_id": series_id, "date": list(values), "value": list(values.values())}
    )


def test_new_store_is_migrated(store: Store) -> None:
    row = store.execute("SELECT max(version) FROM schema_version").fetchone()
    assert row is not None and row[0] == SCHEMA_VERSION


def test_backfilled_history_gets_schedule_vintages(store: Store) -> None:
    store.write(_frame({"2019-09-17": 5.25}))
    row = store.read(["SOFR"]).iloc[0]
    assert row["realtime_start"] == pd.Timestamp("2019-09-18")
    assert pd.isna(row["realtime_end"])
    # Not yet published on the day it describes.
    assert store.read(["SOFR"], as_of="2019-09-17").empty
    assert store.read(["SOFR"], as_of="2019-09-18")["value"].tolist() == [5.25]


def test_writing_the_same_data_twice_changes_nothing(store: Store) -> None:
    data = _frame({"2019-09-16": 2.43, "2019-09-17": 5.25})
    first = store.write(data)
    before = store.read_vintages(["SOFR"])
    second = store.write(data)
    assert first.total_new == 2
    assert second.total_new == 0 and second.total_revised == 0
    pd.testing.assert_frame_equal(before, store.read_vintages(["SOFR"]))


def test_revision_closes_the_old_vintage_and_keeps_it(store: Store) -> None:
    store.write(_frame({"2019-09-16": 2.43, "2019-09-17": 5.25}))
    result = store.write(_frame({"2019-09-17": 5.30}), vintage_date=date(2020, 1, 2))
    assert result.revised == {"SOFR": 1}
    vintages = store.read_vintages(["SOFR"])
    rows = vintages[vintages["date"] == "2019-09-17"]
    assert rows["value"].tolist() == [5.25, 5.30]
    assert rows["realtime_end"].iloc[0] == pd.Timestamp("2020-01-01")
    assert store.read(["SOFR"], as_of="2020-01-01")["value"].tolist() == [2.43, 5.25]
    assert store.read(["SOFR"], as_of="2020-01-02")["value"].tolist() == [2.43, 5.30]
    assert store.read(["SOFR"])["value"].tolist() == [2.43, 5.30]


def test_revision_before_first_publication_is_moved_after_it(store: Store) -> None:
    store.write(_frame({"2019-09-17": 5.25}))
    store.write(_frame({"2019-09-17": 5.30}), vintage_date=date(2019, 1, 1))
    vintages = store.read_vintages(["SOFR"])
    assert vintages["realtime_start"].tolist() == [
        pd.Timestamp("2019-09-18"), pd.Timestamp("2019-09-19")
    ]


def test_explicit_vintages_rebuild_realtime_windows(store: Store) -> None:
    frame = pd.DataFrame({
        "series_id": "GDP",
        "date": ["2025-04-01", "2025-04-01"],
        "value": [30000.0, 30100.0],
        "realtime_start": ["2025-07-30", "2025-08-28"],
    })
    store.write(frame.iloc[[1]], explicit_vintages=True)
    store.write(frame.iloc[[0]], explicit_vintages=True)
    vintages = store.read_vintages(["GDP"])
    assert vintages["value"].tolist() == [30000.0, 30100.0]
    assert vintages["realtime_end"].iloc[0] == pd.Timestamp("2025-08-27")
    assert store.read(["GDP"], as_of="2025-08-01")["value"].tolist() == [30000.0]
    again = store.write(frame, explicit_vintages=True)
    assert again.total_new == 0 and again.total_revised == 0


def test_failed_transaction_leaves_the_store_as_it_was(store: Store) -> None:
    store.write(_frame({"2019-09-16": 2.43}))
    with pytest.raises(RuntimeError), store.transaction():
        store.write(_frame({"2019-09-17": 5.25}))
        store.write(_frame({"2019-09-16": 9.99}))
        raise RuntimeError("interrupted")
    assert store.read(["SOFR"])["value"].tolist() == [2.43]
    assert store.row_count() == 1


def test_missing_values_are_rejected(store: Store) -> None:
    with pytest.raises(StoreError, match="missing values"):
        store.write(_frame({"2019-09-16": float("nan")}))


def test_read_filters_and_pivots(store: Store) -> None:
    store.write(pd.concat([
        _frame({"2019-09-16": 2.43, "2019-09-17": 5.25}),
        _frame({"2019-09-17": 2.10}, series_id="IOER"),
    ]))
    wide = store.read_wide(["SOFR", "IOER"], start="2019-09-17")
    assert list(wide.columns) == ["SOFR", "IOER"]
    assert wide.loc["2019-09-17"].tolist() == [5.25, 2.10]


def test_store_file_is_reopened_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "store.duckdb"
    with Store(path) as s:
        s.write(_frame({"2019-09-16": 2.43}))
    with Store(path, read_only=True) as s:
        assert s.read(["SOFR"])["value"].tolist() == [2.43]
        with pytest.raises(StoreError, match="read-only"):
            s.execute("DELETE FROM observations")


def test_read_only_on_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store at"):
        Store(tmp_path / "absent.duckdb", read_only=True)
