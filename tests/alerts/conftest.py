"""Alert test fixtures: config files, a self-signed certificate."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from alerts_helpers import write_config

from liqwatch.alerts.config import AlertConfig, load_alert_config


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An alert config (console off, fast retries) that LIQWATCH_CONFIG points to."""
    path = write_config(tmp_path / "config.toml",
                        "[alerts.notifiers.console]\nenabled = false\n")
    monkeypatch.setenv("LIQWATCH_CONFIG", str(path))
    monkeypatch.delenv("LIQWATCH_WEBHOOK_URL", raising=False)
    monkeypatch.delenv("LIQWATCH_SMTP_PASSWORD", raising=False)
    return path


@pytest.fixture
def market_config(config_file: Path) -> AlertConfig:
    """Only the market rules (indicator, combination, composite)."""
    cfg = load_alert_config()
    rules = tuple(r for r in cfg.rules if r.kind in ("indicator", "combination", "composite"))
    return cfg.model_copy(update={"rules": rules})


@pytest.fixture
def immediate_config(market_config: AlertConfig) -> AlertConfig:
    """The market rules resolving as soon as the level is below watch (resolve_after_days 0)
    and notifying every state (the bare hysteresis, without the default noise damping)."""
    rules = tuple(r.model_copy(update={"resolve_after_days": 0,
                                       "notify": ("watch", "alert", "normal")})
                  for r in market_config.rules)
    return market_config.model_copy(update={"rules": rules})


@pytest.fixture(scope="session")
def tls_cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for localhost/127.0.0.1 (cert, key), made with openssl."""
    if shutil.which("openssl") is None:
        pytest.fail("openssl is needed to make the test certificate for the SMTP server")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
         "-out", str(cert), "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True, capture_output=True,
    )
    return cert, key
