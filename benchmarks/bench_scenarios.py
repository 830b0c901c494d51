"""Benchmark of the reserve projections and nowcast on the real data.

Builds a store from the real series folder (``LIQWATCH_TEST_DATA`` or ``../shared/data/raw``)
in a temporary directory, then times, in a warm process:

* a 52-week ``current-policy`` projection with its sensitivity table (target < 1 s);
* the five presets, 52 weeks each (what the report's scenario section runs; target < 2 s);
* the daily nowcast;
* the nowcast validation since 2022 and the projection validation windows.

With ``--accuracy`` it also measures forecast accuracy out of the validation windows:
26-week projections from the first Wednesday of February, May, August and November of each
year 2018-2025, each as of the next day, against the published path (median and 90th
percentile of the absolute end error and of the path's mean absolute error, USD bn).

Usage: ``python benchmarks/bench_scenarios.py [--repeat N] [--accuracy]``.
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd
from _util import describe, raw_dir, timeit

from liqwatch.importer import import_path
from liqwatch.scenarios import PRESETS, balance_sheet, nowcast, project, validate_nowcast
from liqwatch.scenarios.validation import validate
from liqwatch.store import Store


def _projection(store: Store) -> None:
    res = project(store, "current-policy", weeks=52)
    _ = res.sensitivity


def _presets(store: Store) -> None:
    for name in PRESETS:
        project(store, name, weeks=52)


def accuracy(store: Store, weeks: int = 26) -> str:
    """Out-of-window accuracy of the projection (see the module docstring)."""
    bs = balance_sheet(store)
    starts = [d for d in pd.date_range("2018-01-01", "2025-06-30", freq="W-WED")
              if d.month in (2, 5, 8, 11) and d.day <= 7]
    ends, maes = [], []
    for st in starts:
        span = bs.loc[st: st + pd.Timedelta(weeks=weeks)]
        if len(span) < weeks + 1 or span.index[0] != st:
            continue
        res = project(store, weeks=weeks, as_of=(st + timedelta(days=1)).date())
        err = res.path["reserves_bn"].to_numpy() - span["reserves"].to_numpy() / 1e3
        ends.append(abs(err[-1]))
        maes.append(float(np.abs(err).mean()))
    e, m = np.array(ends), np.array(maes)
    return (f"accuracy, {len(e)} starts, {weeks} weeks: end error median {np.median(e):.0f}bn, "
            f"p90 {np.quantile(e, 0.9):.0f}bn; path MAE median {np.median(m):.0f}bn, "
            f"p90 {np.quantile(m, 0.9):.0f}bn")


def main() -> None:
    """Run the benchmark and print one line per measurement."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--accuracy", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.duckdb"
        with Store(path) as store:
            import_path(store, raw_dir())
        with Store(path, read_only=True) as store:
            print(describe("52-week projection + sensitivity table",
                           timeit(lambda: _projection(store), args.repeat), target=1.0))
            print(describe("five presets, 52 weeks each",
                           timeit(lambda: _presets(store), max(3, args.repeat // 2)),
                           target=2.0))
            print(describe("nowcast (latest)", timeit(lambda: nowcast(store), args.repeat)))
            print(describe("nowcast validation since 2022",
                           timeit(lambda: validate_nowcast(store), max(3, args.repeat // 2))))
            print(describe("scenario validation (6 windows x 2 variants)",
                           timeit(lambda: validate(store), max(3, args.repeat // 2))))
            if args.accuracy:
                print(accuracy(store))


if __name__ == "__main__":
    main()
