"""Benchmark: ``run_update`` of the full catalog against a local server holding ten years of
SYNTHETIC daily data per series (tests/sources/simulator.py), in every source's format.

Reports wall time, requests, and where the time goes: HTTP (local server), rate-limiter
waits, parsing, storing. Run from the repository root::

    .venv/bin/python benchmarks/bench_update.py            # unpaced runs (median of 3)
    .venv/bin/python benchmarks/bench_update.py --paced    # plus one run at the real pacing
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "sources"))

from pytest_httpserver import HTTPServer  # noqa: E402
from simulator import SourceSimulator  # noqa: E402

from liqwatch.config import Settings  # noqa: E402
from liqwatch.store import Store  # noqa: E402
from liqwatch.update import UpdateOptions, UpdateReport, run_update  # noqa: E402

KEYS = Settings(fred_api_key="0" * 32, eia_api_key="0" * 32)


def _one(sim: SourceSimulator, server: HTTPServer, paced: bool,
         incremental: bool = False) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.duckdb")
        options = UpdateOptions(env=sim.env(server), min_interval=None if paced else 0.0)
        report: UpdateReport = run_update(store, settings=KEYS, options=options)
        if incremental:
            sim.extend(1)
            report = run_update(store, settings=KEYS, options=options)
        store.close()
    assert report.exit_code == 0, [o.error for o in report.failed]
    t = report.timings
    total = t["total"]
    work = t["parse"] + t["store"]
    return {
        "wall_s": total, "requests": float(sum(report.requests.values())),
        "fred_requests": float(report.requests.get("fred", 0)),
        "rows": float(report.rows_new + report.rows_revised),
        "http_s": t["http"], "limiter_wait_s": t["rate_limit_wait"],
        "parse_s": t["parse"], "store_s": t["store"],
        "parse_store_share": work / total,
    }


def _median(runs: list[dict[str, float]]) -> dict[str, float]:
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def _line(label: str, m: dict[str, float]) -> str:
    return (f"| {label} | {m['wall_s']:.1f} | {m['requests']:.0f} ({m['fred_requests']:.0f} "
            f"FRED) | {m['rows']:,.0f} | {m['http_s']:.1f} | {m['limiter_wait_s']:.1f} | "
            f"{m['parse_s']:.1f} | {m['store_s']:.1f} | {100 * m['parse_store_share']:.0f}% |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--years", type=float, default=10.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--paced", action="store_true", help="also run at the real pacing")
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = HTTPServer(threaded=True)
    server.start()
    try:
        results: list[tuple[str, dict[str, float]]] = []

        def fresh() -> SourceSimulator:
            sim = SourceSimulator(years=args.years)
            server.clear()
            sim.install(server)
            return sim

        sim = fresh()
        print(f"synthetic: {len(sim.specs)} series, {args.years:g} years", file=sys.stderr)
        full = [_one(fresh(), server, paced=False) for _ in range(args.repeat)]
        results.append(("full catalog, unpaced", _median(full)))
        inc = [_one(fresh(), server, paced=False, incremental=True)
               for _ in range(args.repeat)]
        results.append(("incremental (next day), unpaced", _median(inc)))
        if args.paced:
            results.append(("full catalog, real pacing (1 run)",
                            _one(fresh(), server, paced=True)))
        print("| run | wall s | requests | rows | HTTP s | limiter wait s | parse s | "
              "store s | parse+store / wall |")
        print("|---|---|---|---|---|---|---|---|---|")
        for label, m in results:
            print(_line(label, m))
    finally:
        server.stop()


if __name__ == "__main__":
    t0 = time.perf_counter()
    main()
    print(f"benchmark took {time.perf_counter() - t0:.0f} s", file=sys.stderr)
