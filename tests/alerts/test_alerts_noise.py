"""Default noise damping: watch changes are recorded silently, active states resolve only
after a steady return below watch, alerts are still notified at once."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pandas as pd
from alerts_helpers import SyntheticProvider, synthetic_row

from liqwatch.alerts.config import AlertConfig, RuleSpec
from liqwatch.alerts.engine import AlertEvent, evaluate
from liqwatch.alerts.replay import replay
from liqwatch.store import Store


def test_resolution_is_notified_only_after_a_notified_state() -> None:
    rule = RuleSpec(name="x", kind="indicator", notify=("alert", "normal"))
    assert rule.notifies("alert", "normal") and rule.notifies("normal", "alert")
    assert not rule.notifies("watch", "normal") and not rule.notifies("normal", "watch")
    every = RuleSpec(name="y", kind="indicator")
    assert every.notifies("watch", "normal") and every.notifies("normal", "watch")


def test_defaults_damp_watch_flapping(store: Store, market_config: AlertConfig) -> None:
    """Synthetic readings flapping around watch, then one alert: the defaults record two watch
    changes silently and notify the alert and its resolution once each."""
    rule = market_config.rule("indicator-status")
    assert rule.resolve_after_days == 10 and "watch" not in rule.notify
    days = [d.date() for d in pd.bdate_range("2024-03-04", "2024-05-10")]
    levels = (["watch", "normal"] * 4 + ["normal"] * 12 + ["alert", "watch", "normal"] * 2
              + ["normal"] * 40)[:len(days)]
    value = {"normal": 1.0, "watch": 12.0, "alert": 30.0}
    p = SyntheticProvider(frames={
        d: [synthetic_row("s", lvl, value[lvl], obs=d - timedelta(days=1))]
        for d, lvl in zip(days, levels, strict=True)})
    for d in days:
        evaluate(store, d, config=market_config, provider=p, persist=True)
    rows = store.execute("SELECT state, previous, silent FROM alert_log "
                         "WHERE rule_key = 'indicator-status:s' ORDER BY id").fetchall()
    # Four one-day watch readings make one watch episode; its end is silent too; the two
    # alert days a few days apart make one alert, resolved once.
    assert rows == [("watch", "normal", True), ("normal", "watch", True),
                    ("alert", "normal", False), ("normal", "alert", False)]
    replayed = replay(store, days[0], days[-1], config=market_config, provider=p, warmup=0)
    assert [(e.state, e.previous) for e in replayed.changes] == [(r[0], r[1]) for r in rows]


def _notified(cfg: AlertConfig, events: list[AlertEvent]) -> list[AlertEvent]:
    rules = {r.name: r for r in cfg.rules}
    return [e for e in events if rules[e.rule].notifies(e.state, e.previous)]


def test_quiet_2024_replay_is_not_noisy(real_store: Store, market_config: AlertConfig) -> None:
    """Quiet 2024 on the real data: without damping the replay gave 193 state changes, each
    notified. The defaults leave about a hundred recorded changes and a few dozen
    notifications, every one of them an alert entry or the resolution of an alert."""
    events = replay(real_store, date(2024, 1, 2), date(2024, 12, 31), config=market_config)
    changes = events.changes
    notified = _notified(market_config, changes)
    assert len(changes) < 130, Counter((e.rule, e.state) for e in changes)
    assert len(notified) < 45, Counter((e.rule, e.state) for e in notified)
    for e in notified:
        if e.rule == "indicator-status":
            assert "alert" in (e.state, e.previous), (e.as_of, e.subject, e.state)
    # One notification per state change: no rule instance is notified twice on one day.
    assert len({(e.key, e.as_of) for e in notified}) == len(notified)
    # The events say which changes notify (JSON ``notifies``, replay column ``notify``).
    assert [e for e in changes if e.notifies] == notified
    assert not any(e.notifies for e in events if not e.changed)


def test_september_2019_alert_is_still_notified(real_store: Store,
                                                market_config: AlertConfig) -> None:
    events = replay(real_store, date(2019, 9, 3), date(2019, 9, 30), config=market_config)
    on_17 = [e for e in _notified(market_config, events.changes)
             if e.state == "alert" and e.date == date(2019, 9, 17)
             and e.subject.startswith("sofr")]
    assert on_17 and {e.as_of for e in on_17} == {date(2019, 9, 18)}
