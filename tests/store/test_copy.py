"""``store copy``: DuckDB → PostgreSQL → DuckDB keeps every row of every table."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from liqwatch.alerts import log as alert_log
from liqwatch.exceptions import StoreError
from liqwatch.store import Store
from liqwatch.store.copy import DATA_TABLES, copy_store, memory_copy

KEYS = {"series": ["series_id"], "observations": ["series_id", "date", "realtime_start"],
        "fetch_log": ["run_id", "source", "started_at"], "fetch_state": ["series_id"],
        "source_flags": ["series_id", "date", "flag"], "alert_log": ["id"],
        "alert_delivery": ["alert_id", "channel"]}


def _fill(store: Store) -> None:
    """Something in every table: vintages (open and closed), explicit vintages, flags,
    fetch log and state, alert log with deliveries."""
    store.register_series("SOFR", provenance={"file": "SOFR.csv", "note": "日本語"})
    store.write(pd.DataFrame({"series_id": "SOFR", "date": ["2019-09-16", "2019-09-17"],
                              "value": [2.43, 5.25]}))
    store.write(pd.DataFrame({"series_id": "SOFR", "date": ["2019-09-17"], "value": [5.3]}),
                vintage_date=date(2020, 1, 2))
    store.write(pd.DataFrame({"series_id": "GDP", "date": ["2025-04-01", "2025-04-01"],
                              "value": [30000.0, 30100.123456789012],
                              "realtime_start": ["2025-07-30", "2025-08-28"]}),
                explicit_vintages=True)
    store.add_source_flags("SOFR", [(date(2019, 9, 17), "Revised")])
    store.execute("INSERT INTO fetch_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                  ["run1", "SOFR", "nyfed", datetime(2025, 1, 2, 3, 4, 5, 678901),
                   datetime(2025, 1, 2, 3, 4, 6), 2, 1, None])
    store.execute("INSERT INTO fetch_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                  ["run1", None, "fred", datetime(2025, 1, 2, 3, 4, 5), None, None, None,
                   "HTTP 500"])
    store.execute("INSERT INTO fetch_state VALUES (?, ?, ?, ?, ?, ?)",
                  ["SOFR", "nyfed", datetime(2025, 1, 2), date(2019, 9, 17), "run1", None])
    day = date(2025, 1, 2)
    for key, state in (("r:A", "watch"), ("r:A", "alert"), ("r:B", "watch")):
        alert_log.insert_change(store, {
            "rule": "r", "rule_key": key, "kind": "indicator", "subject": key[2:],
            "state": state, "previous": "normal", "date": None, "as_of": day, "value": None,
            "threshold": 1.0, "unit": None, "message": f"{key} → {state}", "silent": False})
    alert_log.record_delivery(store, [1], "webhook", 2, "HTTP 503")
    alert_log.acknowledge(store, 2)


def _tables(store: Store) -> dict[str, pd.DataFrame]:
    out = {}
    for table in DATA_TABLES:
        rows = store.execute(f"SELECT * FROM {table}").fetchall()
        cols = [r[0] for r in store.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
            "AND table_schema = current_schema() ORDER BY ordinal_position", [table]).fetchall()]
        frame = pd.DataFrame.from_records(rows, columns=cols)
        out[table] = frame.sort_values(KEYS[table]).reset_index(drop=True)
    return out


def test_round_trip_keeps_every_row(tmp_path: Path, pg_url: str) -> None:
    src = tmp_path / "src.duckdb"
    with Store(src) as s:
        _fill(s)
        original = _tables(s)
    with Store(src, read_only=True) as a, Store(pg_url) as b:
        report = copy_store(a, b)
        on_pg = _tables(b)
    assert report.rows == {t: len(f) for t, f in original.items()}
    back = tmp_path / "back.duckdb"
    with Store(pg_url, read_only=True) as a, Store(back) as b:
        copy_store(a, b)
        again = _tables(b)
        # the alert ids go on after the copied ones
        new_id = alert_log.insert_change(b, {
            "rule": "r", "rule_key": "r:C", "kind": "indicator", "subject": "C",
            "state": "watch", "previous": "normal", "date": None, "as_of": date(2025, 1, 3),
            "value": None, "threshold": None, "unit": None, "message": "m", "silent": True})
        assert new_id == int(original["alert_log"]["id"].max()) + 1
    for table, frame in original.items():
        pd.testing.assert_frame_equal(on_pg[table], frame, check_dtype=False, obj=table)
        pd.testing.assert_frame_equal(again[table], frame, check_dtype=False, obj=table)
    assert 9999 in {d.year for d in original["observations"]["realtime_end"]}


def test_copy_refuses_a_store_with_data_unless_replace(tmp_path: Path, pg_url: str) -> None:
    src = tmp_path / "a.duckdb"
    with Store(src) as s:
        _fill(s)
    with Store(pg_url) as b:
        b.write(pd.DataFrame({"series_id": "EFFR", "date": ["2020-01-02"], "value": [1.55]}))
    with Store(src, read_only=True) as a, Store(pg_url) as b:
        with pytest.raises(StoreError, match=r"not empty.*--replace"):
            copy_store(a, b)
        assert b.known_ids() == ["EFFR"]  # untouched
        copy_store(a, b, replace=True)
        assert b.known_ids() == ["GDP", "SOFR"]


def test_memory_copy_is_read_only(pg_url: str) -> None:
    with Store(pg_url) as s:
        _fill(s)
    with Store(pg_url, read_only=True) as src:
        mem = memory_copy(src)
    assert mem.read(["SOFR"])["value"].tolist() == [2.43, 5.3]
    with pytest.raises(StoreError, match="read-only"):
        mem.execute("DELETE FROM observations")
    mem.close()


def test_cli_copy(cli: Callable[..., tuple[int, str, str]], tmp_path: Path,
                  pg_url: str) -> None:
    src = tmp_path / "cli.duckdb"
    with Store(src) as s:
        _fill(s)
    code, out, err = cli("store", "copy", str(src), pg_url)
    assert code == 0, err
    assert "observation vintages" in out and "postgresql://" in out
    code, out, err = cli("store", "copy", str(src), pg_url)
    assert code == 2 and "not empty" in err
    code, out, err = cli("--db", pg_url, "store", "info", "--format", "json")
    assert code == 0, err
    body = json.loads(out)[0]
    assert body["backend"] == "postgresql" and body["tables"]["observations"] == 5
