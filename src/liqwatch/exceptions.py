"""Errors and warnings raised by liqwatch.

One tree, so that callers can catch as broadly or as narrowly as they need::

    LiqwatchError
    ├── SourceError            a data source failed (carries ``source`` and ``series_id``)
    │   ├── TransportError     network failure or timeout
    │   ├── HTTPStatusError    unexpected HTTP status
    │   │   ├── AuthError      bad or missing API key
    │   │   ├── RefusedError   a keyless request refused (401/403: a network or rate block)
    │   │   ├── NotFoundError  unknown series or endpoint
    │   │   └── RateLimitedError  HTTP 429 after all retries
    │   └── SchemaError        payload does not match the expected format
    ├── ImportFileError        a local file could not be imported (file, line, problem)
    ├── InvalidDataError       an observation or series id failed validation (series, problem)
    ├── StoreError             the store failed or is inconsistent
    │   └── StoreLockedError   another process held the store past the lock timeout
    ├── IndicatorError         an indicator could not be computed
    ├── UnknownSeriesError     a series id is neither in the catalog nor in the store
    └── ConfigError            invalid configuration or argument

Warnings::

    LiqwatchWarning
    ├── StaleDataWarning       data older than its publication schedule allows
    ├── RevisionWarning        a stored value was revised
    └── UnknownSeriesWarning   a file was imported as a ``user`` series
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "AuthError",
    "ConfigError",
    "HTTPStatusError",
    "ImportFileError",
    "IndicatorError",
    "InvalidDataError",
    "LiqwatchError",
    "LiqwatchWarning",
    "NotFoundError",
    "RateLimitedError",
    "RefusedError",
    "RevisionWarning",
    "SchemaError",
    "SourceError",
    "StaleDataWarning",
    "StoreError",
    "StoreLockedError",
    "TransportError",
    "UnknownSeriesError",
    "UnknownSeriesWarning",
]


class LiqwatchError(Exception):
    """Base class of every error raised by liqwatch."""

    #: Process exit code the CLI uses for this error (1 user error, 2 data/source error).
    exit_code: int = 2


class SourceError(LiqwatchError):
    """A data source failed.

    Parameters
    ----------
    message
        What went wrong. Must never contain a secret.
    source
        Name of the source (``fred``, ``nyfed``, ...).
    series_id
        The series being fetched, when known.
    """

    def __init__(self, message: str, *, source: str, series_id: str | None = None) -> None:
        self.source = source
        self.series_id = series_id
        where = f"{source}" + (f" series {series_id}" if series_id else "")
        super().__init__(f"{where}: {message}")


class TransportError(SourceError):
    """The request could not be completed (connection failure, timeout)."""


class HTTPStatusError(SourceError):
    """The source answered with an unexpected HTTP status."""

    def __init__(
        self, message: str, *, source: str, status_code: int, series_id: str | None = None
    ) -> None:
        self.status_code = status_code
        super().__init__(f"HTTP {status_code}: {message}", source=source, series_id=series_id)


class AuthError(HTTPStatusError):
    """The API key is missing, invalid or not authorised."""


class RefusedError(HTTPStatusError):
    """A source that needs no key refused the request (HTTP 401/403).

    Usually a content-delivery network blocking the caller's network or address, or a rate
    block; retrying from the same network does not help.
    """


class NotFoundError(HTTPStatusError):
    """The series or endpoint does not exist at the source."""

    exit_code = 1


class RateLimitedError(HTTPStatusError):
    """The source kept answering HTTP 429 after every retry."""


class SchemaError(SourceError):
    """The payload does not have the expected shape; nothing from it was stored."""


class ImportFileError(LiqwatchError):
    """A local data file could not be imported.

    Parameters
    ----------
    path
        The file.
    problem
        What is wrong with it.
    line
        1-based line number in the file, when the problem is on one line.
    """

    def __init__(self, path: Path | str, problem: str, line: int | None = None) -> None:
        self.path = Path(path)
        self.problem = problem
        self.line = line
        where = f"{self.path}" + (f", line {line}" if line is not None else "")
        super().__init__(f"{where}: {problem}")


class InvalidDataError(LiqwatchError):
    """An observation or a series id failed validation (:mod:`liqwatch.validation`) on its way
    into the store; nothing of the series was written.

    Parameters
    ----------
    problem
        What is wrong, quoting the value.
    series_id
        The series, when known (named in the message when it is itself printable).
    """

    def __init__(self, problem: str, *, series_id: str | None = None) -> None:
        self.problem = problem
        self.series_id = series_id
        printable = bool(series_id) and series_id is not None and series_id.isascii() \
            and series_id.isprintable() and len(series_id) <= 64
        super().__init__(f"series {series_id}: {problem}" if printable else problem)


class StoreError(LiqwatchError):
    """The store could not be read or written."""


class StoreLockedError(StoreError):
    """Another process held the store for longer than the lock timeout.

    Parameters
    ----------
    where
        The store (a path, or a URL without its password).
    holder
        Who holds it, e.g. ``pid 4242 (liqwatch update)``.
    waited
        Seconds spent retrying.
    """

    def __init__(self, where: str, holder: str, waited: float) -> None:
        super().__init__(
            f"the store {where} is in use by {holder} (waited {waited:g} s): run the command "
            "again when that has finished, stop it, or wait longer with LIQWATCH_LOCK_TIMEOUT"
        )
        self.where = where
        self.holder = holder
        self.waited = waited


class IndicatorError(LiqwatchError):
    """An indicator could not be computed."""


class UnknownSeriesError(LiqwatchError):
    """A series id is neither in the catalog nor in the store."""

    exit_code = 1


class ConfigError(LiqwatchError):
    """Invalid configuration or argument."""

    exit_code = 1


class LiqwatchWarning(UserWarning):
    """Base class of liqwatch warnings."""


class StaleDataWarning(LiqwatchWarning):
    """A series has not been updated as its publication schedule says it should have."""


class RevisionWarning(LiqwatchWarning):
    """A stored value was revised by a newer vintage."""


class UnknownSeriesWarning(LiqwatchWarning):
    """A file whose name is not a catalogued series id was imported as a ``user`` series."""
