"""Shared fixtures: the real-data folder and a store loaded from it once per session."""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from liqwatch.importer import import_path
from liqwatch.store import Store

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _raw_dir() -> Path:
    return Path(os.environ.get("LIQWATCH_TEST_DATA", REPO.parent / "shared" / "data" / "raw"))


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    """The real series folder; skipped where absent, a failure under CI."""
    path = _raw_dir()
    if not (path / "SOFR.csv").is_file():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"real data folder {path} is missing under CI (LIQWATCH_TEST_DATA)")
        pytest.skip(f"real data folder {path} not found (set LIQWATCH_TEST_DATA)")
    return path


@pytest.fixture(scope="session")
def real_db(raw_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of a DuckDB store holding every real series (built once per session)."""
    path = tmp_path_factory.mktemp("realstore") / "real.duckdb"
    with Store(path) as store:
        report = import_path(store, raw_dir)
    assert not report.errors, report.errors
    return path


@pytest.fixture
def real_store(real_db: Path) -> Iterator[Store]:
    """A read-only connection to the real-data store (do not write to it)."""
    with Store(real_db, read_only=True) as store:
        yield store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A new empty store in a temporary file."""
    with Store(tmp_path / "test.duckdb") as s:
        yield s


CliRun = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> CliRun:
    """Run the ``liqwatch`` entry point with arguments; return (exit code, stdout, stderr)."""
    from liqwatch.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        with pytest.raises(SystemExit) as info:
            main(list(args))
        out, err = capsys.readouterr()
        code = info.value.code
        return (code if isinstance(code, int) else 0), out, err

    return run


_REAL_FIXTURES = {"raw_dir", "real_db", "real_store"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses the real data ``realdata``."""
    for item in items:
        if _REAL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.realdata)


@pytest.fixture
def narrow(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """Route the CLI's tables to an 80-column terminal; returns what they printed."""
    from rich.console import Console

    from liqwatch.cli import _common

    buf = io.StringIO()
    monkeypatch.setattr(_common, "console", Console(width=80, file=buf, highlight=False))
    return buf
