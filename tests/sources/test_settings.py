"""Base URLs, pacing and retries from the environment."""

from __future__ import annotations

import pytest

from liqwatch.exceptions import ConfigError
from liqwatch.sources import DEFAULT_URLS, source_settings


def test_defaults_and_overrides() -> None:
    fred = source_settings("fred", {})
    assert fred.base_url == DEFAULT_URLS["fred"] and fred.min_interval == 1.0
    env = {"LIQWATCH_NYFED_URL": "http://mirror.local/nyfed",
           "LIQWATCH_MIN_INTERVAL_NYFED": "0.1",
           "LIQWATCH_RETRY_ATTEMPTS": "2", "LIQWATCH_RETRY_BACKOFF": "0.05"}
    nyfed = source_settings("nyfed", env)
    assert nyfed.base_url == "http://mirror.local/nyfed" and nyfed.min_interval == 0.1
    assert nyfed.retry.attempts == 2 and nyfed.retry.initial == 0.05
    assert nyfed.retry.jitter <= 0.05


def test_ofr_fsi_url_follows_a_mirror() -> None:
    assert source_settings("ofr", {}).extra_urls["fsi"] == DEFAULT_URLS["ofr_fsi"]
    mirror = source_settings("ofr", {"LIQWATCH_OFR_URL": "http://m/ofr"})
    assert "fsi" not in mirror.extra_urls  # the client then reads <LIQWATCH_OFR_URL>/fsi.csv
    own = source_settings("ofr", {"LIQWATCH_OFR_FSI_URL": "http://m/fsi.csv"})
    assert own.extra_urls["fsi"] == "http://m/fsi.csv"


def test_bad_numbers_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="LIQWATCH_MIN_INTERVAL_FRED"):
        source_settings("fred", {"LIQWATCH_MIN_INTERVAL_FRED": "fast"})
