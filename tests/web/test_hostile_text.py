"""Hostile user text on every surface: the CLI, the HTML report, the dashboard and its JSON API,
and the alerts (console and Slack webhook).

The text tried: Rich markup (``[/x]``, ``[bold red]x[/]``), HTML (``<script>``,
``"><img onerror=…>``), a Slack mention (``<!channel>``), a terminal escape, a right-to-left
override and 10 kB of text. It reaches liqwatch three ways, each tried here:

* as series ids and file names given to ``liqwatch import``: refused with an error that shows
  them as text, and nothing is stored;
* as descriptions and notes in ``MANIFEST.csv`` and in the name of the imported folder: stored
  as provenance;
* as series ids in a store written before these checks existed (or by another program on a
  shared PostgreSQL store), inserted here with SQL, and as the errors a hostile payload leaves
  in the fetch log.

Everything is synthetic. Each surface must show the text literally: never as markup, tags,
attributes, mentions or terminal control.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from liqwatch.store import Store

from .server import running

CliRun = Callable[..., tuple[int, str, str]]

HOSTILE = {
    "markup": "[/x]",
    "rich": "[bold red]x[/]",
    "script": "<script>alert(1)</script>",
    "attribute": '"><img src=x onerror=alert(1)>',
    "slack": "<!channel> <https://evil.example|click>",
    "escape": "\x1b[2J\x1b[31mred",
    "rtl": "ab\u202ecd",
    "long": "L" * 10_000,
}
#: How the CLI shows each one (control and format characters as escapes).
SHOWN = {"escape": "\\u001b[2J\\u001b[31mred", "rtl": "ab\\u202ecd"}
_DAY = date.today() - timedelta(days=3)


class _Tags(HTMLParser):
    """Start tags and attribute names of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: set[str] = set()
        self.text: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.update(k for k, _ in attrs)
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        (self.scripts if self._in_script else self.text).append(data)


def _check_page(html: str) -> None:
    """No tag, attribute or script came from the hostile text, which shows as text."""
    page = _Tags()
    page.feed(html)
    assert "img" not in page.tags
    assert not {a for a in page.attrs if a.startswith("on")}
    assert all("alert(1)" not in s or s.lstrip().startswith(("{", "[", "/**", "(")) for s in
               page.scripts), "a script element made of user text"
    text = "".join(page.text)
    for key in ("markup", "rich", "script", "attribute", "rtl", "long"):
        assert HOSTILE[key] in text, key


@pytest.fixture
def hostile_db(tmp_path: Path, cli: CliRun) -> Path:
    """A store holding: a user series imported from a hostile folder with a hostile
    MANIFEST.csv, series with hostile ids inserted with SQL (as an older liqwatch or another
    program could have written them), and three failed FRED runs whose errors quote a hostile
    payload."""
    db = tmp_path / "hostile.duckdb"
    folder = tmp_path / ('x"><img src=x onerror=alert(1)> [bold red]b \u202e')
    folder.mkdir()
    (folder / "USER_H.csv").write_text(f"date,value\n{_DAY - timedelta(days=1)},1.5\n{_DAY},2.5\n",
                                       encoding="utf-8")
    notes = " ".join(HOSTILE.values())
    (folder / "MANIFEST.csv").write_text(
        "series_id,description,notes\n" + "USER_H," + json.dumps(notes) + ","
        + json.dumps(HOSTILE["long"]) + "\n", encoding="utf-8")
    code, out, err = cli("--db", str(db), "import", str(folder))
    assert code == 0, err
    assert "Imported 1 series" in out
    assert "\u202e" not in err
    now = datetime.now(UTC).replace(tzinfo=None)
    with Store(db) as store:
        for sid in HOSTILE.values():
            store.execute("INSERT INTO series VALUES (?, 'user', ?, 'number', 'daily', ?, "
                          "'user', NULL, ?, ?)", [sid, sid, f"User series {sid}", now, now])
            store.execute("INSERT INTO observations VALUES (?, ?, 4.25, ?, DATE '9999-12-31', "
                          "?, 'schedule')", [sid, _DAY, _DAY + timedelta(days=1), now])
        error = ("fred series WALCL: unexpected payload: bad observation {'date': "
                 f"'2024-01-02', 'value': {notes[:300]!r}}}: could not convert")
        for n in range(3):
            started = now - timedelta(hours=3 - n)
            store.execute("INSERT INTO fetch_log VALUES (?, 'WALCL', 'fred', ?, ?, 0, 0, ?)",
                          [f"run-{n}", started, started + timedelta(seconds=2), error])
    return db


@pytest.mark.parametrize("key", list(HOSTILE))
def test_import_refuses_a_hostile_id_and_shows_it_as_text(
    tmp_path: Path, cli: CliRun, key: str
) -> None:
    good = tmp_path / "USER_G.csv"
    good.write_text("date,value\n2024-01-02,1\n", encoding="utf-8")
    db = tmp_path / "s.duckdb"
    code, out, err = cli("--db", str(db), "import", str(good), "--series", HOSTILE[key])
    assert code == 2, err
    assert "is not valid" in err and "MarkupError" not in err and "internal" not in err
    assert "\x1b" not in err and "\u202e" not in err
    shown = SHOWN.get(key, HOSTILE[key])[:60]
    assert shown in err.replace("\\'", "'").replace("\n", "")
    assert "Imported 0 series" in out
    with Store(db, read_only=True) as store:
        assert store.row_count() == 0 and store.series_info().empty


