"""Small helpers shared by the benchmark scripts."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def raw_dir() -> Path:
    """The real data folder (``LIQWATCH_TEST_DATA`` or ``../shared/data/raw``)."""
    return Path(os.environ.get("LIQWATCH_TEST_DATA", REPO.parent / "shared" / "data" / "raw"))


def timeit(fn: Callable[[], object], repeat: int = 5, warmup: int = 1) -> list[float]:
    """Wall-clock seconds of ``repeat`` calls of ``fn`` after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def describe(name: str, times: list[float], target: float | None = None) -> str:
    """One result line: median, min, max and the ratio to the target."""
    med = statistics.median(times)
    spread = f"min {min(times):.3f}, max {max(times):.3f}, n={len(times)}"
    line = f"{name}: median {med:.3f} s ({spread})"
    if target is not None:
        line += f"; target {target:.1f} s, ratio {med / target:.2f}"
    return line
