"""Bad input never reaches the store: every hostile file tried is refused with a clear error
naming the file, the series, the line and the value, and no row of the good files beside it is
lost.

The inputs are synthetic (made here). :data:`BAD_INPUTS` is the table behind the figures of
``docs/store.md`` ("bad inputs tried / handled with a clear error / rows lost").
"""

from __future__ import annotations

import gzip
import os
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from liqwatch import validation
from liqwatch.exceptions import ImportFileError, InvalidDataError
from liqwatch.importer import import_path, parse_csv
from liqwatch.store import Store
from liqwatch.validation import FIRST_DATE, last_date

#: The good file imported beside every bad one (synthetic values).
GOOD = "date,value\n" + "".join(f"{(date(2024, 1, 1) + timedelta(days=i)).isoformat()},{i / 8}\n"
                                for i in range(200))
GOOD_ROWS = 200
_FAR = (date.today() + timedelta(days=400)).isoformat()
_LONG = "x" * 10_000

#: (case, file name, bytes, what the error must say). Each is imported from a folder holding
#: it and ``GOOD.csv``.
BAD_INPUTS: list[tuple[str, str, bytes, tuple[str, ...]]] = [
    ("inf", "USER_A.csv", b"date,value\n2024-01-02,1\n2024-01-03,inf\n",
     ("USER_A.csv", "line 3", "series USER_A", "'inf'", "not a finite number")),
    ("-Infinity", "USER_A.csv", b"date,value\n2024-01-02,-Infinity\n",
     ("line 2", "'-Infinity'", "not a finite number")),
    ("1e309 overflows a double", "USER_A.csv", b"date,value\n2024-01-02,1e309\n",
     ("line 2", "'1e309'", "not a finite number")),
    ("-1e309", "USER_A.csv", b"date,value\n2024-01-02,-1e309\n", ("'-1e309'",)),
    ("text value", "USER_A.csv", b"date,value\n2024-01-02,12abc\n",
     ("line 2", "unparsable number '12abc'")),
    ("date 9999-12-31", "USER_A.csv", b"date,value\n9999-12-31,1\n",
     ("line 2", "'9999-12-31'", "outside 1900-01-01")),
    ("date 2262-04-12 (past datetime64[ns])", "USER_A.csv", b"date,value\n2262-04-12,1\n",
     ("'2262-04-12'", "outside")),
    ("date 1600-01-01", "USER_A.csv", b"date,value\n2000-01-03,1\n1600-01-01,2\n",
     ("line 3", "'1600-01-01'", "outside")),
    ("date 1899-12-31", "USER_A.csv", b"date,value\n1899-12-31,2\n", ("'1899-12-31'",)),
    ("date over a year ahead", "USER_A.csv", f"date,value\n{_FAR},2\n".encode(),
     (f"'{_FAR}'", "outside")),
    ("date 0001-01-01", "USER_A.csv", b"date,value\n0001-01-01,2\n", ("'0001-01-01'",)),
    ("impossible date", "USER_A.csv", b"date,value\n2024-02-30,2\n",
     ("unparsable date '2024-02-30'",)),
    ("header only", "USER_A.csv", b"date,value\n", ("no data rows", "not a series")),
    ("empty file", "USER_A.csv", b"", ("empty",)),
    ("blank lines only", "USER_A.csv", b"\n\n  \n", ("empty",)),
    ("every value missing", "USER_A.csv", b"date,value\n2024-01-02,.\n2024-01-03,\n",
     ("every value is missing",)),
    ("file named .csv", ".csv", b"date,value\n2024-01-02,1\n", ("series id is empty",)),
    ("markup in the name", "[red]x[-].csv", b"date,value\n2024-01-02,1\n",
     ("'[red]x[-]'", "is not valid")),
    ("HTML in the name", "<script>.csv", b"date,value\n2024-01-02,1\n",
     ("'<script>'", "is not valid")),
    ("right-to-left mark in the name", "USER\u202eA.csv", b"date,value\n2024-01-02,1\n",
     ("'USER\\u202eA'",)),
    ("10 kB name", "A" * 200 + ".csv", b"date,value\n2024-01-02,1\n", ("is not valid",)),
    ("three columns", "USER_A.csv", b"date,value,extra\n2024-01-02,1,2\n",
     ("line 1", "expected 2 columns")),
    ("a row with three fields", "USER_A.csv", b"date,value\n2024-01-02,1,2\n",
     ("line 2", "expected 2 fields")),
    ("no header", "USER_A.csv", b"2024-01-02,1\n", ("first column must be",)),
    ("duplicated date", "USER_A.csv", b"date,value\n2024-01-02,1\n2024-01-02,2\n",
     ("line 3", "appears twice")),
    ("not UTF-8", "USER_A.csv", b"date,value\n2024-01-02,\xff\xfe1\n",
     ("line 2", "not UTF-8")),
    ("NUL byte", "USER_A.csv", b"date,value\n2024-01-02,1\x00\n", ("line 2", "NUL byte")),
    ("unclosed quote", "USER_A.csv", b'date,value\n2024-01-02,"1\n', ("CSV",)),
    ("10 kB cell", "USER_A.csv", f"date,value\n2024-01-02,{_LONG}\n".encode(),
     ("unparsable number", "10,000 characters")),
    ("corrupt gzip", "USER_A.csv.gz", b"\x1f\x8b\x08\x00garbage-not-deflate" * 4,
     ("USER_A.csv.gz", "gzip")),
    ("not gzip at all", "USER_A.csv.gz", b"date,value\n2024-01-02,1\n",
     ("USER_A.csv.gz", "gzip")),
    ("truncated gzip", "USER_A.csv.gz", gzip.compress(GOOD.encode())[:60],
     ("USER_A.csv.gz", "truncated")),
    ("gzip of bad bytes", "USER_A.csv.gz", gzip.compress(b"date,value\n2024-01-02,\xff\n"),
     ("not UTF-8",)),
]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "snap"
    path.mkdir()
    (path / "GOOD.csv").write_text(GOOD, encoding="utf-8")
    return path


