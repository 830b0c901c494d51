"""Stress commands on an empty store: a clear data error (exit 2), no traceback."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest

CliRun = Callable[..., tuple[int, str, str]]


@pytest.mark.parametrize("args", [["stress"], ["stress", "history"], ["backtest"], ["analogs"],
                                  ["stress", "--format", "json"]])
def test_empty_store_is_a_data_error(tmp_path: Path, cli: CliRun,
                                     args: list[str]) -> None:
    code, out, err = cli("--db", str(tmp_path / "empty.duckdb"), *args)
    assert code == 2
    assert "no indicator values" in err and "liqwatch import" in err
    assert "Traceback" not in err and out == ""


def test_bad_plot_suffix_is_a_user_error(tmp_path: Path,
                                         cli: CliRun) -> None:
    code, _, err = cli("--db", str(tmp_path / "empty.duckdb"), "backtest",
                           "--plot", "chart.svg")
    assert code == 1 and ".png or .html" in err


def test_plot_into_a_missing_folder_fails_before_the_backtest(tmp_path: Path,
                                                               cli: CliRun) -> None:
    """On an empty store the backtest itself would fail (exit 2): exit 1 proves the order."""
    code, _, err = cli("--db", str(tmp_path / "empty.duckdb"), "backtest",
                       "--plot", str(tmp_path / "nope" / "bt.png"))
    assert code == 1 and "does not exist" in err and "Traceback" not in err


def test_start_after_end_is_a_user_error(tmp_path: Path,
                                         cli: CliRun) -> None:
    code, _, err = cli("--db", str(tmp_path / "e.duckdb"), "stress", "history",
                           "--start", "2020-01-02", "--end", "2020-01-01")
    assert code == 1 and "after --end" in err


def test_analogs_table_readable_at_80_columns(real_db: Path, narrow: io.StringIO,
                                              cli: CliRun) -> None:
    """Headers and numbers whole: columns that do not fit are left out, with a note."""
    code, _, err = cli("--db", str(real_db), "analogs", "--as-of", "2019-09-18")
    assert code == 0, err
    text = narrow.getvalue()
    assert max(len(line) for line in text.splitlines()) <= 80
    header = next(line for line in text.splitlines() if "episode" in line)
    assert "similarity" in header and "n_signals" in header and "decided_by" in header
    assert "a plumbing day" in text
    assert re.search(r"│ Jan 2019 \(found\) │[^│]*│\s+0\.\d{4} │\s+\d+ │", text)
    assert "hidden to fit the terminal" in text
