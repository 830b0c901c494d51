"""The two store backends side by side: DuckDB file and PostgreSQL.

Per backend: import of the real data into a new store, ``liqwatch status`` and ``liqwatch
report`` as whole processes, the full indicator history read cold from the store, and the
latency of ``liqwatch serve`` for ``/api/status`` and ``/api/indicators`` under 100 concurrent
requests while ``liqwatch update`` runs against the synthetic source server.

PostgreSQL: ``LIQWATCH_BENCH_PG`` (a URL of a database to use; a schema per run is created in
it), else a throw-away server started like the tests' (``tests/store/pgserver.py``).

Run: ``.venv/bin/python benchmarks/bench_store.py [--repeat N]``
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
from _util import REPO, describe, raw_dir, timeit

from liqwatch.importer import import_path
from liqwatch.indicators import history
from liqwatch.store import Store

sys.path.insert(0, str(REPO / "tests" / "store"))
sys.path.insert(0, str(REPO / "tests" / "sources"))
from pgserver import PgServer, free_port, stop_process
from simulator import SourceSimulator

CLI = [sys.executable, "-m", "liqwatch"]
_schemas = iter(range(1, 10_000))


@contextmanager
def postgres() -> Iterator[Callable[[], str]]:
    """A function returning the URL of a new, empty store on a PostgreSQL server."""
    import psycopg

    given = os.environ.get("LIQWATCH_BENCH_PG")
    server = None if given else PgServer()
    base = given or (server.url if server else "")

    def new_store() -> str:
        schema = f"bench_{os.getpid()}_{next(_schemas)}"
        with psycopg.connect(base, autocommit=True) as con:
            con.execute(f"CREATE SCHEMA {schema}")
        sep = "&" if "?" in base else "?"
        return f"{base}{sep}options=-csearch_path%3D{schema}"

    try:
        yield new_store
    finally:
        if server is not None:
            server.stop()


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def serve_latency(location: str, sim_env: dict[str, str], rounds: int = 1
                  ) -> dict[str, tuple[float, float, int]]:
    """p50/p99 latency (seconds) per endpoint of 100 concurrent requests, repeated while an
    update writes; returns (p50, p99, requests) per path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIQWATCH_")}
    env.update(sim_env)
    env["LIQWATCH_DB"] = location
    port = free_port()
    serve = subprocess.Popen([*CLI, "serve", "--port", str(port)], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    paths = ("/api/status", "/api/indicators")
    out: dict[str, list[float]] = {p: [] for p in paths}
    stop = threading.Event()

    def updates() -> None:
        while not stop.is_set():
            subprocess.run([*CLI, "update"], env=env, capture_output=True, check=False)

    writer = threading.Thread(target=updates, daemon=True)
    try:
        with httpx.Client(base_url=base, timeout=900,
                          limits=httpx.Limits(max_connections=100)) as client:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if client.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError("serve did not start")
                time.sleep(0.1)
            for p in paths:  # the first request loads the copy and the caches
                client.get(p).raise_for_status()
            writer.start()
            time.sleep(1.0)  # the update is under way

            def one(path: str) -> float:
                t0 = time.perf_counter()
                r = client.get(path)
                r.raise_for_status()
                return time.perf_counter() - t0

            with ThreadPoolExecutor(max_workers=100) as pool:
                for _ in range(rounds):
                    for p in paths:
                        out[p] += list(pool.map(one, [p] * 100))
    finally:
        stop.set()
        writer.join(timeout=300)
        stop_process(serve, 30)
    return {p: (_quantile(v, 0.5), _quantile(v, 0.99), len(v)) for p, v in out.items()}


def bench_backend(name: str, new_store: Callable[[], str], folder: Path, repeat: int,
                  sim_env: dict[str, str], serve_only: bool = False) -> None:
    def load() -> str:
        location = new_store()
        with Store(location) as store:
            report = import_path(store, folder)
        assert not report.errors
        return location

    if serve_only:
        _serve_figures(name, load(), sim_env)
        return
    print(describe(f"[{name}] import of the real data folder", timeit(load, repeat=repeat,
                                                                         warmup=0)))
    location = load()
    status = [*CLI, "--db", location, "status", "--format", "json"]
    print(describe(f"[{name}] liqwatch status (whole process)",
                   timeit(lambda: subprocess.run(status, check=True, capture_output=True),
                          repeat=repeat)))

    def cold_history() -> None:
        from liqwatch.indicators import inputs

        inputs._cache.clear()
        with Store(location, read_only=True) as store:
            history(store, end="2025-12-31")

    print(describe(f"[{name}] indicator history, every business day 2003–2025, cold",
                   timeit(cold_history, repeat=repeat)))
    out = Path(tempfile.mkdtemp()) / "report.html"
    report = [*CLI, "--db", location, "report", "--out", str(out)]
    print(describe(f"[{name}] liqwatch report (whole process)",
                   timeit(lambda: subprocess.run(report, check=True, capture_output=True),
                          repeat=repeat)))
    _serve_figures(name, location, sim_env)


def _serve_figures(name: str, location: str, sim_env: dict[str, str]) -> None:
    for path, (p50, p99, n) in serve_latency(location, sim_env).items():
        print(f"[{name}] serve {path} during an update, 100 concurrent: p50 {p50 * 1000:.0f} ms,"
              f" p99 {p99 * 1000:.0f} ms (n={n})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--backend", choices=["duckdb", "postgresql", "both"], default="both")
    parser.add_argument("--serve-only", action="store_true",
                        help="Only the serve latency (after one import).")
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    from pytest_httpserver import HTTPServer

    http = HTTPServer(threaded=True)
    http.start()
    sim = SourceSimulator(years=2)
    sim.install(http)
    sim_env = sim.env(http)
    for src in ("FRED", "FREDGRAPH", "NYFED", "FISCALDATA", "OFR", "EIA", "COINBASE"):
        sim_env[f"LIQWATCH_MIN_INTERVAL_{src}"] = "0"
    folder = raw_dir()
    tmp = Path(tempfile.mkdtemp())
    counter = iter(range(1, 10_000))
    try:
        if args.backend in ("duckdb", "both"):
            bench_backend("duckdb", lambda: str(tmp / f"s{next(counter)}.duckdb"), folder,
                          args.repeat, sim_env, args.serve_only)
        if args.backend in ("postgresql", "both"):
            with postgres() as new_store:
                bench_backend("postgresql", new_store, folder, args.repeat, sim_env,
                              args.serve_only)
    finally:
        http.stop()


if __name__ == "__main__":
    main()