def _assert_only_good(store: Store) -> None:
    """The store holds GOOD whole (no row lost) and nothing else."""
    assert store.known_ids() == ["GOOD"]
    assert store.row_count() == GOOD_ROWS
    assert store.series_info()["series_id"].tolist() == ["GOOD"]


@pytest.mark.parametrize(("case", "name", "data", "says"), BAD_INPUTS,
                         ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_is_named_and_nothing_of_it_is_stored(
    folder: Path, store: Store, case: str, name: str, data: bytes, says: tuple[str, ...]
) -> None:
    (folder / name).write_bytes(data)
    report = import_path(store, folder)
    assert report.exit_code == 3, case
    assert list(report.imported) == ["GOOD"]
    assert len(report.errors) == 1
    message = str(report.errors[0])
    assert report.errors[0].path.name == name
    for fragment in says:
        assert fragment in message, (case, message)
    assert len(message) < 600  # a 10 kB value is quoted in part
    _assert_only_good(store)


def test_the_cli_reports_bad_inputs_as_text_and_exits_3(folder: Path, cli: object) -> None:
    """`liqwatch import` of a folder with every kind of bad file: each one named on stderr, the
    good one imported, exit 3 (never 130 or "Aborted.")."""
    for case, name, data, _ in BAD_INPUTS:
        sub = folder / case.replace(" ", "_").replace("/", "_")[:40]
        sub.mkdir()
        (sub / name).write_bytes(data)
    db = folder.parent / "cli.duckdb"
    run = cli  # type: ignore[assignment]
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        (sub / "GOOD.csv").write_text(GOOD, encoding="utf-8")
        code, _out, err = run("--db", str(db), "import", str(sub))  # type: ignore[operator]
        assert code == 3, (sub.name, err)
        assert "error:" in err and "Aborted" not in err
    with Store(db, read_only=True) as store:
        _assert_only_good(store)


def test_trailing_comma_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "USER_T.csv"
    path.write_text("date,value,\n2024-01-02,1.5,\n2024-01-03,2,\n", encoding="utf-8")
    parsed = parse_csv(path)
    assert parsed.frame["value"].tolist() == [1.5, 2.0]
    path.write_text("date,value\n2024-01-02,1.5,\n2024-01-03,.,\n", encoding="utf-8")
    parsed = parse_csv(path)
    assert parsed.frame["value"].tolist() == [1.5] and parsed.missing == 1


def test_date_bounds_are_inclusive(tmp_path: Path) -> None:
    path = tmp_path / "USER_B.csv"
    path.write_text(f"date,value\n{FIRST_DATE},1\n{last_date()},2\n", encoding="utf-8")
    assert parse_csv(path).frame["date"].dt.date.tolist() == [FIRST_DATE, last_date()]


def test_corrected_file_after_a_refused_one_imports(folder: Path, store: Store) -> None:
    """SOFR = inf is refused; the corrected file then imports as the first vintage."""
    bad = folder / "SOFR.csv"
    bad.write_text("date,value\n2019-09-16,2.43\n2019-09-17,inf\n", encoding="utf-8")
    assert import_path(store, folder).exit_code == 3
    assert store.read(["SOFR"]).empty
    bad.write_text("date,value\n2019-09-16,2.43\n2019-09-17,5.25\n", encoding="utf-8")
    report = import_path(store, folder)
    assert report.exit_code == 0 and report.imported["SOFR"] == (2, 2, 0)
    assert store.read(["SOFR"])["value"].tolist() == [2.43, 5.25]


def test_status_reads_a_store_fed_only_valid_dates(folder: Path, store: Store) -> None:
    """Dates that once overflowed (9999-12-31 stored with realtime_start 1816) are refused, so
    every stored realtime_start follows its date."""
    (folder / "USER_D.csv").write_text("date,value\n9999-12-31,1\n", encoding="utf-8")
    import_path(store, folder)
    rows = store.read_vintages(["GOOD"])
    assert (rows["realtime_start"] > rows["date"]).all()


@pytest.mark.parametrize("names", [("X.csv", "X.CSV"), ("X.csv", "X.csv.gz"),
                                   ("X.csv", "x.csv", "X.CSV.GZ")])
def test_names_equal_but_for_case_or_gz_are_an_error_naming_each(
    folder: Path, store: Store, names: tuple[str, ...]
) -> None:
    for i, name in enumerate(names):
        data = f"date,value\n2024-01-02,{i}\n".encode()
        (folder / name).write_bytes(gzip.compress(data) if name.lower().endswith(".gz")
                                    else data)
    report = import_path(store, folder)
    assert report.exit_code == 3
    assert sorted(e.path.name for e in report.errors) == sorted(names)
    for err in report.errors:
        others = [n for n in names if n != err.path.name]
        assert all(o in str(err) for o in others), str(err)
        assert "none was imported" in str(err)
    _assert_only_good(store)
    again = import_path(store, folder)  # a re-import counts no revision either
    assert again.imported["GOOD"] == (GOOD_ROWS, 0, 0)


def test_links_that_lead_nowhere_are_listed(folder: Path, store: Store, cli: object) -> None:
    (folder / "DANGLING.csv").symlink_to(folder / "missing.csv")
    (folder / "LOOP_A.csv").symlink_to(folder / "LOOP_B.csv")
    (folder / "LOOP_B.csv").symlink_to(folder / "LOOP_A.csv")
    (folder / "DIR.csv").mkdir()
    os.mkfifo(folder / "FIFO.csv.gz")  # opening it would block: it is never opened
    outside = folder.parent / "elsewhere.txt"
    outside.write_text("date,value\n2024-01-02,1\n", encoding="utf-8")
    (folder / "LINKED.csv").symlink_to(outside)
    report = import_path(store, folder)
    assert sorted(report.imported) == ["GOOD", "LINKED"]  # a link to a file is followed
    skipped = {p.name: why for p, why in report.skipped}
    assert set(skipped) == {"DANGLING.csv", "LOOP_A.csv", "LOOP_B.csv", "DIR.csv",
                            "FIFO.csv.gz"}
    assert "missing file" in skipped["DANGLING.csv"]
    assert "cannot be followed" in skipped["LOOP_A.csv"]
    assert skipped["DIR.csv"] == "a folder"
    assert skipped["FIFO.csv.gz"] == "not a regular file"
    assert report.exit_code == 3
    code, out, err = cli("--db", str(folder.parent / "c.duckdb"),  # type: ignore[operator]
                         "import", str(folder))
    assert code == 3
    for name in skipped:
        assert f"skipped: {folder / name}" in err
    assert "5 skipped" in out


def test_the_store_guards_itself(store: Store) -> None:
    """A direct Store.write (the Python API) passes the same checks."""
    bad = [
        pd.DataFrame({"series_id": ["SOFR"], "date": ["2024-01-02"], "value": [float("inf")]}),
        pd.DataFrame({"series_id": ["SOFR"], "date": ["2300-01-02"], "value": [1.0]}),
        pd.DataFrame({"series_id": ["<b>"], "date": ["2024-01-02"], "value": [1.0]}),
        pd.DataFrame({"series_id": ["SOFR"], "date": ["2024-01-02"], "value": [1.0],
                      "realtime_start": ["1776-07-04"]}),
    ]
    for frame in bad:
        with pytest.raises(InvalidDataError, match="nothing was written"):
            store.write(frame)
    assert store.row_count() == 0


def test_shown_quotes_hostile_text_inertly() -> None:
    assert validation.shown("a\u202eb\x1b[31m") == "'a\\u202eb\\u001b[31m'"
    assert validation.shown("x" * 100, 10) == "'xxxxxxxxxx'… (100 characters)"
    assert validation.id_problem("SOFR") is None
    assert validation.id_problem("my.basis-2") is None
    for bad in ("", "[/x]", "<script>", "a b", "é", "_x", "a/b", "A" * 65):
        assert validation.id_problem(bad), bad


def test_an_import_error_names_its_file_in_the_exception(tmp_path: Path) -> None:
    path = tmp_path / "USER_E.csv.gz"
    path.write_bytes(b"\x1f\x8b broken")
    with pytest.raises(ImportFileError) as info:
        parse_csv(path)
    assert info.value.path == path and "gzip" in info.value.problem


def test_a_vintage_out_of_range_is_refused(folder: Path, store: Store, cli: object) -> None:
    """``--vintage 9999-12-30`` once stored a revision published in the year 9999 (never
    visible to any as-of read) and closed the old value the day before."""
    frame = pd.DataFrame({"series_id": ["SOFR"], "date": ["2024-01-02"], "value": [1.0]})
    store.write(frame)
    with pytest.raises(InvalidDataError, match="vintage date 9999-12-30 is outside"):
        store.write(frame.assign(value=2.0), vintage_date=date(9999, 12, 30))
    assert store.read_vintages(["SOFR"])["value"].tolist() == [1.0]
    code, _, err = cli("--db", str(folder.parent / "v.duckdb"),  # type: ignore[operator]
                       "import", str(folder / "GOOD.csv"), "--vintage", "1899-12-31")
    assert code == 1 and "--vintage 1899-12-31 is outside 1900-01-01" in err


@pytest.mark.parametrize("args", [
    ["indicators", "--as-of", "1600-01-01"],
    ["verdict", "--as-of", "1899-12-31"],
    ["series", "GOOD", "--end", "9999-12-31"],
    ["status", "--today", "0001-01-01"],
])
def test_cli_dates_outside_the_range_are_user_errors(folder: Path, cli: object,
                                                     args: list[str]) -> None:
    """A day no data can have is a clear user error (it once overflowed datetime64[ns] deep in
    the indicators: an internal error)."""
    db = folder.parent / "d.duckdb"
    code, _, err = cli("--db", str(db), *args)  # type: ignore[operator]
    assert code == 1, err
    assert f"{args[-2]} {args[-1]} is outside 1900-01-01 to {last_date()}" in err
