"""Processes side by side on one store, on each backend: ``serve`` + ``watch`` + ``update``,
two ``watch`` processes, and a writer killed mid-transaction.

Everything here is a real process of the CLI against the synthetic source server of the
update tests (:mod:`sources.simulator`), and a real DuckDB file or PostgreSQL server.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pytest_httpserver import HTTPServer

from liqwatch.store import Store
from sources.simulator import SourceSimulator

from .pgserver import free_port

CLI = [sys.executable, "-c", "from liqwatch.cli import main; main()"]


@pytest.fixture
def sim() -> Iterator[tuple[SourceSimulator, dict[str, str]]]:
    """Three months of synthetic data of every source on a threaded local server (several
    processes fetch at once), and the variables pointing the sources at it."""
    simulator = SourceSimulator(years=0.25)
    http = HTTPServer(threaded=True)
    http.start()
    simulator.install(http)
    try:
        yield simulator, simulator.env(http)
    finally:
        http.stop()


def _env(location: str, sources: dict[str, str], tmp_path: Path) -> dict[str, str]:
    config = tmp_path / "config.toml"
    config.write_text("[alerts.notifiers.console]\nenabled = false\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIQWATCH_")}
    env.update(sources)
    for name in ("FRED", "FREDGRAPH", "NYFED", "FISCALDATA", "OFR", "EIA", "COINBASE"):
        env[f"LIQWATCH_MIN_INTERVAL_{name}"] = "0"
    env.update({"LIQWATCH_DB": location, "LIQWATCH_CONFIG": str(config),
                "LIQWATCH_RETRY_ATTEMPTS": "2", "LIQWATCH_RETRY_BACKOFF": "0.01",
                "LIQWATCH_LOCK_TIMEOUT": "60"})
    return env


def _update(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, "update", "--format", "json"], env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def _consistent(store: Store) -> None:
    """One current row per date; intervals of a date never overlap."""
    dup = store.execute(
        "SELECT count(*) FROM (SELECT series_id, date FROM observations "
        "WHERE realtime_end = DATE '9999-12-31' GROUP BY series_id, date "
        "HAVING count(*) > 1) d").fetchone()
    assert dup == (0,)
    overlap = store.execute(
        "SELECT count(*) FROM observations a JOIN observations b ON a.series_id = b.series_id "
        "AND a.date = b.date AND a.realtime_start < b.realtime_start "
        "AND a.realtime_end >= b.realtime_start").fetchone()
    assert overlap == (0,)


def _stored_equals_truth(store: Store, sim: SourceSimulator) -> None:
    """Every fetched series holds exactly the source's data (EIA is skipped: no key)."""
    fetched = {sid for sid, spec in sim.specs.items() if spec.source != "eia"}
    assert set(store.known_ids()) == fetched
    for sid in fetched:
        truth = sim.truth(sid)
        got = store.read([sid]).set_index("date")["value"]
        assert len(got) == len(truth), sid
        assert got.to_numpy().tolist() == pytest.approx(truth.to_numpy().tolist()), sid


class _Poller(threading.Thread):
    """GETs the API in a loop, recording every status code."""

    def __init__(self, base: str) -> None:
        super().__init__(daemon=True)
        self.base = base
        self.codes: list[int] = []
        self.last_dates: list[str] = []
        self.stop = threading.Event()

    def run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=60) as client:
            while not self.stop.is_set():
                for path in ("/api/status", "/api/series/SOFR"):
                    r = client.get(path)
                    self.codes.append(r.status_code)
                    if path == "/api/series/SOFR" and r.status_code == 200:
                        obs = r.json()["observations"]
                        self.last_dates.append(obs[-1]["date"] if obs else "")
                time.sleep(0.05)


