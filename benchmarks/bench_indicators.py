"""Benchmark of the indicator engine on the real data.

Builds a store from the real series folder (``LIQWATCH_TEST_DATA`` or ``../shared/data/raw``)
in a temporary directory, then times:

* ``history``: every indicator on every business day from 2003-01-02 (inputs cached, as in a
  warm process, and cold: inputs read from DuckDB first);
* ``compute``: every indicator as of one day, in a warm process.

Usage: ``python benchmarks/bench_indicators.py [--repeat N]``. Prints medians in seconds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from liqwatch.importer import import_path
from liqwatch.indicators import REGISTRY, compute, history
from liqwatch.indicators import inputs as inputs_mod
from liqwatch.store import Store

REPO = Path(__file__).resolve().parent.parent


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
    raw = Path(os.environ.get("LIQWATCH_TEST_DATA", REPO.parent / "shared" / "data" / "raw"))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.duckdb"
        with Store(path) as store:
            import_path(store, raw)
        with Store(path, read_only=True) as store:
            end = date(2026, 9, 30)
            frame = history(store, end=end)
            days = frame["date"].nunique()
            cold = _median(lambda: history(store, end=end), args.repeat,
                           before=inputs_mod._cache.clear)
            warm = _median(lambda: history(store, end=end), args.repeat)
            one_cold = _median(lambda: compute(store, "2020-03-17"), args.repeat,
                               before=inputs_mod._cache.clear)
            one = _median(lambda: compute(store, "2020-03-17"), args.repeat)
    print(f"{len(REGISTRY)} indicators, {days} business days, {len(frame):,} rows; "
          f"median of {args.repeat} runs\n")
    print("| operation | median (s) | target (s) |")
    print("|---|---:|---:|")
    print(f"| history, all indicators 2003-01-02 to {end}, warm | {warm:.3f} | 2 |")
    print(f"| history, same, cold (inputs read from DuckDB) | {cold:.3f} | 2 |")
    print(f"| compute one as-of day, warm process | {one:.3f} | 0.3 |")
    print(f"| compute one as-of day, cold (inputs read from DuckDB) | {one_cold:.3f} | — |")


if __name__ == "__main__":
    main()
