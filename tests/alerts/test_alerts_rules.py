"""Pure rule evaluation and configuration, on synthetic indicator frames."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from alerts_helpers import synthetic_row, write_config

from liqwatch.alerts.config import load_alert_config
from liqwatch.alerts.message import describe
from liqwatch.alerts.rules import (
    Inputs,
    combination_condition,
    conditions,
    indicator_conditions,
    source_conditions,
    stale_conditions,
    step,
)
from liqwatch.exceptions import ConfigError

D = date(2024, 3, 1)


@pytest.mark.parametrize(
    ("previous", "level", "expected"),
    [
        ("normal", "watch", "watch"),
        ("normal", "alert", "alert"),
        ("watch", "alert", "alert"),
        ("alert", "watch", "alert"),  # enter at alert, leave only below watch
        ("alert", "normal", "normal"),
        ("watch", "normal", "normal"),
        ("alert", "no_data", "alert"),
        ("normal", "no_data", "normal"),
    ],
)
def test_step_hysteresis(previous: str, level: str, expected: str) -> None:
    assert step(previous, level) == expected


def test_default_rules_cover_the_issue(config_file: Path) -> None:
    cfg = load_alert_config()
    kinds = {r.kind for r in cfg.rules}
    assert kinds == {"overall", "indicator", "composite", "combination", "stale",
                     "source_failure"}
    assert cfg.rule("combination").min_categories == 3
    assert cfg.retry.wait_initial == 0.01  # the test config overrides the default


def test_user_rules_replace_and_disable_defaults(tmp_path: Path) -> None:
    path = write_config(tmp_path / "c.toml", """
[[alerts.rules]]
name = "stale-data"
enabled = false

[[alerts.rules]]
name = "combination"
kind = "combination"
min_categories = 2
""")
    cfg = load_alert_config(path)
    assert not cfg.rule("stale-data").enabled
    assert cfg.rule("stale-data").kind == "stale"  # only switched off, not replaced
    assert cfg.rule("combination").min_categories == 2
    assert "stale-data" not in {r.name for r in cfg.active_rules}


def test_invalid_config_names_the_setting(tmp_path: Path) -> None:
    path = write_config(tmp_path / "c.toml", """