def _wait_http(url: str, proc: subprocess.Popen[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"serve exited: {proc.communicate()[1]}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail("serve did not start")


def test_serve_watch_and_update_side_by_side(
        location: str, sim: tuple[SourceSimulator, dict[str, str]], tmp_path: Path) -> None:
    source, urls = sim
    env = _env(location, urls, tmp_path)
    first = _update(env)
    assert first.returncode == 0, first.stdout + first.stderr
    port = free_port()
    serve = subprocess.Popen([*CLI, "serve", "--port", str(port)], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watch = subprocess.Popen([*CLI, "watch", "--every", "2s"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    poller = _Poller(base)
    try:
        _wait_http(base + "/healthz", serve)
        poller.start()
        before = source.truth("SOFR").index.max()
        source.extend(days=1)
        again = _update(env)
        assert again.returncode == 0, again.stdout + again.stderr
        assert "error" not in again.stderr.lower(), again.stderr
        newest = source.truth("SOFR").index.max()
        assert newest > before
        deadline = time.monotonic() + 60  # the dashboard catches up with the committed data
        while time.monotonic() < deadline and (
                not poller.last_dates or poller.last_dates[-1][:10] != f"{newest:%Y-%m-%d}"):
            time.sleep(0.2)
        assert poller.last_dates[-1][:10] == f"{newest:%Y-%m-%d}"
    finally:
        poller.stop.set()
        poller.join(timeout=60)
        watch.send_signal(signal.SIGTERM)
        _wout, werr = watch.communicate(timeout=120)
        serve.send_signal(signal.SIGINT)
        serve.communicate(timeout=60)
    assert watch.returncode == 0, werr
    cycles = [line for line in werr.splitlines() if " UTC | " in line or line.endswith("UTC")]
    assert cycles, werr
    assert not [c for c in cycles if "error:" in c or "update failed" in c], werr
    assert poller.codes and set(poller.codes) == {200}, sorted(set(poller.codes))
    with Store(location, read_only=True) as store:
        _consistent(store)
        _stored_equals_truth(store, source)
        runs = store.execute("SELECT run_id, count(*), count(error) FROM fetch_log "
                             "GROUP BY run_id").fetchall()
    # every run (2 updates and each watch cycle's) logged every series, none failed
    assert len(runs) >= 3
    fetched = sum(1 for spec in source.specs.values() if spec.source != "eia")
    assert {n for _, n, _ in runs} == {fetched}
    assert {e for _, _, e in runs} == {0}


def test_second_watch_refuses_cleanly(location: str, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[alerts.notifiers.console]\nenabled = false\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIQWATCH_")}
    env.update({"LIQWATCH_DB": location, "LIQWATCH_CONFIG": str(config)})
    first = subprocess.Popen([*CLI, "watch", "--every", "1h", "--no-update"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert first.stderr is not None
        first.stderr.readline()  # "watching ..."
        cycle = first.stderr.readline()  # the first cycle ran: the lock is held
        assert " UTC" in cycle, cycle
        second = subprocess.run([*CLI, "watch", "--once", "--no-update"], env=env,
                                capture_output=True, text=True, timeout=60)
        assert first.poll() is None
        assert second.returncode == 1, second
        errors = [line for line in second.stderr.splitlines() if line.startswith("error:")]
        assert len(errors) == 1 and "Traceback" not in second.stderr, second.stderr
        assert "already running" in errors[0] and "liqwatch watch" in errors[0]
        assert f"pid {first.pid}" in errors[0]  # names the holder
    finally:
        first.send_signal(signal.SIGINT)
        first.communicate(timeout=60)
    assert first.returncode == 0


_KILLED_WRITER = """
import sys, pandas as pd
from liqwatch.store import Store
store = Store(sys.argv[1])
days = pd.date_range("1900-01-01", periods=40_000)  # 1900 to 2009: valid dates
for i in range(12):
    store.write(pd.DataFrame({"series_id": f"USER_{i}", "date": days, "value": float(i)}))
    print(i, flush=True)  # one transaction per series; killed during a later one
"""


def test_sigkill_mid_transaction_leaves_the_store_consistent(location: str) -> None:
    import pandas as pd

    with Store(location) as store:
        store.write(pd.DataFrame({"series_id": "SOFR", "date": ["2019-09-16", "2019-09-17"],
                                  "value": [2.43, 5.25]}))
        before = store.read_vintages(["SOFR"])
    with subprocess.Popen([sys.executable, "-c", _KILLED_WRITER, location],
                          stdout=subprocess.PIPE, text=True) as proc:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "0"  # the first series is committed
        time.sleep(0.3)  # well inside the next writes
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    with Store(location) as store:  # reopening recovers (DuckDB replays its log)
        _consistent(store)
        counts = dict(store.execute("SELECT series_id, count(*) FROM observations "
                                    "GROUP BY series_id").fetchall())
        done = [f"USER_{i}" for i in range(12) if f"USER_{i}" in counts]
        assert "USER_0" in done and len(done) < 12  # killed mid-run
        assert done == [f"USER_{i}" for i in range(len(done))]  # in order, no gap
        assert all(counts[sid] == 40_000 for sid in done)  # each whole: all or nothing
        pd.testing.assert_frame_equal(store.read_vintages(["SOFR"]), before)
        store.write(pd.DataFrame({"series_id": "SOFR", "date": ["2019-09-17"],
                                  "value": [5.30]}))
        assert store.read(["SOFR"])["value"].tolist() == [2.43, 5.30]
