"""Fuzz tests (Hypothesis) of the CSV reader: arbitrary bytes as a ``.csv`` or ``.csv.gz``
file, and FRED-format files built from hostile cells, imported from a folder beside a good
file (all synthetic).

The reader only ever raises :class:`~liqwatch.exceptions.ImportFileError`; a file it accepts is
stored whole (every observation it parsed, nothing else), one it refuses leaves nothing, and
the good file beside it is always stored whole.
"""

from __future__ import annotations

import gzip
import itertools
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liqwatch.exceptions import ImportFileError
from liqwatch.importer import import_path, parse_csv
from liqwatch.store import Store

FUZZ = settings(max_examples=60, deadline=timedelta(seconds=3), database=None,
                suppress_health_check=[HealthCheck.too_slow])
GOOD = "date,value\n2024-01-02,1.5\n2024-01-03,2.5\n2024-01-04,.\n"
_names = itertools.count()

_CELL = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["2024-01-02", "2024-01-03", "9999-12-31", "1600-01-01", "2262-04-12",
                     "1900-01-01", "inf", "-inf", "1e309", "NaN", ".", "", "1,5", "0x10",
                     "1_000", "\u202e3", "[/x]", "<b>", '"', "\ufeff1", "1e-400"]),
    st.floats().map(repr),
    st.dates().map(str),
)
_LINE = st.lists(_CELL, min_size=0, max_size=3).map(",".join)
_FILE = st.tuples(st.sampled_from(["date,value", "DATE,X", "observation_date,Y", "date,value,",
                                   "when,value", ""]),
                  st.lists(_LINE, max_size=8)).map(lambda t: "\n".join([t[0], *t[1]]) + "\n")


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def scratch() -> Iterator[Store]:
    with Store(":memory:") as store:
        yield store


def _import(place: Path, store: Store, name: str, data: bytes) -> None:
    """Import ``data`` as ``name`` beside the good file; check the module's promise."""
    folder = place / f"f{next(_names)}"
    folder.mkdir()
    (folder / "GOOD.csv").write_text(GOOD, encoding="utf-8")
    path = folder / name
    path.write_bytes(data)
    try:
        parsed = parse_csv(path)
    except ImportFileError as exc:
        assert exc.path == path
        parsed = None
    store.execute("DELETE FROM observations")
    store.execute("DELETE FROM series")
    report = import_path(store, folder)
    assert report.imported["GOOD"] == (2, 2, 0)
    counts = dict(store.execute("SELECT series_id, count(*) FROM observations "
                                "GROUP BY series_id").fetchall())
    assert counts.pop("GOOD") == 2
    if parsed is None:
        assert counts == {} and [e.path for e in report.errors] == [path]
        assert report.exit_code == 3
    else:
        assert counts == ({"FUZZ": len(parsed.frame)} if len(parsed.frame) else {})
        assert report.exit_code == 0 and len(parsed.frame) > 0


@FUZZ
@given(data=st.binary(max_size=600), packed=st.booleans())
def test_arbitrary_bytes(place: Path, scratch: Store, data: bytes, packed: bool) -> None:
    _import(place, scratch, "FUZZ.csv.gz" if packed else "FUZZ.csv", data)


@FUZZ
@given(text=_FILE, packed=st.booleans())
def test_hostile_cells(place: Path, scratch: Store, text: str, packed: bool) -> None:
    data = text.encode("utf-8", "surrogatepass")
    _import(place, scratch, "FUZZ.csv.gz" if packed else "FUZZ.csv",
            gzip.compress(data) if packed else data)


@FUZZ
@given(data=st.binary(min_size=1, max_size=200), cut=st.integers(0, 200))
def test_damaged_gzip(place: Path, scratch: Store, data: bytes, cut: int) -> None:
    """A gzip stream cut short or with one byte changed."""
    packed = bytearray(gzip.compress(GOOD.encode() + data))
    if cut < len(packed) - 1:
        packed[cut] ^= 0xFF
    _import(place, scratch, "FUZZ.csv.gz", bytes(packed[: max(1, len(packed) - cut)]))
