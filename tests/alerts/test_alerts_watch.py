"""The watch loop as a real process: clean exit on SIGTERM, one watch per store."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from liqwatch.alerts.watch import WatchLock, WatchLockedError, lock_path, parse_duration
from liqwatch.exceptions import ConfigError


def _env(tmp_path: Path, config: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIQWATCH_")}
    env.update({"LIQWATCH_DB": str(tmp_path / "w.duckdb"), "LIQWATCH_CONFIG": str(config)})
    return env


def _start(tmp_path: Path, config: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", "from liqwatch.cli import main; main()", "watch", *args],
        env=_env(tmp_path, config), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def _wait_for_cycle(proc: subprocess.Popen[str], lock: Path, timeout: float = 60) -> None:
    """Wait until the process holds the lock (it writes its pid there)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            _out, err = proc.communicate()
            pytest.fail(f"watch exited early ({proc.returncode}): {err}")
        if lock.exists() and lock.read_text().strip() == str(proc.pid):
            return
        time.sleep(0.05)
    pytest.fail("watch did not start")


def test_sigterm_stops_the_loop_cleanly(tmp_path: Path, config_file: Path) -> None:
    proc = _start(tmp_path, config_file, "--every", "0.2s", "--no-update")
    lock = lock_path(tmp_path / "w.duckdb")
    try:
        _wait_for_cycle(proc, lock)
        time.sleep(0.5)  # at least one full cycle and a sleep
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "watch stopped." in err
    assert "UTC" in err  # at least one cycle summary was printed
    assert lock.read_text() == ""  # released
    with WatchLock(lock):  # and can be taken again
        pass


def test_two_watch_processes_cannot_run_at_once(tmp_path: Path, config_file: Path) -> None:
    first = _start(tmp_path, config_file, "--every", "1h", "--no-update")
    lock = lock_path(tmp_path / "w.duckdb")
    try:
        _wait_for_cycle(first, lock)
        second = subprocess.run(
            [sys.executable, "-c", "from liqwatch.cli import main; main()", "watch", "--once",
             "--no-update"],
            env=_env(tmp_path, config_file), capture_output=True, text=True, timeout=60,
        )
        assert second.returncode == 1
        assert "already running" in second.stderr and str(first.pid) in second.stderr
    finally:
        first.send_signal(signal.SIGINT)
        first.communicate(timeout=60)
    assert first.returncode == 0


def test_lock_in_process(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    with WatchLock(path), pytest.raises(WatchLockedError, match=str(os.getpid())):
        # flock locks are per open file description: a second open in the same process
        # conflicts like a second process would.
        WatchLock(path).__enter__()


@pytest.mark.parametrize(("text", "seconds"), [("90", 90.0), ("30s", 30.0), ("15m", 900.0),
                                               ("1h", 3600.0), ("1h30m", 5400.0),
                                               ("1d", 86400.0), ("0.2s", 0.2)])
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "1x", "h", "1h 30", "-5m", "0s"])
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(ConfigError):
        parse_duration(text)
