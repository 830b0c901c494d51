"""Core benchmarks: importing the real data folder into a new store; ``liqwatch status``.

Run: ``.venv/bin/python benchmarks/bench_core.py``
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from _util import describe, raw_dir, timeit

from liqwatch.importer import import_path
from liqwatch.store import Store


def bench_import(folder: Path) -> list[float]:
    """Import every file of ``folder`` into a new store file."""

    def run() -> None:
        with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "b.duckdb") as store:
            report = import_path(store, folder)
            assert not report.errors

    return timeit(run, repeat=5)


def bench_status(folder: Path) -> list[float]:
    """``liqwatch status --format json`` as a whole process on a loaded store."""
    tmp = tempfile.mkdtemp()
    db = Path(tmp) / "s.duckdb"
    with Store(db) as store:
        import_path(store, folder)
    cmd = [sys.executable, "-m", "liqwatch", "--db", str(db), "status", "--format", "json"]
    return timeit(lambda: subprocess.run(cmd, check=True, capture_output=True), repeat=7)


def main() -> None:
    folder = raw_dir()
    print(describe("import of the real data folder", bench_import(folder), target=3.0))
    print(describe("liqwatch status (whole process)", bench_status(folder), target=1.0))


if __name__ == "__main__":
    main()
