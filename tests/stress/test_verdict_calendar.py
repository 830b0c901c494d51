"""The turn-aware verdict (``VerdictParams.calendar``): measured on the real data, off by
default, switchable in the config file."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from liqwatch.exceptions import ConfigError
from liqwatch.store import Store
from liqwatch.stress.calendar_effect import effect_from_inputs
from liqwatch.stress.event_study import backtest_inputs
from liqwatch.stress.verdict import load_params, verdict_from_history


def test_calendar_is_off_by_default() -> None:
    p = load_params()
    assert p.calendar is False
    assert p.calendar_excess_bp == 10.0


def test_config_file_switches_the_calendar_on(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text("[stress.verdict]\ncalendar = true\ncalendar_excess_bp = 15\n", "utf-8")
    monkeypatch.setenv("LIQWATCH_CONFIG", str(cfg))
    p = load_params()
    assert p.calendar is True and p.calendar_excess_bp == 15.0
    assert p.sofr_iorb_bp == 15.0  # the chosen parameters are untouched
    cfg.write_text("[stress.verdict]\nhold_days = 5\n", "utf-8")
    with pytest.raises(ConfigError, match=r"stress\.verdict\.hold_days: Extra inputs"):
        load_params()
    cfg.write_text("[stress.verdict]\ncalendar = \"yes\"\n", "utf-8")
    with pytest.raises(ConfigError, match=r"stress\.verdict\.calendar: Input should be a "
                       r"valid boolean"):
        load_params()


def test_month_end_print_in_line_with_usual_does_not_confirm(stress_store: Store) -> None:
    # 28 Jun 2019, a quarter-end: SOFR 15 bp above IORB, 2 bp below the usual quarter-end.
    # Without the calendar it confirms the scarce regime (alert from 1 Jul); with it, no.
    inp = backtest_inputs(stress_store)
    off = verdict_from_history(inp.history, inp.composite, load_params(), view=inp.view,
                               regime=inp.regime)
    on = verdict_from_history(inp.history, inp.composite,
                              replace(load_params(), calendar=True), view=inp.view,
                              regime=inp.regime)
    day = pd.Timestamp("2019-07-01")
    assert off.loc[day, "status"] == "alert" and off.loc[day, "event_kind"] == "sofr_iorb"
    assert inp.view.turn_event("sofr_iorb_bp").loc[day]
    assert inp.view.turn_excess("sofr_iorb_bp").loc[day] < 0
    assert on.loc[day, "status"] == "watch"
    # an unusual print on an event day still confirms: 31 Oct 2025, 36 bp above the usual
    # month-end, known on 3 Nov
    nov3 = pd.Timestamp("2025-11-03")
    assert on.loc[nov3, "status"] == "alert"
    assert inp.view.turn_excess("sofr_iorb_bp").loc[nov3] > 30
    # and the 17 Sep 2019 squeeze (no calendar event) is unchanged
    sep18 = pd.Timestamp("2019-09-18")
    assert on.loc[sep18, "status"] == off.loc[sep18, "status"] == "alert"


def test_measured_effect_matches_the_docs(stress_store: Store) -> None:
    effect = effect_from_inputs(backtest_inputs(stress_store), (10.0,))
    off, on = effect.table.to_dict("records")
    # the figures in docs/stress.md ("The funding calendar in the verdict")
    assert round(off["onsets_strict"], 2) == 1.99 and round(on["onsets_strict"], 2) == 1.90
    assert round(off["onsets_warning"], 2) == 1.39 and round(on["onsets_warning"], 2) == 1.39
    assert off["lead:Sep 2019"] == on["lead:Sep 2019"] == 32
    assert off["lead:Jan 2019 (found)"] == 29 and on["lead:Jan 2019 (found)"] == 16
    assert on["held_out:Sep 2019"] == 40 and on["held_out:Apr 2019 (found)"] == 20
    # no plumbing episode of the SOFR era loses its 10-day warning
    for name in ("Sep 2019", "Oct 2025", "Jan 2019 (found)", "Apr 2019 (found)"):
        assert on[f"lead:{name}"] >= 10 and on[f"held_out:{name}"] >= 10
    text = effect.to_markdown()
    assert "| calendar on, excess ≥ 10 bp | 1.90 | 1.39 |" in text


def test_backtest_calendar_command(real_db: Path, cli: Callable[..., tuple[int, str, str]]
                                   ) -> None:
    code, out, _ = cli("--db", str(real_db), "backtest", "--calendar", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["episodes"] == ["Aug 2007", "Sep 2019", "Oct 2025", "Jan 2019 (found)",
                                "Apr 2019 (found)"]
    by = {r["excess_bp"]: r for r in data["rows"]}
    assert set(by) == {None, 5.0, 10.0, 15.0}
    assert round(by[15.0]["onsets_warning"], 2) == 1.29 and by[15.0]["lead:Sep 2019"] == 0
