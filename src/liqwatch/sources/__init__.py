"""Source clients and their connection settings.

Every base URL can be replaced (a mirror, a test server) by an environment variable:

=============  ============================  ====================================================
source         variable                      default
=============  ============================  ====================================================
fred           ``LIQWATCH_FRED_URL``         https://api.stlouisfed.org
fred (keyless) ``LIQWATCH_FREDGRAPH_URL``    https://fred.stlouisfed.org/graph/fredgraph.csv
nyfed          ``LIQWATCH_NYFED_URL``        https://markets.newyorkfed.org
fiscaldata     ``LIQWATCH_FISCALDATA_URL``   https://api.fiscaldata.treasury.gov/services/api/fiscal_service
ofr            ``LIQWATCH_OFR_URL``          https://data.financialresearch.gov/v1
ofr (FSI CSV)  ``LIQWATCH_OFR_FSI_URL``      https://www.financialresearch.gov/financial-stress-index/data/fsi.csv
eia            ``LIQWATCH_EIA_URL``          https://api.eia.gov
coinbase       ``LIQWATCH_COINBASE_URL``     https://api.exchange.coinbase.com
=============  ============================  ====================================================

When ``LIQWATCH_OFR_URL`` is set and ``LIQWATCH_OFR_FSI_URL`` is not, the FSI CSV is read from
``<LIQWATCH_OFR_URL>/fsi.csv``. ``LIQWATCH_MIN_INTERVAL_<SOURCE>`` (seconds) overrides the
pause between two requests to a source (FRED: 1 s by default); ``LIQWATCH_RETRY_ATTEMPTS``
(default 4) and ``LIQWATCH_RETRY_BACKOFF`` (first backoff in seconds, default 1, doubling) tune
the retries.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace

from liqwatch.catalog import SOURCES
from liqwatch.sources.base import (
    RateLimiter,
    RetryPolicy,
    SeriesData,
    Source,
    SourceSettings,
    redact,
)

__all__ = [
    "DEFAULT_URLS",
    "SOURCE_NAMES",
    "RateLimiter",
    "RetryPolicy",
    "SeriesData",
    "Source",
    "SourceSettings",
    "redact",
    "source_settings",
]

#: Sources ``liqwatch update`` knows, in the order they are reported.
#: Sources with a client: every catalog source but ``user``.
SOURCE_NAMES = tuple(name for name in SOURCES if name != "user")

DEFAULT_URLS = {
    "fred": "https://api.stlouisfed.org",
    "fredgraph": "https://fred.stlouisfed.org/graph/fredgraph.csv",
    "nyfed": "https://markets.newyorkfed.org",
    "fiscaldata": "https://api.fiscaldata.treasury.gov/services/api/fiscal_service",
    "ofr": "https://data.financialresearch.gov/v1",
    "ofr_fsi": "https://www.financialresearch.gov/financial-stress-index/data/fsi.csv",
    "eia": "https://api.eia.gov",
    "coinbase": "https://api.exchange.coinbase.com",
}

#: Minimum seconds between two requests to one source (politeness).
DEFAULT_INTERVALS = {
    "fred": 1.0, "fredgraph": 1.0, "nyfed": 0.5, "fiscaldata": 0.25, "ofr": 0.5, "eia": 0.5,
    "coinbase": 0.35,
}


def source_settings(
    name: str,
    env: Mapping[str, str] | None = None,
    *,
    retry: RetryPolicy | None = None,
    timeout: float | None = None,
) -> SourceSettings:
    """Connection settings of ``name`` (``fred``, ``fredgraph``, ``nyfed``, ...) from ``env``."""
    env = os.environ if env is None else env
    key = name.upper()
    base = env.get(f"LIQWATCH_{key}_URL") or DEFAULT_URLS[name]
    extra: dict[str, str] = {}
    if name == "ofr":
        fsi = env.get("LIQWATCH_OFR_FSI_URL")
        if fsi:
            extra["fsi"] = fsi
        elif not env.get("LIQWATCH_OFR_URL"):
            extra["fsi"] = DEFAULT_URLS["ofr_fsi"]
    interval = _number(env, f"LIQWATCH_MIN_INTERVAL_{key}", DEFAULT_INTERVALS[name])
    settings = SourceSettings(base_url=base, min_interval=interval, extra_urls=extra)
    if retry is None:
        retry = _retry_from_env(env)
    if retry is not None:
        settings = replace(settings, retry=retry)
    if timeout is not None:
        settings = replace(settings, timeout=timeout)
    return settings


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if not raw:
        return default
    try:
        return max(0.0, float(raw))
    except ValueError:
        from liqwatch.exceptions import ConfigError

        raise ConfigError(f"{name}={raw!r} is not a number") from None


def _retry_from_env(env: Mapping[str, str]) -> RetryPolicy | None:
    """``LIQWATCH_RETRY_ATTEMPTS`` and ``LIQWATCH_RETRY_BACKOFF`` (first wait, seconds)."""
    if not (env.get("LIQWATCH_RETRY_ATTEMPTS") or env.get("LIQWATCH_RETRY_BACKOFF")):
        return None
    base = RetryPolicy()
    initial = _number(env, "LIQWATCH_RETRY_BACKOFF", base.initial)
    return RetryPolicy(
        attempts=max(1, int(_number(env, "LIQWATCH_RETRY_ATTEMPTS", base.attempts))),
        initial=initial, maximum=max(initial, min(base.maximum, initial * 16)),
        jitter=min(base.jitter, initial), retry_after_cap=base.retry_after_cap,
    )
