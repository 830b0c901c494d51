"""Terminal output: text is never read as Rich markup, narrow terminals cut nothing that matters,
and errors name what was wrong without a traceback."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console

from liqwatch.cli import _common

CLI = Callable[..., tuple[int, str, str]]


def test_table_cells_and_titles_are_not_markup(narrow: io.StringIO) -> None:
    _common.emit([{"rule": "indicator-status", "message": "EFFR − IORB [effr_iorb_bp, funding]"}],
                 "table", title="[bold]t[/]")
    text = narrow.getvalue()
    assert "[effr_iorb_bp," in text and "funding]" in text
    assert "[bold]t[/]" in text


def test_narrow_table_keeps_dates_and_ids_whole(narrow: io.StringIO) -> None:
    rows = [{"series_id": "OFR_FSI_EQUITY_VALUATION", "date": "2026-08-20", "value": 22605.474,
             "unit": "USD billions", "source": "fiscaldata", "published": "2026-08-21",
             "stale": True, "ended": "2021-07-28"}] * 3
    _common.emit(rows, "table", optional=["ended", "published", "source"])
    text = narrow.getvalue()
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "OFR_FSI_EQUITY_VALUATION" in text and "2026-08-20" in text and "22,605" in text
    assert "…" not in text
    assert "hidden to fit the terminal: ended, published, source" in text


def test_wide_table_hides_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    buf = io.StringIO()
    monkeypatch.setattr(_common, "console", Console(width=160, file=buf))
    rows = [{"series_id": "SOFR", "date": "2019-09-17", "published": "2019-09-18"}]
    _common.emit(rows, "table", optional=["published"])
    assert "published" in buf.getvalue() and "hidden" not in buf.getvalue()


def test_error_text_in_brackets_is_shown(tmp_path: Path, cli: CLI
                                         ) -> None:
    bad = tmp_path / "BAD.csv"
    bad.write_text("date,value\n2020-01-01,1.0\n2020-01-02,[bold]x\n", encoding="utf-8")
    code, _, err = cli("--db", str(tmp_path / "s.duckdb"), "import", str(bad))
    assert code == 2
    assert "line 3" in err and "'[bold]x'" in err


def test_alert_config_error_names_the_table(tmp_path: Path, cli: CLI
                                            ) -> None:
    cfg = tmp_path / "cfg.toml"
    cfg.write_text("alerts = 3\n", encoding="utf-8")
    code, _, err = cli("--db", str(tmp_path / "s.duckdb"), "alerts", "--config", str(cfg))
    assert code == 1
    assert "[alerts] must be a table" in err


def test_help_shows_bracketed_config_names(cli: CLI) -> None:
    code, out, _ = cli("alerts", "--help")
    assert code == 0
    assert "[alerts]" in re.sub(r"\s+", " ", out)


def test_series_bad_requests_are_user_errors(real_db: Path, cli: CLI
                                             ) -> None:
    db = ("--db", str(real_db))
    code, _, err = cli(*db, "series", "sofr")
    assert code == 1 and "did you mean SOFR?" in err
    code, _, err = cli(*db, "series", "SOFR", "--start", "2019-09-20", "--end",
                       "2019-09-01")
    assert code == 1 and "--start 2019-09-20 is after --end 2019-09-01" in err
    code, _, err = cli(*db, "series", "SOFR", "--as-of", "2999-01-01")
    assert code == 1 and "in the future" in err
    code, out, err = cli(*db, "series", "SOFR", "--as-of", "2000-01-01", "--format",
                         "json")
    assert code == 0 and out.strip() == "[]" and "no observations of SOFR" in err


def test_future_as_of_is_refused_everywhere(real_db: Path, cli: CLI
                                            ) -> None:
    for cmd in (["indicators"], ["scenario"], ["nowcast"], ["alerts"]):
        code, _, err = cli("--db", str(real_db), *cmd, "--as-of", "2999-01-01")
        assert code == 1 and "in the future" in err, cmd


def test_reading_a_missing_store_creates_nothing(tmp_path: Path,
                                                 cli: CLI) -> None:
    missing = tmp_path / "typo" / "liqwatch.duckdb"
    for cmd in (["status"], ["indicators"], ["series", "SOFR"]):
        cli("--db", str(missing), *cmd)
    assert not missing.exists() and not missing.parent.exists()
    code, _, err = cli("--db", str(missing), "status")
    assert code == 0 and "there is no store at" in err


def test_a_folder_as_store_is_a_user_error(tmp_path: Path, cli: CLI
                                           ) -> None:
    code, _, err = cli("--db", str(tmp_path), "status")
    assert code == 1 and "is a folder" in err


def test_unwritable_output_file_is_an_error_not_a_traceback(
    real_db: Path, tmp_path: Path, cli: CLI
) -> None:
    folder = tmp_path / "chart.html"
    folder.mkdir()  # a folder where the chart file should go
    code, _, err = cli("--db", str(real_db), "indicators", "history", "sofr_iorb_bp",
                       "--start", "2019-09-02", "--end", "2019-09-06", "--chart", str(folder))
    assert code == 1 and "Is a directory" in err and "Traceback" not in err


def test_malformed_alert_rules_are_named(tmp_path: Path, cli: CLI
                                         ) -> None:
    cfg = tmp_path / "cfg.toml"
    cfg.write_text("[alerts]\nrules = 3\n", encoding="utf-8")
    code, _, err = cli("--db", str(tmp_path / "s.duckdb"), "alerts", "--config", str(cfg))
    assert code == 1 and "rules must be an array of tables" in err


def test_json_numbers_carry_no_float_noise(capsys: pytest.CaptureFixture[str]) -> None:
    _common.emit([{"spread_bp": (5.25 - 2.10) * 100, "gap": -10.000000000000053,
                   "big": 2553.716, "inf": float("inf")}], "json")
    row = json.loads(capsys.readouterr().out)[0]
    assert row == {"spread_bp": 315.0, "gap": -10.0, "big": 2553.716, "inf": None}


def test_history_json_has_no_float_noise(real_db: Path, cli: CLI
                                         ) -> None:
    code, out, _ = cli("--db", str(real_db), "indicators", "history", "sofr_iorb_bp",
                       "--start", "2019-09-16", "--end", "2019-09-19", "--format", "json")
    assert code == 0
    assert [r["value"] for r in json.loads(out)] == [10.0, 33.0, 315.0, 45.0]


def test_import_of_nothing_is_a_user_error(tmp_path: Path, cli: CLI
                                           ) -> None:
    db = tmp_path / "s.duckdb"
    code, _, err = cli("--db", str(db), "import", str(tmp_path / "missing"))
    assert code == 1 and "no such file or folder" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("x\n", encoding="utf-8")
    code, _, err = cli("--db", str(db), "import", str(empty))
    assert code == 1 and "no CSV files" in err
    assert not db.exists()
    (empty / "MYSERIES.CSV").write_text("date,value\n2020-01-02,1\n", encoding="utf-8")
    code, _, _ = cli("--db", str(db), "import", str(empty))
    assert code == 0


def test_catalog_refuses_unknown_language_and_source(cli: CLI) -> None:
    code, _, err = cli("catalog", "--lang", "fr")
    assert code == 1 and "choose en or ja" in err
    code, _, err = cli("catalog", "--source", "bloomberg")
    assert code == 1 and "fred" in err and "nyfed" in err


def test_cells_for_people() -> None:
    assert _common._cell(["watch", "alert"]) == "watch, alert"
    assert _common._cell("2026-11-22T01:45:14.608719") == "2026-11-22 01:45:14"
    assert _common._cell("2019-09-17") == "2019-09-17"


def test_japanese_paragraphs_fill_lines_and_respect_punctuation() -> None:
    from rich.cells import cell_len

    text = ("SOFR − 準備預金付利 (IORB)は 2019-09-17 時点で +315bpと、警戒水準にあります（注意 "
            "+0bp以上、警戒 +10bp以上）。レポ金利が準備預金付利を上回っています。銀行が準備預金を"
            "レポ市場に回しておらず、準備預金が潤沢でなくなっている兆候です。")
    for width in (40, 61, 80):
        lines = _common.wrap_japanese(text, width)
        assert all(cell_len(line) <= width for line in lines)
        assert all(line[0] not in "、。）" for line in lines)
        assert all(line[-1] != "（" for line in lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        assert all(len(line) > 0.6 * width / 2 for line in lines[:-1])  # filled, not ragged
        assert any("2019-09-17" in line for line in lines)  # Latin runs stay whole


def test_too_wide_a_table_still_keeps_dates_and_numbers(narrow: io.StringIO) -> None:
    ids = ", ".join(["xccy_basis_jpy_bp", "sp500_drawdown_pct", "srf_usage_bn"] * 2)
    rows = [{"episode": "Mar 2020", "peak": "2020-03-16", "similarity": 0.4434, "n": 31,
             "matching": ids, "differing": ids}] * 2
    _common.emit(rows, "table")
    text = narrow.getvalue()
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "2020-03-16" in text and "0.4434" in text
