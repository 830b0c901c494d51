"""The ``liqwatch indicators`` table as a person reads it: in Japanese, with reasons below."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from liqwatch.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(list(args))
    out, err = capsys.readouterr()
    code = info.value.code
    return (code if isinstance(code, int) else 0), out, err


def test_japanese_table_speaks_japanese(real_db: Path, capsys: pytest.CaptureFixture[str]
                                        ) -> None:
    code, out, _ = run(capsys, "--db", str(real_db), "indicators", "--as-of", "2019-09-18",
                       "-c", "funding", "-c", "credit", "--lang", "ja")
    assert code == 0
    assert "流動性指標 (2019-09-18 時点)" in out
    assert "警戒" in out and "資金市場" in out and "信用" in out  # status and category
    assert "no_data" not in out and "alert " not in out
    # The missing CP series is explained below the table, in Japanese.
    assert "データなし:" in out and "RIFSPPNA2P2D90NB: ストアにありません" in out
    assert "not in the store" not in out


def test_english_reasons_below_the_table(real_db: Path, capsys: pytest.CaptureFixture[str]
                                         ) -> None:
    code, out, _ = run(capsys, "--db", str(real_db), "indicators", "--as-of", "2019-09-18",
                       "-c", "credit")
    assert code == 0
    table, _, below = out.partition("No data:")
    assert "see below" in table and "RIFSPPNA2P2D90NB" not in table
    assert "RIFSPPNA2P2D90NB: not in the store" in below


def test_json_has_reason_in_both_languages(real_db: Path, capsys: pytest.CaptureFixture[str]
                                           ) -> None:
    code, out, _ = run(capsys, "--db", str(real_db), "indicators", "--as-of", "2019-09-18",
                       "-c", "credit", "--format", "json")
    assert code == 0
    row = next(r for r in json.loads(out) if r["id"] == "cp_spread_bp")
    assert "not in the store" in row["reason"] and "ストアにありません" in row["reason_ja"]
