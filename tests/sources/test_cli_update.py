"""``liqwatch update`` on the command line, the demo hook, and an update killed mid-run.

All against a local server holding SYNTHETIC data (tests/sources/simulator.py).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner
from werkzeug import Response

from liqwatch.cli import app
from liqwatch.store import Store

from .simulator import SourceSimulator

KEY = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def sim(server: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[SourceSimulator]:
    """Synthetic data served locally; every LIQWATCH_*_URL points at it, no pacing."""
    simulator = SourceSimulator(years=1)
    server.clear()
    simulator.install(server)
    for k, v in _env(simulator, server).items():
        monkeypatch.setenv(k, v)
    for k in ("FRED_API_KEY", "LIQWATCH_FRED_API_KEY", "EIA_API_KEY", "LIQWATCH_EIA_API_KEY"):
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("LIQWATCH_CONFIG", "/nonexistent/liqwatch.toml")
    yield simulator
    server.clear()


def _env(sim: SourceSimulator, server: HTTPServer) -> dict[str, str]:
    env = sim.env(server)
    for name in ("FRED", "FREDGRAPH", "NYFED", "FISCALDATA", "OFR", "EIA", "COINBASE"):
        env[f"LIQWATCH_MIN_INTERVAL_{name}"] = "0"
    env["LIQWATCH_RETRY_ATTEMPTS"] = "2"
    env["LIQWATCH_RETRY_BACKOFF"] = "0.01"
    return env


def test_cli_json_output_and_exit_codes(sim: SourceSimulator, tmp_path: Path) -> None:
    db = str(tmp_path / "cli.duckdb")
    runner = CliRunner()
    ok = runner.invoke(app, ["--db", db, "update", "--series", "TGA_DTS", "--series",
                             "OFR_FSI", "--format", "json"])
    assert ok.exit_code == 0, ok.output
    body = json.loads(ok.stdout)[0]
    assert body["exit_code"] == 0 and body["rows_new"] > 200
    assert {s["series_id"] for s in body["series"]} == {"TGA_DTS", "OFR_FSI"}

    sim.broken["ofr"] = Response("down", status=500)
    partial = runner.invoke(app, ["--db", db, "update", "--source", "ofr", "--source",
                                  "fiscaldata"])
    assert partial.exit_code == 3
    assert "failed" in partial.stdout and "HTTP 500" in partial.stdout
    none = runner.invoke(app, ["--db", db, "update", "--source", "ofr"])
    assert none.exit_code == 2
    bad = runner.invoke(app, ["--db", db, "update", "--since", "yesterday-ish"])
    assert bad.exit_code == 1


def test_cli_key_flag_is_used_and_never_printed(sim: SourceSimulator, tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["--db", str(tmp_path / "k.duckdb"), "-v", "update",
                              "--series", "DGS10", "--fred-api-key", KEY, "--format", "json"])
    assert res.exit_code == 0, res.output
    assert sim.requests["fred"] > 0 and sim.requests["fredgraph"] == 0
    assert KEY not in res.output


def test_demo_hook(sim: SourceSimulator, server: HTTPServer,
                   monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from liqwatch.cli import update as update_cli
    from liqwatch.cli._common import state

    monkeypatch.setattr(state, "db", tmp_path / "demo.duckdb")
    # Reachable: a live run of the whole catalog (the synthetic server serves a subset).
    small = SourceSimulator(years=0.2, series=["TGA_DTS", "BTCUSD"])
    server.clear()
    small.install(server)
    code = update_cli.run_for_demo()
    assert code == 3  # the two served series succeed, the rest fail: partial
    with Store(tmp_path / "demo.duckdb", read_only=True) as store:
        assert set(store.known_ids()) == {"TGA_DTS", "BTCUSD"}
    # Unreachable: returns None quickly.
    for name in ("NYFED", "FREDGRAPH", "FISCALDATA"):
        monkeypatch.setenv(f"LIQWATCH_{name}_URL", "http://127.0.0.1:9/")
    t0 = time.monotonic()
    assert update_cli.run_for_demo() is None
    assert time.monotonic() - t0 < 5


def _consistent(store: Store) -> None:
    dup = store.execute(
        "SELECT count(*) FROM (SELECT series_id, date FROM observations "
        "WHERE realtime_end = DATE '9999-12-31' GROUP BY ALL HAVING count(*) > 1)"
    ).fetchone()
    assert dup == (0,)


def test_sigkill_mid_run_then_next_run_completes(sim: SourceSimulator, server: HTTPServer,
                                                 tmp_path: Path) -> None:
    db = tmp_path / "killed.duckdb"
    sim.delay = 0.03
    sources = ["nyfed", "fiscaldata", "ofr", "coinbase"]
    ids = [s for s, spec in sim.specs.items() if spec.source in sources]
    cmd = [sys.executable, "-c", "from liqwatch.cli import main; main()", "--db", str(db),
           "update", *[a for s in sources for a in ("--source", s)]]
    env = {**os.environ, **_env(sim, server)}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while sum(sim.requests.values()) < 40 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "the update finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    sim.delay = 0.0

    with Store(db) as store:
        _consistent(store)
        stored = set(store.known_ids())
        assert stored < set(ids)  # killed mid-run: not everything is there
        for sid in stored:  # what is there is whole: each series was one transaction
            got = store.read([sid]).set_index("date")["value"]
            assert len(got) == len(sim.truth(sid)), sid
        logged = {r[0] for r in store.execute(
            "SELECT series_id FROM fetch_log WHERE error IS NULL").fetchall()}
        assert logged <= stored | {s for s in ids if sim.truth(s).empty}

    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    with Store(db) as store:
        _consistent(store)
        for sid in ids:
            got = store.read([sid]).set_index("date")["value"]
            exp = sim.truth(sid)
            assert list(got.index) == list(exp.index), sid
            assert (got - exp).abs().max() < 1e-6, sid
