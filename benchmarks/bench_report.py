"""Report benchmarks: ``liqwatch report`` as a whole process on the real data; report size.

Run: ``.venv/bin/python benchmarks/bench_report.py``
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from _util import describe, raw_dir, timeit

from liqwatch.importer import import_path
from liqwatch.store import Store


def loaded_store(folder: Path) -> Path:
    """A store file holding every real series."""
    db = Path(tempfile.mkdtemp()) / "r.duckdb"
    with Store(db) as store:
        import_path(store, folder)
    return db


def bench_report(db: Path, *extra: str) -> tuple[list[float], int]:
    """``liqwatch report`` as a whole process; returns the times and the file size."""
    out = db.parent / "report.html"
    cmd = [sys.executable, "-m", "liqwatch", "--db", str(db), "report", "--out", str(out),
           *extra]
    times = timeit(lambda: subprocess.run(cmd, check=True, capture_output=True), repeat=5)
    return times, out.stat().st_size


def main() -> None:
    db = loaded_store(raw_dir())
    for label, extra in (("latest, en", ()), ("latest, ja", ("--lang", "ja")),
                         ("as of 2019-09-18, en", ("--as-of", "2019-09-18"))):
        times, size = bench_report(db, *extra)
        print(describe(f"liqwatch report ({label}), whole process", times, target=5.0)
              + f"; size {size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
