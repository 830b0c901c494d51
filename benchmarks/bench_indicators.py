"""Benchmark of the indicator engine on the real data.

Builds a store from the real series folder (``LIQWATCH_TEST_DATA`` or ``../shared/data/raw``)
in a temporary directory, then times:

* ``history``: every indicator on every business day from 2003-01-02 (inputs cached, as in a
  warm process, and cold: inputs read from DuckDB first);
* ``compute``: every indicator as of one day: in a warm process (a different day each call,
  indicator frames memoised for the store's state), with inputs cached but no memo (the first
  call after a store change that only touched other series), and cold.

Usage: ``python benchmarks/bench_indicators.py [--repeat N]``. Prints medians in seconds.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd
from _util import raw_dir

from liqwatch.importer import import_path
from liqwatch.indicators import REGISTRY, compute, history
from liqwatch.indicators import inputs as inputs_mod
from liqwatch.store import Store


def _median(fn: Callable[[], object], repeat: int, before: Callable[[], None] | None = None
            ) -> float:
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    raw = raw_dir()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.duckdb"
        with Store(path) as store:
            import_path(store, raw)
        with Store(path, read_only=True) as store:
            end = date(2026, 9, 30)
            frame = history(store, end=end)
            days = frame["date"].nunique()
            memo = next(iter(inputs_mod._cache.values()))[1].memo
            full = _median(lambda: history(store, end=end), args.repeat, before=memo.clear)
            cold = _median(lambda: history(store, end=end), args.repeat,
                           before=inputs_mod._cache.clear)
            one_cold = _median(lambda: compute(store, "2020-03-17"), args.repeat,
                               before=inputs_mod._cache.clear)
            history(store, end=end)
            memo = next(iter(inputs_mod._cache.values()))[1].memo
            one_nomemo = _median(lambda: compute(store, "2020-03-17"), args.repeat,
                                 before=memo.clear)
            compute(store, "2020-03-17")
            steps = iter(pd.bdate_range("2010-01-04", periods=10 * args.repeat, freq="7B"))
            one = _median(lambda: compute(store, next(steps).date()), args.repeat)
    print(f"{len(REGISTRY)} indicators, {days} business days, {len(frame):,} rows; "
          f"median of {args.repeat} runs\n")
    print("| what | target | median | ratio |")
    print("|---|---|---|---|")
    print(f"| `history()`, all indicators, every business day 2003-01-02 to {end} "
          f"(inputs in memory) | < 2 s | {full:.3f} s | {full / 2:.2f} |")
    print(f"| same, cold (inputs read from DuckDB first) | < 2 s | {cold:.3f} s "
          f"| {cold / 2:.2f} |")
    print(f"| `compute()` one as-of day, warm process (a new day each call) | < 0.3 s "
          f"| {one:.3f} s "
          f"| {one / 0.3:.2f} |")
    print(f"| `compute()` one as-of day, inputs cached, no memo | < 0.3 s | {one_nomemo:.3f} s "
          f"| {one_nomemo / 0.3:.2f} |")
    print(f"| `compute()` one as-of day, cold | — | {one_cold:.3f} s | — |")


if __name__ == "__main__":
    main()