def test_import_refuses_hostile_file_names(tmp_path: Path, cli: CliRun) -> None:
    folder = tmp_path / "snap"
    folder.mkdir()
    names = ["[red]x[-]", "<script>", '"><img src=x onerror=alert(1)>', "ab\u202ecd",
             "\x1b[31mred", "<!channel>", "N" * 200]
    for name in names:
        (folder / f"{name}.csv").write_text("date,value\n2024-01-02,1\n", encoding="utf-8")
    (folder / "USER_G.csv").write_text("date,value\n2024-01-02,1\n", encoding="utf-8")
    db = tmp_path / "s.duckdb"
    code, _out, err = cli("--db", str(db), "import", str(folder))
    assert code == 3
    assert err.count("is not valid") == len(names)
    assert "\x1b" not in err and "\u202e" not in err
    with Store(db, read_only=True) as store:
        assert store.known_ids() == ["USER_G"]


def test_cli_shows_hostile_ids_literally(hostile_db: Path, cli: CliRun) -> None:
    code, out, err = cli("--db", str(hostile_db), "status", "--format", "json")
    assert code == 0, err
    ids = {r["series_id"] for r in json.loads(out)}
    assert set(HOSTILE.values()) | {"USER_H"} == ids  # JSON carries the data exactly
    code, out, err = cli("--db", str(hostile_db), "status")
    assert code == 0, err
    assert "\x1b" not in out + err and "\u202e" not in out + err
    assert "characters; --format json shows all" in out  # the 10 kB id, cut
    for key, sid in HOSTILE.items():
        if key == "long":
            continue
        code, out, err = cli("--db", str(hostile_db), "series", sid)
        assert code == 0, (key, err)
        flat = out.replace("\n", "")
        assert SHOWN.get(key, sid) in flat, key
        assert "\x1b" not in out + err and "\u202e" not in out + err


def test_report_shows_hostile_text_as_text(hostile_db: Path, tmp_path: Path,
                                           cli: CliRun) -> None:
    out_file = tmp_path / "report.html"
    code, _, err = cli("--db", str(hostile_db), "report", "--out", str(out_file))
    assert code == 0, err
    html = out_file.read_text(encoding="utf-8")
    _check_page(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # escaped, in the provenance table


def test_dashboard_and_api_show_hostile_text_as_text(hostile_db: Path) -> None:
    with running(hostile_db) as base, httpx.Client(base_url=base, timeout=60) as client:
        page = client.get("/")
        assert page.status_code == 200
        _check_page(page.text)
        status = client.get("/api/status")
        assert status.status_code == 200
        ids = {r["series_id"] for r in status.json()["series"]}
        assert set(HOSTILE.values()) <= ids
        for key, sid in HOSTILE.items():
            answer = client.get(f"/api/series/{quote(sid, safe='')}")
            assert answer.headers["content-type"].startswith("application/json"), key
            if "/" in sid:  # a path segment cannot hold "/": a JSON 404, never a page
                assert answer.status_code == 404, key
                continue
            assert answer.status_code == 200, key
            assert answer.json()["series_id"] == sid


def test_alerts_show_hostile_text_literally(
    hostile_db: Path, tmp_path: Path, cli: CliRun, httpserver: HTTPServer,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    """The source-failure alert quotes the hostile fetch-log error: the alerts table, the
    console notifier and the Slack webhook show it as text."""
    config = tmp_path / "config.toml"
    config.write_text("[alerts.notifiers.console]\nenabled = true\n"
                      "[alerts.notifiers.webhook]\nformat = \"slack\"\n", encoding="utf-8")
    monkeypatch.setenv("LIQWATCH_CONFIG", str(config))
    bodies: list[dict[str, object]] = []

    def hook(request: Request) -> Response:
        bodies.append(json.loads(request.get_data()))
        return Response("ok")

    httpserver.expect_request("/hook", method="POST").respond_with_handler(hook)
    monkeypatch.setenv("LIQWATCH_WEBHOOK_URL", httpserver.url_for("/hook"))
    code, out, err = cli("--db", str(hostile_db), "alerts", "--notify")
    assert code == 0, err
    assert "\x1b" not in out + err and "\u202e" not in out + err
    assert "[bold red]x[/]" in err.replace("\n", "")  # the console notifier: printed as is
    code, out, err = cli("--db", str(hostile_db), "alerts", "--format", "json")
    assert code == 0, err
    (failure,) = [r for r in json.loads(out) if r["rule"] == "source-failure"]
    assert failure["state"] == "alert" and "<script>alert(1)</script>" in failure["message"]
    code, out, err = cli("--db", str(hostile_db), "alerts")
    assert code == 0, err
    assert "\x1b" not in out + err and "\u202e" not in out + err
    assert len(bodies) == 1
    slack = json.dumps(bodies[0], ensure_ascii=False)
    assert "<!channel>" not in slack and "<https://evil" not in slack and "<script>" not in slack
    assert "&lt;!channel&gt;" in slack and "&lt;script&gt;" in slack
