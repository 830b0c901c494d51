"""One settings tree from the environment and an optional TOML config file.

Order of precedence (highest first): explicit arguments (CLI flags), environment variables
(``LIQWATCH_*``; the FRED key also from ``FRED_API_KEY``), the config file
(``$LIQWATCH_CONFIG`` or ``<user config dir>/liqwatch/config.toml``), defaults. A config file
that holds a secret (an API key, the webhook URL, the SMTP password) and that other users can
read is used, with a warning.

The config file is read here only, through pydantic-settings' TOML source: its top-level keys
(or a ``[liqwatch]`` table) are :class:`Settings` fields, ``[indicators.thresholds.<id>]``
tables are :attr:`Settings.indicators`, the ``[alerts]`` table is :attr:`Settings.alerts`
(validated by :mod:`liqwatch.alerts.config`), and ``[stress.verdict]`` is
:attr:`Settings.stress`.
"""

from __future__ import annotations

import copy
import functools
import logging
import os
import stat as stat_mode
import tomllib
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    StrictBool,
    ValidationError,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from liqwatch.exceptions import ConfigError
from liqwatch.store.backend import DEFAULT_LOCK_TIMEOUT
from liqwatch.store.location import StoreLocation, parse_location

APP_NAME = "liqwatch"

log = logging.getLogger(__name__)


def default_db_path() -> Path:
    """Return the default store path in the user data directory."""
    return Path(platformdirs.user_data_dir(APP_NAME)) / "liqwatch.duckdb"


def config_file_path() -> Path:
    """Return the config file path (``LIQWATCH_CONFIG`` or the user config directory)."""
    explicit = os.environ.get("LIQWATCH_CONFIG")
    if explicit:
        return Path(explicit)
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


@functools.lru_cache(maxsize=8)
def _parse(path: Path, mtime_ns: int, size: int) -> dict[str, Any]:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
    table = raw.get("liqwatch", {})
    if not isinstance(table, dict):
        raise ConfigError(f"config file {path}: [liqwatch] must be a table")
    # Keys in a [liqwatch] table win over the same keys at the top level.
    return {**{k: v for k, v in raw.items() if k != "liqwatch"}, **table}


def read_config_file(path: Path) -> dict[str, Any]:
    """The settings table of a TOML config file: its ``[liqwatch]`` table, or its top level.

    The parse is cached until the file changes (its modification time or size).

    Raises
    ------
    ConfigError
        When the file cannot be read or is not valid TOML (the message names the file).
    """
    try:
        stat = path.stat()
    except OSError as exc:
        raise ConfigError(f"config file {path} cannot be read: {exc.strerror}") from None
    table = _parse(path, stat.st_mtime_ns, stat.st_size)
    secrets = secrets_in(table)
    if secrets and stat.st_mode & (stat_mode.S_IRGRP | stat_mode.S_IROTH):
        _warn_readable(path, stat.st_mode, " and ".join(secrets))
    return copy.deepcopy(table)


def secrets_in(table: dict[str, Any]) -> list[str]:
    """The secret settings a config table holds (names only, never values)."""
    found = [k for k, v in table.items() if k.endswith("_api_key") and v]
    alerts = table.get("alerts")
    for holder in (alerts if isinstance(alerts, dict) else {}, table):  # or a rules file
        notifiers = holder.get("notifiers")
        if not isinstance(notifiers, dict):
            continue
        for channel, key in (("webhook", "url"), ("email", "password")):
            entry = notifiers.get(channel)
            if isinstance(entry, dict) and entry.get(key):
                found.append(f"the {channel} {key}")
    return list(dict.fromkeys(found))


@functools.lru_cache(maxsize=8)
def _warn_readable(path: Path, mode: int, what: str) -> None:
    """Warn once per file and mode that other users can read the secrets in ``path``."""
    log.warning("config file %s holds %s and other users can read it (mode %s); "
                "restrict it with: chmod 600 %s", path, what, stat_mode.filemode(mode), path)


class _ConfigFileSource(TomlConfigSettingsSource):
    """pydantic-settings' TOML source on the liqwatch config file (see :func:`read_config_file`)."""

    def __init__(self, settings_cls: type[BaseSettings]) -> None:
        super().__init__(settings_cls, toml_file=config_file_path())

    def _read_file(self, file_path: object) -> dict[str, Any]:
        return read_config_file(Path(str(file_path)))


class IndicatorSettings(BaseModel):
    """The ``[indicators]`` table: threshold overrides per indicator id."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    thresholds: dict[str, dict[str, Any]] = Field(default_factory=dict)
    """``[indicators.thresholds.<id>]`` tables (see docs/indicators.md)."""


class VerdictSettings(BaseModel):
    """The ``[stress.verdict]`` table: the verdict settings a user may change (see
    docs/stress.md); None keeps the package's value."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    calendar: StrictBool | None = None
    """Read the SOFR spreads that confirm a tight regime against the funding calendar."""
    calendar_excess_bp: float | None = Field(default=None, strict=True)
    """The excess over the usual print on the kind of day an event-day print needs."""


class StressSettings(BaseModel):
    """The ``[stress]`` table."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    verdict: VerdictSettings = Field(default_factory=VerdictSettings)
    """``[stress.verdict]``."""


class Settings(BaseSettings):
    """liqwatch settings. Secrets are :class:`pydantic.SecretStr` and never printed."""

    model_config = SettingsConfigDict(env_prefix="LIQWATCH_", frozen=True, extra="ignore")

    db: str = Field(default_factory=lambda: str(default_db_path()))
    """The store: a DuckDB file path, or a ``postgresql://`` URL (``LIQWATCH_DB``)."""
    lock_timeout: float = Field(default=DEFAULT_LOCK_TIMEOUT, gt=0)
    """Seconds to wait for a store another process holds (``LIQWATCH_LOCK_TIMEOUT``)."""
    snapshot_dir: Path | None = None
    lang: Literal["en", "ja"] = "en"
    """Language of tables, explanations, reports and alert messages (``LIQWATCH_LANG``, the
    config file's ``lang``; every command's ``--lang`` overrides it)."""
    fred_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("LIQWATCH_FRED_API_KEY", "FRED_API_KEY")
    )
    eia_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("LIQWATCH_EIA_API_KEY", "EIA_API_KEY")
    )
    indicators: IndicatorSettings = Field(default_factory=IndicatorSettings)
    """Indicator settings (the ``[indicators]`` table)."""
    alerts: dict[str, Any] = Field(default_factory=dict)
    """The ``[alerts]`` table, merged with the package defaults and validated by
    :func:`liqwatch.alerts.config.load_alert_config`."""
    stress: StressSettings = Field(default_factory=StressSettings)
    """Stress-layer settings (the ``[stress]`` table)."""

    @property
    def store_location(self) -> StoreLocation:
        """:attr:`db` parsed (a :class:`ConfigError` names what is wrong with it)."""
        return parse_location(self.db)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, _ConfigFileSource(settings_cls))


def load_settings(**overrides: Any) -> Settings:
    """Load settings, applying ``overrides`` (CLI flags) that are not ``None``."""
    given: dict[str, Any] = {k: str(v) if k == "db" and isinstance(v, Path) else v
             for k, v in overrides.items() if v is not None}
    try:
        return Settings(**given)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(x) for x in e['loc']) or 'settings'}: {e['msg']}"
            for e in exc.errors())
        raise ConfigError(f"invalid settings: {problems}") from None
