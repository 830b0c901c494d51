"""``--lang ja`` on every command, run through the real entry point on the real data store.

Every command of the CLI (walked from the Typer app, so a new command cannot be missed) has a
``--lang`` option; each is then run with ``--lang ja`` and its output must be Japanese. A
``lang`` key in the config file (and ``LIQWATCH_LANG``) is the default of every command.
Nothing here touches the internet: ``update`` is pointed at a closed local port.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import typer

from liqwatch.cli import app

CliRun = Callable[..., tuple[int, str, str]]
FIX = Path(__file__).resolve().parent.parent / "fixtures" / "claims"
_JA = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _leaves(group: Any, prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command under ``group`` (a Click group; Typer ships its own Click)."""
    if hasattr(group, "commands"):
        if prefix and group.invoke_without_command:  # a group that is also a command
            yield prefix, group
        for name, sub in group.commands.items():
            yield from _leaves(sub, (*prefix, name))
    else:
        yield prefix, group


def _all_commands() -> list[tuple[tuple[str, ...], Any]]:
    return list(_leaves(typer.main.get_command(app)))


#: (arguments after --lang ja, a Japanese text the output must contain). ``{db}`` is the real
#: data store (read only), ``{rw}`` a copy commands may write, ``{tmp}`` a scratch folder.
RUNS: dict[tuple[str, ...], tuple[list[str], str]] = {
    ("status",): (["--db", "{db}", "status"], "系列の状況"),
    ("series",): (["--db", "{db}", "series", "SOFR", "--start", "2019-09-16", "--end",
                   "2019-09-17"], "日付"),
    ("import",): (["--db", "{rw}", "import", "{tmp}/MY_BASIS.csv"], "系列を読み込みました"),
    ("catalog",): (["catalog", "--source", "nyfed"], "カタログ"),
    ("demo",): (["--db", "{tmp}/demo.duckdb", "demo", "--report", "{tmp}/demo.html"],
                "総合判定"),
    ("update",): (["--db", "{tmp}/u.duckdb", "update", "--series", "SOFR"], "liqwatch 更新"),
    ("store", "info"): (["--db", "{db}", "store", "info"], "スキーマ版"),
    ("store", "copy"): (["store", "copy", "{db}", "{tmp}/copy.duckdb"], "コピーしました"),
    ("store", "migrate"): (["--db", "{rw}", "store", "migrate"], "スキーマ版"),
    ("verdict",): (["--db", "{db}", "verdict", "--as-of", "2019-09-18"], "総合判定"),
    ("indicators",): (["--db", "{db}", "indicators", "--as-of", "2019-09-18"], "準備預金"),
    ("indicators", "history"): (["--db", "{db}", "indicators", "history", "sofr_iorb_bp",
                                 "--start", "2019-09-16", "--end", "2019-09-18"], "3 行"),
    ("stress",): (["--db", "{db}", "stress", "--as-of", "2019-09-18"], "総合ストレス指数"),
    ("stress", "status"): (["--db", "{db}", "stress", "status", "--as-of", "2019-09-18"],
                           "準備預金の局面"),
    ("stress", "history"): (["--db", "{db}", "stress", "history", "--start", "2019-09-16",
                             "--end", "2019-09-18"], "3 行"),
    ("calendar",): (["--db", "{db}", "calendar", "--from", "2026-12-01", "--to", "2027-01-31"],
                    "資金繰りの注意日"),
    ("analogs",): (["--db", "{db}", "analogs", "--as-of", "2020-03-16"], "類似度"),
    ("backtest",): (["--db", "{db}", "backtest"], "誤警報"),
    ("nowcast",): (["--db", "{db}", "nowcast"], "準備預金"),
    ("scenario",): (["--db", "{db}", "scenario", "--weeks", "8"], "準備預金"),
    ("scenario", "validate"): (["--db", "{db}", "scenario", "validate"], "誤差"),
    ("alerts",): (["--db", "{db}", "alerts", "--as-of", "2019-09-18"], "警戒の閾値"),
    ("alerts", "rules"): (["alerts", "rules"], "アラートのルール"),
    ("alerts", "log"): (["--db", "{rw}", "alerts", "log"], "アラート履歴"),
    ("alerts", "ack"): (["--db", "{rw}", "alerts", "ack", "{id}"], "確認済み"),
    ("alerts", "snooze"): (["--db", "{rw}", "alerts", "snooze", "{id}", "--for", "1h"],
                           "通知を"),
    ("watch",): (["--db", "{rw}", "watch", "--once", "--no-update"], "監視を 1 回実行"),
    ("report",): (["--db", "{db}", "report", "--as-of", "2019-09-18", "--out",
                   "{tmp}/r.html"], "レポートを"),
    ("export",): (["--db", "{db}", "export", "--series", "SOFR", "-f", "csv", "-o",
                   "{tmp}/sofr.csv"], "書き出しました"),
    ("check",): (["--db", "{db}", "check", str(FIX / "claims.yaml")], "整合: 3"),
    ("claims", "extract"): (["claims", "extract", str(FIX / "commentary_en.txt"), "-o",
                             "{tmp}/drafted.yaml"], "件の主張を"),
    ("claims", "schema"): (["claims", "schema"], ""),  # machine-readable JSON Schema
    ("serve",): ([], ""),  # a server: see test_serve_defaults_to_the_language
}


