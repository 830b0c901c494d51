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
    assert "2019-09-11" in text and "…" not in text
    assert "MAE" in text and "17 Sep" in text  # the Fed's response, apart from the errors


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
    flat = html.replace(" ", "")
    assert '"name":"1.40T"' in flat  # the user level is drawn
    assert '"name":"2.5T"' in flat and '"name":"3.0T"' in flat
    assert "12-13% of bank assets" in html
    code, _, _ = cli("--db", str(real_db), "scenario", "--weeks", "4", "--plot",
                     str(out), "--format", "json")
    assert code == 0
    assert "Published later" not in out.read_text(encoding="utf-8")


def test_cli_preset_names_are_the_library_presets() -> None:
    from liqwatch.cli.scenarios import PRESET_NAMES
    from liqwatch.scenarios import PRESETS

    assert tuple(PRESETS) == PRESET_NAMES


def test_japanese_projection_and_chart_errors(real_db: Path, tmp_path: Path, cli: CLI) -> None:
    code, out, _ = cli("--db", str(real_db), "scenario", "--weeks", "8", "--as-of",
                       "2025-07-31", "--lang", "ja")
    assert code == 0
    assert "準備預金" in out and "財務省一般口座" in out
    code, _, err = cli("--db", str(real_db), "scenario", "--plot",
                       str(tmp_path / "missing" / "p.png"))
    assert code != 0 and "does not exist" in err
    chart = tmp_path / "ja.html"
    code, _, _ = cli("--db", str(real_db), "scenario", "--weeks", "8", "--lang", "ja",
                     "--plot", str(chart), "--format", "json")
    band = json.dumps("銀行総資産の12〜13%")[1:-1]  # plotly writes \\u escapes
    assert code == 0 and band in chart.read_text(encoding="utf-8")
    code, out, _ = cli("--db", str(real_db), "nowcast", "--as-of", "2025-10-31", "--lang", "ja")
    assert code == 0 and "準備預金の推計" in out
