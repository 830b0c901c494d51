"""Alert benchmarks on the real data: one live evaluation, replays of one quarter and one year.

Run: ``.venv/bin/python benchmarks/bench_alerts.py``
"""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

from _util import describe, raw_dir, timeit

from liqwatch.alerts.config import load_alert_config
from liqwatch.alerts.engine import evaluate
from liqwatch.alerts.replay import replay
from liqwatch.importer import import_path
from liqwatch.store import Store


def main() -> None:
    os.environ["LIQWATCH_CONFIG"] = str(Path(tempfile.mkdtemp()) / "none.toml")
    cfg = load_alert_config()
    db = Path(tempfile.mkdtemp()) / "a.duckdb"
    with Store(db) as store:
        import_path(store, raw_dir())
        times = timeit(lambda: evaluate(store, date(2019, 9, 18), config=cfg, persist=False),
                       repeat=5)
        print(describe("evaluate, all default rules, as of 2019-09-18", times, target=2.0))
        times = timeit(lambda: evaluate(store, config=cfg, persist=True), repeat=5)
        print(describe("evaluate today, persisted (alert_log)", times, target=2.0))
        times = timeit(lambda: replay(store, date(2019, 8, 1), date(2019, 10, 31), config=cfg),
                       repeat=3)
        print(describe("replay 2019-08-01..2019-10-31", times, target=5.0))
        times = timeit(lambda: replay(store, date(2020, 1, 1), date(2020, 12, 31), config=cfg),
                       repeat=3)
        print(describe("replay 2020 (one year)", times, target=10.0))


if __name__ == "__main__":
    main()
