"""Benchmark of claim drafting and checking on the real data.

Run: ``python benchmarks/bench_claims.py [RAW_DIR]`` (default ``../shared/data/raw``). Builds a
temporary store from the real series once, then reports medians of repeated runs.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from liqwatch.claims import check, extract, render_html_section
from liqwatch.importer import import_path
from liqwatch.store import Store

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures" / "claims"


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``fn`` in milliseconds."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    raw = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "raw"
    en = (FIX / "commentary_en.txt").read_text(encoding="utf-8")
    ja = (FIX / "commentary_ja.txt").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.duckdb"
        with Store(path) as store:
            import_path(store, raw)
        with Store(path, read_only=True) as store:
            draft_en, draft_ja = extract(en), extract(ja)
            results = check(store, draft_en)
            rows = [
                ("extract, English commentary", len(draft_en), median_ms(lambda: extract(en), 20)),
                ("extract, Japanese commentary", len(draft_ja), median_ms(lambda: extract(ja), 20)),
                ("check, English commentary (cold cache)", len(draft_en),
                 median_ms(lambda: check(store, draft_en), 5)),
                ("check, Japanese commentary (cold cache)", len(draft_ja),
                 median_ms(lambda: check(store, draft_ja), 5)),
                ("render_html_section", len(results),
                 median_ms(lambda: render_html_section(results), 20)),
            ]
    print("| step | claims | median (ms) |")
    print("|---|---:|---:|")
    for name, n, ms in rows:
        print(f"| {name} | {n} | {ms:,.1f} |")


if __name__ == "__main__":
    main()
