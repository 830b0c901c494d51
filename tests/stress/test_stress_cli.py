"""Stress commands on an empty store: a clear data error (exit 2), no traceback."""

from __future__ import annotations

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


def test_start_after_end_is_a_user_error(tmp_path: Path,
                                         cli: CliRun) -> None:
    code, _, err = cli("--db", str(tmp_path / "e.duckdb"), "stress", "history",
                           "--start", "2020-01-02", "--end", "2020-01-01")
    assert code == 1 and "after --end" in err
