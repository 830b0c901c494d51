"""Stress benchmarks: the full backtest (three methods, every episode, published indices) on
the real data, and one as-of reading.

Run: ``.venv/bin/python benchmarks/bench_stress.py`` (prints the detection table too).
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
from liqwatch.stress import BacktestResult, backtest, composite

_COLD = """
import sys, time
from liqwatch.store import Store
from liqwatch.stress import backtest
with Store(sys.argv[1], read_only=True) as store:
    t0 = time.perf_counter()
    backtest(store)
    print(time.perf_counter() - t0)
"""


def _cold_backtest(db: Path) -> float:
    """Seconds of one backtest call in a fresh interpreter (imports excluded)."""
    out = subprocess.run([sys.executable, "-c", _COLD, str(db)], check=True,
                         capture_output=True, text=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    folder = raw_dir()
    db = Path(tempfile.mkdtemp()) / "stress.duckdb"
    with Store(db) as store:
        import_path(store, folder)
    result: list[BacktestResult] = []
    with Store(db, read_only=True) as store:
        times = timeit(lambda: result.append(backtest(store)), repeat=5)
        print(describe("full backtest (3 methods, all episodes, STLFSI4/NFCI/OFR FSI)", times,
                       target=10.0))
        one = timeit(lambda: composite(store, as_of=date(2020, 3, 16)), repeat=5)
        print(describe("one reading: composite(store, as_of=2020-03-16)", one, target=3.0))
    print(describe("full backtest, first call in a new process (no cache of any kind)",
                   [_cold_backtest(db) for _ in range(5)], target=10.0))
    res = result[-1]
    print()
    print(res.detection_markdown())
    print()
    print(res.summary())


if __name__ == "__main__":
    main()
