"""Import of FRED-format CSV files and snapshot folders."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from liqwatch.exceptions import ImportFileError
from liqwatch.importer import import_path, parse_csv
from liqwatch.store import Store


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("header", ["DATE,SOFR", "observation_date,SOFR", "date,value"])
def test_fred_headers_and_missing_markers(tmp_path: Path, header: str) -> None:
    path = _write(tmp_path / "SOFR.csv", f"{header}\n2026-01-02,3.87\n2026-01-05,.\n"
                  "2026-01-06,\n2026-01-07,3.64\n")
    parsed = parse_csv(path)
    assert parsed.series_id == "SOFR"
    assert parsed.frame["value"].tolist() == [3.87, 3.64]
    assert parsed.missing == 2


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("date,value\n2026-01-02,3.87\n2026-13-45,3.9\n", 3, "unparsable date"),
        ("date,value\n2026-01-02,3.87\n2026-01-05,abc\n", 3, "unparsable number"),
        ("date,value,extra\n2026-01-02,3.87,1\n", 1, "expected 2 columns"),
        ("when,value\n2026-01-02,3.87\n", 1, "first column"),
        ("date,value\n2026-01-02,3.87\n\n2026-01-02,3.88\n", 4, "appears twice"),
    ],
)
def test_bad_files_name_file_line_and_problem(
    tmp_path: Path, text: str, line: int, problem: str
) -> None:
    path = _write(tmp_path / "SOFR.csv", text)
    with pytest.raises(ImportFileError) as info:
        parse_csv(path)
    assert info.value.line == line
    assert problem in str(info.value)
    assert "SOFR.csv" in str(info.value)


def test_empty_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="empty"):
        parse_csv(_write(tmp_path / "SOFR.csv", ""))


def test_corrupt_file_rolls_back_only_itself(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "snap"
    folder.mkdir()
    _write(folder / "SOFR.csv", "date,value\n2019-09-16,2.43\n2019-09-17,5.25\n")
    _write(folder / "IOER.csv", "date,value\n2019-09-17,2.10\n2019-09-18,oops\n")
    report = import_path(store, folder)
    assert report.exit_code == 3
    assert list(report.imported) == ["SOFR"]
    assert [e.path.name for e in report.errors] == ["IOER.csv"]
    assert report.errors[0].line == 3
    assert store.known_ids() == ["SOFR"]


def test_nothing_importable_exits_2(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "snap"
    folder.mkdir()
    _write(folder / "SOFR.csv", "date,value\nnot-a-date,1\n")
    report = import_path(store, folder)
    assert report.exit_code == 2
    assert store.row_count() == 0


def test_unknown_series_become_user_series_with_manifest_provenance(
    tmp_path: Path, store: Store
) -> None:
    folder = tmp_path / "snap"
    folder.mkdir()
    _write(folder / "MY_BASIS.csv", "date,value\n2020-03-16,-86.0\n")
    _write(folder / "MANIFEST.csv", "series_id,description,notes\nMY_BASIS,my basis,hand-made\n")
    report = import_path(store, folder)
    assert report.user_series == ["MY_BASIS"]
    info = store.series_info(["MY_BASIS"]).iloc[0]
    assert info["origin"] == "user" and info["source"] == "user"
    assert json.loads(info["provenance"])["notes"] == "hand-made"


def test_interrupted_import_leaves_the_store_unchanged(
    tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "snap"
    folder.mkdir()
    _write(folder / "SOFR.csv", "date,value\n2019-09-16,2.43\n")
    import_path(store, folder)
    _write(folder / "SOFR.csv", "date,value\n2019-09-16,2.43\n2019-09-17,5.25\n")
    _write(folder / "IOER.csv", "date,value\n2019-09-17,2.10\n")

    def boom(*_a: object, **_k: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Store, "write", boom)
    with pytest.raises(KeyboardInterrupt):
        import_path(store, folder)
    monkeypatch.undo()
    assert store.known_ids() == ["SOFR"]
    assert store.row_count() == 1
    assert store.series_info()["series_id"].tolist() == ["SOFR"]


def test_reimport_of_a_revised_file_keeps_the_old_vintage(tmp_path: Path, store: Store) -> None:
    path = _write(tmp_path / "SOFR.csv", "date,value\n2019-09-16,2.43\n2019-09-17,5.25\n")
    import_path(store, path)
    _write(path, "date,value\n2019-09-16,2.43\n2019-09-17,5.30\n")
    from datetime import date

    report = import_path(store, path, vintage_date=date(2020, 1, 2))
    assert report.imported["SOFR"] == (2, 0, 1)
    assert store.read(["SOFR"], as_of="2019-12-31")["value"].tolist() == [2.43, 5.25]
    assert store.read(["SOFR"])["value"].tolist() == [2.43, 5.30]


def test_every_real_file_imports_with_known_facts(real_store: Store, raw_dir: Path) -> None:
    files = {p.stem for p in raw_dir.glob("*.csv")} - {"MANIFEST"}
    assert set(real_store.known_ids()) == files
    sofr = real_store.read(["SOFR"], start="2019-09-16", end="2019-09-17")
    assert sofr["value"].tolist() == [2.43, 5.25]
    rrp = real_store.read(["RRPONTSYD"])
    peak = rrp.loc[rrp["value"].idxmax()]
    assert peak["value"] == pytest.approx(2553.716)
    assert peak["date"] == pd.Timestamp("2022-12-30")
    info = real_store.series_info(["SOFR"]).iloc[0]
    assert "jonsflow/risk-model" in json.loads(info["provenance"])["source_repo"]


def test_real_reimport_is_idempotent(raw_dir: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as s:
        import_path(s, raw_dir / "SOFR.csv")
        n = s.row_count()
        report = import_path(s, raw_dir / "SOFR.csv")
        assert report.imported["SOFR"][1:] == (0, 0)
        assert s.row_count() == n
