"""``liqwatch alerts`` through the real entry point: JSON shape, notify once, ack, snooze,
replay, errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from liqwatch.store import Store

CliRun = Callable[..., tuple[int, str, str]]


@pytest.fixture
def stale_db(tmp_path: Path) -> Path:
    """A store whose SOFR stopped in January 2024 (synthetic values): a stale-data alert."""
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        dates = pd.bdate_range("2024-01-02", "2024-01-31")
        store.write(pd.DataFrame({"series_id": "SOFR", "date": dates, "value": 5.31}))
    return path


def test_json_shape_and_stale_alert(
    stale_db: Path, config_file: Path, cli: CliRun
) -> None:
    code, out, err = cli("--db", str(stale_db), "alerts", "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    stale = [r for r in rows if r["rule"] == "stale-data"]
    assert len(stale) == 1
    r = stale[0]
    assert {"rule", "state", "date", "value", "threshold", "message", "id", "as_of",
            "report"} <= set(r)
    assert (r["subject"], r["state"], r["date"], r["value"]) == ("nyfed", "watch",
                                                               "2024-01-31", 1.0)
    assert "SOFR" in r["message"]


def test_notify_sends_once_and_ack_snooze(
    stale_db: Path, config_file: Path, httpserver: HTTPServer,
    cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    bodies: list[dict[str, object]] = []

    def handler(request: Request) -> Response:
        bodies.append(json.loads(request.get_data()))
        return Response("ok")

    httpserver.expect_request("/hook", method="POST").respond_with_handler(handler)
    monkeypatch.setenv("LIQWATCH_WEBHOOK_URL", httpserver.url_for("/hook"))
    for _ in range(2):
        code, _, err = cli("--db", str(stale_db), "alerts", "--notify")
        assert code == 0, err
    assert len(bodies) == 1
    assert "SOFR" in str(bodies[0]["text"])
    code, out, _ = cli("--db", str(stale_db), "alerts", "log", "--format", "json")
    (row,) = [r for r in json.loads(out) if r["rule_key"] == "stale-data:nyfed"]
    assert row["notified_at"] is not None
    code, out, _ = cli("--db", str(stale_db), "alerts", "ack", str(row["id"]))
    assert code == 0 and "Acknowledged" in out
    code, out, _ = cli("--db", str(stale_db), "alerts", "snooze", str(row["id"]),
                       "--for", "24h")
    assert code == 0 and "Snoozed stale-data:nyfed until" in out
    code, out, _ = cli("--db", str(stale_db), "alerts", "log", "--format", "json")
    (row,) = [r for r in json.loads(out) if r["rule_key"] == "stale-data:nyfed"]
    assert row["acknowledged_at"] is not None and row["snoozed_until"] is not None


def test_ack_unknown_id_is_a_user_error(
    stale_db: Path, config_file: Path, cli: CliRun
) -> None:
    code, _, err = cli("--db", str(stale_db), "alerts", "ack", "4242")
    assert code == 1 and "no alert with id 4242" in err


def test_bad_replay_range(stale_db: Path, config_file: Path,
                          cli: CliRun) -> None:
    code, _, err = cli("--db", str(stale_db), "alerts", "--replay", "2019-09-30")
    assert code == 1 and "START:END" in err
    code, _, err = cli("--db", str(stale_db), "alerts", "--replay",
                       "2019-10-01:2019-09-01")
    assert code == 1 and "before the start" in err


def test_replay_json_on_real_data(real_db: Path, config_file: Path,
                                  cli: CliRun) -> None:
    code, out, err = cli("--db", str(real_db), "alerts", "--replay",
                         "2019-09-16:2019-09-20", "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    # indicator events (a composite reading is dated by its own as-of day)
    hits = [r for r in rows if r["changed"] and r["state"] == "alert"
            and r["date"] == "2019-09-17" and r["kind"] == "indicator"]
    assert hits and {r["as_of"] for r in hits} == {"2019-09-18"}
    assert all(r["threshold"] is not None and r["message"] for r in hits)
    # Alert entries notify; an indicator entering watch is recorded silently (defaults).
    assert all(r["notifies"] for r in hits)
    watch = [r for r in rows if r["changed"] and r["state"] == "watch" and r["kind"] == "indicator"]
    assert watch and not any(r["notifies"] for r in watch)
    code, out, err = cli("--db", str(real_db), "alerts", "--replay",
                         "2019-09-16:2019-09-20")
    assert code == 0, err
    assert f"{sum(r['changed'] for r in rows)} state changes, " \
        f"{sum(r['notifies'] for r in rows)} notified" in " ".join(out.split())


def test_rules_listing(config_file: Path, cli: CliRun) -> None:
    code, out, _ = cli("alerts", "rules", "--format", "json")
    assert code == 0
    assert {r["name"] for r in json.loads(out)} == {
        "overall", "indicator-status", "composite", "combination", "stale-data",
        "source-failure"}