def test_every_command_has_a_lang_option() -> None:
    missing = [" ".join(path) for path, cmd in _all_commands()
               if not any("--lang" in p.opts for p in cmd.params)]
    assert missing == []
    assert {path for path, _ in _all_commands()} == set(RUNS)


@pytest.fixture
def env(real_db: Path, raw_dir: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Scratch files: a writable copy of the real store, a user CSV (synthetic), a config
    with the console notifier off, a demo snapshot folder and a closed port for update."""
    rw = tmp_path / "rw.duckdb"
    shutil.copy(real_db, rw)
    (tmp_path / "MY_BASIS.csv").write_text("date,value\n2024-01-02,1.5\n")  # synthetic
    snap = tmp_path / "snap"
    snap.mkdir()
    shutil.copy(raw_dir / "SOFR.csv", snap / "SOFR.csv")
    config = tmp_path / "config.toml"
    config.write_text("[alerts.notifiers.console]\nenabled = false\n")
    monkeypatch.setenv("LIQWATCH_CONFIG", str(config))
    monkeypatch.setenv("LIQWATCH_SNAPSHOT_DIR", str(snap))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    monkeypatch.setenv("LIQWATCH_NYFED_URL", f"http://127.0.0.1:{closed}/nyfed")
    monkeypatch.setenv("LIQWATCH_RETRY_ATTEMPTS", "1")
    monkeypatch.setenv("LIQWATCH_RETRY_BACKOFF", "0.01")
    return {"db": str(real_db), "rw": str(rw), "tmp": str(tmp_path)}


@pytest.mark.parametrize("path", [p for p in RUNS if RUNS[p][0]], ids=" ".join)
def test_command_speaks_japanese(path: tuple[str, ...], env: dict[str, str],
                                 cli: CliRun) -> None:
    args, needle = RUNS[path]
    if "{id}" in args:  # an alert to acknowledge or snooze: evaluate the copy once
        code, out, _ = cli("--db", env["rw"], "alerts", "--format", "json")
        assert code == 0
        ids = [r["id"] for r in json.loads(out) if r["id"] is not None]
        assert ids, "the real data raise at least one alert today"
        env = {**env, "id": str(ids[0])}
    filled = [a.format(**env) for a in args]
    code, out, err = cli(*filled, "--lang", "ja")
    assert code in ((0, 2) if path == ("update",) else (0,)), err
    text = out + err
    assert needle in text, text[-2000:]
    if path != ("claims", "schema"):
        assert _JA.search(text), text[-2000:]


def test_config_file_lang_is_the_default(env: dict[str, str], tmp_path: Path, cli: CliRun,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "ja.toml"
    config.write_text('lang = "ja"\n')
    monkeypatch.setenv("LIQWATCH_CONFIG", str(config))
    code, out, _ = cli("--db", env["db"], "verdict", "--as-of", "2019-09-18")
    assert code == 0 and out.startswith("総合判定: 警戒")
    code, out, _ = cli("--db", env["db"], "verdict", "--as-of", "2019-09-18", "--lang", "en")
    assert code == 0 and out.startswith("Overall: ALERT")
    monkeypatch.setenv("LIQWATCH_LANG", "en")  # the environment over the file
    code, out, _ = cli("--db", env["db"], "verdict", "--as-of", "2019-09-18")
    assert out.startswith("Overall: ALERT")
    code, out, _ = cli("--db", env["db"], "--lang", "ja", "verdict", "--as-of", "2019-09-18")
    assert out.startswith("総合判定: 警戒")  # the global option over the environment


def test_bad_lang_is_one_error_line(cli: CliRun) -> None:
    code, _, err = cli("status", "--lang", "fr")
    assert code == 1
    assert err.strip().splitlines() == ["error: --lang 'fr': choose en or ja"]


def test_serve_defaults_to_the_language(real_db: Path, tmp_path: Path) -> None:
    """``serve --lang ja``: a page asked for without ``?lang=`` is Japanese."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "liqwatch", "--db", str(real_db), "serve",
                             "--port", str(port), "--lang", "ja"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/api/report?as_of=2019-09-18",
                                 timeout=120)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.3)
        assert page.status_code == 200
        assert '<html lang="ja">' in page.text
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
    assert "ダッシュボード" in out