[[alerts.rules]]
name = "x"
kind = "indicator"
min_categorys = 2
""")
    with pytest.raises(ConfigError, match=r"rules\.6\.min_categorys"):
        load_alert_config(path)
    bad = tmp_path / "bad.toml"
    bad.write_text("[alerts\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_alert_config(bad)


def test_smtp_password_only_from_env_and_never_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_config(tmp_path / "c.toml", """
[alerts.notifiers.email]
host = "smtp.example.org"
from = "a@example.org"
to = ["b@example.org"]
username = "a@example.org"
""")
    monkeypatch.setenv("LIQWATCH_SMTP_PASSWORD", "hunter2-secret")
    cfg = load_alert_config(path)
    assert cfg.notifiers.email is not None
    assert cfg.notifiers.email.password is not None
    assert cfg.notifiers.email.password.get_secret_value() == "hunter2-secret"
    assert "hunter2" not in repr(cfg) and "hunter2" not in str(cfg.model_dump())


def test_indicator_conditions_and_message(config_file: Path) -> None:
    rule = load_alert_config().rule("indicator-status")
    frame = pd.DataFrame([
        synthetic_row("spread_a", "alert", 31.0, obs=date(2024, 2, 29)),
        synthetic_row("level_b", "watch", 2.9, category="reserves", watch=3.0, alert=2.5,
                      direction=-1),
        synthetic_row("gone_c", "no_data", float("nan")),
    ])
    conds = {c.subject: c for c in indicator_conditions(rule, frame)}
    a = conds["spread_a"]
    assert (a.level, a.value, a.threshold("alert"), a.date) == ("alert", 31.0, 25.0,
                                                                 date(2024, 2, 29))
    assert conds["gone_c"].level == "no_data"
    text = describe(a, "alert", "normal", D)
    assert "ALERT" in text and "31 bp" in text and "alert threshold of 25 bp" in text
    assert "observation 2024-02-29, known 2024-03-01" in text
    low = describe(conds["level_b"], "watch", "normal", D)
    assert "below the watch threshold of 3" in low
    resolved = describe(a, "normal", "alert", D)
    assert resolved.startswith("RESOLVED") and "watch threshold of 10 bp" in resolved


def test_combination_needs_three_categories_at_alert(config_file: Path) -> None:
    rule = load_alert_config().rule("combination")
    rows = [synthetic_row("f1", "alert", 1, category="funding"),
            synthetic_row("f2", "alert", 1, category="funding"),
            synthetic_row("r1", "alert", 1, category="reserves"),
            synthetic_row("c1", "watch", 1, category="credit"),
            synthetic_row("o1", "normal", 1, category="oil")]
    two = combination_condition(rule, pd.DataFrame(rows))
    assert two.level == "watch" and two.value == 3.0  # three at watch or worse
    rows[3] = synthetic_row("c1", "alert", 1, category="credit")
    three = combination_condition(rule, pd.DataFrame(rows))
    assert (three.level, three.value, three.threshold("alert")) == ("alert", 3.0, 3.0)
    assert "credit, funding, reserves" in (three.detail or "")
    rows = [r for r in rows if r["category"] in ("funding", "oil")]
    assert combination_condition(rule, pd.DataFrame(rows)).level == "normal"


def test_stale_grouped_by_source(config_file: Path) -> None:
    rule = load_alert_config().rule("stale-data")
    frame = pd.DataFrame([
        {"series_id": "SOFR", "source": "nyfed", "date": date(2024, 2, 1),
         "due": date(2024, 2, 2), "days_overdue": 28.0, "stale": True, "grace_days": 3},
        {"series_id": "EFFR", "source": "nyfed", "date": date(2024, 2, 29),
         "due": date(2024, 3, 1), "days_overdue": 0.0, "stale": False, "grace_days": 3},
        {"series_id": "WALCL", "source": "fred", "date": date(2024, 2, 28),
         "due": date(2024, 3, 7), "days_overdue": 0.0, "stale": False, "grace_days": 3},
    ])
    conds = {c.subject: c for c in stale_conditions(rule, frame)}
    assert conds["nyfed"].level == "watch" and conds["nyfed"].value == 1.0
    assert "SOFR" in (conds["nyfed"].detail or "")
    assert conds["fred"].level == "normal"
    per_series = rule.model_copy(update={"group": "series"})
    one = {c.subject: c for c in stale_conditions(per_series, frame)}
    assert one["SOFR"].value == 28.0 and one["EFFR"].level == "normal"


def test_source_failure_counts_consecutive_runs(config_file: Path) -> None:
    rule = load_alert_config().rule("source-failure")
    t = [datetime(2024, 3, 1, h) for h in range(6)]
    runs = pd.DataFrame({
        "run_id": [f"r{i}" for i in range(6)] + ["r0"],
        "source": ["fred"] * 6 + ["nyfed"],
        "started_at": [*t, t[0]],
        "failed": [True, False, True, True, True, True, True],
        "error": [None, None, "HTTP 500", "HTTP 500", "timeout", "HTTP 503", "x"],
        "series": [None, None, "WALCL", "WALCL", "WALCL", "WALCL", "SOFR"],
    })
    conds = {c.subject: c for c in source_conditions(rule, runs)}
    assert conds["fred"].level == "alert" and conds["fred"].value == 4.0
    assert "HTTP 503" in (conds["fred"].detail or "")
    assert conds["nyfed"].level == "normal" and conds["nyfed"].value == 1.0


def test_unavailable_inputs_are_noted_not_fatal(config_file: Path) -> None:
    cfg = load_alert_config()
    conds, notes = conditions(cfg.rules, Inputs(as_of=D))
    assert conds == []
    assert any("indicators unavailable" in n for n in notes)
    assert any("liqwatch.stress" in n for n in notes)
