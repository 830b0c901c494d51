"""Reserve commands in a terminal: readable at 80 columns, and honest about stale drivers."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path

from liqwatch.store import Store

CLI = Callable[..., tuple[int, str, str]]


def test_projection_tables_fit_80_columns(real_db: Path, narrow: io.StringIO,
                                          cli: CLI) -> None:
    code, _, _ = cli("--db", str(real_db), "scenario", "--weeks", "8",
                     "--as-of", "2019-01-03")
    assert code == 0
    text = narrow.getvalue()
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "…" not in text
    assert "% bank assets" in text and "2019-01-02" in text and "2019-02-27" in text
    # The sensitivity grid: thousands separators, whole numbers.
    assert re.search(r"│\s+\d,\d{3} │", text)


def test_validation_table_fits_80_columns(real_db: Path, narrow: io.StringIO,
                                          cli: CLI) -> None:
    code, _, _ = cli("--db", str(real_db), "scenario", "validate")
    assert code == 0
    text = narrow.getvalue()
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "2019-09-25" in text and "…" not in text


def test_nowcast_says_when_the_h41_is_newer(real_db: Path, real_store: Store,
                                            cli: CLI) -> None:
    wres = real_store.read(["WRESBAL"])
    last = wres["date"].max().date()
    code, out, _ = cli("--db", str(real_db), "nowcast", "--format", "json")
    assert code == 0
    result = json.loads(out)
    if last.isoformat() > result["latest"]["date"]:
        assert any(f"WRESBAL is published through {last}" in n for n in result["notes"])
    code, out, _ = cli("--db", str(real_db), "nowcast", "--as-of", "2025-10-31",
                       "--format", "json")
    assert not any("WRESBAL is published through" in n for n in json.loads(out)["notes"])


def test_past_projection_chart_shows_what_happened(real_db: Path, tmp_path: Path,
                                                    cli: CLI) -> None:
    out = tmp_path / "p.html"
    code, _, _ = cli("--db", str(real_db), "scenario", "--as-of", "2019-01-03",
                     "--weeks", "20", "--level", "1400", "--plot", str(out), "--format", "json")
    assert code == 0
    html = out.read_text(encoding="utf-8")
    assert "Published later (not known at the start)" in html
    assert '"text":"1.40T"' in html.replace(" ", "")  # the user level is drawn
    code, _, _ = cli("--db", str(real_db), "scenario", "--weeks", "4", "--plot",
                     str(out), "--format", "json")
    assert code == 0
    assert "Published later" not in out.read_text(encoding="utf-8")
