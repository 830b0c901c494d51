"""Every file liqwatch writes goes through a unique temporary file in the target folder and an
atomic rename: a symbolic link planted beside the target (``report.html.tmp``, the old
predictable name) or at the target itself is never followed, and a lock file that is a
symbolic link is refused. Real commands on the real store; the "victim" files are created by
the tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from liqwatch.exceptions import StoreError
from liqwatch.files import write_text
from liqwatch.store.locks import FileLock

CliRun = Callable[..., tuple[int, str, str]]
VICTIM = "precious: must survive\n"


def _plant(folder: Path, name: str) -> Path:
    """A victim file and symbolic links to it at ``name`` + ``.tmp`` and other guesses."""
    victim = folder / "victim.txt"
    victim.write_text(VICTIM, encoding="utf-8")
    for guess in (f"{name}.tmp", f".{name}.tmp", f"{name}~", f"{name}.part"):
        (folder / guess).symlink_to(victim)
    return victim


@pytest.mark.parametrize(("args", "name"), [
    (["report", "--out", "{out}"], "report.html"),
    (["export", "--what", "indicators", "--format", "csv", "--out", "{out}"], "ind.csv"),
    (["export", "--what", "indicators", "--format", "json", "--out", "{out}"], "ind.json"),
    (["export", "--what", "stress", "--format", "parquet", "--out", "{out}"], "s.parquet"),
    (["indicators", "history", "sofr_iorb_bp", "--start", "2019-09-01", "--end",
      "2019-10-01", "--chart", "{out}"], "chart.html"),
    (["scenario", "--weeks", "8", "--plot", "{out}"], "reserves.png"),
])
def test_commands_never_follow_a_planted_link(
        real_db: Path, tmp_path: Path, cli: CliRun, args: list[str], name: str) -> None:
    victim = _plant(tmp_path, name)
    out = tmp_path / name
    code, _, err = cli("--db", str(real_db), *[a.format(out=out) for a in args])
    assert code == 0, err
    assert victim.read_text(encoding="utf-8") == VICTIM
    assert out.is_file() and not out.is_symlink() and out.stat().st_size > 100
    leftovers = {p.name for p in tmp_path.iterdir()} - {name, "victim.txt"}
    assert all((tmp_path / n).is_symlink() for n in leftovers)  # only the planted links


def test_a_link_at_the_target_is_replaced_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text(VICTIM, encoding="utf-8")
    target = tmp_path / "out.txt"
    target.symlink_to(victim)
    write_text(target, "new content")
    assert victim.read_text(encoding="utf-8") == VICTIM
    assert not target.is_symlink() and target.read_text(encoding="utf-8") == "new content"


def test_a_lock_file_that_is_a_link_is_refused(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text(VICTIM, encoding="utf-8")
    lock = tmp_path / "store.duckdb.watch.lock"
    lock.symlink_to(victim)
    with pytest.raises(StoreError, match="symbolic link"), FileLock(lock):
        pass
    assert victim.read_text(encoding="utf-8") == VICTIM
