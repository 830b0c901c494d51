"""API keys never reach what ``liqwatch -v`` prints, whichever logger writes the line.

A real ``liqwatch`` process against a local server holding SYNTHETIC data
(tests/sources/simulator.py); the EIA endpoint answers 400 with the key echoed in its body
(as an error page might), so the truncated error body is checked too.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from .simulator import SourceSimulator

FRED_KEY = "0123456789abcdef0123456789abcdef"
EIA_KEY = "eiaKEY9876543210eiaKEY9876543210"


@pytest.fixture
def sim(server: HTTPServer) -> Iterator[SourceSimulator]:
    simulator = SourceSimulator(years=0.3)
    server.clear()
    simulator.broken["eia"] = Response(f'{{"error": "invalid api_key {EIA_KEY} for /v2"}}',
                                       status=400, content_type="application/json")
    simulator.install(server)
    yield simulator
    server.clear()


def _run(sim: SourceSimulator, server: HTTPServer, tmp_path: Path, *args: str,
         **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items()
            if k not in ("FRED_API_KEY", "LIQWATCH_FRED_API_KEY", "EIA_API_KEY",
                         "LIQWATCH_EIA_API_KEY", "LIQWATCH_CONFIG")}
    base.update(sim.env(server))
    for name in ("FRED", "FREDGRAPH", "NYFED", "FISCALDATA", "OFR", "EIA", "COINBASE"):
        base[f"LIQWATCH_MIN_INTERVAL_{name}"] = "0"
    base |= {"LIQWATCH_RETRY_ATTEMPTS": "1", "LIQWATCH_CONFIG": "/nonexistent/c.toml", **env}
    return subprocess.run([sys.executable, "-m", "liqwatch", "--db",
                           str(tmp_path / "k.duckdb"), "-v", "update", *args],
                          capture_output=True, text=True, timeout=120, env=base)


def test_keys_are_not_in_verbose_output(sim: SourceSimulator, server: HTTPServer,
                                        tmp_path: Path) -> None:
    done = _run(sim, server, tmp_path, "--series", "DGS10", "--series", "RCLC1",
                "--fred-api-key", FRED_KEY, EIA_API_KEY=EIA_KEY)
    printed = done.stdout + done.stderr
    assert "HTTP Request: GET" in printed and "api_key=***" in printed  # URLs were logged
    assert sim.requests["fred"] > 0 and sim.requests["eia"] > 0
    assert "eia" in printed.lower() and "400" in printed  # the failure was reported
    assert printed.count(FRED_KEY) == 0
    assert printed.count(EIA_KEY) == 0


def test_keys_in_the_config_file_are_used(sim: SourceSimulator, server: HTTPServer,
                                          tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[liqwatch]\nfred_api_key = "{FRED_KEY}"\n', encoding="utf-8")
    config.chmod(0o644)
    done = _run(sim, server, tmp_path, "--series", "DGS10", LIQWATCH_CONFIG=str(config))
    printed = done.stdout + done.stderr
    assert done.returncode == 0, printed
    assert sim.requests["fred"] > 0 and sim.requests["fredgraph"] == 0  # the keyed API
    assert "other users can read it" in printed and "chmod 600" in printed
    assert FRED_KEY not in printed
    config.chmod(0o600)
    quiet = _run(sim, server, tmp_path, "--series", "DGS10", LIQWATCH_CONFIG=str(config))
    assert "other users can read it" not in quiet.stdout + quiet.stderr
