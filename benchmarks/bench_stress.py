"""Stress benchmarks on the real data: the backtest (three methods, the overall status with its
leave-one-episode-out choice, every episode and found squeeze, the published indices), the
overall status for one day and for every day, one composite reading and one analog table.

Run: ``.venv/bin/python benchmarks/bench_stress.py`` (prints the detection tables too).

"Warm" calls reuse what the first call computed for the same store state (the stress layer
memoises its full real-time history with the indicator inputs); "cold" calls run in a new
process with nothing cached (imports excluded).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from _util import describe, raw_dir, timeit

from liqwatch.importer import import_path
from liqwatch.store import Store
from liqwatch.stress import BacktestResult, analogs, backtest, composite, overall_status
from liqwatch.stress.verdict import verdict_history

_COLD = """
import sys, time
from datetime import date
from liqwatch.store import Store
from liqwatch.stress import backtest, overall_status
with Store(sys.argv[1], read_only=True) as store:
    t0 = time.perf_counter()
    if sys.argv[2] == "backtest":
        backtest(store)
    else:
        overall_status(store, date(2025, 10, 31))
    print(time.perf_counter() - t0)
"""


def _cold(db: Path, what: str) -> float:
    """Seconds of one call in a fresh interpreter (imports excluded)."""
    out = subprocess.run([sys.executable, "-c", _COLD, str(db), what], check=True,
                         capture_output=True, text=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    folder = raw_dir()
    db = Path(tempfile.mkdtemp()) / "stress.duckdb"
    with Store(db) as store:
        import_path(store, folder)
    result: list[BacktestResult] = []
    with Store(db, read_only=True) as store:
        day = date(2025, 10, 31)
        print(describe("overall_status(store, 2025-10-31), warm", timeit(
            lambda: overall_status(store, day), repeat=20), target=1.0))
        print(describe("verdict_history(store), every business day since 2003, warm", timeit(
            lambda: verdict_history(store), repeat=20), target=1.0))
        print(describe("one reading: composite(store, as_of=2020-03-16), warm", timeit(
            lambda: composite(store, as_of=date(2020, 3, 16)), repeat=20), target=1.0))
        print(describe("analogs(store, 2025-10-31), warm", timeit(
            lambda: analogs(store, day, include_current=False), repeat=20), target=1.0))
        times = timeit(lambda: result.append(backtest(store)), repeat=5)
        print(describe("full backtest incl. leave-one-episode-out (60 grid points), warm",
                       times, target=10.0))
    print(describe("overall_status, first call in a new process (nothing cached)",
                   [_cold(db, "overall") for _ in range(5)], target=10.0))
    print(describe("full backtest, first call in a new process (nothing cached)",
                   [_cold(db, "backtest") for _ in range(3)], target=20.0))
    res = result[-1]
    for definition in ("strict", "warning"):
        print()
        print(f"Detection, {definition}:")
        print(res.detection_markdown(definition))
    print()
    print(res.held_out.to_string(index=False))


if __name__ == "__main__":
    main()
