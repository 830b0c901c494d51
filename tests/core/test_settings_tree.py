"""One settings tree: the config file is read once, by pydantic-settings' TOML source."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from liqwatch.alerts.config import load_alert_config
from liqwatch.config import load_settings
from liqwatch.exceptions import ConfigError
from liqwatch.indicators.thresholds import config_overrides

SRC = Path(__file__).resolve().parents[2] / "src" / "liqwatch"


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config.toml"
    monkeypatch.setenv("LIQWATCH_CONFIG", str(path))
    for name in ("LIQWATCH_FRED_API_KEY", "FRED_API_KEY", "LIQWATCH_EIA_API_KEY", "EIA_API_KEY",
                 "LIQWATCH_DB", "LIQWATCH_WEBHOOK_URL"):
        monkeypatch.delenv(name, raising=False)
    return path


def test_every_table_of_one_file_lands_in_the_tree(config: Path) -> None:
    config.write_text(
        'fred_api_key = "abcdefabcdefabcdefabcdefabcdefab"\n'
        'eia_api_key = "eia-key-from-file"\n'
        "lock_timeout = 7.5\n"
        "[indicators.thresholds.sofr_iorb_bp]\nwatch = -12\nalert = 50\n"
        "[alerts]\nreport = \"/srv/liqwatch/report.html\"\n", encoding="utf-8")
    settings = load_settings()
    assert settings.fred_api_key is not None
    assert settings.fred_api_key.get_secret_value() == "abcdefabcdefabcdefabcdefabcdefab"
    assert settings.eia_api_key is not None
    assert settings.eia_api_key.get_secret_value() == "eia-key-from-file"
    assert settings.lock_timeout == 7.5
    assert settings.indicators.thresholds == {"sofr_iorb_bp": {"watch": -12, "alert": 50}}
    assert config_overrides() == {"sofr_iorb_bp": {"watch": -12, "alert": 50}}
    assert settings.alerts == {"report": "/srv/liqwatch/report.html"}
    assert load_alert_config().report == "/srv/liqwatch/report.html"
    assert "abcdef" not in repr(settings) and "eia-key" not in repr(settings)


def test_a_liqwatch_table_and_top_level_tables_combine(config: Path) -> None:
    config.write_text(
        "lock_timeout = 1\n"
        "[liqwatch]\nlock_timeout = 4\n"
        "[alerts.notifiers.console]\nenabled = false\n", encoding="utf-8")
    settings = load_settings()
    assert settings.lock_timeout == 4.0  # the [liqwatch] table wins
    assert load_alert_config().notifiers.console.enabled is False


def test_environment_and_flags_win_over_the_file(
        config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config.write_text('fred_api_key = "from-file"\nlock_timeout = 9\n', encoding="utf-8")
    monkeypatch.setenv("FRED_API_KEY", "from-env")
    monkeypatch.setenv("LIQWATCH_LOCK_TIMEOUT", "2")
    settings = load_settings()
    assert settings.fred_api_key is not None
    assert settings.fred_api_key.get_secret_value() == "from-env"
    assert settings.lock_timeout == 2.0
    flagged = load_settings(fred_api_key="from-flag")
    assert flagged.fred_api_key is not None
    assert flagged.fred_api_key.get_secret_value() == "from-flag"


def test_an_edited_file_is_read_again(config: Path) -> None:
    config.write_text("lock_timeout = 3\n", encoding="utf-8")
    assert load_settings().lock_timeout == 3.0
    config.write_text("lock_timeout = 30\n", encoding="utf-8")
    stat = config.stat()
    os.utime(config, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert load_settings().lock_timeout == 30.0


def test_bad_files_and_values_name_the_problem(config: Path) -> None:
    config.write_text("lock_timeout = [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"config\.toml is not valid TOML"):
        load_settings()
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_alert_config()
    with pytest.raises(ConfigError, match="not valid TOML"):
        config_overrides()
    config.write_text("lock_timeout = -1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="lock_timeout"):
        load_settings()
    config.write_text('[indicators]\nthresholds = "tight"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"indicators\.thresholds"):
        config_overrides()


def test_only_the_settings_module_reads_the_config_file() -> None:
    readers = sorted(
        str(p.relative_to(SRC)) for p in SRC.rglob("*.py")
        if p.name != "config.py" or p.parent != SRC
        if "config_file_path" in p.read_text(encoding="utf-8")
        or "\"LIQWATCH_CONFIG\"" in p.read_text(encoding="utf-8"))
    assert readers == []
