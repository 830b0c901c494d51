"""What every module asks of the store, on DuckDB and PostgreSQL alike: the alert log, source
flags, first releases, read-only access, concurrent writers, locks and their messages."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from liqwatch.alerts import log as alert_log
from liqwatch.exceptions import ConfigError, StoreError, StoreLockedError
from liqwatch.store import SCHEMA_VERSION, Store, parse_location
from liqwatch.store.db import schema_version


def _frame(values: dict[str, float], series_id: str = "SOFR") -> pd.DataFrame:
    return pd.DataFrame(
        {"series_id": series_id, "date": list(values), "value": list(values.values())}
    )


def _change(key: str, state: str, day: date, previous: str = "normal") -> dict[str, object]:
    return {"rule": "r", "rule_key": key, "kind": "indicator", "subject": key.split(":")[1],
            "state": state, "previous": previous, "date": day, "as_of": day, "value": 1.5,
            "threshold": 1.0, "unit": "bp", "message": f"{key} {state}", "silent": False}


def test_alert_log_round_trip(store: Store) -> None:
    first = alert_log.insert_change(store, _change("r:A", "watch", date(2025, 1, 2)))
    other = alert_log.insert_change(store, _change("r:B", "alert", date(2025, 1, 2)))
    second = alert_log.insert_change(store, _change("r:A", "alert", date(2025, 1, 3), "watch"))
    assert first < other < second
    states = alert_log.current_states(store)
    assert {k: r.state for k, r in states.items()} == {"r:A": "alert", "r:B": "alert"}
    assert alert_log.get(store, first).closed_on == date(2025, 1, 3)
    assert alert_log.get(store, first).superseded  # replaced before it was delivered
    alert_log.touch(store, other, date(2025, 1, 5))
    assert alert_log.latest_as_of(store) == date(2025, 1, 5)
    assert [r.id for r in alert_log.pending(store)] == [other, second]
    alert_log.record_delivery(store, [other], "webhook", 2, "HTTP 500")
    alert_log.record_delivery(store, [other], "webhook", 1, None)
    assert alert_log.delivered_channels(store, other) == {"webhook"}
    row = store.execute("SELECT attempts, error FROM alert_delivery WHERE alert_id = ?",
                        [other]).fetchone()
    assert row == (3, None)
    alert_log.mark_notified(store, other)
    alert_log.acknowledge(store, second)
    assert alert_log.pending(store) == []
    until = datetime(2030, 1, 1)
    assert alert_log.snooze(store, second, until).snoozed_until == until
    assert [r.id for r in alert_log.history(store, limit=2)] == [second, other]
    with pytest.raises(ConfigError, match="no alert with id 999"):
        alert_log.get(store, 999)


def test_source_flags_are_recorded_once(store: Store) -> None:
    flags = [(date(2025, 3, 3), "Revised"), (date(2025, 3, 4), "Revised")]
    store.add_source_flags("SOFR", flags)
    first = store.execute("SELECT date, flag, first_seen FROM source_flags ORDER BY date"
                          ).fetchall()
    store.add_source_flags("SOFR", [*flags, (date(2025, 3, 5), "Revised")])
    again = store.execute("SELECT date, flag, first_seen FROM source_flags ORDER BY date"
                          ).fetchall()
    assert again[:2] == first and len(again) == 3


def test_first_releases_and_latest(store: Store) -> None:
    store.write(_frame({"2025-01-01": 1.0, "2025-01-02": 2.0}))
    store.write(_frame({"2025-01-02": 2.5}), vintage_date=date(2025, 2, 1))
    store.write(_frame({"2025-01-02": 2.7}), vintage_date=date(2025, 3, 1))
    store.write(_frame({"2025-01-05": 7.0}, series_id="EFFR"))
    firsts = store.first_releases("SOFR")
    assert firsts.to_dict() == {pd.Timestamp("2025-01-02"): 2.0}
    latest = store.latest().set_index("series_id")
    assert latest.loc["SOFR", "value"] == 2.7 and latest.loc["EFFR", "value"] == 7.0
    assert store.read(["EFFR", "SOFR"])["series_id"].tolist() == ["EFFR", "SOFR", "SOFR"]
    assert store.row_count() == 5 and store.known_ids() == ["EFFR", "SOFR"]


def test_series_info_counts_current_rows(store: Store) -> None:
    store.register_series("SOFR", provenance={"file": "SOFR.csv"})
    store.write(_frame({"2025-01-01": 1.0, "2025-01-02": 2.0}))
    store.write(_frame({"2025-01-02": 2.5}), vintage_date=date(2025, 2, 1))
    info = store.series_info(["SOFR"]).iloc[0]
    assert info["rows"] == 2 and info["origin"] == "catalog"
    assert pd.Timestamp(info["last_date"]) == pd.Timestamp("2025-01-02")
    assert '"SOFR.csv"' in info["provenance"]


def test_read_only_store_refuses_writes(location: str) -> None:
    with Store(location) as s:
        s.write(_frame({"2025-01-01": 1.0}))
    with Store(location, read_only=True) as s:
        assert s.read(["SOFR"])["value"].tolist() == [1.0]
        with pytest.raises(StoreError, match="read-only"):
            s.write(_frame({"2025-01-02": 2.0}))
        with pytest.raises(StoreError, match="read-only"):
            s.execute("UPDATE observations SET value = 0")
        with pytest.raises(StoreError, match="read-only"):
            s.register_series("SOFR")
    with Store(location, read_only=True) as s:
        assert s.read(["SOFR"])["value"].tolist() == [1.0]


def test_a_reader_sees_one_state_until_it_releases(location: str) -> None:
    with Store(location) as s:
        s.write(_frame({"2025-01-01": 1.0}))
    with Store(location, read_only=True) as reader, Store(location) as writer:
        assert reader.row_count() == 1
        writer.write(_frame({"2025-01-02": 2.0}))  # a reader never keeps a writer waiting
        assert reader.row_count() == 1  # its snapshot
        reader.release()
        expected = 2 if reader.dialect == "postgresql" else 1  # a DuckDB copy stays a copy
        assert reader.row_count() == expected


def test_concurrent_writers_keep_one_current_row(location: str) -> None:
    """Threads with a store each revise the same dates; every revision is a new vintage."""
    with Store(location) as s:
        s.write(_frame({"2025-01-01": 0.0, "2025-01-02": 0.0}))
    errors: list[BaseException] = []

    def revise(k: int) -> None:
        try:
            with Store(location, lock_timeout=60) as s:
                for j in range(5):
                    value = float(k * 10 + j + 1)
                    s.write(_frame({"2025-01-01": value, "2025-01-02": value}),
                            vintage_date=date(2025, 2, 1 + k * 5 + j))
                    s.release()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=revise, args=(k,)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    with Store(location, read_only=True) as s:
        vintages = s.read_vintages(["SOFR"])
    for _day, rows in vintages.groupby("date"):
        assert len(rows) == 16  # the first value and 15 revisions, none lost
        assert rows["realtime_end"].isna().sum() == 1  # one current row
        ends = rows["realtime_end"].dropna().to_numpy()
        starts = rows["realtime_start"].to_numpy()[1:]
        assert (ends < starts).all()  # windows follow each other without overlap


_HOLDER = """
import sys, time
from liqwatch.store import Store
store = Store(sys.argv[1])
store.execute("SELECT 1")
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
"""


def _hold(path: Path, seconds: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", _HOLDER, str(path), str(seconds)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
    return proc


def test_a_held_file_is_waited_for_then_named(tmp_path: Path) -> None:
    path = tmp_path / "held.duckdb"
    Store(path).close()
    with _hold(path, 30) as proc:
        t0 = time.monotonic()
        with pytest.raises(StoreLockedError) as info:
            Store(path, read_only=True, lock_timeout=0.5)
        waited = time.monotonic() - t0
        proc.kill()
    message = str(info.value)
    assert 0.5 <= waited < 10
    assert "\n" not in message
    assert f"pid {proc.pid}" in message and "python" in message
    assert str(path) in message and "LIQWATCH_LOCK_TIMEOUT" in message


def test_a_brief_holder_is_waited_for(tmp_path: Path) -> None:
    path = tmp_path / "brief.duckdb"
    with Store(path) as s:
        s.write(_frame({"2025-01-01": 1.0}))
    with _hold(path, 1.0) as proc:
        with Store(path, lock_timeout=30) as s:  # retried until the holder exits
            assert s.read(["SOFR"])["value"].tolist() == [1.0]
        proc.wait()


def test_a_writable_store_releases_the_file_between_steps(tmp_path: Path) -> None:
    path = tmp_path / "steps.duckdb"
    with Store(path) as writer:
        writer.write(_frame({"2025-01-01": 1.0}))
        writer.release()
        with Store(path, read_only=True, lock_timeout=0) as reader:  # free now
            assert reader.row_count() == 1
        writer.write(_frame({"2025-01-02": 2.0}))  # reopens
        assert writer.row_count() == 2


def test_connection_errors_never_show_the_password() -> None:
    secret = "s3cr3t-pw"
    with pytest.raises(StoreError) as info:
        Store(f"postgresql://ana:{secret}@127.0.0.1:9/liqwatch?connect_timeout=2")
    assert secret not in str(info.value)
    assert "postgresql://ana:***@127.0.0.1:9/liqwatch" in str(info.value)


@pytest.mark.parametrize(("text", "backend", "shown"), [
    ("store.duckdb", "duckdb", "store.duckdb"),
    (":memory:", "duckdb", ":memory:"),
    ("postgresql://u:pw@db:5432/lw", "postgresql", "postgresql://u:***@db:5432/lw"),
    ("postgres://u@db/lw?password=pw&sslmode=require", "postgresql",
     "postgres://u@db/lw?password=***&sslmode=require"),
])
def test_locations(text: str, backend: str, shown: str) -> None:
    loc = parse_location(text)
    assert (loc.backend, loc.display) == (backend, shown)


@pytest.mark.parametrize("text", ["mysql://u@db/lw", "postgresql://u@db", ""])
def test_bad_locations_are_named(text: str) -> None:
    with pytest.raises(ConfigError):
        parse_location(text)


def test_an_older_store_is_migrated_and_a_newer_one_refused(location: str) -> None:
    with Store(location) as s:
        s.execute("DELETE FROM schema_version WHERE version = ?", [SCHEMA_VERSION])
        if s.dialect == "postgresql":  # undo migration 4 so that it can run again
            for sql in ("DROP TABLE store_revision CASCADE",
                        "DROP FUNCTION liqwatch_bump_revision() CASCADE",
                        "DROP INDEX observations_series_date", "DROP INDEX observations_ingested",
                        "DROP INDEX fetch_log_started", "DROP INDEX alert_log_rule_key"):
                s.execute(sql)
    if location.startswith("postgresql"):
        with pytest.raises(StoreError, match="store migrate"):
            Store(location, read_only=True)
    with Store(location) as s:
        assert schema_version(s.backend) == SCHEMA_VERSION
        s.execute("INSERT INTO schema_version VALUES (?, 'future', ?)",
                  [SCHEMA_VERSION + 1, datetime(2030, 1, 1)])
    with pytest.raises(StoreError, match="newer than this liqwatch"):
        Store(location)
