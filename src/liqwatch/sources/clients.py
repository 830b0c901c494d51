"""One client per source, built from the settings (API keys) and the connection options."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import httpx

from liqwatch.config import Settings
from liqwatch.sources import RetryPolicy, source_settings
from liqwatch.sources.base import Source, SourceSettings
from liqwatch.sources.coinbase import CoinbaseClient
from liqwatch.sources.eia import EiaClient
from liqwatch.sources.fiscaldata import FiscalDataClient
from liqwatch.sources.fred import FredClient, FredgraphClient
from liqwatch.sources.nyfed import NyfedClient
from liqwatch.sources.ofr import OfrClient

__all__ = ["USER_AGENT", "build_clients"]

#: Sent with every request.
USER_AGENT = "liqwatch (+https://github.com/liqwatch/liqwatch)"

_KEYLESS: dict[str, type[Source]] = {
    "nyfed": NyfedClient, "fiscaldata": FiscalDataClient, "ofr": OfrClient,
    "coinbase": CoinbaseClient,
}


def build_clients(
    names: Sequence[str],
    http: httpx.Client,
    settings: Settings,
    notes: list[str],
    *,
    env: Mapping[str, str] | None = None,
    retry: RetryPolicy | None = None,
    timeout: float | None = None,
    min_interval: float | None = None,
) -> dict[str, Source | str]:
    """A client per source name, or the reason the source is skipped (no EIA key).

    Parameters
    ----------
    names
        Source names (``fred``, ``nyfed``, ...).
    http
        The shared HTTP client.
    settings
        API keys; FRED without a key uses the keyless ``fredgraph.csv``.
    notes
        Receives run-level messages (a missing key), each once.
    env, retry, timeout, min_interval
        Connection options (base URLs from ``env``, retries, timeout, pacing).
    """

    def conf(name: str) -> SourceSettings:
        s = source_settings(name, env, retry=retry, timeout=timeout)
        return s if min_interval is None else replace(s, min_interval=min_interval)

    out: dict[str, Source | str] = {}
    for name in names:
        if name == "fred":
            key = settings.fred_api_key.get_secret_value() if settings.fred_api_key else None
            if key:
                out[name] = FredClient(http, conf("fred"), api_key=key)
            else:
                notes.append("FRED: no API key (--fred-api-key, LIQWATCH_FRED_API_KEY, "
                             "FRED_API_KEY or the config file); using the keyless "
                             "fredgraph.csv: current values only, no vintages.")
                out[name] = FredgraphClient(http, conf("fredgraph"))
        elif name == "eia":
            key = settings.eia_api_key.get_secret_value() if settings.eia_api_key else None
            if key:
                out[name] = EiaClient(http, conf("eia"), api_key=key)
            else:
                out[name] = "no EIA API key (LIQWATCH_EIA_API_KEY or EIA_API_KEY)"
                notes.append("EIA: no API key (LIQWATCH_EIA_API_KEY or EIA_API_KEY); "
                             "RCLC1-4 skipped.")
        else:
            out[name] = _KEYLESS[name](http, conf(name))
    return out
