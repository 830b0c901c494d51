"""Benchmark of the reserve projections and nowcast on the real data.

Builds a store from the real series folder (``LIQWATCH_TEST_DATA`` or ``../shared/data/raw``)
in a temporary directory, then times, in a warm process:

* a 52-week ``current-policy`` projection with its sensitivity table (target < 1 s);
* the daily nowcast;
* the nowcast validation since 2022 and the projection validation windows.

Usage: ``python benchmarks/bench_scenarios.py [--repeat N]``. Prints medians in seconds.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from _util import describe, raw_dir, timeit

from liqwatch.importer import import_path
from liqwatch.scenarios import nowcast, project, validate_nowcast
from liqwatch.scenarios.validation import validate
from liqwatch.store import Store


def _projection(store: Store) -> None:
    res = project(store, "current-policy", weeks=52)
    _ = res.sensitivity


def main() -> None:
    """Run the benchmark and print one line per measurement."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.duckdb"
        with Store(path) as store:
            import_path(store, raw_dir())
        with Store(path, read_only=True) as store:
            print(describe("52-week projection + sensitivity table",
                           timeit(lambda: _projection(store), args.repeat), target=1.0))
            print(describe("nowcast (latest)", timeit(lambda: nowcast(store), args.repeat)))
            print(describe("nowcast validation since 2022",
                           timeit(lambda: validate_nowcast(store), max(3, args.repeat // 2))))
            print(describe("scenario validation (4 windows x 2 variants)",
                           timeit(lambda: validate(store), max(3, args.repeat // 2))))


if __name__ == "__main__":
    main()
