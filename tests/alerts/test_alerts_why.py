"""The "why" of an alert's state (rule, threshold with its unit, hysteresis) and Japanese
messages, on SYNTHETIC indicator frames and in the CLI table on real data."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from alerts_helpers import SyntheticProvider, synthetic_row

from liqwatch.alerts.config import AlertConfig
from liqwatch.alerts.engine import evaluate
from liqwatch.store import Store

D1, D2, D3 = date(2024, 3, 4), date(2024, 3, 5), date(2024, 3, 6)
CLI = Callable[..., tuple[int, str, str]]


def _provider() -> SyntheticProvider:
    """A synthetic spread: alert, then back at watch (hysteresis holds the alert)."""
    return SyntheticProvider(frames={
        D1: [synthetic_row("spread", "alert", 40.0, obs=D1 - timedelta(days=1))],
        D2: [synthetic_row("spread", "watch", 15.0, obs=D1)],
    })


def test_why_names_the_threshold_and_the_hysteresis(store: Store,
                                                    immediate_config: AlertConfig) -> None:
    p = _provider()
    first = evaluate(store, D1, config=immediate_config, provider=p, persist=True)
    (alert,) = [e for e in first if e.subject == "spread"]
    assert alert.why() == "indicator-status: alert ≥ +25 bp"
    held = evaluate(store, D2, config=immediate_config, provider=p, persist=True)
    (still,) = [e for e in held if e.subject == "spread"]
    assert (still.state, still.level, still.changed) == ("alert", "watch", False)
    assert still.why() == ("indicator-status: alert ≥ +25 bp; held by hysteresis (reading at "
                           "watch; the alert ends below watch)")
    assert still.why("ja") == ("indicator-status: 警戒 ≥ +25bp。ヒステリシスにより継続 "
                               "(水準は注意、注意未満で警戒は解消)")


def test_messages_in_japanese_from_the_config(store: Store,
                                              immediate_config: AlertConfig) -> None:
    cfg = immediate_config.model_copy(update={"lang": "ja"})
    events = evaluate(store, D1, config=cfg, provider=_provider(), persist=True)
    (alert,) = [e for e in events if e.subject == "spread"]
    # The synthetic row has no Japanese name or explanation: the id, and no English text.
    assert alert.message == ("警戒 spread (短期資金市場): +40bp、警戒の閾値 +25bp を上回り"
                             "ました (観測日 2024-03-03、判明 2024-03-04)。")
    stored = store.execute("SELECT message FROM alert_log").fetchone()
    assert stored is not None and stored[0] == alert.message


def test_cli_table_has_a_why_column(real_db: Path, cli: CLI) -> None:
    code, out, _ = cli("--db", str(real_db), "alerts", "--as-of", "2019-09-18")
    assert code == 0
    assert "why" in out and "alert ≥ +10 bp" in out  # SOFR − IORB's alert threshold
    code, out, _ = cli("--db", str(real_db), "alerts", "--as-of", "2019-09-18", "--format",
                       "json")
    row = next(r for r in json.loads(out) if r["subject"] == "sofr_iorb_bp")
    assert row["why"] == "indicator-status: alert ≥ +10 bp"
    assert row["level"] == "alert" and row["direction"] == 1
