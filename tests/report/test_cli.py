"""``liqwatch report`` and ``liqwatch export`` through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest


def test_report_command_writes_the_file(
    real_db: Path, tmp_path: Path, cli: Any
) -> None:
    out_file = tmp_path / "ja.html"
    code, out, _ = cli("--db", str(real_db), "report", "--as-of", "2020-03-17",
                       "--lang", "ja", "--out", str(out_file))
    assert code == 0
    assert str(out_file) in out.replace("\n", "")
    html = out_file.read_text(encoding="utf-8")
    assert '<html lang="ja">' in html and "2020年3月" in html


@pytest.mark.parametrize(("args", "needle"), [
    (["report", "--lang", "fr"], "fr"),
    (["report", "--as-of", "2020-02-30"], "--as-of"),
    (["report", "--claims", "/no/such/claims.yaml"], "--claims"),
    (["export", "--what", "everything", "--out", "x.csv"], "--what"),
    (["export", "--format", "xlsx", "--out", "x.xlsx"], "--format"),
    (["export", "--series", "NOPE", "--format", "csv", "--out", "x.csv"], "NOPE"),
    (["serve", "--host", "0.0.0.0"], "--token"),
])
def test_user_errors_exit_1_with_a_message(
    real_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    cli: Any, args: list[str], needle: str
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LIQWATCH_TOKEN", raising=False)
    code, _, err = cli("--db", str(real_db), *args)
    assert code == 1
    assert needle in err.replace("\n", " ")
    assert not list(tmp_path.glob("x.*"))


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_export_series_round_trips(
    real_db: Path, tmp_path: Path, cli: Any, fmt: str
) -> None:
    path = tmp_path / f"s.{fmt}"
    code, out, _ = cli("--db", str(real_db), "export", "--what", "series",
                       "--series", "SOFR", "--series", "WRESBAL", "--start", "2019-09-01",
                       "--end", "2019-09-30", "--as-of", "2019-09-18", "--format", fmt,
                       "--out", str(path))
    assert code == 0 and "rows" in out
    if fmt == "csv":
        frame = pd.read_csv(path)
    elif fmt == "json":
        frame = pd.DataFrame(json.loads(path.read_text()))
    else:
        frame = duckdb.sql(f"SELECT * FROM read_parquet('{path}')").df()
    sofr = frame[frame["series_id"] == "SOFR"]
    assert str(sofr["date"].astype(str).max())[:10] == "2019-09-17"  # 18th not yet published
    assert float(sofr.loc[sofr["date"].astype(str).str[:10] == "2019-09-17", "value"].iloc[0]) \
        == 5.25
    assert set(frame["series_id"]) == {"SOFR", "WRESBAL"}


def test_export_indicators_snapshot_and_history(
    real_db: Path, tmp_path: Path, cli: Any
) -> None:
    snap = tmp_path / "i.json"
    code, _, _ = cli("--db", str(real_db), "export", "--what", "indicators",
                     "--as-of", "2019-09-18", "--format", "json", "--out", str(snap))
    assert code == 0
    rows = {r["id"]: r for r in json.loads(snap.read_text())}
    assert rows["sofr_iorb_bp"]["value"] == pytest.approx(315.0)
    assert rows["sofr_iorb_bp"]["status"] == "alert"
    hist = tmp_path / "h.csv"
    code, _, _ = cli("--db", str(real_db), "export", "--what", "indicators",
                     "--series", "sofr_iorb_bp", "--start", "2019-09-16", "--end", "2019-09-20",
                     "--format", "csv", "--out", str(hist))
    assert code == 0
    frame = pd.read_csv(hist)
    assert list(frame["date"].str[:10]) == ["2019-09-16", "2019-09-17", "2019-09-18",
                                            "2019-09-19", "2019-09-20"]
    assert frame.loc[frame["date"].str[:10] == "2019-09-18", "value"].iloc[0] == 315.0


def test_export_stress_history(real_db: Path, tmp_path: Path, cli: Any) -> None:
    path = tmp_path / "stress.csv"
    code, _, _ = cli("--db", str(real_db), "export", "--what", "stress", "--start",
                     "2019-09-01", "--end", "2019-09-30", "--format", "csv", "--out", str(path))
    assert code == 0
    frame = pd.read_csv(path)
    assert {"date", "method", "value", "status"} <= set(frame.columns)
    assert frame["date"].min() >= "2019-09-01" and frame["date"].max() <= "2019-09-30"
    assert list(frame.loc[frame["date"] == "2019-09-18", "status"]) == ["alert"]


def test_serve_on_a_busy_port_is_one_clear_line(tmp_path: Path, cli: Any) -> None:
    """A port already taken (by a real listening socket) fails before the URL is announced."""
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, out, err = cli("--db", str(tmp_path / "x.duckdb"), "serve", "--port", str(port))
    assert code == 1 and out == ""
    assert err.strip() == (f"error: cannot listen on 127.0.0.1:{port}: Address already in use "
                           "(another server running? choose another --port)")
