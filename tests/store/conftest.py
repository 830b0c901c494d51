"""Fixtures of the store tests: every test here runs on DuckDB and on a real PostgreSQL."""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from liqwatch.store import Store

from .pgserver import PgServer

_schemas = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """URL of a PostgreSQL server: ``LIQWATCH_TEST_PG``, else one started for the session.

    Skipped where no server binaries are installed; a failure under CI, which installs them.
    """
    given = os.environ.get("LIQWATCH_TEST_PG")
    if given:
        yield given
        return
    try:
        server = PgServer()
    except FileNotFoundError as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{exc} under CI (.ci/run installs the postgresql package)")
        pytest.skip(str(exc))
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server_url: str) -> Iterator[str]:
    """A store URL of its own: a new schema of the test server, dropped afterwards."""
    import psycopg

    schema = f"t{os.getpid()}_{next(_schemas)}"
    with psycopg.connect(pg_server_url, autocommit=True) as con:
        con.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in pg_server_url else "?"
    yield f"{pg_server_url}{sep}options=-csearch_path%3D{schema}"
    with psycopg.connect(pg_server_url, autocommit=True) as con:
        con.execute("SET lock_timeout = '10s'")  # a connection a failed test left open
        with contextlib.suppress(psycopg.errors.LockNotAvailable):
            con.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["duckdb", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a new, empty store lives: a DuckDB file, or a PostgreSQL schema."""
    if request.param == "duckdb":
        return str(tmp_path / "test.duckdb")
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def store(location: str) -> Iterator[Store]:
    """A new empty writable store on each backend."""
    with Store(location) as s:
        yield s
