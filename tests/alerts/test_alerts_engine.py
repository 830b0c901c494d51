"""The engine on synthetic indicator frames: hysteresis, de-duplication, alert_log."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd
import pytest
from alerts_helpers import SyntheticProvider, synthetic_row

from liqwatch.alerts import log as alert_log
from liqwatch.alerts.config import AlertConfig
from liqwatch.alerts.engine import evaluate
from liqwatch.alerts.replay import replay
from liqwatch.exceptions import ConfigError
from liqwatch.store import Store

D1, D2, D3, D4, D5 = (date(2024, 3, d) for d in (4, 5, 6, 7, 8))


def _provider() -> SyntheticProvider:
    """A synthetic spread: normal → alert → watch (held at alert) → normal."""
    return SyntheticProvider(frames={
        D1: [synthetic_row("spread", "normal", 5.0, obs=D1 - timedelta(days=1))],
        D2: [synthetic_row("spread", "alert", 40.0, obs=D1)],
        D3: [synthetic_row("spread", "watch", 15.0, obs=D2)],
        D4: [synthetic_row("spread", "normal", 2.0, obs=D3)],
    })


def test_hysteresis_and_one_change_per_state(store: Store, immediate_config: AlertConfig) -> None:
    p = _provider()
    states = []
    for day in (D1, D2, D2, D3, D4, D5):
        events = evaluate(store, day, config=immediate_config, provider=p, persist=True)
        ev = [e for e in events if e.subject == "spread"]
        states.append((ev[0].state, ev[0].changed) if ev else ("normal", False))
    assert states == [("normal", False), ("alert", True), ("alert", False), ("alert", False),
                      ("normal", True), ("normal", False)]
    rows = store.execute(
        "SELECT state, previous, as_of, first_seen, last_seen, value, threshold FROM alert_log "
        "WHERE rule_key = 'indicator-status:spread' ORDER BY id").fetchall()
    assert rows == [("alert", "normal", D2, D2, D3, 40.0, 25.0),
                    ("normal", "alert", D4, D4, D4, 2.0, 10.0)]


def test_watch_then_alert_escalates(store: Store, market_config: AlertConfig) -> None:
    p = SyntheticProvider(frames={D1: [synthetic_row("s", "watch", 12.0)],
                                  D2: [synthetic_row("s", "alert", 30.0)]})
    first = evaluate(store, D1, config=market_config, provider=p, persist=True)
    second = evaluate(store, D2, config=market_config, provider=p, persist=True)
    assert [e.state for e in first.changes] == ["watch"]
    assert [(e.state, e.previous) for e in second.changes] == [("alert", "watch")]
    assert "ALERT (was watch)" in second.changes[0].message


def test_no_data_holds_then_expires(store: Store, market_config: AlertConfig) -> None:
    rules = tuple(r.model_copy(update={"hold_no_data_days": 2}) if r.kind == "indicator"
                  else r for r in market_config.rules)
    cfg = market_config.model_copy(update={"rules": rules})
    p = SyntheticProvider(frames={D1: [synthetic_row("s", "alert", 30.0)],
                                  D2: [synthetic_row("s", "no_data", float("nan"))]})
    evaluate(store, D1, config=cfg, provider=p, persist=True)
    held = evaluate(store, D3, config=cfg, provider=p, persist=True)
    assert [(e.state, e.changed) for e in held] == [("alert", False)]
    gone = evaluate(store, D4, config=cfg, provider=p, persist=True)
    assert [(e.state, e.changed) for e in gone] == [("normal", True)]
    assert "no data" in gone[0].message


def test_evaluating_the_past_does_not_rewrite_the_log(
    store: Store, market_config: AlertConfig
) -> None:
    p = _provider()
    evaluate(store, D3, config=market_config, provider=p, persist=True)
    with pytest.raises(ConfigError, match="replay"):
        evaluate(store, D1, config=market_config, provider=p, persist=True)
    # A look at the past without persisting is fine and records nothing.
    before = store.execute("SELECT count(*) FROM alert_log").fetchone()
    look = evaluate(store, D2, config=market_config, provider=p, persist=False)
    assert [e.state for e in look] == ["alert"] and look[0].id is None
    assert store.execute("SELECT count(*) FROM alert_log").fetchone() == before


def test_combination_rule_through_the_engine(store: Store, market_config: AlertConfig) -> None:
    rows = [synthetic_row(f"i{c}", "alert", 1.0, category=c)
            for c in ("funding", "reserves", "credit")]
    p = SyntheticProvider(frames={D1: rows})
    events = evaluate(store, D1, config=market_config, provider=p, persist=True)
    combo = [e for e in events if e.rule == "combination"]
    assert len(combo) == 1 and combo[0].state == "alert" and combo[0].value == 3.0
    assert combo[0].threshold == 3.0 and "3 categories at alert" in combo[0].message


def test_composite_rule_when_available(store: Store, market_config: AlertConfig) -> None:
    p = SyntheticProvider(frames={D1: []}, composite_status={D1: ("watch", 1.4),
                                                             D2: ("alert", 2.3)})
    evaluate(store, D1, config=market_config, provider=p, persist=True)
    ev = evaluate(store, D2, config=market_config, provider=p, persist=True)
    comp = [e for e in ev.changes if e.rule == "composite"]
    assert [(e.state, e.value, e.threshold) for e in comp] == [("alert", 2.3, 2.0)]


def test_ack_and_snooze(store: Store, market_config: AlertConfig) -> None:
    p = _provider()
    ev = evaluate(store, D2, config=market_config, provider=p, persist=True)
    aid = ev.changes[0].id
    assert aid is not None
    assert [r.id for r in alert_log.pending(store)] == [aid]
    alert_log.snooze(store, aid, alert_log.utcnow() + timedelta(hours=1))
    assert alert_log.pending(store) == []
    assert [r.id for r in alert_log.pending(store, alert_log.utcnow() + timedelta(hours=2))] \
        == [aid]
    row = alert_log.acknowledge(store, aid)
    assert isinstance(row.acknowledged_at, datetime)
    assert alert_log.pending(store, alert_log.utcnow() + timedelta(hours=2)) == []
    with pytest.raises(ConfigError, match="no alert with id 999"):
        alert_log.acknowledge(store, 999)


def test_stale_rule_reads_the_store_point_in_time(store: Store, market_config: AlertConfig,
                                                  config_file: object) -> None:
    from liqwatch.alerts.config import load_alert_config

    cfg = load_alert_config()
    cfg = cfg.model_copy(update={"rules": tuple(r for r in cfg.rules if r.kind == "stale")})
    dates = pd.bdate_range("2024-01-02", "2024-02-01")
    store.write(pd.DataFrame({"series_id": "SOFR", "date": dates, "value": 5.3}))
    fresh = evaluate(store, date(2024, 2, 2), config=cfg, persist=True)
    assert [e.state for e in fresh] == []
    late = evaluate(store, date(2024, 2, 12), config=cfg, persist=True)
    assert [(e.subject, e.state, e.value) for e in late] == [("nyfed", "watch", 1.0)]
    assert "SOFR" in late[0].message and "2024-02-01" in late[0].message


def test_source_failure_rule_reads_fetch_log(store: Store, config_file: object) -> None:
    from liqwatch.alerts.config import load_alert_config

    cfg = load_alert_config()
    cfg = cfg.model_copy(update={"rules": tuple(r for r in cfg.rules
                                                if r.kind == "source_failure")})
    for i, err in enumerate([None, "HTTP 503", "timeout", "HTTP 502"]):
        store.execute("INSERT INTO fetch_log VALUES (?, 'WALCL', 'fred', ?, ?, 0, 0, ?)",
                      [f"run{i}", datetime(2024, 3, 1, i), datetime(2024, 3, 1, i), err])
    ev = evaluate(store, date(2024, 3, 1), config=cfg, persist=True)
    assert [(e.subject, e.state, e.value, e.threshold) for e in ev] == \
        [("fred", "alert", 3.0, 3.0)]
    assert "HTTP 502" in ev[0].message and "WALCL" in ev[0].message
    store.execute("INSERT INTO fetch_log VALUES ('run9', 'WALCL', 'fred', ?, ?, 5, 0, NULL)",
                  [datetime(2024, 3, 2), datetime(2024, 3, 2)])
    ok = evaluate(store, date(2024, 3, 2), config=cfg, persist=True)
    assert [(e.state, e.changed) for e in ok] == [("normal", True)]


def test_replay_on_synthetic_history(store: Store, immediate_config: AlertConfig) -> None:
    p = _provider()
    ev = replay(store, D1, D5, config=immediate_config, provider=p, warmup=0)
    spread = [(e.as_of, e.date, e.state, e.previous) for e in ev.changes
              if e.subject == "spread"]
    assert spread == [(D2, D1, "alert", "normal"), (D4, D3, "normal", "alert")]
    assert store.execute("SELECT count(*) FROM alert_log").fetchone() == (0,)
    # Warm-up: a replay starting while the alert is on reports it as already active.
    late = replay(store, D3, D5, config=immediate_config, provider=p, warmup=5)
    assert [(e.state, e.changed) for e in late if e.subject == "spread"] == \
        [("alert", False), ("normal", True)]


def test_read_only_store_shows_recorded_states_without_writing(
    tmp_path: object, market_config: AlertConfig
) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "ro.duckdb"
    p = SyntheticProvider(frames={date(2000, 1, 3): [synthetic_row("s", "alert", 30.0)]})
    with Store(path) as store:
        first = evaluate(store, config=market_config, provider=p)
    assert [(e.state, e.changed) for e in first] == [("alert", True)]
    with Store(path, read_only=True) as ro:
        again = evaluate(ro, config=market_config, provider=p)
        assert [(e.state, e.changed, e.id) for e in again] == [("alert", False, first[0].id)]


def test_resolution_can_wait_for_a_steady_return(store: Store, market_config: AlertConfig
                                                 ) -> None:
    """``resolve_after_days``: a one-day dip below watch is not a resolution and a new alert
    (synthetic readings); the engine and the replay agree."""
    rules = tuple(r.model_copy(update={"resolve_after_days": 3}) if r.kind == "indicator"
                  else r for r in market_config.rules)
    cfg = market_config.model_copy(update={"rules": rules})
    days = [date(2024, 3, d) for d in (4, 5, 6, 7, 8, 11, 12)]
    levels = ["watch", "normal", "watch", "normal", "normal", "normal", "normal"]
    p = SyntheticProvider(frames={d: [synthetic_row("s", lvl, 12.0 if lvl == "watch" else 1.0,
                                                    obs=d)]
                                  for d, lvl in zip(days, levels, strict=True)})
    changes = []
    for d in days:
        events = evaluate(store, d, config=cfg, provider=p, persist=True)
        changes += [(e.as_of, e.state) for e in events.changes]
        held = [e for e in events if e.subject == "s" and not e.changed and e.state == "watch"]
        if held and levels[days.index(d)] == "normal":
            assert "back below the watch threshold" in held[0].message
    # Watch on the 4th; the dips on the 5th and 7-8th are held; resolved on the 11th
    # (more than 3 days after the last watch reading on the 6th).
    assert changes == [(days[0], "watch"), (days[5], "normal")]
    replayed = replay(store, days[0], days[-1], config=cfg, provider=p, warmup=0)
    assert [(e.as_of, e.state) for e in replayed.changes] == changes
