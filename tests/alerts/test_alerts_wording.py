"""Alert messages a person can read: human units and what a threshold applies to."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from liqwatch.alerts.message import fmt_number

CLI = Callable[..., tuple[int, str, str]]


def test_units_are_words_not_codes() -> None:
    assert fmt_number(-21.3192, "pct_chg") == "-21.32%"
    assert fmt_number(0.7927, "corr") == "0.7927"
    assert fmt_number(57.89, "usd") == "57.89 USD"


def test_september_2019_messages(real_db: Path, cli: CLI) -> None:
    code, out, _ = cli("--db", str(real_db), "alerts", "--as-of", "2019-09-18",
                       "--format", "json")
    assert code == 0
    rows = {r["subject"]: r for r in json.loads(out)}
    ceiling = rows["sofr_ceiling_bp"]
    assert "business days with SOFR above the ceiling in the last 10: 2" in ceiling["message"]
    assert "days_above_last_10" not in ceiling["message"]
    disp = rows["sofr_dispersion_bp"]
    assert disp["basis"] == "percentile rank 100" and disp["threshold"] == 97
    assert "pct_chg" not in rows["btc_drawdown_pct"]["message"]
    assert rows["sofr_iorb_bp"]["basis"] is None


def test_table_shows_headlines_and_threshold_kinds(
    real_db: Path, cli: CLI
) -> None:
    code, out, err = cli("--db", str(real_db), "alerts", "--as-of", "2019-09-18")
    assert code == 0
    assert "pct 97" in out
    assert "Repo is trading above" not in out  # explanations stay in JSON
    assert "[sofr_iorb_bp," in out  # the label is not eaten as markup
    assert "--format json" in err


def test_a_value_just_below_its_threshold_does_not_read_equal() -> None:
    from datetime import date

    from liqwatch.alerts.message import describe
    from liqwatch.alerts.rules import Condition

    cond = Condition("indicator-status", "indicator", "reserves_tn", "watch", 2.99972,
                     {"watch": 3.0, "alert": 2.5}, date(2023, 3, 8), "usd_tn",
                     "Reserve balances", direction=-1)
    text = describe(cond, "watch", "normal", date(2023, 3, 13))
    assert "2.99972 USD tn, below the watch threshold of 3 USD tn" in text


def test_combination_watch_counts_categories_at_watch_or_worse(real_db: Path, cli: CLI) -> None:
    code, out, _ = cli("--db", str(real_db), "alerts", "--as-of", "2019-09-18", "--format",
                       "json")
    assert code == 0
    combo = next(r for r in json.loads(out) if r["rule"] == "combination")
    assert combo["state"] == "watch"
    assert "3 categories at watch or worse (threshold 3)" in combo["message"]
