"""Benchmark of claim drafting and checking on the real data.

Run: ``python benchmarks/bench_claims.py`` (real data from ``LIQWATCH_TEST_DATA`` or
``../shared/data/raw``). Builds a temporary store from the real series once, then reports
medians of repeated runs of: drafting the test commentaries, checking them (each check starts
with an empty cache, as a CLI call does), and rendering the report section.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from _util import REPO, describe, raw_dir, timeit

from liqwatch.claims import check, extract, render_html_section
from liqwatch.importer import import_path
from liqwatch.store import Store

FIX = REPO / "tests" / "fixtures" / "claims"
NOTES = FIX / "analysts"


def _notes() -> list[tuple[str, date]]:
    """The six analyst notes and the day each was written (from the file name)."""
    return [(p.read_text(encoding="utf-8"), date.fromisoformat(p.stem.rsplit("_", 1)[1]))
            for p in sorted(NOTES.glob("*.txt"))]


def main() -> None:
    """Print one line per measured step."""
    en = (FIX / "commentary_en.txt").read_text(encoding="utf-8")
    ja = (FIX / "commentary_ja.txt").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.duckdb"
        with Store(path) as store:
            import_path(store, raw_dir())
        with Store(path, read_only=True) as store:
            draft_en, draft_ja = extract(en), extract(ja)
            results = check(store, draft_en)
            print(describe(f"extract, English commentary ({len(draft_en)} claims)",
                           timeit(lambda: extract(en), repeat=20)))
            print(describe(f"extract, Japanese commentary ({len(draft_ja)} claims)",
                           timeit(lambda: extract(ja), repeat=20)))
            print(describe(f"check, English commentary ({len(draft_en)} claims)",
                           timeit(lambda: check(store, draft_en), repeat=7), target=2.0))
            print(describe(f"check, Japanese commentary ({len(draft_ja)} claims)",
                           timeit(lambda: check(store, draft_ja), repeat=7), target=2.0))
            print(describe(f"render_html_section ({len(results)} results)",
                           timeit(lambda: render_html_section(results), repeat=20)))
            notes = _notes()
            drafts = [extract(text, reference=day) for text, day in notes]
            n = sum(len(d) for d in drafts)
            print(describe(f"extract, six analyst notes ({n} claims)",
                           timeit(lambda: [extract(t, reference=d) for t, d in notes], repeat=5)))
            print(describe(f"check, six analyst notes ({n} claims, one check per note)",
                           timeit(lambda: [check(store, d) for d in drafts], repeat=3),
                           target=12.0))


if __name__ == "__main__":
    main()
