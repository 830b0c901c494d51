"""Where a store lives: a DuckDB file (the default), ``:memory:``, or a PostgreSQL URL.

``--db`` and ``LIQWATCH_DB`` take either a path (``~/liqwatch.duckdb``) or a URL
(``postgresql://user@host:5432/liqwatch``, also ``postgres://``). A URL's password is never
shown: :attr:`StoreLocation.display` redacts it, and every message uses that form.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from liqwatch.exceptions import ConfigError

__all__ = ["MEMORY", "StoreLocation", "parse_location"]

MEMORY = ":memory:"
_PG_SCHEMES = ("postgresql", "postgres")

Backend = Literal["duckdb", "postgresql"]


@dataclass(frozen=True)
class StoreLocation:
    """A parsed store location.

    Attributes
    ----------
    backend
        ``"duckdb"`` or ``"postgresql"``.
    target
        The DuckDB file path (or ``":memory:"``), or the full PostgreSQL connection URL
        (with its password, if any: pass it to the driver only).
    """

    backend: Backend
    target: str

    @property
    def is_memory(self) -> bool:
        """An in-memory DuckDB store (nothing on disk)."""
        return self.backend == "duckdb" and self.target == MEMORY

    @property
    def path(self) -> Path:
        """The DuckDB file; :class:`ConfigError` for other locations."""
        if self.backend != "duckdb" or self.is_memory:
            raise ConfigError(f"{self.display} is not a store file")
        return Path(self.target)

    @property
    def display(self) -> str:
        """The location as shown to users: a path, or the URL without its password."""
        if self.backend == "duckdb":
            return self.target
        return redact_url(self.target)

    def __str__(self) -> str:
        return self.display


def redact_url(url: str) -> str:
    """``url`` with the password (and any ``password=`` query value) replaced by ``***``."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        if ":" in userinfo:
            userinfo = userinfo.split(":", 1)[0] + ":***"
        netloc = f"{userinfo}@{host}"
    query = "&".join(
        f"{k}=***" if k.lower() == "password" else f"{k}={v}" if sep else k
        for k, sep, v in (item.partition("=") for item in parts.query.split("&") if item)
    )
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def parse_location(value: str | Path | StoreLocation) -> StoreLocation:
    """Parse ``--db``: a DuckDB path, ``:memory:``, or a ``postgresql://`` URL.

    Examples
    --------
    >>> parse_location("postgresql://ana:pw@db.example/liqwatch").display
    'postgresql://ana:***@db.example/liqwatch'
    >>> parse_location("store.duckdb").backend
    'duckdb'
    """
    if isinstance(value, StoreLocation):
        return value
    if isinstance(value, Path):
        return StoreLocation("duckdb", str(value.expanduser()))
    text = value.strip()
    if not text:
        raise ConfigError("--db is empty: give a store file or a postgresql:// URL")
    scheme = text.split("://", 1)[0].lower() if "://" in text else ""
    if scheme in _PG_SCHEMES:
        if not urlsplit(text).path.strip("/") and "dbname=" not in text:
            raise ConfigError(
                f"{redact_url(text)} names no database: add one, e.g. "
                "postgresql://user@host:5432/liqwatch"
            )
        return StoreLocation("postgresql", text)
    if scheme == "duckdb":
        return parse_location(Path(text.split("://", 1)[1]))
    if scheme:
        raise ConfigError(
            f"--db {redact_url(text)}: unknown scheme {scheme!r}; use a DuckDB file path or "
            "a postgresql:// URL"
        )
    if text == MEMORY:
        return StoreLocation("duckdb", MEMORY)
    return StoreLocation("duckdb", str(Path(text).expanduser()))
