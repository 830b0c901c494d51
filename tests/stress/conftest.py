"""Real-data results of the stress layer, computed once per test session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from liqwatch.store import Store
from liqwatch.stress.event_study import BacktestResult, backtest
from liqwatch.stress.verdict import verdict_history


@pytest.fixture(scope="session")
def stress_store(real_db: Path) -> Iterator[Store]:
    """One read-only connection to the real-data store for the whole session."""
    with Store(real_db, read_only=True) as store:
        yield store


@pytest.fixture(scope="session")
def real_backtest(stress_store: Store) -> BacktestResult:
    """The backtest on the real data (methods, overall status, held-out scores)."""
    return backtest(stress_store)


@pytest.fixture(scope="session")
def real_verdict(stress_store: Store, real_backtest: BacktestResult) -> pd.DataFrame:
    """The overall status on every business day of the real data."""
    return verdict_history(stress_store)
