"""The core commands, run through the real entry point (exit codes included)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

CliRun = Callable[..., tuple[int, str, str]]


def test_series_json_round_trips(real_db: Path, cli: CliRun) -> None:
    code, out, _ = cli("--db", str(real_db), "series", "SOFR", "--start", "2019-09-16",
                       "--end", "2019-09-17", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert [(r["series_id"], r["date"], r["value"]) for r in rows] == [
        ("SOFR", "2019-09-16", 2.43), ("SOFR", "2019-09-17", 5.25)
    ]
    assert rows[1]["realtime_start"] == "2019-09-18"


def test_series_as_of_hides_unpublished_values(
    real_db: Path, cli: CliRun
) -> None:
    code, out, _ = cli("--db", str(real_db), "series", "WALCL", "--start", "2019-09-11",
                       "--end", "2019-09-18", "--as-of", "2019-09-18", "--format", "json")
    assert code == 0
    # The Wednesday 2019-09-18 level is published on Thursday.
    assert [r["date"] for r in json.loads(out)] == ["2019-09-11"]


def test_series_csv(real_db: Path, cli: CliRun) -> None:
    code, out, _ = cli("--db", str(real_db), "series", "SOFR", "IOER", "--start",
                       "2019-09-17", "--end", "2019-09-17", "--format", "csv")
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0] == "series_id,date,value,realtime_start,realtime_end"
    assert lines[1].startswith("SOFR,2019-09-17,5.25,2019-09-18")


def test_status_json_lists_every_series(
    real_db: Path, raw_dir: Path, cli: CliRun
) -> None:
    code, out, _ = cli("--db", str(real_db), "status", "--format", "json",
                       "--today", "2026-08-24")
    assert code == 0
    rows = {r["series_id"]: r for r in json.loads(out)}
    assert len(rows) == len(list(raw_dir.glob("*.csv"))) - 1
    sofr = rows["SOFR"]
    assert {"series_id", "date", "value", "unit", "source", "stale"} <= set(sofr)
    assert (sofr["date"], sofr["unit"], sofr["source"], sofr["stale"]) == (
        "2026-08-20", "percent", "nyfed", False
    )
    # RCLC1 was discontinued by EIA in 2022: never stale, counted as discontinued.
    assert (rows["RCLC1"]["stale"], rows["RCLC1"]["state"]) == (False, "discontinued")
    assert rows["RCLC1"]["why_en"] == "discontinued on 2022-02-15"
    assert (sofr["state"], sofr["due"]) == ("live", "2026-08-24")
    assert sofr["why_en"] == "next observation due 2026-08-24"


def test_unknown_series_is_a_user_error(
    real_db: Path, cli: CliRun
) -> None:
    code, _, err = cli("--db", str(real_db), "series", "NOPE")
    assert code == 1
    assert "NOPE" in err


def test_bad_date_is_a_user_error(real_db: Path, cli: CliRun) -> None:
    code, _, err = cli("--db", str(real_db), "series", "SOFR", "--as-of", "yesterday")
    assert code == 1
    assert "--as-of" in err


def test_bad_option_is_a_user_error(cli: CliRun) -> None:
    code, _, _ = cli("status", "--format", "xml")
    assert code == 1


def test_import_partial_exits_3(tmp_path: Path, cli: CliRun) -> None:
    folder = tmp_path / "snap"
    folder.mkdir()
    (folder / "SOFR.csv").write_text("date,value\n2019-09-16,2.43\n")
    (folder / "IOER.csv").write_text("date,value\n2019-09-16,x\n")
    code, out, err = cli("--db", str(tmp_path / "s.duckdb"), "import", str(folder))
    assert code == 3
    assert "IOER.csv, line 2" in err
    assert "1 file(s) failed" in out


def test_catalog_json(cli: CliRun) -> None:
    code, out, _ = cli("catalog", "--format", "json", "--lang", "ja")
    assert code == 0
    rows = {r["series_id"]: r for r in json.loads(out)}
    assert rows["SOFR"]["description"].startswith("担保付翌日物調達金利")
    assert rows["WALCL"]["release"].startswith("H.4.1")


def test_help_shows_examples() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "liqwatch", "series", "--help"],
        capture_output=True, text=True, check=True,
    ).stdout
    assert "liqwatch series SOFR" in out


def test_demo_without_data_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: CliRun
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LIQWATCH_SNAPSHOT_DIR", raising=False)
    monkeypatch.setattr("liqwatch.cli.core._live_update", lambda: None)
    code, _, err = cli("--db", str(tmp_path / "s.duckdb"), "demo")
    assert code == 2
    assert "LIQWATCH_SNAPSHOT_DIR" in err


def test_demo_loads_the_snapshot_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: CliRun
) -> None:
    folder = tmp_path / "snap"
    folder.mkdir()
    (folder / "SOFR.csv").write_text("date,value\n2019-09-16,2.43\n")
    monkeypatch.setenv("LIQWATCH_SNAPSHOT_DIR", str(folder))
    monkeypatch.chdir(tmp_path)
    code, out, _ = cli("--db", str(tmp_path / "s.duckdb"), "demo")
    assert code == 0
    assert "SOFR" in out
    assert out.rstrip().splitlines()[-1] == f"Report: {tmp_path / 'report.html'}"
    assert (tmp_path / "report.html").stat().st_size > 1_000_000


def test_demo_ends_with_the_states_and_the_verdict(
    tmp_path: Path, raw_dir: Path, monkeypatch: pytest.MonkeyPatch, cli: CliRun
) -> None:
    """A snapshot of four real series, one of them discontinued (IOER, replaced by IORB in
    2021): counted as discontinued, not stale; the verdict, then the report path, last."""
    import shutil

    folder = tmp_path / "snap"
    folder.mkdir()
    for sid in ("SOFR", "IORB", "IOER", "WRESBAL"):
        shutil.copy(raw_dir / f"{sid}.csv", folder / f"{sid}.csv")
    monkeypatch.setenv("LIQWATCH_SNAPSHOT_DIR", str(folder))
    monkeypatch.chdir(tmp_path)
    code, out, _ = cli("--db", str(tmp_path / "s.duckdb"), "demo", "--today", "2026-08-24")
    assert code == 0
    lines = out.rstrip().splitlines()
    assert "4 series: 3 live, 0 stale, 1 discontinued" in out
    assert "IOER" not in out  # nothing to do about a discontinued series: not listed
    overall = next(i for i, line in enumerate(lines) if line.startswith("Overall: "))
    assert any(line.startswith("Reserve regime: ") for line in lines[overall:])
    assert lines[-1] == f"Report: {tmp_path / 'report.html'}"
    code, out, _ = cli("--db", str(tmp_path / "s.duckdb"), "demo", "--today", "2026-12-03",
                       "--lang", "ja")
    assert "4 系列: 更新中 0、更新遅れ 3、公表終了 1" in out
    assert "総合判定: " in out and out.rstrip().splitlines()[-1].startswith("レポート: ")
