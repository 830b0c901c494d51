"""``liqwatch import`` killed (SIGKILL) at points spread over its run: every store left behind
is consistent, and the rerun completes to the same content as an uninterrupted import.

The folder is SYNTHETIC: 24 series of 4,000 daily values, one of them a bad file (so every
import, killed or not, also exercises the refusal path). These trials are the "crash trials /
consistent stores" figures of docs/store.md.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from liqwatch.store import Store

CLI = [sys.executable, "-c", "from liqwatch.cli import main; main()"]
SERIES = 24
ROWS = 4_000
#: When each trial kills the import, as a fraction of an uninterrupted import's duration
#: (start-up, parsing, one write transaction: about 1.5 s here).
KILL_AT = (0.15, 0.3, 0.45, 0.6, 0.7, 0.8, 0.9, 0.97)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("crash") / "snap"
    path.mkdir()
    days = pd.date_range("2010-01-01", periods=ROWS)
    for i in range(SERIES):
        values = (pd.Series(range(ROWS)) * 0.001 + i).round(6)
        pd.DataFrame({"date": days.strftime("%Y-%m-%d"), "value": values}).to_csv(
            path / f"USER_{i:02d}.csv", index=False)
    (path / "BAD.csv").write_text("date,value\n2024-01-02,inf\n", encoding="utf-8")
    return path


def _content(db: Path) -> pd.DataFrame:
    with Store(db, read_only=True) as store:
        return store.execute(
            "SELECT series_id, date, value, realtime_start, realtime_end, vintage_kind "
            "FROM observations ORDER BY series_id, date, realtime_start").df()


def _consistent(db: Path) -> bool:
    """All or nothing of the one import transaction; one current row per series and date;
    every series row registered; no stray temporary table."""
    with Store(db) as store:
        per = dict(store.execute("SELECT series_id, count(*) FROM observations "
                                 "GROUP BY series_id").fetchall())
        dup = store.execute("SELECT count(*) FROM (SELECT series_id, date FROM observations "
                            "WHERE realtime_end = DATE '9999-12-31' GROUP BY series_id, date "
                            "HAVING count(*) > 1)").fetchone()
        registered = {r[0] for r in store.execute("SELECT series_id FROM series").fetchall()}
    whole = per in ({}, {f"USER_{i:02d}": ROWS for i in range(SERIES)})
    return whole and dup == (0,) and set(per) <= registered and "BAD" not in registered


def test_killed_imports_leave_consistent_stores(folder: Path, tmp_path: Path) -> None:
    clean = tmp_path / "clean.duckdb"
    t0 = time.perf_counter()
    done = subprocess.run([*CLI, "--db", str(clean), "import", str(folder)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 3, done.stderr  # BAD.csv refused, the rest imported
    duration = time.perf_counter() - t0
    expected = _content(clean)
    assert len(expected) == SERIES * ROWS
    trials = consistent = killed = 0
    for n, share in enumerate(KILL_AT):
        db = tmp_path / f"t{n}.duckdb"
        env = {**os.environ, "LIQWATCH_LOCK_TIMEOUT": "30"}
        with subprocess.Popen([*CLI, "--db", str(db), "import", str(folder)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as proc:
            time.sleep(share * duration)
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
                killed += 1
            proc.wait()
        trials += 1
        if not db.exists() or _consistent(db):
            consistent += 1
        rerun = subprocess.run([*CLI, "--db", str(db), "import", str(folder)], env=env,
                               capture_output=True, text=True, timeout=120, check=False)
        assert rerun.returncode == 3, rerun.stderr
        got = _content(db)
        cols = ["series_id", "date", "value", "realtime_start", "realtime_end", "vintage_kind"]
        pd.testing.assert_frame_equal(got[cols], expected[cols])
    print(f"crash trials {trials}, killed mid-run {killed}, consistent stores {consistent}")
    assert consistent == trials
    assert killed >= len(KILL_AT) // 2  # most kills landed while the import ran
