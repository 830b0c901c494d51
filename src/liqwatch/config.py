"""Settings from the environment and an optional TOML config file.

Order of precedence (highest first): explicit arguments (CLI flags), environment variables
(``LIQWATCH_*``; the FRED key also from ``FRED_API_KEY``), the config file
(``$LIQWATCH_CONFIG`` or ``<user config dir>/liqwatch/config.toml``; keys such as
``fred_api_key`` in its ``[liqwatch]`` table or at its top level), defaults. A config file
that holds a secret and that other users can read is used, with a warning.
"""

from __future__ import annotations

import logging
import os
import stat
import tomllib
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import AliasChoices, AliasPath, Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

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


class _TomlSource(PydanticBaseSettingsSource):
    """Reads the ``[liqwatch]`` table (or the top level) of the config file."""

    def __init__(self, settings_cls: type[BaseSettings]) -> None:
        super().__init__(settings_cls)
        path = config_file_path()
        self._data: dict[str, Any] = {}
        if path.is_file():
            try:
                raw = tomllib.loads(path.read_text(encoding="utf-8"))
            except tomllib.TOMLDecodeError as exc:
                raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
            table = raw.get("liqwatch", raw)
            self._data = {k: v for k, v in table.items() if not isinstance(v, dict)}
            secrets = [k for k in self._data if k.endswith("_api_key")]
            if secrets:
                warn_if_readable(path, " and ".join(secrets))

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return self._data.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        fields = self.settings_cls.model_fields
        return {_input_name(fields[k].validation_alias, k): v for k, v in self._data.items()
                if k in fields}


def _input_name(alias: str | AliasPath | AliasChoices | None, name: str) -> str:
    """The key the model accepts for field ``name`` (its first alias, when it has one)."""
    if isinstance(alias, AliasChoices):
        first = alias.choices[0]
        return first if isinstance(first, str) else name
    return alias if isinstance(alias, str) else name


def warn_if_readable(path: Path, what: str) -> bool:
    """Log a warning when ``path``, which holds ``what``, is readable by other users; True
    when it is."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    if not mode & (stat.S_IRGRP | stat.S_IROTH):
        return False
    log.warning("config file %s holds %s and other users can read it (mode %s); "
                "restrict it with: chmod 600 %s", path, what, stat.filemode(mode), path)
    return True


class Settings(BaseSettings):
    """liqwatch settings. Secrets are :class:`pydantic.SecretStr` and never printed."""

    model_config = SettingsConfigDict(env_prefix="LIQWATCH_", frozen=True, extra="ignore")

    db: str = Field(default_factory=lambda: str(default_db_path()))
    """The store: a DuckDB file path, or a ``postgresql://`` URL (``LIQWATCH_DB``)."""
    lock_timeout: float = Field(default=DEFAULT_LOCK_TIMEOUT, gt=0)
    """Seconds to wait for a store another process holds (``LIQWATCH_LOCK_TIMEOUT``)."""
    snapshot_dir: Path | None = None
    fred_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("LIQWATCH_FRED_API_KEY", "FRED_API_KEY")
    )
    eia_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("LIQWATCH_EIA_API_KEY", "EIA_API_KEY")
    )

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
        return (init_settings, env_settings, _TomlSource(settings_cls))


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
