"""Calendar benchmarks: the first business-day use in a new process (SIFMA table cached or not),
against the federal-holiday table it replaced.

Run: ``.venv/bin/python benchmarks/bench_calendar.py``
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _util import describe

#: Imports pandas first (every command does), then times the first holiday-table use.
_FIRST_USE = """
import time, pandas
t0 = time.perf_counter()
{body}
print(time.perf_counter() - t0)
"""
_SIFMA = "from liqwatch.calendar import holiday_array; holiday_array()"
_FEDERAL = ("from pandas.tseries.holiday import USFederalHolidayCalendar; "
            "USFederalHolidayCalendar().holidays(start='1950-01-01', end='2100-12-31')")
_PUBLISHED = ("from liqwatch import catalog; import pandas as pd; "
              "s = catalog.get('SOFR'); s.release.published(pd.bdate_range('2018-04-02', "
              "'2026-09-30'), s.frequency)")


def _child(body: str, cache: str, repeat: int, fresh: bool) -> list[float]:
    out = []
    for _ in range(repeat):
        if fresh:
            for path in Path(cache).iterdir():
                path.unlink()
        env = dict(os.environ, LIQWATCH_CACHE_DIR=cache)
        proc = subprocess.run([sys.executable, "-c", _FIRST_USE.format(body=body)], env=env,
                              capture_output=True, text=True, check=True)
        out.append(float(proc.stdout.strip().splitlines()[-1]))
    return out


def main() -> None:
    cache = tempfile.mkdtemp()
    _child(_SIFMA, cache, 1, fresh=True)  # fill the cache
    print(describe("first SIFMA table use, cache filled (new process)",
                   _child(_SIFMA, cache, 7, fresh=False), target=0.1))
    print(describe("first SIFMA table use, empty cache (new process)",
                   _child(_SIFMA, cache, 3, fresh=True)))
    print(describe("federal-holiday table it replaced (new process)",
                   _child(_FEDERAL, cache, 7, fresh=False)))
    print(describe("SOFR publication dates 2018-2026, first call (new process)",
                   _child(_PUBLISHED, cache, 5, fresh=False), target=0.5))
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import liqwatch.cli"], check=True)
    print(f"(reference: importing liqwatch.cli took {time.perf_counter() - t0:.2f} s)")


if __name__ == "__main__":
    main()
